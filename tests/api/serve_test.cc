// `haven serve` hardened, over its real interfaces: TLS from haven.toml (TLS 1.2 at
// least, a key only its owner may read), HSTS over TLS and never over plain HTTP, the
// test clock driving sessions, lock-outs and tasks over HTTP, and a log that no
// request can forge or fill with what a user typed into a URL.

#include <sys/stat.h>

#include <chrono>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAdminPassword = "admin-password-for-tests";
constexpr const char* kPassword = "a-long-test-password";

// `haven init` into a new folder whose haven.toml gets `changes`; `haven serve` on it
// is the caller's.
struct InitDir {
  explicit InitDir(const std::string& tag) : root(TempDir(tag)), inst(root / "inst") {
    auto r = RunHaven({"init", "--dir", inst.string(), "--admin-password", kAdminPassword});
    EXPECT_EQ(r.exit_code, 0) << r.out;
  }
  ~InitDir() { fs::remove_all(root); }
  fs::path root, inst;
};

// A throwaway self-signed certificate for 127.0.0.1 in `dir`/tls/ (openssl CLI); the key
// mode 0600.
void MakeCertificate(const fs::path& dir) {
  fs::create_directories(dir / "tls");
  auto r = RunCommand("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                      "-nodes -days 2 -subj /CN=localhost "
                      "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
                      (dir / "tls/key.pem").string() + "' -out '" +
                      (dir / "tls/certificate.pem").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ::chmod((dir / "tls/key.pem").c_str(), 0600);
}

const std::string kTlsConfig =
    "trusted_proxies = []\ntls_certificate = \"tls/certificate.pem\"\ntls_key = \"tls/key.pem\"";

// The log's lines, each parsed (a line that is not a JSON object fails the test).
std::vector<Json> LogLines(const std::string& log) {
  std::vector<Json> out;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    Json j = Json::parse(line, nullptr, false);
    EXPECT_TRUE(j.is_object() && j.contains("time") && j.contains("level"))
        << "not a log line: " << line;
    if (j.is_object()) out.push_back(std::move(j));
  }
  return out;
}

