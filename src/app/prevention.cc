#include "app/prevention.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "app/paging.h"
#include "app/permissions.h"
#include "app/plan_import.h"
#include "domain/iso_codes.h"
#include "domain/rules.h"
#include "io/sheet.h"

namespace haven::app {

using domain::Json;
using P = Permission;

void StatusCounts::Add(domain::MeasureStatus s) {
  switch (s) {
    case domain::MeasureStatus::kNotStarted: ++not_started; break;
    case domain::MeasureStatus::kInProgress: ++in_progress; break;
    case domain::MeasureStatus::kDone: ++done; break;
    case domain::MeasureStatus::kOverdue: ++overdue; break;
  }
}

namespace {

// Every organisation the ids name exists (active or not: an old plan names bodies that
// have since left).
Status OrganisationsExist(store::Transaction& tx, const std::vector<Id>& ids, std::string_view field) {
  for (Id id : ids) {
    TRY(auto org, tx.GetOrganization(id));
    if (!org) return Invalid(std::string(field), fmt::format("no organisation {}", id));
  }
  return {};
}

Json IdsJson(const std::vector<Id>& ids) { return Json(ids); }

Result<domain::ActionPlan> PlanIn(store::Transaction& tx, Id plan_id) {
  TRY(auto plan, tx.Prevention().GetPlan(plan_id));
  if (!plan) return Fail(ErrorCode::kNotFound, "not_found", "no such action plan");
  return *plan;
}

// The bodies a measure names that `actor` may report for (MayReportProgress).
std::vector<Id> ReportsFor(const Actor& actor, const domain::Measure& m) {
  std::vector<Id> out;
  for (const auto* list : {&m.responsible_organization_ids, &m.partner_organization_ids})
    for (Id org : *list)
      if (AccessPolicy::MayReportProgress(actor, m, org)) out.push_back(org);
  return out;
}

std::map<Id, domain::ProgressReport> LatestByMeasure(std::vector<domain::ProgressReport> rows) {
  std::map<Id, domain::ProgressReport> out;
  for (auto& r : rows) out[r.measure_id] = std::move(r);
  return out;
}

}  // namespace

// ---------------------------------------------------------------- events

Result<domain::AwarenessEvent> PreventionService::RecordEvent(const Actor& actor,
                                                              domain::AwarenessEvent e,
                                                              const WriteOptions& w) {
  TRY_STATUS(AccessPolicy::MayRecordEvent(actor, e.organizer_organization_ids));
  TRY_STATUS(domain::CheckEvent(e, app_.Today()));
  return app_.IdempotentWrite<domain::AwarenessEvent>(
      actor, w, "awareness_event",
      [&](store::Transaction& tx, Id replay) { return tx.Prevention().GetEvent(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::AwarenessEvent>> {
        TRY_STATUS(OrganisationsExist(tx, e.organizer_organization_ids, "organizer_organization_ids"));
        if (e.funded_by_organization_id)
          TRY_STATUS(OrganisationsExist(tx, {*e.funded_by_organization_id}, "funded_by_organization_id"));
        if (e.agreement_id) {
          TRY(auto agreement, tx.Prevention().GetAgreement(*e.agreement_id));
          if (!agreement) return Invalid("agreement_id", "no such agreement");
        }
        e.recorded_by = actor.user_id;
        e.created_at = app_.Now();
        TRY(e.id, tx.Prevention().InsertEvent(e));
        TRY_STATUS(app_.Audit(tx, actor, "awareness_event.create", "awareness_event",
                              std::to_string(e.id),
                              Json{{"region", e.region},
                                   {"starts_on", e.starts_on.ToString()},
                                   {"kind", Name(e.kind)},
                                   {"organizer_organization_ids", IdsJson(e.organizer_organization_ids)},
                                   {"participants", e.participants.Total()}}
                                  .dump()));
        return App::Written<domain::AwarenessEvent>{e, e.id};
      });
}

Result<Page<domain::AwarenessEvent>> PreventionService::ListEvents(const Actor& actor,
                                                                   const EventQuery& q) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY_STATUS(CheckLimit(q.page.limit));
  if (q.region) TRY_STATUS(domain::CheckAzRegion(*q.region, "region"));
  store::EventFilter f;
  if (!q.page.cursor.empty()) {
    // "2026-02-10.15": the date and id of the last event handed out.
    const auto dot = q.page.cursor.find('.');
    auto on = domain::Date::Parse(q.page.cursor.substr(0, dot), "cursor");
    if (dot == std::string::npos || !on) return Invalid("cursor", "is not a cursor this server handed out");
    TRY(auto id, ParseCursor(q.page.cursor.substr(dot + 1)));
    f.after = std::pair{*on, id};
  }
  f.year = q.year;
  f.region = q.region;
  f.organization_id = q.organization_id;
  f.agreement_id = q.agreement_id;
  f.limit = q.page.limit + 1;
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto rows, tx->Prevention().ListEvents(f));
  Page<domain::AwarenessEvent> page;
  if (static_cast<int>(rows.size()) > q.page.limit) {
    rows.resize(q.page.limit);
    page.next_cursor = fmt::format("{}.{}", rows.back().starts_on.ToString(), rows.back().id);
  }
  page.items = std::move(rows);
  return page;
}

Result<domain::AwarenessEvent> PreventionService::GetEvent(const Actor& actor, Id id) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto e, tx->Prevention().GetEvent(id));
  if (!e) return Fail(ErrorCode::kNotFound, "not_found", "no such event");
  return *e;
}

