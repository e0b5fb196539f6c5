// Routes of the coalition: consents and their receipts, referrals and transfers,
// the memorandum's members, and the person's access history.

#include <limits>

#include <fmt/format.h>

#include "app/access_history_page.h"
#include "app/coalition.h"
#include "http/support.h"

namespace haven::http {
namespace {

using domain::Name;
using Req = httplib::Request;
using Res = httplib::Response;
using Ctx = RequestContext;

Json OptTime(const std::optional<Timestamp>& t) {
  return t ? Json(FormatTimestamp(*t)) : Json(nullptr);
}

Json ConsentJson(const app::ConsentView& v) {
  const auto& c = v.consent;
  Json j = {{"id", c.id},
            {"case_id", c.case_id},
            {"purposes", domain::EnumListToJson(c.purposes)},
            {"categories", domain::EnumListToJson(c.categories)},
            {"given_on", c.given_on.ToString()},
            {"valid_until", c.valid_until ? Json(c.valid_until->ToString()) : Json(nullptr)},
            {"withdrawn_on", c.withdrawn_on ? Json(c.withdrawn_on->ToString()) : Json(nullptr)},
            {"method", Name(c.method)},
            {"language", c.language},
            {"has_form", c.has_form},
            {"recorded_by", c.recorded_by},
            {"created_at", FormatTimestamp(c.created_at)}};
  if (c.recipient_organization_id) j["recipient_organization_id"] = *c.recipient_organization_id;
  if (c.recipient_kind) j["recipient_kind"] = Name(*c.recipient_kind);
  if (v.witness_visible && c.witness) j["witness"] = *c.witness;
  return j;
}

Json ReferralJson(const app::ReferralView& v) {
  const auto& r = v.referral;
  Json j = {{"id", r.id},
            {"kind", Name(r.kind)},
            {"case_id", r.case_id},
            {"case_code", r.case_code},
            {"from_organization_id", r.from_organization_id},
            {"to_organization_id", r.to_organization_id},
            {"purposes", domain::EnumListToJson(r.purposes)},
            {"services_requested", domain::EnumListToJson(r.services_requested)},
            {"status", Name(r.status)},
            {"created_at", FormatTimestamp(r.created_at)},
            {"accepted_at", OptTime(r.accepted_at)},
            {"declined_at", OptTime(r.declined_at)},
            {"completed_at", OptTime(r.completed_at)},
            {"revoked_at", OptTime(r.revoked_at)},
            {"version", r.version}};
  if (r.override_)
    j["override"] = {{"basis", Name(r.override_->basis)},
                     {"categories", domain::EnumListToJson(r.override_->categories)}};
  if (v.note_visible) j["note"] = r.note;
  if (v.decline_reason_visible) j["decline_reason"] = r.decline_reason;
  // By the verbs of their routes (POST /referrals/{id}/accept …).
  Json steps = Json::array();
  for (auto s : v.next_steps)
    steps.push_back(s == domain::ReferralStatus::kAccepted   ? "accept"
                    : s == domain::ReferralStatus::kDeclined ? "decline"
                    : s == domain::ReferralStatus::kCompleted ? "complete"
                                                              : "revoke");
  j["next_steps"] = std::move(steps);
  return j;
}

template <typename E>
Result<std::optional<E>> EnumParam(const Req& req, const std::string& name) {
  if (!req.has_param(name)) return std::optional<E>();
  auto e = domain::ParseEnum<E>(req.get_param_value(name));
  if (!e) return Invalid(name, "must be one of " + domain::AllowedNames<E>());
  return e;
}

// ---- consents

Status RecordConsent(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"recipient_organization_id", "recipient_kind", "purposes", "categories",
                         "given_on", "valid_until", "method", "language", "witness"}));
  domain::Consent c;
  TRY(c.recipient_organization_id, r.OptionalInt("recipient_organization_id"));
  TRY(c.recipient_kind, r.OptionalEnum<domain::OrgKind>("recipient_kind"));
  TRY(c.purposes, r.EnumList<domain::Purpose>("purposes"));
  TRY(c.categories, r.EnumList<domain::DataCategory>("categories"));
  TRY(c.given_on, r.RequiredDate("given_on"));
  TRY(c.valid_until, r.OptionalDate("valid_until"));
  TRY(c.method, r.RequiredEnum<domain::ConsentMethod>("method"));
  TRY(auto language, r.OptionalString("language"));
  c.language = language.value_or("az");
  TRY(c.witness, r.OptionalString("witness"));
  TRY(auto created, app::CoalitionService(app).RecordConsent(ctx.Actor(), case_id, c,
                                                             WriteOptionsOf(req)));
  SetJson(res, 201, ConsentJson(created));
  return {};
}

