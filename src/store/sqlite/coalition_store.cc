// SQLite implementation of the "coalition" area.

#include <fmt/format.h>

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

using domain::Name;

constexpr std::string_view kV1 = R"sql(
CREATE TABLE consents (
  id                          INTEGER PRIMARY KEY,
  case_id                     INTEGER NOT NULL REFERENCES cases(id),
  recipient_organization_id   INTEGER REFERENCES organizations(id),
  recipient_kind              TEXT,
  purposes                    TEXT NOT NULL,
  categories                  TEXT NOT NULL,
  given_on                    TEXT NOT NULL,
  valid_until                 TEXT CHECK (valid_until IS NULL OR valid_until >= given_on),
  withdrawn_on                TEXT CHECK (withdrawn_on IS NULL OR withdrawn_on >= given_on),
  method                      TEXT NOT NULL,
  language                    TEXT NOT NULL,
  sealed_witness              BLOB,
  sealed_form                 BLOB,
  form_media_type             TEXT,
  recorded_by                 INTEGER NOT NULL,
  recorded_by_organization_id INTEGER NOT NULL,
  created_at                  TEXT NOT NULL,
  updated_at                  TEXT NOT NULL,
  CHECK ((recipient_organization_id IS NULL) <> (recipient_kind IS NULL))
);
CREATE INDEX consents_case ON consents(case_id, id);

CREATE TABLE referrals (
  id                     INTEGER PRIMARY KEY,
  kind                   TEXT NOT NULL,
  case_id                INTEGER NOT NULL REFERENCES cases(id),
  from_organization_id   INTEGER NOT NULL REFERENCES organizations(id),
  to_organization_id     INTEGER NOT NULL REFERENCES organizations(id),
  purposes               TEXT NOT NULL,
  services_requested     TEXT NOT NULL,
  sealed_note            BLOB,
  status                 TEXT NOT NULL,
  override_basis         TEXT,
  override_categories    TEXT,
  override_by            INTEGER,
  sealed_override_reason BLOB,
  sealed_decline_reason  BLOB,
  created_by             INTEGER NOT NULL,
  created_at             TEXT NOT NULL,
  accepted_at            TEXT,
  declined_at            TEXT,
  completed_at           TEXT,
  revoked_at             TEXT,
  version                INTEGER NOT NULL DEFAULT 1,
  CHECK (from_organization_id <> to_organization_id)
);
CREATE INDEX referrals_to ON referrals(to_organization_id, status, id);
CREATE INDEX referrals_from ON referrals(from_organization_id, status, id);
CREATE INDEX referrals_case ON referrals(case_id, id);
-- At most one active transfer of a case at a time.
CREATE UNIQUE INDEX referrals_one_transfer ON referrals(case_id)
  WHERE kind = 'transfer' AND status = 'pending';

CREATE TABLE case_owners (
  id              INTEGER PRIMARY KEY,
  case_id         INTEGER NOT NULL REFERENCES cases(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  since           TEXT NOT NULL,
  until           TEXT,
  referral_id     INTEGER REFERENCES referrals(id)
);
CREATE INDEX case_owners_case ON case_owners(case_id, id);
-- Every case had its registering organisation as first owner.
INSERT INTO case_owners(case_id, organization_id, since)
  SELECT id, organization_id, created_at FROM cases;

CREATE TABLE memorandum_members (
  organization_id INTEGER PRIMARY KEY REFERENCES organizations(id),
  signed_on       TEXT NOT NULL,
  left_on         TEXT CHECK (left_on IS NULL OR left_on >= signed_on),
  created_at      TEXT NOT NULL
);
)sql";

constexpr std::array<std::string_view, 1> kMigrations = {kV1};

template <typename E>
std::string EnumListText(const std::vector<E>& v) {
  nlohmann::json out = nlohmann::json::array();
  for (E e : v) out.push_back(std::string(Name(e)));
  return out.dump();
}

class SqliteCoalitionStore final : public CoalitionStore {
 public:
  explicit SqliteCoalitionStore(sqlite3* db) : db_(db) {}

