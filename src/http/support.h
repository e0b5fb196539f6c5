#pragma once
// Private to src/http: the route table type and the small helpers every handler
// uses to parse a request and render a response. Handlers stay thin: parse,
// call one app function, render.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "app/app.h"
#include "domain/codec.h"

namespace haven::http {

using domain::Json;

// What pre-routing established for the request in hand.
struct RequestContext {
  std::string request_id;
  std::optional<app::Authenticated> auth;
  std::string token;
  std::chrono::steady_clock::time_point started;
  // The client's address: the connecting one, or what a trusted proxy says (ClientAddress).
  std::string client;
  // Whether the request came over TLS: to this server directly, or to a trusted proxy
  // that says so (ForwardedOverTls). Cookies set over TLS are `Secure`.
  bool tls = false;

  // REQUIRES: the route is not public (authentication ran).
  const app::Actor& Actor() const { return auth->actor; }
};

using Handler = std::function<Status(app::App&, const httplib::Request&, httplib::Response&,
                                     const RequestContext&)>;

struct Route {
  const char* method;  // GET, POST, ...
  // OpenAPI-style path, e.g. /api/v1/cases/{id}; each {name} matches one segment
  // and is available as req.matches[1], [2], ... in order.
  const char* path;
  bool is_public;  // no authentication (login, health)
  Handler handler;
  std::vector<std::string> query = {};  // the query parameters it takes
  // The largest body it reads, in bytes; 0: the server's max_body_bytes.
  std::size_t max_body_bytes = 0;
};

// The route tables, one per area; server.cc registers them all.
std::vector<Route> CoreRoutes();        // core_routes.cc
std::vector<Route> AssistanceRoutes();  // assistance_routes.cc
std::vector<Route> CoalitionRoutes();   // coalition_routes.cc
std::vector<Route> CaseworkRoutes();    // casework_routes.cc
std::vector<Route> ReportRoutes();      // report_routes.cc
std::vector<Route> StageRoutes();       // stage_routes.cc
std::vector<Route> PreventionRoutes();  // prevention_routes.cc
std::vector<Route> CooperationRoutes(); // cooperation_routes.cc
std::vector<Route> VocabularyRoutes();  // vocabulary_routes.cc

int StatusFor(ErrorCode code);
void SetJson(httplib::Response& res, int status, const Json& body);
void SetError(httplib::Response& res, const Error& e, const std::string& request_id);
Result<Json> ParseBody(const httplib::Request& req);
Result<int> IntParam(const httplib::Request& req, const std::string& name, int def, int min,
                     int max);
Result<app::PageRequest> PageParams(const httplib::Request& req);
// An optional query parameter naming a value of a closed vocabulary.
template <typename E>
Result<std::optional<E>> EnumParam(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name)) return std::optional<E>();
  auto e = domain::ParseEnum<E>(req.get_param_value(name));
  if (!e) return Invalid(name, "must be one of " + domain::AllowedNames<E>());
  return e;
}
// An optional query parameter true or false.
Result<std::optional<bool>> BoolParam(const httplib::Request& req, const std::string& name);
// The numeric path parameter `index`; a kNotFound error naming `what` otherwise.
Result<domain::Id> PathId(const httplib::Request& req, std::string_view what, int index = 1);
app::WriteOptions WriteOptionsOf(const httplib::Request& req);
// The client a request comes from: the connecting address, unless that is one of
// `trusted_proxies`; then the right-most address of X-Forwarded-For (all such headers,
// in order) that is not itself a trusted proxy. A proxy appends the address it saw,
// so everything left of that is the client's own say and never believed.
std::string ClientAddress(const httplib::Request& req,
                          const std::vector<std::string>& trusted_proxies);

// Whether a trusted proxy received the request over TLS: the connecting address is one
// of `trusted_proxies` and the right-most value of its last X-Forwarded-Proto header is
// https. From anyone else the header is the client's own say and never believed.
bool ForwardedOverTls(const httplib::Request& req,
                      const std::vector<std::string>& trusted_proxies);

// A case as the caller may see it (core_routes.cc): facts, transitions and access.
Json CaseDetailJson(const app::CaseDetail& d);

// {"items": [render(row)...]} for a list that is not paged.
template <typename T, typename F>
Json ItemsJson(const std::vector<T>& rows, F render) {
  Json items = Json::array();
  for (const auto& r : rows) items.push_back(render(r));
  return Json{{"items", std::move(items)}};
}

template <typename T, typename F>
Json PageJson(const app::Page<T>& page, F render) {
  Json items = Json::array();
  for (const auto& item : page.items) items.push_back(render(item));
  return Json{{"items", std::move(items)},
              {"next_cursor", page.next_cursor ? Json(*page.next_cursor) : Json(nullptr)}};
}

}  // namespace haven::http
