#pragma once
// The store interface: everything Haven keeps, behind one transaction type.
// SQLite (src/store/sqlite) implements it today; PostgreSQL will implement the
// same interface. No SQL or dialect detail leaves src/store.
//
// The store never sees a plaintext identity: `app` seals before it writes.
// Thread-safety: a Store is safe to use from several threads; a Transaction
// belongs to one thread at a time.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "domain/model.h"
#include "store/assistance_store.h"
#include "store/casework_store.h"
#include "store/coalition_store.h"
#include "store/key_store.h"
#include "store/prevention_store.h"
#include "store/report_store.h"
#include "store/stage_store.h"

namespace haven::store {

using domain::Id;

struct StoreOptions {
  // The database file. Created (with all migrations applied) when missing.
  std::filesystem::path path;
  // Connections kept open; each transaction takes one for its lifetime.
  int pool_size = 8;
  // How long a writer waits for another writer before giving up, in ms.
  int busy_timeout_ms = 15000;
  // If false, Open fails when the database does not exist yet.
  bool create_if_missing = true;
};

struct StoredUser {
  domain::User user;
  std::string password_hash;
  int failed_logins = 0;
  std::optional<Timestamp> locked_until;
};

// A user's second factor of sign-in (TOTP).
struct SecondFactor {
  Id user_id = 0;
  std::string sealed_secret;  // XChaCha20-Poly1305 blob, the user's row as associated data
  Timestamp created_at{};
  std::optional<Timestamp> confirmed_at;  // nullopt: enrolment started, not yet in force
  std::int64_t last_step = 0;  // the last TOTP time step accepted; never accepted again
};

struct UserFilter {
  std::optional<Id> organization_id;
  std::optional<domain::Role> role;
  std::optional<bool> active;
  Id after_id = 0;  // cursor: users with a larger id (lists go oldest first)
  int limit = 50;
};

struct Session {
  std::string token_digest;  // BLAKE2b of the bearer token; the token itself is never stored
  Id user_id = 0;
  std::string csrf_token;
  Timestamp created_at{};
  Timestamp expires_at{};
};

struct StoredPerson {
  Id id = 0;
  Id organization_id = 0;
  std::string sealed_identity;  // XChaCha20-Poly1305 blob
  std::string blind_index;
  Timestamp created_at{};
};

struct PersonMatch {
  Id person_id = 0;
  Id organization_id = 0;
  domain::OrgKind organization_kind = domain::OrgKind::kNgo;
  std::optional<Id> case_id;  // the person's most recent case
  Timestamp created_at{};
};

struct PersonClk {
  Id person_id = 0;
  Id organization_id = 0;
  domain::OrgKind organization_kind = domain::OrgKind::kNgo;
  Timestamp created_at{};
  std::string clk;  // raw bytes; empty when the person has none yet
  std::optional<Id> case_id;  // the person's most recent case
};

struct PersonCluster {
  Id person_id = 0;
  Id cluster_id = 0;  // the smallest person id of the cluster
  double score = 1.0;  // the best Dice score that joined the person to it
};

// An applied (or restored) linkage run. Every run keeps its clusters; the run in force is
// the latest one, and `person_clusters` holds its clusters for the statistics.
struct LinkageRunRecord {
  Id id = 0;  // given by the store
  Timestamp at{};
  double threshold = 0;
  std::int64_t persons = 0;
  std::int64_t clusters = 0;  // unique persons
  // Unknown (nullopt) for runs applied before runs were kept.
  std::optional<std::int64_t> linked_persons;   // persons in a cluster with another
  std::optional<std::int64_t> largest_cluster;  // registrations in the largest cluster
  bool forced = false;  // saved over the guard rails of [linkage] in haven.toml
  std::optional<Id> restored_from;  // a restore: the run whose clusters it brought back
  // False for the runs applied before runs were kept (their clusters are gone): they
  // cannot be restored.
  bool clusters_kept = true;
};

struct CaseFilter {
  std::optional<Id> organization_id;  // only cases of this organisation
  // Only cases this organisation owns or has an active (pending or accepted) referral of.
  std::optional<Id> shared_with_organization_id;
  std::optional<std::string> code;
  std::optional<domain::CaseStatus> status;
  std::optional<int> year;  // year of identification
  std::optional<Id> assigned_to;  // the caseworker in charge
  bool unassigned = false;        // only cases nobody is in charge of
  std::optional<domain::Exploitation> exploitation;  // one of the case's forms
  std::optional<std::string> region;                 // ISO 3166-2:AZ
  // Age at identification within [min_age, max_age]; age_unknown: not known.
  std::optional<int> min_age;
  std::optional<int> max_age;
  bool age_unknown = false;
  std::optional<std::vector<Id>> ids;  // only these cases (e.g. those with a task due)
  std::optional<Id> before_id;  // cursor: cases with a smaller id (lists go newest first)
  int limit = 50;
};

struct StoredTransition {
  domain::CaseTransition transition;  // `note` empty here
  std::string sealed_note;
};

struct AuditRecord {
  std::int64_t seq = 0;  // 1, 2, 3, … without gaps
  Timestamp at{};
  Id actor_user_id = 0;  // 0: the system (init, migrations, demo generator)
  std::string actor_role;
  Id actor_organization_id = 0;
  std::string action;  // e.g. "case.create", "case.identity_view"
  std::string object_type;
  std::string object_id;
  std::string reason;   // stated reason of an identity view; otherwise empty
  std::string details;  // JSON object text, never identity content
  std::string request_id;
  std::string prev_hash;
  std::string hash;
  // Not part of the entry (not hashed): the case it touched, for the access history.
  std::optional<Id> case_id;
};

struct AuditFilter {
  std::int64_t after_seq = 0;             // cursor, oldest first
  std::optional<std::int64_t> before_seq;  // cursor, newest first
  bool newest_first = false;
  std::optional<std::string> action;  // exact, or a prefix ending in '.' ("case.")
  std::optional<Id> actor_user_id;
  std::optional<std::string> object_type;
  std::optional<std::string> object_id;
  std::optional<Timestamp> from;  // at or after
  std::optional<Timestamp> to;    // before
  int limit = 50;
};

struct IdempotencyRecord {
  Id user_id = 0;
  std::string key;
  std::string fingerprint;  // what the request asked for; a reuse with other content is refused
  std::string object_type;
  Id object_id = 0;
  Timestamp created_at{};
};

class Transaction {
 public:
  virtual ~Transaction() = default;  // rolls back unless committed
  virtual Status Commit() = 0;