  // ---- consents
  Result<domain::Id> InsertConsent(const domain::Consent& c) override {
    Stmt q(db_,
           "INSERT INTO consents(case_id, recipient_organization_id, recipient_kind, purposes,"
           " categories, given_on, valid_until, withdrawn_on, method, language, recorded_by,"
           " recorded_by_organization_id, created_at, updated_at)"
           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    q.Bind(c.case_id).Bind(c.recipient_organization_id);
    if (c.recipient_kind) q.Bind(Name(*c.recipient_kind)); else q.BindNull();
    q.Bind(EnumListText(c.purposes)).Bind(EnumListText(c.categories)).Bind(c.given_on)
        .Bind(c.valid_until).Bind(c.withdrawn_on).Bind(Name(c.method)).Bind(c.language)
        .Bind(c.recorded_by).Bind(c.recorded_by_organization_id).Bind(c.created_at)
        .Bind(c.updated_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetConsentSealed(domain::Id id, const std::string& sealed_witness) override {
    Stmt q(db_, "UPDATE consents SET sealed_witness = ? WHERE id = ?");
    BindSealed(q, sealed_witness);
    q.Bind(id);
    return q.Run();
  }

  static constexpr std::string_view kConsentCols =
      "id, case_id, recipient_organization_id, recipient_kind, purposes, categories, given_on,"
      " valid_until, withdrawn_on, method, language, sealed_witness, sealed_form IS NOT NULL,"
      " recorded_by, recorded_by_organization_id, created_at, updated_at";
  static StoredConsent ConsentFrom(const Stmt& q) {
    StoredConsent s;
    auto& c = s.consent;
    c.id = q.Int(0);
    c.case_id = q.Int(1);
    c.recipient_organization_id = q.OptInt(2);
    if (auto k = q.OptText(3)) c.recipient_kind = domain::ParseEnum<domain::OrgKind>(*k);
    c.purposes = EnumListFromJson<domain::Purpose>(q.Text(4));
    c.categories = EnumListFromJson<domain::DataCategory>(q.Text(5));
    c.given_on = q.Date(6);
    c.valid_until = q.OptDate(7);
    c.withdrawn_on = q.OptDate(8);
    c.method = EnumOr(q.Text(9), domain::ConsentMethod::kSignedForm);
    c.language = q.Text(10);
    s.sealed_witness = q.Blob(11);
    c.has_form = q.Int(12) != 0;
    c.recorded_by = q.Int(13);
    c.recorded_by_organization_id = q.Int(14);
    c.created_at = q.Time(15);
    c.updated_at = q.Time(16);
    return s;
  }

  Result<std::optional<StoredConsent>> GetConsent(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM consents WHERE id = ?", kConsentCols));
    q.Bind(id);
    return One<StoredConsent>(q, ConsentFrom);
  }

  Result<std::vector<StoredConsent>> ConsentsOfCase(domain::Id case_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM consents WHERE case_id = ? ORDER BY id",
                            kConsentCols));
    q.Bind(case_id);
    return All<StoredConsent>(q, ConsentFrom);
  }

  Status WithdrawConsent(domain::Id id, const domain::Date& on, Timestamp at) override {
    Stmt q(db_,
           "UPDATE consents SET withdrawn_on = ?, updated_at = ? WHERE id = ?"
           " AND withdrawn_on IS NULL");
    q.Bind(on).Bind(at).Bind(id);
    TRY_STATUS(q.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "already_withdrawn", "this consent was already withdrawn");
    return {};
  }

  Status SetConsentForm(domain::Id id, const std::string& sealed_form,
                        const std::string& media_type) override {
    Stmt q(db_, "UPDATE consents SET sealed_form = ?, form_media_type = ? WHERE id = ?");
    BindSealed(q, sealed_form);
    q.Bind(media_type).Bind(id);
    return q.Run();
  }

  Result<std::optional<std::pair<std::string, std::string>>> ConsentForm(
      domain::Id id) override {
    Stmt q(db_,
           "SELECT sealed_form, form_media_type FROM consents WHERE id = ?"
           " AND sealed_form IS NOT NULL");
    q.Bind(id);
    TRY(bool row, q.Step());
    if (!row) return std::optional<std::pair<std::string, std::string>>();
    return std::optional(std::pair(q.Blob(0), q.Text(1)));
  }

  // ---- referrals
  Result<domain::Id> InsertReferral(const domain::Referral& r) override {
    Stmt q(db_,
           "INSERT INTO referrals(kind, case_id, from_organization_id, to_organization_id,"
           " purposes, services_requested, status, override_basis, override_categories,"
           " override_by, created_by, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    q.Bind(Name(r.kind)).Bind(r.case_id).Bind(r.from_organization_id).Bind(r.to_organization_id)
        .Bind(EnumListText(r.purposes)).Bind(EnumListText(r.services_requested))
        .Bind(Name(r.status));
    if (r.override_) {
      q.Bind(Name(r.override_->basis)).Bind(EnumListText(r.override_->categories))
          .Bind(r.override_->by_user_id);
    } else {
      q.BindNull().BindNull().BindNull();
    }
    q.Bind(r.created_by).Bind(r.created_at).Bind(r.version);
    auto done = q.Run();
    if (!done && done.error().reason == "constraint")
      return Fail(ErrorCode::kConflict, "transfer_pending",
                  "a transfer of this case is already pending", "case_id");
    TRY_STATUS(done);
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetReferralSealed(domain::Id id, const std::string& sealed_note,
                           const std::string& sealed_override_reason) override {
    Stmt q(db_, "UPDATE referrals SET sealed_note = ?, sealed_override_reason = ? WHERE id = ?");
    BindSealed(q, sealed_note);
    BindSealed(q, sealed_override_reason);
    q.Bind(id);
    return q.Run();
  }

  static constexpr std::string_view kReferralCols =
      "r.id, r.kind, r.case_id, c.code, r.from_organization_id, r.to_organization_id,"
      " r.purposes, r.services_requested, r.sealed_note, r.status, r.override_basis,"
      " r.override_categories, r.override_by, r.sealed_override_reason,"
      " r.sealed_decline_reason, r.created_by, r.created_at, r.accepted_at, r.declined_at,"
      " r.completed_at, r.revoked_at, r.version";
  static StoredReferral ReferralFrom(const Stmt& q) {
    StoredReferral s;
    auto& r = s.referral;
    r.id = q.Int(0);
    r.kind = EnumOr(q.Text(1), domain::ReferralKind::kReferral);
    r.case_id = q.Int(2);
    r.case_code = q.Text(3);
    r.from_organization_id = q.Int(4);
    r.to_organization_id = q.Int(5);
    r.purposes = EnumListFromJson<domain::Purpose>(q.Text(6));
    r.services_requested = EnumListFromJson<domain::ServiceType>(q.Text(7));
    s.sealed_note = q.Blob(8);
    r.status = EnumOr(q.Text(9), domain::ReferralStatus::kPending);
    if (auto basis = q.OptText(10)) {
      domain::ConsentOverride o;
      o.basis = EnumOr(*basis, domain::OverrideBasis::kVitalInterest);
      o.categories = EnumListFromJson<domain::DataCategory>(q.Text(11));
      o.by_user_id = q.Int(12);
      r.override_ = o;
    }
    s.sealed_override_reason = q.Blob(13);
    s.sealed_decline_reason = q.Blob(14);
    r.created_by = q.Int(15);
    r.created_at = q.Time(16);
    r.accepted_at = q.OptTime(17);
    r.declined_at = q.OptTime(18);
    r.completed_at = q.OptTime(19);
    r.revoked_at = q.OptTime(20);
    r.version = q.Int(21);
    return s;
  }

  Result<std::optional<StoredReferral>> GetReferral(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM referrals r JOIN cases c ON c.id = r.case_id"
                            " WHERE r.id = ?",
                            kReferralCols));
    q.Bind(id);
    return One<StoredReferral>(q, ReferralFrom);
  }

  Result<std::vector<StoredReferral>> ListReferrals(const ReferralFilter& f) override {
    std::string sql = fmt::format(
        "SELECT {} FROM referrals r JOIN cases c ON c.id = r.case_id WHERE 1=1", kReferralCols);
    if (f.to_organization_id) sql += " AND r.to_organization_id = ?";
    if (f.from_organization_id) sql += " AND r.from_organization_id = ?";
    if (f.case_id) sql += " AND r.case_id = ?";
    if (f.status) sql += " AND r.status = ?";
    if (f.kind) sql += " AND r.kind = ?";
    if (f.before_id) sql += " AND r.id < ?";
    sql += " ORDER BY r.id DESC LIMIT ?";
    Stmt q(db_, sql);
    if (f.to_organization_id) q.Bind(*f.to_organization_id);
    if (f.from_organization_id) q.Bind(*f.from_organization_id);
    if (f.case_id) q.Bind(*f.case_id);
    if (f.status) q.Bind(Name(*f.status));
    if (f.kind) q.Bind(Name(*f.kind));
    if (f.before_id) q.Bind(*f.before_id);
    q.Bind(f.limit);
    return All<StoredReferral>(q, ReferralFrom);
  }

  Status UpdateReferral(const domain::Referral& r,
                        const std::string& sealed_decline_reason) override {
    Stmt q(db_,
           "UPDATE referrals SET status = ?, accepted_at = ?, declined_at = ?, completed_at = ?,"
           " revoked_at = ?, sealed_decline_reason = coalesce(?, sealed_decline_reason),"
           " version = ? WHERE id = ? AND version = ?");
    q.Bind(Name(r.status)).Bind(r.accepted_at).Bind(r.declined_at).Bind(r.completed_at)
        .Bind(r.revoked_at);
    BindSealed(q, sealed_decline_reason);
    q.Bind(r.version).Bind(r.id).Bind(r.version - 1);
    TRY_STATUS(q.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "stale_update",
                  "the referral was changed by someone else in the meantime; reload and retry");
    return {};
  }

  Result<std::vector<ReferralFact>> ReferralFacts(Timestamp from, Timestamp to) override {
    Stmt q(db_,
           "SELECT r.kind, r.status, fo.kind, t.kind, r.override_basis IS NOT NULL,"
           " r.created_at, r.accepted_at FROM referrals r"
           " JOIN organizations fo ON fo.id = r.from_organization_id"
           " JOIN organizations t ON t.id = r.to_organization_id"
           " WHERE r.created_at >= ? AND r.created_at < ? ORDER BY r.id");
    q.Bind(from).Bind(to);
    std::vector<ReferralFact> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      ReferralFact f;
      f.kind = EnumOr(q.Text(0), domain::ReferralKind::kReferral);
      f.status = EnumOr(q.Text(1), domain::ReferralStatus::kPending);
      f.from_kind = EnumOr(q.Text(2), domain::OrgKind::kNgo);
      f.to_kind = EnumOr(q.Text(3), domain::OrgKind::kNgo);
      f.overridden = q.Int(4) != 0;
      f.created_at = q.Time(5);
      f.accepted_at = q.OptTime(6);
      out.push_back(f);
    }
    return out;
  }

