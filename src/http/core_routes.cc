// Routes of the foundation: authentication, organisations, users, cases,
// identity disclosure, person look-up and the audit log.

#include <limits>

#include <fmt/format.h>

#include "app/audit_checkpoint.h"
#include "app/casework.h"
#include "app/permissions.h"
#include "app/second_factor.h"
#include "domain/codec.h"
#include "http/support.h"

namespace haven::generated {
extern const char kOpenApiDocument[];
extern const std::size_t kOpenApiDocument_size;
}  // namespace haven::generated

namespace haven::http {
namespace {

using domain::Name;
using Req = httplib::Request;
using Res = httplib::Response;
using Ctx = RequestContext;

constexpr std::string_view kCookieName = "haven_session";

// What the caller may see of a case: the facts only with the case_facts category; an
// unseen category is absent, never null.
Json CaseAccessJson(app::AccessBasis basis, const std::vector<domain::DataCategory>& categories) {
  return {{"basis", app::Name(basis)}, {"categories", domain::EnumListToJson(categories)}};
}

Json CaseRowJson(const app::CaseRow& r) {
  if (r.case_facts_visible) {
    Json j = domain::CaseToJson(r.c);
    j["access"] = {{"basis", app::Name(r.basis)}};
    return j;
  }
  return {{"id", r.c.id}, {"code", r.c.code}, {"access", {{"basis", app::Name(r.basis)}}}};
}

}  // namespace

Json CaseDetailJson(const app::CaseDetail& d) {
  if (!d.case_facts_visible)
    return {{"id", d.c.id}, {"code", d.c.code}, {"access", CaseAccessJson(d.basis, d.categories)}};
  Json j = domain::CaseToJson(d.c);
  j["access"] = CaseAccessJson(d.basis, d.categories);
  Json transitions = Json::array();
  for (const auto& v : d.transitions) {
    Json t = {{"from", Name(v.transition.from)},
              {"to", Name(v.transition.to)},
              {"on", v.transition.on.ToString()},
              {"at", FormatTimestamp(v.transition.at)},
              {"user_id", v.transition.user_id}};
    if (v.note_visible) t["note"] = v.transition.note;
    transitions.push_back(std::move(t));
  }
  j["transitions"] = std::move(transitions);
  j["allowed_transitions"] = domain::EnumListToJson(d.allowed_next);
  return j;
}

namespace {

// Own organisation: the case; elsewhere: the kind of organisation and the day only.
Json EarlierJson(const std::vector<app::EarlierRegistration>& v) {
  Json out = Json::array();
  for (const auto& e : v) {
    if (e.own)
      out.push_back({{"match", app::Name(e.band)},
                     {"own_organization", true},
                     {"case_id", e.case_id},
                     {"case_code", e.case_code}});
    else
      out.push_back({{"match", app::Name(e.band)},
                     {"own_organization", false},
                     {"organization_kind", Name(e.organization_kind)},
                     {"identified_on", e.identified_on.ToString()}});
  }
  return out;
}

Json KnownElsewhereJson(const std::vector<app::KnownElsewhere>& v) {
  Json out = Json::array();
  for (const auto& k : v)
    out.push_back({{"organization_kind", Name(k.organization_kind)},
                   {"registered_on", k.registered_on.ToString()}});
  return out;
}

Json AuditJson(const app::AuditEntry& e) {
  const store::AuditRecord& r = e.record;
  Json details = Json::parse(r.details, nullptr, false);
  return {{"seq", r.seq},
          {"at", FormatTimestamp(r.at)},
          {"actor_user_id", r.actor_user_id},
          {"actor_username", e.actor_username},
          {"actor_organization_name", e.actor_organization_name},
          {"actor_role", r.actor_role},
          {"actor_organization_id", r.actor_organization_id},
          {"action", r.action},
          {"object_type", r.object_type},
          {"object_id", r.object_id},
          {"reason", r.reason},
          {"details", details.is_discarded() ? Json::object() : details},
          {"request_id", r.request_id},
          {"prev_hash", r.prev_hash},
          {"hash", r.hash}};
}

// The API's own description (docs/openapi.json, embedded at build time).
Status OpenApiDocument(app::App&, const Req&, Res& res, const Ctx&) {
  res.status = 200;
  res.set_content(std::string(generated::kOpenApiDocument, generated::kOpenApiDocument_size),
                  "application/json; charset=utf-8");
  return {};
}

Status Health(app::App& app, const Req&, Res& res, const Ctx&) {
  SetJson(res, 200, {{"status", "ok"}, {"schema_version", app.Store().SchemaVersion()}});
  return {};
}

// The session cookie: HttpOnly, SameSite=Strict, and Secure over TLS. `max_age` 0 ends it.
std::string SessionCookie(const std::string& token, int max_age, const Ctx& ctx) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kCookieName, token,
                     max_age, ctx.tls ? "; Secure" : "");
}

