#include "store/sqlite/areas.h"

#include <array>

namespace haven::store::sqlite {
namespace {

constexpr std::string_view kV1 = R"sql(
CREATE TABLE organizations (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  region      TEXT,
  created_at  TEXT NOT NULL
);

CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  role            TEXT NOT NULL,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  password_hash   TEXT NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1,
  failed_logins   INTEGER NOT NULL DEFAULT 0,
  locked_until    TEXT,
  created_at      TEXT NOT NULL
);

CREATE TABLE sessions (
  token_digest TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  csrf_token   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Identity is only ever stored sealed; the blind index allows exact look-up.
CREATE TABLE persons (
  id              INTEGER PRIMARY KEY,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  sealed_identity BLOB,
  blind_index     TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX persons_blind_index ON persons(blind_index);

CREATE TABLE case_counters (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);

CREATE TABLE cases (
  id                      INTEGER PRIMARY KEY,
  code                    TEXT NOT NULL UNIQUE,
  organization_id         INTEGER NOT NULL REFERENCES organizations(id),
  person_id               INTEGER NOT NULL REFERENCES persons(id),
  identified_on           TEXT NOT NULL,
  identified_year         INTEGER NOT NULL,
  identified_by           TEXT NOT NULL,
  means_of_control        TEXT NOT NULL DEFAULT '[]',
  recruiter_relation      TEXT,
  country_of_recruitment  TEXT,
  country_of_exploitation TEXT,
  region                  TEXT,
  transnational           INTEGER NOT NULL,
  status                  TEXT NOT NULL,
  victim_status           TEXT NOT NULL,
  victim_status_on        TEXT,
  reflection_start        TEXT,
  reflection_end          TEXT,
  sex                     TEXT NOT NULL,
  citizenship             TEXT NOT NULL,
  age_at_identification   INTEGER,
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL,
  version                 INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_org ON cases(organization_id, id);
CREATE INDEX cases_status ON cases(status, id);
CREATE INDEX cases_year ON cases(identified_year, id);
CREATE INDEX cases_person ON cases(person_id);

CREATE TABLE case_exploitation (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  form    TEXT NOT NULL,
  PRIMARY KEY (case_id, form)
) WITHOUT ROWID;

CREATE TABLE case_transitions (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  from_status TEXT NOT NULL,
  to_status   TEXT NOT NULL,
  on_date     TEXT NOT NULL,
  user_id     INTEGER NOT NULL,
  at          TEXT NOT NULL,
  sealed_note BLOB
);
CREATE INDEX case_transitions_case ON case_transitions(case_id, id);

CREATE TABLE audit_log (
  seq                   INTEGER PRIMARY KEY,
  at                    TEXT NOT NULL,
  actor_user_id         INTEGER NOT NULL,
  actor_role            TEXT NOT NULL,
  actor_organization_id INTEGER NOT NULL,
  action                TEXT NOT NULL,
  object_type           TEXT NOT NULL,
  object_id             TEXT NOT NULL,
  reason                TEXT NOT NULL,
  details               TEXT NOT NULL,
  request_id            TEXT NOT NULL,
  prev_hash             TEXT NOT NULL,
  hash                  TEXT NOT NULL
);
-- Append-only as far as the application goes; `haven audit verify` catches
-- changes made around these triggers.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE idempotency_keys (
  user_id     INTEGER NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id   INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);
)sql";

// Linkage: persons found to be the same across organisations share a cluster.
// A person without a row here is a cluster of its own.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE person_clusters (
  person_id  INTEGER PRIMARY KEY REFERENCES persons(id),
  cluster_id INTEGER NOT NULL,
  score      REAL NOT NULL,
  linked_at  TEXT NOT NULL
);
CREATE INDEX person_clusters_cluster ON person_clusters(cluster_id);
CREATE TABLE linkage_runs (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  threshold  REAL NOT NULL,
  persons    INTEGER NOT NULL,
  clusters   INTEGER NOT NULL
);
ALTER TABLE persons ADD COLUMN clk BLOB;
)sql";

// The default person linkage schema became v3 (patronymic and citizenship hashed, new
// keys): CLKs made with v2 no longer compare with new ones. They are dropped here and
// `haven link` makes them again from the sealed identities (it holds the keys; a
// migration does not).
constexpr std::string_view kV3 = R"sql(
UPDATE persons SET clk = NULL;
)sql";

// The person's access history reads the audit entries that touched her case. The
// index is not part of an entry (the chain hashes the entry alone).
constexpr std::string_view kV4 = R"sql(
CREATE TABLE audit_cases (
  case_id INTEGER NOT NULL,
  seq     INTEGER NOT NULL REFERENCES audit_log(seq),
  PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
-- The entries written before the index: the case is the object or named in the details.
INSERT OR IGNORE INTO audit_cases(case_id, seq)
  SELECT CAST(object_id AS INTEGER), seq FROM audit_log
   WHERE object_type = 'case' AND object_id GLOB '[0-9]*';
INSERT OR IGNORE INTO audit_cases(case_id, seq)
  SELECT json_extract(details, '$.case_id'), seq FROM audit_log
   WHERE object_type <> 'case' AND json_valid(details)
     AND json_type(details, '$.case_id') = 'integer';
CREATE TRIGGER audit_cases_no_update BEFORE UPDATE ON audit_cases
BEGIN SELECT RAISE(ABORT, 'audit_cases is append-only'); END;
CREATE TRIGGER audit_cases_no_delete BEFORE DELETE ON audit_cases
BEGIN SELECT RAISE(ABORT, 'audit_cases is append-only'); END;
)sql";

