// Routes of international cooperation: agreements with partners and what was done
// under them, conventions and their reporting rounds. Every handler parses, calls one
// CooperationService use case and renders.

#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "app/cooperation.h"
#include "http/support.h"

namespace haven::http {
namespace {

using domain::Name;
using Req = httplib::Request;
using Res = httplib::Response;
using Ctx = RequestContext;

Json OptDate(const std::optional<domain::Date>& d) { return d ? Json(d->ToString()) : Json(nullptr); }

Result<domain::Agreement> AgreementFrom(const Json& body, bool update) {
  domain::JsonReader r(body);
  if (update) {
    TRY_STATUS(r.OnlyKeys({"title", "kind", "party_organization_ids", "signed_on", "starts_on",
                           "ends_on", "terminated_on", "scope", "version"}));
  } else {
    TRY_STATUS(r.OnlyKeys({"title", "kind", "party_organization_ids", "signed_on", "starts_on",
                           "ends_on", "terminated_on", "scope"}));
  }
  domain::Agreement a;
  TRY(a.title, r.String("title"));
  TRY(a.kind, r.RequiredEnum<domain::AgreementKind>("kind"));
  auto parties = body.find("party_organization_ids");
  if (parties == body.end() || !parties->is_array())
    return Invalid("party_organization_ids", "is required: an array of organisation ids");
  for (std::size_t i = 0; i < parties->size(); ++i) {
    const Json& v = (*parties)[i];
    if (!v.is_number_integer() || v.get<std::int64_t>() <= 0)
      return Invalid(fmt::format("party_organization_ids[{}]", i), "must be an organisation id");
    a.party_organization_ids.push_back(v.get<domain::Id>());
  }
  TRY(a.signed_on, r.OptionalDate("signed_on"));
  TRY(a.starts_on, r.RequiredDate("starts_on"));
  TRY(a.ends_on, r.OptionalDate("ends_on"));
  TRY(a.terminated_on, r.OptionalDate("terminated_on"));
  TRY(a.scope, r.String("scope", false));
  if (update) {
    TRY(auto version, r.OptionalInt("version"));
    if (!version) return Invalid("version", "is required: the version of the agreement you read");
    a.version = static_cast<int>(*version);
  }
  return a;
}

Json AgreementJson(const app::AgreementView& v) {
  const auto& a = v.agreement;
  return {{"id", a.id},
          {"title", a.title},
          {"kind", Name(a.kind)},
          {"party_organization_ids", a.party_organization_ids},
          {"signed_on", OptDate(a.signed_on)},
          {"starts_on", a.starts_on.ToString()},
          {"ends_on", OptDate(a.ends_on)},
          {"terminated_on", OptDate(a.terminated_on)},
          {"scope", a.scope},
          {"status", Name(v.status)},
          {"version", a.version},
          {"recorded_by", a.recorded_by},
          {"created_at", FormatTimestamp(a.created_at)},
          {"updated_at", FormatTimestamp(a.updated_at)}};
}

Json RoundJson(const domain::ReportingRound& r) {
  // The statistics sent for the round: the GRETA report of each year it covers.
  Json reports = Json::array();
  for (int y = r.first_year; y <= r.last_year; ++y)
    reports.push_back({{"year", y}, {"report", fmt::format("/api/v1/reports/greta?year={}", y)}});
  return {{"id", r.id},
          {"convention_id", r.convention_id},
          {"number", r.number},
          {"first_year", r.first_year},
          {"last_year", r.last_year},
          {"due_on", OptDate(r.due_on)},
          {"submitted_on", OptDate(r.submitted_on)},
          {"reports", reports},
          {"recorded_by", r.recorded_by},
          {"created_at", FormatTimestamp(r.created_at)}};
}

Json ConventionJson(const app::ConventionView& v) {
  const auto& c = v.convention;
  Json rounds = Json::array();
  for (const auto& r : v.rounds) rounds.push_back(RoundJson(r));
  return {{"id", c.id},
          {"title", c.title},
          {"monitoring_body", c.monitoring_body},
          {"joined_on", c.joined_on.ToString()},
          {"rounds", rounds},
          {"recorded_by", c.recorded_by},
          {"created_at", FormatTimestamp(c.created_at)}};
}

Status CreateAgreement(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  TRY(auto a, AgreementFrom(body, false));
  TRY(auto created, app::CooperationService(app).CreateAgreement(ctx.Actor(), std::move(a), WriteOptionsOf(req)));
  SetJson(res, 201, AgreementJson(created));
  return {};
}

Status UpdateAgreement(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "agreement"));
  TRY(Json body, ParseBody(req));
  TRY(auto a, AgreementFrom(body, true));
  TRY(auto updated, app::CooperationService(app).UpdateAgreement(ctx.Actor(), id, std::move(a)));
  SetJson(res, 200, AgreementJson(updated));
  return {};
}

