#pragma once
// The "stages" area of the store: what happens to a case after identification
// beyond shelter and allowance — needs assessment and support plan, extensions
// of the reflection period, residence status, criminal proceedings and
// compensation, return and reintegration follow-ups. Free text (needs,
// objectives, extension reasons, follow-up notes) arrives here already sealed.
// Thread-safety: as Transaction (one thread at a time).

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/model.h"
#include "domain/stages.h"

namespace haven::store {

struct StoredSupportPlan {
  domain::SupportPlan plan;  // needs and objectives empty here
  std::string sealed_needs;
  std::string sealed_objectives;
};

struct StoredExtension {
  domain::ReflectionExtension extension;  // reason empty here
  std::string sealed_reason;
};

struct StoredFollowUp {
  domain::FollowUp follow_up;  // notes empty here
  std::string sealed_notes;
};

// Something due on a case, for the reminders.
struct DueItem {
  domain::Id case_id = 0;
  std::string case_code;
  domain::Date due_on;
};

// Compensation claims of a year, for statistics.
struct CompensationTotal {
  std::string currency;
  std::int64_t claims_filed = 0;    // filed in the year
  std::int64_t claims_awarded = 0;  // decided in the year with an award
  std::int64_t amount_awarded_minor = 0;
};

class StageStore {
 public:
  virtual ~StageStore() = default;
  virtual Result<std::vector<CompensationTotal>> CompensationTotals(int year) = 0;
  // Criminal proceedings started in `year`, by their current stage name.
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> ProceedingsByStage(int year) = 0;

  // Support plans: every revision is kept; the highest revision is in force.
  virtual Result<domain::Id> InsertSupportPlan(const domain::SupportPlan& p,
                                               const std::string& sealed_needs,
                                               const std::string& sealed_objectives) = 0;
  virtual Result<std::optional<StoredSupportPlan>> GetSupportPlan(domain::Id id) = 0;
  // Oldest revision first.
  virtual Result<std::vector<StoredSupportPlan>> SupportPlansOfCase(domain::Id case_id) = 0;

  // Reflection period extensions. The reason is sealed with the new id as
  // associated data, so it is written in a second step of the same transaction.
  virtual Result<domain::Id> InsertExtension(const domain::ReflectionExtension& e) = 0;
  virtual Status SetExtensionReason(domain::Id id, const std::string& sealed_reason) = 0;
  virtual Result<std::optional<StoredExtension>> GetExtension(domain::Id id) = 0;
  virtual Result<std::vector<StoredExtension>> ExtensionsOfCase(domain::Id case_id) = 0;

  // Residence permits.
  virtual Result<domain::Id> InsertPermit(const domain::ResidencePermit& p) = 0;
  // Writes the mutable fields of `p` (all but id, case_id, recorded_by, created_at).
  // Updates of permits, proceedings and claims write `version`, and fail with kConflict
  // (stale_update) unless the stored version is `version - 1`.
  virtual Status UpdatePermit(const domain::ResidencePermit& p) = 0;
  virtual Result<std::optional<domain::ResidencePermit>> GetPermit(domain::Id id) = 0;
  virtual Result<std::vector<domain::ResidencePermit>> PermitsOfCase(domain::Id case_id) = 0;

  // Criminal proceedings.
  virtual Result<domain::Id> InsertProceeding(const domain::Proceeding& p) = 0;
  virtual Status UpdateProceeding(const domain::Proceeding& p) = 0;
  virtual Result<std::optional<domain::Proceeding>> GetProceeding(domain::Id id) = 0;
  virtual Result<std::vector<domain::Proceeding>> ProceedingsOfCase(domain::Id case_id) = 0;

  // Compensation claims.
  virtual Result<domain::Id> InsertClaim(const domain::CompensationClaim& c) = 0;
  virtual Status UpdateClaim(const domain::CompensationClaim& c) = 0;
  virtual Result<std::optional<domain::CompensationClaim>> GetClaim(domain::Id id) = 0;
  virtual Result<std::vector<domain::CompensationClaim>> ClaimsOfCase(domain::Id case_id) = 0;

  // Return: at most one per case (a second insert fails with reason "constraint").
  virtual Result<domain::Id> InsertReturn(const domain::Return& r) = 0;
  virtual Result<std::optional<domain::Return>> GetReturn(domain::Id id) = 0;
  virtual Result<std::vector<domain::Return>> ReturnsOfCase(domain::Id case_id) = 0;

  // Reintegration follow-ups.
  virtual Result<domain::Id> InsertFollowUp(const domain::FollowUp& f) = 0;
  // Fails with kConflict when the follow-up is already done.
  virtual Status CompleteFollowUp(domain::Id id, const domain::Date& done_on,
                                  domain::FollowUpOutcome outcome,
                                  const std::string& sealed_notes, domain::Id completed_by) = 0;
  virtual Result<std::optional<StoredFollowUp>> GetFollowUp(domain::Id id) = 0;
  virtual Result<std::vector<StoredFollowUp>> FollowUpsOfCase(domain::Id case_id) = 0;

  // Reminders, over the open (not closed) cases of one organisation.
  // Follow-ups not done and due on or before `horizon`.
  virtual Result<std::vector<DueItem>> FollowUpsDue(domain::Id organization_id,
                                                    const domain::Date& horizon) = 0;
  // Support plans in force whose planned end is before `today` without an actual end.
  virtual Result<std::vector<DueItem>> SupportPlansEndPassed(domain::Id organization_id,
                                                             const domain::Date& today) = 0;
  // Granted permits expiring on or before `horizon`, unless the case holds a
  // permit that runs longer (or does not expire).
  virtual Result<std::vector<DueItem>> PermitsExpiring(domain::Id organization_id,
                                                       const domain::Date& horizon) = 0;
};

}  // namespace haven::store