Result<AwarenessCoverage> PreventionService::Coverage(const Actor& actor, int year, int months) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  if (year < 1990 || year > 2200) return Invalid("year", "must be a year such as 2026");
  if (months < 1 || months > 120) return Invalid("months", "must be from 1 to 120");
  const domain::Date today = app_.Today();
  AwarenessCoverage out;
  out.year = year;
  out.months = months;
  out.window_end = std::min(domain::Date::FromYmd(year, 12, 31), today);
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto rows, tx->Prevention().Coverage(domain::Date::FromYmd(year, 1, 1),
                                           domain::Date::FromYmd(year, 12, 31)));
  std::map<std::string, store::RegionCoverage> by_region;
  for (auto& r : rows) by_region[r.region] = r;
  // The window: `months` back from its end, by the calendar.
  const auto end = std::chrono::year_month_day(out.window_end.Days());
  auto start_ym = std::chrono::year_month(end.year(), end.month()) - std::chrono::months(months);
  const domain::Date window_start = domain::Date::FromYmd(
      static_cast<int>(start_ym.year()), static_cast<unsigned>(start_ym.month()),
      std::min(static_cast<unsigned>(end.day()),
               static_cast<unsigned>((start_ym / std::chrono::last).day())));
  for (std::size_t i = 0; i < domain::kAzRegionCount; ++i) {
    const std::string code = domain::kAzRegions[i].code;
    store::RegionCoverage c = by_region.contains(code) ? by_region[code] : store::RegionCoverage{code};
    if (!c.last_event_on || *c.last_event_on < window_start) out.regions_without_events.push_back(code);
    out.regions.push_back(std::move(c));
  }
  return out;
}

Result<RenderedReport> PreventionService::AwarenessReport(const Actor& actor,
                                                         const ReportRequest& request, int months) {
  TRY(auto rendered, ReportService(app_).Run(actor, request));
  if (rendered.format != report::Format::kJson) return rendered;
  TRY(auto coverage, Coverage(actor, *request.year, months));
  Json j = Json::parse(rendered.body, nullptr, false);
  if (j.is_discarded()) return Internal("the awareness report is not JSON");
  // By region code, every region of the country.
  Json regions = Json::object();
  const std::set<std::string> without(coverage.regions_without_events.begin(),
                                      coverage.regions_without_events.end());
  for (const auto& r : coverage.regions)
    regions[r.region] = {
        {"events", r.events},
        {"participants", {{"female", r.female}, {"male", r.male}, {"total", r.female + r.male}}},
        {"last_event_on", r.last_event_on ? Json(r.last_event_on->ToString()) : Json(nullptr)},
        {"without_event_in_window", without.contains(r.region)}};
  j["regions"] = std::move(regions);
  j["regions_without_events"] = {{"months", coverage.months},
                                 {"until", coverage.window_end.ToString()},
                                 {"regions", coverage.regions_without_events}};
  rendered.body = j.dump();
  return rendered;
}

// ---------------------------------------------------------------- plans

Result<domain::ActionPlan> PreventionService::CreatePlan(const Actor& actor, domain::ActionPlan p,
                                                         const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kManagePlans));
  TRY_STATUS(domain::CheckPlan(p));
  return app_.IdempotentWrite<domain::ActionPlan>(
      actor, w, "action_plan",
      [&](store::Transaction& tx, Id replay) { return tx.Prevention().GetPlan(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::ActionPlan>> {
        p.recorded_by = actor.user_id;
        p.created_at = app_.Now();
        TRY(p.id, tx.Prevention().InsertPlan(p));
        TRY_STATUS(app_.Audit(tx, actor, "action_plan.create", "action_plan", std::to_string(p.id),
                              Json{{"period_start", p.period_start.ToString()},
                                   {"period_end", p.period_end.ToString()}}
                                  .dump()));
        return App::Written<domain::ActionPlan>{p, p.id};
      });
}

Result<std::vector<domain::ActionPlan>> PreventionService::ListPlans(const Actor& actor) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY(auto tx, app_.Store().Begin(false));
  return tx->Prevention().ListPlans();
}

