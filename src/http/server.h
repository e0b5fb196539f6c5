#pragma once
// The HTTP adapter: translates requests into `app` calls and results into JSON
// responses (DESIGN §6). Thin by design: parse, call one app function, render.
// Thread-safe: the server runs handlers on its own worker threads.

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
#include "http/ui_assets.h"

namespace haven::http {

struct ServerOptions {
  // Address to listen on. Loopback by default; nginx terminates TLS in front, unless
  // the server speaks TLS itself (tls_certificate below).
  std::string bind = "127.0.0.1";
  // Port; 0 picks a free one (see Server::port() after Bind()).
  int port = 8080;
  // Worker threads.
  int threads = 8;
  // Bodies over this many bytes are refused with 413 before they are read.
  std::size_t max_body_bytes = 1 << 20;
  // The web application served from / (everything outside /api/); none: API only.
  std::shared_ptr<const UiAssets> ui;
  // TLS (1.2 and later) with this certificate chain and private key, PEM files; both
  // empty: plain HTTP. The key must be readable by its owner only, and not encrypted.
  // Every response over TLS carries Strict-Transport-Security.
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_key;
};

// One row of the route table, for documentation checks.
struct RouteInfo {
  std::string method;
  std::string path;  // OpenAPI style: /api/v1/cases/{id}
  bool is_public = false;
  std::vector<std::string> query;  // the query parameters it takes; any other is refused
};

class Server {
 public:
  // Every route the server answers, in registration order.
  static std::vector<RouteInfo> RouteTable();

  Server(app::App& app, ServerOptions options);
  ~Server();

  // Binds the socket; after this, port() is known. Fails, too, when TLS cannot be set
  // up (a missing or unreadable certificate, a key that others may read).
  Status Bind();
  int port() const { return port_; }
  // Serves until Stop() is called (from any thread). REQUIRES: Bind() succeeded.
  Status Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace haven::http
