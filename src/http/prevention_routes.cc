// Routes of prevention and the action plan: awareness events and their coverage by
// region, action plans, their measures (one by one or imported from a CSV or XLSX file),
// progress reports and the plan's summary. Every handler parses, calls one
// PreventionService use case and renders.

#include <limits>

#include <fmt/format.h>

#include "app/prevention.h"
#include "http/support.h"

namespace haven::http {
namespace {

using domain::Name;
using Req = httplib::Request;
using Res = httplib::Response;
using Ctx = RequestContext;

// ---- reading

Result<std::vector<domain::Id>> IdList(const Json& body, const std::string& key, bool required) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) return Invalid(key, "is required");
    return std::vector<domain::Id>();
  }
  if (!it->is_array()) return Invalid(key, "must be an array of organisation ids");
  std::vector<domain::Id> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& v = (*it)[i];
    if (!v.is_number_integer() || v.get<std::int64_t>() <= 0)
      return Invalid(fmt::format("{}[{}]", key, i), "must be an organisation id");
    out.push_back(v.get<domain::Id>());
  }
  return out;
}

Result<std::int64_t> Count(const Json& object, const std::string& key, const std::string& field) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return 0;
  if (!it->is_number_integer()) return Invalid(field, "must be a whole number");
  return it->get<std::int64_t>();
}

Result<std::optional<double>> OptionalNumber(const Json& object, const std::string& key,
                                             const std::string& field) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<double>();
  if (!it->is_number()) return Invalid(field, "must be a number");
  return std::optional(it->get<double>());
}

Result<domain::Participants> ParticipantsFrom(const Json& body) {
  auto it = body.find("participants");
  if (it == body.end()) return Invalid("participants", "is required: {\"female\": n, \"male\": n}");
  if (!it->is_object()) return Invalid("participants", "must be an object {\"female\": n, \"male\": n}");
  domain::JsonReader r(*it, "participants.");
  TRY_STATUS(r.OnlyKeys({"female", "male", "by_age"}));
  domain::Participants p;
  TRY(p.female, Count(*it, "female", "participants.female"));
  TRY(p.male, Count(*it, "male", "participants.male"));
  if (auto ages = it->find("by_age"); ages != it->end() && !ages->is_null()) {
    if (!ages->is_object()) return Invalid("participants.by_age", "must be an object such as {\"under_18\": 12}");
    for (const auto& [name, n] : ages->items()) {
      auto age = domain::ParseEnum<domain::ParticipantAge>(name);
      if (!age)
        return Invalid("participants.by_age." + name,
                       "is not an age group: " + domain::AllowedNames<domain::ParticipantAge>());
      TRY(p.by_age[*age], Count(*ages, name, "participants.by_age." + name));
    }
  }
  return p;
}

Result<domain::AwarenessEvent> EventFrom(const Json& body) {
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"title", "kind", "organizer_organization_ids", "region", "place",
                         "starts_on", "ends_on", "topics", "audience", "participants",
                         "materials_distributed", "funded_by_organization_id", "agreement_id"}));
  domain::AwarenessEvent e;
  TRY(e.title, r.String("title", false));
  TRY(e.kind, r.RequiredEnum<domain::EventKind>("kind"));
  TRY(e.organizer_organization_ids, IdList(body, "organizer_organization_ids", true));
  TRY(e.region, r.String("region"));
  TRY(e.place, r.String("place", false));
  TRY(e.starts_on, r.RequiredDate("starts_on"));
  TRY(auto ends_on, r.OptionalDate("ends_on"));
  e.ends_on = ends_on.value_or(e.starts_on);
  if (!r.Has("topics")) return Invalid("topics", "is required");
  TRY(e.topics, r.EnumList<domain::EventTopic>("topics"));
  if (!r.Has("audience")) return Invalid("audience", "is required");
  TRY(e.audience, r.EnumList<domain::Audience>("audience"));
  TRY(e.participants, ParticipantsFrom(body));
  TRY(e.materials_distributed, Count(body, "materials_distributed", "materials_distributed"));
  TRY(auto funder, r.OptionalInt("funded_by_organization_id"));
  if (funder) e.funded_by_organization_id = *funder;
  TRY(auto agreement, r.OptionalInt("agreement_id"));
  if (agreement) e.agreement_id = *agreement;
  return e;
}

