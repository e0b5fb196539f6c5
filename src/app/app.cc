#include "app/app.h"

#include <arpa/inet.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/paging.h"
#include "app/password_policy.h"
#include "app/sealing.h"
#include "app/second_factor.h"
#include "app/permissions.h"
#include "app/rate_limit.h"
#include "privacy/dice.h"
#include "domain/codec.h"
#include "domain/identity_record.h"
#include "domain/rules.h"

namespace haven::app {

using domain::Json;
using domain::Name;
using P = Permission;

namespace {

constexpr std::string_view kSealedReasonPrefix = "sealed:";
constexpr std::chrono::hours kIdempotencyKeyLifetime{24};

// The case an audit entry touched, for the person's access history: the object
// itself, or the case named in the details.
std::optional<Id> AuditedCase(std::string_view object_type, std::string_view object_id,
                              const std::string& details) {
  if (object_type == "case") {
    Id id = 0;
    auto [p, ec] = std::from_chars(object_id.data(), object_id.data() + object_id.size(), id);
    if (ec == std::errc() && p == object_id.data() + object_id.size()) return id;
    return std::nullopt;
  }
  auto j = Json::parse(details, nullptr, false);
  if (j.is_object() && j.contains("case_id") && j["case_id"].is_number_integer())
    return j["case_id"].get<Id>();
  return std::nullopt;
}

constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

Status Require(const Actor& actor, Permission p) { return app::Require(actor.role, p); }

// The bytes of an audit entry that its hash covers, in a fixed order.
std::string CanonicalAuditEntry(const store::AuditRecord& r) {
  Json j = Json::array({r.seq, FormatTimestamp(r.at), r.actor_user_id, r.actor_role,
                        r.actor_organization_id, r.action, r.object_type, r.object_id, r.reason,
                        r.details, r.request_id});
  return j.dump();
}

}  // namespace

Status Require(domain::Role role, Permission p) {
  if (!Can(role, p))
    return Fail(ErrorCode::kForbidden, "forbidden",
                fmt::format("the {} role may not do this", Name(role)));
  return {};
}

Actor Actor::System(std::string request_id) {
  Actor a;
  a.user_id = 0;
  // A command run on the server acts as the operating-system account that ran it; looked
  // up once (getpwuid_r: thread-safe), since request threads make system actors too.
  static const std::string kOsUser = [] {
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16384);
    if (getpwuid_r(geteuid(), &pw, buf.data(), buf.size(), &found) == 0 && found &&
        found->pw_name)
      return std::string(found->pw_name);
    return "uid:" + std::to_string(geteuid());
  }();
  a.username = kOsUser;
  a.role = domain::Role::kAdmin;
  a.organization_id = 0;
  a.request_id = std::move(request_id);
  return a;
}

// Failed logins per client over a sliding window: slows password guessing
// across accounts, while the per-account lock-out (in the store) stops guessing
// one account. The two are separate: a throttled client does not hold back any
// other client, and a locked account no other account. Successful logins do not
// count, so that an office behind one address is never locked out by its own
// colleagues. The client is the address the HTTP layer resolved (X-Forwarded-For
// only from a trusted proxy); an IPv6 client counts by its /64, since whoever has
// one address of a /64 usually has them all.
//
// It also holds the stand-in hash that logins with an unknown (or inactive)
// username are checked against, so that they cost one Argon2id like any other.
// Thread-safe.
class App::LoginThrottle : public SlidingWindowLimiter {
 public:
  LoginThrottle() : SlidingWindowLimiter(30, std::chrono::seconds(300)) {}

  static std::string KeyOf(const std::string& client) {
    in6_addr a6{};
    if (client.find(':') == std::string::npos || inet_pton(AF_INET6, client.c_str(), &a6) != 1)
      return client;
    std::memset(a6.s6_addr + 8, 0, 8);
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &a6, text, sizeof text);
    return std::string(text) + "/64";
  }

  // Verifies `password` against a real Argon2id hash of a random password, made
  // with the parameters of every stored hash. The hash is made at the first call
  // (not at start-up: every CLI command opens an App); that call hashes instead of
  // verifying, which costs the same.
  void VerifyAgainstStandIn(const std::string& password) {
    bool made_now = false;
    std::call_once(once_, [&] {
      auto hash = privacy::HashPassword(privacy::RandomPassword());
      if (hash) stand_in_ = std::move(*hash);
      made_now = true;
    });
    if (!made_now) (void)privacy::VerifyPassword(stand_in_, password);
  }

 private:
  std::once_flag once_;
  std::string stand_in_;  // written once under once_, then only read
};

// Person look-ups per user: each tells whether a name is registered anywhere, so
// they are few in honest use and a caseworker cannot sweep a list of names.
class App::LookupLimiter : public SlidingWindowLimiter {
 public:
  explicit LookupLimiter(int per_hour)
      : SlidingWindowLimiter(per_hour, std::chrono::seconds(3600)) {}
};

App::App(Config config, std::unique_ptr<store::Store> store, privacy::Keyring keyring,
         std::unique_ptr<Clock> clock)
    : config_(std::move(config)),
      store_(std::move(store)),
      keyring_(std::move(keyring)),
      blind_key_(keyring_.BlindIndexKey()),
      audit_key_(keyring_.AuditKey()),
      live_keyring_(std::make_shared<const privacy::Keyring>(keyring_)),
      clock_(clock ? std::move(clock) : std::make_unique<SystemClock>()),
      throttle_(std::make_unique<LoginThrottle>()),
      lookups_(std::make_unique<LookupLimiter>(config_.lookups_per_hour)) {
  // The default schema with a non-empty secret always yields an encoder; should
  // it not, registrations go on without linkage keys and `haven link` says so.
  auto encoder = privacy::ClkEncoder::Create(privacy::DefaultPersonSchema(),
                                             keyring_.LinkageSecret());
  if (encoder) clk_encoder_ = std::make_unique<privacy::ClkEncoder>(std::move(*encoder));
}

Result<std::string> App::PersonClk(const domain::PersonIdentity& p) const {
  if (!clk_encoder_) return Internal("the linkage encoder could not be created");
  // A person registered by an alias has no key: she would match every other caller.
  if (p.Anonymous()) return std::string();
  // The default person schema's columns: id (not hashed), given_name, family_name,
  // birth_date, sex, patronymic, citizenship ("unknown" sets no bits).
  // A birth year alone is written as 1 January, which the schema reads as "only the
  // year is known" (it sets the year's bits and no others).
  std::string birth = p.birth_date  ? p.birth_date->ToString()
                      : p.birth_year ? fmt::format("{:04}-01-01", *p.birth_year)
                                     : std::string();
  std::vector<std::string> values = {"", p.given_name, p.family_name, birth,
                                     std::string(Name(p.sex)), p.patronymic,
                                     p.citizenship.ToString()};
  TRY(auto clk, clk_encoder_->Encode(values));
  return std::string(clk.begin(), clk.end());
}

std::string App::PersonBlind(const domain::PersonIdentity& p) const {
  if (p.Anonymous()) return std::string();
  return privacy::PersonBlindIndex(blind_key_, p);
}

App::~App() = default;

domain::Date App::Today() const {
  return domain::Date(std::chrono::floor<std::chrono::days>(Now()));
}

Result<std::unique_ptr<App>> App::Open(const std::filesystem::path& dir,
                                       std::unique_ptr<Clock> clock) {
  TRY(Config config, Config::Load(dir));
  TRY(privacy::Keyring keyring, privacy::Keyring::Load(config.KeyringPath()));
  store::StoreOptions so;
  so.path = config.DatabasePath();
  so.create_if_missing = false;
  so.pool_size = config.threads + 2;
  TRY(auto store, store::OpenSqliteStore(so));
  return std::unique_ptr<App>(
      new App(std::move(config), std::move(store), std::move(keyring), std::move(clock)));
}