  // The queries of the other areas, inside this same transaction.
  virtual AssistanceStore& Assistance() = 0;
  virtual CoalitionStore& Coalition() = 0;
  virtual CaseworkStore& Casework() = 0;
  virtual ReportStore& Reports() = 0;
  virtual StageStore& Stages() = 0;
  virtual PreventionStore& Prevention() = 0;
  virtual KeyStore& Keys() = 0;
  // Whether this is a write transaction (Store::Begin(true)).
  virtual bool Writable() const = 0;

  // Organisations.
  virtual Result<Id> InsertOrganization(const domain::Organization& o) = 0;
  virtual Result<std::optional<domain::Organization>> GetOrganization(Id id) = 0;
  virtual Result<std::vector<domain::Organization>> ListOrganizations(Id after_id, int limit) = 0;
  // Whether another organisation than `except` has this name.
  virtual Result<bool> OrganizationNameTaken(const std::string& name, Id except = 0) = 0;
  // Its name, kind, region and whether it is active.
  virtual Status UpdateOrganization(const domain::Organization& o) = 0;

  // Users.
  virtual Result<Id> InsertUser(const domain::User& u, const std::string& password_hash) = 0;
  virtual Result<std::optional<StoredUser>> GetUser(Id id) = 0;
  virtual Result<std::optional<StoredUser>> FindUserByUsername(const std::string& username) = 0;
  virtual Result<std::vector<domain::User>> ListUsers(const UserFilter& filter) = 0;
  virtual Status SetLoginState(Id user_id, int failed_logins,
                               std::optional<Timestamp> locked_until) = 0;
  // The account's role and whether it may sign in.
  virtual Status UpdateUser(Id user_id, domain::Role role, bool active) = 0;
  virtual Status SetUserLanguage(Id user_id, domain::Language language) = 0;
  // `must_change`: a one-time password, to be replaced at the next sign-in.
  virtual Status SetPasswordHash(Id user_id, const std::string& password_hash,
                                 bool must_change = false) = 0;

  // Second factor. StoredUser::user.second_factor tells whether one is in force.
  virtual Result<std::optional<SecondFactor>> GetSecondFactor(Id user_id) = 0;
  // Writes the user's second factor, replacing the one she had.
  virtual Status PutSecondFactor(const SecondFactor& f) = 0;
  // Removes the user's second factor and her recovery codes.
  virtual Status DeleteSecondFactor(Id user_id) = 0;
  // The user's recovery codes (keyed hashes) become these, all unused.
  virtual Status ReplaceRecoveryCodes(Id user_id, const std::vector<std::string>& hashes) = 0;
  // Marks an unused recovery code used; false when the user has no such unused code.
  virtual Result<bool> UseRecoveryCode(Id user_id, const std::string& hash, Timestamp at) = 0;
  virtual Result<int> CountUnusedRecoveryCodes(Id user_id) = 0;

  // Sessions.
  virtual Status InsertSession(const Session& s) = 0;
  virtual Result<std::optional<Session>> FindSession(const std::string& token_digest) = 0;
  virtual Status DeleteSession(const std::string& token_digest) = 0;
  // Signs the account out everywhere (disabled, new role or new password).
  // `keep_digest`: the session that stays (the one changing its own password).
  virtual Status DeleteSessionsOfUser(Id user_id, const std::string& keep_digest = {}) = 0;
  virtual Status DeleteExpiredSessions(Timestamp now) = 0;