Result<std::vector<domain::Indicator>> IndicatorsFrom(const Json& body) {
  std::vector<domain::Indicator> out;
  auto it = body.find("indicators");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return Invalid("indicators", "must be an array of {name, unit, baseline, target}");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& v = (*it)[i];
    const std::string field = fmt::format("indicators[{}]", i);
    if (!v.is_object()) return Invalid(field, "must be an object {name, unit, baseline, target}");
    domain::JsonReader r(v, field + ".");
    TRY_STATUS(r.OnlyKeys({"name", "unit", "baseline", "target"}));
    domain::Indicator ind;
    TRY(ind.name, r.String("name"));
    TRY(ind.unit, r.String("unit", false));
    TRY(ind.baseline, OptionalNumber(v, "baseline", field + ".baseline"));
    TRY(ind.target, OptionalNumber(v, "target", field + ".target"));
    out.push_back(std::move(ind));
  }
  return out;
}

// ---- rendering

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json EventJson(const domain::AwarenessEvent& e) {
  Json ages = Json::object();
  for (auto [age, n] : e.participants.by_age) ages[std::string(Name(age))] = n;
  return {{"id", e.id},
          {"title", e.title},
          {"kind", Name(e.kind)},
          {"organizer_organization_ids", e.organizer_organization_ids},
          {"region", e.region},
          {"place", e.place},
          {"starts_on", e.starts_on.ToString()},
          {"ends_on", e.ends_on.ToString()},
          {"topics", domain::EnumListToJson(e.topics)},
          {"audience", domain::EnumListToJson(e.audience)},
          {"participants", {{"female", e.participants.female},
                            {"male", e.participants.male},
                            {"total", e.participants.Total()},
                            {"by_age", ages}}},
          {"materials_distributed", e.materials_distributed},
          {"funded_by_organization_id",
           e.funded_by_organization_id ? Json(*e.funded_by_organization_id) : Json(nullptr)},
          {"agreement_id", e.agreement_id ? Json(*e.agreement_id) : Json(nullptr)},
          {"recorded_by", e.recorded_by},
          {"created_at", FormatTimestamp(e.created_at)}};
}

Json PlanJson(const domain::ActionPlan& p) {
  return {{"id", p.id},
          {"title", p.title},
          {"period_start", p.period_start.ToString()},
          {"period_end", p.period_end.ToString()},
          {"recorded_by", p.recorded_by},
          {"created_at", FormatTimestamp(p.created_at)}};
}

Json ProgressJson(const domain::ProgressReport& r) {
  Json values = Json::array();
  for (auto [index, value] : r.indicator_values) values.push_back({{"indicator", index}, {"value", value}});
  return {{"id", r.id},
          {"measure_id", r.measure_id},
          {"revision", r.revision},
          {"reported_on", r.reported_on.ToString()},
          {"reporting_organization_id", r.reporting_organization_id},
          {"status", Name(r.status)},
          {"narrative", r.narrative},
          {"indicator_values", values},
          {"recorded_by", r.recorded_by},
          {"created_at", FormatTimestamp(r.created_at)}};
}

Json MeasureJson(const domain::Measure& m) {
  Json indicators = Json::array();
  for (const auto& i : m.indicators)
    indicators.push_back({{"name", i.name}, {"unit", i.unit}, {"baseline", Opt(i.baseline)}, {"target", Opt(i.target)}});
  return {{"id", m.id},
          {"plan_id", m.plan_id},
          {"code", m.code},
          {"text", m.text},
          {"responsible_organization_ids", m.responsible_organization_ids},
          {"partner_organization_ids", m.partner_organization_ids},
          {"deadline", m.deadline.ToString()},
          {"indicators", indicators},
          {"recorded_by", m.recorded_by},
          {"created_at", FormatTimestamp(m.created_at)}};
}

Json MeasureViewJson(const app::MeasureView& v) {
  Json j = MeasureJson(v.measure);
  j["status"] = Name(v.status);
  j["latest_progress"] = v.latest ? ProgressJson(*v.latest) : Json(nullptr);
  j["you_report_for"] = v.reader_reports_for;
  return j;
}

Json CountsJson(const app::StatusCounts& c) {
  return {{"not_started", c.not_started}, {"in_progress", c.in_progress}, {"done", c.done},
          {"overdue", c.overdue}, {"total", c.Total()}};
}

// ---- events

Status RecordEvent(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  TRY(auto e, EventFrom(body));
  TRY(auto created, app::PreventionService(app).RecordEvent(ctx.Actor(), std::move(e), WriteOptionsOf(req)));
  SetJson(res, 201, EventJson(created));
  return {};
}

Status ListEvents(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  app::EventQuery q;
  TRY(q.page, PageParams(req));
  if (req.has_param("year")) {
    TRY(int year, IntParam(req, "year", 0, 1990, 2200));
    q.year = year;
  }
  if (req.has_param("region")) q.region = req.get_param_value("region");
  if (req.has_param("organization_id")) {
    TRY(int org, IntParam(req, "organization_id", 0, 1, std::numeric_limits<int>::max()));
    q.organization_id = org;
  }
  if (req.has_param("agreement_id")) {
    TRY(int agreement, IntParam(req, "agreement_id", 0, 1, std::numeric_limits<int>::max()));
    q.agreement_id = agreement;
  }
  TRY(auto page, app::PreventionService(app).ListEvents(ctx.Actor(), q));
  SetJson(res, 200, PageJson(page, EventJson));
  return {};
}

