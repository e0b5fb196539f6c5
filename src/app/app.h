#pragma once
// The use cases of Haven. `app` is the only layer that combines store, privacy
// and domain, and the only place where authorisation and auditing happen: every
// use case takes the acting user, checks the permission, does its work in one
// transaction and writes its audit entry in that same transaction.
//
// Thread-safe: one App serves all request threads.

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/access.h"
#include "app/config.h"
#include "common/clock.h"
#include "common/error.h"
#include "domain/model.h"
#include "privacy/clk.h"
#include "privacy/crypto.h"
#include "store/store.h"

namespace haven::app {

using domain::Id;

// Who is acting, established by authentication (or the system itself).
struct Actor {
  Id user_id = 0;  // 0 for the system
  std::string username;
  domain::Role role = domain::Role::kAdmin;
  Id organization_id = 0;
  std::string request_id;

  // The system itself: a command run on the server (its username is the operating-system
  // account that ran it), `haven init`, the demo generator.
  static Actor System(std::string request_id = "system");
  bool IsSystem() const { return user_id == 0; }
};

// Options of a write that an adapter may carry along.
struct WriteOptions {
  // An Idempotency-Key: a repeated request with the same key returns the first
  // result instead of writing again.
  std::string idempotency_key;
  // A digest of what the request asked for; a key reused for another request is refused.
  std::string fingerprint;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;  // nullopt on the last page
  std::optional<std::int64_t> total;       // all pages together, where a list counts them
};

struct PageRequest {
  std::string cursor;  // empty: from the start
  int limit = 50;      // 1..200
};

struct LoginResult {
  std::string token;
  std::string csrf_token;
  domain::User user;
  Timestamp expires_at{};
  // The role must have a second factor and the user has none yet: the session can do
  // nothing but enrol (see Authenticated).
  bool second_factor_enrolment_required = false;
};

struct Authenticated {
  Actor actor;
  std::string csrf_token;
  // Signed in with a one-time password: nothing but a password change until then.
  bool password_change_required = false;
  // Her role must sign in with a second factor and she has none ([security]
  // second_factor_required_for): nothing but enrolling one until then.
  bool second_factor_enrolment_required = false;
};

struct PasswordReset {
  domain::User user;
  std::string one_time_password;  // shown once to the administrator, never stored
};

struct NewUser {
  std::string username;
  std::string password;
  domain::Role role = domain::Role::kCaseworker;
  Id organization_id = 0;
};

struct CaseQuery {
  std::optional<std::string> code;  // one case by its code, e.g. AZ-2026-000123
  std::optional<domain::CaseStatus> status;
  std::optional<int> year;
  std::optional<Id> organization_id;
  std::optional<Id> assigned_to;  // the caseworker in charge
  bool assigned_to_me = false;
  bool unassigned = false;
  std::optional<domain::Exploitation> exploitation;
  std::optional<std::string> region;
  // An age band at identification as statistics name them ("0-8" … "48+", "unknown"),
  // or "child" (under 18) or "adult".
  std::optional<std::string> age_group;
  // Only these cases (e.g. those with a task due); set by the use case, not the caller.
  std::optional<std::vector<Id>> ids;
  PageRequest page;
};

struct UserQuery {
  std::optional<Id> organization_id;
  std::optional<domain::Role> role;
  std::optional<bool> active;
  PageRequest page;
};

struct TransitionView {
  domain::CaseTransition transition;
  bool note_visible = false;  // free text: the notes category
};

// A case as the access policy lets the caller see it: `case_facts_visible` false
// leaves only the id, the code and the access in the response.
struct CaseDetail {
  domain::Case c;
  bool case_facts_visible = true;
  std::vector<TransitionView> transitions;
  std::vector<domain::CaseStatus> allowed_next;
  AccessBasis basis = AccessBasis::kOwner;
  std::vector<DataCategory> categories;  // what the caller may read of the case
};

// One row of a case list: a case shared with the caller's organisation by a referral
// shows its code and access only (opening it is an audited disclosure).
struct CaseRow {
  domain::Case c;
  bool case_facts_visible = true;
  AccessBasis basis = AccessBasis::kOwner;
};

// An identity as disclosed: the parts the caller may see.
struct IdentityDisclosure {
  domain::PersonIdentity identity;
  bool identity_visible = true;  // names, birth, sex, citizenship, documents
  bool contacts_visible = true;
};

// What a registering caseworker may learn about a possible earlier registration:
// never another organisation's data, only that it exists, its kind and when.
struct KnownElsewhere {
  domain::OrgKind organization_kind = domain::OrgKind::kNgo;
  domain::Date registered_on;
};

// How sure a possible earlier registration is: the same normalised name and birth date
// (blind index), or a close linkage key (spelling variants, transliterations, typos).
enum class MatchBand { kExact, kProbable };
std::string_view Name(MatchBand b);

// A possible earlier registration of the same person, as the caller may learn it: in
// the caller's own organisation the case (its code); elsewhere only the kind of
// organisation and the date of identification. One entry per person, the best band.
struct EarlierRegistration {
  MatchBand band = MatchBand::kProbable;
  bool own = false;
  Id case_id = 0;         // own only
  std::string case_code;  // own only
  domain::OrgKind organization_kind = domain::OrgKind::kNgo;  // elsewhere only
  domain::Date identified_on;                                 // elsewhere only
};

struct CreatedCase {
  domain::Case c;
  std::vector<EarlierRegistration> earlier;
  // The entries of `earlier` elsewhere, as kind and date (the older shape of the answer).
  std::vector<KnownElsewhere> known_elsewhere;
};

struct CorrectedIdentity {
  domain::PersonIdentity identity;
  // As on registration: the corrected identity may now match another registration.
  std::vector<EarlierRegistration> earlier;
  std::vector<KnownElsewhere> known_elsewhere;
};

struct LookupResult {
  std::vector<EarlierRegistration> earlier;
  std::vector<domain::Case> own_cases;  // visible to the caller
  std::vector<KnownElsewhere> elsewhere;
};

// What a linkage run would change, against the clusters in force.
struct LinkageSummary {
  std::int64_t persons = 0;
  std::int64_t clks_made = 0;  // persons who had no CLK yet
  std::int64_t clusters = 0;   // unique persons after linkage
  std::int64_t linked_persons = 0;  // persons in a cluster with another registration
  double threshold = 0;
  // The same of the clusters in force (every person on her own before any run).
  std::int64_t clusters_before = 0;
  std::int64_t linked_before = 0;
  // Persons whose cluster (the set of registrations counted as one person) differs from
  // the one in force.
  std::int64_t changed_persons = 0;
  // Sizes of the largest clusters of two or more, largest first (at most 5).
  std::vector<std::int64_t> largest_clusters;