Status ConsentsOfCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto rows, app::CoalitionService(app).ConsentsOfCase(ctx.Actor(), case_id));
  SetJson(res, 200, ItemsJson(rows, ConsentJson));
  return {};
}

Status WithdrawConsent(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "consent"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"withdrawn_on"}));
  TRY(auto on, r.RequiredDate("withdrawn_on"));
  TRY(auto v, app::CoalitionService(app).WithdrawConsent(ctx.Actor(), id, on, WriteOptionsOf(req)));
  SetJson(res, 200, ConsentJson(v));
  return {};
}

Status ConsentReceipt(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "consent"));
  TRY(auto lang, EnumParam<domain::Language>(req, "lang"));
  std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  if (format != "json" && format != "html") return Invalid("format", "must be json or html");
  TRY(auto body, app::CoalitionService(app).ConsentReceipt(
                     ctx.Actor(), id, lang.value_or(domain::Language::kAz), format == "html"));
  res.status = 200;
  res.set_content(body, format == "html" ? "text/html; charset=utf-8" : "application/json");
  return {};
}

// PUT {"media_type": "application/pdf", "content_base64": "…"}.
Status AttachConsentForm(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "consent"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"media_type", "content_base64"}));
  TRY(auto media_type, r.String("media_type"));
  TRY(auto encoded, r.String("content_base64"));
  TRY_STATUS(app::CoalitionService(app).AttachConsentForm(ctx.Actor(), id, media_type, encoded,
                                                          WriteOptionsOf(req)));
  res.status = 204;
  return {};
}

// POST {"reason": "…"}: the form bears her name, so it is shown like an identity.
Status ViewConsentForm(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "consent"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"reason"}));
  TRY(auto reason, r.String("reason", true));
  TRY(auto form, app::CoalitionService(app).ViewConsentForm(ctx.Actor(), id, reason));
  SetJson(res, 200,
          {{"media_type", form.media_type}, {"content_base64", form.content_base64}});
  return {};
}

Status ReceiptKey(app::App& app, const Req& req, Res& res, const Ctx&) {
  auto [key, key_id] = app::CoalitionService(app).ReceiptPublicKey();
  SetJson(res, 200, {{"alg", "Ed25519"}, {"public_key", key}, {"key_id", key_id}});
  return {};
}

// ---- referrals

Status CreateReferralOfKind(domain::ReferralKind kind, app::App& app, const Req& req, Res& res,
                            const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"case_id", "to_organization_id", "purposes", "services_requested",
                         "note", "override"}));
  app::NewReferral in;
  in.kind = kind;
  TRY(auto case_id, r.OptionalInt("case_id"));
  if (!case_id) return Invalid("case_id", "is required");
  in.case_id = *case_id;
  TRY(auto to, r.OptionalInt("to_organization_id"));
  if (!to) return Invalid("to_organization_id", "is required");
  in.to_organization_id = *to;
  TRY(in.purposes, r.EnumList<domain::Purpose>("purposes"));
  TRY(in.services_requested, r.EnumList<domain::ServiceType>("services_requested"));
  TRY(in.note, r.String("note", false));
  if (const Json* o = r.Get("override")) {
    TRY_STATUS(domain::RequireObject(*o, "override"));
    domain::JsonReader ov(*o, "override.");
    TRY_STATUS(ov.OnlyKeys({"basis", "reason", "categories"}));
    TRY(in.override_basis, ov.RequiredEnum<domain::OverrideBasis>("basis"));
    TRY(in.override_reason, ov.String("reason", true));
    TRY(in.override_categories, ov.EnumList<domain::DataCategory>("categories"));
  }
  TRY(auto created, app::CoalitionService(app).CreateReferral(ctx.Actor(), in, WriteOptionsOf(req)));
  SetJson(res, 201, ReferralJson(created));
  return {};
}

