#include "http/server.h"

#include <charconv>
#include <chrono>
#include <regex>

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "app/log.h"
#include "common/files.h"
#include "http/support.h"
#include "privacy/crypto.h"

namespace haven::http {
namespace {

// httplib runs pre-routing, the handler and the logger of one request on the
// same worker thread, one request at a time, so a thread-local is exact here.
thread_local RequestContext tl_ctx;

std::string CookieToken(const httplib::Request& req) {
  std::string cookies = req.get_header_value("Cookie");
  const std::string needle = "haven_session=";
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

// /api/v1/cases/{id} -> ^/api/v1/cases/([^/]+)$ as httplib wants it.
std::string PathRegex(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      out += "([^/]+)";
      i = path.find('}', i);
    } else {
      out += path[i];
    }
  }
  return out;
}

// Whether `path` has the shape of `pattern` (/api/v1/cases/{id}): what the regex of
// PathRegex matches, each {name} one non-empty segment.
bool MatchesPattern(std::string_view pattern, std::string_view path) {
  for (;;) {
    const std::size_t brace = pattern.find('{');
    if (brace == std::string_view::npos) return pattern == path;
    if (path.substr(0, brace) != pattern.substr(0, brace)) return false;
    path.remove_prefix(brace);
    pattern.remove_prefix(pattern.find('}', brace) + 1);
    const std::size_t segment = std::min(path.find('/'), path.size());
    if (segment == 0) return false;
    path.remove_prefix(segment);
  }
}

// The last OpenSSL error, for a message.
std::string OpenSslError() {
  char text[256] = "unknown error";
  if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, text, sizeof text);
  ERR_clear_error();
  return text;
}

// The listener: plain HTTP, or TLS 1.2 and later with the certificate and key of
// `options`. Refuses a key that others than its owner may read, like the keyring.
Result<std::unique_ptr<httplib::Server>> MakeListener(const ServerOptions& options) {
  if (options.tls_certificate.empty() && options.tls_key.empty())
    return std::make_unique<httplib::Server>();
  TRY_STATUS(RequireOwnerOnly(options.tls_key, "TLS key (server.tls_key)", "tls_key"));
  if (!std::filesystem::is_regular_file(options.tls_certificate))
    return Fail(ErrorCode::kNotFound, "tls_certificate_missing",
                fmt::format("TLS certificate (server.tls_certificate) {} not found",
                            options.tls_certificate.string()));
  const std::string cert = options.tls_certificate.string(), key = options.tls_key.string();
  std::string problem;
  auto server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    ERR_clear_error();
    // TLS 1.0 and 1.1 are broken; no compression (CRIME), no renegotiation.
    if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1) {
      problem = "cannot require TLS 1.2: " + OpenSslError();
      return false;
    }
    SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE);
    // An encrypted key would ask for its passphrase on the terminal: refuse it instead.
    SSL_CTX_set_default_passwd_cb(&ctx, [](char*, int, int, void*) { return 0; });
    if (SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) != 1) {
      problem = fmt::format("cannot read the TLS certificate {} (PEM expected): {}", cert,
                            OpenSslError());
      return false;
    }
    if (SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
      problem = fmt::format("cannot read the TLS key {} (an unencrypted PEM key expected): {}",
                            key, OpenSslError());
      return false;
    }
    if (SSL_CTX_check_private_key(&ctx) != 1) {
      problem = fmt::format("the TLS key {} is not the key of the certificate {}", key, cert);
      return false;
    }
    return true;
  });
  if (!problem.empty() || !server->is_valid())
    return Fail(ErrorCode::kValidation, "tls_invalid",
                problem.empty() ? "cannot set up TLS: " + OpenSslError() : problem,
                "server.tls_certificate");
  return server;
}

// The headers every response carries; HSTS only over TLS: over plain HTTP a browser
// ignores it, and it must not invite one to pin a server that speaks no TLS.
void SetSecurityHeaders(httplib::Response& res, bool tls) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
  res.set_header("Cache-Control", "no-store");
  if (tls) res.set_header("Strict-Transport-Security", "max-age=31536000");
}

