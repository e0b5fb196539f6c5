// The statistics use cases in process: who may do what, one audit entry per
// use case, bad input changes nothing, and CTDC import is idempotent.

#include "app/reports.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace haven::app {
namespace {

class FixedClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::sys_days(std::chrono::year(2026) / 11 / 28) + std::chrono::hours(12);
  }
};

std::string Sample() {
  std::ifstream in(std::string(HAVEN_SHARED_DATA) + "/ctdc/ctdc_global_kanon_sample.csv");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ReportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("haven-reports-" + std::to_string(::getpid()) + "-" + privacy::RandomToken(6));
    auto r = App::Init(dir_, "orchard-lantern-basalt", std::make_unique<FixedClock>());
    ASSERT_TRUE(r) << r.error().message;
    app_ = std::move(r->app);
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }
  Actor As(domain::Role role) {
    Actor a;
    a.user_id = 42;
    a.username = "someone";
    a.role = role;
    a.organization_id = 1;
    return a;
  }
  std::int64_t AuditEntries() {
    auto tx = app_->Store().Begin(false);
    auto last = (*tx)->LastAudit();
    return *last ? (**last).seq : 0;
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
};

TEST_F(ReportServiceTest, OnlyAnalystsAndCoordinatorsReadStatistics) {
  ReportService service(*app_);
  for (auto role : {domain::Role::kAnalyst, domain::Role::kCoordinator}) {
    EXPECT_TRUE(service.List(As(role)));
    EXPECT_TRUE(service.Counts(As(role), {.by = "year"}));
    EXPECT_TRUE(service.Run(As(role), {.name = "greta", .year = 2025}));
  }
  for (auto role : {domain::Role::kAdmin, domain::Role::kCaseworker,
                    domain::Role::kShelterManager, domain::Role::kAuditor}) {
    auto r = service.Counts(As(role), {.by = "year"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
    EXPECT_EQ(service.ExportCtdc(As(role), 11).error().code, ErrorCode::kForbidden);
  }
}

TEST_F(ReportServiceTest, OnlyCoordinatorsAndAdminsImport) {
  ReportService service(*app_);
  std::string sample = Sample();
  for (auto role : {domain::Role::kAnalyst, domain::Role::kCaseworker,
                    domain::Role::kShelterManager, domain::Role::kAuditor}) {
    auto r = service.ImportCtdc(As(role), sample);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  }
  EXPECT_TRUE(service.ImportCtdc(As(domain::Role::kCoordinator), sample));
  EXPECT_TRUE(service.ImportCtdc(As(domain::Role::kAdmin), sample));
}

TEST_F(ReportServiceTest, ImportIsIdempotentAndAudited) {
  ReportService service(*app_);
  auto before = AuditEntries();
  auto first = service.ImportCtdc(Actor::System("test"), Sample());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->read, 1191u);
  EXPECT_EQ(first->added, 1191u);
  EXPECT_EQ(first->read, first->imported + first->rejected);
  auto second = service.ImportCtdc(Actor::System("test"), Sample());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->added, 0u);
  EXPECT_EQ(second->already_present, 1191u);
  auto tx = app_->Store().Begin(false);
  EXPECT_EQ(*(*tx)->Reports().CountCtdcRecords(), 1191);
  EXPECT_EQ(AuditEntries(), before + 2);
}