  // Registrations in the largest cluster (1 when nobody is joined, 0 without persons).
  std::int64_t LargestCluster() const;
  // linked_persons / persons (0 without persons).
  double JoinedShare() const;
};

// The guard rails of [linkage] in haven.toml that a summary breaks, each said with the
// limit and by how much ("linkage.max_cluster_size: ..."); empty when within them.
std::vector<std::string> LinkageLimitsBroken(const LinkageSummary& s, const Config& config);

// A computed linkage run, not saved.
struct LinkageProposal {
  LinkageSummary summary;
  // Persons joined with another registration, by person id.
  std::vector<store::PersonCluster> clusters;
  // The run in force it was compared with (nullopt: none yet). Applying it fails when
  // another run was applied or restored since.
  std::optional<Id> based_on_run;
  // LinkageLimitsBroken(summary, config) when it was computed.
  std::vector<std::string> limits_broken;
};

// The clustering itself, without the store: union-find over every pair of CLKs with a
// Dice similarity at or above `threshold` (persons without a CLK stay on their own),
// compared with the clusters in force (`current`, persons joined with another only).
// Fills everything of the summary but clks_made.
Result<LinkageProposal> ComputeLinkage(const std::vector<store::PersonClk>& persons,
                                       const std::vector<store::PersonCluster>& current,
                                       double threshold);

// A kept linkage run, as `haven link runs` lists it.
struct LinkageRunInfo {
  store::LinkageRunRecord run;
  bool current = false;  // the run in force (the latest)
};

// A run saved (applied or restored), with what it changed against the clusters in force
// before it.
struct LinkageApplied {
  LinkageRunInfo run;
  LinkageSummary summary;
  std::optional<Id> previous_run;  // the run in force before
};

struct AuditQuery {
  std::optional<std::string> action;  // e.g. case.update, or a prefix such as "case."
  std::optional<Id> actor_user_id;
  std::optional<std::string> object_type;
  std::optional<std::string> object_id;
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  bool newest_first = false;
  PageRequest page;
};

// An audit entry with who acted, by name.
struct AuditEntry {
  store::AuditRecord record;  // reason opened
  std::string actor_username;  // empty for the system
  std::string actor_organization_name;
};

struct AuditVerification {
  bool intact = true;
  std::int64_t entries = 0;
  std::string head_hash;
  std::int64_t first_broken_seq = 0;  // when !intact
  std::string problem;                // when !intact
};

class App {
 public:
  // Opens an existing instance in `dir`.
  static Result<std::unique_ptr<App>> Open(const std::filesystem::path& dir,
                                           std::unique_ptr<Clock> clock = nullptr);