  Status HandOverReferrals(domain::Id case_id, domain::Id transfer_id, domain::Id old_owner,
                           domain::Id new_owner, Timestamp at) override {
    Stmt done(db_,
              "UPDATE referrals SET status = 'completed', completed_at = ?, version = version + 1"
              " WHERE case_id = ? AND id <> ? AND to_organization_id = ?"
              " AND status IN ('pending', 'accepted')");
    done.Bind(at).Bind(case_id).Bind(transfer_id).Bind(new_owner);
    TRY_STATUS(done.Run());
    Stmt moved(db_,
               "UPDATE referrals SET from_organization_id = ?, version = version + 1"
               " WHERE case_id = ? AND id <> ? AND from_organization_id = ?"
               " AND status IN ('pending', 'accepted')");
    moved.Bind(new_owner).Bind(case_id).Bind(transfer_id).Bind(old_owner);
    return moved.Run();
  }

  // ---- owners
  Status InsertOwnership(const domain::CaseOwnership& o) override {
    Stmt q(db_,
           "INSERT INTO case_owners(case_id, organization_id, since, until, referral_id)"
           " VALUES (?,?,?,?,?)");
    q.Bind(o.case_id).Bind(o.organization_id).Bind(o.since);
    if (o.until) q.Bind(*o.until); else q.BindNull();
    q.Bind(o.referral_id);
    return q.Run();
  }

