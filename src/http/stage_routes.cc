// Routes of the stages area: support plan, reflection period extensions,
// residence permits, criminal proceedings, compensation claims, return and
// reintegration follow-ups.

#include <fmt/format.h>

#include "app/stages.h"
#include "http/support.h"

namespace haven::http {
namespace {

using domain::Name;
using Req = httplib::Request;
using Res = httplib::Response;
using Ctx = RequestContext;

Json OptDate(const std::optional<domain::Date>& d) {
  return d ? Json(d->ToString()) : Json(nullptr);
}

template <typename T>
Json Opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}


Result<std::int64_t> RequiredInt(const domain::JsonReader& r, std::string_view key) {
  TRY(auto v, r.OptionalInt(key));
  if (!v) return Invalid(r.Field(key), "is required");
  return *v;
}

Result<bool> RequiredBool(const domain::JsonReader& r, std::string_view key) {
  TRY(auto v, r.OptionalBool(key));
  if (!v) return Invalid(r.Field(key), "is required");
  return *v;
}

// ---- rendering

Json PlanJson(const app::SupportPlanView& v) {
  const auto& p = v.plan;
  Json j = {{"id", p.id},
            {"case_id", p.case_id},
            {"revision", p.revision},
            {"assessed_on", p.assessed_on.ToString()},
            {"planned_services", domain::EnumListToJson(p.planned_services)},
            {"planned_end_on", p.planned_end_on.ToString()},
            {"actual_end_on", OptDate(p.actual_end_on)},
            {"recorded_by", p.recorded_by},
            {"created_at", FormatTimestamp(p.created_at)}};
  if (v.text_visible) {
    j["needs"] = p.needs;
    j["objectives"] = p.objectives;
  }
  return j;
}

Json ExtensionJson(const app::ExtensionView& v) {
  const auto& e = v.extension;
  Json j = {{"id", e.id},
            {"case_id", e.case_id},
            {"days", e.days},
            {"decided_on", e.decided_on.ToString()},
            {"previous_end", e.previous_end.ToString()},
            {"new_end", e.new_end.ToString()},
            {"recorded_by", e.recorded_by},
            {"created_at", FormatTimestamp(e.created_at)}};
  if (v.reason_visible) j["reason"] = e.reason;
  return j;
}

Json PermitJson(const domain::ResidencePermit& p) {
  return {{"id", p.id},
          {"case_id", p.case_id},
          {"permit_type", Name(p.permit_type)},
          {"applied_on", p.applied_on.ToString()},
          {"decision", Name(p.decision)},
          {"decided_on", OptDate(p.decided_on)},
          {"expires_on", OptDate(p.expires_on)},
          {"recorded_by", p.recorded_by},
          {"created_at", FormatTimestamp(p.created_at)},
          {"updated_at", FormatTimestamp(p.updated_at)},
          {"version", p.version}};
}

Json ProceedingJson(const domain::Proceeding& p) {
  return {{"id", p.id},
          {"case_id", p.case_id},
          {"cooperating", p.cooperating},
          {"stage", Name(p.stage)},
          {"started_on", p.started_on.ToString()},
          {"stage_since", OptDate(p.stage_since)},
          {"ended_on", OptDate(p.ended_on)},
          {"recorded_by", p.recorded_by},
          {"created_at", FormatTimestamp(p.created_at)},
          {"updated_at", FormatTimestamp(p.updated_at)},
          {"version", p.version}};
}

Json ClaimJson(const domain::CompensationClaim& c) {
  return {{"id", c.id},
          {"case_id", c.case_id},
          {"route", Name(c.route)},
          {"amount_claimed_minor", c.amount_claimed_minor},
          {"amount_awarded_minor", Opt(c.amount_awarded_minor)},
          {"currency", c.currency},
          {"status", Name(c.status)},
          {"filed_on", c.filed_on.ToString()},
          {"decided_on", OptDate(c.decided_on)},
          {"paid_on", OptDate(c.paid_on)},
          {"recorded_by", c.recorded_by},
          {"created_at", FormatTimestamp(c.created_at)},
          {"updated_at", FormatTimestamp(c.updated_at)},
          {"version", c.version}};
}

Json ReturnJson(const domain::Return& r) {
  return {{"id", r.id},
          {"case_id", r.case_id},
          {"voluntary", r.voluntary},
          {"destination_country", r.destination_country},
          {"destination_organization_id", Opt(r.destination_organization_id)},
          {"returned_on", r.returned_on.ToString()},
          {"recorded_by", r.recorded_by},
          {"created_at", FormatTimestamp(r.created_at)}};
}

Json FollowUpJson(const app::FollowUpView& v) {
  const auto& f = v.follow_up;
  Json j = {{"id", f.id},
            {"case_id", f.case_id},
            {"due_on", f.due_on.ToString()},
            {"done_on", OptDate(f.done_on)},
            {"outcome", f.outcome ? Json(Name(*f.outcome)) : Json(nullptr)},
            {"recorded_by", f.recorded_by},
            {"completed_by", Opt(f.completed_by)},
            {"created_at", FormatTimestamp(f.created_at)}};
  if (v.notes_visible) j["notes"] = f.notes;
  return j;
}

// ---- parsing (one reader per record, for creation and update alike)

// An update may say which version of the record it was based on ("version", as read);
// it is taken out of the body before the record's reader, which knows no such field.
Result<std::optional<int>> TakeVersion(Json& body) {
  if (!body.is_object() || !body.contains("version")) return std::optional<int>();
  const Json v = body["version"];
  body.erase("version");
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > INT32_MAX)
    return Invalid("version", "must be the record's version as read, a whole number from 1");
  return std::optional<int>(static_cast<int>(v.get<std::int64_t>()));
}

