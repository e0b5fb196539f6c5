#include "domain/stages.h"

#include <gtest/gtest.h>

namespace haven::domain {
namespace {

const Date kToday = Date::FromYmd(2026, 6, 1);
const Date kIdentified = Date::FromYmd(2026, 1, 10);

std::string FieldOf(const Status& s) { return s ? "" : s.error().field; }

SupportPlan ValidPlan() {
  SupportPlan p;
  p.assessed_on = Date::FromYmd(2026, 1, 20);
  p.needs = "safe housing, medical check";
  p.objectives = "stable housing within three months";
  p.planned_services = {ServiceType::kMedical, ServiceType::kLegal};
  p.planned_end_on = Date::FromYmd(2026, 7, 1);
  return p;
}

TEST(SupportPlan, DatesMustFollowIdentificationAssessmentAndToday) {
  EXPECT_TRUE(ValidateSupportPlan(ValidPlan(), kIdentified, kToday));
  auto p = ValidPlan();
  p.assessed_on = Date::FromYmd(2026, 1, 1);
  EXPECT_EQ(FieldOf(ValidateSupportPlan(p, kIdentified, kToday)), "assessed_on");
  p = ValidPlan();
  p.assessed_on = kToday.PlusDays(1);
  EXPECT_EQ(FieldOf(ValidateSupportPlan(p, kIdentified, kToday)), "assessed_on");
  p = ValidPlan();
  p.planned_end_on = p.assessed_on.PlusDays(-1);
  EXPECT_EQ(FieldOf(ValidateSupportPlan(p, kIdentified, kToday)), "planned_end_on");
  p = ValidPlan();
  p.actual_end_on = kToday.PlusDays(3);
  EXPECT_EQ(FieldOf(ValidateSupportPlan(p, kIdentified, kToday)), "actual_end_on");
  p = ValidPlan();
  p.actual_end_on = p.assessed_on.PlusDays(-1);
  EXPECT_EQ(FieldOf(ValidateSupportPlan(p, kIdentified, kToday)), "actual_end_on");
  p = ValidPlan();
  p.needs.clear();
  EXPECT_EQ(FieldOf(ValidateSupportPlan(p, kIdentified, kToday)), "needs");
  p = ValidPlan();
  p.objectives = "bad\x01text";
  EXPECT_EQ(FieldOf(ValidateSupportPlan(p, kIdentified, kToday)), "objectives");
}

Case CaseInReflection() {
  Case c;
  c.code = "AZ-2026-000001";
  c.fields.identified_on = kIdentified;
  c.status = CaseStatus::kReflectionPeriod;
  c.reflection_start = Date::FromYmd(2026, 5, 1);
  c.reflection_end = Date::FromYmd(2026, 5, 31);
  return c;
}

TEST(ReflectionExtension, NeedsAReflectionPeriodThatStillRuns) {
  ReflectionExtension e;
  e.days = 30;
  e.decided_on = Date::FromYmd(2026, 5, 20);
  e.reason = "medical treatment continues";
  EXPECT_TRUE(ValidateExtension(e, CaseInReflection(), kToday));

  Case never = CaseInReflection();
  never.status = CaseStatus::kIdentified;
  never.reflection_start.reset();
  never.reflection_end.reset();
  auto refused = ValidateExtension(e, never, kToday);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().reason, "no_reflection_period");