Result<App::InitResult> App::Init(const std::filesystem::path& dir,
                                  const std::string& admin_password,
                                  std::unique_ptr<Clock> clock, Config base) {
  Config config = std::move(base);
  config.dir = dir;
  for (const auto& existing : {dir / "haven.toml", config.DatabasePath(), config.KeyringPath()})
    if (std::filesystem::exists(existing))
      return Fail(ErrorCode::kConflict, "instance_exists",
                  fmt::format("{} already exists; refusing to overwrite an instance",
                              existing.string()));
  if (!admin_password.empty()) TRY_STATUS(CheckPasswordPolicy(admin_password, "admin"));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Internal(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  ::chmod(dir.c_str(), 0700);
  TRY(privacy::Keyring keyring, privacy::Keyring::Create(config.KeyringPath()));
  {
    std::ofstream out(dir / "haven.toml");
    out << config.ToToml();
    if (!out) return Internal("cannot write haven.toml");
  }
  store::StoreOptions so;
  so.path = config.DatabasePath();
  TRY(auto store, store::OpenSqliteStore(so));
  std::unique_ptr<App> app(
      new App(std::move(config), std::move(store), std::move(keyring), std::move(clock)));

  InitResult result;
  std::string password = admin_password.empty() ? privacy::RandomPassword() : admin_password;
  if (admin_password.empty()) result.admin_password = password;
  TRY(std::string hash, privacy::HashPassword(password));

  Actor system = Actor::System("init");
  TRY(auto tx, app->store_->Begin(true));
  domain::Organization operator_org;
  operator_org.name = "Haven operator";
  operator_org.kind = domain::OrgKind::kStateBody;
  operator_org.created_at = app->Now();
  TRY(Id org_id, tx->InsertOrganization(operator_org));
  TRY_STATUS(app->Audit(*tx, system, "organization.create", "organization",
                        std::to_string(org_id), Json{{"name", operator_org.name}}.dump()));
  domain::User admin;
  admin.username = "admin";
  admin.role = domain::Role::kAdmin;
  admin.organization_id = org_id;
  admin.created_at = app->Now();
  TRY(Id admin_id, tx->InsertUser(admin, hash));
  TRY_STATUS(app->Audit(*tx, system, "user.create", "user", std::to_string(admin_id),
                        Json{{"username", "admin"}, {"role", "admin"}}.dump()));
  TRY_STATUS(tx->Commit());
  result.app = std::move(app);
  return result;
}

// ---------------------------------------------------------------- audit

Status App::Audit(store::Transaction& tx, const Actor& actor, std::string_view action,
                  std::string_view object_type, std::string_view object_id,
                  const std::string& details_json, std::string_view reason) {
  TRY(auto last, tx.LastAudit());
  store::AuditRecord r;
  r.seq = last ? last->seq + 1 : 1;
  r.at = Now();
  r.actor_user_id = actor.user_id;
  r.actor_role = std::string(Name(actor.role));
  if (actor.user_id == 0) r.actor_role = "system";
  r.actor_organization_id = actor.organization_id;
  r.action = std::string(action);
  r.object_type = std::string(object_type);
  r.object_id = std::string(object_id);
  // A stated reason is free text (it may name the person): sealed, for auditors only.
  if (!reason.empty())
    r.reason = std::string(kSealedReasonPrefix) +
               privacy::Base64(privacy::Seal(keyring_.AuditReasonKey(), reason,
                                             fmt::format("audit:{}:reason", r.seq)));
  r.details = details_json.empty() ? "{}" : details_json;
  if (actor.user_id == 0) {
    Json d = Json::parse(r.details, nullptr, false);
    if (d.is_object()) {
      d["os_user"] = actor.username;
      r.details = d.dump();
    }
  }
  r.case_id = AuditedCase(object_type, object_id, r.details);
  r.request_id = actor.request_id;
  r.prev_hash = last ? last->hash : std::string(kZeroHash);
  r.hash = privacy::ChainHash(audit_key_, r.prev_hash, CanonicalAuditEntry(r));
  return tx.AppendAudit(r);
}

Result<Page<AuditEntry>> App::ListAudit(const Actor& actor, const AuditQuery& q) {
  TRY_STATUS(Require(actor, P::kReadAudit));
  TRY_STATUS(CheckLimit(q.page.limit));
  TRY(std::int64_t cursor, ParseCursor(q.page.cursor));
  if (q.action && !q.action->empty())
    TRY_STATUS(domain::CheckText(*q.action, "action", 100));
  if (q.from && q.to && *q.to <= *q.from) return Invalid("to", "is not after from");
  store::AuditFilter f;
  f.newest_first = q.newest_first;
  if (q.newest_first && cursor) f.before_seq = cursor;
  if (!q.newest_first) f.after_seq = cursor;
  f.action = q.action;
  f.actor_user_id = q.actor_user_id;
  f.object_type = q.object_type;
  f.object_id = q.object_id;
  f.from = q.from;
  f.to = q.to;
  f.limit = q.page.limit + 1;
  TRY(auto tx, store_->Begin(false));
  TRY(auto rows, tx->ListAudit(f));
  auto page = MakePage(std::move(rows), q.page.limit, [](const auto& r) { return r.seq; });
  Page<AuditEntry> out;
  out.next_cursor = page.next_cursor;
  std::map<Id, std::string> users, orgs;
  for (auto& r : page.items) {
    TRY(r.reason, OpenAuditReason(r));
    AuditEntry e{std::move(r), {}, {}};
    const Id uid = e.record.actor_user_id, oid = e.record.actor_organization_id;
    if (uid && !users.contains(uid)) {
      TRY(auto u, tx->GetUser(uid));
      users[uid] = u ? u->user.username : "";
    }
    if (oid && !orgs.contains(oid)) {
      TRY(auto o, tx->GetOrganization(oid));
      orgs[oid] = o ? o->name : "";
    }
    if (uid) e.actor_username = users[uid];
    if (oid) e.actor_organization_name = orgs[oid];
    out.items.push_back(std::move(e));
  }
  return out;
}

Result<std::string> App::OpenAuditReason(const store::AuditRecord& r) const {
  if (!r.reason.starts_with(kSealedReasonPrefix)) return r.reason;
  TRY(std::string sealed, privacy::DecodeBase64(r.reason.substr(kSealedReasonPrefix.size())));
  return privacy::Open(keyring_.AuditReasonKey(), sealed, fmt::format("audit:{}:reason", r.seq));
}

Result<AuditVerification> App::VerifyAuditAs(const Actor& actor) {
  TRY_STATUS(Require(actor, P::kReadAudit));
  TRY(auto v, VerifyAudit());
  TRY(auto tx, store_->Begin(true));
  TRY_STATUS(Audit(*tx, actor, "audit.verify", "audit", "",
                   Json{{"intact", v.intact}, {"entries", v.entries}}.dump()));
  TRY_STATUS(tx->Commit());
  return v;
}

Result<AuditVerification> App::VerifyAudit() {
  AuditVerification v;
  std::string prev(kZeroHash);
  std::int64_t expected = 1;
  TRY(auto tx, store_->Begin(false));
  std::int64_t after = 0;
  while (true) {
    TRY(auto rows, tx->ListAudit(after, 1000));
    if (rows.empty()) break;
    for (const auto& r : rows) {
      auto broken = [&](std::string problem) {
        v.intact = false;
        v.first_broken_seq = r.seq;
        v.problem = std::move(problem);
        return v;
      };
      if (r.seq != expected)
        return broken(fmt::format("entry {} found where entry {} was expected (an entry was "
                                  "removed or the log reordered)",
                                  r.seq, expected));
      if (r.prev_hash != prev)
        return broken(fmt::format("entry {} does not follow on from entry {} (previous hash "
                                  "differs)",
                                  r.seq, r.seq - 1));
      if (privacy::ChainHash(audit_key_, r.prev_hash, CanonicalAuditEntry(r)) != r.hash)
        return broken(fmt::format("entry {} was changed after it was written (hash mismatch)",
                                  r.seq));
      prev = r.hash;
      ++expected;
      ++v.entries;
      after = r.seq;
    }
  }
  v.head_hash = prev;
  return v;
}

// ---------------------------------------------------------------- idempotency

Result<std::optional<Id>> App::Replay(store::Transaction& tx, const Actor& actor,
                                      const WriteOptions& w, std::string_view object_type) {
  if (w.idempotency_key.empty()) return std::optional<Id>();
  if (w.idempotency_key.size() > 200)
    return Invalid("Idempotency-Key", "must be at most 200 characters");
  for (unsigned char ch : w.idempotency_key)
    if (ch < 0x21 || ch > 0x7e)
      return Invalid("Idempotency-Key", "must be printable ASCII without spaces");
  TRY(auto rec, tx.FindIdempotency(actor.user_id, w.idempotency_key));
  if (!rec) return std::optional<Id>();
  // A key serves the retries of one request, not as a standing way back to its result
  // (which may since have been shared, transferred or changed).
  if (rec->created_at + kIdempotencyKeyLifetime < Now())
    return Fail(ErrorCode::kUnprocessable, "idempotency_key_expired",
                "this Idempotency-Key was first used more than 24 hours ago; send the request "
                "with a new key",
                "Idempotency-Key");
  if (rec->fingerprint != StoredFingerprint(w) || rec->object_type != object_type)
    return Fail(ErrorCode::kUnprocessable, "idempotency_key_reused",
                "this Idempotency-Key was already used for a different request",
                "Idempotency-Key");
  return std::optional<Id>(rec->object_id);
}

Status App::Remember(store::Transaction& tx, const Actor& actor, const WriteOptions& w,
                     std::string_view object_type, Id id) {
  if (w.idempotency_key.empty()) return {};
  return tx.InsertIdempotency(store::IdempotencyRecord{
      actor.user_id, w.idempotency_key, StoredFingerprint(w), std::string(object_type), id,
      Now()});
}

// The request's digest is of its body, which for a registration holds the identity: kept only
// keyed, so that the database alone cannot be used to test a guessed identity against it.
std::string App::StoredFingerprint(const WriteOptions& w) const {
  return privacy::BlindIndex(blind_key_, "idempotency-fingerprint", w.fingerprint);
}

// ---------------------------------------------------------------- authentication

Result<bool> App::CountFailedAttempt(store::Transaction& tx, const store::StoredUser& user) {
  const int failed = user.failed_logins + 1;
  std::optional<Timestamp> lock;
  if (failed >= config_.max_failed_logins)
    lock = Now() + std::chrono::minutes(config_.lockout_minutes);
  TRY_STATUS(tx.SetLoginState(user.user.id, lock ? 0 : failed, lock));
  return lock.has_value();
}

Result<LoginResult> App::Login(const std::string& username, const std::string& password,
                               const std::string& client, const std::string& request_id,
                               const std::string& code) {
  const std::string client_key = LoginThrottle::KeyOf(client);
  if (!throttle_->Allow(client_key, Now()))
    return Fail(ErrorCode::kRateLimited, "too_many_attempts",
                "too many login attempts from this address; wait a few minutes");
  auto invalid = [&] {
    throttle_->Record(client_key, Now());
    return Fail(ErrorCode::kUnauthenticated, "invalid_credentials",
                "the username or password is wrong");
  };
  Actor anonymous = Actor::System(request_id);
  std::optional<store::StoredUser> user;
  {
    TRY(auto tx, store_->Begin(false));
    TRY(user, tx->FindUserByUsername(username));
  }
  // Argon2id runs outside any transaction: it takes tens of milliseconds. It runs
  // once on every path, so that the time of the answer does not tell whether the
  // username exists or the account is active.
  bool ok = false;
  if (user && user->user.active)
    ok = privacy::VerifyPassword(user->password_hash, password);
  else
    throttle_->VerifyAgainstStandIn(password);

  TRY(auto tx, store_->Begin(true));
  if (!user) {
    // Not what was typed (it may be a password typed into the wrong field), but a keyed
    // digest of it: repeated attempts with the same name can be told apart and counted.
    TRY_STATUS(Audit(*tx, anonymous, "auth.login_failed", "user", "",
                     Json{{"username_digest", privacy::BlindIndex(blind_key_,
                                                                  "audit.unknown_username",
                                                                  username)
                                                  .substr(0, 16)},
                          {"why", "unknown user"}}
                         .dump()));
    TRY_STATUS(tx->Commit());
    return invalid();
  }
  // Re-read inside the write transaction: concurrent failures must all count.
  TRY(auto fresh, tx->GetUser(user->user.id));
  if (!fresh) return invalid();
  TRY(auto home, tx->GetOrganization(fresh->user.organization_id));
  Actor who;
  who.user_id = fresh->user.id;
  who.username = fresh->user.username;
  who.role = fresh->user.role;
  who.organization_id = fresh->user.organization_id;
  who.request_id = request_id;
  std::string uid = std::to_string(fresh->user.id);
  if (fresh->locked_until && *fresh->locked_until > Now()) {
    TRY_STATUS(Audit(*tx, who, "auth.login_refused", "user", uid,
                     Json{{"why", "account locked"}}.dump()));
    TRY_STATUS(tx->Commit());
    return Fail(ErrorCode::kRateLimited, "account_locked",
                fmt::format("this account is locked after repeated failed logins; try again "
                            "after {}",
                            FormatTimestamp(*fresh->locked_until)));
  }
  // Its organisation left the coalition: refused, but not a failure that locks the account.
  if (home && !home->active) {
    TRY_STATUS(Audit(*tx, who, "auth.login_refused", "user", uid,
                     Json{{"why", "inactive organisation"}}.dump()));
    TRY_STATUS(tx->Commit());
    return Fail(ErrorCode::kUnauthenticated, "invalid_credentials",
                "the username or password is wrong");
  }
  if (!ok) {
    TRY(bool locked, CountFailedAttempt(*tx, *fresh));
    TRY_STATUS(Audit(*tx, who, "auth.login_failed", "user", uid,
                     Json{{"why", fresh->user.active ? "wrong password" : "inactive account"},
                          {"locked", locked}}
                         .dump()));
    TRY_STATUS(tx->Commit());
    return invalid();
  }
  // The password was right: only now is the second factor asked for.
  TRY(auto second, CheckSecondFactor(*this, *tx, who, code));
  if (second == SecondFactorCheck::kMissing)
    return Fail(ErrorCode::kUnauthenticated, "second_factor_required",
                "this account signs in with a second factor: send the code of your "
                "authenticator app (or a recovery code)",
                "code");
  if (second == SecondFactorCheck::kRejected) {
    TRY(bool locked, CountFailedAttempt(*tx, *fresh));
    TRY_STATUS(Audit(*tx, who, "auth.login_failed", "user", uid,
                     Json{{"why", "wrong second factor"}, {"locked", locked}}.dump()));
    TRY_STATUS(tx->Commit());
    throttle_->Record(client_key, Now());
    return Fail(ErrorCode::kUnauthenticated, "second_factor_invalid",
                "the code is wrong or was used already", "code");
  }
  TRY_STATUS(tx->SetLoginState(fresh->user.id, 0, std::nullopt));
  TRY_STATUS(tx->DeleteExpiredSessions(Now()));
  LoginResult result;
  result.token = privacy::RandomToken();
  result.csrf_token = privacy::RandomToken();
  result.user = fresh->user;
  result.expires_at = Now() + std::chrono::hours(config_.session_hours);
  result.second_factor_enrolment_required =
      second == SecondFactorCheck::kNotEnrolled && config_.SecondFactorRequired(fresh->user.role);
  TRY_STATUS(tx->InsertSession(store::Session{privacy::Digest(result.token), fresh->user.id,
                                              result.csrf_token, Now(), result.expires_at}));
  TRY_STATUS(Audit(*tx, who, "auth.login", "user", uid, "{}"));
  TRY_STATUS(tx->Commit());
  return result;
}

Result<Authenticated> App::Authenticate(const std::string& token, const std::string& request_id) {
  auto unauthenticated = [] {
    return Fail(ErrorCode::kUnauthenticated, "unauthenticated",
                "log in first (session missing or expired)");
  };
  if (token.empty() || token.size() > 200) return unauthenticated();
  TRY(auto tx, store_->Begin(false));
  TRY(auto session, tx->FindSession(privacy::Digest(token)));
  if (!session || session->expires_at <= Now()) return unauthenticated();
  TRY(auto user, tx->GetUser(session->user_id));
  if (!user || !user->user.active) return unauthenticated();
  TRY(auto org, tx->GetOrganization(user->user.organization_id));
  if (org && !org->active) return unauthenticated();
  Authenticated a;
  a.actor.user_id = user->user.id;
  a.actor.username = user->user.username;
  a.actor.role = user->user.role;
  a.actor.organization_id = user->user.organization_id;
  a.actor.request_id = request_id;
  a.csrf_token = session->csrf_token;
  a.password_change_required = user->user.must_change_password;
  a.second_factor_enrolment_required =
      config_.SecondFactorRequired(user->user.role) && !user->user.second_factor;
  return a;
}

Status App::Logout(const Actor& actor, const std::string& token) {
  TRY(auto tx, store_->Begin(true));
  TRY_STATUS(tx->DeleteSession(privacy::Digest(token)));
  TRY_STATUS(Audit(*tx, actor, "auth.logout", "user", std::to_string(actor.user_id), "{}"));
  return tx->Commit();
}

Result<domain::User> App::Me(const Actor& actor) {
  TRY(auto tx, store_->Begin(false));
  TRY(auto user, tx->GetUser(actor.user_id));
  if (!user) return Fail(ErrorCode::kUnauthenticated, "unauthenticated", "log in first");
  return user->user;
}

// ---------------------------------------------------------------- organisations, users

Result<domain::Organization> App::CreateOrganization(const Actor& actor, domain::Organization o,
                                                     const WriteOptions& w) {
  TRY_STATUS(Require(actor, P::kManageOrganizations));
  TRY_STATUS(domain::ValidateOrganization(o));
  return IdempotentWrite<domain::Organization>(
      actor, w, "organization",
      [&](store::Transaction& tx, Id replay) { return tx.GetOrganization(replay); },
      [&](store::Transaction& tx) -> Result<Written<domain::Organization>> {
        TRY(bool taken, tx.OrganizationNameTaken(o.name));
        if (taken)
          return Fail(ErrorCode::kConflict, "duplicate_name",
                      "an organisation with this name already exists", "name");
        o.created_at = Now();
        TRY(o.id, tx.InsertOrganization(o));
        TRY_STATUS(Audit(tx, actor, "organization.create", "organization", std::to_string(o.id),
                         Json{{"name", o.name}, {"kind", Name(o.kind)}}.dump()));
        return Written<domain::Organization>{o, o.id};
      });
}

Result<Page<domain::Organization>> App::ListOrganizations(const Actor&, const PageRequest& p) {
  // Every signed-in user may see the coalition's directory (referral targets).
  TRY_STATUS(CheckLimit(p.limit));
  TRY(std::int64_t after, ParseCursor(p.cursor));
  TRY(auto tx, store_->Begin(false));
  TRY(auto rows, tx->ListOrganizations(after, p.limit + 1));
  return MakePage(std::move(rows), p.limit, [](const auto& o) { return o.id; });
}

Result<domain::Organization> App::GetOrganization(const Actor&, Id id) {
  TRY(auto tx, store_->Begin(false));
  TRY(auto o, tx->GetOrganization(id));
  if (!o) return Fail(ErrorCode::kNotFound, "not_found", "no such organisation");
  return *o;
}

Result<domain::Organization> App::UpdateOrganization(const Actor& actor, Id id,
                                                     const OrganizationChange& change,
                                                     const WriteOptions& w) {
  TRY_STATUS(Require(actor, P::kManageOrganizations));
  if (!change.name && !change.kind && !change.region && !change.active)
    return Invalid("body", "names no field to change");
  return IdempotentWrite<domain::Organization>(
      actor, w, "organization_update",
      [&](store::Transaction& tx, Id replay) { return tx.GetOrganization(replay); },
      [&](store::Transaction& tx) -> Result<Written<domain::Organization>> {
        TRY(auto current, tx.GetOrganization(id));
        if (!current) return Fail(ErrorCode::kNotFound, "not_found", "no such organisation");
        if (id == actor.organization_id && change.active == false)
          return Fail(ErrorCode::kForbidden, "forbidden",
                      "your own organisation is deactivated by another administrator",
                      "active");
        domain::Organization o = *current;
        if (change.name) o.name = *change.name;
        if (change.kind) o.kind = *change.kind;
        if (change.region) o.region = *change.region;
        if (change.active) o.active = *change.active;
        TRY_STATUS(domain::ValidateOrganization(o));
        TRY(bool taken, tx.OrganizationNameTaken(o.name, id));
        if (taken)
          return Fail(ErrorCode::kConflict, "duplicate_name",
                      "an organisation with this name already exists", "name");
        Json changed = Json::array();
        if (o.name != current->name) changed.push_back("name");
        if (o.kind != current->kind) changed.push_back("kind");
        if (o.region != current->region) changed.push_back("region");
        if (o.active != current->active) changed.push_back("active");
        TRY_STATUS(tx.UpdateOrganization(o));
        if (!o.active && current->active) {
          store::UserFilter f;
          f.organization_id = id;
          f.limit = 100000;
          TRY(auto users, tx.ListUsers(f));
          for (const auto& u : users) TRY_STATUS(tx.DeleteSessionsOfUser(u.id));
        }
        TRY_STATUS(Audit(tx, actor, "organization.update", "organization", std::to_string(id),
                         Json{{"changed", changed}, {"active", o.active}}.dump()));
        return Written<domain::Organization>{o, id};
      });
}

Result<domain::User> App::CreateUser(const Actor& actor, const NewUser& u,
                                     const WriteOptions& w) {
  TRY_STATUS(Require(actor, P::kManageUsers));
  TRY_STATUS(domain::ValidateUsername(u.username));
  TRY_STATUS(CheckPasswordPolicy(u.password, u.username));
  TRY_STATUS(AccessPolicy::MayCreateAccount(actor, u.role));
  // Hash before the transaction: Argon2id is deliberately slow.
  TRY(std::string hash, privacy::HashPassword(u.password));
  return IdempotentWrite<domain::User>(
      actor, w, "user",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<domain::User>> {
        TRY(auto existing, tx.GetUser(replay));
        if (existing) return existing->user;
        return std::optional<domain::User>();
      },
      [&](store::Transaction& tx) -> Result<Written<domain::User>> {
        TRY(auto org, tx.GetOrganization(u.organization_id));
        if (!org) return Invalid("organization_id", "no such organisation");
        if (!org->active) return Invalid("organization_id", "the organisation is deactivated");
        TRY(auto same, tx.FindUserByUsername(u.username));
        if (same)
          return Fail(ErrorCode::kConflict, "duplicate_username", "this username is taken",
                      "username");
        domain::User user;
        user.username = u.username;
        user.role = u.role;
        user.organization_id = u.organization_id;
        user.created_at = Now();
        if (actor.user_id != 0) user.created_by = actor.user_id;
        TRY(user.id, tx.InsertUser(user, hash));
        TRY_STATUS(Audit(tx, actor, "user.create", "user", std::to_string(user.id),
                         Json{{"username", user.username},
                              {"role", Name(user.role)},
                              {"organization_id", user.organization_id}}
                             .dump()));
        return Written<domain::User>{user, user.id};
      });
}

namespace {

// What a replayed account write answers: the account as it is now.
Result<std::optional<domain::User>> ReplayedUser(store::Transaction& tx, Id replay) {
  TRY(auto u, tx.GetUser(replay));
  if (!u) return std::optional<domain::User>();
  return std::optional<domain::User>(u->user);
}

// The account an administrator acts on, under the rules of creating accounts: the target
// role (and the one it has) must be one the actor may create, and never the actor's own.
Result<store::StoredUser> ManagedUser(store::Transaction& tx, const Actor& actor, Id user_id,
                                      std::optional<domain::Role> new_role) {
  TRY(auto user, tx.GetUser(user_id));
  if (!user) return Fail(ErrorCode::kNotFound, "not_found", "no such user");
  if (user->user.id == actor.user_id)
    return Fail(ErrorCode::kForbidden, "forbidden",
                "your own account is changed by another administrator");
  TRY_STATUS(AccessPolicy::MayCreateAccount(actor, user->user.role));
  if (new_role) TRY_STATUS(AccessPolicy::MayCreateAccount(actor, *new_role));
  return *user;
}

}  // namespace

Result<domain::User> App::UpdateUser(const Actor& actor, Id user_id, const UserChange& change,
                                     const WriteOptions& w) {
  TRY_STATUS(Require(actor, P::kManageUsers));
  if (!change.role && !change.active) return Invalid("role", "give a new role or active");
  return IdempotentWrite<domain::User>(
      actor, w, "user_update",
      ReplayedUser,
      [&](store::Transaction& tx) -> Result<Written<domain::User>> {
        TRY(auto managed, ManagedUser(tx, actor, user_id, change.role));
        domain::User u = managed.user;
        Json changed = Json::object();
        if (change.role && *change.role != u.role)
          changed["role"] = {{"old", Name(u.role)}, {"new", Name(*change.role)}};
        if (change.active && *change.active != u.active)
          changed["active"] = {{"old", u.active}, {"new", *change.active}};
        u.role = change.role.value_or(u.role);
        u.active = change.active.value_or(u.active);
        TRY_STATUS(tx.UpdateUser(u.id, u.role, u.active));
        if (!changed.empty()) TRY_STATUS(tx.DeleteSessionsOfUser(u.id));
        TRY_STATUS(Audit(tx, actor, "user.update", "user", std::to_string(u.id),
                         Json{{"username", u.username}, {"changes", changed}}.dump()));
        return Written<domain::User>{u, u.id};
      });
}

Result<domain::User> App::UnlockUser(const Actor& actor, Id user_id, const WriteOptions& w) {
  TRY_STATUS(Require(actor, P::kManageUsers));
  return IdempotentWrite<domain::User>(
      actor, w, "user_unlock",
      ReplayedUser,
      [&](store::Transaction& tx) -> Result<Written<domain::User>> {
        TRY(auto managed, ManagedUser(tx, actor, user_id, std::nullopt));
        TRY_STATUS(tx.SetLoginState(user_id, 0, std::nullopt));
        TRY_STATUS(Audit(tx, actor, "user.unlock", "user", std::to_string(user_id),
                         Json{{"username", managed.user.username}}.dump()));
        return Written<domain::User>{managed.user, user_id};
      });
}

Result<PasswordReset> App::ResetPassword(const Actor& actor, Id user_id) {
  TRY_STATUS(Require(actor, P::kManageUsers));
  // Read aloud or handed over on paper, and used once.
  const std::string password = privacy::RandomPassword();
  TRY(std::string hash, privacy::HashPassword(password));
  TRY(auto tx, store_->Begin(true));
  TRY(auto managed, ManagedUser(*tx, actor, user_id, std::nullopt));
  TRY_STATUS(tx->SetPasswordHash(user_id, hash, /*must_change=*/true));
  TRY_STATUS(tx->DeleteSessionsOfUser(user_id));
  TRY_STATUS(Audit(*tx, actor, "user.password_reset", "user", std::to_string(user_id),
                   Json{{"username", managed.user.username}}.dump()));
  TRY_STATUS(tx->Commit());
  managed.user.must_change_password = true;
  return PasswordReset{managed.user, password};
}

Result<domain::User> App::SetOwnLanguage(const Actor& actor, domain::Language language) {
  TRY(auto tx, store_->Begin(true));
  TRY(auto user, tx->GetUser(actor.user_id));
  if (!user) return Fail(ErrorCode::kUnauthenticated, "unauthenticated", "log in first");
  if (user->user.language == language) return user->user;
  TRY_STATUS(tx->SetUserLanguage(actor.user_id, language));
  TRY_STATUS(Audit(*tx, actor, "user.language", "user", std::to_string(actor.user_id),
                   Json{{"language", Name(language)}}.dump()));
  TRY_STATUS(tx->Commit());
  user->user.language = language;
  return user->user;
}

Status App::ChangeOwnPassword(const Actor& actor, const std::string& token,
                              const std::string& old_password, const std::string& new_password) {
  if (old_password.empty()) return Invalid("old_password", "is required");
  TRY_STATUS(CheckPasswordPolicy(new_password, actor.username, "new_password"));
  if (new_password == old_password)
    return Invalid("new_password", "must differ from the old password");
  std::optional<store::StoredUser> user;
  {
    TRY(auto tx, store_->Begin(false));
    TRY(user, tx->GetUser(actor.user_id));
  }
  if (!user) return Fail(ErrorCode::kUnauthenticated, "unauthenticated", "log in first");
  // Argon2id outside any transaction, as at login.
  const bool ok = privacy::VerifyPassword(user->password_hash, old_password);
  TRY(std::string hash, ok ? privacy::HashPassword(new_password) : Result<std::string>(""));
  TRY(auto tx, store_->Begin(true));
  // Re-read under the write lock: a reset or a lock-out in between wins.
  TRY(auto fresh, tx->GetUser(actor.user_id));
  if (!fresh || !fresh->user.active || fresh->password_hash != user->password_hash)
    return Fail(ErrorCode::kConflict, "password_changed",
                "the password was changed or reset in the meantime; sign in again");
  if (fresh->locked_until && *fresh->locked_until > Now())
    return Fail(ErrorCode::kRateLimited, "account_locked",
                "this account is locked after repeated wrong passwords; try again later");
  if (!ok) {
    // Guessing the old password from a stolen session counts like guessing at sign-in.
    TRY(bool locked, CountFailedAttempt(*tx, *fresh));
    if (locked) TRY_STATUS(tx->DeleteSessionsOfUser(actor.user_id));
    TRY_STATUS(Audit(*tx, actor, "user.password_change_refused", "user",
                     std::to_string(actor.user_id),
                     Json{{"why", "wrong old password"}, {"locked", locked}}.dump()));
    TRY_STATUS(tx->Commit());
    return Fail(ErrorCode::kValidation, "wrong_password", "the old password is wrong",
                "old_password");
  }
  TRY_STATUS(tx->SetPasswordHash(actor.user_id, hash, /*must_change=*/false));
  TRY_STATUS(tx->DeleteSessionsOfUser(actor.user_id, privacy::Digest(token)));
  TRY_STATUS(Audit(*tx, actor, "user.password_change", "user", std::to_string(actor.user_id),
                   "{}"));
  return tx->Commit();
}

Result<Page<domain::User>> App::ListUsers(const Actor& actor, const UserQuery& q) {
  store::UserFilter f;
  TRY_STATUS(AccessPolicy::ScopeUserList(actor, q.organization_id, f));
  TRY_STATUS(CheckLimit(q.page.limit));
  TRY(f.after_id, ParseCursor(q.page.cursor));
  f.role = q.role;
  f.active = q.active;
  f.limit = q.page.limit + 1;
  TRY(auto tx, store_->Begin(false));
  TRY(auto rows, tx->ListUsers(f));
  return MakePage(std::move(rows), q.page.limit, [](const auto& u) { return u.id; });
}

// ---------------------------------------------------------------- cases

Result<std::optional<domain::Case>> App::ReplayedCase(store::Transaction& tx, const Actor& actor,
                                                      Id case_id) {
  TRY(auto exists, tx.GetCase(case_id));
  if (!exists) return std::optional<domain::Case>();
  // A replay shows the case as it is now: only to who may still read it.
  TRY(CaseAccess access, Access(tx, actor, case_id));
  TRY_STATUS(access.RequireRead(DataCategory::kCaseFacts));
  return std::optional<domain::Case>(access.Case());
}

Result<CaseAccess> App::Access(store::Transaction& tx, const Actor& actor, Id case_id) {
  return AccessPolicy::Decide(tx, actor, case_id, Today());
}

Result<App::CaseRead> App::BeginCaseRead(const Actor& actor, Id case_id) {
  TRY(auto tx, store_->Begin(false));
  TRY(CaseAccess access, Access(*tx, actor, case_id));
  if (access.CrossOrganisation()) {
    tx.reset();
    TRY(tx, store_->Begin(true));
    TRY(access, Access(*tx, actor, case_id));
  }
  return CaseRead{std::move(tx), std::move(access)};
}

Status App::FinishCaseRead(CaseRead& read, const Actor& actor, std::string_view what,
                           const std::vector<DataCategory>& shown) {
  if (!read.access.CrossOrganisation()) return {};
  TRY_STATUS(AuditDisclosure(*read.tx, actor, read.access, what, shown));
  return read.tx->Commit();
}

Status App::AuditDisclosure(store::Transaction& tx, const Actor& actor, const CaseAccess& access,
                            std::string_view what, const std::vector<DataCategory>& shown) {
  if (!access.CrossOrganisation()) return {};
  const domain::Case& c = access.Case();
  Json details = access.Grounds();
  details["code"] = c.code;
  details["owner_organization_id"] = c.organization_id;
  details["what"] = what;
  details["categories"] = domain::EnumListToJson(shown);
  return Audit(tx, actor, "case.disclosure", "case", std::to_string(c.id), details.dump());
}

std::string_view Name(MatchBand b) { return b == MatchBand::kExact ? "exact" : "probable"; }

namespace {

std::vector<KnownElsewhere> ElsewhereOf(const std::vector<EarlierRegistration>& earlier) {
  std::vector<KnownElsewhere> out;
  for (const auto& e : earlier)
    if (!e.own) out.push_back(KnownElsewhere{e.organization_kind, e.identified_on});
  return out;
}

}  // namespace

Result<std::vector<EarlierRegistration>> App::EarlierRegistrations(store::Transaction& tx,
                                                                   const Actor& actor,
                                                                   const std::string& blind,
                                                                   const std::string& clk,
                                                                   Id except_person) {
  // person -> (band, its most recent case, where it was registered)
  struct Candidate {
    MatchBand band;
    std::optional<Id> case_id;
    domain::OrgKind kind;
    Timestamp created_at;
  };
  std::map<Id, Candidate> found;
  if (!blind.empty()) {
    TRY(auto matches, tx.FindPersonsByBlindIndex(blind));
    for (const auto& m : matches)
      if (m.person_id != except_person)
        found.emplace(m.person_id,
                      Candidate{MatchBand::kExact, m.case_id, m.organization_kind, m.created_at});
  }
  TRY(auto others, tx.ListPersonClks());
  std::erase_if(others, [&](const store::PersonClk& p) {
    return p.person_id == except_person || p.clk.size() != clk.size() || clk.empty();
  });
  if (!others.empty()) {
    std::vector<std::vector<uint8_t>> rows;
    for (const auto& p : others) rows.emplace_back(p.clk.begin(), p.clk.end());
    TRY(auto matrix, privacy::ClkMatrix::Create(rows));
    privacy::DiceOptions options;
    options.threshold = config_.duplicate_warning_threshold;
    options.top_k = 10;
    options.threads = 1;
    std::vector<uint8_t> query(clk.begin(), clk.end());
    TRY(auto close, privacy::DiceOneToMany(query, matrix, options));
    for (const auto& c : close) {
      const auto& p = others[c.b];
      found.emplace(p.person_id,
                    Candidate{MatchBand::kProbable, p.case_id, p.organization_kind, p.created_at});
    }
  }
  std::vector<EarlierRegistration> out;
  for (const auto& [person_id, cand] : found) {
    EarlierRegistration e;
    e.band = cand.band;
    e.organization_kind = cand.kind;
    e.identified_on = domain::Date(std::chrono::floor<std::chrono::days>(cand.created_at));
    if (cand.case_id) {
      // A second registration closed as a duplicate stands for the case kept.
      Id case_id = *cand.case_id;
      TRY(auto registered, tx.GetCase(case_id));
      if (registered && registered->duplicate_of) case_id = *registered->duplicate_of;
      auto access = Access(tx, actor, case_id);
      if (!access && access.error().code != ErrorCode::kNotFound &&
          access.error().code != ErrorCode::kForbidden)
        return std::unexpected(access.error());
      if (access && AccessPolicy::SeesEarlierCase(*access)) {
        e.own = true;
        e.case_id = access->Case().id;
        e.case_code = access->Case().code;
      } else {
        // Only the day it was identified, read here and told as a date.
        TRY(auto c, tx.GetCase(case_id));
        if (c) e.identified_on = c->fields.identified_on;
      }
    }
    out.push_back(std::move(e));
  }
  // Exact before probable, own before elsewhere, earlier first; one entry per own case.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.band, b.own, a.identified_on) < std::tie(b.band, a.own, b.identified_on);
  });
  std::set<Id> own_cases;
  std::erase_if(out, [&](const EarlierRegistration& e) {
    return e.own && !own_cases.insert(e.case_id).second;
  });
  return out;
}