// The request lines of the log with this request id, once the server has written
// them (it logs after the response).
std::vector<Json> RequestLines(const Instance& in, const std::string& request_id) {
  std::vector<Json> found;
  for (int i = 0; i < 100; ++i) {
    found.clear();
    for (auto& j : LogLines(in.Log()))
      if (j.value("event", "") == "request" && j["request_id"] == request_id) found.push_back(j);
    if (!found.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return found;
}

// ------------------------------------------------------------------------ TLS

TEST(ServeTls, ServesHttpsWithHstsAndTheOtherSecurityHeaders) {
  InitDir d("serve-tls");
  MakeCertificate(d.inst);
  HavenToml(d.inst).Write("trusted_proxies = []", kTlsConfig);
  ServerProcess server(d.inst);
  const std::string ca = (d.inst / "tls/certificate.pem").string();

  Client https(server.port(), ca);
  auto health = https.Get("/api/v1/health");
  ASSERT_EQ(health.status, 200) << server.Log();
  EXPECT_EQ(health.Header("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_EQ(health.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(health.Header("X-Frame-Options"), "DENY");
  EXPECT_NE(health.Header("Content-Security-Policy"), "");
  EXPECT_EQ(https.Login("admin", kAdminPassword).status, 200);
  auto me = https.Get("/api/v1/me");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.Header("Strict-Transport-Security"), "max-age=31536000");
  auto missing = https.Get("/api/v1/no-such-endpoint");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("Strict-Transport-Security"), "max-age=31536000");

  // Plain HTTP to the TLS port gets nothing at all.
  Client plain(server.port());
  EXPECT_EQ(plain.Get("/api/v1/health").status, -1);
}

TEST(ServeTls, RefusesTlsOlderThan12) {
  InitDir d("serve-tls-versions");
  MakeCertificate(d.inst);
  HavenToml(d.inst).Write("trusted_proxies = []", kTlsConfig);
  ServerProcess server(d.inst);
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/health";
  const std::string ca = (d.inst / "tls/certificate.pem").string();
  auto curl = [&](const std::string& versions) {
    // SECLEVEL=0: the client would agree to the old versions; the server must not.
    return RunCommand("curl -sS -o /dev/null -w '%{http_code}' --cacert '" + ca + "' " +
                      versions + " --ciphers DEFAULT@SECLEVEL=0 '" + url + "'");
  };
  for (const char* old : {"--tlsv1.0 --tls-max 1.0", "--tlsv1.1 --tls-max 1.1"}) {
    auto r = curl(old);
    EXPECT_NE(r.exit_code, 0) << old << ": " << r.out;
  }
  auto v12 = curl("--tlsv1.2 --tls-max 1.2");
  EXPECT_EQ(v12.exit_code, 0) << v12.out;
  EXPECT_EQ(v12.out, "200");
  auto v13 = curl("--tlsv1.3");
  EXPECT_EQ(v13.exit_code, 0) << v13.out;
}

TEST(ServeTls, RefusesToStartWithAKeyOthersMayRead) {
  InitDir d("serve-tls-key");
  MakeCertificate(d.inst);
  HavenToml(d.inst).Write("trusted_proxies = []", kTlsConfig);
  ::chmod((d.inst / "tls/key.pem").c_str(), 0640);
  auto r = RunHaven({"serve", "--dir", d.inst.string(), "--port", "0"});
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("TLS key (server.tls_key)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("may be read by others than its owner; chmod 600 it"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
}

TEST(ServeTls, RefusesToStartWithoutItsFilesOrWithHalfTheSettings) {
  InitDir d("serve-tls-files");
  HavenToml toml(d.inst);
  toml.Write("trusted_proxies = []", kTlsConfig);  // neither file exists
  auto missing = RunHaven({"serve", "--dir", d.inst.string(), "--port", "0"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.out.find("tls/key.pem not found"), std::string::npos) << missing.out;

  MakeCertificate(d.inst);
  std::ofstream(d.inst / "tls/certificate.pem", std::ios::trunc) << "not a certificate\n";
  auto garbage = RunHaven({"serve", "--dir", d.inst.string(), "--port", "0"});
  EXPECT_NE(garbage.exit_code, 0);
  EXPECT_NE(garbage.out.find("cannot read the TLS certificate"), std::string::npos)
      << garbage.out;

  toml.Write("trusted_proxies = []", "trusted_proxies = []\ntls_key = \"tls/key.pem\"");
  auto half = RunHaven({"serve", "--dir", d.inst.string(), "--port", "0"});
  EXPECT_NE(half.exit_code, 0);
  EXPECT_NE(half.out.find("server.tls_certificate and server.tls_key go together"),
            std::string::npos)
      << half.out;
}

// ------------------------------------------------------------------------ HSTS

TEST(ServeHsts, NeverOverPlainHttpNorOnTheWordOfAnUntrustedClient) {
  Instance in("serve-hsts-plain", kAdminPassword);
  Client c(in.port());
  auto plain = c.Get("/api/v1/health");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.Header("Strict-Transport-Security"), "");
  EXPECT_EQ(plain.Header("X-Content-Type-Options"), "nosniff");
  auto claimed = c.Get("/api/v1/health", {{"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(claimed.Header("Strict-Transport-Security"), "")
      << "only a trusted proxy's X-Forwarded-Proto counts";
}

TEST(ServeHsts, OverHttpsThroughATrustedProxy) {
  InitDir d("serve-hsts-proxy");
  HavenToml(d.inst).Write("trusted_proxies = []", "trusted_proxies = [\"127.0.0.1\"]");
  ServerProcess server(d.inst);
  Client proxy(server.port());
  EXPECT_EQ(proxy.Get("/api/v1/health", {{"X-Forwarded-Proto", "https"}})
                .Header("Strict-Transport-Security"),
            "max-age=31536000");
  EXPECT_EQ(proxy.Get("/api/v1/health", {{"X-Forwarded-Proto", "HTTPS"}})
                .Header("Strict-Transport-Security"),
            "max-age=31536000");
  EXPECT_EQ(proxy.Get("/api/v1/health", {{"X-Forwarded-Proto", "http"}})
                .Header("Strict-Transport-Security"),
            "");
  EXPECT_EQ(proxy.Get("/api/v1/health").Header("Strict-Transport-Security"), "");
  // The proxy's own word is the right-most one; what the client put left of it is not.
  EXPECT_EQ(proxy.Get("/api/v1/health", {{"X-Forwarded-Proto", "https, http"}})
                .Header("Strict-Transport-Security"),
            "");
}

// ------------------------------------------------------------------------ the test clock

class ServeClock : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = std::make_unique<Instance>("serve-clock", kAdminPassword, /*test_clock=*/true);
    in_->SetTime("2026-03-02T08:00:00Z");
    Client admin = in_->As("admin", kAdminPassword);
    auto org = admin.Post("/api/v1/organizations", {{"name", "NGO Clock"}, {"kind", "ngo"}});
    ASSERT_EQ(org.status, 201) << org.raw;
    auto user = admin.Post("/api/v1/users", {{"username", "caseworker"},
                                             {"password", kPassword},
                                             {"role", "caseworker"},
                                             {"organization_id", org.body["id"]}});
    ASSERT_EQ(user.status, 201) << user.raw;
  }
  std::unique_ptr<Instance> in_;
};

TEST_F(ServeClock, TheServerSaysAtStartThatItRunsOnATestClock) {
  EXPECT_NE(in_->Log().find("TEST CLOCK"), std::string::npos) << in_->Log();
}

TEST_F(ServeClock, ASessionEndsSessionHoursAfterLogin) {
  Client cw = in_->As("caseworker", kPassword);  // at 08:00, for 8 hours (the default)
  in_->SetTime("2026-03-02T15:59:59Z");
  EXPECT_EQ(cw.Get("/api/v1/me").status, 200);
  in_->SetTime("2026-03-02T16:00:00Z");
  auto expired = cw.Get("/api/v1/me");
  EXPECT_EQ(expired.status, 401) << expired.raw;
  EXPECT_EQ(expired.ErrorCode(), "unauthenticated");
}

TEST_F(ServeClock, ALockedAccountOpensAgainAfterLockoutMinutes) {
  Client c(in_->port());
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(c.Login("caseworker", "wrong-guess-" + std::to_string(i)).status, 401);
  // Locked at 08:00 for 15 minutes (the default).
  in_->SetTime("2026-03-02T08:14:59Z");
  auto locked = c.Login("caseworker", kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.ErrorCode(), "account_locked");
  in_->SetTime("2026-03-02T08:15:01Z");
  EXPECT_EQ(c.Login("caseworker", kPassword).status, 200);
}

TEST_F(ServeClock, AnEndedReflectionPeriodBecomesATaskWhenItsDayHasPassed) {
  Client cw = in_->As("caseworker", kPassword);
  auto created = cw.Post(
      "/api/v1/cases",
      {{"person",
        {{"given_name", "Clock"}, {"family_name", "Tester"}, {"birth_date", "1990-07-02"},
         {"sex", "female"}, {"citizenship", "AZ"}}},
       {"identified_on", "2026-03-01"},
       {"identified_by", "police"},
       {"exploitation", {"sexual"}},
       {"means_of_control", {"debt_bondage"}},
       {"recruiter_relation", "acquaintance"},
       {"country_of_recruitment", "AZ"},
       {"country_of_exploitation", "TR"},
       {"region", "AZ-BA"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string path = "/api/v1/cases/" + std::to_string(created.body["id"].get<long>());
  auto reflection = cw.Post(path + "/transitions", {{"to", "reflection_period"}, {"on", "2026-03-02"}});
  ASSERT_EQ(reflection.status, 200) << reflection.raw;
  ASSERT_EQ(reflection.body["reflection_period"]["end"], "2026-04-01");
  auto tasks_of_case = [&](Client& c) {
    std::vector<Json> out;
    auto r = c.Get("/api/v1/tasks?within_days=0");
    EXPECT_EQ(r.status, 200) << r.raw;
    for (const auto& t : r.body["items"])
      if (t["case_id"] == created.body["id"]) out.push_back(t);
    return out;
  };
  EXPECT_TRUE(tasks_of_case(cw).empty());

  in_->SetTime("2026-04-02T09:00:00Z");  // the session of 2 March has ended too
  Client later = in_->As("caseworker", kPassword);
  auto tasks = tasks_of_case(later);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0]["kind"], "reflection_period_ending");
  EXPECT_EQ(tasks[0]["due_on"], "2026-04-01");
  EXPECT_EQ(tasks[0]["overdue"], true);
}

// ------------------------------------------------------------------------ the log

TEST(ServeLog, OneEscapedLineARequestWithTheRouteAndNeverThePath) {
  Instance in("serve-log", kAdminPassword);
  Client admin(in.port());
  auto login = admin.Login("admin", kAdminPassword);
  ASSERT_EQ(login.status, 200);
  const std::string token = login.body["token"];
  // Sent as written: httplib would otherwise encode what a browser would not.
  httplib::Client raw("127.0.0.1", in.port());
  raw.set_url_encode(false);
  const httplib::Headers bearer = {{"Authorization", "Bearer " + token}};
  const std::string forged =
      "/api/v1/cases/1%0A%7B%22time%22%3A%222026-01-01T00%3A00%3A00.000Z%22%2C%22level%22%3A"
      "%22info%22%2C%22msg%22%3A%22forged%22%7D%00tail%0D%0Arequest_id=forged";
  struct Sent {
    std::string what;
    std::string request_id;
    std::string route;
  };
  std::vector<Sent> sent;
  auto send = [&](const std::string& what, const std::string& path, const std::string& route) {
    auto r = raw.Get(path.c_str(), bearer);
    ASSERT_TRUE(r) << what;
    const std::string id = r->get_header_value("X-Request-Id");
    ASSERT_FALSE(id.empty()) << what;
    sent.push_back({what, id, route});
  };
  send("forged lines and a NUL", forged, "/api/v1/cases/{id}");
  send("a name in the query string", "/api/v1/cases/123?name=Aysel", "/api/v1/cases/{id}");
  send("a name in an unmatched path", "/api/v1/persons/Aysel%20Mammadova", "<unmatched>");
  send("a name in the web application's path", "/Aysel.Mammadova", "<unmatched>");

  for (const auto& s : sent) {
    auto lines = RequestLines(in, s.request_id);
    ASSERT_EQ(lines.size(), 1u) << s.what << "\n" << in.Log();
    EXPECT_EQ(lines[0]["route"], s.route) << s.what;
    EXPECT_EQ(lines[0]["method"], "GET");
    if (s.route != "<unmatched>") EXPECT_TRUE(lines[0]["user"].is_number()) << s.what;
    if (s.route == "<unmatched>") EXPECT_TRUE(lines[0]["path_bytes"].is_number()) << s.what;
  }
  const std::string log = in.Log();
  EXPECT_EQ(log.find('\0'), std::string::npos);
  EXPECT_EQ(log.find("Aysel"), std::string::npos) << log;
  EXPECT_EQ(log.find("forged"), std::string::npos) << log;
  EXPECT_EQ(log.find("tail"), std::string::npos) << log;
  // Every line is one JSON object (LogLines fails the test otherwise), start-up
  // messages included, and each request id is on one line only.
  std::set<std::string> ids;
  for (const auto& j : LogLines(log)) {
    if (j.value("event", "") != "request") continue;
    EXPECT_TRUE(ids.insert(j["request_id"].get<std::string>()).second) << j.dump();
  }
}

}  // namespace
}  // namespace haven::testing