std::vector<Route> AllRoutes() {
  std::vector<Route> all;
  // PreventionRoutes before ReportRoutes: /reports/awareness before /reports/{name}.
  for (auto table : {CoreRoutes, CaseworkRoutes, AssistanceRoutes, CoalitionRoutes, StageRoutes,
                     PreventionRoutes, CooperationRoutes, ReportRoutes, VocabularyRoutes})
    for (auto& route : table()) all.push_back(std::move(route));
  return all;
}

// A session that must take one step first reaches nothing but that step, who she is and
// signing out: a one-time password opens nothing but its own replacement; an account whose
// role must have a second factor and has none, nothing but enrolling one. The one place for
// such rules: the error to answer with, or nullopt when `path` is open to the session.
std::optional<Error> Confinement(const app::Authenticated& auth, const std::string& path) {
  static const std::vector<std::string> kAlways = {"/api/v1/me", "/api/v1/auth/session",
                                                   "/api/v1/auth/logout"};
  if (std::find(kAlways.begin(), kAlways.end(), path) != kAlways.end()) return std::nullopt;
  if (auth.password_change_required) {
    if (path == "/api/v1/me/password") return std::nullopt;
    return Error{ErrorCode::kForbidden, "password_change_required",
                 "you signed in with a one-time password: choose your own first "
                 "(POST /api/v1/me/password)",
                 {}};
  }
  if (auth.second_factor_enrolment_required) {
    static const std::vector<std::string> kEnrolment = {
        "/api/v1/me/second-factor", "/api/v1/me/second-factor/enrolment",
        "/api/v1/me/second-factor/confirm"};
    if (std::find(kEnrolment.begin(), kEnrolment.end(), path) != kEnrolment.end())
      return std::nullopt;
    return Error{ErrorCode::kForbidden, "second_factor_enrolment_required",
                 "your role signs in with a second factor: enrol your authenticator app first "
                 "(POST /api/v1/me/second-factor/enrolment)",
                 {}};
  }
  return std::nullopt;
}

}  // namespace

std::vector<RouteInfo> Server::RouteTable() {
  std::vector<RouteInfo> out;
  for (const auto& r : AllRoutes()) out.push_back({r.method, r.path, r.is_public, r.query});
  return out;
}

struct Server::Impl {
  app::App& app;
  ServerOptions options;
  // Why the listener could not be made (Bind reports it); then `server` is a plain
  // one that is never bound.
  Status setup;
  std::unique_ptr<httplib::Server> server;
  std::vector<std::string> public_paths;
  // (method, path pattern) of every route in registration order, for the log.
  std::vector<std::pair<std::string, std::string>> patterns;

  Impl(app::App& a, ServerOptions o) : app(a), options(std::move(o)) {
    auto listener = MakeListener(options);
    if (listener) {
      server = std::move(*listener);
    } else {
      setup = std::unexpected(listener.error());
      server = std::make_unique<httplib::Server>();
    }
  }

  bool DirectTls() const { return !options.tls_certificate.empty(); }

  // What the log says of the path: the pattern of the route it matched, or the asset
  // of the web application; never the path itself, where anything may be written.
  std::string_view RouteOf(const httplib::Request& req) const {
    std::string_view method = req.method;
    if (method == "HEAD") method = "GET";
    const std::pair<std::string, std::string>* any_method = nullptr;
    for (const auto& p : patterns) {
      if (!MatchesPattern(p.second, req.path)) continue;
      if (p.first == method) return p.second;
      if (!any_method) any_method = &p;
    }
    if (any_method) return any_method->second;
    if (options.ui && method == "GET" && req.path.rfind("/api/", 0) != 0) {
      const UiAssets::File* file = options.ui->Find(req.path);
      if (file == &options.ui->Page()) return "<page>";
      if (file) return req.path;  // the name of one of its files, nothing a user typed
    }
    return "<unmatched>";
  }

