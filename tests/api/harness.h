#pragma once
// Runs the real `haven` binary as a user would: `haven init` into a fresh
// folder, `haven serve --port 0` on loopback, and an HTTP client against it.

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "privacy/totp.h"

extern char** environ;

namespace haven::testing {

using Json = nlohmann::json;

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// Runs a shell command line to completion.
inline CommandResult RunCommand(std::string cmd) {
  cmd += " 2>&1";
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Runs `haven ARGS...` to completion.
inline CommandResult RunHaven(const std::vector<std::string>& args) {
  std::string cmd = HAVEN_BINARY;
  for (const auto& a : args) {
    cmd += " '";
    for (char c : a) {
      if (c == '\'') cmd += "'\\''"; else cmd += c;
    }
    cmd += "'";
  }
  return RunCommand(cmd);
}

// An instance's haven.toml as `haven init` wrote it, to try other values in. Write()
// starts from that text each time, replaces the first occurrence of each `from` with its
// `to`, and writes the file; a `from` that is not there fails the test.
class HavenToml {
 public:
  explicit HavenToml(const std::filesystem::path& inst) : path_(inst / "haven.toml") {
    std::ifstream in(path_);
    text_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::string& text() const { return text_; }
  void Write(const std::vector<std::pair<std::string, std::string>>& changes) const {
    std::string changed = text_;
    for (const auto& [from, to] : changes) {
      const auto at = changed.find(from);
      if (at == std::string::npos) {
        ADD_FAILURE() << "haven.toml has no " << from << ":\n" << text_;
        continue;
      }
      changed.replace(at, from.size(), to);
    }
    std::ofstream(path_, std::ios::trunc) << changed;
  }
  void Write(const std::string& from, const std::string& to) const { Write({{from, to}}); }

 private:
  std::filesystem::path path_;
  std::string text_;
};

inline std::filesystem::path TempDir(const std::string& tag) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("haven-test-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir;
}

// A running `haven serve` on a free loopback port; stopped with SIGTERM.
class ServerProcess {
 public:
  // `extra_env`: NAME=value entries added to the server's environment.
  explicit ServerProcess(const std::filesystem::path& dir, const std::string& command = "serve",
                         const std::vector<std::string>& extra_env = {}) {
    int pipefd[2];
    if (pipe(pipefd) != 0) throw std::runtime_error("pipe");
    log_path_ = dir / "server.log";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    std::string bin = HAVEN_BINARY;
    std::string dir_s = dir.string();
    std::vector<std::string> args = {bin, command, "--dir", dir_s, "--port", "0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings = extra_env;
    std::vector<char*> env;
    for (char** e = environ; *e; ++e) env.push_back(*e);
    for (auto& e : env_strings) env.push_back(e.data());
    env.push_back(nullptr);
    if (posix_spawn(&pid_, bin.c_str(), &fa, nullptr, argv.data(), env.data()) != 0)
      throw std::runtime_error("cannot start haven");
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    // Read until the "listening on http://…" (or https://) line tells the port.
    FILE* out = fdopen(pipefd[0], "r");
    char line[512];
    while (fgets(line, sizeof line, out)) {
      std::string s(line);
      auto pos = s.find("listening on http");
      if (pos != std::string::npos) {
        auto colon = s.rfind(':');
        port_ = std::stoi(s.substr(colon + 1));
        break;
      }
    }
    stdout_ = out;  // keep the pipe open so that the server never gets SIGPIPE
    if (port_ == 0) throw std::runtime_error("haven serve did not start: " + Log());
  }

  ~ServerProcess() { Stop(); if (stdout_) fclose(stdout_); }

  // SIGTERM and wait; returns the exit status.
  int Stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

  int port() const { return port_; }
  std::string Log() const {
    std::ifstream in(log_path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  pid_t pid_ = 0;
  int port_ = 0;
  int exit_code_ = -1;
  FILE* stdout_ = nullptr;
  std::filesystem::path log_path_;
};

struct Response {
  int status = 0;
  Json body;
  std::string raw;
  httplib::Headers headers;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::string ErrorCode() const {
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
  }
  std::string ErrorField() const {
    return body.is_object() && body.contains("error") ? body["error"].value("field", "") : "";
  }
};

// The authenticator apps of the accounts the harness enrolled, one per server (port) and
// username: the TOTP secret, the last time step used (a step is accepted once) and the
// recovery codes not used yet. Codes come from Haven's own TOTP function, at the server's
// time (its test clock file, when it has one). Thread-safe.
class Authenticators {
 public:
  static Authenticators& Get() {
    static Authenticators instance;
    return instance;
  }

  void Enrolled(int port, const std::string& username, std::string secret, std::int64_t step,
                std::vector<std::string> recovery_codes) {
    std::lock_guard lock(mu_);
    apps_[{port, username}] = App{std::move(secret), step, std::move(recovery_codes)};
  }
  void Forget(int port, const std::string& username) {
    std::lock_guard lock(mu_);
    apps_.erase({port, username});
  }
  void SetClockFile(int port, std::filesystem::path file) {
    std::lock_guard lock(mu_);
    clock_files_[port] = std::move(file);
  }
  // The server's current time step.
  std::int64_t Step(int port) {
    std::lock_guard lock(mu_);
    return StepLocked(port);
  }
  std::optional<std::string> Secret(int port, const std::string& username) {
    std::lock_guard lock(mu_);
    auto it = apps_.find({port, username});
    if (it == apps_.end()) return std::nullopt;
    return it->second.secret;
  }

  // A code that signs in once: the next unused TOTP step within the server's drift window,
  // else a recovery code, else (after waiting for the next step) a TOTP code again.
  std::optional<std::string> Code(int port, const std::string& username) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      {
        std::lock_guard lock(mu_);
        auto it = apps_.find({port, username});
        if (it == apps_.end()) return std::nullopt;
        App& a = it->second;
        const std::int64_t now = StepLocked(port);
        const std::int64_t step = std::max(now - 1, a.last_step + 1);
        if (step <= now + 1) {
          a.last_step = step;
          return privacy::TotpAt(a.secret, step);
        }
        if (!a.recovery_codes.empty()) {
          std::string code = a.recovery_codes.back();
          a.recovery_codes.pop_back();
          return code;
        }
      }
      std::this_thread::sleep_for(std::chrono::seconds(privacy::kTotpStepSeconds));
    }
    return std::nullopt;
  }

 private:
  struct App {
    std::string secret;
    std::int64_t last_step = 0;
    std::vector<std::string> recovery_codes;
  };
  std::int64_t StepLocked(int port) {
    auto f = clock_files_.find(port);
    if (f != clock_files_.end()) return privacy::TotpStep(FileClock(f->second.string()).Now());
    return privacy::TotpStep(SystemClock().Now());
  }
  std::mutex mu_;
  std::map<std::pair<int, std::string>, App> apps_;
  std::map<int, std::filesystem::path> clock_files_;
};

// An HTTP client bound to one server, optionally carrying a bearer token.
class Client {
 public:
  explicit Client(int port) : cli_("127.0.0.1", port), port_(port) {
    cli_.set_read_timeout(60, 0);
    cli_.set_connection_timeout(10, 0);
  }
  // Over TLS to https://127.0.0.1:port, trusting the certificate in `ca_cert_path` only.
  Client(int port, const std::string& ca_cert_path)
      : cli_("https://127.0.0.1:" + std::to_string(port)) {
    cli_.set_read_timeout(60, 0);
    cli_.set_connection_timeout(10, 0);
    cli_.set_ca_cert_path(ca_cert_path.c_str());
    cli_.enable_server_certificate_verification(true);
  }

  void SetToken(std::string token) { token_ = std::move(token); }

  Response Request(const std::string& method, const std::string& path,
                   const std::string& body = "", httplib::Headers headers = {},
                   const std::string& content_type = "application/json") {
    if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
    httplib::Result r{nullptr, httplib::Error::Unknown};
    if (method == "GET") r = cli_.Get(path.c_str(), headers);
    else if (method == "POST") r = cli_.Post(path.c_str(), headers, body, content_type.c_str());
    else if (method == "PUT") r = cli_.Put(path.c_str(), headers, body, content_type.c_str());
    else if (method == "PATCH") r = cli_.Patch(path.c_str(), headers, body, content_type.c_str());
    else if (method == "DELETE") r = cli_.Delete(path.c_str(), headers);
    Response out;
    if (!r) {
      out.status = -1;
      return out;
    }
    out.status = r->status;
    out.raw = r->body;
    out.headers = r->headers;
    out.body = Json::parse(r->body, nullptr, false);
    return out;
  }
  Response Get(const std::string& path, httplib::Headers h = {}) { return Request("GET", path, "", h); }
  Response Post(const std::string& path, const Json& body, httplib::Headers h = {}) {
    return Request("POST", path, body.dump(), h);
  }
  Response Put(const std::string& path, const Json& body, httplib::Headers h = {}) {
    return Request("PUT", path, body.dump(), h);
  }

  // Logs in and keeps the token; returns the login response. As its user would: an account
  // with a second factor the harness enrolled gets a code from its authenticator, and one
  // whose role must have a second factor and has none yet is enrolled at once (Enrol).
  Response Login(const std::string& username, const std::string& password) {
    token_.clear();
    Json body = {{"username", username}, {"password", password}};
    auto r = Post("/api/v1/auth/login", body);
    if (r.status == 401 && r.ErrorCode() == "second_factor_required") {
      if (auto code = Authenticators::Get().Code(port_, username)) {
        body["code"] = *code;
        r = Post("/api/v1/auth/login", body);
      }
    }
    if (r.status == 200) token_ = r.body["token"].get<std::string>();
    if (r.status == 200 && r.body.value("second_factor_enrolment_required", false)) {
      EXPECT_EQ(Enrol(username).status, 200) << "enrolment of " << username;
    }
    return r;
  }

  // Enrols an authenticator for the signed-in user and remembers it (Authenticators);
  // returns the confirmation, with the recovery codes.
  Response Enrol(const std::string& username) {
    auto started = Post("/api/v1/me/second-factor/enrolment", Json::object());
    if (started.status != 201) return started;
    auto secret = privacy::DecodeBase32(started.body["secret"].get<std::string>());
    if (!secret) return started;
    // The step before now: the next two sign-ins can use now and the one after.
    const std::int64_t step = Authenticators::Get().Step(port_) - 1;
    auto confirmed = Post("/api/v1/me/second-factor/confirm",
                          {{"code", privacy::TotpAt(*secret, step)}});
    if (confirmed.status == 200)
      Authenticators::Get().Enrolled(port_, username, *secret, step,
                                     confirmed.body["recovery_codes"].get<std::vector<std::string>>());
    return confirmed;
  }

  int port() const { return port_; }

 private:
  httplib::Client cli_;
  int port_ = 0;
  std::string token_;
};

// The whole audit log, oldest first, read page by page by `auditor`; `raw` (if given)
// gets every page's text, for checking what never appears in it.
inline std::vector<Json> ReadAuditLog(Client& auditor, std::string* raw = nullptr) {
  std::vector<Json> out;
  std::string cursor;
  do {
    auto r = auditor.Get("/api/v1/audit?limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(r.status, 200) << r.raw;
    if (r.status != 200) break;
    if (raw) *raw += r.raw;
    for (const auto& e : r.body["items"]) out.push_back(e);
    cursor = r.body["next_cursor"].is_null() ? "" : r.body["next_cursor"].get<std::string>();
  } while (!cursor.empty());
  return out;
}

// A new instance in a temporary folder (`haven init`), served by `haven serve`, with
// organisations and users made through the API as its admin would make them. Failures
// are test failures (EXPECT), so a fixture's set-up reads as a list of what exists.
class Instance {
 public:
  // With `test_clock`, the server reads the time from a file that SetTime rewrites.
  Instance(const std::string& tag, const std::string& admin_password, bool test_clock = false)
      : dir_(TempDir(tag)), admin_password_(admin_password) {
    auto r = RunHaven({"init", "--dir", (dir_ / "inst").string(), "--admin-password",
                       admin_password});
    EXPECT_EQ(r.exit_code, 0) << r.out;
    std::vector<std::string> env;
    if (test_clock) {
      clock_file_ = dir_ / "clock";
      env.push_back("HAVEN_TEST_CLOCK_FILE=" + clock_file_.string());
    }
    server_ = std::make_unique<ServerProcess>(dir_ / "inst", "serve", env);
    if (test_clock) Authenticators::Get().SetClockFile(server_->port(), clock_file_);
    admin_ = std::make_unique<Client>(server_->port());
    EXPECT_EQ(admin_->Login("admin", admin_password).status, 200);
  }
  ~Instance() {
    admin_.reset();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  int port() const { return server_->port(); }
  std::filesystem::path dir() const { return dir_ / "inst"; }
  // What the server wrote to stderr so far: its log.
  std::string Log() const { return server_->Log(); }
  // REQUIRES: made with test_clock. The server's time from now on ("2026-06-01T12:00:00Z");
  // an empty text gives it back the system time.
  void SetTime(const std::string& rfc3339) {
    std::ofstream out(clock_file_, std::ios::trunc);
    out << rfc3339 << "\n";
  }
  Client& admin() { return *admin_; }

  long Organization(const std::string& name, const std::string& kind) {
    auto r = admin_->Post("/api/v1/organizations", {{"name", name}, {"kind", kind}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", 0L);
  }
  void User(const std::string& name, const std::string& role, long organization_id,
            const std::string& password) {
    auto r = admin_->Post("/api/v1/users", {{"username", name},
                                            {"password", password},
                                            {"role", role},
                                            {"organization_id", organization_id}});
    EXPECT_EQ(r.status, 201) << r.raw;
  }
  // A client logged in as `name` (the admin with the admin password).
  Client As(const std::string& name, const std::string& password) {
    Client c(port());
    auto r = c.Login(name, name == "admin" ? admin_password_ : password);
    EXPECT_EQ(r.status, 200) << name << " " << r.raw;
    return c;
  }

 private:
  std::filesystem::path dir_;
  std::filesystem::path clock_file_;
  std::string admin_password_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Client> admin_;
};

}  // namespace haven::testing