Result<privacy::MasterKey> App::MasterKeyById(const std::string& id) {
  std::lock_guard lock(keyring_mu_);
  if (const auto* m = live_keyring_->Master(id)) return *m;
  // Unknown: `haven keys rotate` may have added it since this process read the file.
  TRY(privacy::Keyring reread, privacy::Keyring::Load(config_.KeyringPath()));
  live_keyring_ = std::make_shared<const privacy::Keyring>(std::move(reread));
  if (const auto* m = live_keyring_->Master(id)) {
    spdlog::info("keyring read again: it holds master key {}", id);
    return *m;
  }
  return Fail(ErrorCode::kInternal, "master_key_unknown",
              fmt::format("a data key is wrapped by master key {}, which the keyring does not "
                          "hold (an old backup? use the keyring file retired with it)",
                          id));
}

Result<privacy::MasterKey> App::WrappingMasterKey(store::Transaction& tx) {
  TRY(auto current, tx.Keys().CurrentMasterKeyId());
  if (current) return MasterKeyById(*current);
  std::lock_guard lock(keyring_mu_);
  return live_keyring_->CurrentMaster();
}

Result<privacy::SealingKey> App::ScopeKey(store::Transaction& tx, const std::string& scope,
                                          Id legacy_organization_id) {
  privacy::SealingKey out;
  out.legacy = keyring_.OrganizationDataKey(legacy_organization_id);
  TRY(auto stored, tx.Keys().FindDataKey(scope));
  if (stored && stored->erased_at)
    return Fail(ErrorCode::kGone, "identity_erased",
                "the identity and the free text of this person were erased at the end of "
                "the retention period; the case's anonymous facts remain");
  if (!stored) {
    if (!tx.Writable()) return out;  // only format-1 values can exist
    TRY(Id id, tx.Keys().InsertDataKey(scope, Now()));
    TRY(privacy::MasterKey master, WrappingMasterKey(tx));
    privacy::Key key = privacy::RandomKey();
    TRY_STATUS(tx.Keys().SetWrappedKey(
        id, master.id, privacy::WrapKey(master, static_cast<std::uint64_t>(id), scope, key)));
    out.data = privacy::DataKey{static_cast<std::uint64_t>(id), key};
    return out;
  }
  TRY(privacy::MasterKey master, MasterKeyById(stored->master_key_id));
  TRY(privacy::Key key, privacy::UnwrapKey(master, static_cast<std::uint64_t>(stored->id),
                                           scope, stored->wrapped));
  out.data = privacy::DataKey{static_cast<std::uint64_t>(stored->id), key};
  return out;
}