// {"username", "password", "code"?, "session"?}. The client chooses how it holds the
// session: "cookie" (the web application) gets the cookie and the CSRF token, never the
// token itself, which script could then read; "bearer" (the default: scripts, tools) gets
// the token in the body and no cookie.
Status Login(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"username", "password", "code", "session"}));
  TRY(std::string username, r.String("username"));
  TRY(std::string password, r.String("password"));
  TRY(auto code, r.OptionalString("code"));
  TRY(auto session, r.OptionalString("session"));
  const std::string mode = session.value_or("bearer");
  if (mode != "bearer" && mode != "cookie")
    return Invalid("session", "must be \"cookie\" or \"bearer\"");
  TRY(auto login,
      app.Login(username, password, ctx.client, ctx.request_id, code.value_or(std::string())));
  Json out = {{"csrf_token", login.csrf_token},
              {"expires_at", FormatTimestamp(login.expires_at)},
              {"user", domain::UserToJson(login.user)},
              {"second_factor_enrolment_required", login.second_factor_enrolment_required}};
  if (mode == "cookie")
    res.set_header("Set-Cookie",
                   SessionCookie(login.token, app.config().session_hours * 3600, ctx));
  else
    out["token"] = login.token;
  SetJson(res, 200, out);
  return {};
}

Status Logout(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  TRY_STATUS(app.Logout(ctx.Actor(), ctx.token));
  res.set_header("Set-Cookie", SessionCookie("", 0, ctx));
  res.status = 204;
  return {};
}

Json RecoveryCodesJson(const std::vector<std::string>& codes) {
  return {{"recovery_codes", codes},
          {"hint", "Each code signs you in once if you lose your phone. Store them now, "
                   "somewhere safe and apart from your phone: they are not shown again."}};
}

Status SecondFactorState(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  TRY(auto s, app::SecondFactors(app).State(ctx.Actor()));
  SetJson(res, 200, {{"enabled", s.enabled},
                     {"pending", s.pending},
                     {"required", s.required},
                     {"recovery_codes_left", s.recovery_codes_left}});
  return {};
}

Status StartSecondFactor(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({}));
  TRY(auto e, app::SecondFactors(app).StartEnrolment(ctx.Actor()));
  SetJson(res, 201, {{"secret", e.secret}, {"otpauth_uri", e.otpauth_uri}, {"qr_svg", e.qr_svg}});
  return {};
}

// POST {"code"}, answered with new recovery codes: the confirmation of an enrolment
// (ConfirmEnrolment), or new codes in place of the old (RegenerateRecoveryCodes).
template <auto Use>
Status RecoveryCodesFor(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"code"}));
  TRY(std::string code, r.String("code"));
  app::SecondFactors factors(app);
  TRY(auto codes, (factors.*Use)(ctx.Actor(), code));
  SetJson(res, 200, RecoveryCodesJson(codes));
  return {};
}

Status DisableSecondFactor(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"password", "code"}));
  TRY(std::string password, r.String("password"));
  TRY(std::string code, r.String("code"));
  TRY_STATUS(app::SecondFactors(app).Disable(ctx.Actor(), password, code));
  res.status = 204;
  return {};
}

Status Me(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  TRY(auto user, app.Me(ctx.Actor()));
  SetJson(res, 200, domain::UserToJson(user));
  return {};
}

