// SQLite implementation of the "reports" area.

#include <fmt/format.h>

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

class SqliteReportStore final : public ReportStore {
 public:
  explicit SqliteReportStore(sqlite3* db) : db_(db) {}

  Result<std::vector<CaseFact>> CaseFacts(std::optional<int> year) override {
    std::string sql =
        "SELECT c.id, c.organization_id, o.kind, c.person_id, c.identified_on, c.identified_by,"
        " c.sex, c.age_at_identification, c.citizenship, c.means_of_control,"
        " c.recruiter_relation, c.country_of_recruitment, c.country_of_exploitation,"
        " c.transnational, c.status, c.victim_status,"
        " (SELECT group_concat(form) FROM case_exploitation e WHERE e.case_id = c.id),"
        " coalesce(pc.cluster_id, c.person_id)"
        " FROM cases c JOIN organizations o ON o.id = c.organization_id"
        " LEFT JOIN person_clusters pc ON pc.person_id = c.person_id";
    if (year) sql += " WHERE c.identified_year = ?";
    sql += " ORDER BY c.id";
    Stmt s(db_, sql);
    if (year) s.Bind(*year);
    std::vector<CaseFact> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      CaseFact f;
      f.case_id = s.Int(0);
      f.organization_id = s.Int(1);
      f.organization_kind = EnumOr(s.Text(2), domain::OrgKind::kNgo);
      f.person_id = s.Int(3);
      f.identified_on = s.Date(4);
      f.identified_by = EnumOr(s.Text(5), domain::IdentifiedBy::kOther);
      f.sex = EnumOr(s.Text(6), domain::Sex::kUnknown);
      if (auto a = s.OptInt(7)) f.age_at_identification = static_cast<int>(*a);
      f.age_group = domain::AgeGroup(f.age_at_identification);
      f.citizenship = CitizenshipFrom(s.Text(8));
      f.means_of_control = EnumListFromJson<domain::MeansOfControl>(s.Text(9));
      if (auto r = s.OptText(10)) f.recruiter_relation = domain::ParseEnum<domain::RecruiterRelation>(*r);
      f.country_of_recruitment = s.OptText(11);
      f.country_of_exploitation = s.OptText(12);
      f.transnational = s.Int(13) != 0;
      f.status = EnumOr(s.Text(14), domain::CaseStatus::kIdentified);
      f.victim_status = EnumOr(s.Text(15), domain::VictimStatus::kPending);
      f.exploitation = EnumListFromCsv<domain::Exploitation>(s.Text(16));
      f.person_cluster = s.Int(17);
      out.push_back(std::move(f));
    }
    return out;
  }

  Result<std::optional<LinkageRun>> LastLinkageRun() override {
    Stmt s(db_, "SELECT at, threshold, persons, clusters FROM linkage_runs ORDER BY id DESC LIMIT 1");
    TRY(bool row, s.Step());
    if (!row) return std::optional<LinkageRun>();
    LinkageRun r;
    r.at = s.Time(0);
    r.threshold = s.Double(1);
    r.persons = s.Int(2);
    r.clusters = s.Int(3);
    return std::optional(r);
  }

 private:
  sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> ReportMigrations() { return {}; }

std::unique_ptr<ReportStore> MakeReportStore(sqlite3* db) {
  return std::make_unique<SqliteReportStore>(db);
}

}  // namespace haven::store::sqlite