  // One line per request (app/log.h), written after the response.
  void LogRequest(const httplib::Request& req, const httplib::Response& res) const {
    nlohmann::ordered_json fields;
    fields["request_id"] = tl_ctx.request_id.empty()
                               ? nlohmann::ordered_json()
                               : nlohmann::ordered_json(tl_ctx.request_id);
    fields["method"] = req.method;
    const std::string_view route = RouteOf(req);
    fields["route"] = std::string(route);
    // The length alone: enough to tell probing from a typo, and says nothing else.
    if (route == "<unmatched>") fields["path_bytes"] = req.path.size();
    fields["status"] = res.status;
    fields["user"] = tl_ctx.auth ? nlohmann::ordered_json(tl_ctx.auth->actor.user_id)
                                 : nlohmann::ordered_json();
    fields["tls"] = tl_ctx.tls;
    if (tl_ctx.started != std::chrono::steady_clock::time_point{}) {
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - tl_ctx.started)
                          .count();
      fields["ms"] = static_cast<double>(us) / 1000.0;
    }
    app::LogEvent(spdlog::level::info, "request", std::move(fields));
  }

  // Authentication and CSRF, before the body is read.
  httplib::Server::HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res) {
    tl_ctx = RequestContext{};
    tl_ctx.started = std::chrono::steady_clock::now();
    tl_ctx.request_id = privacy::RandomToken(9);
    tl_ctx.client = ClientAddress(req, app.config().trusted_proxies);
    tl_ctx.tls = DirectTls() || ForwardedOverTls(req, app.config().trusted_proxies);
    res.set_header("X-Request-Id", tl_ctx.request_id);
    SetSecurityHeaders(res, tl_ctx.tls);

    const std::string& path = req.path;
    if (path.rfind("/api/", 0) != 0) return httplib::Server::HandlerResponse::Unhandled;
    if (std::find(public_paths.begin(), public_paths.end(), path) != public_paths.end())
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
      SetError(res, auth.error(), tl_ctx.request_id);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (via_cookie && IsWrite(req.method) &&
        !privacy::SafeEquals(req.get_header_value("X-CSRF-Token"), auth->csrf_token)) {
      SetError(res,
               Error{ErrorCode::kForbidden, "csrf_token_invalid",
                     "a write with a session cookie needs the X-CSRF-Token header that login "
                     "returned",
                     "X-CSRF-Token"},
               tl_ctx.request_id);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (auto confined = Confinement(*auth, path)) {
      SetError(res, *confined, tl_ctx.request_id);
      return httplib::Server::HandlerResponse::Handled;
    }
    tl_ctx.token = token;
    tl_ctx.auth = std::move(*auth);
    return httplib::Server::HandlerResponse::Unhandled;
  }

  void Register(const Route& route) {
    if (route.is_public) public_paths.push_back(route.path);
    // The last line of defence against exceptions; nothing more.
    const std::size_t max_body =
        route.max_body_bytes ? route.max_body_bytes : options.max_body_bytes;
    httplib::Server::Handler h = [this, handler = route.handler, query = route.query, max_body](
                                     const httplib::Request& req, httplib::Response& res) {
      try {
        if (req.body.size() > max_body)
          return SetError(res, Error{ErrorCode::kTooLarge, "too_large",
                                     fmt::format("the request body is over the size limit of "
                                                 "this endpoint ({} bytes)",
                                                 max_body),
                                     "body"},
                          tl_ctx.request_id);
        // An unknown query parameter is refused like an unknown JSON field: a filter the
        // caller believes applied, and did not, is worse than an error.
        for (const auto& [name, value] : req.params)
          if (std::find(query.begin(), query.end(), name) == query.end())
            return SetError(res, Error{ErrorCode::kValidation, "invalid_field",
                                       "is not a parameter of this endpoint", name},
                            tl_ctx.request_id);
        if (auto st = handler(app, req, res, tl_ctx); !st)
          SetError(res, st.error(), tl_ctx.request_id);
      } catch (const std::exception& e) {
        SetError(res, Error{ErrorCode::kInternal, "internal",
                            fmt::format("unhandled exception: {}", e.what()), {}},
                 tl_ctx.request_id);
      } catch (...) {
        SetError(res, Error{ErrorCode::kInternal, "internal", "unhandled exception", {}},
                 tl_ctx.request_id);
      }
    };
    patterns.emplace_back(route.method, route.path);
    std::string pattern = PathRegex(route.path);
    std::string_view m = route.method;
    if (m == "GET") server->Get(pattern, h);
    else if (m == "POST") server->Post(pattern, h);
    else if (m == "PUT") server->Put(pattern, h);
    else if (m == "PATCH") server->Patch(pattern, h);
    else if (m == "DELETE") server->Delete(pattern, h);
  }

  void Configure() {
    server->new_task_queue = [n = options.threads] { return new httplib::ThreadPool(n); };
    // The largest body any route reads; each route checks its own limit.
    std::size_t payload = options.max_body_bytes;
    for (const auto& route : AllRoutes()) payload = std::max(payload, route.max_body_bytes);
    server->set_payload_max_length(payload);
    server->set_read_timeout(30, 0);
    server->set_write_timeout(30, 0);
    server->set_keep_alive_max_count(100);
    server->set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return PreRoute(req, res); });
    server->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      // A request httplib refused before pre-routing (a malformed request line, a URI
      // too long) has none of the headers yet.
      if (!res.has_header("X-Content-Type-Options")) SetSecurityHeaders(res, DirectTls());
      if (!res.body.empty()) return;
      switch (res.status) {
        case 404:
          SetError(res,
                   Error{ErrorCode::kNotFound, "not_found",
                         fmt::format("no such endpoint: {} {}", req.method, req.path), {}},
                   tl_ctx.request_id);
          break;
        case 413:
          SetError(res,
                   Error{ErrorCode::kTooLarge, "too_large",
                         "the request body is over the size limit", "body"},
                   tl_ctx.request_id);
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
    server->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      LogRequest(req, res);
      // A request refused before pre-routing must not be logged with this one's id.
      tl_ctx = RequestContext{};
    });
    for (const auto& route : AllRoutes()) Register(route);
    server->Get("/.*", [this](const httplib::Request& req, httplib::Response& res) {
      ServeUi(req, res);
    });
  }

  // Everything outside /api/ is the web application: hashed assets cached for a year,
  // the page itself never, under a policy that runs no inline script and no eval.
  void ServeUi(const httplib::Request& req, httplib::Response& res) const {
    if (req.path.rfind("/api/", 0) == 0) {
      res.status = 404;  // the error handler names the endpoint
      return;
    }
    if (!options.ui)
      return SetError(res,
                      Error{ErrorCode::kNotFound, "ui_not_built",
                            "this server has no web application (build it with `make`, or set "
                            "server.ui_dir in haven.toml); the API is under /api/v1/",
                            {}},
                      tl_ctx.request_id);
    const UiAssets::File* file = options.ui->Find(req.path);
    if (!file) {
      res.status = 404;
      return;
    }
    res.headers.erase("Cache-Control");
    res.headers.erase("Content-Security-Policy");
    if (file->immutable) {
      res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    } else {
      res.set_header("Cache-Control", "no-store");
    }
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src 'self'; "
                   "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
                   "object-src 'none'; base-uri 'none'; form-action 'self'; "
                   "frame-ancestors 'none'");
    // The server compresses as the browser accepts: a cache in front must keep them apart.
    res.set_header("Vary", "Accept-Encoding");
    res.status = 200;
    res.set_content(file->body, file->content_type);
  }
};

Server::Server(app::App& app, ServerOptions options)
    : impl_(std::make_unique<Impl>(app, std::move(options))) {
  impl_->Configure();
}

Server::~Server() = default;

Status Server::Bind() {
  if (!impl_->setup) return impl_->setup;
  if (impl_->options.port == 0) {
    port_ = impl_->server->bind_to_any_port(impl_->options.bind);
  } else if (impl_->server->bind_to_port(impl_->options.bind, impl_->options.port)) {
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
  if (!impl_->server->listen_after_bind())
    return Internal("the server stopped unexpectedly");
  return {};
}

void Server::Stop() { impl_->server->stop(); }

}  // namespace haven::http