// The signed-in user and the CSRF token of her session: what the web application
// reads when a page is reloaded (the cookie is HttpOnly, the token lives in memory).
// A cross-site page cannot read this answer: the API sends no CORS headers.
// The wire names of what a role may do (the one permission table).
Json PermissionsJson(domain::Role role) {
  Json permissions = Json::array();
  for (auto [p, name] : app::kPermissionNames)
    if (app::Can(role, p)) permissions.push_back(name);
  return permissions;
}

// A user in a list, with what her role may do: a supervisor assigning a case offers
// the accounts that may hold one, as the server's table says.
Json UserListJson(const domain::User& u) {
  Json j = domain::UserToJson(u);
  j["permissions"] = PermissionsJson(u.role);
  return j;
}

Status Session(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  TRY(auto user, app.Me(ctx.Actor()));
  SetJson(res, 200, {{"user", domain::UserToJson(user)},
                     {"csrf_token", ctx.auth->csrf_token},
                     {"permissions", PermissionsJson(user.role)},
                     {"second_factor_enrolment_required",
                      ctx.auth->second_factor_enrolment_required}});
  return {};
}

Status UpdateMe(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"language"}));
  TRY(auto language, r.RequiredEnum<domain::Language>("language"));
  TRY(auto user, app.SetOwnLanguage(ctx.Actor(), language));
  SetJson(res, 200, domain::UserToJson(user));
  return {};
}

Status ListOrganizations(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto page, PageParams(req));
  TRY(auto result, app.ListOrganizations(ctx.Actor(), page));
  SetJson(res, 200, PageJson(result, domain::OrganizationToJson));
  return {};
}

Status GetOrganization(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "organisation"));
  TRY(auto org, app.GetOrganization(ctx.Actor(), id));
  SetJson(res, 200, domain::OrganizationToJson(org));
  return {};
}

Status CreateOrganization(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"name", "kind", "region"}));
  domain::Organization o;
  TRY(o.name, r.String("name"));
  TRY(o.kind, r.RequiredEnum<domain::OrgKind>("kind"));
  TRY(o.region, r.OptionalString("region"));
  TRY(auto created, app.CreateOrganization(ctx.Actor(), o, WriteOptionsOf(req)));
  SetJson(res, 201, domain::OrganizationToJson(created));
  return {};
}

// PATCH {"name", "kind", "region", "active"}: any of them.
Status UpdateOrganization(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "organisation"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"name", "kind", "region", "active"}));
  app::App::OrganizationChange change;
  TRY(change.name, r.OptionalString("name"));
  TRY(change.kind, r.OptionalEnum<domain::OrgKind>("kind"));
  if (body.contains("region")) {
    TRY(auto region, r.OptionalString("region"));
    change.region = region;
  }
  TRY(change.active, r.OptionalBool("active"));
  TRY(auto o, app.UpdateOrganization(ctx.Actor(), id, change, WriteOptionsOf(req)));
  SetJson(res, 200, domain::OrganizationToJson(o));
  return {};
}

Status ListUsers(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  app::UserQuery q;
  TRY(q.page, PageParams(req));
  if (req.has_param("organization_id")) {
    TRY(int org, IntParam(req, "organization_id", 0, 1, std::numeric_limits<int>::max()));
    q.organization_id = org;
  }
  TRY(q.role, EnumParam<domain::Role>(req, "role"));
  TRY(q.active, BoolParam(req, "active"));
  TRY(auto result, app.ListUsers(ctx.Actor(), q));
  SetJson(res, 200, PageJson(result, UserListJson));
  return {};
}

Status CreateUser(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"username", "password", "role", "organization_id"}));
  app::NewUser u;
  TRY(u.username, r.String("username"));
  TRY(u.password, r.String("password"));
  TRY(u.role, r.RequiredEnum<domain::Role>("role"));
  TRY(auto org, r.OptionalInt("organization_id"));
  if (!org) return Invalid("organization_id", "is required");
  u.organization_id = *org;
  TRY(auto created, app.CreateUser(ctx.Actor(), u, WriteOptionsOf(req)));
  SetJson(res, 201, domain::UserToJson(created));
  return {};
}

