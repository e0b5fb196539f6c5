// SQLite implementation of the "reports" area: case facts for statistics, the
// imported CTDC records and the ledger of differentially private releases.

#include <fmt/format.h>

#include <array>

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

// Imported CTDC records hold only what statistics and the CTDC export need; the
// record_key makes re-imports idempotent (see CtdcRecord).
constexpr std::string_view kV1 = R"sql(
CREATE TABLE ctdc_imports (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  file_digest TEXT NOT NULL,
  rows_read   INTEGER NOT NULL DEFAULT 0,
  imported    INTEGER NOT NULL DEFAULT 0,
  added       INTEGER NOT NULL DEFAULT 0,
  rejected    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE ctdc_records (
  id                      INTEGER PRIMARY KEY,
  record_key              TEXT NOT NULL UNIQUE,
  import_id               INTEGER NOT NULL REFERENCES ctdc_imports(id),
  year                    INTEGER NOT NULL,
  datasource              TEXT NOT NULL,
  identified_by           TEXT NOT NULL,
  sex                     TEXT NOT NULL,
  age_band                TEXT NOT NULL,
  majority                TEXT NOT NULL,
  citizenship             TEXT NOT NULL,
  country_of_exploitation TEXT,
  exploitation            TEXT NOT NULL,
  means_of_control        TEXT NOT NULL,
  recruiter_relation      TEXT
);
CREATE INDEX ctdc_records_year ON ctdc_records(year, id);
CREATE TABLE dp_releases (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  actor_user_id INTEGER NOT NULL,
  release_name  TEXT NOT NULL,
  mechanism     TEXT NOT NULL,
  epsilon       REAL NOT NULL,
  delta         REAL NOT NULL
);
)sql";

// Import batches name their source and can be removed (their records deleted, the
// batch kept as history); a release keeps what was asked and the answer given, so
// that the same question gets the same answer without spending the budget again.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE ctdc_imports ADD COLUMN source TEXT NOT NULL DEFAULT 'ctdc';
ALTER TABLE ctdc_imports ADD COLUMN removed_at TEXT;
CREATE INDEX ctdc_records_import ON ctdc_records(import_id);
ALTER TABLE dp_releases ADD COLUMN query TEXT;
ALTER TABLE dp_releases ADD COLUMN answer TEXT;
CREATE INDEX dp_releases_query ON dp_releases(query);
)sql";

constexpr std::array<std::string_view, 2> kReports = {kV1, kV2};

std::string MajorityOf(std::optional<int> age) {
  if (!age) return "unknown";
  return *age < 18 ? "minor" : "adult";
}

template <typename E>
std::string EnumCsv(const std::vector<E>& v) {
  std::string out;
  for (E e : v) {
    if (!out.empty()) out += ',';
    out += domain::Name(e);
  }
  return out;
}

template <typename E>
std::string EnumJson(const std::vector<E>& v) {
  nlohmann::json j = nlohmann::json::array();
  for (E e : v) j.push_back(std::string(domain::Name(e)));
  return j.dump();
}

class SqliteReportStore final : public ReportStore {
 public:
  explicit SqliteReportStore(sqlite3* db) : db_(db) {}

