// `haven serve` serves the web application from / : the page never cached, hashed
// assets cached for a year, a strict Content-Security-Policy, the application's own
// paths answered with the page, and nothing outside the folder it read at start.
#include <fstream>

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

// Points the instance's server.ui_dir at `ui`.
void SetUiDir(const std::filesystem::path& inst, const std::filesystem::path& ui) {
  std::ifstream in(inst / "haven.toml");
  std::stringstream s;
  s << in.rdbuf();
  std::string toml = s.str();
  const std::string section = "[server]\n";
  toml.insert(toml.find(section) + section.size(), "ui_dir = \"" + ui.string() + "\"\n");
  std::ofstream(inst / "haven.toml", std::ios::trunc) << toml;
}

class WebUi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(TempDir("webui"));
    const auto inst = *dir_ / "inst";
    auto r = RunHaven({"init", "--dir", inst.string(), "--admin-password", "web-ui-admin-pass"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto ui = *dir_ / "ui";
    std::filesystem::create_directories(ui / "assets");
    std::ofstream(ui / "index.html") << "<!doctype html><title>Haven</title><div id=app></div>";
    std::ofstream(ui / "assets" / "index-AbC123.js") << "console.log('haven');\n";
    std::ofstream(ui / "assets" / "index-AbC123.css") << "body{margin:0}\n";
    std::ofstream(*dir_ / "secret.txt") << "outside the folder";
    std::filesystem::create_symlink(*dir_ / "secret.txt", ui / "assets" / "linked.txt");
    SetUiDir(inst, ui);
    server_ = new ServerProcess(inst);
  }
  static void TearDownTestSuite() {
    delete server_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  Client client() { return Client(server_->port()); }
  static std::filesystem::path* dir_;
  static ServerProcess* server_;
};
std::filesystem::path* WebUi::dir_ = nullptr;
ServerProcess* WebUi::server_ = nullptr;

TEST_F(WebUi, ThePageIsServedFromTheRootAndNeverCached) {
  auto c = client();
  auto r = c.Get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.raw.find("<div id=app>"), std::string::npos);
  EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  const std::string csp = r.Header("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
}

TEST_F(WebUi, TheApplicationsOwnPathsAnswerWithThePage) {
  auto c = client();
  for (const char* path : {"/cases", "/cases/12", "/admin/users"}) {
    auto r = c.Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_NE(r.raw.find("<div id=app>"), std::string::npos) << path;
    EXPECT_EQ(r.Header("Cache-Control"), "no-store") << path;
  }
}

TEST_F(WebUi, HashedAssetsAreCachedForAYearWithTheirType) {
  auto c = client();
  auto js = c.Get("/assets/index-AbC123.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.raw, "console.log('haven');\n");
  EXPECT_EQ(js.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js.Header("Vary"), "Accept-Encoding");
  auto css = c.Get("/assets/index-AbC123.css");
  EXPECT_EQ(css.Header("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(WebUi, TextIsCompressedForABrowserThatAcceptsIt) {
  auto c = client();
  auto r = c.Get("/assets/index-AbC123.js", {{"Accept-Encoding", "gzip"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Encoding"), "gzip");
}

TEST_F(WebUi, AMissingAssetOrAPathOutsideTheFolderIsNotFound) {
  auto c = client();
  EXPECT_EQ(c.Get("/assets/index-Missing.js").status, 404);
  EXPECT_EQ(c.Get("/favicon.ico").status, 404);
  EXPECT_EQ(c.Get("/assets/linked.txt").status, 404);
  auto escape = c.Get("/../secret.txt");
  EXPECT_NE(escape.status, 200);
  EXPECT_EQ(escape.raw.find("outside the folder"), std::string::npos);
  auto encoded = c.Get("/assets/..%2F..%2Fsecret.txt");
  EXPECT_EQ(encoded.raw.find("outside the folder"), std::string::npos);
}

TEST_F(WebUi, AnUnknownApiPathIsStillAJsonError) {
  auto c = client();
  ASSERT_EQ(c.Login("admin", "web-ui-admin-pass").status, 200);
  auto r = c.Get("/api/v1/no-such-thing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.ErrorCode(), "not_found");
}

TEST(WebUiMissing, AServerWithoutItsApplicationSaysSoAndServesTheApi) {
  auto dir = TempDir("webui-missing");
  auto r = RunHaven({"init", "--dir", (dir / "inst").string(), "--admin-password",
                     "web-ui-admin-pass"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  SetUiDir(dir / "inst", dir / "nothing");
  {
    ServerProcess server(dir / "inst");
    Client c(server.port());
    auto page = c.Get("/");
    EXPECT_EQ(page.status, 404);
    EXPECT_EQ(page.ErrorCode(), "ui_not_built");
    EXPECT_EQ(c.Get("/api/v1/health").status, 200);
    EXPECT_NE(server.Log().find("the web application is not built"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven::testing