Status GetEvent(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "event"));
  TRY(auto e, app::PreventionService(app).GetEvent(ctx.Actor(), id));
  SetJson(res, 200, EventJson(e));
  return {};
}

Status Awareness(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  app::ReportRequest r;
  r.name = "awareness";
  if (!req.has_param("year")) return Invalid("year", "is required");
  TRY(int year, IntParam(req, "year", 0, 1990, 2200));
  r.year = year;
  if (req.has_param("format")) r.format = req.get_param_value("format");
  if (req.has_param("lang")) r.lang = req.get_param_value("lang");
  if (req.has_param("source")) r.source = req.get_param_value("source");
  TRY(int months, IntParam(req, "months", 12, 1, 120));
  TRY(auto rendered, app::PreventionService(app).AwarenessReport(ctx.Actor(), r, months));
  res.status = 200;
  if (rendered.format != report::Format::kJson)
    res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", rendered.file_name));
  res.set_content(rendered.body, std::string(report::ContentType(rendered.format)));
  return {};
}

// ---- plans

Status CreatePlan(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"title", "period_start", "period_end"}));
  domain::ActionPlan p;
  TRY(p.title, r.String("title"));
  TRY(p.period_start, r.RequiredDate("period_start"));
  TRY(p.period_end, r.RequiredDate("period_end"));
  TRY(auto created, app::PreventionService(app).CreatePlan(ctx.Actor(), std::move(p), WriteOptionsOf(req)));
  SetJson(res, 201, PlanJson(created));
  return {};
}

Status ListPlans(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  TRY(auto plans, app::PreventionService(app).ListPlans(ctx.Actor()));
  SetJson(res, 200, ItemsJson(plans, PlanJson));
  return {};
}

Status GetPlan(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "action plan"));
  TRY(auto p, app::PreventionService(app).GetPlan(ctx.Actor(), id));
  SetJson(res, 200, PlanJson(p));
  return {};
}

Status AddMeasure(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto plan_id, PathId(req, "action plan"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"code", "text", "responsible_organization_ids", "partner_organization_ids",
                         "deadline", "indicators"}));
  domain::Measure m;
  TRY(m.code, r.String("code"));
  TRY(m.text, r.String("text"));
  TRY(m.responsible_organization_ids, IdList(body, "responsible_organization_ids", true));
  TRY(m.partner_organization_ids, IdList(body, "partner_organization_ids", false));
  TRY(m.deadline, r.RequiredDate("deadline"));
  TRY(m.indicators, IndicatorsFrom(body));
  TRY(auto created, app::PreventionService(app).AddMeasure(ctx.Actor(), plan_id, std::move(m), WriteOptionsOf(req)));
  SetJson(res, 201, MeasureJson(created));
  return {};
}

Status ListMeasures(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto plan_id, PathId(req, "action plan"));
  std::optional<domain::Id> responsible;
  if (req.has_param("responsible_organization_id")) {
    TRY(int org, IntParam(req, "responsible_organization_id", 0, 1, std::numeric_limits<int>::max()));
    responsible = org;
  }
  TRY(auto rows, app::PreventionService(app).ListMeasures(ctx.Actor(), plan_id, responsible));
  SetJson(res, 200, ItemsJson(rows, MeasureViewJson));
  return {};
}

Status GetMeasure(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "measure"));
  TRY(auto got, app::PreventionService(app).GetMeasure(ctx.Actor(), id));
  Json j = MeasureViewJson(got.first);
  j["progress"] = ItemsJson(got.second, ProgressJson)["items"];
  SetJson(res, 200, j);
  return {};
}

Status ReportProgress(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "measure"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"reported_on", "status", "narrative", "indicator_values",
                         "reporting_organization_id"}));
  domain::ProgressReport p;
  TRY(p.reported_on, r.RequiredDate("reported_on"));
  TRY(p.status, r.RequiredEnum<domain::MeasureStatus>("status"));
  TRY(p.narrative, r.String("narrative", false));
  TRY(auto reporter, r.OptionalInt("reporting_organization_id"));
  if (reporter) p.reporting_organization_id = *reporter;
  if (auto it = body.find("indicator_values"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return Invalid("indicator_values", "must be an array of {indicator, value}");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& v = (*it)[i];
      const std::string field = fmt::format("indicator_values[{}]", i);
      if (!v.is_object() || !v.contains("indicator") || !v["indicator"].is_number_integer() ||
          !v.contains("value") || !v["value"].is_number())
        return Invalid(field, "must be {\"indicator\": index, \"value\": number}");
      TRY_STATUS(domain::JsonReader(v, field + ".").OnlyKeys({"indicator", "value"}));
      const int index = v["indicator"].get<int>();
      if (p.indicator_values.contains(index)) return Invalid(field, "gives that indicator twice");
      p.indicator_values[index] = v["value"].get<double>();
    }
  }
  TRY(auto created, app::PreventionService(app).ReportProgress(ctx.Actor(), id, std::move(p), WriteOptionsOf(req)));
  SetJson(res, 201, ProgressJson(created));
  return {};
}

