// SQLite implementation of the "stages" area.

#include <fmt/format.h>

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

using domain::Name;

constexpr std::string_view kV1 = R"sql(
CREATE TABLE support_plans (
  id                INTEGER PRIMARY KEY,
  case_id           INTEGER NOT NULL REFERENCES cases(id),
  revision          INTEGER NOT NULL CHECK (revision > 0),
  assessed_on       TEXT NOT NULL,
  sealed_needs      BLOB NOT NULL,
  sealed_objectives BLOB NOT NULL,
  planned_services  TEXT NOT NULL DEFAULT '[]',
  planned_end_on    TEXT NOT NULL CHECK (planned_end_on >= assessed_on),
  actual_end_on     TEXT CHECK (actual_end_on IS NULL OR actual_end_on >= assessed_on),
  recorded_by       INTEGER NOT NULL,
  created_at        TEXT NOT NULL,
  -- revisions are never overwritten; two writers of the same revision collide here
  UNIQUE (case_id, revision)
);

CREATE TABLE reflection_extensions (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  days          INTEGER NOT NULL CHECK (days > 0),
  decided_on    TEXT NOT NULL,
  sealed_reason BLOB,
  previous_end  TEXT NOT NULL,
  new_end       TEXT NOT NULL CHECK (new_end > previous_end),
  recorded_by   INTEGER NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX reflection_extensions_case ON reflection_extensions(case_id, id);

CREATE TABLE residence_permits (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  permit_type TEXT NOT NULL,
  applied_on  TEXT NOT NULL,
  decision    TEXT NOT NULL,
  decided_on  TEXT CHECK (decided_on IS NULL OR decided_on >= applied_on),
  expires_on  TEXT CHECK (expires_on IS NULL OR expires_on > decided_on),
  recorded_by INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX residence_permits_case ON residence_permits(case_id, id);
CREATE INDEX residence_permits_expiry ON residence_permits(expires_on)
  WHERE decision = 'granted' AND expires_on IS NOT NULL;

CREATE TABLE proceedings (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  cooperating INTEGER NOT NULL CHECK (cooperating IN (0, 1)),
  stage       TEXT NOT NULL,
  started_on  TEXT NOT NULL,
  stage_since TEXT CHECK (stage_since IS NULL OR stage_since >= started_on),
  ended_on    TEXT CHECK (ended_on IS NULL OR ended_on >= started_on),
  recorded_by INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX proceedings_case ON proceedings(case_id, id);

CREATE TABLE compensation_claims (
  id                   INTEGER PRIMARY KEY,
  case_id              INTEGER NOT NULL REFERENCES cases(id),
  route                TEXT NOT NULL,
  amount_claimed_minor INTEGER NOT NULL CHECK (amount_claimed_minor > 0),
  amount_awarded_minor INTEGER CHECK (amount_awarded_minor IS NULL OR amount_awarded_minor > 0),
  currency             TEXT NOT NULL,
  status               TEXT NOT NULL,
  filed_on             TEXT NOT NULL,
  decided_on           TEXT CHECK (decided_on IS NULL OR decided_on >= filed_on),
  paid_on              TEXT CHECK (paid_on IS NULL OR paid_on >= decided_on),
  recorded_by          INTEGER NOT NULL,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);
CREATE INDEX compensation_claims_case ON compensation_claims(case_id, id);

CREATE TABLE returns (
  id                          INTEGER PRIMARY KEY,
  case_id                     INTEGER NOT NULL UNIQUE REFERENCES cases(id),
  voluntary                   INTEGER NOT NULL CHECK (voluntary IN (0, 1)),
  destination_country         TEXT NOT NULL,
  destination_organization_id INTEGER REFERENCES organizations(id),
  returned_on                 TEXT NOT NULL,
  recorded_by                 INTEGER NOT NULL,
  created_at                  TEXT NOT NULL
);

CREATE TABLE follow_ups (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  due_on       TEXT NOT NULL,
  done_on      TEXT,
  outcome      TEXT,
  sealed_notes BLOB,
  recorded_by  INTEGER NOT NULL,
  completed_by INTEGER,
  created_at   TEXT NOT NULL,
  CHECK ((done_on IS NULL) = (outcome IS NULL))
);
CREATE INDEX follow_ups_case ON follow_ups(case_id, id);
CREATE INDEX follow_ups_open ON follow_ups(due_on) WHERE done_on IS NULL;
)sql";

// Permits, proceedings and claims carry a version, so that an update based on an
// older reading is refused instead of silently overwriting a colleague's change.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE residence_permits ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE proceedings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE compensation_claims ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
)sql";

constexpr std::array<std::string_view, 2> kMigrations = {kV1, kV2};

class SqliteStageStore final : public StageStore {
 public:
  Result<std::vector<std::pair<std::string, std::int64_t>>> ProceedingsByStage(int year) override {
    Stmt q(db_,
           "SELECT stage, count(*) FROM proceedings WHERE started_on >= ? AND started_on < ?"
           " GROUP BY stage ORDER BY stage");
    q.Bind(fmt::format("{:04d}-01-01", year)).Bind(fmt::format("{:04d}-01-01", year + 1));
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.emplace_back(q.Text(0), q.Int(1));
    }
    return out;
  }

  Result<std::vector<CompensationTotal>> CompensationTotals(int year) override {
    Stmt q(db_,
           "SELECT currency,"
           " sum(filed_on >= ?1 AND filed_on < ?2),"
           " sum(amount_awarded_minor IS NOT NULL AND decided_on >= ?1 AND decided_on < ?2),"
           " coalesce(sum(CASE WHEN amount_awarded_minor IS NOT NULL AND decided_on >= ?1"
           " AND decided_on < ?2 THEN amount_awarded_minor END), 0)"
           " FROM compensation_claims GROUP BY currency ORDER BY currency");
    q.Bind(fmt::format("{:04d}-01-01", year)).Bind(fmt::format("{:04d}-01-01", year + 1));
    std::vector<CompensationTotal> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      CompensationTotal t{q.Text(0), q.Int(1), q.Int(2), q.Int(3)};
      if (t.claims_filed || t.claims_awarded) out.push_back(t);
    }
    return out;
  }

  explicit SqliteStageStore(sqlite3* db) : db_(db) {}

  // ---- support plans
  Result<domain::Id> InsertSupportPlan(const domain::SupportPlan& p, const std::string& needs,
                                       const std::string& objectives) override {
    Stmt q(db_,
           "INSERT INTO support_plans(case_id, revision, assessed_on, sealed_needs,"
           " sealed_objectives, planned_services, planned_end_on, actual_end_on, recorded_by,"
           " created_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
    nlohmann::json services = nlohmann::json::array();
    for (auto s : p.planned_services) services.push_back(std::string(Name(s)));
    q.Bind(p.case_id).Bind(p.revision).Bind(p.assessed_on).BindBlob(needs).BindBlob(objectives)
        .Bind(services.dump()).Bind(p.planned_end_on).Bind(p.actual_end_on).Bind(p.recorded_by)
        .Bind(p.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static constexpr std::string_view kPlanCols =
      "id, case_id, revision, assessed_on, sealed_needs, sealed_objectives, planned_services,"
      " planned_end_on, actual_end_on, recorded_by, created_at";
  static StoredSupportPlan PlanFrom(const Stmt& q) {
    StoredSupportPlan s;
    auto& p = s.plan;
    p.id = q.Int(0);
    p.case_id = q.Int(1);
    p.revision = static_cast<int>(q.Int(2));
    p.assessed_on = q.Date(3);
    s.sealed_needs = q.Blob(4);
    s.sealed_objectives = q.Blob(5);
    p.planned_services = EnumListFromJson<domain::ServiceType>(q.Text(6));
    p.planned_end_on = q.Date(7);
    p.actual_end_on = q.OptDate(8);
    p.recorded_by = q.Int(9);
    p.created_at = q.Time(10);
    return s;
  }

  Result<std::optional<StoredSupportPlan>> GetSupportPlan(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM support_plans WHERE id = ?", kPlanCols));
    q.Bind(id);
    return One<StoredSupportPlan>(q, PlanFrom);
  }

  Result<std::vector<StoredSupportPlan>> SupportPlansOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM support_plans WHERE case_id = ? ORDER BY revision",
                            kPlanCols));
    q.Bind(case_id);
    return All<StoredSupportPlan>(q, PlanFrom);
  }

  // ---- reflection extensions
  Result<domain::Id> InsertExtension(const domain::ReflectionExtension& e) override {
    Stmt q(db_,
           "INSERT INTO reflection_extensions(case_id, days, decided_on, previous_end, new_end,"
           " recorded_by, created_at) VALUES (?,?,?,?,?,?,?)");
    q.Bind(e.case_id).Bind(e.days).Bind(e.decided_on).Bind(e.previous_end).Bind(e.new_end)
        .Bind(e.recorded_by).Bind(e.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetExtensionReason(domain::Id id, const std::string& sealed) override {
    Stmt q(db_, "UPDATE reflection_extensions SET sealed_reason = ? WHERE id = ?");
    BindSealed(q, sealed);
    q.Bind(id);
    return q.Run();
  }

  static constexpr std::string_view kExtensionCols =
      "id, case_id, days, decided_on, sealed_reason, previous_end, new_end, recorded_by,"
      " created_at";
  static StoredExtension ExtensionFrom(const Stmt& q) {
    StoredExtension s;
    auto& e = s.extension;
    e.id = q.Int(0);
    e.case_id = q.Int(1);
    e.days = static_cast<int>(q.Int(2));
    e.decided_on = q.Date(3);
    s.sealed_reason = q.Blob(4);
    e.previous_end = q.Date(5);
    e.new_end = q.Date(6);
    e.recorded_by = q.Int(7);
    e.created_at = q.Time(8);
    return s;
  }

  Result<std::optional<StoredExtension>> GetExtension(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM reflection_extensions WHERE id = ?", kExtensionCols));
    q.Bind(id);
    return One<StoredExtension>(q, ExtensionFrom);
  }

  Result<std::vector<StoredExtension>> ExtensionsOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM reflection_extensions WHERE case_id = ? ORDER BY id",
                            kExtensionCols));
    q.Bind(case_id);
    return All<StoredExtension>(q, ExtensionFrom);
  }

  // ---- residence permits
  Result<domain::Id> InsertPermit(const domain::ResidencePermit& p) override {
    Stmt q(db_,
           "INSERT INTO residence_permits(case_id, permit_type, applied_on, decision, decided_on,"
           " expires_on, recorded_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)");
    q.Bind(p.case_id).Bind(Name(p.permit_type)).Bind(p.applied_on).Bind(Name(p.decision))
        .Bind(p.decided_on).Bind(p.expires_on).Bind(p.recorded_by).Bind(p.created_at)
        .Bind(p.updated_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status UpdatePermit(const domain::ResidencePermit& p) override {
    Stmt q(db_,
           "UPDATE residence_permits SET permit_type = ?, applied_on = ?, decision = ?,"
           " decided_on = ?, expires_on = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?");
    q.Bind(Name(p.permit_type)).Bind(p.applied_on).Bind(Name(p.decision)).Bind(p.decided_on)
        .Bind(p.expires_on).Bind(p.updated_at).Bind(p.version).Bind(p.id).Bind(p.version - 1);
    return RunVersioned(q, "residence permit");
  }

  static constexpr std::string_view kPermitCols =
      "id, case_id, permit_type, applied_on, decision, decided_on, expires_on, recorded_by,"
      " created_at, updated_at, version";
  static domain::ResidencePermit PermitFrom(const Stmt& q) {
    domain::ResidencePermit p;
    p.id = q.Int(0);
    p.case_id = q.Int(1);
    p.permit_type = EnumOr(q.Text(2), domain::PermitType::kOther);
    p.applied_on = q.Date(3);
    p.decision = EnumOr(q.Text(4), domain::PermitDecision::kPending);
    p.decided_on = q.OptDate(5);
    p.expires_on = q.OptDate(6);
    p.recorded_by = q.Int(7);
    p.created_at = q.Time(8);
    p.updated_at = q.Time(9);
    p.version = static_cast<int>(q.Int(10));
    return p;
  }

  Result<std::optional<domain::ResidencePermit>> GetPermit(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM residence_permits WHERE id = ?", kPermitCols));
    q.Bind(id);
    return One<domain::ResidencePermit>(q, PermitFrom);
  }

  Result<std::vector<domain::ResidencePermit>> PermitsOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM residence_permits WHERE case_id = ? ORDER BY id",
                            kPermitCols));
    q.Bind(case_id);
    return All<domain::ResidencePermit>(q, PermitFrom);
  }

  // ---- proceedings
  Result<domain::Id> InsertProceeding(const domain::Proceeding& p) override {
    Stmt q(db_,
           "INSERT INTO proceedings(case_id, cooperating, stage, started_on, stage_since,"
           " ended_on, recorded_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)");
    q.Bind(p.case_id).Bind(p.cooperating).Bind(Name(p.stage)).Bind(p.started_on)
        .Bind(p.stage_since).Bind(p.ended_on).Bind(p.recorded_by).Bind(p.created_at)
        .Bind(p.updated_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status UpdateProceeding(const domain::Proceeding& p) override {
    Stmt q(db_,
           "UPDATE proceedings SET cooperating = ?, stage = ?, started_on = ?, stage_since = ?,"
           " ended_on = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?");
    q.Bind(p.cooperating).Bind(Name(p.stage)).Bind(p.started_on).Bind(p.stage_since)
        .Bind(p.ended_on).Bind(p.updated_at).Bind(p.version).Bind(p.id).Bind(p.version - 1);
    return RunVersioned(q, "proceeding");
  }

  static constexpr std::string_view kProceedingCols =
      "id, case_id, cooperating, stage, started_on, stage_since, ended_on, recorded_by,"
      " created_at, updated_at, version";
  static domain::Proceeding ProceedingFrom(const Stmt& q) {
    domain::Proceeding p;
    p.id = q.Int(0);
    p.case_id = q.Int(1);
    p.cooperating = q.Int(2) != 0;
    p.stage = EnumOr(q.Text(3), domain::ProceedingStage::kInvestigation);
    p.started_on = q.Date(4);
    p.stage_since = q.OptDate(5);
    p.ended_on = q.OptDate(6);
    p.recorded_by = q.Int(7);
    p.created_at = q.Time(8);
    p.updated_at = q.Time(9);
    p.version = static_cast<int>(q.Int(10));
    return p;
  }

  Result<std::optional<domain::Proceeding>> GetProceeding(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM proceedings WHERE id = ?", kProceedingCols));
    q.Bind(id);
    return One<domain::Proceeding>(q, ProceedingFrom);
  }

  Result<std::vector<domain::Proceeding>> ProceedingsOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM proceedings WHERE case_id = ? ORDER BY id",
                            kProceedingCols));
    q.Bind(case_id);
    return All<domain::Proceeding>(q, ProceedingFrom);
  }

  // ---- compensation claims
  Result<domain::Id> InsertClaim(const domain::CompensationClaim& c) override {
    Stmt q(db_,
           "INSERT INTO compensation_claims(case_id, route, amount_claimed_minor,"
           " amount_awarded_minor, currency, status, filed_on, decided_on, paid_on, recorded_by,"
           " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    q.Bind(c.case_id).Bind(Name(c.route)).Bind(c.amount_claimed_minor)
        .Bind(c.amount_awarded_minor).Bind(c.currency).Bind(Name(c.status)).Bind(c.filed_on)
        .Bind(c.decided_on).Bind(c.paid_on).Bind(c.recorded_by).Bind(c.created_at)
        .Bind(c.updated_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status UpdateClaim(const domain::CompensationClaim& c) override {
    Stmt q(db_,
           "UPDATE compensation_claims SET route = ?, amount_claimed_minor = ?,"
           " amount_awarded_minor = ?, currency = ?, status = ?, filed_on = ?, decided_on = ?,"
           " paid_on = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?");
    q.Bind(Name(c.route)).Bind(c.amount_claimed_minor).Bind(c.amount_awarded_minor)
        .Bind(c.currency).Bind(Name(c.status)).Bind(c.filed_on).Bind(c.decided_on)
        .Bind(c.paid_on).Bind(c.updated_at).Bind(c.version).Bind(c.id).Bind(c.version - 1);
    return RunVersioned(q, "compensation claim");
  }

  static constexpr std::string_view kClaimCols =
      "id, case_id, route, amount_claimed_minor, amount_awarded_minor, currency, status,"
      " filed_on, decided_on, paid_on, recorded_by, created_at, updated_at, version";
  static domain::CompensationClaim ClaimFrom(const Stmt& q) {
    domain::CompensationClaim c;
    c.id = q.Int(0);
    c.case_id = q.Int(1);
    c.route = EnumOr(q.Text(2), domain::CompensationRoute::kOther);
    c.amount_claimed_minor = q.Int(3);
    c.amount_awarded_minor = q.OptInt(4);
    c.currency = q.Text(5);
    c.status = EnumOr(q.Text(6), domain::ClaimStatus::kFiled);
    c.filed_on = q.Date(7);
    c.decided_on = q.OptDate(8);
    c.paid_on = q.OptDate(9);
    c.recorded_by = q.Int(10);
    c.created_at = q.Time(11);
    c.updated_at = q.Time(12);
    c.version = static_cast<int>(q.Int(13));
    return c;
  }

  Result<std::optional<domain::CompensationClaim>> GetClaim(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM compensation_claims WHERE id = ?", kClaimCols));
    q.Bind(id);
    return One<domain::CompensationClaim>(q, ClaimFrom);
  }

  Result<std::vector<domain::CompensationClaim>> ClaimsOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM compensation_claims WHERE case_id = ? ORDER BY id",
                            kClaimCols));
    q.Bind(case_id);
    return All<domain::CompensationClaim>(q, ClaimFrom);
  }

  // ---- return
  Result<domain::Id> InsertReturn(const domain::Return& r) override {
    Stmt q(db_,
           "INSERT INTO returns(case_id, voluntary, destination_country,"
           " destination_organization_id, returned_on, recorded_by, created_at)"
           " VALUES (?,?,?,?,?,?,?)");
    q.Bind(r.case_id).Bind(r.voluntary).Bind(r.destination_country)
        .Bind(r.destination_organization_id).Bind(r.returned_on).Bind(r.recorded_by)
        .Bind(r.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static constexpr std::string_view kReturnCols =
      "id, case_id, voluntary, destination_country, destination_organization_id, returned_on,"
      " recorded_by, created_at";
  static domain::Return ReturnFrom(const Stmt& q) {
    domain::Return r;
    r.id = q.Int(0);
    r.case_id = q.Int(1);
    r.voluntary = q.Int(2) != 0;
    r.destination_country = q.Text(3);
    r.destination_organization_id = q.OptInt(4);
    r.returned_on = q.Date(5);
    r.recorded_by = q.Int(6);
    r.created_at = q.Time(7);
    return r;
  }

  Result<std::optional<domain::Return>> GetReturn(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM returns WHERE id = ?", kReturnCols));
    q.Bind(id);
    return One<domain::Return>(q, ReturnFrom);
  }

  Result<std::vector<domain::Return>> ReturnsOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM returns WHERE case_id = ? ORDER BY id", kReturnCols));
    q.Bind(case_id);
    return All<domain::Return>(q, ReturnFrom);
  }

  // ---- follow-ups
  Result<domain::Id> InsertFollowUp(const domain::FollowUp& f) override {
    Stmt q(db_, "INSERT INTO follow_ups(case_id, due_on, recorded_by, created_at) VALUES (?,?,?,?)");
    q.Bind(f.case_id).Bind(f.due_on).Bind(f.recorded_by).Bind(f.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status CompleteFollowUp(domain::Id id, const domain::Date& done_on,
                          domain::FollowUpOutcome outcome, const std::string& sealed_notes,
                          domain::Id completed_by) override {
    Stmt q(db_,
           "UPDATE follow_ups SET done_on = ?, outcome = ?, sealed_notes = ?, completed_by = ?"
           " WHERE id = ? AND done_on IS NULL");
    q.Bind(done_on).Bind(Name(outcome));
    BindSealed(q, sealed_notes);
    q.Bind(completed_by).Bind(id);
    TRY_STATUS(q.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "already_done", "this follow-up is already done");
    return {};
  }

  static constexpr std::string_view kFollowUpCols =
      "id, case_id, due_on, done_on, outcome, sealed_notes, recorded_by, completed_by,"
      " created_at";
  static StoredFollowUp FollowUpFrom(const Stmt& q) {
    StoredFollowUp s;
    auto& f = s.follow_up;
    f.id = q.Int(0);
    f.case_id = q.Int(1);
    f.due_on = q.Date(2);
    f.done_on = q.OptDate(3);
    if (auto o = q.OptText(4)) f.outcome = domain::ParseEnum<domain::FollowUpOutcome>(*o);
    s.sealed_notes = q.Blob(5);
    f.recorded_by = q.Int(6);
    f.completed_by = q.OptInt(7);
    f.created_at = q.Time(8);
    return s;
  }

  Result<std::optional<StoredFollowUp>> GetFollowUp(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM follow_ups WHERE id = ?", kFollowUpCols));
    q.Bind(id);
    return One<StoredFollowUp>(q, FollowUpFrom);
  }

  Result<std::vector<StoredFollowUp>> FollowUpsOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM follow_ups WHERE case_id = ? ORDER BY due_on, id",
                            kFollowUpCols));
    q.Bind(case_id);
    return All<StoredFollowUp>(q, FollowUpFrom);
  }

  // ---- reminders
  static DueItem DueFrom(const Stmt& q) { return {q.Int(0), q.Text(1), q.Date(2)}; }

  Result<std::vector<DueItem>> FollowUpsDue(domain::Id organization_id,
                                            const domain::Date& horizon) override {
    Stmt q(db_,
           "SELECT c.id, c.code, f.due_on FROM follow_ups f JOIN cases c ON c.id = f.case_id"
           " WHERE f.done_on IS NULL AND f.due_on <= ? AND c.organization_id = ?"
           " AND c.status <> 'closed' ORDER BY f.due_on, f.id");
    q.Bind(horizon).Bind(organization_id);
    return All<DueItem>(q, DueFrom);
  }

  Result<std::vector<DueItem>> SupportPlansEndPassed(domain::Id organization_id,
                                                     const domain::Date& today) override {
    Stmt q(db_,
           "SELECT c.id, c.code, p.planned_end_on FROM support_plans p"
           " JOIN cases c ON c.id = p.case_id"
           " WHERE p.revision = (SELECT max(revision) FROM support_plans x"
           "                     WHERE x.case_id = p.case_id)"
           " AND p.actual_end_on IS NULL AND p.planned_end_on < ? AND c.organization_id = ?"
           " AND c.status <> 'closed' ORDER BY p.planned_end_on, c.id");
    q.Bind(today).Bind(organization_id);
    return All<DueItem>(q, DueFrom);
  }

  Result<std::vector<DueItem>> PermitsExpiring(domain::Id organization_id,
                                               const domain::Date& horizon) override {
    // A renewal is a later permit of the same case; the older one no longer
    // needs attention.
    Stmt q(db_,
           "SELECT c.id, c.code, p.expires_on FROM residence_permits p"
           " JOIN cases c ON c.id = p.case_id"
           " WHERE p.decision = 'granted' AND p.expires_on IS NOT NULL AND p.expires_on <= ?"
           " AND c.organization_id = ? AND c.status <> 'closed'"
           " AND NOT EXISTS (SELECT 1 FROM residence_permits o WHERE o.case_id = p.case_id"
           "   AND o.id <> p.id AND o.decision = 'granted'"
           "   AND (o.expires_on IS NULL OR o.expires_on > p.expires_on))"
           " ORDER BY p.expires_on, c.id");
    q.Bind(horizon).Bind(organization_id);
    return All<DueItem>(q, DueFrom);
  }

 private:
  // Runs an UPDATE that must change exactly one row.
  // An update of a versioned record: `version - 1` must be the stored version, so that
  // a change made in between is never overwritten, whatever the transaction isolation.
  Status RunVersioned(Stmt& q, std::string_view what) {
    TRY_STATUS(q.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "stale_update",
                  fmt::format("the {} was changed by someone else in the meantime; reload it "
                              "and apply your changes again",
                              what),
                  "version");
    return {};
  }

  Status RunOne(Stmt& q, std::string_view what) {
    TRY_STATUS(q.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kNotFound, "not_found", fmt::format("no such {}", what));
    return {};
  }

  sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> StageMigrations() { return kMigrations; }

std::unique_ptr<StageStore> MakeStageStore(sqlite3* db) {
  return std::make_unique<SqliteStageStore>(db);
}

}  // namespace haven::store::sqlite