Status CreateReferral(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  return CreateReferralOfKind(domain::ReferralKind::kReferral, app, req, res, ctx);
}
Status CreateTransfer(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  return CreateReferralOfKind(domain::ReferralKind::kTransfer, app, req, res, ctx);
}

Status ListReferrals(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  app::ReferralQuery q;
  TRY(q.page, PageParams(req));
  if (req.has_param("direction")) q.direction = req.get_param_value("direction");
  TRY(q.status, EnumParam<domain::ReferralStatus>(req, "status"));
  TRY(q.kind, EnumParam<domain::ReferralKind>(req, "kind"));
  if (req.has_param("case_id")) {
    TRY(int id, IntParam(req, "case_id", 0, 1, std::numeric_limits<int>::max()));
    q.case_id = id;
  }
  TRY(auto page, app::CoalitionService(app).ListReferrals(ctx.Actor(), q));
  SetJson(res, 200, PageJson(page, ReferralJson));
  return {};
}

Status GetReferral(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "referral"));
  TRY(auto v, app::CoalitionService(app).GetReferral(ctx.Actor(), id));
  SetJson(res, 200, ReferralJson(v));
  return {};
}

template <domain::ReferralStatus To>
Status StepReferral(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "referral"));
  std::string reason;
  if (!req.body.empty()) {
    TRY(Json body, ParseBody(req));
    domain::JsonReader r(body);
    if (To == domain::ReferralStatus::kDeclined) {
      TRY_STATUS(r.OnlyKeys({"reason"}));
      TRY(reason, r.String("reason", false));
    } else {
      TRY_STATUS(r.OnlyKeys({}));
    }
  }
  app::CoalitionService s(app);
  auto w = WriteOptionsOf(req);
  Result<app::ReferralView> v = Fail(ErrorCode::kInternal, "internal", "no step");
  switch (To) {
    case domain::ReferralStatus::kAccepted: v = s.AcceptReferral(ctx.Actor(), id, w); break;
    case domain::ReferralStatus::kDeclined: v = s.DeclineReferral(ctx.Actor(), id, reason, w); break;
    case domain::ReferralStatus::kCompleted: v = s.CompleteReferral(ctx.Actor(), id, w); break;
    case domain::ReferralStatus::kRevoked: v = s.RevokeReferral(ctx.Actor(), id, w); break;
    case domain::ReferralStatus::kPending: break;
  }
  if (!v) return std::unexpected(v.error());
  SetJson(res, 200, ReferralJson(*v));
  return {};
}

Status OwnersOfCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto rows, app::CoalitionService(app).OwnersOfCase(ctx.Actor(), case_id));
  SetJson(res, 200, ItemsJson(rows, [](const domain::CaseOwnership& o) {
            return Json{{"organization_id", o.organization_id},
                        {"since", FormatTimestamp(o.since)},
                        {"until", OptTime(o.until)},
                        {"transfer_id", o.referral_id ? Json(*o.referral_id) : Json(nullptr)}};
          }));
  return {};
}

// ---- memorandum

Status Members(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto rows, app::CoalitionService(app).Members(ctx.Actor()));
  SetJson(res, 200, ItemsJson(rows, [](const store::MemorandumMember& m) {
            return Json{{"organization_id", m.organization_id},
                        {"name", m.organization_name},
                        {"kind", Name(m.organization_kind)},
                        {"signed_on", m.signed_on.ToString()},
                        {"left_on", m.left_on ? Json(m.left_on->ToString()) : Json(nullptr)}};
          }));
  return {};
}