Status UpdateUser(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "user"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"role", "active"}));
  app::App::UserChange change;
  TRY(change.role, r.OptionalEnum<domain::Role>("role"));
  TRY(change.active, r.OptionalBool("active"));
  TRY(auto user, app.UpdateUser(ctx.Actor(), id, change, WriteOptionsOf(req)));
  SetJson(res, 200, domain::UserToJson(user));
  return {};
}

// POST /users/{id}/deactivate and /reactivate: PATCH {"active": …} by name.
template <bool kActive>
Status SetUserActive(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "user"));
  TRY(Json body, ParseBody(req));
  TRY_STATUS(domain::JsonReader(body).OnlyKeys({}));
  app::App::UserChange change;
  change.active = kActive;
  TRY(auto user, app.UpdateUser(ctx.Actor(), id, change, WriteOptionsOf(req)));
  SetJson(res, 200, domain::UserToJson(user));
  return {};
}

Status UnlockUser(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "user"));
  TRY(Json body, ParseBody(req));
  TRY_STATUS(domain::JsonReader(body).OnlyKeys({}));
  TRY(auto user, app.UnlockUser(ctx.Actor(), id, WriteOptionsOf(req)));
  SetJson(res, 200, domain::UserToJson(user));
  return {};
}

// A one-time password, shown once, that the user replaces at her next sign-in.
Status ResetPassword(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "user"));
  TRY(Json body, ParseBody(req));
  TRY_STATUS(domain::JsonReader(body).OnlyKeys({}));
  TRY(auto reset, app.ResetPassword(ctx.Actor(), id));
  SetJson(res, 200, {{"user", domain::UserToJson(reset.user)},
                     {"one_time_password", reset.one_time_password}});
  return {};
}

Status ChangeOwnPassword(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"old_password", "new_password"}));
  TRY(auto old_password, r.String("old_password"));
  TRY(auto new_password, r.String("new_password"));
  TRY_STATUS(app.ChangeOwnPassword(ctx.Actor(), ctx.token, old_password, new_password));
  TRY(auto user, app.Me(ctx.Actor()));
  SetJson(res, 200, domain::UserToJson(user));
  return {};
}

Status ListCases(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  app::CaseQuery q;
  TRY(q.page, PageParams(req));
  if (req.has_param("code")) q.code = req.get_param_value("code");
  TRY(q.status, EnumParam<domain::CaseStatus>(req, "status"));
  if (req.has_param("year")) {
    TRY(int year, IntParam(req, "year", 0, 1900, 2200));
    q.year = year;
  }
  if (req.has_param("organization_id")) {
    TRY(int org, IntParam(req, "organization_id", 0, 1, std::numeric_limits<int>::max()));
    q.organization_id = org;
  }
  if (req.has_param("assigned_to")) {
    const std::string who = req.get_param_value("assigned_to");
    if (who == "me") {
      q.assigned_to_me = true;
    } else if (who == "none") {
      q.unassigned = true;
    } else {
      auto id = IntParam(req, "assigned_to", 0, 1, std::numeric_limits<int>::max());
      if (!id) return Invalid("assigned_to", "must be me, none or the id of a user");
      q.assigned_to = *id;
    }
  }
  TRY(q.exploitation, EnumParam<domain::Exploitation>(req, "exploitation"));
  if (req.has_param("region")) q.region = req.get_param_value("region");
  if (req.has_param("age_group")) q.age_group = req.get_param_value("age_group");
  std::optional<int> due;
  if (req.has_param("due_within_days")) {
    TRY(int days, IntParam(req, "due_within_days", 0, 0, 366));
    due = days;
  }
  TRY(auto result, app::CaseworkService(app).FindCases(ctx.Actor(), q, due));
  Json j = PageJson(result, CaseRowJson);
  j["total"] = result.total.value_or(0);
  SetJson(res, 200, j);
  return {};
}

Status CaseByCode(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, app::CaseworkService(app).CaseIdByCode(ctx.Actor(), req.matches[1]));
  TRY(auto detail, app.GetCase(ctx.Actor(), id));
  SetJson(res, 200, CaseDetailJson(detail));
  return {};
}

