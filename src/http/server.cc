#include "http/server.h"

#include <charconv>
#include <chrono>
#include <regex>

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "domain/codec.h"
#include "privacy/crypto.h"

namespace haven::http {
namespace {

using domain::Json;
using domain::Name;

constexpr std::string_view kCookieName = "haven_session";

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnprocessable: return 422;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

// What the pre-routing step established for the request being handled. httplib
// runs pre-routing and the handler of one request on the same worker thread,
// one request at a time, so a thread-local is exact here.
struct RequestContext {
  std::string request_id;
  std::optional<app::Authenticated> auth;
  std::string token;
  std::chrono::steady_clock::time_point started;
};
thread_local RequestContext tl_ctx;

void SetJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  // Replace, never throw: a message may quote bytes of a malformed request.
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

void SetError(httplib::Response& res, const Error& e) {
  Json err = {{"code", e.reason.empty() ? std::string(ErrorCodeName(e.code)) : e.reason},
              {"message", e.code == ErrorCode::kInternal
                              ? std::string("an internal error occurred; it was logged with "
                                            "request id ") +
                                    tl_ctx.request_id
                              : e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  if (e.code == ErrorCode::kInternal)
    spdlog::error("request {}: {}", tl_ctx.request_id, e.message);
  SetJson(res, StatusFor(e.code), Json{{"error", err}});
}

std::string CookieToken(const httplib::Request& req) {
  std::string cookies = req.get_header_value("Cookie");
  std::string needle = std::string(kCookieName) + "=";
  std::size_t pos = 0;
  while ((pos = cookies.find(needle, pos)) != std::string::npos) {
    if (pos == 0 || cookies[pos - 1] == ' ' || cookies[pos - 1] == ';') {
      std::size_t start = pos + needle.size();
      std::size_t end = cookies.find(';', start);
      return cookies.substr(start, end == std::string::npos ? std::string::npos : end - start);
    }
    pos += needle.size();
  }
  return {};
}

bool IsWrite(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

Result<Json> ParseBody(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0)
    return Invalid("body", "must be JSON sent with Content-Type: application/json");
  Json j = Json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    // Parse again for the parser's own description (position, invalid UTF-8, ...).
    try {
      (void)Json::parse(req.body);
    } catch (const Json::parse_error& e) {
      std::string what = e.what();
      auto pos = what.find("parse error");
      return Fail(ErrorCode::kValidation, "invalid_json",
                  "the body is not valid JSON: " +
                      (pos == std::string::npos ? what : what.substr(pos)),
                  "body");
    }
    return Fail(ErrorCode::kValidation, "invalid_json", "the body is not valid JSON", "body");
  }
  if (!j.is_object()) return Invalid("body", "must be a JSON object");
  return j;
}

Result<int> IntParam(const httplib::Request& req, const std::string& name, int def, int min,
                     int max) {
  if (!req.has_param(name)) return def;
  std::string v = req.get_param_value(name);
  int out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size() || out < min || out > max)
    return Invalid(name, fmt::format("must be a whole number from {} to {}", min, max));
  return out;
}

Result<app::PageRequest> PageParams(const httplib::Request& req) {
  app::PageRequest p;
  TRY(p.limit, IntParam(req, "limit", 50, 1, 200));
  p.cursor = req.get_param_value("cursor");
  return p;
}

std::optional<domain::Id> PathId(const httplib::Request& req, int index = 1) {
  const std::string s = req.matches[index];
  domain::Id id = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || ptr != s.data() + s.size() || id <= 0) return std::nullopt;
  return id;
}

app::WriteOptions WriteOptionsOf(const httplib::Request& req) {
  app::WriteOptions w;
  w.idempotency_key = req.get_header_value("Idempotency-Key");
  w.fingerprint = privacy::Digest(req.method + " " + req.path + "\n" + req.body);
  return w;
}

template <typename T, typename F>
Json PageJson(const app::Page<T>& page, F render) {
  Json items = Json::array();
  for (const auto& item : page.items) items.push_back(render(item));
  return Json{{"items", std::move(items)},
              {"next_cursor", page.next_cursor ? Json(*page.next_cursor) : Json(nullptr)}};
}

Json CaseDetailJson(const app::CaseDetail& d) {
  Json j = domain::CaseToJson(d.c);
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

Json KnownElsewhereJson(const std::vector<app::KnownElsewhere>& v) {
  Json out = Json::array();
  for (const auto& k : v)
    out.push_back({{"organization_kind", Name(k.organization_kind)},
                   {"registered_on", k.registered_on.ToString()}});
  return out;
}

Json AuditJson(const store::AuditRecord& r) {
  Json details = Json::parse(r.details, nullptr, false);
  return {{"seq", r.seq},
          {"at", FormatTimestamp(r.at)},
          {"actor_user_id", r.actor_user_id},
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

}  // namespace

struct Server::Impl {
  app::App& app;
  ServerOptions options;
  httplib::Server server;

  Impl(app::App& a, ServerOptions o) : app(a), options(std::move(o)) {}

  const app::Actor& Actor() const { return tl_ctx.auth->actor; }

  using Body = std::function<Status(const httplib::Request&, httplib::Response&)>;

  // Wraps a handler: last line of defence against exceptions, nothing more.
  static httplib::Server::Handler Wrap(Body body) {
    return [body = std::move(body)](const httplib::Request& req, httplib::Response& res) {
      try {
        if (auto st = body(req, res); !st) SetError(res, st.error());
      } catch (const std::exception& e) {
        SetError(res, Error{ErrorCode::kInternal, "internal",
                            fmt::format("unhandled exception: {}", e.what()), {}});
      } catch (...) {
        SetError(res, Error{ErrorCode::kInternal, "internal", "unhandled exception", {}});
      }
    };
  }

  // Authentication and CSRF, before the body is read.
  httplib::Server::HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res) {
    tl_ctx = RequestContext{};
    tl_ctx.started = std::chrono::steady_clock::now();
    tl_ctx.request_id = privacy::RandomToken(9);
    res.set_header("X-Request-Id", tl_ctx.request_id);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    res.set_header("Cache-Control", "no-store");

    const std::string& path = req.path;
    if (path.rfind("/api/", 0) != 0) return httplib::Server::HandlerResponse::Unhandled;
    if (path == "/api/v1/auth/login" || path == "/api/v1/health")
      return httplib::Server::HandlerResponse::Unhandled;

    std::string token;
    bool via_cookie = false;
    std::string authz = req.get_header_value("Authorization");
    if (authz.rfind("Bearer ", 0) == 0) {
      token = authz.substr(7);
    } else {
      token = CookieToken(req);
      via_cookie = true;
    }
    auto auth = app.Authenticate(token, tl_ctx.request_id);
    if (!auth) {
      SetError(res, auth.error());
      return httplib::Server::HandlerResponse::Handled;
    }
    if (via_cookie && IsWrite(req.method) &&
        !privacy::SafeEquals(req.get_header_value("X-CSRF-Token"), auth->csrf_token)) {
      SetError(res, Error{ErrorCode::kForbidden, "csrf_token_invalid",
                          "a write with a session cookie needs the X-CSRF-Token header that "
                          "login returned",
                          "X-CSRF-Token"});
      return httplib::Server::HandlerResponse::Handled;
    }
    tl_ctx.token = token;
    tl_ctx.auth = std::move(*auth);
    return httplib::Server::HandlerResponse::Unhandled;
  }

  void Routes() {
    auto& s = server;
    s.Get("/api/v1/health", Wrap([this](const auto&, auto& res) -> Status {
      SetJson(res, 200, {{"status", "ok"}, {"schema_version", app.Store().SchemaVersion()}});
      return {};
    }));

    s.Post("/api/v1/auth/login", Wrap([this](const auto& req, auto& res) -> Status {
      TRY(Json body, ParseBody(req));
      domain::JsonReader r(body);
      TRY_STATUS(r.OnlyKeys({"username", "password"}));
      TRY(std::string username, r.String("username"));
      TRY(std::string password, r.String("password"));
      TRY(auto login, app.Login(username, password, req.remote_addr, tl_ctx.request_id));
      int max_age = app.config().session_hours * 3600;
      res.set_header("Set-Cookie",
                     fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict",
                                 kCookieName, login.token, max_age));
      SetJson(res, 200,
              {{"token", login.token},
               {"csrf_token", login.csrf_token},
               {"expires_at", FormatTimestamp(login.expires_at)},
               {"user", domain::UserToJson(login.user)}});
      return {};
    }));

    s.Post("/api/v1/auth/logout", Wrap([this](const auto&, auto& res) -> Status {
      TRY_STATUS(app.Logout(Actor(), tl_ctx.token));
      res.set_header("Set-Cookie", fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
                                               kCookieName));
      res.status = 204;
      return {};
    }));

    s.Get("/api/v1/me", Wrap([this](const auto&, auto& res) -> Status {
      TRY(auto user, app.Me(Actor()));
      SetJson(res, 200, domain::UserToJson(user));
      return {};
    }));

    s.Get("/api/v1/organizations", Wrap([this](const auto& req, auto& res) -> Status {
      TRY(auto page, PageParams(req));
      TRY(auto result, app.ListOrganizations(Actor(), page));
      SetJson(res, 200, PageJson(result, domain::OrganizationToJson));
      return {};
    }));

    s.Get(R"(/api/v1/organizations/([^/]+))", Wrap([this](const auto& req, auto& res) -> Status {
      auto id = PathId(req);
      if (!id) return Fail(ErrorCode::kNotFound, "not_found", "no such organisation");
      TRY(auto org, app.GetOrganization(Actor(), *id));
      SetJson(res, 200, domain::OrganizationToJson(org));
      return {};
    }));

    s.Post("/api/v1/organizations", Wrap([this](const auto& req, auto& res) -> Status {
      TRY(Json body, ParseBody(req));
      domain::JsonReader r(body);
      TRY_STATUS(r.OnlyKeys({"name", "kind", "region"}));
      domain::Organization o;
      TRY(o.name, r.String("name"));
      TRY(o.kind, r.RequiredEnum<domain::OrgKind>("kind"));
      TRY(o.region, r.OptionalString("region"));
      TRY(auto created, app.CreateOrganization(Actor(), o, WriteOptionsOf(req)));
      SetJson(res, 201, domain::OrganizationToJson(created));
      return {};
    }));

    s.Get("/api/v1/users", Wrap([this](const auto& req, auto& res) -> Status {
      TRY(auto page, PageParams(req));
      TRY(auto result, app.ListUsers(Actor(), page));
      SetJson(res, 200, PageJson(result, domain::UserToJson));
      return {};
    }));

    s.Post("/api/v1/users", Wrap([this](const auto& req, auto& res) -> Status {
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
      TRY(auto created, app.CreateUser(Actor(), u, WriteOptionsOf(req)));
      SetJson(res, 201, domain::UserToJson(created));
      return {};
    }));

    s.Get("/api/v1/cases", Wrap([this](const auto& req, auto& res) -> Status {
      app::CaseQuery q;
      TRY(q.page, PageParams(req));
      if (req.has_param("status")) {
        auto st = domain::ParseEnum<domain::CaseStatus>(req.get_param_value("status"));
        if (!st)
          return Invalid("status", "must be one of " + domain::AllowedNames<domain::CaseStatus>());
        q.status = st;
      }
      if (req.has_param("year")) {
        TRY(int year, IntParam(req, "year", 0, 1900, 2200));
        q.year = year;
      }
      if (req.has_param("organization_id")) {
        TRY(int org, IntParam(req, "organization_id", 0, 1, std::numeric_limits<int>::max()));
        q.organization_id = org;
      }
      TRY(auto result, app.ListCases(Actor(), q));
      SetJson(res, 200, PageJson(result, domain::CaseToJson));
      return {};
    }));

    s.Post("/api/v1/cases", Wrap([this](const auto& req, auto& res) -> Status {
      TRY(Json body, ParseBody(req));
      TRY(auto input, domain::NewCaseFromJson(body));
      TRY(auto created, app.CreateCase(Actor(), input, WriteOptionsOf(req)));
      Json j = domain::CaseToJson(created.c);
      j["known_elsewhere"] = KnownElsewhereJson(created.known_elsewhere);
      SetJson(res, 201, j);
      return {};
    }));

    s.Get(R"(/api/v1/cases/([^/]+))", Wrap([this](const auto& req, auto& res) -> Status {
      auto id = PathId(req);
      if (!id) return Fail(ErrorCode::kNotFound, "not_found", "no such case");
      TRY(auto detail, app.GetCase(Actor(), *id));
      SetJson(res, 200, CaseDetailJson(detail));
      return {};
    }));

    s.Get(R"(/api/v1/cases/([^/]+)/identity)", Wrap([this](const auto& req, auto& res) -> Status {
      auto id = PathId(req);
      if (!id) return Fail(ErrorCode::kNotFound, "not_found", "no such case");
      TRY(auto identity, app.ViewIdentity(Actor(), *id, req.get_param_value("reason")));
      SetJson(res, 200, domain::IdentityToJson(identity));
      return {};
    }));

    s.Post(R"(/api/v1/cases/([^/]+)/transitions)",
           Wrap([this](const auto& req, auto& res) -> Status {
             auto id = PathId(req);
             if (!id) return Fail(ErrorCode::kNotFound, "not_found", "no such case");
             TRY(Json body, ParseBody(req));
             domain::JsonReader r(body);
             TRY_STATUS(r.OnlyKeys({"to", "note", "on"}));
             app::TransitionRequest t;
             TRY(t.to, r.RequiredEnum<domain::CaseStatus>("to"));
             TRY(t.note, r.String("note", false));
             TRY(t.on, r.OptionalDate("on"));
             TRY(auto c, app.Transition(Actor(), *id, t, WriteOptionsOf(req)));
             TRY(auto detail, app.GetCase(Actor(), c.id));
             SetJson(res, 200, CaseDetailJson(detail));
             return {};
           }));

    s.Post("/api/v1/persons/lookup", Wrap([this](const auto& req, auto& res) -> Status {
      TRY(Json body, ParseBody(req));
      TRY(auto identity, domain::IdentityFromJson(body, ""));
      TRY(auto result, app.LookupPerson(Actor(), identity));
      Json own = Json::array();
      for (const auto& c : result.own_cases) own.push_back({{"id", c.id}, {"code", c.code}});
      SetJson(res, 200, {{"own_cases", own}, {"known_elsewhere", KnownElsewhereJson(result.elsewhere)}});
      return {};
    }));

    s.Get("/api/v1/audit", Wrap([this](const auto& req, auto& res) -> Status {
      TRY(auto page, PageParams(req));
      TRY(auto result, app.ListAudit(Actor(), page));
      SetJson(res, 200, PageJson(result, AuditJson));
      return {};
    }));
  }