  // Persons: inserted first without identity, so that the identity can be sealed
  // with the new id as associated data, then sealed in the same transaction.
  virtual Result<Id> InsertPerson(Id organization_id, Timestamp created_at) = 0;
  // `clk` is the person's linkage key (a Bloom-filter encoding, never the identity).
  virtual Status SetPersonIdentity(Id person_id, const std::string& sealed_identity,
                                   const std::string& blind_index, const std::string& clk) = 0;
  // Every person's CLK (empty when none was made yet), with where it was registered.
  virtual Result<std::vector<PersonClk>> ListPersonClks() = 0;
  virtual Status SetPersonClk(Id person_id, const std::string& clk) = 0;
  // Linkage runs. Records an applied or restored run (`run.id` ignored) with its clusters
  // and makes them the clusters in force (person_clusters); returns the run's id.
  virtual Result<Id> InsertLinkageRun(const std::vector<PersonCluster>& clusters,
                                      const LinkageRunRecord& run) = 0;
  // The kept runs, newest (the one in force) first.
  virtual Result<std::vector<LinkageRunRecord>> ListLinkageRuns() = 0;
  virtual Result<std::optional<LinkageRunRecord>> GetLinkageRun(Id run_id) = 0;
  // The clusters a run kept (persons joined with another only), by person id.
  virtual Result<std::vector<PersonCluster>> ListLinkageRunClusters(Id run_id) = 0;
  // The clusters in force (person_clusters), by person id.
  virtual Result<std::vector<PersonCluster>> ListPersonClusters() = 0;
  virtual Result<std::optional<StoredPerson>> GetPerson(Id id) = 0;
  virtual Result<std::vector<PersonMatch>> FindPersonsByBlindIndex(const std::string& index) = 0;

  // Cases.
  // The next number of the per-year sequence behind case codes; never reused.
  virtual Result<std::int64_t> NextCaseNumber(int year) = 0;
  virtual Result<Id> InsertCase(const domain::Case& c) = 0;
  virtual Result<std::optional<domain::Case>> GetCase(Id id) = 0;
  virtual Result<std::vector<domain::Case>> ListCases(const CaseFilter& filter) = 0;
  // How many cases the filter selects, all pages together (the cursor and limit ignored).
  virtual Result<std::int64_t> CountCases(const CaseFilter& filter) = 0;
  // Writes everything but the code, the person and the creation time (the owner, which a
  // transfer changes; the facts, which a correction changes; workflow state; sex,
  // citizenship and age, which follow a corrected identity). Fails with kConflict
  // `stale_update` unless the stored version is `c.version - 1` (another request changed
  // the case in between).
  virtual Status UpdateCase(const domain::Case& c) = 0;
  virtual Result<Id> InsertTransition(const domain::CaseTransition& t,
                                      const std::string& sealed_note) = 0;
  virtual Result<std::vector<StoredTransition>> ListTransitions(Id case_id) = 0;
  // The note of a transition, sealed after the insert with the transition's id bound.
  [[nodiscard]] virtual Status SetTransitionNote(Id transition_id,
                                                 const std::string& sealed_note) = 0;

  // Audit log: append-only. LastAudit locks the chain head for this transaction.
  virtual Result<std::optional<AuditRecord>> LastAudit() = 0;
  virtual Status AppendAudit(const AuditRecord& r) = 0;
  // Entries in order of seq (newest first when asked), filtered.
  virtual Result<std::vector<AuditRecord>> ListAudit(const AuditFilter& filter) = 0;
  Result<std::vector<AuditRecord>> ListAudit(std::int64_t after_seq, int limit) {
    AuditFilter f;
    f.after_seq = after_seq;
    f.limit = limit;
    return ListAudit(f);
  }
  // The entries that touched a case, oldest first: AppendAudit indexes an entry under
  // `case_id` when one is given (the person's access history reads them).
  virtual Result<std::vector<AuditRecord>> AuditOfCase(Id case_id, std::int64_t after_seq,
                                                       int limit) = 0;

  // Idempotency keys of writes.
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(Id user_id,
                                                                    const std::string& key) = 0;
  virtual Status InsertIdempotency(const IdempotencyRecord& r) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // A write transaction takes the write lock at once, so that read-then-write
  // decisions (capacity, audit chain head, counters) cannot race.
  virtual Result<std::unique_ptr<Transaction>> Begin(bool write) = 0;
  virtual int SchemaVersion() const = 0;
  // Moves everything the write-ahead log holds into the database file and empties the
  // log (a TRUNCATE checkpoint), so that bytes overwritten by secure_delete (an erased
  // data key) survive in neither file. kConflict `checkpoint_busy` when a reader keeps it
  // from completing; try again.
  [[nodiscard]] virtual Status CheckpointAndTruncateLog() = 0;
};

Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options);

}  // namespace haven::store
