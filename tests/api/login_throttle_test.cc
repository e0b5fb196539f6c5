// Issue #14: the login throttle counts per client, and behind a reverse proxy the client
// is what a *trusted* proxy says (X-Forwarded-For), never what the client says; guessing
// one account's password locks that account, not everyone; an unknown username costs one
// Argon2id like a known one, so that timing does not tell which usernames exist.

#include <algorithm>
#include <chrono>

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "throttle-admin-password";
constexpr const char* kPassword = "a-long-test-password";
constexpr int kClientLimit = 30;  // failures per client in 5 minutes (App::LoginThrottle)

// An instance whose haven.toml says `trusted` in [server] trusted_proxies, with one
// caseworker, "worker", and another, "clerk", besides the admin.
class ThrottledInstance {
 public:
  explicit ThrottledInstance(const std::string& trusted) : dir_(TempDir("throttle")) {
    auto r = RunHaven({"init", "--dir", inst().string(), "--admin-password", kAdminPassword});
    EXPECT_EQ(r.exit_code, 0) << r.out;
    HavenToml(inst()).Write("trusted_proxies = []", "trusted_proxies = " + trusted);
    server_ = std::make_unique<ServerProcess>(inst());
    Client admin(port());
    EXPECT_EQ(admin.Login("admin", kAdminPassword).status, 200);
    auto org = admin.Post("/api/v1/organizations", {{"name", "NGO"}, {"kind", "ngo"}});
    EXPECT_EQ(org.status, 201) << org.raw;
    auto u = admin.Post("/api/v1/users", {{"username", "worker"},
                                          {"password", kPassword},
                                          {"role", "caseworker"},
                                          {"organization_id", org.body.value("id", 0L)}});
    EXPECT_EQ(u.status, 201) << u.raw;
    // Another account without a second factor, for sign-ins that must still succeed (the
    // admin has one since the harness enrolled her).
    auto clerk = admin.Post("/api/v1/users", {{"username", "clerk"},
                                              {"password", kPassword},
                                              {"role", "caseworker"},
                                              {"organization_id", org.body.value("id", 0L)}});
    EXPECT_EQ(clerk.status, 201) << clerk.raw;
  }
  ~ThrottledInstance() {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  int port() const { return server_->port(); }
  std::filesystem::path inst() const { return dir_ / "inst"; }

  // A login attempt with `forwarded_for` (none if empty) as X-Forwarded-For.
  Response Login(const std::string& user, const std::string& password,
                 const std::string& forwarded_for = "") {
    httplib::Headers h;
    if (!forwarded_for.empty()) h.emplace("X-Forwarded-For", forwarded_for);
    return Client(port()).Post("/api/v1/auth/login",
                               {{"username", user}, {"password", password}}, h);
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST(LoginThrottle, BehindATrustedProxyOneClientsFailuresHoldBackOnlyThatClient) {
  ThrottledInstance in(R"(["127.0.0.1"])");
  for (int i = 0; i < kClientLimit; ++i)
    ASSERT_EQ(in.Login("nobody-" + std::to_string(i), "a-wrong-guess", "203.0.113.5").status, 401)
        << i;
  auto blocked = in.Login("clerk", kPassword, "203.0.113.5");
  EXPECT_EQ(blocked.status, 429) << blocked.raw;
  EXPECT_EQ(blocked.ErrorCode(), "too_many_attempts");
  // What the client itself wrote, left of what the proxy appended, is not believed.
  EXPECT_EQ(in.Login("clerk", kPassword, "198.51.100.7, 203.0.113.5").status, 429);
  // Another client behind the same proxy signs in.
  auto other = in.Login("clerk", kPassword, "198.51.100.7");
  EXPECT_EQ(other.status, 200) << other.raw;
  // Two proxies in a row: the right-most address that is not a trusted proxy counts.
  EXPECT_EQ(in.Login("worker", kPassword, "203.0.113.5, 127.0.0.1").status, 429);
  EXPECT_EQ(in.Login("worker", kPassword, "198.51.100.8, 127.0.0.1").status, 200);
}

TEST(LoginThrottle, WithoutTrustedProxiesTheHeaderIsIgnored) {
  ThrottledInstance in("[]");
  for (int i = 0; i < kClientLimit; ++i)
    ASSERT_EQ(in.Login("nobody-" + std::to_string(i), "a-wrong-guess",
                       "203.0.113." + std::to_string(i))
                  .status,
              401)
        << i;
  auto spoofed = in.Login("clerk", kPassword, "198.51.100.7");
  EXPECT_EQ(spoofed.status, 429) << "a made-up X-Forwarded-For does not escape the throttle";
  EXPECT_EQ(spoofed.ErrorCode(), "too_many_attempts");
}

TEST(LoginThrottle, ConfigRefusesWhatIsNotAnAddress) {
  auto dir = TempDir("throttle-config");
  ASSERT_EQ(RunHaven({"init", "--dir", (dir / "inst").string(), "--admin-password",
                      kAdminPassword})
                .exit_code,
            0);
  HavenToml toml(dir / "inst");
  for (const std::string bad : {R"(["10.0.0.0/8"])", R"("127.0.0.1")", R"(["nginx"])"}) {
    toml.Write("trusted_proxies = []", "trusted_proxies = " + bad);
    auto r = RunHaven({"user", "list", "--dir", (dir / "inst").string()});
    EXPECT_NE(r.exit_code, 0) << bad;
    EXPECT_NE(r.out.find("server.trusted_proxies"), std::string::npos) << bad << r.out;
  }
  std::filesystem::remove_all(dir);
}

TEST(LoginThrottle, GuessingOneAccountLocksThatAccountOnly) {
  ThrottledInstance in(R"(["127.0.0.1"])");
  for (int i = 0; i < 5; ++i)  // max_failed_logins
    EXPECT_EQ(in.Login("worker", "a-wrong-guess-" + std::to_string(i), "203.0.113.5").status,
              401);
  auto locked = in.Login("worker", kPassword, "198.51.100.7");
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.ErrorCode(), "account_locked") << "the account is locked for every client";
  // Neither the guessing client nor anyone else is held back from other accounts.
  EXPECT_EQ(in.Login("clerk", kPassword, "203.0.113.5").status, 200);
  EXPECT_EQ(in.Login("clerk", kPassword, "198.51.100.7").status, 200);
}

double MedianMs(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST(LoginThrottle, AnUnknownUsernameCostsOneArgon2idLikeAKnownOne) {
  ThrottledInstance in("[]");
  std::vector<double> unknown, known;
  auto timed = [&](const std::string& user) {
    const auto start = std::chrono::steady_clock::now();
    auto r = in.Login(user, "a-wrong-guess-here");
    EXPECT_TRUE(r.status == 401 || r.status == 429) << r.raw;
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  };
  for (int i = 0; i < 5; ++i) {  // interleaved, so that noise hits both alike
    unknown.push_back(timed("nobody-" + std::to_string(i)));
    known.push_back(timed("worker"));  // the 5th locks it: Argon2id still runs first
  }
  const double u = MedianMs(unknown), k = MedianMs(known);
  RecordProperty("unknown_ms", std::to_string(u));
  RecordProperty("known_ms", std::to_string(k));
  EXPECT_GT(k, 5.0) << "a known account's check runs Argon2id";
  EXPECT_GE(u, 0.5 * k) << "unknown " << u << " ms, known " << k << " ms";
}

}  // namespace
}  // namespace haven::testing