Result<domain::ActionPlan> PreventionService::GetPlan(const Actor& actor, Id id) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY(auto tx, app_.Store().Begin(false));
  return PlanIn(*tx, id);
}

Result<domain::Measure> PreventionService::AddMeasure(const Actor& actor, Id plan_id,
                                                      domain::Measure m, const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kManagePlans));
  return app_.IdempotentWrite<domain::Measure>(
      actor, w, "measure",
      [&](store::Transaction& tx, Id replay) { return tx.Prevention().GetMeasure(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Measure>> {
        TRY(auto plan, PlanIn(tx, plan_id));
        m.plan_id = plan.id;
        TRY_STATUS(domain::CheckMeasure(m, plan));
        TRY_STATUS(OrganisationsExist(tx, m.responsible_organization_ids, "responsible_organization_ids"));
        TRY_STATUS(OrganisationsExist(tx, m.partner_organization_ids, "partner_organization_ids"));
        TRY(bool taken, tx.Prevention().MeasureCodeTaken(plan.id, m.code));
        if (taken)
          return Fail(ErrorCode::kConflict, "duplicate_code",
                      fmt::format("the plan has a measure {} already", m.code), "code");
        m.recorded_by = actor.user_id;
        m.created_at = app_.Now();
        TRY(m.id, tx.Prevention().InsertMeasure(m));
        TRY_STATUS(app_.Audit(tx, actor, "measure.create", "measure", std::to_string(m.id),
                              Json{{"plan_id", plan.id},
                                   {"code", m.code},
                                   {"deadline", m.deadline.ToString()},
                                   {"responsible_organization_ids", IdsJson(m.responsible_organization_ids)}}
                                  .dump()));
        return App::Written<domain::Measure>{m, m.id};
      });
}

Result<std::vector<MeasureView>> PreventionService::ListMeasures(const Actor& actor, Id plan_id,
                                                                 std::optional<Id> responsible) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto plan, PlanIn(*tx, plan_id));
  TRY(auto measures, tx->Prevention().ListMeasures({plan.id, responsible}));
  TRY(auto latest_rows, tx->Prevention().LatestProgress(plan.id));
  auto latest = LatestByMeasure(std::move(latest_rows));
  const domain::Date today = app_.Today();
  std::vector<MeasureView> out;
  for (auto& m : measures) {
    MeasureView v;
    if (auto it = latest.find(m.id); it != latest.end()) v.latest = it->second;
    v.status = domain::StatusOf(m, v.latest, today);
    v.reader_reports_for = ReportsFor(actor, m);
    v.measure = std::move(m);
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::pair<MeasureView, std::vector<domain::ProgressReport>>> PreventionService::GetMeasure(
    const Actor& actor, Id measure_id) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto m, tx->Prevention().GetMeasure(measure_id));
  if (!m) return Fail(ErrorCode::kNotFound, "not_found", "no such measure");
  TRY(auto reports, tx->Prevention().ProgressOf(m->id));
  MeasureView v;
  if (!reports.empty()) v.latest = reports.back();
  v.status = domain::StatusOf(*m, v.latest, app_.Today());
  v.reader_reports_for = ReportsFor(actor, *m);
  v.measure = std::move(*m);
  return std::pair{std::move(v), std::move(reports)};
}

Result<domain::ProgressReport> PreventionService::ReportProgress(const Actor& actor, Id measure_id,
                                                                 domain::ProgressReport r,
                                                                 const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kReportProgress));
  return app_.IdempotentWrite<domain::ProgressReport>(
      actor, w, "measure_progress",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<domain::ProgressReport>> {
        TRY(auto rows, tx.Prevention().ProgressOf(measure_id));
        for (auto& row : rows)
          if (row.id == replay) return std::optional(row);
        return std::optional<domain::ProgressReport>();
      },
      [&](store::Transaction& tx) -> Result<App::Written<domain::ProgressReport>> {
        TRY(auto m, tx.Prevention().GetMeasure(measure_id));
        if (!m) return Fail(ErrorCode::kNotFound, "not_found", "no such measure");
        TRY(auto plan, PlanIn(tx, m->plan_id));
        // Reported for the actor's organisation unless a coordinator names another body.
        if (!r.reporting_organization_id) r.reporting_organization_id = actor.organization_id;
        TRY_STATUS(AccessPolicy::MayReportProgress(actor, *m, r.reporting_organization_id));
        TRY_STATUS(domain::CheckProgress(r, *m, plan, app_.Today()));
        r.measure_id = m->id;
        r.recorded_by = actor.user_id;
        r.created_at = app_.Now();
        TRY(r, tx.Prevention().InsertProgress(r));
        TRY_STATUS(app_.Audit(tx, actor, "measure.progress", "measure", std::to_string(m->id),
                              Json{{"plan_id", plan.id},
                                   {"code", m->code},
                                   {"revision", r.revision},
                                   {"status", Name(r.status)},
                                   {"reporting_organization_id", r.reporting_organization_id}}
                                  .dump()));
        return App::Written<domain::ProgressReport>{r, r.id};
      });
}

