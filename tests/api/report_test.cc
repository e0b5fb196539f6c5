// Statistics over HTTP against a real `haven serve`: who may read them, the
// formats, suppression for analysts, bad input of every kind, and the audit
// entry each report leaves.

#include <set>

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "admin-password-for-tests";
constexpr const char* kPassword = "a-long-test-password";
const std::string kSample = std::string(HAVEN_SHARED_DATA) + "/ctdc/ctdc_global_kanon_sample.csv";

class Reports : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(TempDir("reports"));
    auto inst = (*dir_ / "inst").string();
    auto r = RunHaven({"init", "--dir", inst, "--admin-password", kAdminPassword});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    auto imported = RunHaven({"import", "ctdc", kSample, "--dir", inst});
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    server_ = new ServerProcess(*dir_ / "inst");
    Client admin(server_->port());
    ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
    auto org = admin.Post("/api/v1/organizations", {{"name", "Coordinating Body"}, {"kind", "state_body"}});
    ASSERT_EQ(org.status, 201) << org.raw;
    for (const char* role : {"caseworker", "shelter_manager", "coordinator", "analyst", "auditor"}) {
      auto u = admin.Post("/api/v1/users", {{"username", role},
                                            {"password", kPassword},
                                            {"role", role},
                                            {"organization_id", org.body["id"]}});
      ASSERT_EQ(u.status, 201) << u.raw;
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  Client As(const std::string& username) {
    Client c(server_->port());
    auto r = c.Login(username, username == "admin" ? kAdminPassword : kPassword);
    EXPECT_EQ(r.status, 200) << username << " " << r.raw;
    return c;
  }

  size_t ReportAuditEntries() {
    Client auditor = As("auditor");
    size_t n = 0;
    std::string cursor;
    do {
      auto r = auditor.Get("/api/v1/audit?limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(r.status, 200);
      for (const auto& e : r.body["items"])
        if (e["action"].get<std::string>().rfind("report.", 0) == 0) ++n;
      cursor = r.body["next_cursor"].is_null() ? "" : r.body["next_cursor"].get<std::string>();
    } while (!cursor.empty());
    return n;
  }

  static std::filesystem::path* dir_;
  static ServerProcess* server_;
};
std::filesystem::path* Reports::dir_;
ServerProcess* Reports::server_;

TEST_F(Reports, OnlyAnalystsAndCoordinatorsReadStatistics) {
  const std::vector<std::string> paths = {"/api/v1/reports", "/api/v1/reports/counts?by=year",
                                          "/api/v1/reports/greta?year=2019"};
  for (const char* user : {"analyst", "coordinator"}) {
    Client c = As(user);
    for (const auto& p : paths) EXPECT_EQ(c.Get(p).status, 200) << user << " " << p;
  }
  for (const char* user : {"caseworker", "shelter_manager", "auditor", "admin"}) {
    Client c = As(user);
    for (const auto& p : paths) {
      auto r = c.Get(p);
      EXPECT_EQ(r.status, 403) << user << " " << p;
      EXPECT_EQ(r.ErrorCode(), "forbidden");
    }
  }
  Client anonymous(server_->port());
  for (const auto& p : paths) EXPECT_EQ(anonymous.Get(p).status, 401) << p;
}

TEST_F(Reports, ListNamesTheReportsAndDimensions) {
  auto r = As("analyst").Get("/api/v1/reports");
  ASSERT_EQ(r.status, 200);
  std::set<std::string> names;
  for (const auto& item : r.body["reports"]) names.insert(item["name"]);
  for (const char* n : {"annual", "greta", "unodc", "osce"}) EXPECT_TRUE(names.count(n)) << n;
  EXPECT_NE(r.body["counts"]["dimensions"].dump().find("country_of_exploitation"), std::string::npos);
}

TEST_F(Reports, CountsInJsonAndCsv) {
  Client analyst = As("analyst");
  auto j = analyst.Get("/api/v1/reports/counts?by=year,sex&year=2019");
  ASSERT_EQ(j.status, 200) << j.raw;
  EXPECT_EQ(j.body["dimensions"], Json({"year", "sex"}));
  EXPECT_EQ(j.body["linkage"]["applied"], false);
  EXPECT_EQ(j.body["suppression"]["threshold"], 5);
  long sum = 0;
  for (const auto& row : j.body["rows"]) {
    EXPECT_EQ(row["year"], 2019);
    if (row["count"].is_number()) sum += row["count"].get<long>();
  }
  EXPECT_EQ(sum, 213);  // all of the sample's 2019 rows are women or of unknown sex, none small

  auto csv = analyst.Get("/api/v1/reports/counts?by=sex&year=2019&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("Content-Type").rfind("text/csv", 0), 0u);
  EXPECT_EQ(csv.Header("X-Haven-Linkage-Applied"), "false");
  EXPECT_EQ(csv.raw.substr(0, 10), "sex,count\n");
}

TEST_F(Reports, NamedReportsInEveryFormat) {
  Client analyst = As("analyst");
  auto j = analyst.Get("/api/v1/reports/unodc?year=2019");
  ASSERT_EQ(j.status, 200) << j.raw;
  EXPECT_EQ(j.body["report"], "unodc");
  EXPECT_EQ(j.body["year"], 2019);
  EXPECT_FALSE(j.body["tables"].empty());
  EXPECT_EQ(j.body["linkage"]["applied"], false);
  auto csv = analyst.Get("/api/v1/reports/greta?year=2019&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.raw.find("about,linkage_applied,,no"), std::string::npos);
  EXPECT_NE(csv.Header("Content-Disposition").find("greta-2019.csv"), std::string::npos);
  auto xlsx = analyst.Get("/api/v1/reports/osce?year=2019&format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.raw.substr(0, 2), "PK");
  EXPECT_NE(xlsx.Header("Content-Type").find("spreadsheetml"), std::string::npos);
}

TEST_F(Reports, SmallCellsStaySuppressedForAnalysts) {
  Client analyst = As("analyst");
  // In the sample, four persons of 2011 are Ukrainian: that cell is hidden,
  // and another cell of 2011 with it, or the total of 2011 would give it away.
  auto r = analyst.Get("/api/v1/reports/counts?by=year,citizenship");
  ASSERT_EQ(r.status, 200);
  int hidden_2011 = 0;
  for (const auto& row : r.body["rows"]) {
    if (row["count"].is_number()) {
      EXPECT_GE(row["count"].get<long>(), 5) << row.dump();
    } else if (row["year"] == 2011) {
      ++hidden_2011;
    }
    if (row["year"] == 2011 && row["citizenship"] == "UA") {
      EXPECT_EQ(row["count"], "<5");
    }
  }
  EXPECT_GE(hidden_2011, 2);
  auto lower = analyst.Get("/api/v1/reports/counts?by=citizenship&suppress=0");
  EXPECT_EQ(lower.status, 403);
  EXPECT_EQ(lower.ErrorCode(), "suppression_required");
  EXPECT_EQ(As("coordinator").Get("/api/v1/reports/counts?by=citizenship&suppress=0").status, 200);
  EXPECT_EQ(analyst.Get("/api/v1/reports/counts?by=citizenship&suppress=11").status, 200);
}

TEST_F(Reports, DifferentiallyPrivateRelease) {
  auto r = As("analyst").Get("/api/v1/reports/counts?by=sex&year=2019&dp_epsilon=1");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["differential_privacy"]["mechanism"], "laplace");
  EXPECT_EQ(r.body["differential_privacy"]["epsilon"], 1.0);
  auto bad = As("analyst").Get("/api/v1/reports/counts?by=sex&dp_epsilon=-1");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorField(), "dp_epsilon");
}

TEST_F(Reports, BadInputIsAClearErrorAndChangesNothing) {
  Client analyst = As("analyst");
  size_t before = ReportAuditEntries();
  struct Case {
    std::string path;
    int status;
    std::string field;
  };
  for (const auto& c : std::vector<Case>{
           {"/api/v1/reports/counts", 400, "by"},
           {"/api/v1/reports/counts?by=colour", 400, "by"},
           {"/api/v1/reports/counts?by=year,year", 400, "by"},
           {"/api/v1/reports/counts?by=year&year=20x9", 400, "year"},
           {"/api/v1/reports/counts?by=year&year=1200", 400, "year"},
           {"/api/v1/reports/counts?by=year&format=xlsx", 400, "format"},
           {"/api/v1/reports/counts?by=year&suppress=-1", 400, "suppress"},
           {"/api/v1/reports/greta", 400, "year"},
           {"/api/v1/reports/greta?year=2019&format=pdf", 400, "format"},
           {"/api/v1/reports/nosuch?year=2019", 404, "name"},
       }) {
    auto r = analyst.Get(c.path);
    EXPECT_EQ(r.status, c.status) << c.path << " " << r.raw;
    EXPECT_EQ(r.ErrorField(), c.field) << c.path << " " << r.raw;
    EXPECT_FALSE(r.body["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(ReportAuditEntries(), before);
}

TEST_F(Reports, EveryReportLeavesAnAuditEntry) {
  size_t before = ReportAuditEntries();
  Client analyst = As("analyst");
  ASSERT_EQ(analyst.Get("/api/v1/reports/greta?year=2019").status, 200);
  ASSERT_EQ(analyst.Get("/api/v1/reports/counts?by=sex").status, 200);
  EXPECT_EQ(ReportAuditEntries(), before + 2);
}

}  // namespace
}  // namespace haven::testing