TEST_F(ReportServiceTest, BadInputChangesNothing) {
  ReportService service(*app_);
  Actor analyst = As(domain::Role::kAnalyst);
  auto before = AuditEntries();
  EXPECT_EQ(service.Counts(analyst, {.by = "colour"}).error().field, "by");
  EXPECT_EQ(service.Counts(analyst, {.by = "year", .year = 99}).error().field, "year");
  EXPECT_EQ(service.Counts(analyst, {.by = "year", .format = "xlsx"}).error().field, "format");
  EXPECT_EQ(service.Run(analyst, {.name = "greta"}).error().field, "year");
  EXPECT_EQ(service.Run(analyst, {.name = "greta", .year = 2025, .format = "docx"}).error().field,
            "format");
  EXPECT_EQ(service.Run(analyst, {.name = "greta", .year = 2025, .lang = "fr"}).error().field,
            "lang");
  EXPECT_EQ(service.Run(analyst, {.name = "nope", .year = 2025}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service.ExportCtdc(analyst, 1).error().field, "k");
  // Analysts cannot lower the threshold; coordinators may.
  EXPECT_EQ(service.Counts(analyst, {.by = "year", .suppress = 0}).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service.ImportCtdc(Actor::System("t"), "not;a;ctdc;file\n1;2;3;4\n").error().code,
            ErrorCode::kValidation);
  EXPECT_EQ(AuditEntries(), before);
  EXPECT_TRUE(service.Counts(As(domain::Role::kCoordinator), {.by = "year", .suppress = 0}));
  EXPECT_EQ(AuditEntries(), before + 1);
}

TEST_F(ReportServiceTest, DifferentiallyPrivateReleasesAreLedgered) {
  ReportService service(*app_);
  ASSERT_TRUE(service.ImportCtdc(Actor::System("test"), Sample()));
  Actor analyst = As(domain::Role::kAnalyst);
  auto r = service.Counts(analyst, {.by = "sex", .year = 2016, .dp = report::DpParams{"laplace", 0.5, 0}});
  ASSERT_TRUE(r) << r.error().message;
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["differential_privacy"]["epsilon"], 0.5);
  EXPECT_EQ(j["differential_privacy"]["epsilon_spent_before"], 0.0);
  auto again = service.Run(analyst, {.name = "osce", .year = 2016, .dp = report::DpParams{"laplace", 1.0, 0}});
  ASSERT_TRUE(again) << again.error().message;
  auto k = nlohmann::json::parse(again->body);
  EXPECT_EQ(k["differential_privacy"]["epsilon_spent_before"], 0.5);
}

TEST_F(ReportServiceTest, PrivacyBudgetIsCappedPerYear) {
  ReportService service(*app_);
  ASSERT_TRUE(service.ImportCtdc(Actor::System("test"), Sample()));
  Actor analyst = As(domain::Role::kAnalyst);
  auto dp = [](double epsilon) { return report::DpParams{"laplace", epsilon, 0}; };
  ASSERT_EQ(app_->config().dp_epsilon_budget, 10.0);
  ASSERT_TRUE(service.Counts(analyst, {.by = "sex", .year = 2016, .dp = dp(1.5)}));
  // 1.5 + 9 would pass the budget of 10 for 2016: refused, and nothing is recorded.
  const auto before = AuditEntries();
  auto over = service.Counts(analyst, {.by = "sex", .year = 2016, .dp = dp(9)});
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kConflict);
  EXPECT_EQ(over.error().reason, "privacy_budget_exhausted");
  EXPECT_EQ(over.error().field, "dp_epsilon");
  EXPECT_NE(over.error().message.find("only 8.5 of the privacy budget of 10 for 2016"),
            std::string::npos)
      << over.error().message;
  EXPECT_EQ(AuditEntries(), before);
  // Exactly the rest is allowed; then nothing more about 2016, nor over all years.
  auto rest = service.Run(analyst, {.name = "osce", .year = 2016, .dp = dp(8.5)});
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_EQ(nlohmann::json::parse(rest->body)["differential_privacy"]["epsilon_spent_before"],
            1.5);
  EXPECT_FALSE(service.Counts(analyst, {.by = "sex", .year = 2016, .dp = dp(0.1)}));
  EXPECT_FALSE(service.Counts(analyst, {.by = "sex", .dp = dp(0.1)}));
  // Another year has its own budget; releases without noise spend none.
  EXPECT_TRUE(service.Counts(analyst, {.by = "sex", .year = 2017, .dp = dp(5)}));
  EXPECT_TRUE(service.Counts(analyst, {.by = "sex", .year = 2016}));
}

}  // namespace
}  // namespace haven::app