Status Summary(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "action plan"));
  TRY(auto s, app::PreventionService(app).Summary(ctx.Actor(), id));
  Json bodies = Json::array();
  for (const auto& b : s.by_body)
    bodies.push_back({{"organization_id", b.organization_id}, {"name", b.name}, {"counts", CountsJson(b.counts)}});
  Json overdue = Json::array();
  for (const auto& v : s.overdue)
    overdue.push_back({{"id", v.measure.id},
                       {"code", v.measure.code},
                       {"text", v.measure.text},
                       {"deadline", v.measure.deadline.ToString()},
                       {"responsible_organization_ids", v.measure.responsible_organization_ids},
                       {"status", Name(v.status)},
                       {"last_reported_status", v.latest ? Json(Name(v.latest->status)) : Json(nullptr)}});
  SetJson(res, 200, {{"plan", PlanJson(s.plan)},
                     {"as_of", s.as_of.ToString()},
                     {"counts", CountsJson(s.counts)},
                     {"by_body", bodies},
                     {"overdue", overdue}});
  return {};
}

// The file as the body (text/csv, or the XLSX media type), or a form's `file` field.
Status ImportMeasures(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto plan_id, PathId(req, "action plan"));
  TRY(auto dry_run, BoolParam(req, "dry_run"));
  std::string file;
  if (req.is_multipart_form_data()) {
    for (const auto& [name, _] : req.files)
      if (name != "file") return Invalid(name, "is not a known field (send the table as `file`)");
    if (!req.has_file("file")) return Invalid("file", "is required");
    file = req.get_file_value("file").content;
  } else {
    file = req.body;
  }
  if (file.empty()) return Invalid("file", "is empty: send the CSV or XLSX file as the body");
  TRY(auto result, app::PreventionService(app).ImportMeasures(ctx.Actor(), plan_id, file,
                                                             dry_run.value_or(false), WriteOptionsOf(req)));
  Json problems = Json::array();
  for (const auto& p : result.problems)
    problems.push_back({{"row", p.row}, {"field", p.field.empty() ? Json(nullptr) : Json(p.field)}, {"message", p.message}});
  Json measures = Json::array();
  for (const auto& m : result.measures) measures.push_back(MeasureJson(m));
  // 201 when stored; 200 for a dry run (with what it found); 422 when a row could not be
  // read, with an error as every refusal has it, and nothing stored.
  const bool dry = dry_run.value_or(false);
  const int status = result.applied ? 201 : dry || result.problems.empty() ? 200 : 422;
  Json out = {{"applied", result.applied}, {"measures", measures}, {"problems", problems}};
  if (status == 422)
    out["error"] = {{"code", "invalid_rows"},
                    {"message", fmt::format("{} row(s) of the file could not be read; nothing was stored",
                                            result.problems.size())},
                    {"field", "file"}};
  SetJson(res, status, out);
  return {};
}

}  // namespace

std::vector<Route> PreventionRoutes() {
  return {
      {"POST", "/api/v1/trainings", false, RecordEvent},
      {"GET", "/api/v1/trainings", false, ListEvents, {"limit", "cursor", "year", "region", "organization_id", "agreement_id"}},
      {"GET", "/api/v1/trainings/{id}", false, GetEvent},
      {"GET", "/api/v1/reports/awareness", false, Awareness, {"year", "months", "source", "lang", "format"}},
      {"POST", "/api/v1/action-plans", false, CreatePlan},
      {"GET", "/api/v1/action-plans", false, ListPlans},
      {"GET", "/api/v1/action-plans/{id}", false, GetPlan},
      {"POST", "/api/v1/action-plans/{id}/measures", false, AddMeasure},
      {"GET", "/api/v1/action-plans/{id}/measures", false, ListMeasures, {"responsible_organization_id"}},
      {"POST", "/api/v1/action-plans/{id}/measures/import", false, ImportMeasures, {"dry_run"}, 32u << 20},
      {"GET", "/api/v1/action-plans/{id}/summary", false, Summary},
      {"GET", "/api/v1/measures/{id}", false, GetMeasure},
      {"POST", "/api/v1/measures/{id}/progress", false, ReportProgress},
  };
}

}  // namespace haven::http