Result<privacy::SealingKey> App::PersonKey(store::Transaction& tx, Id person_id,
                                           Id registering_organization_id) {
  return ScopeKey(tx, fmt::format("person:{}", person_id), registering_organization_id);
}

Result<privacy::SealingKey> App::CaseKey(store::Transaction& tx, const domain::Case& c) {
  return PersonKey(tx, c.person_id, c.sealing_organization_id);
}

Result<privacy::SealingKey> App::OrganizationKey(store::Transaction& tx, Id organization_id) {
  return ScopeKey(tx, fmt::format("organization:{}", organization_id), organization_id);
}

Result<domain::PersonIdentity> App::OpenPersonIdentity(store::Transaction& tx,
                                                       const store::StoredPerson& person) {
  TRY(auto key, PersonKey(tx, person.id, person.organization_id));
  if (person.sealed_identity.empty())
    return Internal(fmt::format("person {} has no sealed identity", person.id));
  TRY(std::string plain, OpenField(key, person.sealed_identity, PersonAd(person.id)));
  auto j = Json::parse(plain, nullptr, false);
  if (j.is_discarded()) return Internal("a sealed identity is not valid JSON");
  // The format at rest, read leniently: a record sealed years ago opens whatever the API
  // accepts today.
  return domain::IdentityRecordFromJson(j);
}

