#include "domain/stages.h"

#include <fmt/format.h>

#include "domain/rules.h"

namespace haven::domain {
namespace {

Status NotFuture(const Date& d, const Date& today, std::string_view field) {
  if (d > today) return Invalid(std::string(field), "is in the future");
  return {};
}

Status NotBefore(const Date& d, const Date& earlier, std::string_view field,
                 std::string_view earlier_name) {
  if (d < earlier)
    return Invalid(std::string(field), fmt::format("is before {} ({})", earlier_name,
                                                   earlier.ToString()));
  return {};
}

Status CheckAmount(std::int64_t amount, std::string_view field, bool zero_allowed) {
  if (amount < 0 || (!zero_allowed && amount == 0))
    return Invalid(std::string(field), zero_allowed ? "must not be negative"
                                                    : "must be a positive whole number");
  if (amount > kMaxAmountMinor) return Invalid(std::string(field), "is implausibly large");
  return {};
}

}  // namespace

Status ValidateSupportPlan(const SupportPlan& p, const Date& identified_on, const Date& today) {
  TRY_STATUS(NotFuture(p.assessed_on, today, "assessed_on"));
  TRY_STATUS(NotBefore(p.assessed_on, identified_on, "assessed_on",
                       "the identification of the case"));
  TRY_STATUS(CheckText(p.needs, "needs", 4000));
  TRY_STATUS(CheckText(p.objectives, "objectives", 4000));
  TRY_STATUS(NotBefore(p.planned_end_on, p.assessed_on, "planned_end_on", "the assessment"));
  if (p.actual_end_on) {
    TRY_STATUS(NotFuture(*p.actual_end_on, today, "actual_end_on"));
    TRY_STATUS(NotBefore(*p.actual_end_on, p.assessed_on, "actual_end_on", "the assessment"));
  }
  return {};
}

Status ValidateExtension(const ReflectionExtension& e, const Case& c, const Date& today) {
  if (!c.reflection_start || !c.reflection_end)
    return Fail(ErrorCode::kConflict, "no_reflection_period",
                fmt::format("case {} has had no recovery and reflection period to extend",
                            c.code),
                "case_id");
  if (e.days < 1 || e.days > kMaxExtensionDays)
    return Invalid("days", fmt::format("must be a whole number of days from 1 to {}",
                                       kMaxExtensionDays));
  TRY_STATUS(NotFuture(e.decided_on, today, "decided_on"));
  TRY_STATUS(NotBefore(e.decided_on, *c.reflection_start, "decided_on",
                       "the start of the reflection period"));
  // An extension prolongs a period that still runs; once it has ended, what
  // follows is a new decision, not an extension.
  if (e.decided_on > *c.reflection_end)
    return Invalid("decided_on", fmt::format("is after the reflection period ended ({})",
                                             c.reflection_end->ToString()));
  TRY_STATUS(CheckText(e.reason, "reason", 4000));
  return {};
}

Status ValidatePermit(const ResidencePermit& p, const Date& today) {
  TRY_STATUS(NotFuture(p.applied_on, today, "applied_on"));
  if (p.decision == PermitDecision::kPending) {
    if (p.decided_on) return Invalid("decided_on", "a pending application has no decision date");
    if (p.expires_on) return Invalid("expires_on", "only a granted permit expires");
    return {};
  }
  if (!p.decided_on) return Invalid("decided_on", "is required with a decision");
  TRY_STATUS(NotFuture(*p.decided_on, today, "decided_on"));
  TRY_STATUS(NotBefore(*p.decided_on, p.applied_on, "decided_on", "the application"));
  if (p.expires_on) {
    if (p.decision != PermitDecision::kGranted)
      return Invalid("expires_on", "only a granted permit expires");
    if (*p.expires_on <= *p.decided_on)
      return Invalid("expires_on", "must be after the decision");
  }
  return {};
}

Status ValidateProceeding(const Proceeding& p, const Date& today) {
  TRY_STATUS(NotFuture(p.started_on, today, "started_on"));
  if (p.stage_since) {
    TRY_STATUS(NotFuture(*p.stage_since, today, "stage_since"));
    TRY_STATUS(NotBefore(*p.stage_since, p.started_on, "stage_since", "the start"));
  }
  bool over = p.stage == ProceedingStage::kJudgment || p.stage == ProceedingStage::kClosed;
  if (p.ended_on) {
    if (!over) return Invalid("ended_on", "only proceedings at judgment or closed have ended");
    TRY_STATUS(NotFuture(*p.ended_on, today, "ended_on"));
    TRY_STATUS(NotBefore(*p.ended_on, p.stage_since.value_or(p.started_on), "ended_on",
                         p.stage_since ? "the current stage" : "the start"));
  } else if (p.stage == ProceedingStage::kClosed) {
    return Invalid("ended_on", "is required for closed proceedings");
  }
  return {};
}

Status ValidateClaim(const CompensationClaim& c, const Date& today) {
  TRY_STATUS(CheckAmount(c.amount_claimed_minor, "amount_claimed_minor", false));
  TRY_STATUS(CheckCurrency(c.currency, "currency"));
  TRY_STATUS(NotFuture(c.filed_on, today, "filed_on"));
  bool awarded = c.status == ClaimStatus::kAwarded || c.status == ClaimStatus::kPaid;
  if (c.amount_awarded_minor) {
    if (!awarded) return Invalid("amount_awarded_minor", "only an awarded or paid claim has one");
    TRY_STATUS(CheckAmount(*c.amount_awarded_minor, "amount_awarded_minor", false));
  } else if (awarded) {
    return Invalid("amount_awarded_minor", "is required for an awarded or paid claim");
  }
  if (c.status == ClaimStatus::kFiled) {
    if (c.decided_on) return Invalid("decided_on", "a filed claim has no decision yet");
  } else {
    if (!c.decided_on) return Invalid("decided_on", "is required once the claim is decided");
    TRY_STATUS(NotFuture(*c.decided_on, today, "decided_on"));
    TRY_STATUS(NotBefore(*c.decided_on, c.filed_on, "decided_on", "the filing"));
  }
  if (c.status == ClaimStatus::kPaid) {
    if (!c.paid_on) return Invalid("paid_on", "is required for a paid claim");
    TRY_STATUS(NotFuture(*c.paid_on, today, "paid_on"));
    TRY_STATUS(NotBefore(*c.paid_on, *c.decided_on, "paid_on", "the decision"));
  } else if (c.paid_on) {
    return Invalid("paid_on", "only a paid claim has a payment date");
  }
  return {};
}

Status ValidateReturn(const Return& r, const Date& identified_on, const Date& today) {
  TRY_STATUS(CheckCountry(r.destination_country, "destination_country"));
  TRY_STATUS(NotFuture(r.returned_on, today, "returned_on"));
  TRY_STATUS(NotBefore(r.returned_on, identified_on, "returned_on",
                       "the identification of the case"));
  return {};
}

Status ValidateFollowUp(const FollowUp& f, const Date& identified_on) {
  TRY_STATUS(NotBefore(f.due_on, identified_on, "due_on", "the identification of the case"));
  return {};
}

Status ValidateFollowUpCompletion(const FollowUp& f, const Date& done_on,
                                  const std::string& notes, const Date& identified_on,
                                  const Date& today) {
  if (f.done_on)
    return Fail(ErrorCode::kConflict, "already_done",
                fmt::format("this follow-up was done on {}", f.done_on->ToString()));
  TRY_STATUS(NotFuture(done_on, today, "done_on"));
  TRY_STATUS(NotBefore(done_on, identified_on, "done_on", "the identification of the case"));
  TRY_STATUS(CheckText(notes, "notes", 4000, false));
  return {};
}

}  // namespace haven::domain
