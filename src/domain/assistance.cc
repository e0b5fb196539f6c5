#include "domain/assistance.h"

#include <algorithm>

#include <fmt/format.h>

#include "domain/iso_codes.h"
#include "domain/rules.h"

namespace haven::domain {

Status ValidateShelter(const Shelter& s) {
  TRY_STATUS(CheckText(s.name, "name", 200));
  TRY_STATUS(CheckAzRegion(s.region, "region"));
  if (s.capacity < 1 || s.capacity > 10000)
    return Invalid("capacity", "must be a number of beds from 1 to 10000");
  if (s.family_rooms < 0 || s.family_rooms > s.capacity)
    return Invalid("family_rooms", "must be between 0 and the capacity");
  if (s.child_places < 0 || s.child_places > s.capacity)
    return Invalid("child_places", "must be between 0 and the capacity");
  TRY_STATUS(CheckText(s.address, "address", 500, false));
  return {};
}

Status ValidateService(const Service& s, const Date& identified_on, const Date& today) {
  if (s.delivered_on > today) return Invalid("delivered_on", "is in the future");
  if (s.delivered_on < identified_on)
    return Invalid("delivered_on", "is before the case was identified");
  if (s.quantity && (*s.quantity <= 0 || *s.quantity > 1e6))
    return Invalid("quantity", "must be a positive number");
  if (s.unit) TRY_STATUS(CheckText(*s.unit, "unit", 50));
  if (s.duration_minutes && (*s.duration_minutes <= 0 || *s.duration_minutes > 7 * 24 * 60))
    return Invalid("duration_minutes", "must be between 1 and 10080 minutes");
  if (s.outcome) TRY_STATUS(CheckText(*s.outcome, "outcome", 500));
  TRY_STATUS(CheckText(s.notes, "notes", 4000, false));
  return {};
}

Status ValidateDecision(const IdentificationDecision& d, const Date& identified_on,
                        const Date& today) {
  if (d.decided_on > today) return Invalid("decided_on", "is in the future");
  if (d.decided_on < identified_on)
    return Invalid("decided_on", "is before the case was identified");
  TRY_STATUS(CheckText(d.deciding_body, "deciding_body", 200));
  TRY_STATUS(CheckText(d.reasons, "reasons", 4000, d.decision == VictimStatus::kRefused));
  if (d.appeal_filed_on) {
    if (d.decision != VictimStatus::kRefused)
      return Invalid("appeal.filed_on", "only a refusal can be appealed");
    if (*d.appeal_filed_on < d.decided_on)
      return Invalid("appeal.filed_on", "is before the decision");
    if (*d.appeal_filed_on > today) return Invalid("appeal.filed_on", "is in the future");
  }
  if (d.appeal_outcome || d.appeal_decided_on) {
    if (!d.appeal_filed_on) return Invalid("appeal.filed_on", "is required with an outcome");
    if (!d.appeal_outcome || !d.appeal_decided_on)
      return Invalid("appeal.outcome", "an appeal outcome needs both outcome and decided_on");
    if (*d.appeal_outcome == VictimStatus::kPending)
      return Invalid("appeal.outcome", "must be granted or refused");
    if (*d.appeal_decided_on < *d.appeal_filed_on)
      return Invalid("appeal.decided_on", "is before the appeal was filed");
    if (*d.appeal_decided_on > today) return Invalid("appeal.decided_on", "is in the future");
  }
  return {};
}

Status CheckCurrency(std::string_view code, std::string_view field) {
  if (!FindCurrency(code))
    return Invalid(std::string(field), "must be an ISO 4217 currency code such as AZN");
  return {};
}

Status CheckKind(std::string_view kind, std::string_view field) {
  if (kind.empty() || kind.size() > 50)
    return Invalid(std::string(field), "must be 1 to 50 characters");
  for (char c : kind)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return Invalid(std::string(field),
                     "may contain only lower-case letters, digits and _ (e.g. monthly_allowance)");
  return {};
}

Status ValidateRate(const AllowanceRate& r) {
  TRY_STATUS(CheckKind(r.kind, "kind"));
  if (r.amount_minor <= 0) return Invalid("amount_minor", "must be a positive whole number");
  if (r.amount_minor > 100'000'000'00LL) return Invalid("amount_minor", "is implausibly large");
  TRY_STATUS(CheckCurrency(r.currency, "currency"));
  return {};
}

const AllowanceRate* RateInForce(const std::vector<AllowanceRate>& rates, const Date& on) {
  const AllowanceRate* best = nullptr;
  for (const auto& r : rates)
    if (r.effective_from <= on && (!best || r.effective_from > best->effective_from)) best = &r;
  return best;
}

std::string PeriodOf(AllowancePeriod period, const Date& on) {
  switch (period) {
    case AllowancePeriod::kMonth: return on.ToString().substr(0, 7);
    case AllowancePeriod::kYear: return on.ToString().substr(0, 4);
    case AllowancePeriod::kOnce: return "once";
  }
  return on.ToString();
}

Status CheckEligibleForAllowance(const Case& c) {
  if (c.victim_status != VictimStatus::kGranted)
    return Fail(ErrorCode::kConflict, "not_eligible",
                fmt::format("case {} has victim status {}; allowances are paid only once the "
                            "status is granted",
                            c.code, Name(c.victim_status)),
                "case_id");
  return {};
}

}  // namespace haven::domain