Result<domain::ResidencePermit> PermitFrom(const Json& body) {
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"permit_type", "applied_on", "decision", "decided_on", "expires_on"}));
  domain::ResidencePermit p;
  TRY(p.permit_type, r.RequiredEnum<domain::PermitType>("permit_type"));
  TRY(p.applied_on, r.RequiredDate("applied_on"));
  TRY(auto decision, r.OptionalEnum<domain::PermitDecision>("decision"));
  p.decision = decision.value_or(domain::PermitDecision::kPending);
  TRY(p.decided_on, r.OptionalDate("decided_on"));
  TRY(p.expires_on, r.OptionalDate("expires_on"));
  return p;
}

Result<domain::Proceeding> ProceedingFrom(const Json& body) {
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"cooperating", "stage", "started_on", "stage_since", "ended_on"}));
  domain::Proceeding p;
  TRY(p.cooperating, RequiredBool(r, "cooperating"));
  TRY(p.stage, r.RequiredEnum<domain::ProceedingStage>("stage"));
  TRY(p.started_on, r.RequiredDate("started_on"));
  TRY(p.stage_since, r.OptionalDate("stage_since"));
  TRY(p.ended_on, r.OptionalDate("ended_on"));
  return p;
}

Result<domain::CompensationClaim> ClaimFrom(const Json& body) {
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"route", "amount_claimed_minor", "amount_awarded_minor", "currency",
                         "status", "filed_on", "decided_on", "paid_on"}));
  domain::CompensationClaim c;
  TRY(c.route, r.RequiredEnum<domain::CompensationRoute>("route"));
  TRY(c.amount_claimed_minor, RequiredInt(r, "amount_claimed_minor"));
  TRY(c.amount_awarded_minor, r.OptionalInt("amount_awarded_minor"));
  TRY(c.currency, r.String("currency"));
  TRY(auto status, r.OptionalEnum<domain::ClaimStatus>("status"));
  c.status = status.value_or(domain::ClaimStatus::kFiled);
  TRY(c.filed_on, r.RequiredDate("filed_on"));
  TRY(c.decided_on, r.OptionalDate("decided_on"));
  TRY(c.paid_on, r.OptionalDate("paid_on"));
  return c;
}

// ---- support plan

Status SupportPlan(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto rows, app::StageService(app).SupportPlanHistory(ctx.Actor(), case_id));
  Json revisions = Json::array();
  for (const auto& v : rows) revisions.push_back(PlanJson(v));
  SetJson(res, 200, {{"current", rows.empty() ? Json(nullptr) : PlanJson(rows.back())},
                     {"revisions", revisions}});
  return {};
}

