// SQLite implementation of the "assistance" area.

#include <fmt/format.h>

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

using domain::Name;

constexpr std::string_view kV1 = R"sql(
CREATE TABLE shelters (
  id              INTEGER PRIMARY KEY,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  name            TEXT NOT NULL,
  region          TEXT NOT NULL,
  capacity        INTEGER NOT NULL CHECK (capacity > 0),
  family_rooms    INTEGER NOT NULL DEFAULT 0,
  child_places    INTEGER NOT NULL DEFAULT 0,
  sealed_address  BLOB,
  created_at      TEXT NOT NULL,
  UNIQUE (organization_id, name)
);

CREATE TABLE stays (
  id               INTEGER PRIMARY KEY,
  shelter_id       INTEGER NOT NULL REFERENCES shelters(id),
  case_id          INTEGER NOT NULL REFERENCES cases(id),
  admitted_on      TEXT NOT NULL,
  discharged_on    TEXT,
  discharge_reason TEXT,
  created_at       TEXT NOT NULL,
  CHECK (discharged_on IS NULL OR discharged_on >= admitted_on)
);
CREATE INDEX stays_shelter_open ON stays(shelter_id) WHERE discharged_on IS NULL;
-- A person is in at most one shelter at a time.
CREATE UNIQUE INDEX stays_case_open ON stays(case_id) WHERE discharged_on IS NULL;

CREATE TABLE services (
  id                       INTEGER PRIMARY KEY,
  case_id                  INTEGER NOT NULL REFERENCES cases(id),
  type                     TEXT NOT NULL,
  provider_organization_id INTEGER NOT NULL REFERENCES organizations(id),
  delivered_on             TEXT NOT NULL,
  quantity                 REAL,
  unit                     TEXT,
  duration_minutes         INTEGER,
  outcome                  TEXT,
  sealed_notes             BLOB,
  recorded_by              INTEGER NOT NULL,
  created_at               TEXT NOT NULL
);
CREATE INDEX services_case ON services(case_id, id);
CREATE INDEX services_type_date ON services(type, delivered_on);

CREATE TABLE identification_decisions (
  id                INTEGER PRIMARY KEY,
  case_id           INTEGER NOT NULL REFERENCES cases(id),
  decision          TEXT NOT NULL,
  decided_on        TEXT NOT NULL,
  deciding_body     TEXT NOT NULL,
  sealed_reasons    BLOB,
  appeal_filed_on   TEXT,
  appeal_outcome    TEXT,
  appeal_decided_on TEXT,
  recorded_by       INTEGER NOT NULL,
  created_at        TEXT NOT NULL
);
CREATE INDEX identification_decisions_case ON identification_decisions(case_id, id);

CREATE TABLE allowance_rates (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
  currency       TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  UNIQUE (kind, effective_from)
);

CREATE TABLE payments (
  id              INTEGER PRIMARY KEY,
  case_id         INTEGER NOT NULL REFERENCES cases(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  kind            TEXT NOT NULL,
  paid_on         TEXT NOT NULL,
  amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
  currency        TEXT NOT NULL,
  rate_id         INTEGER NOT NULL REFERENCES allowance_rates(id),
  status          TEXT NOT NULL,
  requested_by    INTEGER NOT NULL,
  approved_by     INTEGER,
  approved_at     TEXT,
  created_at      TEXT NOT NULL,
  -- one payment of a kind per case and date: a second request is a double payment
  UNIQUE (case_id, kind, paid_on)
);
CREATE INDEX payments_case ON payments(case_id, id);
CREATE INDEX payments_date ON payments(paid_on);
)sql";

// Free text of services and decisions is sealed (one JSON object per record); the
// clear columns stay for rows written before, until the app seals them.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE services ADD COLUMN sealed_text BLOB;
ALTER TABLE identification_decisions ADD COLUMN sealed_text BLOB;
)sql";

