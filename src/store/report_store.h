#pragma once
// The "reports" area of the store: the non-identifying facts that statistics
// and exports are computed from, the case-level records imported from the
// Counter Trafficking Data Collaborative (CTDC), and the ledger of differentially
// private releases. Never returns identity.
// Thread-safety: as Transaction (one thread at a time).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/model.h"

namespace haven::store {

// One case (or one imported record) as statistics see it.
struct CaseFact {
  domain::Id case_id = 0;        // for source "ctdc": the id of the imported record
  std::string source = "haven";  // "haven" for Haven's own cases, "ctdc" for imported records
  domain::Id organization_id = 0;  // 0 for imported records
  domain::OrgKind organization_kind = domain::OrgKind::kNgo;
  domain::Id person_id = 0;
  // The same person registered by several organisations, as found by linkage
  // (`haven link`), shares one cluster id; an unlinked person is its own cluster.
  // Unique within one `source` only.
  domain::Id person_cluster = 0;
  domain::Date identified_on;  // imported records know the year only: 1 January of it
  domain::IdentifiedBy identified_by = domain::IdentifiedBy::kOther;
  domain::Sex sex = domain::Sex::kUnknown;
  std::optional<int> age_at_identification;
  std::string age_group;  // domain::AgeGroup bands; imported records keep CTDC's band ("9-17")
  // "minor", "adult" or "unknown": from the age, or as recorded when only that is known.
  std::string majority = "unknown";
  domain::Citizenship citizenship;
  std::vector<domain::Exploitation> exploitation;  // sorted, without duplicates
  std::vector<domain::MeansOfControl> means_of_control;
  std::optional<domain::RecruiterRelation> recruiter_relation;
  std::optional<std::string> country_of_recruitment;
  std::optional<std::string> country_of_exploitation;
  bool transnational = false;
  domain::CaseStatus status = domain::CaseStatus::kIdentified;
  domain::VictimStatus victim_status = domain::VictimStatus::kPending;
};

struct LinkageRun {
  Timestamp at{};
  double threshold = 0;
  std::int64_t persons = 0;
  std::int64_t clusters = 0;
};

// One record of a CTDC file, mapped to Haven's vocabularies (report/ctdc.h).
struct CtdcRecord {
  // Identifies the record across imports: a digest of its mapped content and the
  // number of identical records before it in its file, so that re-importing a
  // file (or a later release that contains it) adds nothing twice while keeping
  // genuinely repeated records.
  std::string record_key;
  int year = 0;
  std::string datasource;  // as published, e.g. "Hotline", "Case Management"
  domain::IdentifiedBy identified_by = domain::IdentifiedBy::kOther;
  domain::Sex sex = domain::Sex::kUnknown;
  std::string age_band;  // Haven spelling ("18-20", "48+"), empty when not recorded
  std::string majority = "unknown";
  domain::Citizenship citizenship;
  std::optional<std::string> country_of_exploitation;
  std::vector<domain::Exploitation> exploitation;
  std::vector<domain::MeansOfControl> means_of_control;
  std::optional<domain::RecruiterRelation> recruiter_relation;
};

struct CtdcImportRecord {
  Timestamp at{};
  std::string source = "ctdc";  // the source its records count as
  std::string file_digest;  // BLAKE2b of the file content
  std::int64_t read = 0;
  std::int64_t imported = 0;  // new + already present
  std::int64_t added = 0;     // new records
  std::int64_t rejected = 0;
};

// One import batch as `haven import list` shows it.
struct ImportBatch {
  domain::Id id = 0;
  std::string source;  // "ctdc"
  Timestamp at{};
  std::string file_digest;
  std::int64_t read = 0;
  std::int64_t imported = 0;
  std::int64_t added = 0;
  std::int64_t rejected = 0;
  std::int64_t records = 0;  // records of the batch counted now (0 once removed)
  std::optional<Timestamp> removed_at;
};

// The sources statistics can count: Haven's own cases, and imported records by source.
// An empty list counts nothing.
struct FactSources {
  bool haven = true;
  std::vector<std::string> imported;  // e.g. {"ctdc"}

  static FactSources HavenOnly() { return {}; }
};

struct DpRelease {
  Timestamp at{};
  domain::Id actor_user_id = 0;
  std::string release;    // e.g. "2024:report:greta", "all:counts:year,sex"
  std::string mechanism;  // "laplace" or "gaussian"
  double epsilon = 0;
  double delta = 0;
  // What was asked, canonically (release, parameters, sources), and the answer released
  // (report/release.h): asked again, the same answer is returned and nothing is spent.
  std::string query;
  std::string answer;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;
  // The last `haven link` run, if any: reports say whether linkage was applied.
  virtual Result<std::optional<LinkageRun>> LastLinkageRun() = 0;
  // Every case and imported record of `sources` identified in `year` (all years when
  // empty): Haven's cases first, oldest first, then imported records in import order.
  virtual Result<std::vector<CaseFact>> CaseFacts(std::optional<int> year,
                                                  const FactSources& sources) = 0;

  // CTDC imports. Inserts the record unless one with the same record_key exists;
  // true when it was added.
  virtual Result<bool> InsertCtdcRecord(const CtdcRecord& r, domain::Id import_id) = 0;
  virtual Result<domain::Id> InsertCtdcImport(const CtdcImportRecord& r) = 0;
  virtual Status FinishCtdcImport(domain::Id import_id, const CtdcImportRecord& r) = 0;
  virtual Result<std::int64_t> CountCtdcRecords() = 0;
  // Every import batch, oldest first, removed ones included.
  virtual Result<std::vector<ImportBatch>> ListImports() = 0;
  // Deletes the records the batch added and marks it removed; returns how many records
  // went. kNotFound for no such batch, kConflict when it was removed before.
  virtual Result<std::int64_t> RemoveImport(domain::Id import_id, Timestamp at) = 0;

  // The ledger of differentially private releases, for the privacy budget.
  virtual Status InsertDpRelease(const DpRelease& r) = 0;
  // The epsilon spent so far by releases whose name starts with `prefix`; by one
  // user's releases only when `actor_user_id` is given.
  virtual Result<double> DpEpsilonSpent(const std::string& prefix,
                                        std::optional<domain::Id> actor_user_id = {}) = 0;
  // The earlier release of exactly this query, with its answer.
  virtual Result<std::optional<DpRelease>> FindDpRelease(const std::string& query) = 0;
  // Every release, oldest first, without their answers.
  virtual Result<std::vector<DpRelease>> ListDpReleases() = 0;
};

}  // namespace haven::store
