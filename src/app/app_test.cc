// The use cases in process, with a fixed clock: authorisation, one transaction
// per use case with its audit entry, and the audit chain.

#include "app/app.h"
#include "app/casework.h"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "domain/rules.h"

namespace haven::app {
namespace {

class FixedClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::sys_days(std::chrono::year(2026) / 11 / 28) + std::chrono::hours(12);
  }
};

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("haven-app-" + std::to_string(::getpid()) + "-" + privacy::RandomToken(6));
    auto r = App::Init(dir_, "orchard-lantern-basalt", std::make_unique<FixedClock>());
    ASSERT_TRUE(r) << r.error().message;
    app_ = std::move(r->app);
    system_ = Actor::System("test");
    domain::Organization o;
    o.name = "NGO";
    o.kind = domain::OrgKind::kNgo;
    auto org = app_->CreateOrganization(system_, o);
    ASSERT_TRUE(org);
    auto user = app_->CreateUser(system_, NewUser{"elvin.cw", "a-long-test-password",
                                                  domain::Role::kCaseworker, org->id});
    ASSERT_TRUE(user) << user.error().message;
    caseworker_.user_id = user->id;
    caseworker_.username = user->username;
    caseworker_.role = domain::Role::kCaseworker;
    caseworker_.organization_id = org->id;
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  domain::NewCase NewCase() {
    domain::NewCase c;
    c.person.given_name = "Elvin";
    c.person.family_name = "Məmmədov";
    c.person.birth_date = domain::Date::FromYmd(1985, 3, 14);
    c.person.sex = domain::Sex::kMale;
    c.person.citizenship = {domain::Citizenship::Kind::kStateless, ""};
    c.fields.identified_on = domain::Date::FromYmd(2026, 2, 1);
    c.fields.identified_by = domain::IdentifiedBy::kNgo;
    c.fields.exploitation = {domain::Exploitation::kForcedLabour};
    return c;
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
  Actor system_, caseworker_;
};

TEST_F(AppTest, TodayComesFromTheInjectedClock) {
  EXPECT_EQ(app_->Today().ToString(), "2026-11-28");
  auto future = NewCase();
  future.fields.identified_on = domain::Date::FromYmd(2026, 11, 29);
  auto r = app_->CreateCase(caseworker_, future);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "identified_on");
}

TEST_F(AppTest, CreateCaseSealsIdentityAndAuditsInOneGo) {
  auto created = app_->CreateCase(caseworker_, NewCase());
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->c.code, "AZ-2026-000001");
  EXPECT_EQ(created->c.age_at_identification, 40);
  auto identity = app_->ViewIdentity(caseworker_, created->c.id, "checking the spelling");
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->identity.family_name, "Məmmədov");
  auto v = app_->VerifyAudit();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact);
  // init (2) + organisation (1) + account (1) + case (1) + identity view (1)
  EXPECT_EQ(v->entries, 6);
}

TEST_F(AppTest, AFailedUseCaseLeavesNoTrace) {
  auto bad = NewCase();
  bad.fields.region = "AZ-NOPE";
  EXPECT_FALSE(app_->CreateCase(caseworker_, bad));
  auto v = app_->VerifyAudit();
  EXPECT_EQ(v->entries, 4);  // init (2) + organisation (1) + account (1)
  Actor coordinator = caseworker_;
  coordinator.role = domain::Role::kCoordinator;
  auto page = app_->ListCases(coordinator, CaseQuery{});
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->items.empty());
}

TEST_F(AppTest, EqualTreatmentNoRuleReadsCitizenship) {
  // The same case for a citizen, a foreign national and a stateless person:
  // every outcome and every allowed transition is identical.
  std::vector<std::vector<std::string>> histories;
  for (const char* citizenship : {"AZ", "UZ", "stateless", "unknown"}) {
    auto c = NewCase();
    c.person.citizenship = *domain::Citizenship::Parse(citizenship, "c");
    auto created = app_->CreateCase(caseworker_, c);
    ASSERT_TRUE(created);
    std::vector<std::string> history;
    for (auto to : {domain::CaseStatus::kReferred, domain::CaseStatus::kReflectionPeriod,
                    domain::CaseStatus::kAssisted, domain::CaseStatus::kReturned,
                    domain::CaseStatus::kReintegrated}) {
      TransitionRequest t;
      t.to = to;
      auto moved = CaseworkService(*app_).Transition(caseworker_, created->c.id, t);
      history.push_back(moved ? std::string(domain::Name(moved->c.status)) : moved.error().reason);
      auto detail = app_->GetCase(caseworker_, created->c.id);
      for (auto s : detail->allowed_next) history.push_back(std::string(domain::Name(s)));
    }
    histories.push_back(history);
  }
  for (const auto& h : histories) EXPECT_EQ(h, histories.front());
}

TEST_F(AppTest, TamperedAuditEntryIsFound) {
  ASSERT_TRUE(app_->CreateCase(caseworker_, NewCase()));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "haven.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_update;"
                         "UPDATE audit_log SET action = 'case.view' WHERE seq = 4",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto v = app_->VerifyAudit();
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_broken_seq, 4);
}

}  // namespace
}  // namespace haven::app