  struct InitResult {
    std::unique_ptr<App> app;
    std::string admin_password;  // the generated one, or empty when given
  };
  // Creates a new instance: haven.toml, keyring, database and the `admin` user.
  // Refuses to touch a folder that already holds an instance. `base`: the configuration
  // to write (its `dir` is set to `dir`).
  static Result<InitResult> Init(const std::filesystem::path& dir,
                                 const std::string& admin_password,
                                 std::unique_ptr<Clock> clock = nullptr, Config base = {});

  const Config& config() const { return config_; }
  domain::Date Today() const;

  // Authentication. `code`: the second factor (a TOTP code or a recovery code) of an
  // account that has one; without it kUnauthenticated `second_factor_required`, a wrong
  // one kUnauthenticated `second_factor_invalid` (counted toward the lock-out) — both
  // said only after the password was right.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& client, const std::string& request_id,
                            const std::string& code = {});
  Result<Authenticated> Authenticate(const std::string& token, const std::string& request_id);
  Status Logout(const Actor& actor, const std::string& token);
  Result<domain::User> Me(const Actor& actor);

  // Organisations and users.
  Result<domain::Organization> CreateOrganization(const Actor& actor, domain::Organization o,
                                                  const WriteOptions& w = {});
  Result<Page<domain::Organization>> ListOrganizations(const Actor& actor, const PageRequest& p);
  Result<domain::Organization> GetOrganization(const Actor& actor, Id id);
  // Corrects an organisation's name, kind or region, or deactivates it (its accounts are
  // signed out everywhere and sign in no more) and reactivates it.
  struct OrganizationChange {
    std::optional<std::string> name;
    std::optional<domain::OrgKind> kind;
    std::optional<std::optional<std::string>> region;  // nullopt inside: clear it
    std::optional<bool> active;
  };
  Result<domain::Organization> UpdateOrganization(const Actor& actor, Id id,
                                                  const OrganizationChange& change,
                                                  const WriteOptions& w = {});
  Result<domain::User> CreateUser(const Actor& actor, const NewUser& u,
                                  const WriteOptions& w = {});
  Result<Page<domain::User>> ListUsers(const Actor& actor, const UserQuery& q);
  // Changes an account's role or disables it (or enables it again); a disabled account
  // or one with a new role is signed out everywhere. Under the same rules as creating
  // accounts, and never one's own.
  struct UserChange {
    std::optional<domain::Role> role;
    std::optional<bool> active;
  };
  Result<domain::User> UpdateUser(const Actor& actor, Id user_id, const UserChange& change,
                                  const WriteOptions& w = {});
  // Lifts a lock-out after repeated failed logins.
  Result<domain::User> UnlockUser(const Actor& actor, Id user_id, const WriteOptions& w = {});
  // Gives a user who lost her password a one-time password (she is signed out
  // everywhere, and chooses her own at the next sign-in). Not idempotent by key: a
  // repeated request makes another one-time password.
  Result<PasswordReset> ResetPassword(const Actor& actor, Id user_id);
  // The user's own change: the old password is required; her other sessions end.
  // `token`: the session making the change, which stays.
  Status ChangeOwnPassword(const Actor& actor, const std::string& token,
                           const std::string& old_password, const std::string& new_password);
  // The user's own choice of language for the web UI, kept with her account.
  Result<domain::User> SetOwnLanguage(const Actor& actor, domain::Language language);