// Who created each account: the four-eyes rule of payments looks through accounts one
// person made for another.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE users ADD COLUMN created_by INTEGER REFERENCES users(id);
)sql";

// Everyday casework: the caseworker in charge, why a case was closed (and of which
// case it is a second registration), anonymous registrations and children's facts.
constexpr std::string_view kV6 = R"sql(
ALTER TABLE cases ADD COLUMN assigned_to INTEGER REFERENCES users(id);
ALTER TABLE cases ADD COLUMN closure_reason TEXT;
ALTER TABLE cases ADD COLUMN duplicate_of INTEGER REFERENCES cases(id);
ALTER TABLE cases ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN child_status TEXT;
ALTER TABLE cases ADD COLUMN best_interests_on TEXT;
CREATE INDEX cases_assigned ON cases(assigned_to, id);
-- A password an administrator reset is used once: the user chooses a new one at sign-in.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
-- An organisation that left the coalition: its accounts no longer sign in.
ALTER TABLE organizations ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
)sql";

// The language each user chose for the web UI.
constexpr std::string_view kV7 = R"sql(
ALTER TABLE users ADD COLUMN language TEXT;
)sql";

// Guard rails of linkage: every applied run keeps its clusters (persons joined with another
// only), so that an earlier one can be restored; person_clusters keeps holding those of the
// run in force, the latest row of linkage_runs. Of the runs applied before, only the
// latest one's clusters are known (person_clusters): the earlier ones cannot be restored.
constexpr std::string_view kV8 = R"sql(
ALTER TABLE linkage_runs ADD COLUMN linked_persons INTEGER;
ALTER TABLE linkage_runs ADD COLUMN largest_cluster INTEGER;
ALTER TABLE linkage_runs ADD COLUMN forced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE linkage_runs ADD COLUMN restored_from INTEGER REFERENCES linkage_runs(id);
ALTER TABLE linkage_runs ADD COLUMN clusters_kept INTEGER NOT NULL DEFAULT 0;
CREATE TABLE linkage_run_clusters (
  run_id     INTEGER NOT NULL REFERENCES linkage_runs(id),
  person_id  INTEGER NOT NULL REFERENCES persons(id),
  cluster_id INTEGER NOT NULL,
  score      REAL NOT NULL,
  PRIMARY KEY (run_id, person_id)
) WITHOUT ROWID;
INSERT INTO linkage_run_clusters(run_id, person_id, cluster_id, score)
  SELECT (SELECT max(id) FROM linkage_runs), person_id, cluster_id, score FROM person_clusters
   WHERE EXISTS (SELECT 1 FROM linkage_runs);
UPDATE linkage_runs SET clusters_kept = 1,
  linked_persons = (SELECT count(*) FROM person_clusters),
  largest_cluster = CASE WHEN persons = 0 THEN 0 ELSE
    coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM person_clusters
                                   GROUP BY cluster_id)), 1) END
 WHERE id = (SELECT max(id) FROM linkage_runs);
)sql";

// The second factor of sign-in: a TOTP secret per user, sealed with the user's row as
// associated data (confirmed_at NULL: enrolment started, not yet confirmed; last_step: the
// last time step accepted, which is never accepted again), and the one-time recovery
// codes, kept only as keyed hashes.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE second_factors (
  user_id       INTEGER PRIMARY KEY REFERENCES users(id),
  sealed_secret BLOB NOT NULL,
  created_at    TEXT NOT NULL,
  confirmed_at  TEXT,
  last_step     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE recovery_codes (
  user_id   INTEGER NOT NULL REFERENCES users(id),
  code_hash TEXT NOT NULL,
  used_at   TEXT,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;
)sql";

constexpr std::array<std::string_view, 9> kCore = {kV1, kV2, kV3, kV4, kV5,
                                                   kV6, kV7, kV8, kV9};

}  // namespace

std::span<const std::string_view> CoreMigrations() { return kCore; }

std::span<const MigrationArea> MigrationAreas() {
  static const std::array<MigrationArea, 8> kAreas = {
      MigrationArea{"core", CoreMigrations()},
      MigrationArea{"assistance", AssistanceMigrations()},
      MigrationArea{"coalition", CoalitionMigrations()},
      MigrationArea{"stages", StageMigrations()},
      MigrationArea{"casework", CaseworkMigrations()},
      MigrationArea{"reports", ReportMigrations()},
      MigrationArea{"prevention", PreventionMigrations()},
      MigrationArea{"keys", KeyMigrations()},
  };
  return kAreas;
}

}  // namespace haven::store::sqlite