Status ListAgreements(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  std::optional<domain::Id> party;
  if (req.has_param("party_organization_id")) {
    TRY(int org, IntParam(req, "party_organization_id", 0, 1, std::numeric_limits<int>::max()));
    party = org;
  }
  TRY(auto rows, app::CooperationService(app).ListAgreements(ctx.Actor(), party));
  SetJson(res, 200, ItemsJson(rows, AgreementJson));
  return {};
}

Status GetAgreement(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "agreement"));
  TRY(auto d, app::CooperationService(app).GetAgreement(ctx.Actor(), id));
  Json j = AgreementJson(d.view);
  j["activity"] = {{"event_ids", d.activity.event_ids},
                   {"events", d.activity.event_ids.size()},
                   {"participants", d.activity.participants},
                   {"cases_received", d.activity.cases_received}};
  SetJson(res, 200, j);
  return {};
}

Status CreateConvention(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"title", "monitoring_body", "joined_on"}));
  domain::Convention c;
  TRY(c.title, r.String("title"));
  TRY(c.monitoring_body, r.String("monitoring_body", false));
  TRY(c.joined_on, r.RequiredDate("joined_on"));
  TRY(auto created, app::CooperationService(app).CreateConvention(ctx.Actor(), std::move(c), WriteOptionsOf(req)));
  SetJson(res, 201, ConventionJson({created, {}}));
  return {};
}

Status ListConventions(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  TRY(auto rows, app::CooperationService(app).ListConventions(ctx.Actor()));
  SetJson(res, 200, ItemsJson(rows, ConventionJson));
  return {};
}

Status GetConvention(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "convention"));
  TRY(auto c, app::CooperationService(app).GetConvention(ctx.Actor(), id));
  SetJson(res, 200, ConventionJson(c));
  return {};
}

// The fields of a round as a body gives them; `with_number`: a new round names its number.
Result<domain::ReportingRound> RoundFrom(const Json& body, bool with_number) {
  domain::JsonReader r(body);
  if (with_number) {
    TRY_STATUS(r.OnlyKeys({"number", "first_year", "last_year", "due_on", "submitted_on"}));
  } else {
    TRY_STATUS(r.OnlyKeys({"first_year", "last_year", "due_on", "submitted_on"}));
  }
  domain::ReportingRound round;
  auto int_of = [&](std::string_view key) -> Result<int> {
    TRY(auto v, r.OptionalInt(key));
    if (!v) return Invalid(std::string(key), "is required");
    if (*v < 0 || *v > 100000) return Invalid(std::string(key), "is out of range");
    return static_cast<int>(*v);
  };
  if (with_number) {
    TRY(round.number, int_of("number"));
  }
  TRY(round.first_year, int_of("first_year"));
  TRY(round.last_year, int_of("last_year"));
  TRY(round.due_on, r.OptionalDate("due_on"));
  TRY(round.submitted_on, r.OptionalDate("submitted_on"));
  return round;
}

Status AddRound(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "convention"));
  TRY(Json body, ParseBody(req));
  TRY(auto round, RoundFrom(body, true));
  TRY(auto created, app::CooperationService(app).AddRound(ctx.Actor(), id, std::move(round), WriteOptionsOf(req)));
  SetJson(res, 201, RoundJson(created));
  return {};
}

Status UpdateRound(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "convention"));
  const std::string n = req.matches[2];
  int number = 0;
  auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), number);
  if (ec != std::errc() || p != n.data() + n.size() || number < 1)
    return Fail(ErrorCode::kNotFound, "not_found", "no such round");
  TRY(Json body, ParseBody(req));
  TRY(auto round, RoundFrom(body, false));
  TRY(auto updated, app::CooperationService(app).UpdateRound(ctx.Actor(), id, number, std::move(round)));
  SetJson(res, 200, RoundJson(updated));
  return {};
}

}  // namespace

std::vector<Route> CooperationRoutes() {
  return {
      {"POST", "/api/v1/agreements", false, CreateAgreement},
      {"GET", "/api/v1/agreements", false, ListAgreements, {"party_organization_id"}},
      {"GET", "/api/v1/agreements/{id}", false, GetAgreement},
      {"PUT", "/api/v1/agreements/{id}", false, UpdateAgreement},
      {"POST", "/api/v1/conventions", false, CreateConvention},
      {"GET", "/api/v1/conventions", false, ListConventions},
      {"GET", "/api/v1/conventions/{id}", false, GetConvention},
      {"POST", "/api/v1/conventions/{id}/rounds", false, AddRound},
      {"PUT", "/api/v1/conventions/{id}/rounds/{number}", false, UpdateRound},
  };
}

}  // namespace haven::http