  Status EndOwnership(domain::Id case_id, Timestamp until) override {
    Stmt q(db_, "UPDATE case_owners SET until = ? WHERE case_id = ? AND until IS NULL");
    q.Bind(until).Bind(case_id);
    return q.Run();
  }

  Result<std::vector<domain::CaseOwnership>> OwnershipOfCase(domain::Id case_id) override {
    Stmt q(db_,
           "SELECT case_id, organization_id, since, until, referral_id FROM case_owners"
           " WHERE case_id = ? ORDER BY id");
    q.Bind(case_id);
    std::vector<domain::CaseOwnership> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.push_back({q.Int(0), q.Int(1), q.Time(2), q.OptTime(3), q.OptInt(4)});
    }
    return out;
  }

  // ---- memorandum
  Status UpsertMember(const MemorandumMember& m) override {
    Stmt q(db_,
           "INSERT INTO memorandum_members(organization_id, signed_on, left_on, created_at)"
           " VALUES (?,?,?,?) ON CONFLICT(organization_id) DO UPDATE SET"
           " signed_on = excluded.signed_on, left_on = excluded.left_on");
    q.Bind(m.organization_id).Bind(m.signed_on).Bind(m.left_on).Bind(m.created_at);
    return q.Run();
  }

  Result<std::vector<MemorandumMember>> Members() override {
    Stmt q(db_,
           "SELECT m.organization_id, o.name, o.kind, m.signed_on, m.left_on, m.created_at"
           " FROM memorandum_members m JOIN organizations o ON o.id = m.organization_id"
           " ORDER BY m.signed_on, o.name");
    std::vector<MemorandumMember> out;
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      out.push_back({q.Int(0), q.Text(1), EnumOr(q.Text(2), domain::OrgKind::kNgo), q.Date(3),
                     q.OptDate(4), q.Time(5)});
    }
    return out;
  }

 private:
  sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> CoalitionMigrations() { return kMigrations; }

std::unique_ptr<CoalitionStore> MakeCoalitionStore(sqlite3* db) {
  return std::make_unique<SqliteCoalitionStore>(db);
}

}  // namespace haven::store::sqlite