Status App::SealPersonIdentity(store::Transaction& tx, Id person_id,
                               Id registering_organization_id,
                               const domain::PersonIdentity& identity, const std::string& blind,
                               const std::string& clk) {
  TRY(auto key, PersonKey(tx, person_id, registering_organization_id));
  TRY(std::string sealed, SealField(key, domain::IdentityRecordToJson(identity).dump(),
                                    PersonAd(person_id)));
  return tx.SetPersonIdentity(person_id, sealed, blind, clk);
}

Result<CreatedCase> App::CreateCase(const Actor& actor, const domain::NewCase& input,
                                    const WriteOptions& w) {
  TRY_STATUS(Require(actor, P::kCreateCase));
  Id org_id = input.fields.organization_id.value_or(AccessPolicy::OwnOrganisation(actor));
  TRY_STATUS(AccessPolicy::MayRegisterFor(actor, org_id));
  TRY_STATUS(domain::ValidateNewCase(input, Today()));

  TRY(auto tx, store_->Begin(true));
  CreatedCase result;
  TRY(auto replay, Replay(*tx, actor, w, "case"));
  if (replay) {
    TRY(auto existing, ReplayedCase(*tx, actor, *replay));
    if (existing) {
      result.c = *existing;
      return result;
    }
  }
  TRY(auto org, tx->GetOrganization(org_id));
  if (!org) return Invalid("organization_id", "no such organisation");

  const Timestamp now = Now();
  std::string blind = PersonBlind(input.person);
  TRY(std::string clk, PersonClk(input.person));
  TRY(result.earlier, EarlierRegistrations(*tx, actor, blind, clk));
  result.known_elsewhere = ElsewhereOf(result.earlier);

  TRY(Id person_id, tx->InsertPerson(org_id, now));
  TRY_STATUS(SealPersonIdentity(*tx, person_id, org_id, input.person, blind, clk));

  domain::Case& c = result.c;
  c.fields = input.fields;
  c.fields.organization_id = org_id;
  c.organization_id = org_id;
  c.person_id = person_id;
  c.transnational = domain::DeriveTransnational(input.fields);
  c.fields.transnational = c.transnational;
  std::sort(c.fields.exploitation.begin(), c.fields.exploitation.end());
  c.status = domain::CaseStatus::kIdentified;
  c.sex = input.person.sex;
  c.citizenship = input.person.citizenship;
  c.age_at_identification = domain::AgeAtIdentification(input.person, input.fields.identified_on);
  c.anonymous = input.person.Anonymous();
  // The one who registers a case is in charge of it until a supervisor says otherwise.
  if (Can(actor.role, P::kChangeCase)) c.assigned_to = actor.user_id;
  c.created_at = c.updated_at = now;
  int year = input.fields.identified_on.Year();
  TRY(std::int64_t number, tx->NextCaseNumber(year));
  c.code = fmt::format("{}-{}-{:06d}", config_.country_code, year, number);
  TRY(c.id, tx->InsertCase(c));
  c.sealing_organization_id = org_id;
  TRY_STATUS(tx->Coalition().InsertOwnership(domain::CaseOwnership{c.id, org_id, now, {}, {}}));
  TRY_STATUS(Audit(*tx, actor, "case.create", "case", std::to_string(c.id),
                   Json{{"code", c.code},
                        {"organization_id", org_id},
                        {"person_id", person_id},
                        {"known_elsewhere", result.known_elsewhere.size()},
                        {"earlier_registrations", result.earlier.size()}}
                       .dump()));
  TRY_STATUS(Remember(*tx, actor, w, "case", c.id));
  TRY_STATUS(tx->Commit());
  return result;
}

