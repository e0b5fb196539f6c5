// SQLite implementation of the store: WAL, synchronous=FULL, a small pool of
// connections, BEGIN IMMEDIATE for writers.

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/enums.h"
#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"
#include "store/store.h"

namespace haven::store {
namespace {

using domain::Name;
using domain::ParseEnum;
using sqlite::CitizenshipFrom;
using sqlite::EnumOr;
using sqlite::Exec;
using sqlite::Stmt;

class Pool;

constexpr std::string_view kLinkageRunColumns =
    "SELECT id, at, threshold, persons, clusters, linked_persons, largest_cluster, forced,"
    " restored_from, clusters_kept FROM linkage_runs";

LinkageRunRecord LinkageRunFrom(const Stmt& s) {
  LinkageRunRecord r;
  r.id = s.Int(0);
  r.at = s.Time(1);
  r.threshold = s.Double(2);
  r.persons = s.Int(3);
  r.clusters = s.Int(4);
  r.linked_persons = s.OptInt(5);
  r.largest_cluster = s.OptInt(6);
  r.forced = s.Int(7) != 0;
  r.restored_from = s.OptInt(8);
  r.clusters_kept = s.Int(9) != 0;
  return r;
}

Result<std::vector<PersonCluster>> ClustersFrom(Stmt& s) {
  std::vector<PersonCluster> out;
  while (true) {
    TRY(bool row, s.Step());
    if (!row) break;
    out.push_back(PersonCluster{s.Int(0), s.Int(1), s.Double(2)});
  }
  return out;
}

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(Pool& pool, sqlite3* db, bool write)
      : pool_(pool), db_(db), write_(write) {}

  AssistanceStore& Assistance() override {
    if (!assistance_) assistance_ = sqlite::MakeAssistanceStore(db_);
    return *assistance_;
  }
  CoalitionStore& Coalition() override {
    if (!coalition_) coalition_ = sqlite::MakeCoalitionStore(db_);
    return *coalition_;
  }
  CaseworkStore& Casework() override {
    if (!casework_) casework_ = sqlite::MakeCaseworkStore(db_);
    return *casework_;
  }
  StageStore& Stages() override {
    if (!stages_) stages_ = sqlite::MakeStageStore(db_);
    return *stages_;
  }
  ReportStore& Reports() override {
    if (!reports_) reports_ = sqlite::MakeReportStore(db_);
    return *reports_;
  }
  PreventionStore& Prevention() override {
    if (!prevention_) prevention_ = sqlite::MakePreventionStore(db_);
    return *prevention_;
  }
  KeyStore& Keys() override {
    if (!keys_) keys_ = sqlite::MakeKeyStore(db_);
    return *keys_;
  }
  bool Writable() const override { return write_; }
  ~SqliteTransaction() override;

  Status Begin() { return Exec(db_, write_ ? "BEGIN IMMEDIATE" : "BEGIN"); }

  Status Commit() override {
    TRY_STATUS(Exec(db_, "COMMIT"));
    committed_ = true;
    return {};
  }

