// Routes of the everyday work on a case: the workflow (closing with a reason, a
// supervisor's approval, reopening), corrections of its facts, who is in charge, notes
// and attachments.

#include <limits>

#include <fmt/format.h>

#include "app/casework.h"
#include "domain/codec.h"
#include "http/support.h"

namespace haven::http {
namespace {

using domain::Name;
using Req = httplib::Request;
using Res = httplib::Response;
using Ctx = RequestContext;

Json OptId(const std::optional<domain::Id>& v) { return v ? Json(*v) : Json(nullptr); }

Json ClosureRequestJson(const app::ClosureRequest& r) {
  Json j = {{"id", r.id},
            {"case_id", r.case_id},
            {"case_code", r.case_code},
            {"closure_reason", Name(r.reason)},
            {"duplicate_of", OptId(r.duplicate_of)},
            {"on", r.on.ToString()},
            {"note", r.note},
            {"requested_by", r.requested_by},
            {"requested_at", FormatTimestamp(r.requested_at)},
            {"status", Name(r.status)}};
  if (r.decided_by) j["decided_by"] = *r.decided_by;
  if (r.decided_at) j["decided_at"] = FormatTimestamp(*r.decided_at);
  if (r.status != domain::ClosureRequestStatus::kPending) j["decision_note"] = r.decision_note;
  return j;
}

// 200 with the case as it now is; 202 with the pending request when a supervisor decides.
Status RenderTransition(app::App& app, Res& res, const Ctx& ctx,
                        const app::TransitionResult& result) {
  TRY(auto detail, app.GetCase(ctx.Actor(), result.c.id));
  Json j = CaseDetailJson(detail);
  if (result.closure_request) {
    j["closure_request"] = ClosureRequestJson(*result.closure_request);
    SetJson(res, 202, j);
  } else {
    SetJson(res, 200, j);
  }
  return {};
}

Status Transition(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"to", "note", "on", "closure_reason", "duplicate_of"}));
  app::TransitionRequest t;
  TRY(t.to, r.RequiredEnum<domain::CaseStatus>("to"));
  TRY(t.note, r.String("note", false));
  TRY(t.on, r.OptionalDate("on"));
  TRY(t.closure_reason, r.OptionalEnum<domain::ClosureReason>("closure_reason"));
  TRY(t.duplicate_of, r.OptionalInt("duplicate_of"));
  TRY(auto result, app::CaseworkService(app).Transition(ctx.Actor(), id, t, WriteOptionsOf(req)));
  return RenderTransition(app, res, ctx, result);
}

Status Reopen(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"reason"}));
  TRY(std::string reason, r.String("reason"));
  TRY(auto c, app::CaseworkService(app).Reopen(ctx.Actor(), id, reason, WriteOptionsOf(req)));
  TRY(auto detail, app.GetCase(ctx.Actor(), c.id));
  SetJson(res, 200, CaseDetailJson(detail));
  return {};
}

// PATCH {"version": N, ...fields}: a JSON merge patch of the case's facts.
Status UpdateCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY(auto version, r.OptionalInt("version"));
  if (!version)
    return Invalid("version", "is required: send the version of the case you read, so that "
                              "a change made in the meantime is not overwritten");
  app::CasePatch patch;
  patch.version = *version;
  patch.fields = body;
  patch.fields.erase("version");  // the other keys are the use case's to check
  TRY(auto c, app::CaseworkService(app).UpdateFacts(ctx.Actor(), id, patch, WriteOptionsOf(req)));
  TRY(auto detail, app.GetCase(ctx.Actor(), c.id));
  SetJson(res, 200, CaseDetailJson(detail));
  return {};
}

// PUT {"user_id": N | null}.
Status Assign(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"user_id"}));
  if (!body.contains("user_id"))
    return Invalid("user_id", "is required (null: nobody is in charge)");
  TRY(auto user_id, r.OptionalInt("user_id"));
  TRY(auto c, app::CaseworkService(app).Assign(ctx.Actor(), id, user_id, WriteOptionsOf(req)));
  TRY(auto detail, app.GetCase(ctx.Actor(), c.id));
  SetJson(res, 200, CaseDetailJson(detail));
  return {};
}

Status PendingClosures(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  TRY(auto rows, app::CaseworkService(app).PendingClosures(ctx.Actor()));
  SetJson(res, 200, ItemsJson(rows, ClosureRequestJson));
  return {};
}

Status WithdrawClosure(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  TRY_STATUS(domain::JsonReader(body).OnlyKeys({}));
  TRY(auto result,
      app::CaseworkService(app).WithdrawClosure(ctx.Actor(), id, WriteOptionsOf(req)));
  return RenderTransition(app, res, ctx, result);
}

Status ClosureRequestsOfCase(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(auto rows, app::CaseworkService(app).ClosureRequestsOfCase(ctx.Actor(), id));
  SetJson(res, 200, ItemsJson(rows, ClosureRequestJson));
  return {};
}

