// Routes of the assistance area: shelters and stays, services, the formal
// identification decision, allowances and tasks.

#include <fmt/format.h>

#include "app/assistance.h"
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

Json ShelterJson(const app::ShelterView& v) {
  const auto& s = v.shelter;
  Json j = {{"id", s.id},
            {"organization_id", s.organization_id},
            {"name", s.name},
            {"region", s.region},
            {"capacity", s.capacity},
            {"occupied", v.occupied},
            {"free", std::max(0, s.capacity - v.occupied)},
            {"family_rooms", s.family_rooms},
            {"child_places", s.child_places},
            {"created_at", FormatTimestamp(s.created_at)},
            {"you_admit", v.staff}};
  if (v.address_visible) j["address"] = s.address;
  return j;
}

Json StayJson(const domain::Stay& s) {
  return {{"id", s.id},
          {"shelter_id", s.shelter_id},
          {"case_id", s.case_id},
          {"admitted_on", s.admitted_on.ToString()},
          {"discharged_on", OptDate(s.discharged_on)},
          {"discharge_reason", s.discharge_reason ? Json(Name(*s.discharge_reason)) : Json(nullptr)}};
}

Json ServiceJson(const domain::Service& s, bool notes_visible) {
  Json j = {{"id", s.id},
            {"case_id", s.case_id},
            {"type", Name(s.type)},
            {"provider_organization_id", s.provider_organization_id},
            {"delivered_on", s.delivered_on.ToString()},
            {"quantity", s.quantity ? Json(*s.quantity) : Json(nullptr)},
            {"duration_minutes", s.duration_minutes ? Json(*s.duration_minutes) : Json(nullptr)},
            {"recorded_by", s.recorded_by},
            {"created_at", FormatTimestamp(s.created_at)}};
  // Free text (the notes category): absent for whoever may not read it.
  if (notes_visible) {
    j["notes"] = s.notes;
    j["unit"] = s.unit ? Json(*s.unit) : Json(nullptr);
    j["outcome"] = s.outcome ? Json(*s.outcome) : Json(nullptr);
  }
  return j;
}

Json DecisionJson(const app::DecisionView& v) {
  const auto& d = v.decision;
  Json j = {{"id", d.id},
            {"case_id", d.case_id},
            {"decision", Name(d.decision)},
            {"decided_on", d.decided_on.ToString()},
            {"appeal",
             d.appeal_filed_on
                 ? Json{{"filed_on", d.appeal_filed_on->ToString()},
                        {"outcome", d.appeal_outcome ? Json(Name(*d.appeal_outcome)) : Json(nullptr)},
                        {"decided_on", OptDate(d.appeal_decided_on)}}
                 : Json(nullptr)},
            {"recorded_by", d.recorded_by},
            {"created_at", FormatTimestamp(d.created_at)}};
  if (v.reasons_visible) {
    j["reasons"] = d.reasons;
    j["deciding_body"] = d.deciding_body;
  }
  return j;
}

Json RateJson(const domain::AllowanceRate& r) {
  return {{"id", r.id},
          {"kind", r.kind},
          {"amount_minor", r.amount_minor},
          {"currency", r.currency},
          {"effective_from", r.effective_from.ToString()},
          {"period", Name(r.period)},
          {"created_at", FormatTimestamp(r.created_at)}};
}

Json PaymentJson(const domain::Payment& p) {
  return {{"id", p.id},
          {"case_id", p.case_id},
          {"case_code", p.case_code},
          {"organization_id", p.organization_id},
          {"kind", p.kind},
          {"paid_on", p.paid_on.ToString()},
          {"amount_minor", p.amount_minor},
          {"currency", p.currency},
          {"rate_id", p.rate_id},
          {"status", Name(p.status)},
          {"requested_by", p.requested_by},
          {"approved_by", p.approved_by ? Json(*p.approved_by) : Json(nullptr)},
          {"approved_at", p.approved_at ? Json(FormatTimestamp(*p.approved_at)) : Json(nullptr)},
          {"period", p.period},
          {"decided_by", p.decided_by ? Json(*p.decided_by) : Json(nullptr)},
          {"decided_at", p.decided_at ? Json(FormatTimestamp(*p.decided_at)) : Json(nullptr)}};
}

// POST {"reason": "…"}: a rejection by the approver or a cancellation by the requester.
template <domain::PaymentStatus kTo>
Status DecidePayment(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "payment"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"reason"}));
  TRY(std::string reason, r.String("reason"));
  TRY(auto p, app::AssistanceService(app).DecidePayment(ctx.Actor(), id, kTo, reason,
                                                        WriteOptionsOf(req)));
  Json j = PaymentJson(p);
  j["reason"] = p.reason;
  SetJson(res, 200, j);
  return {};
}