  for (int days : {0, -5, kMaxExtensionDays + 1}) {
    auto bad = e;
    bad.days = days;
    EXPECT_EQ(FieldOf(ValidateExtension(bad, CaseInReflection(), kToday)), "days") << days;
  }
  auto early = e;
  early.decided_on = Date::FromYmd(2026, 4, 30);
  EXPECT_EQ(FieldOf(ValidateExtension(early, CaseInReflection(), kToday)), "decided_on");
  auto late = e;
  late.decided_on = Date::FromYmd(2026, 6, 1);  // after the period ended on 31 May
  EXPECT_EQ(FieldOf(ValidateExtension(late, CaseInReflection(), kToday)), "decided_on");
  auto future = e;
  future.decided_on = kToday.PlusDays(1);
  Case long_period = CaseInReflection();
  long_period.reflection_end = kToday.PlusDays(20);
  EXPECT_EQ(FieldOf(ValidateExtension(future, long_period, kToday)), "decided_on");
  auto no_reason = e;
  no_reason.reason.clear();
  EXPECT_EQ(FieldOf(ValidateExtension(no_reason, CaseInReflection(), kToday)), "reason");
}

TEST(ResidencePermit, DecisionAndExpiryFollowTheApplication) {
  ResidencePermit p;
  p.permit_type = PermitType::kTemporaryResidence;
  p.applied_on = Date::FromYmd(2026, 2, 1);
  EXPECT_TRUE(ValidatePermit(p, kToday));  // pending
  auto pending_dated = p;
  pending_dated.decided_on = Date::FromYmd(2026, 3, 1);
  EXPECT_EQ(FieldOf(ValidatePermit(pending_dated, kToday)), "decided_on");

  auto granted = p;
  granted.decision = PermitDecision::kGranted;
  EXPECT_EQ(FieldOf(ValidatePermit(granted, kToday)), "decided_on");
  granted.decided_on = Date::FromYmd(2026, 3, 1);
  granted.expires_on = Date::FromYmd(2027, 3, 1);
  EXPECT_TRUE(ValidatePermit(granted, kToday));
  auto early = granted;
  early.decided_on = Date::FromYmd(2026, 1, 1);
  EXPECT_EQ(FieldOf(ValidatePermit(early, kToday)), "decided_on");
  auto expired_first = granted;
  expired_first.expires_on = Date::FromYmd(2026, 2, 1);
  EXPECT_EQ(FieldOf(ValidatePermit(expired_first, kToday)), "expires_on");
  auto refused = granted;
  refused.decision = PermitDecision::kRefused;
  EXPECT_EQ(FieldOf(ValidatePermit(refused, kToday)), "expires_on");
  auto future = p;
  future.applied_on = kToday.PlusDays(1);
  EXPECT_EQ(FieldOf(ValidatePermit(future, kToday)), "applied_on");
}

TEST(Proceeding, EndsOnlyAtJudgmentOrClosureAndNeverBeforeItStarts) {
  Proceeding p;
  p.cooperating = true;
  p.stage = ProceedingStage::kTrial;
  p.started_on = Date::FromYmd(2026, 2, 1);
  p.stage_since = Date::FromYmd(2026, 4, 1);
  EXPECT_TRUE(ValidateProceeding(p, kToday));
  auto ended_in_trial = p;
  ended_in_trial.ended_on = Date::FromYmd(2026, 5, 1);
  EXPECT_EQ(FieldOf(ValidateProceeding(ended_in_trial, kToday)), "ended_on");
  auto closed = p;
  closed.stage = ProceedingStage::kClosed;
  EXPECT_EQ(FieldOf(ValidateProceeding(closed, kToday)), "ended_on");
  closed.ended_on = Date::FromYmd(2026, 3, 1);  // before the current stage began
  EXPECT_EQ(FieldOf(ValidateProceeding(closed, kToday)), "ended_on");
  closed.ended_on = Date::FromYmd(2026, 5, 1);
  EXPECT_TRUE(ValidateProceeding(closed, kToday));
  auto backwards = p;
  backwards.stage_since = Date::FromYmd(2026, 1, 1);
  EXPECT_EQ(FieldOf(ValidateProceeding(backwards, kToday)), "stage_since");
}

TEST(CompensationClaim, AmountsAndDatesFollowTheStatus) {
  CompensationClaim c;
  c.route = CompensationRoute::kCivilClaim;
  c.amount_claimed_minor = 500000;
  c.currency = "AZN";
  c.filed_on = Date::FromYmd(2026, 2, 1);
  EXPECT_TRUE(ValidateClaim(c, kToday));

  auto negative = c;
  negative.amount_claimed_minor = -1;
  EXPECT_EQ(FieldOf(ValidateClaim(negative, kToday)), "amount_claimed_minor");
  auto zero = c;
  zero.amount_claimed_minor = 0;
  EXPECT_EQ(FieldOf(ValidateClaim(zero, kToday)), "amount_claimed_minor");
  auto huge = c;
  huge.amount_claimed_minor = kMaxAmountMinor + 1;
  EXPECT_EQ(FieldOf(ValidateClaim(huge, kToday)), "amount_claimed_minor");
  auto currency = c;
  currency.currency = "XYZ";
  EXPECT_EQ(FieldOf(ValidateClaim(currency, kToday)), "currency");
  auto premature_award = c;
  premature_award.amount_awarded_minor = 100;
  EXPECT_EQ(FieldOf(ValidateClaim(premature_award, kToday)), "amount_awarded_minor");

  auto awarded = c;
  awarded.status = ClaimStatus::kAwarded;
  EXPECT_EQ(FieldOf(ValidateClaim(awarded, kToday)), "amount_awarded_minor");
  awarded.amount_awarded_minor = 300000;
  EXPECT_EQ(FieldOf(ValidateClaim(awarded, kToday)), "decided_on");
  awarded.decided_on = Date::FromYmd(2026, 1, 15);
  EXPECT_EQ(FieldOf(ValidateClaim(awarded, kToday)), "decided_on");
  awarded.decided_on = Date::FromYmd(2026, 4, 1);
  EXPECT_TRUE(ValidateClaim(awarded, kToday));
  auto negative_award = awarded;
  negative_award.amount_awarded_minor = -300;
  EXPECT_EQ(FieldOf(ValidateClaim(negative_award, kToday)), "amount_awarded_minor");

  auto paid = awarded;
  paid.status = ClaimStatus::kPaid;
  EXPECT_EQ(FieldOf(ValidateClaim(paid, kToday)), "paid_on");
  paid.paid_on = Date::FromYmd(2026, 3, 1);
  EXPECT_EQ(FieldOf(ValidateClaim(paid, kToday)), "paid_on");
  paid.paid_on = Date::FromYmd(2026, 5, 1);
  EXPECT_TRUE(ValidateClaim(paid, kToday));
  auto paid_too_soon = awarded;
  paid_too_soon.paid_on = Date::FromYmd(2026, 5, 1);
  EXPECT_EQ(FieldOf(ValidateClaim(paid_too_soon, kToday)), "paid_on");
}

TEST(Return, NeedsACountryAndADateAfterIdentification) {
  Return r;
  r.destination_country = "UZ";
  r.returned_on = Date::FromYmd(2026, 3, 1);
  EXPECT_TRUE(ValidateReturn(r, kIdentified, kToday));
  auto bad_country = r;
  bad_country.destination_country = "Uzbekistan";
  EXPECT_EQ(FieldOf(ValidateReturn(bad_country, kIdentified, kToday)), "destination_country");
  auto early = r;
  early.returned_on = Date::FromYmd(2025, 12, 1);
  EXPECT_EQ(FieldOf(ValidateReturn(early, kIdentified, kToday)), "returned_on");
}

TEST(FollowUp, CompletedOnceNotInTheFuture) {
  FollowUp f;
  f.due_on = Date::FromYmd(2026, 7, 1);
  EXPECT_TRUE(ValidateFollowUp(f, kIdentified));
  auto early = f;
  early.due_on = Date::FromYmd(2025, 7, 1);
  EXPECT_EQ(FieldOf(ValidateFollowUp(early, kIdentified)), "due_on");
  EXPECT_TRUE(ValidateFollowUpCompletion(f, kToday, "all well", kIdentified, kToday));
  EXPECT_EQ(FieldOf(ValidateFollowUpCompletion(f, kToday.PlusDays(1), "", kIdentified, kToday)),
            "done_on");
  auto done = f;
  done.done_on = kToday;
  auto again = ValidateFollowUpCompletion(done, kToday, "", kIdentified, kToday);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace haven::domain