  Result<std::vector<CaseFact>> CaseFacts(std::optional<int> year,
                                          const FactSources& sources) override {
    std::vector<CaseFact> out;
    if (sources.haven) TRY_STATUS(OwnCases(year, out));
    for (const auto& source : sources.imported)
      if (source == "ctdc") TRY_STATUS(ImportedRecords(year, out));
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

  Result<bool> InsertCtdcRecord(const CtdcRecord& r, domain::Id import_id) override {
    Stmt s(db_,
           "INSERT INTO ctdc_records (record_key, import_id, year, datasource, identified_by, sex,"
           " age_band, majority, citizenship, country_of_exploitation, exploitation,"
           " means_of_control, recruiter_relation)"
           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(record_key) DO NOTHING");
    s.Bind(r.record_key).Bind(import_id).Bind(r.year).Bind(r.datasource)
        .Bind(domain::Name(r.identified_by)).Bind(domain::Name(r.sex)).Bind(r.age_band)
        .Bind(r.majority).Bind(r.citizenship.ToString()).Bind(r.country_of_exploitation)
        .Bind(EnumCsv(r.exploitation)).Bind(EnumJson(r.means_of_control));
    if (r.recruiter_relation) s.Bind(domain::Name(*r.recruiter_relation));
    else s.BindNull();
    TRY_STATUS(s.Run());
    return sqlite3_changes(db_) > 0;
  }

  Result<domain::Id> InsertCtdcImport(const CtdcImportRecord& r) override {
    Stmt s(db_, "INSERT INTO ctdc_imports (at, file_digest, source) VALUES (?, ?, ?)");
    s.Bind(r.at).Bind(r.file_digest).Bind(r.source);
    TRY_STATUS(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status FinishCtdcImport(domain::Id import_id, const CtdcImportRecord& r) override {
    Stmt s(db_,
           "UPDATE ctdc_imports SET rows_read = ?, imported = ?, added = ?, rejected = ? WHERE id = ?");
    s.Bind(r.read).Bind(r.imported).Bind(r.added).Bind(r.rejected).Bind(import_id);
    return s.Run();
  }

  Result<std::int64_t> CountCtdcRecords() override {
    Stmt s(db_, "SELECT count(*) FROM ctdc_records");
    TRY(bool row, s.Step());
    return row ? s.Int(0) : 0;
  }

  Result<std::vector<ImportBatch>> ListImports() override {
    Stmt s(db_,
           "SELECT i.id, i.source, i.at, i.file_digest, i.rows_read, i.imported, i.added,"
           " i.rejected, (SELECT count(*) FROM ctdc_records r WHERE r.import_id = i.id),"
           " i.removed_at FROM ctdc_imports i ORDER BY i.id");
    std::vector<ImportBatch> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      ImportBatch b;
      b.id = s.Int(0);
      b.source = s.Text(1);
      b.at = s.Time(2);
      b.file_digest = s.Text(3);
      b.read = s.Int(4);
      b.imported = s.Int(5);
      b.added = s.Int(6);
      b.rejected = s.Int(7);
      b.records = s.Int(8);
      b.removed_at = s.OptTime(9);
      out.push_back(std::move(b));
    }
    return out;
  }

  Result<std::int64_t> RemoveImport(domain::Id import_id, Timestamp at) override {
    {
      Stmt s(db_, "SELECT removed_at FROM ctdc_imports WHERE id = ?");
      s.Bind(import_id);
      TRY(bool row, s.Step());
      if (!row)
        return Fail(ErrorCode::kNotFound, "import_not_found", "no import batch has this number",
                    "batch");
      if (s.OptText(0))
        return Fail(ErrorCode::kConflict, "import_removed",
                    "this import batch was removed on " + *s.OptText(0), "batch");
    }
    Stmt del(db_, "DELETE FROM ctdc_records WHERE import_id = ?");
    del.Bind(import_id);
    TRY_STATUS(del.Run());
    const std::int64_t removed = sqlite3_changes(db_);
    Stmt mark(db_, "UPDATE ctdc_imports SET removed_at = ? WHERE id = ?");
    mark.Bind(at).Bind(import_id);
    TRY_STATUS(mark.Run());
    return removed;
  }

  Status InsertDpRelease(const DpRelease& r) override {
    Stmt s(db_,
           "INSERT INTO dp_releases (at, actor_user_id, release_name, mechanism, epsilon, delta,"
           " query, answer) VALUES (?,?,?,?,?,?,?,?)");
    s.Bind(r.at).Bind(r.actor_user_id).Bind(r.release).Bind(r.mechanism).Bind(r.epsilon)
        .Bind(r.delta).Bind(r.query).Bind(r.answer);
    return s.Run();
  }

  Result<double> DpEpsilonSpent(const std::string& prefix,
                                std::optional<domain::Id> actor_user_id) override {
    std::string sql =
        "SELECT coalesce(sum(epsilon), 0) FROM dp_releases WHERE substr(release_name, 1, ?) = ?";
    if (actor_user_id) sql += " AND actor_user_id = ?";
    Stmt s(db_, sql);
    s.Bind(static_cast<int>(prefix.size())).Bind(prefix);
    if (actor_user_id) s.Bind(*actor_user_id);
    TRY(bool row, s.Step());
    return row ? s.Double(0) : 0.0;
  }

  Result<std::optional<DpRelease>> FindDpRelease(const std::string& query) override {
    Stmt s(db_,
           "SELECT at, actor_user_id, release_name, mechanism, epsilon, delta, query, answer"
           " FROM dp_releases WHERE query = ? ORDER BY id LIMIT 1");
    s.Bind(query);
    TRY(bool row, s.Step());
    if (!row) return std::optional<DpRelease>();
    DpRelease r = ReleaseOf(s);
    r.answer = s.Text(7);
    return std::optional(std::move(r));
  }

  Result<std::vector<DpRelease>> ListDpReleases() override {
    Stmt s(db_,
           "SELECT at, actor_user_id, release_name, mechanism, epsilon, delta, coalesce(query, '')"
           " FROM dp_releases ORDER BY id");
    std::vector<DpRelease> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(ReleaseOf(s));
    }
    return out;
  }

 private:
  static DpRelease ReleaseOf(Stmt& s) {
    DpRelease r;
    r.at = s.Time(0);
    r.actor_user_id = s.Int(1);
    r.release = s.Text(2);
    r.mechanism = s.Text(3);
    r.epsilon = s.Double(4);
    r.delta = s.Double(5);
    r.query = s.Text(6);
    return r;
  }

  Status OwnCases(std::optional<int> year, std::vector<CaseFact>& out) {
    std::string sql =
        "SELECT c.id, c.organization_id, o.kind, c.person_id, c.identified_on, c.identified_by,"
        " c.sex, c.age_at_identification, c.citizenship, c.means_of_control,"
        " c.recruiter_relation, c.country_of_recruitment, c.country_of_exploitation,"
        " c.transnational, c.status, c.victim_status,"
        " (SELECT group_concat(form) FROM case_exploitation e WHERE e.case_id = c.id),"
        // A case closed as a second registration counts as the person of the case kept.
        " CASE WHEN c.duplicate_of IS NULL THEN coalesce(pc.cluster_id, c.person_id) ELSE"
        "  (SELECT coalesce(kc.cluster_id, k.person_id) FROM cases k"
        "   LEFT JOIN person_clusters kc ON kc.person_id = k.person_id WHERE k.id = c.duplicate_of)"
        " END"
        " FROM cases c JOIN organizations o ON o.id = c.organization_id"
        " LEFT JOIN person_clusters pc ON pc.person_id = c.person_id";
    if (year) sql += " WHERE c.identified_year = ?";
    sql += " ORDER BY c.id";
    Stmt s(db_, sql);
    if (year) s.Bind(*year);
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
      f.majority = MajorityOf(f.age_at_identification);
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
    return {};
  }

  Status ImportedRecords(std::optional<int> year, std::vector<CaseFact>& out) {
    std::string sql =
        "SELECT id, year, identified_by, sex, age_band, majority, citizenship,"
        " country_of_exploitation, exploitation, means_of_control, recruiter_relation"
        " FROM ctdc_records";
    if (year) sql += " WHERE year = ?";
    sql += " ORDER BY id";
    Stmt s(db_, sql);
    if (year) s.Bind(*year);
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      CaseFact f;
      f.source = "ctdc";
      f.case_id = s.Int(0);
      f.organization_kind = domain::OrgKind::kInternationalOrganization;
      // Every imported record is a person of its own: CTDC publishes no linkage keys.
      f.person_id = f.case_id;
      f.person_cluster = f.case_id;
      f.identified_on = domain::Date::FromYmd(static_cast<int>(s.Int(1)), 1, 1);
      f.identified_by = EnumOr(s.Text(2), domain::IdentifiedBy::kOther);
      f.sex = EnumOr(s.Text(3), domain::Sex::kUnknown);
      f.age_group = s.Text(4).empty() ? "unknown" : s.Text(4);
      f.majority = s.Text(5);
      f.citizenship = CitizenshipFrom(s.Text(6));
      f.country_of_exploitation = s.OptText(7);
      f.exploitation = EnumListFromCsv<domain::Exploitation>(s.Text(8));
      f.means_of_control = EnumListFromJson<domain::MeansOfControl>(s.Text(9));
      if (auto r = s.OptText(10)) f.recruiter_relation = domain::ParseEnum<domain::RecruiterRelation>(*r);
      // CTDC does not say where recruitment happened; a record is transnational
      // when the person was exploited outside the country of citizenship.
      f.transnational = f.country_of_exploitation &&
                        f.citizenship.kind == domain::Citizenship::Kind::kCountry &&
                        f.citizenship.country != *f.country_of_exploitation;
      out.push_back(std::move(f));
    }
    return {};
  }

  sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> ReportMigrations() { return kReports; }

std::unique_ptr<ReportStore> MakeReportStore(sqlite3* db) {
  return std::make_unique<SqliteReportStore>(db);
}

}  // namespace haven::store::sqlite
