#pragma once
// Assistance records: shelters and stays, services delivered, the formal
// identification decision, allowance rates and payments. Pure values and rules.
// No rule here reads citizenship (DESIGN §2.4).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/model.h"

namespace haven::domain {

enum class ServiceType {
  kFood, kMedication, kMedical, kPsychological, kSocial, kLegal, kInterpretation,
  kEducation, kRepatriation, kOther
};
HAVEN_ENUM_NAMES(ServiceType, "food"sv, "medication"sv, "medical"sv, "psychological"sv,
                 "social"sv, "legal"sv, "interpretation"sv, "education"sv, "repatriation"sv,
                 "other"sv);

// A payment awaiting approval is approved, rejected (by the approver) or cancelled (by
// the requesting side); every one stays in the ledger.
enum class PaymentStatus { kPendingApproval, kApproved, kRejected, kCancelled };
HAVEN_ENUM_NAMES(PaymentStatus, "pending_approval"sv, "approved"sv, "rejected"sv,
                 "cancelled"sv);

// How often an allowance of a kind is paid: one per person per calendar month (the
// default), per calendar year, or once.
enum class AllowancePeriod { kMonth, kYear, kOnce };
HAVEN_ENUM_NAMES(AllowancePeriod, "month"sv, "year"sv, "once"sv);

enum class DischargeReason {
  kPlanCompleted, kMovedToOtherShelter, kReturnedHome, kRepatriated, kLeftVoluntarily,
  kRulesBreach, kOther
};
HAVEN_ENUM_NAMES(DischargeReason, "plan_completed"sv, "moved_to_other_shelter"sv,
                 "returned_home"sv, "repatriated"sv, "left_voluntarily"sv, "rules_breach"sv,
                 "other"sv);

struct Shelter {
  Id id = 0;
  Id organization_id = 0;
  std::string name;
  std::string region;  // ISO 3166-2:AZ
  int capacity = 0;    // beds
  int family_rooms = 0;
  int child_places = 0;
  std::string address;  // sensitive: sealed at rest, shown to own staff and coordinators only
  Timestamp created_at{};
};

struct Stay {
  Id id = 0;
  Id shelter_id = 0;
  Id case_id = 0;
  Date admitted_on;
  std::optional<Date> discharged_on;
  std::optional<DischargeReason> discharge_reason;
  Timestamp created_at{};
};

struct Service {
  Id id = 0;
  Id case_id = 0;
  ServiceType type = ServiceType::kOther;
  Id provider_organization_id = 0;
  Date delivered_on;
  std::optional<double> quantity;       // e.g. food parcels, doses
  std::optional<std::string> unit;      // e.g. "parcel", "session"
  std::optional<int> duration_minutes;  // e.g. a counselling session
  std::optional<std::string> outcome;
  std::string notes;  // sealed at rest
  Id recorded_by = 0;
  Timestamp created_at{};
};

struct IdentificationDecision {
  Id id = 0;
  Id case_id = 0;
  VictimStatus decision = VictimStatus::kPending;
  Date decided_on;
  std::string deciding_body;
  std::string reasons;  // sealed at rest
  std::optional<Date> appeal_filed_on;
  std::optional<VictimStatus> appeal_outcome;
  std::optional<Date> appeal_decided_on;
  Id recorded_by = 0;
  Timestamp created_at{};
};

struct AllowanceRate {
  Id id = 0;
  std::string kind;  // e.g. "monthly_allowance", "one_off_grant"
  std::int64_t amount_minor = 0;  // qəpik for AZN
  std::string currency;           // ISO 4217
  Date effective_from;
  Timestamp created_at{};
  AllowancePeriod period = AllowancePeriod::kMonth;  // the same for every rate of a kind
};

struct Payment {
  Id id = 0;
  Id case_id = 0;
  std::string case_code;   // read with the payment, never written with it
  Id organization_id = 0;  // the case's organisation when requested
  std::string kind;
  Date paid_on;
  std::int64_t amount_minor = 0;
  std::string currency;
  Id rate_id = 0;
  PaymentStatus status = PaymentStatus::kPendingApproval;
  Id requested_by = 0;
  std::optional<Id> approved_by;
  std::optional<Timestamp> approved_at;
  Timestamp created_at{};
  // The period it pays for ("2026-11", "2026", "once"): one allowance of a kind per case
  // and period, whatever the day.
  std::string period;
  // A rejection or cancellation: who, when and why (the reason sealed at rest; here only
  // when the caller may read it).
  std::optional<Id> decided_by;
  std::optional<Timestamp> decided_at;
  std::string reason;
};

// The period a payment on `on` pays for.
std::string PeriodOf(AllowancePeriod period, const Date& on);

Status ValidateShelter(const Shelter& s);
Status ValidateService(const Service& s, const Date& identified_on, const Date& today);
Status ValidateDecision(const IdentificationDecision& d, const Date& identified_on,
                        const Date& today);
// Rate kinds are short identifiers; currencies ISO 4217 alphabetic codes.
Status ValidateRate(const AllowanceRate& r);
Status CheckCurrency(std::string_view code, std::string_view field);
Status CheckKind(std::string_view kind, std::string_view field);

// The rate in force on `on`: the one with the latest effective_from not after it.
// REQUIRES: `rates` are of one kind.
const AllowanceRate* RateInForce(const std::vector<AllowanceRate>& rates, const Date& on);

// Payments are due only to persons whose victim status was granted.
Status CheckEligibleForAllowance(const Case& c);

}  // namespace haven::domain