  // ---- organisations ----
  Result<Id> InsertOrganization(const domain::Organization& o) override {
    Stmt s(db_, "INSERT INTO organizations(name, kind, region, created_at) VALUES (?,?,?,?)");
    s.Bind(o.name).Bind(Name(o.kind)).Bind(o.region).Bind(o.created_at);
    TRY_STATUS(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static domain::Organization OrgFrom(const Stmt& s) {
    domain::Organization o;
    o.id = s.Int(0);
    o.name = s.Text(1);
    o.kind = EnumOr(s.Text(2), domain::OrgKind::kNgo);
    o.region = s.OptText(3);
    o.created_at = s.Time(4);
    o.active = s.Int(5) != 0;
    return o;
  }
  static constexpr std::string_view kOrgCols = "id, name, kind, region, created_at, active";

  Status UpdateOrganization(const domain::Organization& o) override {
    Stmt s(db_, "UPDATE organizations SET name = ?, kind = ?, region = ?, active = ? WHERE id = ?");
    s.Bind(o.name).Bind(Name(o.kind)).Bind(o.region).Bind(o.active).Bind(o.id);
    return s.Run();
  }

  Result<std::optional<domain::Organization>> GetOrganization(Id id) override {
    Stmt s(db_, fmt::format("SELECT {} FROM organizations WHERE id = ?", kOrgCols));
    s.Bind(id);
    TRY(bool row, s.Step());
    if (!row) return std::optional<domain::Organization>();
    return std::optional(OrgFrom(s));
  }

  Result<std::vector<domain::Organization>> ListOrganizations(Id after_id, int limit) override {
    Stmt s(db_, fmt::format("SELECT {} FROM organizations WHERE id > ? ORDER BY id LIMIT ?",
                            kOrgCols));
    s.Bind(after_id).Bind(limit);
    std::vector<domain::Organization> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(OrgFrom(s));
    }
    return out;
  }

  Result<bool> OrganizationNameTaken(const std::string& name, Id except) override {
    Stmt s(db_, "SELECT 1 FROM organizations WHERE name = ? AND id <> ?");
    s.Bind(name).Bind(except);
    return s.Step();
  }

  // ---- users ----
  Result<Id> InsertUser(const domain::User& u, const std::string& password_hash) override {
    Stmt s(db_,
           "INSERT INTO users(username, role, organization_id, password_hash, active, created_at,"
           " created_by) VALUES (?,?,?,?,?,?,?)");
    s.Bind(u.username).Bind(Name(u.role)).Bind(u.organization_id).Bind(password_hash)
        .Bind(u.active).Bind(u.created_at).Bind(u.created_by);
    TRY_STATUS(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static constexpr std::string_view kUserCols =
      "id, username, role, organization_id, active, created_at, password_hash, failed_logins, "
      "locked_until, created_by, must_change_password, language, "
      "EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = users.id"
      " AND f.confirmed_at IS NOT NULL)";
  static StoredUser UserFrom(const Stmt& s) {
    StoredUser u;
    u.user.id = s.Int(0);
    u.user.username = s.Text(1);
    u.user.role = EnumOr(s.Text(2), domain::Role::kAnalyst);
    u.user.organization_id = s.Int(3);
    u.user.active = s.Int(4) != 0;
    u.user.created_at = s.Time(5);
    u.password_hash = s.Text(6);
    u.failed_logins = static_cast<int>(s.Int(7));
    u.locked_until = s.OptTime(8);
    u.user.created_by = s.OptInt(9);
    u.user.must_change_password = s.Int(10) != 0;
    if (auto lang = s.OptText(11)) u.user.language = EnumOr(*lang, domain::Language::kAz);
    u.user.second_factor = s.Int(12) != 0;
    return u;
  }

  Result<std::optional<StoredUser>> GetUser(Id id) override {
    Stmt s(db_, fmt::format("SELECT {} FROM users WHERE id = ?", kUserCols));
    s.Bind(id);
    TRY(bool row, s.Step());
    if (!row) return std::optional<StoredUser>();
    return std::optional(UserFrom(s));
  }

  Result<std::optional<StoredUser>> FindUserByUsername(const std::string& username) override {
    Stmt s(db_, fmt::format("SELECT {} FROM users WHERE username = ?", kUserCols));
    s.Bind(username);
    TRY(bool row, s.Step());
    if (!row) return std::optional<StoredUser>();
    return std::optional(UserFrom(s));
  }

  Result<std::vector<domain::User>> ListUsers(const UserFilter& f) override {
    std::string sql = fmt::format("SELECT {} FROM users WHERE id > ?", kUserCols);
    if (f.organization_id) sql += " AND organization_id = ?";
    if (f.role) sql += " AND role = ?";
    if (f.active) sql += " AND active = ?";
    sql += " ORDER BY id LIMIT ?";
    Stmt s(db_, sql);
    s.Bind(f.after_id);
    if (f.organization_id) s.Bind(*f.organization_id);
    if (f.role) s.Bind(Name(*f.role));
    if (f.active) s.Bind(*f.active);
    s.Bind(f.limit);
    std::vector<domain::User> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(UserFrom(s).user);
    }
    return out;
  }

  Status SetLoginState(Id user_id, int failed_logins,
                       std::optional<Timestamp> locked_until) override {
    Stmt s(db_, "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?");
    s.Bind(failed_logins);
    if (locked_until) s.Bind(*locked_until); else s.BindNull();
    s.Bind(user_id);
    return s.Run();
  }

  Status UpdateUser(Id user_id, domain::Role role, bool active) override {
    Stmt s(db_, "UPDATE users SET role = ?, active = ? WHERE id = ?");
    s.Bind(Name(role)).Bind(active).Bind(user_id);
    return s.Run();
  }

  Status SetUserLanguage(Id user_id, domain::Language language) override {
    Stmt s(db_, "UPDATE users SET language = ? WHERE id = ?");
    s.Bind(Name(language)).Bind(user_id);
    return s.Run();
  }

  Status SetPasswordHash(Id user_id, const std::string& password_hash,
                         bool must_change) override {
    Stmt s(db_, "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL,"
                " must_change_password = ? WHERE id = ?");
    s.Bind(password_hash).Bind(must_change).Bind(user_id);
    return s.Run();
  }

  // ---- second factor ----
  Result<std::optional<SecondFactor>> GetSecondFactor(Id user_id) override {
    Stmt s(db_,
           "SELECT user_id, sealed_secret, created_at, confirmed_at, last_step"
           " FROM second_factors WHERE user_id = ?");
    s.Bind(user_id);
    TRY(bool row, s.Step());
    if (!row) return std::optional<SecondFactor>();
    return std::optional(SecondFactor{s.Int(0), s.Blob(1), s.Time(2), s.OptTime(3), s.Int(4)});
  }

  Status PutSecondFactor(const SecondFactor& f) override {
    Stmt s(db_,
           "INSERT OR REPLACE INTO second_factors(user_id, sealed_secret, created_at,"
           " confirmed_at, last_step) VALUES (?,?,?,?,?)");
    s.Bind(f.user_id).BindBlob(f.sealed_secret).Bind(f.created_at).Bind(f.confirmed_at)
        .Bind(f.last_step);
    return s.Run();
  }

  Status DeleteSecondFactor(Id user_id) override {
    TRY_STATUS(ReplaceRecoveryCodes(user_id, {}));
    Stmt s(db_, "DELETE FROM second_factors WHERE user_id = ?");
    s.Bind(user_id);
    return s.Run();
  }

  Status ReplaceRecoveryCodes(Id user_id, const std::vector<std::string>& hashes) override {
    Stmt del(db_, "DELETE FROM recovery_codes WHERE user_id = ?");
    del.Bind(user_id);
    TRY_STATUS(del.Run());
    for (const auto& h : hashes) {
      Stmt s(db_, "INSERT INTO recovery_codes(user_id, code_hash) VALUES (?,?)");
      s.Bind(user_id).Bind(h);
      TRY_STATUS(s.Run());
    }
    return {};
  }

  Result<bool> UseRecoveryCode(Id user_id, const std::string& hash, Timestamp at) override {
    Stmt s(db_,
           "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ?"
           " AND used_at IS NULL");
    s.Bind(at).Bind(user_id).Bind(hash);
    TRY_STATUS(s.Run());
    return sqlite3_changes(db_) == 1;
  }

  Result<int> CountUnusedRecoveryCodes(Id user_id) override {
    Stmt s(db_, "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL");
    s.Bind(user_id);
    TRY(bool row, s.Step());
    return row ? static_cast<int>(s.Int(0)) : 0;
  }

  // ---- sessions ----
  Status InsertSession(const Session& x) override {
    Stmt s(db_,
           "INSERT INTO sessions(token_digest, user_id, csrf_token, created_at, expires_at)"
           " VALUES (?,?,?,?,?)");
    s.Bind(x.token_digest).Bind(x.user_id).Bind(x.csrf_token).Bind(x.created_at)
        .Bind(x.expires_at);
    return s.Run();
  }

  Result<std::optional<Session>> FindSession(const std::string& digest) override {
    Stmt s(db_,
           "SELECT token_digest, user_id, csrf_token, created_at, expires_at FROM sessions"
           " WHERE token_digest = ?");
    s.Bind(digest);
    TRY(bool row, s.Step());
    if (!row) return std::optional<Session>();
    return std::optional(Session{s.Text(0), s.Int(1), s.Text(2), s.Time(3), s.Time(4)});
  }

  Status DeleteSession(const std::string& digest) override {
    Stmt s(db_, "DELETE FROM sessions WHERE token_digest = ?");
    s.Bind(digest);
    return s.Run();
  }

  Status DeleteSessionsOfUser(Id user_id, const std::string& keep_digest) override {
    Stmt s(db_, "DELETE FROM sessions WHERE user_id = ? AND token_digest <> ?");
    s.Bind(user_id).Bind(keep_digest);
    return s.Run();
  }

  Status DeleteExpiredSessions(Timestamp now) override {
    Stmt s(db_, "DELETE FROM sessions WHERE expires_at <= ?");
    s.Bind(now);
    return s.Run();
  }

  // ---- persons ----
  Result<Id> InsertPerson(Id organization_id, Timestamp created_at) override {
    Stmt s(db_, "INSERT INTO persons(organization_id, created_at) VALUES (?,?)");
    s.Bind(organization_id).Bind(created_at);
    TRY_STATUS(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetPersonIdentity(Id person_id, const std::string& sealed,
                           const std::string& blind_index, const std::string& clk) override {
    Stmt s(db_,
           "UPDATE persons SET sealed_identity = ?, blind_index = ?, clk = ? WHERE id = ?");
    s.BindBlob(sealed).Bind(blind_index);
    if (clk.empty()) s.BindNull(); else s.BindBlob(clk);
    s.Bind(person_id);
    return s.Run();
  }

  Result<std::vector<PersonClk>> ListPersonClks() override {
    Stmt s(db_,
           "SELECT p.id, p.organization_id, o.kind, p.created_at, p.clk,"
           " (SELECT max(c.id) FROM cases c WHERE c.person_id = p.id) FROM persons p"
           " JOIN organizations o ON o.id = p.organization_id ORDER BY p.id");
    std::vector<PersonClk> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(PersonClk{s.Int(0), s.Int(1), EnumOr(s.Text(2), domain::OrgKind::kNgo),
                              s.Time(3), s.Blob(4), s.OptInt(5)});
    }
    return out;
  }

  Status SetPersonClk(Id person_id, const std::string& clk) override {
    Stmt s(db_, "UPDATE persons SET clk = ? WHERE id = ?");
    s.BindBlob(clk).Bind(person_id);
    return s.Run();
  }

  Result<Id> InsertLinkageRun(const std::vector<PersonCluster>& clusters,
                              const LinkageRunRecord& run) override {
    {
      Stmt s(db_,
             "INSERT INTO linkage_runs(at, threshold, persons, clusters, linked_persons,"
             " largest_cluster, forced, restored_from, clusters_kept) VALUES (?,?,?,?,?,?,?,?,1)");
      s.Bind(run.at).Bind(run.threshold).Bind(run.persons).Bind(run.clusters)
          .Bind(run.linked_persons).Bind(run.largest_cluster).Bind(run.forced)
          .Bind(run.restored_from);
      TRY_STATUS(s.Run());
    }
    const Id run_id = sqlite3_last_insert_rowid(db_);
    TRY_STATUS(Exec(db_, "DELETE FROM person_clusters"));
    for (const auto& c : clusters) {
      Stmt current(db_,
                   "INSERT INTO person_clusters(person_id, cluster_id, score, linked_at)"
                   " VALUES (?,?,?,?)");
      current.Bind(c.person_id).Bind(c.cluster_id).Bind(c.score).Bind(run.at);
      TRY_STATUS(current.Run());
      Stmt kept(db_,
                "INSERT INTO linkage_run_clusters(run_id, person_id, cluster_id, score)"
                " VALUES (?,?,?,?)");
      kept.Bind(run_id).Bind(c.person_id).Bind(c.cluster_id).Bind(c.score);
      TRY_STATUS(kept.Run());
    }
    return run_id;
  }

  Result<std::vector<LinkageRunRecord>> ListLinkageRuns() override {
    Stmt s(db_, std::string(kLinkageRunColumns) + " ORDER BY id DESC");
    std::vector<LinkageRunRecord> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(LinkageRunFrom(s));
    }
    return out;
  }

  Result<std::optional<LinkageRunRecord>> GetLinkageRun(Id run_id) override {
    Stmt s(db_, std::string(kLinkageRunColumns) + " WHERE id = ?");
    s.Bind(run_id);
    TRY(bool row, s.Step());
    if (!row) return std::optional<LinkageRunRecord>();
    return std::optional(LinkageRunFrom(s));
  }

  Result<std::vector<PersonCluster>> ListLinkageRunClusters(Id run_id) override {
    Stmt s(db_,
           "SELECT person_id, cluster_id, score FROM linkage_run_clusters WHERE run_id = ?"
           " ORDER BY person_id");
    s.Bind(run_id);
    return ClustersFrom(s);
  }

  Result<std::vector<PersonCluster>> ListPersonClusters() override {
    Stmt s(db_, "SELECT person_id, cluster_id, score FROM person_clusters ORDER BY person_id");
    return ClustersFrom(s);
  }

  Result<std::optional<StoredPerson>> GetPerson(Id id) override {
    Stmt s(db_,
           "SELECT id, organization_id, sealed_identity, blind_index, created_at FROM persons"
           " WHERE id = ?");
    s.Bind(id);
    TRY(bool row, s.Step());
    if (!row) return std::optional<StoredPerson>();
    return std::optional(StoredPerson{s.Int(0), s.Int(1), s.Blob(2), s.Text(3), s.Time(4)});
  }

  Result<std::vector<PersonMatch>> FindPersonsByBlindIndex(const std::string& index) override {
    Stmt s(db_,
           "SELECT p.id, p.organization_id, o.kind,"
           " (SELECT max(c.id) FROM cases c WHERE c.person_id = p.id), p.created_at"
           " FROM persons p JOIN organizations o ON o.id = p.organization_id"
           " WHERE p.blind_index = ? ORDER BY p.id");
    s.Bind(index);
    std::vector<PersonMatch> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(PersonMatch{s.Int(0), s.Int(1), EnumOr(s.Text(2), domain::OrgKind::kNgo),
                                s.OptInt(3), s.Time(4)});
    }
    return out;
  }

  // ---- cases ----
  Result<std::int64_t> NextCaseNumber(int year) override {
    Stmt s(db_,
           "INSERT INTO case_counters(year, last) VALUES (?, 1)"
           " ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last");
    s.Bind(year);
    TRY(bool row, s.Step());
    if (!row) return Internal("case counter did not return a value");
    return s.Int(0);
  }

  Result<Id> InsertCase(const domain::Case& c) override {
    Stmt s(db_,
           "INSERT INTO cases(code, person_id, created_at, organization_id, identified_on,"
           " identified_year, identified_by, means_of_control, recruiter_relation,"
           " country_of_recruitment, country_of_exploitation, region, transnational, status,"
           " victim_status, victim_status_on, reflection_start, reflection_end, sex,"
           " citizenship, age_at_identification, assigned_to, closure_reason, duplicate_of,"
           " anonymous, child_status, best_interests_on, updated_at, version)"
           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.Bind(c.code).Bind(c.person_id).Bind(c.created_at);
    BindMutable(s, c);
    s.Bind(c.version);
    TRY_STATUS(s.Run());
    Id id = sqlite3_last_insert_rowid(db_);
    TRY_STATUS(WriteExploitation(id, c.fields.exploitation));
    return id;
  }

  // The columns every change may write, in the order of kMutableCols.
  static void BindMutable(Stmt& s, const domain::Case& c) {
    const auto& f = c.fields;
    nlohmann::json means = nlohmann::json::array();
    for (auto m : f.means_of_control) means.push_back(Name(m));
    s.Bind(c.organization_id).Bind(f.identified_on).Bind(f.identified_on.Year())
        .Bind(Name(f.identified_by)).Bind(means.dump());
    if (f.recruiter_relation) s.Bind(Name(*f.recruiter_relation)); else s.BindNull();
    s.Bind(f.country_of_recruitment).Bind(f.country_of_exploitation).Bind(f.region)
        .Bind(c.transnational).Bind(Name(c.status)).Bind(Name(c.victim_status))
        .Bind(c.victim_status_on).Bind(c.reflection_start).Bind(c.reflection_end)
        .Bind(Name(c.sex)).Bind(c.citizenship.ToString()).Bind(c.age_at_identification)
        .Bind(c.assigned_to);
    if (c.closure_reason) s.Bind(Name(*c.closure_reason)); else s.BindNull();
    s.Bind(c.duplicate_of).Bind(c.anonymous);
    if (f.child_status) s.Bind(Name(*f.child_status)); else s.BindNull();
    s.Bind(f.best_interests_assessed_on).Bind(c.updated_at);
  }

  Status WriteExploitation(Id case_id, const std::vector<domain::Exploitation>& forms) {
    Stmt d(db_, "DELETE FROM case_exploitation WHERE case_id = ?");
    d.Bind(case_id);
    TRY_STATUS(d.Run());
    for (auto form : forms) {
      Stmt e(db_, "INSERT OR IGNORE INTO case_exploitation(case_id, form) VALUES (?,?)");
      e.Bind(case_id).Bind(Name(form));
      TRY_STATUS(e.Run());
    }
    return {};
  }

  static constexpr std::string_view kCaseCols =
      "id, code, organization_id, person_id, identified_on, identified_by, means_of_control,"
      " recruiter_relation, country_of_recruitment, country_of_exploitation, region,"
      " transnational, status, victim_status, victim_status_on, reflection_start,"
      " reflection_end, sex, citizenship, age_at_identification, created_at, updated_at,"
      " version, (SELECT p.organization_id FROM persons p WHERE p.id = cases.person_id),"
      " assigned_to, closure_reason, duplicate_of, anonymous, child_status, best_interests_on";

  Result<domain::Case> CaseFrom(const Stmt& s) {
    domain::Case c;
    c.id = s.Int(0);
    c.code = s.Text(1);
    c.organization_id = s.Int(2);
    c.fields.organization_id = c.organization_id;
    c.person_id = s.Int(3);
    c.fields.identified_on = s.Date(4);
    c.fields.identified_by = EnumOr(s.Text(5), domain::IdentifiedBy::kOther);
    auto means = nlohmann::json::parse(s.Text(6), nullptr, false);
    if (means.is_array())
      for (const auto& m : means)
        if (m.is_string())
          if (auto e = ParseEnum<domain::MeansOfControl>(m.get<std::string>()))
            c.fields.means_of_control.push_back(*e);
    if (auto r = s.OptText(7)) c.fields.recruiter_relation = ParseEnum<domain::RecruiterRelation>(*r);
    c.fields.country_of_recruitment = s.OptText(8);
    c.fields.country_of_exploitation = s.OptText(9);
    c.fields.region = s.OptText(10);
    c.transnational = s.Int(11) != 0;
    c.fields.transnational = c.transnational;
    c.status = EnumOr(s.Text(12), domain::CaseStatus::kIdentified);
    c.victim_status = EnumOr(s.Text(13), domain::VictimStatus::kPending);
    c.victim_status_on = s.OptDate(14);
    c.reflection_start = s.OptDate(15);
    c.reflection_end = s.OptDate(16);
    c.sex = EnumOr(s.Text(17), domain::Sex::kUnknown);
    c.citizenship = CitizenshipFrom(s.Text(18));
    if (auto a = s.OptInt(19)) c.age_at_identification = static_cast<int>(*a);
    c.created_at = s.Time(20);
    c.updated_at = s.Time(21);
    c.version = s.Int(22);
    c.sealing_organization_id = s.Int(23);
    c.assigned_to = s.OptInt(24);
    if (auto r = s.OptText(25)) c.closure_reason = ParseEnum<domain::ClosureReason>(*r);
    c.duplicate_of = s.OptInt(26);
    c.anonymous = s.Int(27) != 0;
    if (auto cs = s.OptText(28)) c.fields.child_status = ParseEnum<domain::ChildStatus>(*cs);
    c.fields.best_interests_assessed_on = s.OptDate(29);
    Stmt e(db_, "SELECT form FROM case_exploitation WHERE case_id = ?");
    e.Bind(c.id);
    while (true) {
      TRY(bool row, e.Step());
      if (!row) break;
      if (auto form = ParseEnum<domain::Exploitation>(e.Text(0)))
        c.fields.exploitation.push_back(*form);
    }
    std::sort(c.fields.exploitation.begin(), c.fields.exploitation.end());
    return c;
  }

  Result<std::optional<domain::Case>> GetCase(Id id) override {
    Stmt s(db_, fmt::format("SELECT {} FROM cases WHERE id = ?", kCaseCols));
    s.Bind(id);
    TRY(bool row, s.Step());
    if (!row) return std::optional<domain::Case>();
    TRY(auto c, CaseFrom(s));
    return std::optional(std::move(c));
  }

  // The WHERE clause of a case filter (without the cursor) and a binder of its values.
  static std::string CaseWhere(const CaseFilter& f) {
    std::string sql = " WHERE 1=1";
    if (f.organization_id) sql += " AND organization_id = ?";
    if (f.shared_with_organization_id)
      sql += " AND (organization_id = ? OR id IN (SELECT case_id FROM referrals"
             " WHERE to_organization_id = ? AND status IN ('pending', 'accepted')))";
    if (f.code) sql += " AND code = ?";
    if (f.status) sql += " AND status = ?";
    if (f.year) sql += " AND identified_year = ?";
    if (f.assigned_to) sql += " AND assigned_to = ?";
    if (f.unassigned) sql += " AND assigned_to IS NULL";
    if (f.exploitation)
      sql += " AND id IN (SELECT case_id FROM case_exploitation WHERE form = ?)";
    if (f.region) sql += " AND region = ?";
    if (f.age_unknown) sql += " AND age_at_identification IS NULL";
    if (f.min_age) sql += " AND age_at_identification >= ?";
    if (f.max_age) sql += " AND age_at_identification <= ?";
    if (f.ids) {
      sql += " AND id IN (";
      for (std::size_t i = 0; i < f.ids->size(); ++i) sql += i ? ",?" : "?";
      sql += ")";
    }
    return sql;
  }
  static void BindCaseWhere(Stmt& s, const CaseFilter& f) {
    if (f.organization_id) s.Bind(*f.organization_id);
    if (f.shared_with_organization_id)
      s.Bind(*f.shared_with_organization_id).Bind(*f.shared_with_organization_id);
    if (f.code) s.Bind(*f.code);
    if (f.status) s.Bind(Name(*f.status));
    if (f.year) s.Bind(*f.year);
    if (f.assigned_to) s.Bind(*f.assigned_to);
    if (f.exploitation) s.Bind(Name(*f.exploitation));
    if (f.region) s.Bind(*f.region);
    if (f.min_age) s.Bind(*f.min_age);
    if (f.max_age) s.Bind(*f.max_age);
    if (f.ids)
      for (Id id : *f.ids) s.Bind(id);
  }

  Result<std::vector<domain::Case>> ListCases(const CaseFilter& f) override {
    std::string sql = fmt::format("SELECT {} FROM cases{}", kCaseCols, CaseWhere(f));
    if (f.before_id) sql += " AND id < ?";
    sql += " ORDER BY id DESC LIMIT ?";
    Stmt s(db_, sql);
    BindCaseWhere(s, f);
    if (f.before_id) s.Bind(*f.before_id);
    s.Bind(f.limit);
    std::vector<domain::Case> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      TRY(auto c, CaseFrom(s));
      out.push_back(std::move(c));
    }
    return out;
  }

  Result<std::int64_t> CountCases(const CaseFilter& f) override {
    Stmt s(db_, "SELECT count(*) FROM cases" + CaseWhere(f));
    BindCaseWhere(s, f);
    TRY(bool row, s.Step());
    return row ? s.Int(0) : 0;
  }

  Status UpdateCase(const domain::Case& c) override {
    Stmt s(db_,
           "UPDATE cases SET organization_id = ?, identified_on = ?, identified_year = ?,"
           " identified_by = ?, means_of_control = ?, recruiter_relation = ?,"
           " country_of_recruitment = ?, country_of_exploitation = ?, region = ?,"
           " transnational = ?, status = ?, victim_status = ?, victim_status_on = ?,"
           " reflection_start = ?, reflection_end = ?, sex = ?, citizenship = ?,"
           " age_at_identification = ?, assigned_to = ?, closure_reason = ?, duplicate_of = ?,"
           " anonymous = ?, child_status = ?, best_interests_on = ?, updated_at = ?,"
           " version = ? WHERE id = ? AND version = ?");
    BindMutable(s, c);
    s.Bind(c.version).Bind(c.id).Bind(c.version - 1);
    TRY_STATUS(s.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "stale_update",
                  "the case was changed by someone else in the meantime; reload and retry");
    return WriteExploitation(c.id, c.fields.exploitation);
  }

  Result<Id> InsertTransition(const domain::CaseTransition& t,
                              const std::string& sealed_note) override {
    Stmt s(db_,
           "INSERT INTO case_transitions(case_id, from_status, to_status, on_date, user_id, at,"
           " sealed_note) VALUES (?,?,?,?,?,?,?)");
    s.Bind(t.case_id).Bind(Name(t.from)).Bind(Name(t.to)).Bind(t.on).Bind(t.user_id)
        .Bind(t.at).BindBlob(sealed_note);
    TRY_STATUS(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetTransitionNote(Id transition_id, const std::string& sealed_note) override {
    Stmt s(db_, "UPDATE case_transitions SET sealed_note = ? WHERE id = ?");
    s.BindBlob(sealed_note).Bind(transition_id);
    return s.Run();
  }

  Result<std::vector<StoredTransition>> ListTransitions(Id case_id) override {
    Stmt s(db_,
           "SELECT id, case_id, from_status, to_status, on_date, user_id, at, sealed_note"
           " FROM case_transitions WHERE case_id = ? ORDER BY id");
    s.Bind(case_id);
    std::vector<StoredTransition> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      StoredTransition st;
      st.transition.id = s.Int(0);
      st.transition.case_id = s.Int(1);
      st.transition.from = EnumOr(s.Text(2), domain::CaseStatus::kIdentified);
      st.transition.to = EnumOr(s.Text(3), domain::CaseStatus::kIdentified);
      st.transition.on = s.Date(4);
      st.transition.user_id = s.Int(5);
      st.transition.at = s.Time(6);
      st.sealed_note = s.Blob(7);
      out.push_back(std::move(st));
    }
    return out;
  }

  // ---- audit ----
  static constexpr std::string_view kAuditCols =
      "seq, at, actor_user_id, actor_role, actor_organization_id, action, object_type,"
      " object_id, reason, details, request_id, prev_hash, hash";
  static AuditRecord AuditFrom(const Stmt& s) {
    AuditRecord r;
    r.seq = s.Int(0);
    r.at = s.Time(1);
    r.actor_user_id = s.Int(2);
    r.actor_role = s.Text(3);
    r.actor_organization_id = s.Int(4);
    r.action = s.Text(5);
    r.object_type = s.Text(6);
    r.object_id = s.Text(7);
    r.reason = s.Text(8);
    r.details = s.Text(9);
    r.request_id = s.Text(10);
    r.prev_hash = s.Text(11);
    r.hash = s.Text(12);
    return r;
  }

  Result<std::optional<AuditRecord>> LastAudit() override {
    // Writers hold SQLite's write lock (BEGIN IMMEDIATE): the head cannot move.
    Stmt s(db_, fmt::format("SELECT {} FROM audit_log ORDER BY seq DESC LIMIT 1", kAuditCols));
    TRY(bool row, s.Step());
    if (!row) return std::optional<AuditRecord>();
    return std::optional(AuditFrom(s));
  }

  Status AppendAudit(const AuditRecord& r) override {
    Stmt s(db_, fmt::format("INSERT INTO audit_log({}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            kAuditCols));
    s.Bind(r.seq).Bind(r.at).Bind(r.actor_user_id).Bind(r.actor_role)
        .Bind(r.actor_organization_id).Bind(r.action).Bind(r.object_type).Bind(r.object_id)
        .Bind(r.reason).Bind(r.details).Bind(r.request_id).Bind(r.prev_hash).Bind(r.hash);
    TRY_STATUS(s.Run());
    if (!r.case_id) return {};
    Stmt index(db_, "INSERT INTO audit_cases(case_id, seq) VALUES (?,?)");
    index.Bind(*r.case_id).Bind(r.seq);
    return index.Run();
  }

  Result<std::vector<AuditRecord>> AuditOfCase(Id case_id, std::int64_t after_seq,
                                               int limit) override {
    Stmt s(db_, fmt::format("SELECT {} FROM audit_log WHERE seq IN (SELECT seq FROM audit_cases"
                            " WHERE case_id = ? AND seq > ?) ORDER BY seq LIMIT ?",
                            kAuditCols));
    s.Bind(case_id).Bind(after_seq).Bind(limit);
    std::vector<AuditRecord> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(AuditFrom(s));
      out.back().case_id = case_id;
    }
    return out;
  }

  Result<std::vector<AuditRecord>> ListAudit(const AuditFilter& f) override {
    std::string sql = fmt::format("SELECT {} FROM audit_log WHERE seq > ?", kAuditCols);
    const bool prefix = f.action && !f.action->empty() && f.action->back() == '.';
    if (f.before_seq) sql += " AND seq < ?";
    if (f.action) sql += prefix ? " AND substr(action, 1, ?) = ?" : " AND action = ?";
    if (f.actor_user_id) sql += " AND actor_user_id = ?";
    if (f.object_type) sql += " AND object_type = ?";
    if (f.object_id) sql += " AND object_id = ?";
    // Timestamps are written in one fixed RFC 3339 form, so text order is time order.
    if (f.from) sql += " AND at >= ?";
    if (f.to) sql += " AND at < ?";
    sql += f.newest_first ? " ORDER BY seq DESC LIMIT ?" : " ORDER BY seq LIMIT ?";
    Stmt s(db_, sql);
    s.Bind(f.after_seq);
    if (f.before_seq) s.Bind(*f.before_seq);
    if (f.action) {
      if (prefix) s.Bind(static_cast<std::int64_t>(f.action->size()));
      s.Bind(*f.action);
    }
    if (f.actor_user_id) s.Bind(*f.actor_user_id);
    if (f.object_type) s.Bind(*f.object_type);
    if (f.object_id) s.Bind(*f.object_id);
    if (f.from) s.Bind(*f.from);
    if (f.to) s.Bind(*f.to);
    s.Bind(f.limit);
    std::vector<AuditRecord> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(AuditFrom(s));
    }
    return out;
  }

  // ---- idempotency ----
  Result<std::optional<IdempotencyRecord>> FindIdempotency(Id user_id,
                                                           const std::string& key) override {
    Stmt s(db_,
           "SELECT user_id, key, fingerprint, object_type, object_id, created_at"
           " FROM idempotency_keys WHERE user_id = ? AND key = ?");
    s.Bind(user_id).Bind(key);
    TRY(bool row, s.Step());
    if (!row) return std::optional<IdempotencyRecord>();
    return std::optional(
        IdempotencyRecord{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Time(5)});
  }

  Status InsertIdempotency(const IdempotencyRecord& r) override {
    Stmt s(db_,
           "INSERT INTO idempotency_keys(user_id, key, fingerprint, object_type, object_id,"
           " created_at) VALUES (?,?,?,?,?,?)");
    s.Bind(r.user_id).Bind(r.key).Bind(r.fingerprint).Bind(r.object_type).Bind(r.object_id)
        .Bind(r.created_at);
    return s.Run();
  }

 private:
  Pool& pool_;
  sqlite3* db_;
  bool write_ = false;
  bool committed_ = false;
  std::unique_ptr<KeyStore> keys_;
  std::unique_ptr<AssistanceStore> assistance_;
  std::unique_ptr<CoalitionStore> coalition_;
  std::unique_ptr<CaseworkStore> casework_;
  std::unique_ptr<ReportStore> reports_;
  std::unique_ptr<StageStore> stages_;
  std::unique_ptr<PreventionStore> prevention_;
};

// Connections are opened lazily up to the pool size and handed to one
// transaction at a time. Thread-safe.
class Pool {
 public:
  explicit Pool(StoreOptions options) : options_(std::move(options)) {}
  ~Pool() {
    for (sqlite3* db : idle_) sqlite3_close_v2(db);
  }

  Result<sqlite3*> Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < options_.pool_size; });
    if (!idle_.empty()) {
      sqlite3* db = idle_.back();
      idle_.pop_back();
      return db;
    }
    ++open_;
    lock.unlock();
    auto db = OpenConnection(options_.create_if_missing);
    if (!db) {
      std::lock_guard relock(mu_);
      --open_;
      cv_.notify_one();
    }
    return db;
  }

