// `haven audit verify` detects any change to past audit entries made directly in
// the database file, and the server shuts down gracefully on SIGTERM.

#include <sqlite3.h>

#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "api/harness.h"
#include "api/tamper.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "admin-password-for-tests";

class AuditVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("audit");
    inst_ = dir_ / "inst";
    ASSERT_EQ(RunHaven({"init", "--dir", inst_.string(), "--admin-password", kAdminPassword}).exit_code, 0);
    // The entries are counted here: the admin signs in without a second factor (its
    // enrolment and its entries are second_factor_test.cc's).
    HavenToml(inst_).Write(R"(second_factor_required_for = ["admin", "coordinator"])",
                           "second_factor_required_for = []");
    ServerProcess server(inst_);
    Client admin(server.port());
    ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
    for (int i = 0; i < 5; ++i)
      ASSERT_EQ(admin.Post("/api/v1/organizations",
                           {{"name", "Org " + std::to_string(i)}, {"kind", "ngo"}}).status, 201);
    EXPECT_EQ(server.Stop(), 0) << "graceful shutdown must exit 0";
    EXPECT_NE(server.Log().find("shutting down"), std::string::npos) << server.Log();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CommandResult Verify() { return RunHaven({"audit", "verify", "--dir", inst_.string()}); }
  std::filesystem::path Db() const { return inst_ / "haven.db"; }

  std::filesystem::path dir_, inst_;
};

TEST_F(AuditVerify, IntactChainPasses) {
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("intact"), std::string::npos);
  // init: 2 entries; login: 1; five organisations: 5.
  EXPECT_NE(r.out.find("8 entries"), std::string::npos) << r.out;
}

TEST_F(AuditVerify, TheLogRefusesUpdatesThroughSql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(Db().c_str(), &h), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(h, "UPDATE audit_log SET action = 'x' WHERE seq = 3", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(h, "DELETE FROM audit_log WHERE seq = 3", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
  EXPECT_EQ(Verify().exit_code, 0);
}

TEST_F(AuditVerify, ChangedEntryIsDetected) {
  TamperSql(Db(), "DROP TRIGGER audit_log_no_update;"
            "UPDATE audit_log SET details = '{\"name\":\"Forged\"}' WHERE seq = 4;");
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("BROKEN at entry 4"), std::string::npos) << r.out;
}

TEST_F(AuditVerify, ChangedEntryWithRecomputedUnkeyedHashIsDetected) {
  // Whoever edits the file cannot recompute the chain: it is keyed with a key
  // from the keyring. Copying the next entry's hash over does not help either.
  TamperSql(Db(), "DROP TRIGGER audit_log_no_update;"
            "UPDATE audit_log SET actor_user_id = 99, hash = (SELECT hash FROM audit_log WHERE seq = 5) WHERE seq = 3;");
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("BROKEN at entry 3"), std::string::npos) << r.out;
}

TEST_F(AuditVerify, RemovedEntryIsDetected) {
  TamperSql(Db(), "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 5;");
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("BROKEN at entry 6"), std::string::npos) << r.out;
}

TEST_F(AuditVerify, ReorderedEntriesAreDetected) {
  TamperSql(Db(), "DROP TRIGGER audit_log_no_update;"
            "UPDATE audit_log SET seq = -1 WHERE seq = 4;"
            "UPDATE audit_log SET seq = 4 WHERE seq = 5;"
            "UPDATE audit_log SET seq = 5 WHERE seq = -1;");
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("BROKEN at entry 4"), std::string::npos) << r.out;
}

TEST(Concurrency, CaseCodesStayUniqueUnderConcurrentRegistrations) {
  auto dir = TempDir("conc");
  ASSERT_EQ(RunHaven({"init", "--dir", (dir / "i").string(), "--admin-password", kAdminPassword}).exit_code, 0);
  ServerProcess server(dir / "i");
  Client admin(server.port());
  ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
  auto org = admin.Post("/api/v1/organizations", {{"name", "NGO"}, {"kind", "ngo"}});
  ASSERT_EQ(admin.Post("/api/v1/users", {{"username", "cw-one"}, {"password", kAdminPassword},
                                         {"role", "caseworker"}, {"organization_id", org.body["id"]}}).status, 201);
  Client login(server.port());
  auto me = login.Login("cw-one", kAdminPassword);
  ASSERT_EQ(me.status, 200);
  std::string token = me.body["token"];
  constexpr int kThreads = 6, kEach = 8;
  std::vector<std::vector<std::string>> codes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Client c(server.port());
      c.SetToken(token);
      for (int i = 0; i < kEach; ++i) {
        auto r = c.Post("/api/v1/cases",
                        {{"person", {{"given_name", "P"}, {"sex", "male"}, {"citizenship", "unknown"}}},
                         {"identified_on", "2026-01-15"},
                         {"identified_by", "hotline"},
                         {"exploitation", {"forced_labour"}}});
        if (r.status == 201) codes[t].push_back(r.body["code"]);
      }
    });
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  size_t total = 0;
  for (const auto& v : codes) {
    total += v.size();
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(total, size_t(kThreads * kEach));
  EXPECT_EQ(all.size(), total);
  EXPECT_TRUE(all.count("AZ-2026-000001"));
  EXPECT_TRUE(all.count("AZ-2026-0000" + std::to_string(kThreads * kEach)));
  server.Stop();
  EXPECT_EQ(RunHaven({"audit", "verify", "--dir", (dir / "i").string()}).exit_code, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven::testing