namespace {

// The ages at identification of a band as statistics name them.
Status AgeFilter(const std::string& band, store::CaseFilter& f) {
  if (band == "unknown") {
    f.age_unknown = true;
    return {};
  }
  if (band == "child") {
    f.max_age = 17;
    return {};
  }
  if (band == "adult") {
    f.min_age = 18;
    return {};
  }
  for (int age = 0; age < 120; ++age) {
    if (domain::AgeGroup(age) != band) continue;
    f.min_age = age;
    int last = age;
    while (last + 1 < 130 && domain::AgeGroup(last + 1) == band) ++last;
    if (last < 129) f.max_age = last;
    return {};
  }
  return Invalid("age_group",
                 "must be child, adult, unknown or an age band such as 0-8, 18-20 or 48+");
}

}  // namespace

Result<Page<CaseRow>> App::ListCases(const Actor& actor, const CaseQuery& q) {
  TRY_STATUS(CheckLimit(q.page.limit));
  TRY(std::int64_t before, ParseCursor(q.page.cursor));
  store::CaseFilter f;
  if (q.code) TRY_STATUS(domain::CheckCaseCode(*q.code, "code"));
  f.code = q.code;
  f.status = q.status;
  f.year = q.year;
  f.assigned_to = q.assigned_to_me ? std::optional<Id>(actor.user_id) : q.assigned_to;
  f.unassigned = q.unassigned;
  f.exploitation = q.exploitation;
  f.region = q.region;
  if (q.region) TRY_STATUS(domain::CheckAzRegion(*q.region, "region"));
  if (q.age_group) TRY_STATUS(AgeFilter(*q.age_group, f));
  f.ids = q.ids;
  TRY_STATUS(AccessPolicy::ScopeCaseList(actor, q.organization_id, f));
  f.limit = q.page.limit + 1;
  TRY(auto tx, store_->Begin(false));
  Page<CaseRow> out;
  TRY(out.total, tx->CountCases(f));
  if (before) f.before_id = before;
  TRY(auto rows, tx->ListCases(f));
  auto page = MakePage(std::move(rows), q.page.limit, [](const auto& c) { return c.id; });
  out.next_cursor = page.next_cursor;
  for (auto& c : page.items) {
    TRY(CaseAccess access, AccessPolicy::Decide(*tx, actor, std::move(c), Today()));
    // A shared case shows its code only: its facts are disclosed when it is opened.
    bool facts = access.CanRead(DataCategory::kCaseFacts) &&
                 access.Basis() != AccessBasis::kConsent &&
                 access.Basis() != AccessBasis::kOverride;
    out.items.push_back(CaseRow{access.Case(), facts, access.Basis()});
  }
  return out;
}

Result<CaseDetail> App::GetCase(const Actor& actor, Id id) {
  return ReadCase<CaseDetail>(
      actor, id, "case",
      [&](store::Transaction& tx, const CaseAccess& access) -> Result<CaseDetail> {
        const domain::Case& c = access.Case();
        CaseDetail d;
        d.c = c;
        d.basis = access.Basis();
        d.categories = access.Readable();
        d.case_facts_visible = access.CanRead(DataCategory::kCaseFacts);
        if (d.categories.empty()) TRY_STATUS(access.RequireRead(DataCategory::kCaseFacts));
        if (!d.case_facts_visible) return d;
        bool notes = access.CanRead(DataCategory::kNotes);
        std::optional<privacy::SealingKey> key;
        if (notes) {
          auto k = CaseKey(tx, c);
          // Erased at the end of retention: the case's facts remain, its notes are gone.
          if (!k && k.error().code == ErrorCode::kGone) notes = false;
          else if (!k) return std::unexpected(k.error());
          else key = std::move(*k);
        }
        TRY(auto transitions, tx.ListTransitions(id));
        for (auto& st : transitions) {
          TransitionView v{st.transition, notes};
          if (notes && !st.sealed_note.empty()) {
            TRY(v.transition.note,
                OpenField(*key, st.sealed_note, TransitionNoteAd(c.id, st.transition.id)));
          }
          d.transitions.push_back(std::move(v));
        }
        if (access.CanWrite(DataCategory::kCaseFacts) && Can(actor.role, P::kChangeCase)) {
          auto next = domain::NextStatuses(c.status);
          d.allowed_next.assign(next.begin(), next.end());
        }
        return d;
      },
      [](const CaseDetail& d) {
        std::vector<DataCategory> shown;
        if (d.case_facts_visible) shown.push_back(DataCategory::kCaseFacts);
        if (d.case_facts_visible &&
            std::any_of(d.transitions.begin(), d.transitions.end(),
                        [](const TransitionView& v) { return v.note_visible; }))
          shown.push_back(DataCategory::kNotes);
        return shown;
      });
}

namespace {

// The names of the identity's fields whose values differ: what an audit entry of a
// correction may say.
std::vector<std::string> ChangedFields(const Json& before, const Json& after) {
  std::vector<std::string> out;
  for (const auto& [key, value] : after.items())
    if (!before.contains(key) || before[key] != value) out.push_back(key);
  for (const auto& [key, value] : before.items())
    if (!after.contains(key)) out.push_back(key);
  return out;
}

}  // namespace

Result<IdentityDisclosure> App::ViewIdentity(const Actor& actor, Id case_id,
                                             const std::string& reason) {
  TRY_STATUS(Require(actor, P::kViewIdentity));
  TRY_STATUS(domain::CheckStatedReason(reason, "reason", "need the identity"));
  TRY(auto tx, store_->Begin(true));
  TRY(CaseAccess access, Access(*tx, actor, case_id));
  IdentityDisclosure d;
  d.identity_visible = access.CanRead(DataCategory::kIdentity);
  d.contacts_visible = access.CanRead(DataCategory::kContacts);
  if (!d.identity_visible && !d.contacts_visible)
    TRY_STATUS(access.RequireRead(DataCategory::kIdentity));
  const domain::Case& c = access.Case();
  TRY(auto person, tx->GetPerson(c.person_id));
  if (!person) return Internal(fmt::format("case {} has no person", case_id));
  TRY(d.identity, OpenPersonIdentity(*tx, *person));
  if (!d.contacts_visible) {
    d.identity.contacts.clear();
    // The guardian's phone and address are contacts too.
    if (d.identity.guardian) d.identity.guardian->contacts.clear();
  }
  if (!d.identity_visible) {
    domain::PersonIdentity only_contacts;
    only_contacts.contacts = std::move(d.identity.contacts);
    d.identity = std::move(only_contacts);
  }
  std::vector<DataCategory> shown;
  if (d.identity_visible) shown.push_back(DataCategory::kIdentity);
  if (d.contacts_visible) shown.push_back(DataCategory::kContacts);
  Json details = access.Grounds();
  details["code"] = c.code;
  details["person_id"] = c.person_id;
  details["categories"] = domain::EnumListToJson(shown);
  TRY_STATUS(Audit(*tx, actor, "case.identity_view", "case", std::to_string(case_id),
                   details.dump(), reason));
  TRY_STATUS(tx->Commit());
  return d;
}