Status RecordMember(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"organization_id", "signed_on", "left_on"}));
  TRY(auto org, r.OptionalInt("organization_id"));
  if (!org) return Invalid("organization_id", "is required");
  TRY(auto signed_on, r.RequiredDate("signed_on"));
  TRY(auto left_on, r.OptionalDate("left_on"));
  TRY_STATUS(app::CoalitionService(app).RecordMember(ctx.Actor(), *org, signed_on, left_on,
                                                     WriteOptionsOf(req)));
  return Members(app, Req{}, res, ctx);
}

// ---- the person's own view

Status AccessHistory(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto case_id, PathId(req, "case"));
  TRY(auto page, PageParams(req));
  TRY(auto lang, EnumParam<domain::Language>(req, "lang"));
  std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  if (format != "json" && format != "html") return Invalid("format", "must be json or html");
  TRY(auto h, app::CoalitionService(app).AccessHistoryOf(ctx.Actor(), case_id, page));
  if (format == "html") {
    // Printed for the person, in her language.
    res.status = 200;
    res.set_content(app::AccessHistoryHtml(h, lang.value_or(domain::Language::kAz), app.Now()),
                    "text/html; charset=utf-8");
    return {};
  }
  Json items = Json::array();
  for (const auto& e : h.events) {
    Json j = {{"at", FormatTimestamp(e.at)},
              {"action", e.action},
              {"organization_id", e.organization_id ? Json(*e.organization_id) : Json(nullptr)},
              {"organization_name", e.organization_name},
              {"organization_kind", Name(e.organization_kind)},
              {"role", e.role},
              {"purposes", e.purposes},
              {"categories", e.categories}};
    if (!e.basis.empty()) j["basis"] = e.basis;
    items.push_back(std::move(j));
  }
  SetJson(res, 200,
          {{"case_id", h.c.id},
           {"code", h.c.code},
           {"items", items},
           {"next_cursor", h.next_cursor ? Json(*h.next_cursor) : Json(nullptr)}});
  return {};
}

}  // namespace

std::vector<Route> CoalitionRoutes() {
  using S = domain::ReferralStatus;
  return {
      {"POST", "/api/v1/cases/{id}/consents", false, RecordConsent},
      {"GET", "/api/v1/cases/{id}/consents", false, ConsentsOfCase},
      {"POST", "/api/v1/consents/{id}/withdraw", false, WithdrawConsent},
      {"GET", "/api/v1/consents/{id}/receipt", false, ConsentReceipt, {"lang", "format"}},
      {"GET", "/api/v1/consent-receipts/key", false, ReceiptKey},
      {"PUT", "/api/v1/consents/{id}/form", false, AttachConsentForm},
      {"POST", "/api/v1/consents/{id}/form-views", false, ViewConsentForm},
      {"POST", "/api/v1/referrals", false, CreateReferral},
      {"GET", "/api/v1/referrals", false, ListReferrals, {"direction", "status", "kind", "case_id", "limit", "cursor"}},
      {"GET", "/api/v1/referrals/{id}", false, GetReferral},
      {"POST", "/api/v1/referrals/{id}/accept", false, StepReferral<S::kAccepted>},
      {"POST", "/api/v1/referrals/{id}/decline", false, StepReferral<S::kDeclined>},
      {"POST", "/api/v1/referrals/{id}/complete", false, StepReferral<S::kCompleted>},
      {"POST", "/api/v1/referrals/{id}/revoke", false, StepReferral<S::kRevoked>},
      {"POST", "/api/v1/transfers", false, CreateTransfer},
      {"GET", "/api/v1/cases/{id}/owners", false, OwnersOfCase},
      {"GET", "/api/v1/coalition/members", false, Members},
      {"POST", "/api/v1/coalition/members", false, RecordMember},
      {"GET", "/api/v1/cases/{id}/access-history", false, AccessHistory, {"limit", "cursor", "lang", "format"}},
  };
}

}  // namespace haven::http