template <bool kApprove>
Status DecideClosure(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"note"}));
  TRY(std::string note, r.String("note", !kApprove));
  TRY(auto result, app::CaseworkService(app).DecideClosure(ctx.Actor(), id, kApprove, note,
                                                           WriteOptionsOf(req)));
  return RenderTransition(app, res, ctx, result);
}

Json NoteJson(const app::Note& n) {
  return {{"id", n.id},
          {"case_id", n.case_id},
          {"author_user_id", n.author_user_id},
          {"author_username", n.author_username},
          {"author_organization_id", n.author_organization_id},
          {"created_at", FormatTimestamp(n.created_at)},
          {"text", n.text}};
}

Status AddNote(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(Json body, ParseBody(req));
  domain::JsonReader r(body);
  TRY_STATUS(r.OnlyKeys({"text"}));
  TRY(std::string text, r.String("text"));
  TRY(auto note, app::CaseworkService(app).AddNote(ctx.Actor(), id, text, WriteOptionsOf(req)));
  SetJson(res, 201, NoteJson(note));
  return {};
}

Status Notes(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(auto page, PageParams(req));
  TRY(auto result, app::CaseworkService(app).Notes(ctx.Actor(), id, page));
  SetJson(res, 200, PageJson(result, NoteJson));
  return {};
}

Json AttachmentJson(const app::Attachment& a) {
  return {{"id", a.id},
          {"case_id", a.case_id},
          {"title", a.title},
          {"media_type", a.media_type},
          {"size_bytes", a.size_bytes},
          {"created_by", a.created_by},
          {"created_at", FormatTimestamp(a.created_at)}};
}

// multipart/form-data with a `title` and a `file` (as a browser's form sends it).
Status AddAttachment(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  if (!req.is_multipart_form_data())
    return Invalid("body", "must be multipart/form-data with the fields title and file");
  for (const auto& [name, _] : req.files)
    if (name != "title" && name != "file") return Invalid(name, "is not a known field");
  if (!req.has_file("file")) return Invalid("file", "is required");
  if (!req.has_file("title")) return Invalid("title", "is required");
  app::NewAttachment a;
  const auto file = req.get_file_value("file");
  a.content = file.content;
  a.declared_media_type = file.content_type;
  a.title = req.get_file_value("title").content;
  TRY(auto created,
      app::CaseworkService(app).AddAttachment(ctx.Actor(), id, a, WriteOptionsOf(req)));
  SetJson(res, 201, AttachmentJson(created));
  return {};
}

Status Attachments(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "case"));
  TRY(auto rows, app::CaseworkService(app).Attachments(ctx.Actor(), id));
  SetJson(res, 200, ItemsJson(rows, AttachmentJson));
  return {};
}

// The file name's extension for a media type SniffMediaType gives, so that the file
// opens with the right program once saved. The title stays out of the name: it may
// name the person.
std::string_view ExtensionOf(std::string_view media_type) {
  static constexpr std::pair<std::string_view, std::string_view> kExtensions[] = {
      {"application/pdf", ".pdf"}, {"image/jpeg", ".jpg"},   {"image/png", ".png"},
      {"image/tiff", ".tiff"},     {"image/webp", ".webp"},  {"image/heic", ".heic"}};
  for (auto [type, ext] : kExtensions)
    if (type == media_type) return ext;
  return "";
}

// The file itself, as it was attached; never cached, never shown inline.
Status OpenAttachment(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto id, PathId(req, "attachment"));
  TRY(auto a, app::CaseworkService(app).OpenAttachment(ctx.Actor(), id));
  res.status = 200;
  res.set_header("Content-Disposition",
                 fmt::format("attachment; filename=\"attachment-{}{}\"", a.id, ExtensionOf(a.media_type)));
  res.set_content(a.content, a.media_type);
  return {};
}

}  // namespace

std::vector<Route> CaseworkRoutes() {
  return {
      {"PATCH", "/api/v1/cases/{id}", false, UpdateCase},
      {"POST", "/api/v1/cases/{id}/transitions", false, Transition},
      {"POST", "/api/v1/cases/{id}/reopen", false, Reopen},
      {"PUT", "/api/v1/cases/{id}/assignment", false, Assign},
      {"GET", "/api/v1/closure-requests", false, PendingClosures},
      {"GET", "/api/v1/cases/{id}/closure-requests", false, ClosureRequestsOfCase},
      {"POST", "/api/v1/cases/{id}/closure/approve", false, DecideClosure<true>},
      {"POST", "/api/v1/cases/{id}/closure/reject", false, DecideClosure<false>},
      {"POST", "/api/v1/cases/{id}/closure/withdraw", false, WithdrawClosure},
      {"POST", "/api/v1/cases/{id}/notes", false, AddNote},
      {"GET", "/api/v1/cases/{id}/notes", false, Notes, {"limit", "cursor"}},
      // The file and the form's framing around it.
      {"POST", "/api/v1/cases/{id}/attachments", false, AddAttachment, {},
       app::CaseworkService::kMaxAttachmentBytes + (64 << 10)},
      {"GET", "/api/v1/cases/{id}/attachments", false, Attachments},
      {"GET", "/api/v1/attachments/{id}", false, OpenAttachment},
  };
}

}  // namespace haven::http
