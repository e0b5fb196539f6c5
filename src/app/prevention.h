#pragma once
// Use cases of prevention and the national action plan: the awareness events the
// coalition holds in the regions and their coverage; the plans, their measures (entered
// one by one or imported from the table the ministry wrote), the progress the
// responsible bodies report, and where each measure and each body stands.
//
// Every signed-in role reads them (Permission::kReadPrevention): nothing here is about a
// person. Writes follow the access policy (MayRecordEvent, MayReportProgress,
// Permission::kManagePlans), each in one transaction with its audit entry, each
// idempotent with an Idempotency-Key.
//
// Thread-safe: stateless over a thread-safe App.

#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/reports.h"
#include "domain/prevention.h"
#include "store/store.h"

namespace haven::app {

struct EventQuery {
  PageRequest page;
  std::optional<int> year;
  std::optional<std::string> region;
  std::optional<Id> organization_id;
  std::optional<Id> agreement_id;
};

// A measure as the plan's screen shows it: where it stands today and its last report.
struct MeasureView {
  domain::Measure measure;
  domain::MeasureStatus status = domain::MeasureStatus::kNotStarted;
  std::optional<domain::ProgressReport> latest;
  // The bodies the reader may report progress for, as the access policy decides.
  std::vector<Id> reader_reports_for;
};

struct StatusCounts {
  std::int64_t not_started = 0, in_progress = 0, done = 0, overdue = 0;
  void Add(domain::MeasureStatus s);
  std::int64_t Total() const { return not_started + in_progress + done + overdue; }
};

struct BodySummary {
  Id organization_id = 0;
  std::string name;
  StatusCounts counts;  // of the measures it is responsible for
};

struct PlanSummary {
  domain::ActionPlan plan;
  domain::Date as_of;
  StatusCounts counts;
  std::vector<BodySummary> by_body;   // by name
  std::vector<MeasureView> overdue;   // by deadline
};

// One row of an import that could not be read, and why.
struct ImportProblem {
  int row = 0;  // as the file numbers it (a CSV line, a worksheet row)
  std::string field;
  std::string message;
};

struct ImportResult {
  bool applied = false;  // false: a dry run, or problems (then nothing is stored)
  std::vector<domain::Measure> measures;  // read from the file (stored when applied)
  std::vector<ImportProblem> problems;
};

// Events and participants by region for a year, and the regions without an event in the
// `months` before the year's end (or today, within the current year).
struct AwarenessCoverage {
  int year = 0;
  int months = 12;
  domain::Date window_end;
  std::vector<store::RegionCoverage> regions;         // every region of Azerbaijan, by code
  std::vector<std::string> regions_without_events;    // in the window
};

class PreventionService {
 public:
  explicit PreventionService(App& app) : app_(app) {}

  // ---- awareness events
  Result<domain::AwarenessEvent> RecordEvent(const Actor& actor, domain::AwarenessEvent e,
                                             const WriteOptions& w = {});
  Result<Page<domain::AwarenessEvent>> ListEvents(const Actor& actor, const EventQuery& q);
  Result<domain::AwarenessEvent> GetEvent(const Actor& actor, Id id);
  Result<AwarenessCoverage> Coverage(const Actor& actor, int year, int months);
  // The named report `awareness` (tables by region, kind, topic, audience and sex) as
  // ReportService::Run renders it; in JSON with the coverage beside it: every region with
  // its events and participants, and those without an event in the last `months`.
  Result<RenderedReport> AwarenessReport(const Actor& actor, const ReportRequest& request,
                                         int months);

  // ---- action plans
  Result<domain::ActionPlan> CreatePlan(const Actor& actor, domain::ActionPlan p,
                                        const WriteOptions& w = {});
  Result<std::vector<domain::ActionPlan>> ListPlans(const Actor& actor);
  Result<domain::ActionPlan> GetPlan(const Actor& actor, Id id);
  Result<domain::Measure> AddMeasure(const Actor& actor, Id plan_id, domain::Measure m,
                                     const WriteOptions& w = {});
  Result<std::vector<MeasureView>> ListMeasures(const Actor& actor, Id plan_id,
                                                std::optional<Id> responsible);
  // The measure with every progress report on it, oldest first.
  Result<std::pair<MeasureView, std::vector<domain::ProgressReport>>> GetMeasure(
      const Actor& actor, Id measure_id);
  Result<domain::ProgressReport> ReportProgress(const Actor& actor, Id measure_id,
                                                domain::ProgressReport r,
                                                const WriteOptions& w = {});
  Result<PlanSummary> Summary(const Actor& actor, Id plan_id);
  // Reads a CSV or XLSX file of measures (one a row; headings in Azerbaijani, English or
  // Russian) and, unless `dry_run` or a row has a problem, adds them all in one
  // transaction; otherwise nothing is stored and every problem is listed.
  Result<ImportResult> ImportMeasures(const Actor& actor, Id plan_id, std::string_view file,
                                      bool dry_run, const WriteOptions& w = {});

 private:
  App& app_;
};

}  // namespace haven::app