Status ReviseSupportPlan(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"assessed_on", "needs", "objectives", "planned_services",
                         "planned_end_on", "actual_end_on", "based_on_revision"}));
  domain::SupportPlan p;
  TRY(p.assessed_on, r.RequiredDate("assessed_on"));
  TRY(p.needs, r.String("needs"));
  TRY(p.objectives, r.String("objectives"));
  TRY(p.planned_services, r.EnumList<domain::ServiceType>("planned_services"));
  TRY(p.planned_end_on, r.RequiredDate("planned_end_on"));
  TRY(p.actual_end_on, r.OptionalDate("actual_end_on"));
  TRY(auto based_on, r.OptionalInt("based_on_revision"));
  std::optional<int> based_on_revision;
  if (based_on) {
    if (*based_on < 0 || *based_on > 1'000'000)
      return Invalid("based_on_revision", "must be the revision in force (0 for none)");
    based_on_revision = static_cast<int>(*based_on);
  }
  TRY(auto v, app::StageService(app).ReviseSupportPlan(ctx.Actor(), case_id, p,
                                                        based_on_revision, WriteOptionsOf(req)));
  SetJson(res, 200, PlanJson(v));
  return {};
}

// ---- reflection period

Status Extensions(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto rows, app::StageService(app).ExtensionsOfCase(ctx.Actor(), case_id));
  SetJson(res, 200, ItemsJson(rows, ExtensionJson));
  return {};
}

Status ExtendReflection(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"days", "reason", "decided_on"}));
  domain::ReflectionExtension e;
  TRY(auto days, RequiredInt(r, "days"));
  if (days < 1 || days > domain::kMaxExtensionDays)
    return Invalid("days", fmt::format("must be a whole number of days from 1 to {}",
                                       domain::kMaxExtensionDays));
  e.days = static_cast<int>(days);
  TRY(e.reason, r.String("reason"));
  TRY(e.decided_on, r.RequiredDate("decided_on"));
  TRY(auto result, app::StageService(app).ExtendReflection(ctx.Actor(), case_id, e,
                                                           WriteOptionsOf(req)));
  Json j = ExtensionJson(result.extension);
  j["reflection_period"] = {{"start", OptDate(result.c.reflection_start)},
                            {"end", OptDate(result.c.reflection_end)}};
  SetJson(res, 201, j);
  return {};
}

// ---- residence permits, proceedings and compensation claims

// The three are records of a case with one shape of API: a list under the case, a
// creation there, and an update in place that may name the version it was based on.
template <typename T>
struct CaseRecordApi {
  const char* noun;  // for a bad id in the path
  Result<T> (*from)(const Json&);
  Json (*to_json)(const T&);
  Result<std::vector<T>> (app::StageService::*list)(const app::Actor&, domain::Id);
  Result<T> (app::StageService::*record)(const app::Actor&, domain::Id, T,
                                         const app::WriteOptions&);
  Result<T> (app::StageService::*update)(const app::Actor&, domain::Id, T, std::optional<int>,
                                         const app::WriteOptions&);
};

const CaseRecordApi<domain::ResidencePermit> kPermits{
    "residence permit", PermitFrom, PermitJson, &app::StageService::PermitsOfCase,
    &app::StageService::RecordPermit, &app::StageService::UpdatePermit};
const CaseRecordApi<domain::Proceeding> kProceedings{
    "proceeding", ProceedingFrom, ProceedingJson, &app::StageService::ProceedingsOfCase,
    &app::StageService::RecordProceeding, &app::StageService::UpdateProceeding};
const CaseRecordApi<domain::CompensationClaim> kClaims{
    "compensation claim", ClaimFrom, ClaimJson, &app::StageService::ClaimsOfCase,
    &app::StageService::RecordClaim, &app::StageService::UpdateClaim};

template <typename T>
Handler ListOf(const CaseRecordApi<T>& api) {
  return [&api](app::App& app, const Req& req, Res& res, const Ctx& ctx) -> Status {
    TRY(auto case_id, PathId(req, "case"));
    app::StageService service(app);
    TRY(auto rows, (service.*api.list)(ctx.Actor(), case_id));
    SetJson(res, 200, ItemsJson(rows, api.to_json));
    return {};
  };
}

template <typename T>
Handler RecordOf(const CaseRecordApi<T>& api) {
  return [&api](app::App& app, const Req& req, Res& res, const Ctx& ctx) -> Status {
    TRY(auto case_id, PathId(req, "case"));
    TRY(Json body, ParseBody(req));
    TRY(T record, api.from(body));
    app::StageService service(app);
    TRY(auto created, (service.*api.record)(ctx.Actor(), case_id, record, WriteOptionsOf(req)));
    SetJson(res, 201, api.to_json(created));
    return {};
  };
}