// One allowance of a kind per case and period (a month by default), whatever the day;
// payments can be rejected or cancelled, and stay in the ledger. The table is rebuilt
// to drop the old per-day uniqueness. Rows from before keep their day as their period
// when another payment of the same kind already took their month, so that the history
// stays as it was; such a row still awaiting approval is cancelled.
constexpr std::string_view kV3 = R"sql(
ALTER TABLE allowance_rates ADD COLUMN period TEXT NOT NULL DEFAULT 'month';
CREATE TABLE payments_v3 (
  id              INTEGER PRIMARY KEY,
  case_id         INTEGER NOT NULL REFERENCES cases(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  kind            TEXT NOT NULL,
  paid_on         TEXT NOT NULL,
  period          TEXT NOT NULL,
  amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
  currency        TEXT NOT NULL,
  rate_id         INTEGER NOT NULL REFERENCES allowance_rates(id),
  status          TEXT NOT NULL,
  requested_by    INTEGER NOT NULL,
  approved_by     INTEGER,
  approved_at     TEXT,
  created_at      TEXT NOT NULL,
  decided_by      INTEGER,
  decided_at      TEXT,
  sealed_reason   BLOB
);
INSERT INTO payments_v3(id, case_id, organization_id, kind, paid_on, period, amount_minor,
                        currency, rate_id, status, requested_by, approved_by, approved_at,
                        created_at)
  SELECT id, case_id, organization_id, kind, paid_on, paid_on, amount_minor, currency, rate_id,
         status, requested_by, approved_by, approved_at, created_at FROM payments;
UPDATE payments_v3 SET period = substr(paid_on, 1, 7)
 WHERE id IN (SELECT min(id) FROM payments_v3 GROUP BY case_id, kind, substr(paid_on, 1, 7));
-- A second request of a month still awaiting approval would pay the month twice: it is
-- cancelled (by the system, without a reason; the ledger keeps it).
UPDATE payments_v3 SET status = 'cancelled', decided_at = created_at
 WHERE status = 'pending_approval' AND length(period) = 10;
DROP TABLE payments;
ALTER TABLE payments_v3 RENAME TO payments;
CREATE INDEX payments_case ON payments(case_id, id);
CREATE INDEX payments_date ON payments(paid_on);
-- A second allowance of a kind for the same period is a double payment.
CREATE UNIQUE INDEX payments_once_per_period ON payments(case_id, kind, period)
  WHERE status IN ('pending_approval', 'approved');
)sql";

constexpr std::array<std::string_view, 3> kMigrations = {kV1, kV2, kV3};

class SqliteAssistanceStore final : public AssistanceStore {
 public:
  explicit SqliteAssistanceStore(sqlite3* db) : db_(db) {}

  // ---- shelters
  Result<domain::Id> InsertShelter(const domain::Shelter& s) override {
    Stmt q(db_,
           "INSERT INTO shelters(organization_id, name, region, capacity, family_rooms,"
           " child_places, created_at) VALUES (?,?,?,?,?,?,?)");
    q.Bind(s.organization_id).Bind(s.name).Bind(s.region).Bind(s.capacity).Bind(s.family_rooms)
        .Bind(s.child_places).Bind(s.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetShelterAddress(domain::Id id, const std::string& sealed) override {
    Stmt q(db_, "UPDATE shelters SET sealed_address = ? WHERE id = ?");
    q.BindBlob(sealed).Bind(id);
    return q.Run();
  }

  static constexpr std::string_view kShelterCols =
      "id, organization_id, name, region, capacity, family_rooms, child_places, sealed_address,"
      " created_at";
  static StoredShelter ShelterFrom(const Stmt& q) {
    StoredShelter s;
    s.shelter.id = q.Int(0);
    s.shelter.organization_id = q.Int(1);
    s.shelter.name = q.Text(2);
    s.shelter.region = q.Text(3);
    s.shelter.capacity = static_cast<int>(q.Int(4));
    s.shelter.family_rooms = static_cast<int>(q.Int(5));
    s.shelter.child_places = static_cast<int>(q.Int(6));
    s.sealed_address = q.Blob(7);
    s.shelter.created_at = q.Time(8);
    return s;
  }

  Result<std::optional<StoredShelter>> GetShelter(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM shelters WHERE id = ?", kShelterCols));
    q.Bind(id);
    TRY(bool row, q.Step());
    if (!row) return std::optional<StoredShelter>();
    return std::optional(ShelterFrom(q));
  }

  Result<std::vector<StoredShelter>> ListShelters(domain::Id after_id, int limit) override {
    Stmt q(db_, fmt::format("SELECT {} FROM shelters WHERE id > ? ORDER BY id LIMIT ?",
                            kShelterCols));
    q.Bind(after_id).Bind(limit);
    std::vector<StoredShelter> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.push_back(ShelterFrom(q));
    }
    return out;
  }

  Result<int> Occupied(domain::Id shelter_id) override {
    Stmt q(db_, "SELECT count(*) FROM stays WHERE shelter_id = ? AND discharged_on IS NULL");
    q.Bind(shelter_id);
    TRY(bool row, q.Step());
    (void)row;
    return static_cast<int>(q.Int(0));
  }

  Result<std::vector<OccupancyPoint>> Occupancy(domain::Id shelter_id, const domain::Date& from,
                                                const domain::Date& to) override {
    // One row per day: stays that began on or before it and had not ended by it.
    Stmt q(db_,
           "WITH RECURSIVE days(d) AS (SELECT ? UNION ALL SELECT date(d, '+1 day') FROM days"
           " WHERE d < ?)"
           " SELECT d, (SELECT count(*) FROM stays s WHERE s.shelter_id = ? AND s.admitted_on <= d"
           " AND (s.discharged_on IS NULL OR s.discharged_on > d)) FROM days");
    q.Bind(from).Bind(to).Bind(shelter_id);
    std::vector<OccupancyPoint> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.push_back({q.Date(0), static_cast<int>(q.Int(1))});
    }
    return out;
  }