  void Configure() {
    server.new_task_queue = [n = options.threads] { return new httplib::ThreadPool(n); };
    server.set_payload_max_length(options.max_body_bytes);
    server.set_read_timeout(30, 0);
    server.set_write_timeout(30, 0);
    server.set_keep_alive_max_count(100);
    server.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return PreRoute(req, res); });
    server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      switch (res.status) {
        case 404:
          SetError(res, Error{ErrorCode::kNotFound, "not_found",
                              fmt::format("no such endpoint: {} {}", req.method, req.path), {}});
          break;
        case 413:
          SetError(res, Error{ErrorCode::kTooLarge, "too_large",
                              "the request body is over the size limit", "body"});
          break;
        case 405:
          SetJson(res, 405, {{"error", {{"code", "method_not_allowed"},
                                        {"message", "this method is not allowed here"}}}});
          break;
        default:
          SetJson(res, res.status, {{"error", {{"code", "http_error"},
                                               {"message", fmt::format("HTTP {}", res.status)}}}});
      }
    });
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      // The path only: a query string may carry a stated reason or other free text.
      auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - tl_ctx.started)
                    .count() /
                1000.0;
      spdlog::info("request_id={} method={} path={} status={} user={} ms={:.1f}",
                   tl_ctx.request_id, req.method, req.path, res.status,
                   tl_ctx.auth ? tl_ctx.auth->actor.user_id : 0, ms);
    });
    Routes();
  }
};

Server::Server(app::App& app, ServerOptions options)
    : impl_(std::make_unique<Impl>(app, std::move(options))) {
  impl_->Configure();
}

Server::~Server() = default;

Status Server::Bind() {
  if (impl_->options.port == 0) {
    port_ = impl_->server.bind_to_any_port(impl_->options.bind);
  } else if (impl_->server.bind_to_port(impl_->options.bind, impl_->options.port)) {
    port_ = impl_->options.port;
  } else {
    port_ = -1;
  }
  if (port_ <= 0)
    return Fail(ErrorCode::kInternal, "bind_failed",
                fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                            impl_->options.bind, impl_->options.port));
  return {};
}

Status Server::Run() {
  if (!impl_->server.listen_after_bind())
    return Internal("the server stopped unexpectedly");
  return {};
}

void Server::Stop() { impl_->server.stop(); }

}  // namespace haven::http
