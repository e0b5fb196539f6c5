// Statistics over HTTP against a real `haven serve`: who may read them, the
// formats, suppression for analysts, bad input of every kind, and the audit
// entry each report leaves.

#include <fstream>
#include <set>
#include <sstream>

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
  auto j = analyst.Get("/api/v1/reports/counts?by=year,sex&year=2019&source=ctdc");
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

  auto csv = analyst.Get("/api/v1/reports/counts?by=sex&year=2019&format=csv&source=ctdc");
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
  auto r = analyst.Get("/api/v1/reports/counts?by=year,citizenship&source=ctdc");
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

TEST_F(Reports, ARepeatedQueryGetsTheSameAnswerAndSpendsNothing) {
  Client analyst = As("analyst");
  const std::string q = "/api/v1/reports/counts?by=sex&year=2018&source=ctdc&dp_epsilon=0.5";
  auto first = analyst.Get(q);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.Header("X-Haven-Release"), "");
  auto second = As("coordinator").Get(q);
  ASSERT_EQ(second.status, 200) << second.raw;
  EXPECT_EQ(second.Header("X-Haven-Release"), "repeated");
  EXPECT_EQ(second.body["rows"], first.body["rows"]);
  EXPECT_EQ(second.body["total"], first.body["total"]);
  // A named report, asked again in another format, is the same release.
  auto report = analyst.Get("/api/v1/reports/osce?year=2018&source=ctdc&dp_epsilon=0.25");
  ASSERT_EQ(report.status, 200) << report.raw;
  auto csv = analyst.Get("/api/v1/reports/osce?year=2018&source=ctdc&dp_epsilon=0.25&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.raw;
  EXPECT_EQ(csv.Header("X-Haven-Release"), "repeated");
  const auto& sex = report.body["tables"][0];
  ASSERT_EQ(sex["id"], "sex");
  for (const auto& row : sex["rows"]) {
    if (!row["values"][0].is_number()) continue;
    const std::string line = "\nsex," + row["label"].get<std::string>() + ",count," +
                             std::to_string(row["values"][0].get<long>());
    const auto at = csv.raw.find(line);
    ASSERT_NE(at, std::string::npos) << line << csv.raw;
    const char next = csv.raw[at + line.size()];
    EXPECT_TRUE(next == ',' || next == '\n') << line;
  }

  // The budget says what was spent, once per question, and by whom.
  auto budget = analyst.Get("/api/v1/reports/privacy-budget?year=2018");
  ASSERT_EQ(budget.status, 200) << budget.raw;
  EXPECT_EQ(budget.body["budget"], 10.0);
  ASSERT_EQ(budget.body["years"].size(), 1u) << budget.raw;
  const auto& y = budget.body["years"][0];
  EXPECT_EQ(y["year"], 2018);
  EXPECT_DOUBLE_EQ(y["spent"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(y["left"].get<double>(), 9.25);
  ASSERT_EQ(y["by"].size(), 1u) << budget.raw;
  EXPECT_EQ(y["by"][0]["username"], "analyst");
  EXPECT_EQ(y["by"][0]["releases"], 2);
  // Without a year: every year with a release.
  auto all = As("coordinator").Get("/api/v1/reports/privacy-budget");
  ASSERT_EQ(all.status, 200);
  bool has_2018 = false;
  for (const auto& year : all.body["years"]) has_2018 |= year["year"] == 2018 && year["spent"] == 0.75;
  EXPECT_TRUE(has_2018) << all.raw;
  EXPECT_EQ(As("caseworker").Get("/api/v1/reports/privacy-budget").status, 403);
}

TEST(PrivacyBudget, EachAnalystHasAShareOfTheYearsBudget) {
  auto dir = TempDir("budget-share");
  auto inst = dir / "inst";
  ASSERT_EQ(RunHaven({"init", "--dir", inst.string(), "--admin-password", kAdminPassword}).exit_code, 0);
  HavenToml(inst).Write("dp_epsilon_per_analyst = 0\n", "dp_epsilon_per_analyst = 1.5\n");
  ASSERT_EQ(RunHaven({"import", "ctdc", kSample, "--dir", inst.string()}).exit_code, 0);
  ServerProcess server(inst);
  Client admin(server.port());
  ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
  auto org = admin.Post("/api/v1/organizations", {{"name", "Statistics Office"}, {"kind", "state_body"}});
  ASSERT_EQ(org.status, 201) << org.raw;
  for (const char* name : {"first", "second"})
    ASSERT_EQ(admin.Post("/api/v1/users", {{"username", name}, {"password", kPassword},
                                            {"role", "analyst"}, {"organization_id", org.body["id"]}})
                  .status,
              201);
  Client first(server.port()), second(server.port());
  ASSERT_EQ(first.Login("first", kPassword).status, 200);
  ASSERT_EQ(second.Login("second", kPassword).status, 200);
  const std::string base = "/api/v1/reports/counts?year=2019&source=ctdc&dp_epsilon=1&by=";
  ASSERT_EQ(first.Get(base + "sex").status, 200);
  auto over = first.Get(base + "age_group");
  EXPECT_EQ(over.status, 409) << over.raw;
  EXPECT_EQ(over.ErrorCode(), "privacy_budget_exhausted");
  EXPECT_NE(over.raw.find("dp_epsilon_per_analyst"), std::string::npos) << over.raw;
  // The first analyst's spending leaves the second's share whole.
  EXPECT_EQ(second.Get(base + "age_group").status, 200);
  auto budget = second.Get("/api/v1/reports/privacy-budget?year=2019");
  ASSERT_EQ(budget.status, 200);
  EXPECT_EQ(budget.body["per_analyst"], 1.5);
  EXPECT_DOUBLE_EQ(budget.body["years"][0]["spent"].get<double>(), 2.0);
  ASSERT_EQ(budget.body["years"][0]["by"].size(), 2u);
  for (const auto& u : budget.body["years"][0]["by"]) {
    EXPECT_DOUBLE_EQ(u["spent"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(u["left"].get<double>(), 0.5);
  }
  std::filesystem::remove_all(dir);
}

// What a partner opens: the workbook read back by openpyxl against the JSON of the same
// report and language, a PDF, and a plain-text table.
TEST_F(Reports, SpreadsheetsHoldNumbersAndEveryRowOfTheLayout) {
  Client analyst = As("analyst");
  for (const std::string lang : {"en", "ru", "az"}) {
    for (const std::string name : {"annual", "greta", "unodc", "osce"}) {
      const std::string q = "/api/v1/reports/" + name + "?year=2019&source=ctdc&lang=" + lang;
      auto json = analyst.Get(q);
      ASSERT_EQ(json.status, 200) << json.raw;
      EXPECT_EQ(json.body["language"], lang);
      auto xlsx = analyst.Get(q + "&format=xlsx");
      ASSERT_EQ(xlsx.status, 200) << xlsx.raw;
      const std::string suffix = lang == "en" ? "" : "-" + lang;
      EXPECT_NE(xlsx.Header("Content-Disposition").find(name + "-2019" + suffix + ".xlsx"),
                std::string::npos);
      auto base = *dir_ / (name + "-" + lang);
      std::ofstream(base.string() + ".xlsx", std::ios::binary) << xlsx.raw;
      std::ofstream(base.string() + ".json") << json.raw;
      auto check = RunCommand("/usr/bin/python3 " + std::string(HAVEN_SOURCE_DIR) +
                              "/tests/api/tools/check_xlsx.py " + base.string() + ".xlsx " +
                              base.string() + ".json");
      EXPECT_EQ(check.exit_code, 0) << name << " " << lang << ":\n" << check.out;
      EXPECT_EQ(check.out, "ok\n") << name << " " << lang;
    }
  }
  auto pdf = analyst.Get("/api/v1/reports/greta?year=2019&source=ctdc&lang=ru&format=pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.Header("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf.raw.substr(0, 5), "%PDF-");
  auto text = analyst.Get("/api/v1/reports/osce?year=2019&source=ctdc&format=text");
  ASSERT_EQ(text.status, 200);
  EXPECT_EQ(text.Header("Content-Type").rfind("text/plain", 0), 0u);
  EXPECT_NE(text.raw.find("Identified victims by sex"), std::string::npos) << text.raw;
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
           {"/api/v1/reports/greta?year=2019&format=docx", 400, "format"},
           {"/api/v1/reports/greta?year=2019&source=unhcr", 400, "source"},
           {"/api/v1/reports/greta?year=2019&source=haven,haven", 400, "source"},
           {"/api/v1/reports/referrals?year=2019&source=ctdc", 400, "source"},
           {"/api/v1/reports/privacy-budget?year=20x9", 400, "year"},
           {"/api/v1/reports/greta?year=2019&lang=fr", 400, "lang"},
           {"/api/v1/reports/counts?by=sex&format=pdf", 400, "format"},
           {"/api/v1/exports/ctdc?k=1", 400, "k"},
           {"/api/v1/exports/ctdc?k=3", 403, "k"},
           {"/api/v1/exports/ctdc?format=xml", 400, "format"},
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
