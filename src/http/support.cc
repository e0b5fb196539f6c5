#include "http/support.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cctype>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/log.h"
#include "privacy/crypto.h"

namespace haven::http {

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnprocessable: return 422;
    case ErrorCode::kGone: return 410;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

void SetJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  // Replace, never throw: a message may quote bytes of a malformed request.
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

void SetError(httplib::Response& res, const Error& e, const std::string& request_id) {
  bool internal = e.code == ErrorCode::kInternal;
  Json err = {{"code", e.reason.empty() ? std::string(ErrorCodeName(e.code)) : e.reason},
              {"message", internal ? "an internal error occurred; it was logged with request id " +
                                         request_id
                                   : e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  if (internal)
    app::LogEvent(spdlog::level::err, "internal_error",
                  {{"request_id", request_id}, {"message", e.message}});
  SetJson(res, StatusFor(e.code), Json{{"error", err}});
}

Result<Json> ParseBody(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  // A request without a body (approve, logout, unlock) needs no Content-Type: it is an
  // empty object, and the handler names what is missing from it.
  if (req.body.empty() && type.empty()) return Json::object();
  if (type.rfind("application/json", 0) != 0)
    return Invalid("body", "must be JSON sent with Content-Type: application/json");
  Json j = Json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    // Parse again for the parser's own description (position, invalid UTF-8, ...).
    try {
      auto reparsed = Json::parse(req.body);
      (void)reparsed;
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

Result<std::optional<bool>> BoolParam(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name)) return std::optional<bool>();
  const std::string v = req.get_param_value(name);
  if (v == "true") return std::optional<bool>(true);
  if (v == "false") return std::optional<bool>(false);
  return Invalid(name, "must be true or false");
}

Result<app::PageRequest> PageParams(const httplib::Request& req) {
  app::PageRequest p;
  TRY(p.limit, IntParam(req, "limit", 50, 1, 200));
  p.cursor = req.get_param_value("cursor");
  return p;
}

Result<domain::Id> PathId(const httplib::Request& req, std::string_view what, int index) {
  const std::string s = req.matches[index];
  domain::Id id = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || ptr != s.data() + s.size() || id <= 0)
    return Fail(ErrorCode::kNotFound, "not_found", fmt::format("no such {}", what));
  return id;
}

namespace {

bool Trusted(const std::vector<std::string>& trusted_proxies, std::string_view address) {
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) !=
         trusted_proxies.end();
}

}  // namespace

bool ForwardedOverTls(const httplib::Request& req,
                      const std::vector<std::string>& trusted_proxies) {
  const std::size_t n = req.get_header_value_count("X-Forwarded-Proto");
  if (n == 0 || !Trusted(trusted_proxies, req.remote_addr)) return false;
  const std::string value = req.get_header_value("X-Forwarded-Proto", n - 1);
  std::string last = value.substr(value.rfind(',') + 1);  // npos + 1: the whole value
  std::erase_if(last, [](char c) { return c == ' ' || c == '\t'; });
  std::transform(last.begin(), last.end(), last.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return last == "https";
}

std::string ClientAddress(const httplib::Request& req,
                          const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](std::string_view a) { return Trusted(trusted_proxies, a); };
  if (!trusted(req.remote_addr)) return req.remote_addr;
  std::vector<std::string> hops;
  const std::size_t n = req.get_header_value_count("X-Forwarded-For");
  for (std::size_t i = 0; i < n; ++i) {
    std::string value = req.get_header_value("X-Forwarded-For", i);
    std::size_t start = 0;
    while (start <= value.size()) {
      std::size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      std::string hop = value.substr(start, comma - start);
      const auto first = hop.find_first_not_of(" \t");
      const auto last = hop.find_last_not_of(" \t");
      hops.push_back(first == std::string::npos ? "" : hop.substr(first, last - first + 1));
      start = comma + 1;
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (trusted(*it)) continue;
    // Garbage where an address should be: the proxy did not write it, so the client did;
    // count the request against the proxy rather than against a made-up name.
    unsigned char buf[sizeof(in6_addr)];
    if (inet_pton(AF_INET, it->c_str(), buf) != 1 && inet_pton(AF_INET6, it->c_str(), buf) != 1)
      return req.remote_addr;
    return *it;
  }
  return req.remote_addr;  // only proxies, or no header: the request is the proxy's own
}

app::WriteOptions WriteOptionsOf(const httplib::Request& req) {
  app::WriteOptions w;
  w.idempotency_key = req.get_header_value("Idempotency-Key");
  std::string request = req.method + " " + req.path + "\n";
  if (req.is_multipart_form_data()) {
    // Over the fields, not the raw body: a browser sends the same form again with
    // another boundary.
    for (const auto& [name, part] : req.files)
      request += fmt::format("{}:{}\n{}:{}\n{}\n", name.size(), name, part.content_type,
                             part.content.size(), part.content);
  } else {
    request += req.body;
  }
  w.fingerprint = privacy::Digest(request);
  return w;
}

}  // namespace haven::http
