// The command line as an operator uses it: init, audit verify, user add.

#include <sqlite3.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "api/harness.h"

namespace haven::testing {
namespace {

TEST(Cli, InitCreatesInstanceAndRefusesToOverwrite) {
  auto dir = TempDir("init");
  auto r = RunHaven({"init", "--dir", (dir / "inst").string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("User: admin"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Password: "), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "inst" / "haven.toml"));
  EXPECT_TRUE(std::filesystem::exists(dir / "inst" / "haven.db"));
  struct stat st {};
  ASSERT_EQ(stat((dir / "inst" / "keyring.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  auto again = RunHaven({"init", "--dir", (dir / "inst").string(), "--admin-password",
                         "another-password-123"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.out.find("refusing to overwrite"), std::string::npos) << again.out;
  std::filesystem::remove_all(dir);
}

TEST(Cli, InitRefusesShortAdminPassword) {
  auto dir = TempDir("initpw");
  auto r = RunHaven({"init", "--dir", (dir / "inst").string(), "--admin-password", "short"});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("at least 12 characters"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "inst" / "haven.toml"));
  std::filesystem::remove_all(dir);
}

TEST(Cli, ConfigurationOutOfRangeIsRefusedByName) {
  auto dir = TempDir("clicfg");
  const auto inst = dir / "inst";
  ASSERT_EQ(RunHaven({"init", "--dir", inst.string(), "--admin-password", "a-long-password-1"})
                .exit_code,
            0);
  const HavenToml toml(inst);
  auto with = [&](const std::string& from, const std::string& to) {
    toml.Write(from, to);
    return RunHaven({"audit", "verify", "--dir", inst.string()});
  };
  auto r = with("dp_epsilon_budget = 10\n", "dp_epsilon_budget = 0\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("statistics.dp_epsilon_budget"), std::string::npos) << r.out;
  r = with("link_threshold = 0.85\n", "link_threshold = 1.5\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("linkage.link_threshold"), std::string::npos) << r.out;
  r = with("dp_epsilon_budget = 10\n", "dp_epsilon_budget = \"lots\"\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("must be a number (statistics.dp_epsilon_budget)"), std::string::npos)
      << r.out;
  EXPECT_EQ(with("dp_epsilon_budget = 10\n", "dp_epsilon_budget = 2.5\n").exit_code, 0);
  std::filesystem::remove_all(dir);
}

TEST(Cli, HelpExplainsEverySubcommand) {
  auto r = RunHaven({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"init", "serve", "demo", "audit", "user"})
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
  auto s = RunHaven({"serve", "--help"});
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_NE(s.out.find("--port"), std::string::npos);
  EXPECT_NE(s.out.find("--dir"), std::string::npos);
}

TEST(Cli, OpeningAMissingInstanceSaysSo) {
  auto dir = TempDir("missing");
  auto r = RunHaven({"audit", "verify", "--dir", (dir / "nothing").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("haven init"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven::testing

namespace haven::testing {
namespace {

// The operator's account commands on the server: list, disable, enable, unlock, a
// one-time password; each audited with the operating-system account that ran it.
TEST(Cli, AccountsAreManagedFromTheServersCommandLine) {
  Instance in("cli-users", "an-orchard-lantern-basalt");
  const long ngo = in.Organization("Təmiz Dünya", "ngo");
  in.User("lale.cw", "caseworker", ngo, "a-long-test-password");
  const std::string dir = in.dir().string();

  auto orgs = RunHaven({"org", "list", "--dir", dir});
  ASSERT_EQ(orgs.exit_code, 0) << orgs.out;
  EXPECT_NE(orgs.out.find("Təmiz Dünya"), std::string::npos) << orgs.out;
  auto list = RunHaven({"user", "list", "--organization-id", std::to_string(ngo), "--dir", dir});
  ASSERT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find("lale.cw"), std::string::npos);
  EXPECT_EQ(list.out.find("admin "), std::string::npos) << "only the organisation's accounts";
  EXPECT_EQ(RunHaven({"user", "list", "--role", "boss", "--dir", dir}).exit_code, 2);
  EXPECT_EQ(RunHaven({"user", "disable", "--username", "nobody", "--dir", dir}).exit_code, 4);

  auto disabled = RunHaven({"user", "disable", "--username", "lale.cw", "--dir", dir});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.out;
  EXPECT_EQ(Client(in.port()).Login("lale.cw", "a-long-test-password").status, 401);
  ASSERT_EQ(RunHaven({"user", "enable", "--username", "lale.cw", "--dir", dir}).exit_code, 0);
  EXPECT_EQ(Client(in.port()).Login("lale.cw", "a-long-test-password").status, 200);

  for (int i = 0; i < 6; ++i) Client(in.port()).Login("lale.cw", "not-the-password-1");
  EXPECT_EQ(Client(in.port()).Login("lale.cw", "a-long-test-password").status, 429);
  ASSERT_EQ(RunHaven({"user", "unlock", "--username", "lale.cw", "--dir", dir}).exit_code, 0);

  auto reset = RunHaven({"user", "reset-password", "--username", "lale.cw", "--dir", dir});
  ASSERT_EQ(reset.exit_code, 0) << reset.out;
  const std::string marker = "One-time password for lale.cw: ";
  auto pos = reset.out.find(marker);
  ASSERT_NE(pos, std::string::npos) << reset.out;
  const std::string once = reset.out.substr(pos + marker.size(), reset.out.find('\n', pos) - pos - marker.size());
  Client user(in.port());
  auto login = user.Login("lale.cw", once);
  ASSERT_EQ(login.status, 200) << login.raw;
  EXPECT_EQ(login.body["user"]["must_change_password"], true);
  EXPECT_EQ(user.Get("/api/v1/cases").ErrorCode(), "password_change_required");

  in.User("auditor", "auditor", ngo, "a-long-test-password");
  Client auditor = in.As("auditor", "a-long-test-password");
  auto entries = auditor.Get("/api/v1/audit?action=user.&actor=0");
  ASSERT_EQ(entries.status, 200) << entries.raw;
  // The admin made by `haven init`, then disable, enable, unlock and reset.
  ASSERT_EQ(entries.body["items"].size(), 5u) << entries.raw;
  for (const auto& e : entries.body["items"])
    EXPECT_FALSE(e["details"].value("os_user", "").empty()) << e.dump();
  EXPECT_EQ(entries.raw.find(once), std::string::npos);
}

}  // namespace
}  // namespace haven::testing