  void Release(sqlite3* db) {
    std::lock_guard lock(mu_);
    idle_.push_back(db);
    cv_.notify_one();
  }

  Result<sqlite3*> OpenConnection(bool create) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(options_.path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close_v2(db);
      return Fail(ErrorCode::kInternal, "database",
                  fmt::format("cannot open database {}: {}", options_.path.string(), msg));
    }
    sqlite3_busy_timeout(db, options_.busy_timeout_ms);
    for (std::string_view pragma :
         {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
          "PRAGMA secure_delete = ON"}) {
      if (auto st = Exec(db, pragma); !st) {
        sqlite3_close_v2(db);
        return std::unexpected(st.error());
      }
    }
    return db;
  }

 private:
  StoreOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<sqlite3*> idle_;  // GUARDED_BY(mu_)
  int open_ = 0;                // GUARDED_BY(mu_)
};

SqliteTransaction::~SqliteTransaction() {
  if (!committed_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  pool_.Release(db_);
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const StoreOptions& options) : pool_(options) {}

  Status Migrate() {
    TRY(sqlite3* db, pool_.Acquire());
    struct Lease {
      Pool& p;
      sqlite3* db;
      ~Lease() { p.Release(db); }
    } lease{pool_, db};
    TRY_STATUS(Exec(db, "BEGIN IMMEDIATE"));
    auto fail = [&](Error e) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return std::unexpected(std::move(e));
    };
    if (auto st = Exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                           "area TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,"
                           " PRIMARY KEY (area, version))");
        !st)
      return fail(st.error());
    int total = 0;
    for (const auto& area : sqlite::MigrationAreas()) {
      int current = 0;
      {
        // Finished before the steps run: an open statement would keep a step from dropping
        // a table.
        Stmt cur(db, "SELECT coalesce(max(version), 0) FROM schema_migrations WHERE area = ?");
        cur.Bind(area.name);
        auto row = cur.Step();
        if (!row) return fail(row.error());
        current = static_cast<int>(cur.Int(0));
      }
      int known = static_cast<int>(area.steps.size());
      if (current > known)
        return fail(Error{ErrorCode::kInternal, "schema_too_new",
                          fmt::format("the database has {} schema version {}, newer than this "
                                      "program knows ({})",
                                      area.name, current, known),
                          {}});
      for (int v = current + 1; v <= known; ++v) {
        if (auto st = Exec(db, area.steps[v - 1]); !st) return fail(st.error());
        Stmt ins(db, "INSERT INTO schema_migrations(area, version, applied_at) VALUES (?,?,?)");
        ins.Bind(area.name).Bind(v).Bind(SystemClock().Now());
        if (auto st = ins.Run(); !st) return fail(st.error());
      }
      total += known;
    }
    TRY_STATUS(Exec(db, "COMMIT"));
    version_ = total;
    return {};
  }

  Result<std::unique_ptr<Transaction>> Begin(bool write) override {
    TRY(sqlite3* db, pool_.Acquire());
    auto tx = std::make_unique<SqliteTransaction>(pool_, db, write);
    TRY_STATUS(tx->Begin());
    return std::unique_ptr<Transaction>(std::move(tx));
  }

  int SchemaVersion() const override { return version_; }

  Status CheckpointAndTruncateLog() override {
    TRY(sqlite3* db, pool_.Acquire());
    int log_frames = 0, moved = 0;
    const int rc =
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &moved);
    pool_.Release(db);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      return Fail(ErrorCode::kConflict, "checkpoint_busy",
                  "a reader kept the write-ahead log from being emptied; try again");
    if (rc != SQLITE_OK)
      return Internal(fmt::format("sqlite checkpoint failed ({})", rc));
    return {};
  }

 private:
  Pool pool_;
  int version_ = 0;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options) {
  if (!options.create_if_missing && !std::filesystem::exists(options.path))
    return Fail(ErrorCode::kNotFound, "database_missing",
                fmt::format("database {} not found", options.path.string()));
  auto store = std::make_unique<SqliteStore>(options);
  TRY_STATUS(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace haven::store