Result<domain::Id> RequiredId(const domain::JsonReader& r, std::string_view key) {
  TRY(auto v, r.OptionalInt(key));
  if (!v) return Invalid(r.Field(key), "is required");
  return *v;
}

Result<std::optional<int>> OptionalSmallInt(const domain::JsonReader& r, std::string_view key) {
  TRY(auto v, r.OptionalInt(key));
  if (!v) return std::optional<int>();
  if (*v < 0 || *v > 1'000'000) return Invalid(r.Field(key), "is out of range");
  return std::optional<int>(static_cast<int>(*v));
}

Result<domain::Date> DateParam(const Req& req, const std::string& name, domain::Date def) {
  if (!req.has_param(name)) return def;
  return domain::Date::Parse(req.get_param_value(name), name);
}

// ---- shelters and stays

Status CreateShelter(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"organization_id", "name", "region", "capacity", "family_rooms",
                         "child_places", "address"}));
  domain::Shelter s;
  TRY(auto org, r.OptionalInt("organization_id"));
  s.organization_id = org.value_or(ctx.Actor().organization_id);
  TRY(s.name, r.String("name"));
  TRY(s.region, r.String("region"));
  TRY(auto capacity, RequiredId(r, "capacity"));
  if (capacity < 1 || capacity > 10000)
    return Invalid("capacity", "must be a number of beds from 1 to 10000");
  s.capacity = static_cast<int>(capacity);
  TRY(auto family, OptionalSmallInt(r, "family_rooms"));
  s.family_rooms = family.value_or(0);
  TRY(auto child, OptionalSmallInt(r, "child_places"));
  s.child_places = child.value_or(0);
  TRY(s.address, r.String("address", false));
  TRY(auto created, app::AssistanceService(app).CreateShelter(ctx.Actor(), s, WriteOptionsOf(req)));
  SetJson(res, 201, ShelterJson(created));
  return {};
}

Status ListShelters(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto page, PageParams(req));
  TRY(auto result, app::AssistanceService(app).ListShelters(ctx.Actor(), page));
  SetJson(res, 200, PageJson(result, ShelterJson));
  return {};
}

Status GetShelter(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "shelter"));
  TRY(auto s, app::AssistanceService(app).GetShelter(ctx.Actor(), id));
  SetJson(res, 200, ShelterJson(s));
  return {};
}

Status Occupancy(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "shelter"));
  domain::Date today = app.Today();
  TRY(auto to, DateParam(req, "to", today));
  TRY(auto from, DateParam(req, "from", to.PlusDays(-30)));
  TRY(auto points, app::AssistanceService(app).Occupancy(ctx.Actor(), id, from, to));
  Json days = Json::array();
  for (const auto& p : points) days.push_back({{"day", p.day.ToString()}, {"occupied", p.occupied}});
  SetJson(res, 200, {{"shelter_id", id}, {"days", days}});
  return {};
}

Status Admit(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto shelter_id, PathId(req, "shelter"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"case_id", "admitted_on"}));
  TRY(auto case_id, RequiredId(r, "case_id"));
  TRY(auto on, r.OptionalDate("admitted_on"));
  TRY(auto stay, app::AssistanceService(app).Admit(ctx.Actor(), shelter_id, case_id,
                                                   on.value_or(app.Today()), WriteOptionsOf(req)));
  SetJson(res, 201, StayJson(stay));
  return {};
}

Status Discharge(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto stay_id, PathId(req, "stay"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"discharged_on", "discharge_reason"}));
  TRY(auto on, r.RequiredDate("discharged_on"));
  TRY(auto reason, r.RequiredEnum<domain::DischargeReason>("discharge_reason"));
  TRY(auto stay, app::AssistanceService(app).Discharge(ctx.Actor(), stay_id, on, reason,
                                                       WriteOptionsOf(req)));
  SetJson(res, 200, StayJson(stay));
  return {};
}

Status CurrentStays(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "shelter"));
  TRY(auto rows, app::AssistanceService(app).CurrentStays(ctx.Actor(), id));
  SetJson(res, 200, ItemsJson(rows, [](const app::AssistanceService::Resident& r) {
            Json j = StayJson(r.stay);
            j["case_code"] = r.case_code.empty() ? Json(nullptr) : Json(r.case_code);
            return j;
          }));
  return {};
}