Status CreateCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  TRY(auto input, domain::NewCaseFromJson(body));
  TRY(auto created, app.CreateCase(ctx.Actor(), input, WriteOptionsOf(req)));
  Json j = domain::CaseToJson(created.c);
  j["known_elsewhere"] = KnownElsewhereJson(created.known_elsewhere);
  j["possible_earlier_registrations"] = EarlierJson(created.earlier);
  SetJson(res, 201, j);
  return {};
}

Status GetCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(auto detail, app.GetCase(ctx.Actor(), id));
  SetJson(res, 200, CaseDetailJson(detail));
  return {};
}

// POST {"reason": "…"}: the reason travels in the body, never in a URL.
Status ViewIdentity(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"reason"}));
  TRY(std::string reason, r.String("reason", true));
  TRY(auto d, app.ViewIdentity(ctx.Actor(), id, reason));
  Json j = domain::IdentityToJson(d.identity);
  if (!d.identity_visible) {
    Json contacts = j.contains("contacts") ? j["contacts"] : Json::array();
    j = Json{{"contacts", contacts}};
  }
  if (!d.contacts_visible) j.erase("contacts");
  SetJson(res, 200, j);
  return {};
}

// Body: {"person": {…the identity as on registration…}, "reason": "…"}.
Status CorrectIdentity(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"person", "reason"}));
  const Json* person = r.Get("person");
  if (!person) return Invalid("person", "is required");
  if (!person->is_object()) return Invalid("person", "must be an object");
  TRY(auto identity, domain::IdentityFromJson(*person, "person."));
  TRY(std::string reason, r.String("reason", true));
  TRY(auto corrected,
      app.CorrectIdentity(ctx.Actor(), id, identity, reason, WriteOptionsOf(req)));
  Json j = domain::IdentityToJson(corrected.identity);
  SetJson(res, 200, {{"person", j},
                     {"known_elsewhere", KnownElsewhereJson(corrected.known_elsewhere)},
                     {"possible_earlier_registrations", EarlierJson(corrected.earlier)}});
  return {};
}

// The same check as on registration, before saving: a name is enough (sex and
// citizenship, when known, make the fuzzy match closer).
Status LookupPerson(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  if (!body.contains("sex")) body["sex"] = "unknown";
  if (!body.contains("citizenship")) body["citizenship"] = "unknown";
  TRY(auto identity, domain::IdentityFromJson(body, ""));
  TRY(auto result, app.LookupPerson(ctx.Actor(), identity));
  Json own = Json::array();
  for (const auto& c : result.own_cases) own.push_back({{"id", c.id}, {"code", c.code}});
  SetJson(res, 200, {{"possible_earlier_registrations", EarlierJson(result.earlier)},
                     {"own_cases", own},
                     {"known_elsewhere", KnownElsewhereJson(result.elsewhere)}});
  return {};
}

Result<std::optional<Timestamp>> TimeParam(const Req& req, const std::string& name) {
  if (!req.has_param(name)) return std::optional<Timestamp>();
  const std::string v = req.get_param_value(name);
  if (auto t = ParseTimestamp(v)) return std::optional<Timestamp>(*t);
  // A date alone means its first moment (UTC).
  if (auto d = domain::Date::Parse(v, name))
    return std::optional<Timestamp>(std::chrono::time_point_cast<Timestamp::duration>(d->Days()));
  return Invalid(name, "must be a date (2026-03-01) or a time (2026-03-01T09:00:00Z)");
}

Status ListAudit(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  app::AuditQuery q;
  TRY(q.page, PageParams(req));
  if (req.has_param("action")) q.action = req.get_param_value("action");
  if (req.has_param("actor")) {
    TRY(int actor, IntParam(req, "actor", 0, 0, std::numeric_limits<int>::max()));
    q.actor_user_id = actor;
  }
  if (req.has_param("object_type")) q.object_type = req.get_param_value("object_type");
  if (req.has_param("object_id")) q.object_id = req.get_param_value("object_id");
  TRY(q.from, TimeParam(req, "from"));
  TRY(q.to, TimeParam(req, "to"));
  if (req.has_param("order")) {
    const std::string order = req.get_param_value("order");
    if (order != "newest_first" && order != "oldest_first")
      return Invalid("order", "must be newest_first or oldest_first");
    q.newest_first = order == "newest_first";
  }
  TRY(auto result, app.ListAudit(ctx.Actor(), q));
  SetJson(res, 200, PageJson(result, AuditJson));
  return {};
}