Result<PlanSummary> PreventionService::Summary(const Actor& actor, Id plan_id) {
  TRY(auto measures, ListMeasures(actor, plan_id, std::nullopt));
  TRY(auto tx, app_.Store().Begin(false));
  PlanSummary out;
  TRY(out.plan, PlanIn(*tx, plan_id));
  out.as_of = app_.Today();
  std::map<Id, BodySummary> bodies;
  for (const auto& v : measures) {
    out.counts.Add(v.status);
    for (Id org : v.measure.responsible_organization_ids) {
      auto& b = bodies[org];
      if (!b.organization_id) {
        b.organization_id = org;
        TRY(auto o, tx->GetOrganization(org));
        b.name = o ? o->name : fmt::format("#{}", org);
      }
      b.counts.Add(v.status);
    }
    if (v.status == domain::MeasureStatus::kOverdue) out.overdue.push_back(v);
  }
  for (auto& [_, b] : bodies) out.by_body.push_back(std::move(b));
  std::sort(out.by_body.begin(), out.by_body.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::stable_sort(out.overdue.begin(), out.overdue.end(), [](const auto& a, const auto& b) {
    return a.measure.deadline < b.measure.deadline;
  });
  return out;
}

// The file's measures read against the plan as it stands in `tx`.
static Result<ImportResult> ReadImport(store::Transaction& tx, Id plan_id, const io::Sheet& sheet) {
  TRY(auto plan, PlanIn(tx, plan_id));
  std::vector<domain::Organization> directory;
  for (Id after = 0;;) {
    TRY(auto page, tx.ListOrganizations(after, 500));
    if (page.empty()) break;
    after = page.back().id;
    directory.insert(directory.end(), page.begin(), page.end());
  }
  TRY(auto existing, tx.Prevention().ListMeasures({plan.id, std::nullopt}));
  std::set<std::string> taken;
  for (const auto& m : existing) taken.insert(m.code);
  TRY(auto rows, MeasuresFromSheet(sheet, plan, directory, taken));
  ImportResult out;
  out.problems = std::move(rows.problems);
  for (auto& [_, m] : rows.measures) out.measures.push_back(std::move(m));
  return out;
}

Result<ImportResult> PreventionService::ImportMeasures(const Actor& actor, Id plan_id,
                                                       std::string_view file, bool dry_run,
                                                       const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kManagePlans));
  TRY(auto sheet, io::ReadSheet(file));
  {
    // First read only: a dry run, or a file with problems, changes nothing — unless the
    // same request came before with its key, which the write below answers again.
    TRY(auto tx, app_.Store().Begin(false));
    TRY(auto seen, app_.Replay(*tx, actor, w, "measure_import"));
    if (dry_run || !seen) {
      TRY(auto read, ReadImport(*tx, plan_id, sheet));
      if (dry_run || !read.problems.empty()) return read;
    }
  }
  return app_.IdempotentWrite<ImportResult>(
      actor, w, "measure_import",
      [&](store::Transaction& tx, Id) -> Result<std::optional<ImportResult>> {
        // The same file sent again with its key: it was imported then.
        ImportResult done;
        done.applied = true;
        TRY(done.measures, tx.Prevention().ListMeasures({plan_id, std::nullopt}));
        return std::optional(std::move(done));
      },
      [&](store::Transaction& tx) -> Result<App::Written<ImportResult>> {
        TRY(auto out, ReadImport(tx, plan_id, sheet));
        if (!out.problems.empty())
          return Fail(ErrorCode::kConflict, "plan_changed",
                      "the plan changed while the file was read (a measure of the same code was "
                      "added); send the file again");
        for (auto& m : out.measures) {
          m.recorded_by = actor.user_id;
          m.created_at = app_.Now();
          TRY(m.id, tx.Prevention().InsertMeasure(m));
        }
        out.applied = true;
        TRY_STATUS(app_.Audit(tx, actor, "measure.import", "action_plan", std::to_string(plan_id),
                              Json{{"measures", out.measures.size()}}.dump()));
        return App::Written<ImportResult>{out, plan_id};
      });
}

}  // namespace haven::app
