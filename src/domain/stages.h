#pragma once
// The stages of a case after identification: needs assessment and support
// plan, extensions of the recovery and reflection period, residence status,
// criminal proceedings and compensation, return and reintegration follow-ups.
// Pure values and rules; the caller passes "today".
//
// Two rules hold for everything here (DESIGN §2.4): no rule reads citizenship
// (a residence record is kept for whoever it is entered for), and nothing
// outside this file reads whether the person cooperates with criminal
// proceedings — assistance never depends on it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/assistance.h"
#include "domain/model.h"

namespace haven::domain {

enum class PermitType { kTemporaryResidence, kPermanentResidence, kReflectionPermit, kOther };
HAVEN_ENUM_NAMES(PermitType, "temporary_residence"sv, "permanent_residence"sv,
                 "reflection_permit"sv, "other"sv);

enum class PermitDecision { kPending, kGranted, kRefused };
HAVEN_ENUM_NAMES(PermitDecision, "pending"sv, "granted"sv, "refused"sv);

enum class ProceedingStage { kInvestigation, kProsecution, kTrial, kJudgment, kClosed };
HAVEN_ENUM_NAMES(ProceedingStage, "investigation"sv, "prosecution"sv, "trial"sv, "judgment"sv,
                 "closed"sv);

enum class CompensationRoute { kCriminalProceedings, kCivilClaim, kStateFund, kOther };
HAVEN_ENUM_NAMES(CompensationRoute, "criminal_proceedings"sv, "civil_claim"sv, "state_fund"sv,
                 "other"sv);

enum class ClaimStatus { kFiled, kAwarded, kRejected, kPaid };
HAVEN_ENUM_NAMES(ClaimStatus, "filed"sv, "awarded"sv, "rejected"sv, "paid"sv);

enum class FollowUpOutcome {
  kStable, kImproving, kNeedsSupport, kAtRisk, kLostContact, kOther
};
HAVEN_ENUM_NAMES(FollowUpOutcome, "stable"sv, "improving"sv, "needs_support"sv, "at_risk"sv,
                 "lost_contact"sv, "other"sv);

// One revision of a case's needs assessment and individual support plan. A
// change never overwrites: it adds the next revision, so the history stays.
struct SupportPlan {
  Id id = 0;
  Id case_id = 0;
  int revision = 0;  // 1, 2, …; the highest is in force
  Date assessed_on;
  std::string needs;       // sealed at rest
  std::string objectives;  // sealed at rest
  std::vector<ServiceType> planned_services;
  Date planned_end_on;
  std::optional<Date> actual_end_on;
  Id recorded_by = 0;
  Timestamp created_at{};
};

// Moves the end of the recovery and reflection period later by `days`.
struct ReflectionExtension {
  Id id = 0;
  Id case_id = 0;
  int days = 0;
  Date decided_on;
  std::string reason;  // sealed at rest
  Date previous_end;
  Date new_end;
  Id recorded_by = 0;
  Timestamp created_at{};
};

struct ResidencePermit {
  Id id = 0;
  Id case_id = 0;
  PermitType permit_type = PermitType::kOther;
  Date applied_on;
  PermitDecision decision = PermitDecision::kPending;
  std::optional<Date> decided_on;  // with a decision other than pending
  std::optional<Date> expires_on;  // only for a granted permit; none: no expiry
  Id recorded_by = 0;
  Timestamp created_at{};
  Timestamp updated_at{};
  int version = 1;  // 1 when recorded, one more with every update
};

struct Proceeding {
  Id id = 0;
  Id case_id = 0;
  bool cooperating = false;  // the person's own choice; no other rule reads it
  ProceedingStage stage = ProceedingStage::kInvestigation;
  Date started_on;
  std::optional<Date> stage_since;  // when the current stage began
  std::optional<Date> ended_on;     // with stage judgment or closed
  Id recorded_by = 0;
  Timestamp created_at{};
  Timestamp updated_at{};
  int version = 1;  // 1 when recorded, one more with every update
};

struct CompensationClaim {
  Id id = 0;
  Id case_id = 0;
  CompensationRoute route = CompensationRoute::kOther;
  std::int64_t amount_claimed_minor = 0;
  std::optional<std::int64_t> amount_awarded_minor;
  std::string currency;  // ISO 4217, one for both amounts
  ClaimStatus status = ClaimStatus::kFiled;
  Date filed_on;
  std::optional<Date> decided_on;  // awarded, rejected or paid
  std::optional<Date> paid_on;     // paid
  Id recorded_by = 0;
  Timestamp created_at{};
  Timestamp updated_at{};
  int version = 1;  // 1 when recorded, one more with every update
};

struct Return {
  Id id = 0;
  Id case_id = 0;
  bool voluntary = true;
  std::string destination_country;  // ISO 3166-1 alpha-2
  std::optional<Id> destination_organization_id;
  Date returned_on;
  Id recorded_by = 0;
  Timestamp created_at{};
};

struct FollowUp {
  Id id = 0;
  Id case_id = 0;
  Date due_on;
  std::optional<Date> done_on;
  std::optional<FollowUpOutcome> outcome;  // with done_on
  std::string notes;  // sealed at rest; written on completion
  Id recorded_by = 0;
  std::optional<Id> completed_by;
  Timestamp created_at{};
};

// Upper bound of claimed and awarded amounts in minor units, against typing slips.
inline constexpr std::int64_t kMaxAmountMinor = 10'000'000'000'000LL;
// The longest single extension of a reflection period, in days.
inline constexpr int kMaxExtensionDays = 365;

Status ValidateSupportPlan(const SupportPlan& p, const Date& identified_on, const Date& today);

// An extension is possible for a case that has (had) a reflection period, and
// is decided while that period runs. REQUIRES: nothing; reads `c` only for the
// reflection dates and the identification date.
Status ValidateExtension(const ReflectionExtension& e, const Case& c, const Date& today);

Status ValidatePermit(const ResidencePermit& p, const Date& today);
Status ValidateProceeding(const Proceeding& p, const Date& today);
Status ValidateClaim(const CompensationClaim& c, const Date& today);
Status ValidateReturn(const Return& r, const Date& identified_on, const Date& today);
Status ValidateFollowUp(const FollowUp& f, const Date& identified_on);
// Completion of `f` on `done_on` with `outcome` and `notes`.
Status ValidateFollowUpCompletion(const FollowUp& f, const Date& done_on,
                                  const std::string& notes, const Date& identified_on,
                                  const Date& today);

}  // namespace haven::domain
