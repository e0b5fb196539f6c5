// The command line as an operator uses it: init, audit verify, user add.

#include <sqlite3.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

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