Status VerifyAudit(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  TRY_STATUS(domain::JsonReader(body).OnlyKeys({}));
  TRY(auto v, app.VerifyAuditAs(ctx.Actor()));
  Json j = {{"intact", v.intact}, {"entries", v.entries}, {"head_hash", v.head_hash}};
  if (!v.intact) {
    j["first_broken_seq"] = v.first_broken_seq;
    j["problem"] = v.problem;
  }
  SetJson(res, 200, j);
  return {};
}

// A fresh signed checkpoint of the head, for the auditor to send to the oversight body;
// not audited, like reading the log (an entry would move the head just signed).
Status AuditCheckpoint(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  TRY(auto c, app::SignAuditHeadAs(app, ctx.Actor()));
  SetJson(res, 200, app::CheckpointJson(c));
  return {};
}

}  // namespace

std::vector<Route> CoreRoutes() {
  return {
      {"GET", "/api/v1/health", true, Health},
      {"GET", "/api/v1/openapi.json", true, OpenApiDocument},
      {"POST", "/api/v1/auth/login", true, Login},
      {"POST", "/api/v1/auth/logout", false, Logout},
      {"GET", "/api/v1/auth/session", false, Session},
      {"GET", "/api/v1/me", false, Me},
      {"PATCH", "/api/v1/me", false, UpdateMe},
      {"GET", "/api/v1/organizations", false, ListOrganizations, {"limit", "cursor"}},
      {"POST", "/api/v1/organizations", false, CreateOrganization},
      {"GET", "/api/v1/organizations/{id}", false, GetOrganization},
      {"PATCH", "/api/v1/organizations/{id}", false, UpdateOrganization},
      {"POST", "/api/v1/me/password", false, ChangeOwnPassword},
      {"GET", "/api/v1/me/second-factor", false, SecondFactorState},
      {"POST", "/api/v1/me/second-factor/enrolment", false, StartSecondFactor},
      {"POST", "/api/v1/me/second-factor/confirm", false,
       RecoveryCodesFor<&app::SecondFactors::ConfirmEnrolment>},
      {"POST", "/api/v1/me/second-factor/disable", false, DisableSecondFactor},
      {"POST", "/api/v1/me/second-factor/recovery-codes", false,
       RecoveryCodesFor<&app::SecondFactors::RegenerateRecoveryCodes>},
      {"GET", "/api/v1/users", false, ListUsers,
       {"limit", "cursor", "organization_id", "role", "active"}},
      {"POST", "/api/v1/users", false, CreateUser},
      {"PATCH", "/api/v1/users/{id}", false, UpdateUser},
      {"POST", "/api/v1/users/{id}/deactivate", false, SetUserActive<false>},
      {"POST", "/api/v1/users/{id}/reactivate", false, SetUserActive<true>},
      {"POST", "/api/v1/users/{id}/unlock", false, UnlockUser},
      {"POST", "/api/v1/users/{id}/reset-password", false, ResetPassword},
      {"GET", "/api/v1/cases", false, ListCases,
       {"limit", "cursor", "code", "status", "year", "organization_id", "assigned_to",
        "exploitation", "region", "age_group", "due_within_days"}},
      {"POST", "/api/v1/cases", false, CreateCase},
      {"GET", "/api/v1/cases/by-code/{code}", false, CaseByCode},
      {"GET", "/api/v1/cases/{id}", false, GetCase},
      {"POST", "/api/v1/cases/{id}/identity-views", false, ViewIdentity},
      {"PUT", "/api/v1/cases/{id}/identity", false, CorrectIdentity},
      {"POST", "/api/v1/persons/lookup", false, LookupPerson},
      {"GET", "/api/v1/audit", false, ListAudit,
       {"limit", "cursor", "action", "actor", "object_type", "object_id", "from", "to", "order"}},
      {"POST", "/api/v1/audit/verify", false, VerifyAudit},
      {"GET", "/api/v1/audit/checkpoint", false, AuditCheckpoint},
  };
}

}  // namespace haven::http