  // Cases.
  Result<CreatedCase> CreateCase(const Actor& actor, const domain::NewCase& c,
                                 const WriteOptions& w = {});
  Result<Page<CaseRow>> ListCases(const Actor& actor, const CaseQuery& q);
  Result<CaseDetail> GetCase(const Actor& actor, Id id);
  // Replaces the identity of the case's person (a true name disclosed later, a birth
  // date read from a document): sealed anew, blind index and linkage key computed
  // again, and the case's sex, citizenship and age at identification follow it. Own
  // organisation only, with a stated reason (5–500 characters); the audit entry names
  // the fields that changed, never their values.
  Result<CorrectedIdentity> CorrectIdentity(const Actor& actor, Id case_id,
                                            const domain::PersonIdentity& identity,
                                            const std::string& reason,
                                            const WriteOptions& w = {});
  // Discloses the identity of the case's person to the caller, with a stated reason
  // (5–500 characters, sealed in the audit log): the identity and contacts categories
  // decide which parts. Every disclosure is audited, across organisations with the
  // consent it relied on.
  Result<IdentityDisclosure> ViewIdentity(const Actor& actor, Id case_id,
                                          const std::string& reason);
  Result<LookupResult> LookupPerson(const Actor& actor, const domain::PersonIdentity& p);

  // Computes the linkage key of every person who has none (registered before linkage
  // keys, or before the current person schema: its migration drops the old keys), from
  // the sealed identity, in memory only, and stores the keys (never the identity);
  // returns how many were made. `haven serve` runs it at start-up, so that duplicate
  // warnings see every person; ProposeLinkage too.
  Result<std::int64_t> MakeMissingClks(const std::function<void(double)>& progress = {});

  // Linkage of all persons across organisations by their CLKs into clusters (one per
  // unique person) that statistics count, with import_data permission.
  //
  // Computes a run and what it would change against the clusters in force, saving
  // nothing but missing linkage keys (MakeMissingClks); audited "linkage.preview".
  // `progress` gets values from 0 to 1.
  Result<LinkageProposal> ProposeLinkage(const Actor& actor, double threshold,
                                         const std::function<void(double)>& progress = {});
  // Saves a proposed run: its clusters become the ones in force, and the run is kept
  // with them; audited "linkage.run". A run over the guard rails of [linkage] in
  // haven.toml is refused (kConflict `linkage_limits`, saying which and by how much)
  // unless `force`; one computed before another run was applied or restored is refused
  // (kConflict `linkage_changed`).
  Result<LinkageApplied> ApplyLinkage(const Actor& actor, const LinkageProposal& proposal,
                                      bool force);
  // The kept runs, newest (the one in force) first.
  Result<std::vector<LinkageRunInfo>> ListLinkageRuns(const Actor& actor);
  // Makes a kept run's clusters the ones in force again, as a new run that records it
  // was restored from `run_id`; audited "linkage.restore". Persons registered since that
  // run are on their own. kNotFound without such a run; kConflict `clusters_not_kept` for
  // a run applied before runs kept their clusters.
  Result<LinkageApplied> RestoreLinkageRun(const Actor& actor, Id run_id);

  // Audit.
  Result<Page<AuditEntry>> ListAudit(const Actor& actor, const AuditQuery& q);
  // The stated reason of an entry as written (sealed reasons opened).
  Result<std::string> OpenAuditReason(const store::AuditRecord& r) const;
  Result<AuditVerification> VerifyAudit();
  // The same for an auditor over the API; the check itself is audited.
  Result<AuditVerification> VerifyAuditAs(const Actor& actor);