Result<CorrectedIdentity> App::CorrectIdentity(const Actor& actor, Id case_id,
                                               const domain::PersonIdentity& identity,
                                               const std::string& reason,
                                               const WriteOptions& w) {
  TRY_STATUS(Require(actor, P::kViewIdentity));
  TRY_STATUS(Require(actor, P::kChangeCase));
  TRY_STATUS(domain::CheckStatedReason(reason, "reason", "correct the identity"));
  TRY_STATUS(domain::ValidateIdentity(identity, Today(), "person."));
  // A replayed request answers with the identity as it now is, without warnings.
  return IdempotentWrite<CorrectedIdentity>(
      actor, w, "identity_correction",
      [&](store::Transaction& tx, Id) -> Result<std::optional<CorrectedIdentity>> {
        TRY(CaseAccess access, Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kIdentity));
        const domain::Case& c = access.Case();
        TRY(auto person, tx.GetPerson(c.person_id));
        if (!person) return std::optional<CorrectedIdentity>();
        TRY(auto current, OpenPersonIdentity(tx, *person));
        // The replay carries the identity too: a disclosure like any other.
        TRY_STATUS(Audit(tx, actor, "case.identity_view", "case", std::to_string(case_id),
                         Json{{"code", c.code},
                              {"person_id", c.person_id},
                              {"replay_of", "case.identity_correct"}}
                             .dump(),
                         reason));
        return CorrectedIdentity{current, {}};
      },
      [&](store::Transaction& tx) -> Result<Written<CorrectedIdentity>> {
        TRY(CaseAccess access, Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kIdentity));
        domain::Case c = access.Case();
        TRY(auto person, tx.GetPerson(c.person_id));
        if (!person) return Internal(fmt::format("case {} has no person", case_id));
        TRY(auto before, OpenPersonIdentity(tx, *person));
        CorrectedIdentity result;
        const Json before_json = domain::IdentityToJson(before);
        const Json after_json = domain::IdentityToJson(identity);
        const std::string blind = PersonBlind(identity);
        TRY(std::string clk, PersonClk(identity));
        TRY(result.earlier, EarlierRegistrations(tx, actor, blind, clk, person->id));
        result.known_elsewhere = ElsewhereOf(result.earlier);
        TRY_STATUS(
            SealPersonIdentity(tx, person->id, person->organization_id, identity, blind, clk));
        // The case keeps what statistics count of the person.
        c.sex = identity.sex;
        c.citizenship = identity.citizenship;
        c.age_at_identification = domain::AgeAtIdentification(identity, c.fields.identified_on);
        // An adult after all: the child's facts go. A child after all: her status is
        // recorded next (PATCH), and the case shows it missing until then.
        if (!c.age_at_identification || *c.age_at_identification >= 18) {
          c.fields.child_status.reset();
          c.fields.best_interests_assessed_on.reset();
        }
        c.anonymous = identity.Anonymous();
        c.updated_at = Now();
        c.version += 1;
        TRY_STATUS(tx.UpdateCase(c));
        TRY_STATUS(Audit(tx, actor, "case.identity_correct", "case", std::to_string(case_id),
                         Json{{"code", c.code},
                              {"person_id", c.person_id},
                              {"changed", ChangedFields(before_json, after_json)},
                              {"known_elsewhere", result.known_elsewhere.size()}}
                             .dump(),
                         reason));
        result.identity = identity;
        return Written<CorrectedIdentity>{result, case_id};
      });
}

Result<LookupResult> App::LookupPerson(const Actor& actor, const domain::PersonIdentity& p) {
  TRY_STATUS(Require(actor, P::kCreateCase));
  if (p.given_name.empty() && p.family_name.empty())
    return Invalid("given_name", "give the given name, the family name or both");
  if (!lookups_->Take(std::to_string(actor.user_id), Now()))
    return Fail(ErrorCode::kRateLimited, "too_many_lookups",
                fmt::format("at most {} person look-ups an hour; try again later",
                            config_.lookups_per_hour));
  const std::string blind = PersonBlind(p);
  TRY(std::string clk, PersonClk(p));
  TRY(auto tx, store_->Begin(true));
  LookupResult result;
  TRY(result.earlier, EarlierRegistrations(*tx, actor, blind, clk));
  result.elsewhere = ElsewhereOf(result.earlier);
  for (const auto& e : result.earlier)
    if (e.own) {
      TRY(auto c, tx->GetCase(e.case_id));
      if (c) result.own_cases.push_back(*c);
    }
  // What was asked is not written (it is a name); what was answered is.
  TRY_STATUS(Audit(*tx, actor, "person.lookup", "person", "",
                   Json{{"own_cases", result.own_cases.size()},
                        {"known_elsewhere", result.elsewhere.size()}}
                       .dump()));
  TRY_STATUS(tx->Commit());
  return result;
}

// ---------------------------------------------------------------- linkage

Result<std::int64_t> App::MakeMissingClks(const std::function<void(double)>& progress) {
  std::vector<std::pair<Id, std::string>> made;
  {
    TRY(auto tx, store_->Begin(false));
    TRY(auto persons, tx->ListPersonClks());
    for (std::size_t i = 0; i < persons.size(); ++i) {
      const auto& p = persons[i];
      if (!p.clk.empty()) continue;
      TRY(auto stored, tx->GetPerson(p.person_id));
      if (!stored || stored->sealed_identity.empty()) continue;
      // Unsealed in memory only, to compute the key; never written or logged.
      TRY(auto identity, OpenPersonIdentity(*tx, *stored));
      TRY(std::string clk, PersonClk(identity));
      if (!clk.empty()) made.emplace_back(p.person_id, std::move(clk));
      if (progress && i % 256 == 0) progress(static_cast<double>(i) / persons.size());
    }
  }
  if (!made.empty()) {
    TRY(auto tx, store_->Begin(true));
    for (const auto& [id, clk] : made) TRY_STATUS(tx->SetPersonClk(id, clk));
    TRY_STATUS(Audit(*tx, Actor::System("linkage"), "linkage.keys_made", "linkage", "",
                     Json{{"persons", made.size()}}.dump()));
    TRY_STATUS(tx->Commit());
  }
  if (progress) progress(1.0);
  return static_cast<std::int64_t>(made.size());
}

std::int64_t LinkageSummary::LargestCluster() const {
  if (!largest_clusters.empty()) return largest_clusters.front();
  return persons > 0 ? 1 : 0;
}

double LinkageSummary::JoinedShare() const {
  return persons > 0 ? static_cast<double>(linked_persons) / static_cast<double>(persons) : 0.0;
}

std::vector<std::string> LinkageLimitsBroken(const LinkageSummary& s, const Config& config) {
  std::vector<std::string> broken;
  // Whole persons: a share of 0.2 of 10 persons allows 2 joined, not 1.999….
  const auto allowed = static_cast<std::int64_t>(
      std::floor(config.link_max_joined_share * static_cast<double>(s.persons) + 1e-9));
  if (s.linked_persons > allowed)
    broken.push_back(fmt::format(
        "linkage.max_joined_share: {} of {} persons ({:.0f}%) would be joined with another "
        "registration, {} more than the limit of {:.0f}% ({} persons)",
        s.linked_persons, s.persons, 100 * s.JoinedShare(), s.linked_persons - allowed,
        100 * config.link_max_joined_share, allowed));
  if (s.LargestCluster() > config.link_max_cluster_size)
    broken.push_back(fmt::format(
        "linkage.max_cluster_size: the largest cluster would hold {} registrations, {} more "
        "than the limit of {}",
        s.LargestCluster(), s.LargestCluster() - config.link_max_cluster_size,
        config.link_max_cluster_size));
  return broken;
}

namespace {

// Counts clusters `after` (persons joined with another only) of the persons `person_ids`
// and what they change against `before` (the same, in force): everything of the summary
// but threshold and clks_made.
void DescribeClusters(const std::vector<Id>& person_ids,
                      const std::vector<store::PersonCluster>& before,
                      const std::vector<store::PersonCluster>& after, LinkageSummary& s) {
  auto index = [](const std::vector<store::PersonCluster>& clusters) {
    std::unordered_map<Id, Id> of;
    for (const auto& c : clusters) of[c.person_id] = c.cluster_id;
    return of;
  };
  const auto before_of = index(before), after_of = index(after);
  auto cluster = [](const std::unordered_map<Id, Id>& of, Id person) {
    auto it = of.find(person);
    return it == of.end() ? person : it->second;  // on her own
  };
  std::unordered_map<Id, std::int64_t> before_size;
  std::map<Id, std::vector<Id>> after_members;
  for (Id p : person_ids) {
    ++before_size[cluster(before_of, p)];
    after_members[cluster(after_of, p)].push_back(p);
  }
  s.persons = static_cast<std::int64_t>(person_ids.size());
  s.clusters_before = static_cast<std::int64_t>(before_size.size());
  s.linked_before = 0;
  for (const auto& [_, n] : before_size)
    if (n > 1) s.linked_before += n;
  s.clusters = static_cast<std::int64_t>(after_members.size());
  s.linked_persons = 0;
  s.changed_persons = 0;
  std::vector<std::int64_t> sizes;
  for (const auto& [_, members] : after_members) {
    const auto n = static_cast<std::int64_t>(members.size());
    if (n > 1) {
      s.linked_persons += n;
      sizes.push_back(n);
    }
    // A person keeps her cluster when it holds the same registrations as before: all of
    // them together then, and nobody else.
    const Id was = cluster(before_of, members.front());
    const bool same = before_size[was] == n &&
                      std::all_of(members.begin(), members.end(),
                                  [&](Id m) { return cluster(before_of, m) == was; });
    if (!same) s.changed_persons += n;
  }
  std::sort(sizes.begin(), sizes.end(), std::greater<>());
  if (sizes.size() > 5) sizes.resize(5);
  s.largest_clusters = std::move(sizes);
}

Json LinkageSummaryJson(const LinkageSummary& s) {
  return Json{{"threshold", s.threshold},
              {"persons", s.persons},
              {"clusters", s.clusters},
              {"linked_persons", s.linked_persons},
              {"clusters_before", s.clusters_before},
              {"linked_before", s.linked_before},
              {"changed_persons", s.changed_persons},
              {"largest_cluster", s.LargestCluster()},
              {"clks_made", s.clks_made}};
}

}  // namespace

