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
  std::string toml;
  {
    std::ifstream in(inst / "haven.toml");
    toml.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_NE(toml.find("dp_epsilon_budget = 10\n"), std::string::npos) << toml;
  ASSERT_NE(toml.find("link_threshold = 0.85\n"), std::string::npos) << toml;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string changed = toml;
    changed.replace(changed.find(from), from.size(), to);
    std::ofstream(inst / "haven.toml") << changed;
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