  // ---- For the use cases in other files of src/app (assistance, reports, …)
  // that are built on the same transaction, permission and audit rules. Not
  // for adapters: http and cli call the use cases only.
  store::Store& Store() { return *store_; }
  // The keys derived from the keyring's root (blind index, audit, signing seeds), which
  // no rotation changes.
  const privacy::Keyring& Keys() const { return keyring_; }
  // The one place deciding keys. The key that seals everything of a case's person — her
  // identity and every free text of her cases — is the person's own random data key, so
  // that erasing her is destroying one key. In a write transaction a person without one
  // (registered before data keys) gets it; in a read transaction she has only the
  // format-1 key of the registering organisation, which opens what was sealed before.
  // kGone `identity_erased` once her key was destroyed at the end of retention.
  [[nodiscard]] Result<privacy::SealingKey> CaseKey(store::Transaction& tx,
                                                    const domain::Case& c);
  [[nodiscard]] Result<privacy::SealingKey> PersonKey(store::Transaction& tx, Id person_id,
                                                      Id registering_organization_id);
  // The data key of an organisation's own data (shelter addresses).
  [[nodiscard]] Result<privacy::SealingKey> OrganizationKey(store::Transaction& tx,
                                                            Id organization_id);
  // The master key `id` of the keyring file. A running server meets an unknown id after
  // `haven keys rotate` added one: it reads the keyring file again, without a restart.
  [[nodiscard]] Result<privacy::MasterKey> MasterKeyById(const std::string& id);
  // The master key that wraps new data keys: the one the database names as current
  // (set by `haven keys rotate`), else the keyring's.
  [[nodiscard]] Result<privacy::MasterKey> WrappingMasterKey(store::Transaction& tx);
  Timestamp Now() const { return clock_->Now(); }
  // A failed attempt at an account's secrets (password, second factor) counts toward its
  // lock-out ([security] max_failed_logins); returns whether the account is locked now.
  Result<bool> CountFailedAttempt(store::Transaction& tx, const store::StoredUser& user);
  // Appends the audit entry of a write to `tx` (hash-chained).
  Status Audit(store::Transaction& tx, const Actor& actor, std::string_view action,
               std::string_view object_type, std::string_view object_id,
               const std::string& details_json, std::string_view reason = {});
  // Idempotency: the id a previous request with the same key produced, if any ...
  Result<std::optional<Id>> Replay(store::Transaction& tx, const Actor& actor,
                                   const WriteOptions& w, std::string_view object_type);
  // ... and recording the id this request produced.
  Status Remember(store::Transaction& tx, const Actor& actor, const WriteOptions& w,
                  std::string_view object_type, Id id);
  // The shape of every idempotent write, in one write transaction: when the request's
  // Idempotency-Key was seen before, `replayed(tx, id)` reads what the first request
  // produced (nullopt: it is gone, so write again); otherwise `write(tx)` validates,
  // writes and audits, returning the value and the id to remember for the key.
  //   Replayed: (store::Transaction&, Id) -> Result<std::optional<T>>
  //   Write:    (store::Transaction&) -> Result<Written<T>>
  template <typename T>
  struct Written {
    T value;
    Id id = 0;
  };
  template <typename T, typename Replayed, typename Write>
  Result<T> IdempotentWrite(const Actor& actor, const WriteOptions& w,
                            std::string_view object_type, Replayed&& replayed, Write&& write);
  // The person's linkage key under the coalition secret (Haven's default schema).
  // Empty for a person registered by an alias (no name to match).
  Result<std::string> PersonClk(const domain::PersonIdentity& p) const;
  // The person's blind index (name and birth); empty for a person registered by an alias.
  std::string PersonBlind(const domain::PersonIdentity& p) const;
  // For the replay of a write that answers with the case: the case as it is now, if the
  // actor may still read its facts (an error if not; nullopt if it is gone).
  Result<std::optional<domain::Case>> ReplayedCase(store::Transaction& tx, const Actor& actor,
                                                   Id case_id);
  // The identity sealed on the person's record (kGone `identity_erased` once erased).
  [[nodiscard]] Result<domain::PersonIdentity> OpenPersonIdentity(
      store::Transaction& tx, const store::StoredPerson& person);
  // Seals `identity` on the person's record with its blind index and linkage key.
  [[nodiscard]] Status SealPersonIdentity(store::Transaction& tx, Id person_id,
                                          Id registering_organization_id,
                                          const domain::PersonIdentity& identity,
                                          const std::string& blind, const std::string& clk);
  // The access policy's decision for the actor and the case, as of today.
  Result<CaseAccess> Access(store::Transaction& tx, const Actor& actor, Id case_id);
  // The audit entry of what a read showed across organisations (`shown`: the categories
  // in the response), naming the consent or override it relied on. Nothing is written
  // for the owner's own reads.
  Status AuditDisclosure(store::Transaction& tx, const Actor& actor, const CaseAccess& access,
                         std::string_view what, const std::vector<DataCategory>& shown);
  // A read of one case in progress: the transaction and the policy's decision. The
  // owner's reads run concurrently; a read across organisations is a disclosure whose
  // audit entry is written in the same transaction, so it is a write transaction.
  struct CaseRead {
    std::unique_ptr<store::Transaction> tx;
    CaseAccess access;
  };
  Result<CaseRead> BeginCaseRead(const Actor& actor, Id case_id);
  // Ends a read: audits what it showed (`shown`) when it crossed organisations.
  Status FinishCaseRead(CaseRead& read, const Actor& actor, std::string_view what,
                        const std::vector<DataCategory>& shown);
  // The same in one call: `read(tx, access)` returns the value, `shown(value)` names the
  // categories it carries.
  //   Read:  (store::Transaction&, const CaseAccess&) -> Result<T>
  //   Shown: (const T&) -> std::vector<DataCategory>
  template <typename T, typename Read, typename Shown>
  Result<T> ReadCase(const Actor& actor, Id case_id, std::string_view what, Read&& read,
                     Shown&& shown) {
    TRY(CaseRead r, BeginCaseRead(actor, case_id));
    TRY(T value, read(*r.tx, r.access));
    TRY_STATUS(FinishCaseRead(r, actor, what, shown(value)));
    return value;
  }

