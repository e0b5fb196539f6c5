#pragma once
// The "prevention" area of the store: awareness events in the regions, the national
// action plans with their measures and the progress reported on them, and international
// cooperation (agreements with partners, conventions and their reporting rounds).
// Nothing here is about a person; nothing is sealed.
// Thread-safety: as Transaction (one thread at a time).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/prevention.h"

namespace haven::store {

struct EventFilter {
  std::optional<int> year;  // by starts_on
  std::optional<std::string> region;
  std::optional<domain::Id> organization_id;  // among the organisers
  std::optional<domain::Id> agreement_id;     // held under it
  // The page after this event (by starts_on, then id; the latest first).
  std::optional<std::pair<domain::Date, domain::Id>> after;
  int limit = 50;
};

// Events and participants of one region in a period.
struct RegionCoverage {
  std::string region;
  std::int64_t events = 0;
  std::int64_t female = 0;
  std::int64_t male = 0;
  std::optional<domain::Date> last_event_on;  // the last one ever, up to the period's end
};

// What was done under an agreement, in its period (from its start to its end, its
// termination or `until`): counts only, never a case.
struct AgreementActivity {
  std::vector<domain::Id> event_ids;     // awareness events held under it
  std::int64_t participants = 0;         // in those events
  std::int64_t cases_received = 0;       // distinct cases the partners accepted a referral of
};

struct MeasureFilter {
  domain::Id plan_id = 0;
  std::optional<domain::Id> responsible_organization_id;
};

class PreventionStore {
 public:
  virtual ~PreventionStore() = default;

  // ---- awareness events
  virtual Result<domain::Id> InsertEvent(const domain::AwarenessEvent& e) = 0;
  virtual Result<std::optional<domain::AwarenessEvent>> GetEvent(domain::Id id) = 0;
  // The latest first (by starts_on, then the last recorded).
  virtual Result<std::vector<domain::AwarenessEvent>> ListEvents(const EventFilter& f) = 0;
  // Every region that had an event from `from` to `to` (inclusive, by starts_on), with
  // its counts; `last_event_on` also for regions without one in the period.
  virtual Result<std::vector<RegionCoverage>> Coverage(const domain::Date& from,
                                                       const domain::Date& to) = 0;

  // ---- action plans
  virtual Result<domain::Id> InsertPlan(const domain::ActionPlan& p) = 0;
  virtual Result<std::optional<domain::ActionPlan>> GetPlan(domain::Id id) = 0;
  virtual Result<std::vector<domain::ActionPlan>> ListPlans() = 0;  // newest period first
  // Fails with reason "constraint" when the plan has a measure of that code already.
  virtual Result<domain::Id> InsertMeasure(const domain::Measure& m) = 0;
  virtual Result<std::optional<domain::Measure>> GetMeasure(domain::Id id) = 0;
  // In the order of their codes as people read them (1.2 before 1.10).
  virtual Result<std::vector<domain::Measure>> ListMeasures(const MeasureFilter& f) = 0;
  virtual Result<bool> MeasureCodeTaken(domain::Id plan_id, const std::string& code) = 0;
  // The next revision is the store's: one more than the measure's last.
  virtual Result<domain::ProgressReport> InsertProgress(domain::ProgressReport r) = 0;
  // Oldest first.
  virtual Result<std::vector<domain::ProgressReport>> ProgressOf(domain::Id measure_id) = 0;
  // The latest report of each measure of the plan.
  virtual Result<std::vector<domain::ProgressReport>> LatestProgress(domain::Id plan_id) = 0;

  // ---- international cooperation
  virtual Result<domain::Id> InsertAgreement(const domain::Agreement& a) = 0;
  virtual Result<std::optional<domain::Agreement>> GetAgreement(domain::Id id) = 0;
  // Fails with reason "stale" when the stored version is not a.version - 1 (then nothing
  // changes); replaces the parties.
  virtual Status UpdateAgreement(const domain::Agreement& a) = 0;
  // Newest start first; with a party, only the agreements it is a party to.
  virtual Result<std::vector<domain::Agreement>> ListAgreements(std::optional<domain::Id> party) = 0;
  virtual Result<AgreementActivity> ActivityOf(const domain::Agreement& a, const domain::Date& until) = 0;
  virtual Result<domain::Id> InsertConvention(const domain::Convention& c) = 0;
  virtual Result<std::optional<domain::Convention>> GetConvention(domain::Id id) = 0;
  virtual Result<std::vector<domain::Convention>> ListConventions() = 0;  // by joined_on
  // Fails with reason "constraint" when the convention has a round of that number.
  virtual Result<domain::Id> InsertRound(const domain::ReportingRound& r) = 0;
  virtual Result<std::vector<domain::ReportingRound>> RoundsOf(domain::Id convention_id) = 0;  // by number
  // Its years, due and submission dates (by id; the number and convention stay).
  virtual Status UpdateRound(const domain::ReportingRound& r) = 0;
};

}  // namespace haven::store