Status StaysOfCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto stays, app::AssistanceService(app).StaysOfCase(ctx.Actor(), case_id));
  SetJson(res, 200, ItemsJson(stays, StayJson));
  return {};
}

// ---- services

Status RecordService(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"type", "provider_organization_id", "delivered_on", "quantity", "unit",
                         "duration_minutes", "outcome", "notes"}));
  domain::Service s;
  TRY(s.type, r.RequiredEnum<domain::ServiceType>("type"));
  TRY(s.provider_organization_id, RequiredId(r, "provider_organization_id"));
  TRY(s.delivered_on, r.RequiredDate("delivered_on"));
  if (const Json* q = r.Get("quantity")) {
    if (!q->is_number()) return Invalid("quantity", "must be a number");
    s.quantity = q->get<double>();
  }
  TRY(s.unit, r.OptionalString("unit"));
  TRY(s.duration_minutes, OptionalSmallInt(r, "duration_minutes"));
  TRY(s.outcome, r.OptionalString("outcome"));
  TRY(s.notes, r.String("notes", false));
  TRY(auto created, app::AssistanceService(app).RecordService(ctx.Actor(), case_id, s,
                                                              WriteOptionsOf(req)));
  SetJson(res, 201, ServiceJson(created, true));
  return {};
}

Status ServicesOfCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto rows, app::AssistanceService(app).ServicesOfCase(ctx.Actor(), case_id));
  SetJson(res, 200, ItemsJson(rows, [](const app::ServiceView& v) {
            return ServiceJson(v.service, v.notes_visible);
          }));
  return {};
}

// ---- identification decision

Status RecordDecision(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"decision", "decided_on", "deciding_body", "reasons", "appeal"}));
  domain::IdentificationDecision d;
  TRY(d.decision, r.RequiredEnum<domain::VictimStatus>("decision"));
  TRY(d.decided_on, r.RequiredDate("decided_on"));
  TRY(d.deciding_body, r.String("deciding_body"));
  TRY(d.reasons, r.String("reasons", false));
  if (const Json* appeal = r.Get("appeal")) {
    TRY_STATUS(domain::RequireObject(*appeal, "appeal"));
    domain::JsonReader ar(*appeal, "appeal.");
    TRY_STATUS(ar.OnlyKeys({"filed_on", "outcome", "decided_on"}));
    TRY(d.appeal_filed_on, ar.OptionalDate("filed_on"));
    TRY(d.appeal_outcome, ar.OptionalEnum<domain::VictimStatus>("outcome"));
    TRY(d.appeal_decided_on, ar.OptionalDate("decided_on"));
    if (!d.appeal_filed_on) return Invalid("appeal.filed_on", "is required");
  }
  app::AssistanceService service(app);
  TRY(auto c, service.RecordDecision(ctx.Actor(), case_id, d, WriteOptionsOf(req)));
  SetJson(res, 201, domain::CaseToJson(c));
  return {};
}

Status DecisionsOfCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto rows, app::AssistanceService(app).DecisionsOfCase(ctx.Actor(), case_id));
  SetJson(res, 200, ItemsJson(rows, DecisionJson));
  return {};
}

// ---- allowances

Status CreateRate(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"kind", "amount_minor", "currency", "effective_from", "period"}));
  domain::AllowanceRate rate;
  TRY(auto period, r.OptionalEnum<domain::AllowancePeriod>("period"));
  rate.period = period.value_or(domain::AllowancePeriod::kMonth);
  TRY(rate.kind, r.String("kind"));
  TRY(rate.amount_minor, RequiredId(r, "amount_minor"));
  TRY(rate.currency, r.String("currency"));
  TRY(rate.effective_from, r.RequiredDate("effective_from"));
  TRY(auto created, app::AssistanceService(app).CreateRate(ctx.Actor(), rate, WriteOptionsOf(req)));
  SetJson(res, 201, RateJson(created));
  return {};
}

Status ListRates(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  TRY(auto rates, app::AssistanceService(app).ListRates(ctx.Actor()));
  SetJson(res, 200, ItemsJson(rates, RateJson));
  return {};
}

Status RequestPayment(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  // No amount: it always comes from the rate schedule.
  TRY_STATUS(r.OnlyKeys({"kind", "paid_on"}));
  TRY(std::string kind, r.String("kind"));
  TRY(auto paid_on, r.RequiredDate("paid_on"));
  TRY(auto p, app::AssistanceService(app).RequestPayment(ctx.Actor(), case_id, kind, paid_on,
                                                         WriteOptionsOf(req)));
  SetJson(res, 201, PaymentJson(p));
  return {};
}