 private:
  // What the idempotency table keeps of a request's digest: keyed (see app.cc).
  std::string StoredFingerprint(const WriteOptions& w) const;
  App(Config config, std::unique_ptr<store::Store> store, privacy::Keyring keyring,
      std::unique_ptr<Clock> clock);
  // Persons whose blind index equals `blind` (exact) or whose linkage key is at least
  // duplicate_warning_threshold similar to `clk` (probable), other than `except`, as
  // the actor may learn of them (EarlierRegistration).
  // The key of `scope` ("person:12"), made when missing in a write transaction.
  Result<privacy::SealingKey> ScopeKey(store::Transaction& tx, const std::string& scope,
                                       Id legacy_organization_id);
  Result<std::vector<EarlierRegistration>> EarlierRegistrations(store::Transaction& tx,
                                                                const Actor& actor,
                                                                const std::string& blind,
                                                                const std::string& clk,
                                                                Id except_person = 0);

  Config config_;
  std::unique_ptr<store::Store> store_;
  privacy::Keyring keyring_;
  privacy::Key blind_key_;
  privacy::Key audit_key_;
  // The keyring as last read from its file, for its master keys; replaced when a master
  // key id is unknown (after a rotation). GUARDED_BY(keyring_mu_).
  std::mutex keyring_mu_;
  std::shared_ptr<const privacy::Keyring> live_keyring_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<privacy::ClkEncoder> clk_encoder_;
  class LoginThrottle;
  std::unique_ptr<LoginThrottle> throttle_;
  class LookupLimiter;
  std::unique_ptr<LookupLimiter> lookups_;

 public:
  ~App();
};

template <typename T, typename Replayed, typename Write>
Result<T> App::IdempotentWrite(const Actor& actor, const WriteOptions& w,
                               std::string_view object_type, Replayed&& replayed,
                               Write&& write) {
  TRY(auto tx, store_->Begin(true));
  TRY(auto replay, Replay(*tx, actor, w, object_type));
  if (replay) {
    TRY(std::optional<T> existing, replayed(*tx, *replay));
    if (existing) {
      // A replay may audit what it shows again (an identity): kept, like any write.
      TRY_STATUS(tx->Commit());
      return std::move(*existing);
    }
  }
  TRY(Written<T> done, write(*tx));
  TRY_STATUS(Remember(*tx, actor, w, object_type, done.id));
  TRY_STATUS(tx->Commit());
  return std::move(done.value);
}

}  // namespace haven::app