Result<LinkageProposal> ComputeLinkage(const std::vector<store::PersonClk>& persons,
                                       const std::vector<store::PersonCluster>& current,
                                       double threshold) {
  if (!(threshold > 0 && threshold <= 1)) return Invalid("threshold", "must be in (0, 1]");
  // Union-find over every pair at or above the threshold.
  std::vector<std::size_t> parent(persons.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<double> best(persons.size(), 0.0);
  // A person without a linkage key (no identity to make it from) stays on her own.
  std::vector<std::size_t> keyed;
  for (std::size_t i = 0; i < persons.size(); ++i)
    if (!persons[i].clk.empty()) keyed.push_back(i);
  if (keyed.size() > 1) {
    std::vector<std::vector<uint8_t>> rows;
    rows.reserve(keyed.size());
    for (auto i : keyed) rows.emplace_back(persons[i].clk.begin(), persons[i].clk.end());
    TRY(auto matrix, privacy::ClkMatrix::Create(rows));
    privacy::DiceOptions options;
    options.threshold = threshold;
    options.top_k = 20;
    TRY(auto pairs, privacy::DiceCandidates(matrix, matrix, options));
    for (const auto& c : pairs) {
      if (c.a == c.b) continue;
      const std::size_t a = keyed[c.a], b = keyed[c.b];
      best[a] = std::max(best[a], c.score());
      best[b] = std::max(best[b], c.score());
      auto ra = find(a), rb = find(b);
      if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
    }
  }
  std::map<std::size_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < persons.size(); ++i) groups[find(i)].push_back(i);
  LinkageProposal out;
  for (const auto& [root, members] : groups) {
    if (members.size() < 2) continue;
    Id cluster_id = persons[members.front()].person_id;
    for (auto m : members) cluster_id = std::min(cluster_id, persons[m].person_id);
    for (auto m : members) out.clusters.push_back({persons[m].person_id, cluster_id, best[m]});
  }
  std::sort(out.clusters.begin(), out.clusters.end(),
            [](const auto& x, const auto& y) { return x.person_id < y.person_id; });
  std::vector<Id> ids;
  ids.reserve(persons.size());
  for (const auto& p : persons) ids.push_back(p.person_id);
  out.summary.threshold = threshold;
  DescribeClusters(ids, current, out.clusters, out.summary);
  return out;
}

Result<LinkageProposal> App::ProposeLinkage(const Actor& actor, double threshold,
                                            const std::function<void(double)>& progress) {
  TRY_STATUS(Require(actor, P::kImportData));
  if (!(threshold > 0 && threshold <= 1)) return Invalid("threshold", "must be in (0, 1]");
  auto report = [&](double v) {
    if (progress) progress(v);
  };
  TRY(std::int64_t clks_made, MakeMissingClks([&](double v) { report(0.4 * v); }));
  std::vector<store::PersonClk> persons;
  std::vector<store::PersonCluster> current;
  std::optional<Id> in_force;
  {
    // One snapshot: the persons, the clusters in force and the run they belong to.
    TRY(auto tx, store_->Begin(false));
    TRY(persons, tx->ListPersonClks());
    TRY(current, tx->ListPersonClusters());
    TRY(auto runs, tx->ListLinkageRuns());
    if (!runs.empty()) in_force = runs.front().id;
  }
  report(0.4);
  TRY(LinkageProposal proposal, ComputeLinkage(persons, current, threshold));
  report(0.9);
  proposal.summary.clks_made = clks_made;
  proposal.based_on_run = in_force;
  proposal.limits_broken = LinkageLimitsBroken(proposal.summary, config_);
  // Every CLK was compared: the computation is audited whether it is saved or not.
  TRY(auto tx, store_->Begin(true));
  Json details = LinkageSummaryJson(proposal.summary);
  details["limits_broken"] = proposal.limits_broken;
  TRY_STATUS(Audit(*tx, actor, "linkage.preview", "linkage", "", details.dump()));
  TRY_STATUS(tx->Commit());
  report(1.0);
  return proposal;
}

Result<LinkageApplied> App::ApplyLinkage(const Actor& actor, const LinkageProposal& proposal,
                                         bool force) {
  TRY_STATUS(Require(actor, P::kImportData));
  const LinkageSummary& s = proposal.summary;
  // Checked again here, against the configuration in force, not taken from the proposal.
  const std::vector<std::string> broken = LinkageLimitsBroken(s, config_);
  if (!broken.empty() && !force) {
    std::string all;
    for (const auto& b : broken) all += (all.empty() ? "" : "; ") + b;
    return Fail(ErrorCode::kConflict, "linkage_limits",
                fmt::format("refused to save this linkage run: it is over the guard rails of "
                            "[linkage] in haven.toml: {}. Check the threshold; a run meant to "
                            "be so is saved only when forced",
                            all));
  }
  TRY(auto tx, store_->Begin(true));
  TRY(auto runs, tx->ListLinkageRuns());
  const std::optional<Id> in_force =
      runs.empty() ? std::nullopt : std::optional<Id>(runs.front().id);
  if (in_force != proposal.based_on_run)
    return Fail(ErrorCode::kConflict, "linkage_changed",
                "another linkage run was applied or restored since this one was computed; "
                "compute it again");
  store::LinkageRunRecord run;
  run.at = Now();
  run.threshold = s.threshold;
  run.persons = s.persons;
  run.clusters = s.clusters;
  run.linked_persons = s.linked_persons;
  run.largest_cluster = s.LargestCluster();
  run.forced = !broken.empty();  // saved over the guard rails
  TRY(run.id, tx->InsertLinkageRun(proposal.clusters, run));
  Json details = LinkageSummaryJson(s);
  details["run"] = run.id;
  details["forced"] = run.forced;
  details["limits_broken"] = broken;
  TRY_STATUS(
      Audit(*tx, actor, "linkage.run", "linkage", std::to_string(run.id), details.dump()));
  TRY_STATUS(tx->Commit());
  return LinkageApplied{LinkageRunInfo{run, true}, s, in_force};
}

Result<std::vector<LinkageRunInfo>> App::ListLinkageRuns(const Actor& actor) {
  TRY_STATUS(Require(actor, P::kImportData));
  TRY(auto tx, store_->Begin(false));
  TRY(auto runs, tx->ListLinkageRuns());
  std::vector<LinkageRunInfo> out;
  out.reserve(runs.size());
  for (auto& r : runs) out.push_back(LinkageRunInfo{std::move(r), out.empty()});
  return out;
}

Result<LinkageApplied> App::RestoreLinkageRun(const Actor& actor, Id run_id) {
  TRY_STATUS(Require(actor, P::kImportData));
  TRY(auto tx, store_->Begin(true));
  TRY(auto source, tx->GetLinkageRun(run_id));
  if (!source)
    return Fail(ErrorCode::kNotFound, "not_found", fmt::format("no linkage run {}", run_id),
                "run");
  if (!source->clusters_kept)
    return Fail(ErrorCode::kConflict, "clusters_not_kept",
                fmt::format("linkage run {} was applied before runs kept their clusters: it "
                            "cannot be restored",
                            run_id));
  TRY(auto runs, tx->ListLinkageRuns());
  const std::optional<Id> in_force =
      runs.empty() ? std::nullopt : std::optional<Id>(runs.front().id);
  TRY(auto clusters, tx->ListLinkageRunClusters(run_id));
  TRY(auto current, tx->ListPersonClusters());
  TRY(auto persons, tx->ListPersonClks());
  std::vector<Id> ids;
  ids.reserve(persons.size());
  for (const auto& p : persons) ids.push_back(p.person_id);
  LinkageSummary s;
  s.threshold = source->threshold;
  // Persons registered since that run count on their own.
  DescribeClusters(ids, current, clusters, s);
  store::LinkageRunRecord run;
  run.at = Now();
  run.threshold = source->threshold;
  run.persons = s.persons;
  run.clusters = s.clusters;
  run.linked_persons = s.linked_persons;
  run.largest_cluster = s.LargestCluster();
  run.forced = source->forced;  // the clusters in force are still those saved over the rails
  run.restored_from = run_id;
  TRY(run.id, tx->InsertLinkageRun(clusters, run));
  Json details = LinkageSummaryJson(s);
  details.erase("clks_made");
  details["run"] = run.id;
  details["restored_from"] = run_id;
  TRY_STATUS(
      Audit(*tx, actor, "linkage.restore", "linkage", std::to_string(run.id), details.dump()));
  TRY_STATUS(tx->Commit());
  return LinkageApplied{LinkageRunInfo{run, true}, s, in_force};
}

}  // namespace haven::app