Status ApprovePayment(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "payment"));
  TRY(auto p, app::AssistanceService(app).ApprovePayment(ctx.Actor(), id, WriteOptionsOf(req)));
  SetJson(res, 200, PaymentJson(p));
  return {};
}

Status PaymentsOfCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto page, PageParams(req));
  TRY(auto status, EnumParam<domain::PaymentStatus>(req, "status"));
  TRY(auto result, app::AssistanceService(app).ListPayments(ctx.Actor(), case_id, page, status));
  SetJson(res, 200, PageJson(result, PaymentJson));
  return {};
}

Status ListPayments(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto page, PageParams(req));
  TRY(auto status, EnumParam<domain::PaymentStatus>(req, "status"));
  TRY(auto result, app::AssistanceService(app).ListPayments(ctx.Actor(), std::nullopt, page, status));
  SetJson(res, 200, PageJson(result, PaymentJson));
  return {};
}

Status PaymentTotals(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(int year, IntParam(req, "year", app.Today().Year(), 1900, 2200));
  std::string group_by = req.has_param("group_by") ? req.get_param_value("group_by") : "month";
  TRY(auto totals, app::AssistanceService(app).PaymentTotals(ctx.Actor(), year, group_by));
  // A hidden cell is published as its text ("<5", "x"), as in every report.
  auto cell = [](const std::optional<std::int64_t>& v, const std::string& hidden) {
    return v ? Json(*v) : Json(hidden);
  };
  Json rows = Json::array();
  for (const auto& t : totals.rows)
    rows.push_back({{group_by, t.period},
                    {"currency", t.currency},
                    {"amount_minor", cell(t.amount_minor, t.amount_hidden)},
                    {"payments", cell(t.payments, t.payments_hidden)}});
  SetJson(res, 200, {{"year", year},
                     {"group_by", group_by},
                     {"suppression_threshold", totals.suppression_threshold},
                     {"rows", rows}});
  return {};
}

Status Tasks(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(int within, IntParam(req, "within_days", 7, 0, 365));
  TRY(auto tasks, app::AssistanceService(app).Tasks(ctx.Actor(), within));
  Json items = Json::array();
  for (const auto& t : tasks)
    items.push_back({{"kind", t.kind},
                     {"case_id", t.case_id},
                     {"case_code", t.case_code},
                     {"due_on", t.due_on.ToString()},
                     {"overdue", t.overdue},
                     {"message", t.message}});
  SetJson(res, 200, {{"items", items}});
  return {};
}

}  // namespace

std::vector<Route> AssistanceRoutes() {
  return {
      {"GET", "/api/v1/shelters", false, ListShelters, {"limit", "cursor"}},
      {"POST", "/api/v1/shelters", false, CreateShelter},
      {"GET", "/api/v1/shelters/{id}", false, GetShelter},
      {"GET", "/api/v1/shelters/{id}/occupancy", false, Occupancy, {"from", "to"}},
      {"POST", "/api/v1/shelters/{id}/stays", false, Admit},
      {"POST", "/api/v1/stays/{id}/discharge", false, Discharge},
      {"GET", "/api/v1/shelters/{id}/stays", false, CurrentStays},
      {"GET", "/api/v1/cases/{id}/stays", false, StaysOfCase},
      {"GET", "/api/v1/cases/{id}/services", false, ServicesOfCase},
      {"POST", "/api/v1/cases/{id}/services", false, RecordService},
      {"GET", "/api/v1/cases/{id}/identification", false, DecisionsOfCase},
      {"POST", "/api/v1/cases/{id}/identification", false, RecordDecision},
      {"GET", "/api/v1/allowance-rates", false, ListRates},
      {"POST", "/api/v1/allowance-rates", false, CreateRate},
      {"GET", "/api/v1/cases/{id}/payments", false, PaymentsOfCase, {"limit", "cursor", "status"}},
      {"POST", "/api/v1/cases/{id}/payments", false, RequestPayment},
      {"GET", "/api/v1/payments", false, ListPayments, {"limit", "cursor", "status"}},
      {"POST", "/api/v1/payments/{id}/approve", false, ApprovePayment},
      {"POST", "/api/v1/payments/{id}/reject", false,
       DecidePayment<domain::PaymentStatus::kRejected>},
      {"POST", "/api/v1/payments/{id}/cancel", false,
       DecidePayment<domain::PaymentStatus::kCancelled>},
      {"GET", "/api/v1/allowances/totals", false, PaymentTotals, {"year", "group_by"}},
      {"GET", "/api/v1/tasks", false, Tasks, {"within_days"}},
  };
}

}  // namespace haven::http
