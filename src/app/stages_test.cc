// The stages use cases in process with a fixed clock, above all the reminders
// (StageTasks), whose horizon depends on "today".

#include "app/stages.h"
#include "app/casework.h"

#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

namespace haven::app {
namespace {

using domain::Date;

class FixedClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::sys_days(std::chrono::year(2026) / 11 / 28) + std::chrono::hours(12);
  }
};

class StagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("haven-stages-" + std::to_string(::getpid()) + "-" + privacy::RandomToken(6));
    auto r = App::Init(dir_, "orchard-lantern-basalt", std::make_unique<FixedClock>());
    ASSERT_TRUE(r) << r.error().message;
    app_ = std::move(r->app);
    Actor system = Actor::System("test");
    for (Actor* a : {&caseworker_, &other_}) {
      domain::Organization o;
      o.name = a == &caseworker_ ? "NGO" : "Other NGO";
      o.kind = domain::OrgKind::kNgo;
      auto org = app_->CreateOrganization(system, o);
      ASSERT_TRUE(org);
      auto user = app_->CreateUser(
          system, NewUser{a == &caseworker_ ? "leyla.cw" : "other.cw", "a-long-test-password",
                          domain::Role::kCaseworker, org->id});
      ASSERT_TRUE(user) << user.error().message;
      a->user_id = user->id;
      a->role = domain::Role::kCaseworker;
      a->organization_id = org->id;
    }
    auto coordinator = app_->CreateUser(system, NewUser{"coord", "a-long-test-password",
                                                        domain::Role::kCoordinator,
                                                        caseworker_.organization_id});
    ASSERT_TRUE(coordinator) << coordinator.error().message;
    coordinator_.user_id = coordinator->id;
    coordinator_.role = domain::Role::kCoordinator;
    coordinator_.organization_id = caseworker_.organization_id;

    domain::NewCase c;
    c.person.given_name = "Leyla";
    c.person.family_name = "Həsənova";
    c.person.sex = domain::Sex::kFemale;
    c.person.citizenship = {domain::Citizenship::Kind::kStateless, ""};
    c.fields.identified_on = Date::FromYmd(2026, 2, 1);
    c.fields.identified_by = domain::IdentifiedBy::kNgo;
    c.fields.exploitation = {domain::Exploitation::kForcedLabour};
    auto created = app_->CreateCase(caseworker_, c);
    ASSERT_TRUE(created) << created.error().message;
    case_id_ = created->c.id;
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::vector<std::string> TaskKinds(const Actor& actor, int within_days = 7) {
    auto tx = app_->Store().Begin(false);
    EXPECT_TRUE(tx);
    auto tasks = StageTasks(*app_, **tx, actor, app_->Today(), within_days);
    EXPECT_TRUE(tasks) << tasks.error().message;
    std::vector<std::string> kinds;
    for (const auto& t : *tasks) {
      EXPECT_EQ(t.case_id, case_id_);
      kinds.push_back(t.kind);
    }
    std::sort(kinds.begin(), kinds.end());
    return kinds;
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
  Actor caseworker_, other_, coordinator_;
  Id case_id_ = 0;
};

TEST_F(StagesTest, RemindersComeAndGoWithTheirCauses) {
  StageService s(*app_);
  EXPECT_TRUE(TaskKinds(caseworker_).empty());

  domain::SupportPlan plan;
  plan.assessed_on = Date::FromYmd(2026, 2, 10);
  plan.needs = "housing";
  plan.objectives = "independent living";
  plan.planned_end_on = Date::FromYmd(2026, 10, 1);
  ASSERT_TRUE(s.ReviseSupportPlan(caseworker_, case_id_, plan, std::nullopt));

  domain::FollowUp soon, later;
  soon.due_on = Date::FromYmd(2026, 12, 1);
  later.due_on = Date::FromYmd(2027, 3, 1);
  auto follow_up = s.ScheduleFollowUp(caseworker_, case_id_, soon);
  ASSERT_TRUE(follow_up);
  ASSERT_TRUE(s.ScheduleFollowUp(caseworker_, case_id_, later));

  domain::ResidencePermit permit;
  permit.permit_type = domain::PermitType::kTemporaryResidence;
  permit.applied_on = Date::FromYmd(2026, 2, 15);
  permit.decision = domain::PermitDecision::kGranted;
  permit.decided_on = Date::FromYmd(2026, 3, 1);
  permit.expires_on = Date::FromYmd(2026, 12, 3);
  ASSERT_TRUE(s.RecordPermit(caseworker_, case_id_, permit));

  EXPECT_EQ(TaskKinds(caseworker_),
            (std::vector<std::string>{"follow_up_due", "residence_permit_expiring",
                                      "support_plan_end_passed"}));
  EXPECT_EQ(TaskKinds(caseworker_, 0), std::vector<std::string>{"support_plan_end_passed"});
  EXPECT_EQ(TaskKinds(caseworker_, 120).size(), 4u);  // the later follow-up too
  // Other organisations and coordinators get none of these.
  EXPECT_TRUE(TaskKinds(other_).empty());
  EXPECT_TRUE(TaskKinds(coordinator_).empty());

  // A renewal, a completed follow-up and a plan with an actual end clear them.
  permit.applied_on = Date::FromYmd(2026, 10, 1);
  permit.decided_on = Date::FromYmd(2026, 11, 1);
  permit.expires_on = Date::FromYmd(2027, 11, 1);
  ASSERT_TRUE(s.RecordPermit(caseworker_, case_id_, permit));
  ASSERT_TRUE(s.CompleteFollowUp(caseworker_, follow_up->follow_up.id, Date::FromYmd(2026, 11, 27),
                                 domain::FollowUpOutcome::kStable, "all well"));
  plan.actual_end_on = Date::FromYmd(2026, 11, 20);
  ASSERT_TRUE(s.ReviseSupportPlan(caseworker_, case_id_, plan, 1));
  EXPECT_TRUE(TaskKinds(caseworker_).empty());
}

TEST_F(StagesTest, AnExtensionBumpsTheCaseVersionAndKeepsTheReasonSealed) {
  StageService s(*app_);
  TransitionRequest t;
  t.to = domain::CaseStatus::kReflectionPeriod;
  t.on = Date::FromYmd(2026, 11, 1);
  auto moved = CaseworkService(*app_).Transition(caseworker_, case_id_, t);
  ASSERT_TRUE(moved);
  auto before = std::optional<domain::Case>(moved->c);
  ASSERT_TRUE(before);
  domain::ReflectionExtension e;
  e.days = 14;
  e.decided_on = Date::FromYmd(2026, 11, 20);
  e.reason = "awaiting surgery";
  auto r = s.ExtendReflection(caseworker_, case_id_, e);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->c.version, before->version + 1);
  EXPECT_EQ(*r->c.reflection_end, before->reflection_end->PlusDays(14));
  auto own = s.ExtensionsOfCase(caseworker_, case_id_);
  ASSERT_TRUE(own);
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ((*own)[0].extension.reason, "awaiting surgery");
  auto national = s.ExtensionsOfCase(coordinator_, case_id_);
  ASSERT_TRUE(national);
  EXPECT_FALSE((*national)[0].reason_visible);
  EXPECT_TRUE((*national)[0].extension.reason.empty());
  EXPECT_FALSE(s.ExtensionsOfCase(other_, case_id_));
}

}  // namespace
}  // namespace haven::app