  // ---- stays
  Result<domain::Id> InsertStay(const domain::Stay& s) override {
    Stmt q(db_, "INSERT INTO stays(shelter_id, case_id, admitted_on, created_at) VALUES (?,?,?,?)");
    q.Bind(s.shelter_id).Bind(s.case_id).Bind(s.admitted_on).Bind(s.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static constexpr std::string_view kStayCols =
      "id, shelter_id, case_id, admitted_on, discharged_on, discharge_reason, created_at";
  static domain::Stay StayFrom(const Stmt& q) {
    domain::Stay s;
    s.id = q.Int(0);
    s.shelter_id = q.Int(1);
    s.case_id = q.Int(2);
    s.admitted_on = q.Date(3);
    s.discharged_on = q.OptDate(4);
    if (auto r = q.OptText(5)) s.discharge_reason = domain::ParseEnum<domain::DischargeReason>(*r);
    s.created_at = q.Time(6);
    return s;
  }

  Result<std::optional<domain::Stay>> GetStay(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM stays WHERE id = ?", kStayCols));
    q.Bind(id);
    TRY(bool row, q.Step());
    if (!row) return std::optional<domain::Stay>();
    return std::optional(StayFrom(q));
  }

  Result<std::optional<domain::Stay>> OpenStayOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM stays WHERE case_id = ? AND discharged_on IS NULL",
                            kStayCols));
    q.Bind(case_id);
    TRY(bool row, q.Step());
    if (!row) return std::optional<domain::Stay>();
    return std::optional(StayFrom(q));
  }

  // Every stay a bound query selects.
  static Result<std::vector<domain::Stay>> StaysOf(Stmt& q) {
    std::vector<domain::Stay> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.push_back(StayFrom(q));
    }
    return out;
  }

  Result<std::vector<domain::Stay>> StaysOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM stays WHERE case_id = ? ORDER BY id", kStayCols));
    q.Bind(case_id);
    return StaysOf(q);
  }

  Result<std::vector<domain::Stay>> OpenStaysOfShelter(domain::Id shelter_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM stays WHERE shelter_id = ? AND discharged_on IS NULL"
                            " ORDER BY admitted_on, id",
                            kStayCols));
    q.Bind(shelter_id);
    return StaysOf(q);
  }

  Status DischargeStay(domain::Id id, const domain::Date& on,
                       domain::DischargeReason reason) override {
    Stmt q(db_,
           "UPDATE stays SET discharged_on = ?, discharge_reason = ? WHERE id = ? AND"
           " discharged_on IS NULL");
    q.Bind(on).Bind(Name(reason)).Bind(id);
    TRY_STATUS(q.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "already_discharged", "this stay has already ended");
    return {};
  }

  // ---- services
  Result<domain::Id> InsertService(const domain::Service& s, const std::string& sealed) override {
    Stmt q(db_,
           "INSERT INTO services(case_id, type, provider_organization_id, delivered_on, quantity,"
           " unit, duration_minutes, outcome, sealed_notes, recorded_by, created_at)"
           " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    q.Bind(s.case_id).Bind(Name(s.type)).Bind(s.provider_organization_id).Bind(s.delivered_on);
    if (s.quantity) q.Bind(*s.quantity); else q.BindNull();
    // unit and outcome are sealed afterwards (SetServiceText), never written here.
    q.BindNull().Bind(s.duration_minutes).BindNull();
    if (sealed.empty()) q.BindNull(); else q.BindBlob(sealed);
    q.Bind(s.recorded_by).Bind(s.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static constexpr std::string_view kServiceCols =
      "id, case_id, type, provider_organization_id, delivered_on, quantity, unit,"
      " duration_minutes, outcome, sealed_notes, recorded_by, created_at, sealed_text";
  static StoredService ServiceFrom(const Stmt& q) {
    StoredService s;
    s.service.id = q.Int(0);
    s.service.case_id = q.Int(1);
    s.service.type = EnumOr(q.Text(2), domain::ServiceType::kOther);
    s.service.provider_organization_id = q.Int(3);
    s.service.delivered_on = q.Date(4);
    if (!q.IsNull(5)) s.service.quantity = q.Double(5);
    s.service.unit = q.OptText(6);
    if (auto d = q.OptInt(7)) s.service.duration_minutes = static_cast<int>(*d);
    s.service.outcome = q.OptText(8);
    s.sealed_notes = q.Blob(9);
    s.service.recorded_by = q.Int(10);
    s.service.created_at = q.Time(11);
    s.sealed_text = q.Blob(12);
    return s;
  }

  Result<std::vector<StoredService>> ServicesOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM services WHERE case_id = ? ORDER BY delivered_on, id",
                            kServiceCols));
    q.Bind(case_id);
    return All<StoredService>(q, ServiceFrom);
  }

  Status SetServiceNotes(domain::Id id, const std::string& sealed_notes) override {
    Stmt q(db_, "UPDATE services SET sealed_notes = ? WHERE id = ?");
    q.BindBlob(sealed_notes).Bind(id);
    return q.Run();
  }

  Status SetDecisionReasons(domain::Id id, const std::string& sealed_reasons) override {
    Stmt q(db_, "UPDATE identification_decisions SET sealed_reasons = ? WHERE id = ?");
    q.BindBlob(sealed_reasons).Bind(id);
    return q.Run();
  }

  Status SetServiceText(domain::Id id, const std::string& sealed_text) override {
    Stmt q(db_, "UPDATE services SET sealed_text = ?, unit = NULL, outcome = NULL WHERE id = ?");
    q.BindBlob(sealed_text).Bind(id);
    return q.Run();
  }

  Result<std::vector<StoredService>> ServicesWithClearText() override {
    Stmt q(db_, fmt::format("SELECT {} FROM services WHERE unit IS NOT NULL OR outcome IS NOT"
                            " NULL ORDER BY id",
                            kServiceCols));
    return All<StoredService>(q, ServiceFrom);
  }

  // ---- identification decisions
  Result<domain::Id> InsertDecision(const domain::IdentificationDecision& d,
                                    const std::string& sealed) override {
    Stmt q(db_,
           "INSERT INTO identification_decisions(case_id, decision, decided_on, deciding_body,"
           " sealed_reasons, appeal_filed_on, appeal_outcome, appeal_decided_on, recorded_by,"
           " created_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
    // The deciding body is sealed afterwards (SetDecisionText), never written here.
    q.Bind(d.case_id).Bind(Name(d.decision)).Bind(d.decided_on).Bind("");
    if (sealed.empty()) q.BindNull(); else q.BindBlob(sealed);
    q.Bind(d.appeal_filed_on);
    if (d.appeal_outcome) q.Bind(Name(*d.appeal_outcome)); else q.BindNull();
    q.Bind(d.appeal_decided_on).Bind(d.recorded_by).Bind(d.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static constexpr std::string_view kDecisionCols =
      "id, case_id, decision, decided_on, deciding_body, sealed_reasons, appeal_filed_on,"
      " appeal_outcome, appeal_decided_on, recorded_by, created_at, sealed_text";
  static StoredDecision DecisionFrom(const Stmt& q) {
    StoredDecision s;
    auto& d = s.decision;
    d.id = q.Int(0);
    d.case_id = q.Int(1);
    d.decision = EnumOr(q.Text(2), domain::VictimStatus::kPending);
    d.decided_on = q.Date(3);
    d.deciding_body = q.Text(4);
    s.sealed_reasons = q.Blob(5);
    d.appeal_filed_on = q.OptDate(6);
    if (auto o = q.OptText(7)) d.appeal_outcome = domain::ParseEnum<domain::VictimStatus>(*o);
    d.appeal_decided_on = q.OptDate(8);
    d.recorded_by = q.Int(9);
    d.created_at = q.Time(10);
    s.sealed_text = q.Blob(11);
    return s;
  }

  Result<std::vector<StoredDecision>> DecisionsOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM identification_decisions WHERE case_id = ? ORDER BY id",
                            kDecisionCols));
    q.Bind(case_id);
    return All<StoredDecision>(q, DecisionFrom);
  }

  Status SetDecisionText(domain::Id id, const std::string& sealed_text) override {
    Stmt q(db_,
           "UPDATE identification_decisions SET sealed_text = ?, deciding_body = '' WHERE id = ?");
    q.BindBlob(sealed_text).Bind(id);
    return q.Run();
  }

  Result<std::vector<StoredDecision>> DecisionsWithClearText() override {
    Stmt q(db_, fmt::format("SELECT {} FROM identification_decisions WHERE deciding_body <> ''"
                            " ORDER BY id",
                            kDecisionCols));
    return All<StoredDecision>(q, DecisionFrom);
  }

  // ---- statistics
  Result<std::vector<ServiceTotal>> ServiceTotals(int year) override {
    Stmt q(db_,
           "SELECT type, count(*), count(DISTINCT case_id) FROM services"
           " WHERE delivered_on >= ? AND delivered_on < ? GROUP BY type ORDER BY type");
    q.Bind(fmt::format("{:04d}-01-01", year)).Bind(fmt::format("{:04d}-01-01", year + 1));
    std::vector<ServiceTotal> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.push_back({EnumOr(q.Text(0), domain::ServiceType::kOther), q.Int(1), q.Int(2)});
    }
    return out;
  }

  Result<StayTotals> StayTotalsOf(int year) override {
    // A stay open today counts its nights up to the end of the year at most;
    // bed-days are nights, so a stay admitted and discharged the same day has none.
    Stmt q(db_,
           "SELECT coalesce(sum(admitted_on >= ?1), 0), count(DISTINCT case_id),"
           " coalesce(sum(max(0, julianday(min(coalesce(discharged_on, date('now')), ?2))"
           " - julianday(max(admitted_on, ?1)))), 0)"
           " FROM stays WHERE admitted_on < ?2 AND (discharged_on IS NULL OR discharged_on > ?1)");
    q.Bind(fmt::format("{:04d}-01-01", year)).Bind(fmt::format("{:04d}-01-01", year + 1));
    TRY(bool row, q.Step());
    (void)row;
    return StayTotals{q.Int(0), q.Int(1), static_cast<std::int64_t>(q.Double(2))};
  }

  // ---- rates and payments
  Result<domain::Id> InsertRate(const domain::AllowanceRate& r) override {
    Stmt q(db_,
           "INSERT INTO allowance_rates(kind, amount_minor, currency, effective_from, created_at,"
           " period) VALUES (?,?,?,?,?,?)");
    q.Bind(r.kind).Bind(r.amount_minor).Bind(r.currency).Bind(r.effective_from).Bind(r.created_at)
        .Bind(Name(r.period));
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Result<std::vector<domain::AllowanceRate>> RatesWhere(std::string_view where,
                                                        const std::string* kind) {
    Stmt q(db_, fmt::format("SELECT id, kind, amount_minor, currency, effective_from, created_at,"
                            " period FROM allowance_rates {} ORDER BY kind, effective_from",
                            where));
    if (kind) q.Bind(*kind);
    std::vector<domain::AllowanceRate> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.push_back({q.Int(0), q.Text(1), q.Int(2), q.Text(3), q.Date(4), q.Time(5),
                     EnumOr(q.Text(6), domain::AllowancePeriod::kMonth)});
    }
    return out;
  }
  Result<std::vector<domain::AllowanceRate>> Rates(const std::string& kind) override {
    return RatesWhere("WHERE kind = ?", &kind);
  }
  Result<std::vector<domain::AllowanceRate>> AllRates() override { return RatesWhere("", nullptr); }

  Result<domain::Id> InsertPayment(const domain::Payment& p) override {
    Stmt q(db_,
           "INSERT INTO payments(case_id, organization_id, kind, paid_on, period, amount_minor,"
           " currency, rate_id, status, requested_by, created_at)"
           " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    q.Bind(p.case_id).Bind(p.organization_id).Bind(p.kind).Bind(p.paid_on).Bind(p.period)
        .Bind(p.amount_minor).Bind(p.currency).Bind(p.rate_id).Bind(Name(p.status))
        .Bind(p.requested_by).Bind(p.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static constexpr std::string_view kPaymentCols =
      "id, case_id, organization_id, kind, paid_on, amount_minor, currency, rate_id, status,"
      " requested_by, approved_by, approved_at, created_at, period, decided_by, decided_at,"
      " (SELECT code FROM cases WHERE cases.id = payments.case_id)";
  static domain::Payment PaymentFrom(const Stmt& q) {
    domain::Payment p;
    p.id = q.Int(0);
    p.case_id = q.Int(1);
    p.organization_id = q.Int(2);
    p.kind = q.Text(3);
    p.paid_on = q.Date(4);
    p.amount_minor = q.Int(5);
    p.currency = q.Text(6);
    p.rate_id = q.Int(7);
    p.status = EnumOr(q.Text(8), domain::PaymentStatus::kPendingApproval);
    p.requested_by = q.Int(9);
    p.approved_by = q.OptInt(10);
    p.approved_at = q.OptTime(11);
    p.created_at = q.Time(12);
    p.period = q.Text(13);
    p.decided_by = q.OptInt(14);
    p.decided_at = q.OptTime(15);
    p.case_code = q.Text(16);
    return p;
  }

  Result<std::optional<domain::Payment>> GetPayment(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM payments WHERE id = ?", kPaymentCols));
    q.Bind(id);
    TRY(bool row, q.Step());
    if (!row) return std::optional<domain::Payment>();
    return std::optional(PaymentFrom(q));
  }

  Result<std::vector<domain::Payment>> ListPayments(const PaymentFilter& f) override {
    std::string sql = fmt::format("SELECT {} FROM payments WHERE 1=1", kPaymentCols);
    if (f.case_id) sql += " AND case_id = ?";
    if (f.status) sql += " AND status = ?";
    if (f.before_id) sql += " AND id < ?";
    sql += " ORDER BY id DESC LIMIT ?";
    Stmt q(db_, sql);
    if (f.case_id) q.Bind(*f.case_id);
    if (f.status) q.Bind(Name(*f.status));
    if (f.before_id) q.Bind(*f.before_id);
    q.Bind(f.limit);
    std::vector<domain::Payment> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.push_back(PaymentFrom(q));
    }
    return out;
  }

  Status DecidePayment(domain::Id id, domain::PaymentStatus status, domain::Id by, Timestamp at,
                       const std::string& sealed_reason) override {
    Stmt q(db_,
           "UPDATE payments SET status = ?, decided_by = ?, decided_at = ?, sealed_reason = ?"
           " WHERE id = ? AND status = 'pending_approval'");
    q.Bind(Name(status)).Bind(by).Bind(at).BindBlob(sealed_reason).Bind(id);
    TRY_STATUS(q.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "not_pending", "this payment is no longer pending");
    return {};
  }

  Result<std::string> PaymentReason(domain::Id id) override {
    Stmt q(db_, "SELECT sealed_reason FROM payments WHERE id = ?");
    q.Bind(id);
    TRY(bool row, q.Step());
    return row ? q.Blob(0) : std::string();
  }

  Status ApprovePayment(domain::Id id, domain::Id approved_by, Timestamp at) override {
    Stmt q(db_,
           "UPDATE payments SET status = 'approved', approved_by = ?, approved_at = ?"
           " WHERE id = ? AND status = 'pending_approval'");
    q.Bind(approved_by).Bind(at).Bind(id);
    TRY_STATUS(q.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "already_approved", "this payment is already approved");
    return {};
  }

  Result<std::vector<PaymentTotal>> PaymentTotals(int year, const std::string& group_by) override {
    std::string key = group_by == "month"          ? "substr(paid_on, 1, 7)"
                      : group_by == "organization" ? "CAST(organization_id AS TEXT)"
                                                   : "substr(paid_on, 1, 4)";
    Stmt q(db_, fmt::format("SELECT {0}, currency, sum(amount_minor), count(*) FROM payments"
                            " WHERE status = 'approved' AND paid_on >= ? AND paid_on < ?"
                            " GROUP BY {0}, currency ORDER BY {0}, currency",
                            key));
    q.Bind(fmt::format("{:04d}-01-01", year)).Bind(fmt::format("{:04d}-01-01", year + 1));
    std::vector<PaymentTotal> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.push_back({q.Text(0), q.Text(1), q.Int(2), q.Int(3)});
    }
    return out;
  }

 private:
  sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> AssistanceMigrations() { return kMigrations; }

std::unique_ptr<AssistanceStore> MakeAssistanceStore(sqlite3* db) {
  return std::make_unique<SqliteAssistanceStore>(db);
}

}  // namespace haven::store::sqlite