template <typename T>
Handler UpdateOf(const CaseRecordApi<T>& api) {
  return [&api](app::App& app, const Req& req, Res& res, const Ctx& ctx) -> Status {
    TRY(auto id, PathId(req, api.noun));
    TRY(Json body, ParseBody(req));
    TRY(auto version, TakeVersion(body));
    TRY(T record, api.from(body));
    app::StageService service(app);
    TRY(auto updated,
        (service.*api.update)(ctx.Actor(), id, record, version, WriteOptionsOf(req)));
    SetJson(res, 200, api.to_json(updated));
    return {};
  };
}

// ---- return

Status Returns(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto rows, app::StageService(app).ReturnsOfCase(ctx.Actor(), case_id));
  SetJson(res, 200, ItemsJson(rows, ReturnJson));
  return {};
}

Status RecordReturn(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"voluntary", "destination_country", "destination_organization_id",
                         "returned_on"}));
  domain::Return ret;
  TRY(ret.voluntary, RequiredBool(r, "voluntary"));
  TRY(ret.destination_country, r.String("destination_country"));
  TRY(ret.destination_organization_id, r.OptionalInt("destination_organization_id"));
  TRY(ret.returned_on, r.RequiredDate("returned_on"));
  TRY(auto created, app::StageService(app).RecordReturn(ctx.Actor(), case_id, ret,
                                                        WriteOptionsOf(req)));
  SetJson(res, 201, ReturnJson(created));
  return {};
}

// ---- follow-ups

Status FollowUps(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto rows, app::StageService(app).FollowUpsOfCase(ctx.Actor(), case_id));
  SetJson(res, 200, ItemsJson(rows, FollowUpJson));
  return {};
}

Status ScheduleFollowUp(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"due_on"}));
  domain::FollowUp f;
  TRY(f.due_on, r.RequiredDate("due_on"));
  TRY(auto created, app::StageService(app).ScheduleFollowUp(ctx.Actor(), case_id, f,
                                                            WriteOptionsOf(req)));
  SetJson(res, 201, FollowUpJson(created));
  return {};
}

Status CompleteFollowUp(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "follow-up"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"done_on", "outcome", "notes"}));
  TRY(auto done_on, r.RequiredDate("done_on"));
  TRY(auto outcome, r.RequiredEnum<domain::FollowUpOutcome>("outcome"));
  TRY(std::string notes, r.String("notes", false));
  TRY(auto done, app::StageService(app).CompleteFollowUp(ctx.Actor(), id, done_on, outcome,
                                                         std::move(notes), WriteOptionsOf(req)));
  SetJson(res, 200, FollowUpJson(done));
  return {};
}

}  // namespace

std::vector<Route> StageRoutes() {
  return {
      {"GET", "/api/v1/cases/{id}/support-plan", false, SupportPlan},
      {"PUT", "/api/v1/cases/{id}/support-plan", false, ReviseSupportPlan},
      {"GET", "/api/v1/cases/{id}/reflection-extensions", false, Extensions},
      {"POST", "/api/v1/cases/{id}/reflection-extensions", false, ExtendReflection},
      {"GET", "/api/v1/cases/{id}/residence-permits", false, ListOf(kPermits)},
      {"POST", "/api/v1/cases/{id}/residence-permits", false, RecordOf(kPermits)},
      {"PUT", "/api/v1/residence-permits/{id}", false, UpdateOf(kPermits)},
      {"GET", "/api/v1/cases/{id}/proceedings", false, ListOf(kProceedings)},
      {"POST", "/api/v1/cases/{id}/proceedings", false, RecordOf(kProceedings)},
      {"PUT", "/api/v1/proceedings/{id}", false, UpdateOf(kProceedings)},
      {"GET", "/api/v1/cases/{id}/compensation-claims", false, ListOf(kClaims)},
      {"POST", "/api/v1/cases/{id}/compensation-claims", false, RecordOf(kClaims)},
      {"PUT", "/api/v1/compensation-claims/{id}", false, UpdateOf(kClaims)},
      {"GET", "/api/v1/cases/{id}/return", false, Returns},
      {"POST", "/api/v1/cases/{id}/return", false, RecordReturn},
      {"GET", "/api/v1/cases/{id}/follow-ups", false, FollowUps},
      {"POST", "/api/v1/cases/{id}/follow-ups", false, ScheduleFollowUp},
      {"POST", "/api/v1/follow-ups/{id}/complete", false, CompleteFollowUp},
  };
}

}  // namespace haven::http
