#pragma once
// The "reports" area of the store: the non-identifying facts that statistics
// and exports are computed from. Never returns identity.
// Thread-safety: as Transaction (one thread at a time).

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/model.h"

namespace haven::store {

// One case (or one imported record) as statistics see it.
struct CaseFact {
  domain::Id case_id = 0;
  std::string source = "haven";  // "haven" for Haven's own cases
  domain::Id organization_id = 0;
  domain::OrgKind organization_kind = domain::OrgKind::kNgo;
  domain::Id person_id = 0;
  // The same person registered by several organisations, as found by linkage
  // (`haven link`), shares one cluster id; an unlinked person is its own cluster.
  domain::Id person_cluster = 0;
  domain::Date identified_on;
  domain::IdentifiedBy identified_by = domain::IdentifiedBy::kOther;
  domain::Sex sex = domain::Sex::kUnknown;
  std::optional<int> age_at_identification;
  std::string age_group;  // domain::AgeGroup bands
  domain::Citizenship citizenship;
  std::vector<domain::Exploitation> exploitation;
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

class ReportStore {
 public:
  virtual ~ReportStore() = default;
  // The last `haven link` run, if any: reports say whether linkage was applied.
  virtual Result<std::optional<LinkageRun>> LastLinkageRun() = 0;
  // Every case identified in `year` (all years when empty), oldest first.
  virtual Result<std::vector<CaseFact>> CaseFacts(std::optional<int> year) = 0;
};

}  // namespace haven::store
