#pragma once
// The closed vocabularies of Haven, each with its wire name (the string the API,
// the CLI and the database use). Thread-safe: constant data.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace haven::domain {

template <typename E>
struct EnumNames;  // specialised below: static constexpr std::array kNames

template <typename E>
constexpr std::string_view Name(E e) {
  return EnumNames<E>::kNames[static_cast<std::size_t>(e)];
}

template <typename E>
std::optional<E> ParseEnum(std::string_view s) {
  const auto& names = EnumNames<E>::kNames;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

// "a, b or c": the accepted names, for error messages.
template <typename E>
std::string AllowedNames() {
  std::string out;
  const auto& names = EnumNames<E>::kNames;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

#define HAVEN_ENUM_NAMES(E, ...)                                              \
  template <>                                                                 \
  struct EnumNames<E> {                                                       \
    static constexpr std::array kNames = {__VA_ARGS__};                       \
  }

using namespace std::string_view_literals;

enum class OrgKind { kStateBody, kPolice, kNgo, kShelter, kInternationalOrganization };
HAVEN_ENUM_NAMES(OrgKind, "state_body"sv, "police"sv, "ngo"sv, "shelter"sv,
                 "international_organization"sv);

// A supervisor is on an organisation's casework staff like a caseworker, and also
// assigns its cases to caseworkers and approves their closures.
enum class Role {
  kAdmin, kCoordinator, kCaseworker, kShelterManager, kAnalyst, kAuditor, kSupervisor
};
HAVEN_ENUM_NAMES(Role, "admin"sv, "coordinator"sv, "caseworker"sv, "shelter_manager"sv,
                 "analyst"sv, "auditor"sv, "supervisor"sv);

// The languages Haven speaks: the web UI, a receipt, an access history.
enum class Language { kAz, kEn, kRu };
HAVEN_ENUM_NAMES(Language, "az"sv, "en"sv, "ru"sv);

enum class Sex { kFemale, kMale, kOther, kUnknown };
HAVEN_ENUM_NAMES(Sex, "female"sv, "male"sv, "other"sv, "unknown"sv);

// Who identified the person.
enum class IdentifiedBy {
  kPolice, kNgo, kShelter, kHotline, kSelf, kInternationalOrganization, kLabourInspection, kOther
};
HAVEN_ENUM_NAMES(IdentifiedBy, "police"sv, "ngo"sv, "shelter"sv, "hotline"sv, "self"sv,
                 "international_organization"sv, "labour_inspection"sv, "other"sv);

enum class Exploitation {
  kSexual, kForcedLabour, kForcedBegging, kForcedCriminality, kDomesticServitude,
  kForcedMarriage, kOrganRemoval, kOther
};
HAVEN_ENUM_NAMES(Exploitation, "sexual"sv, "forced_labour"sv, "forced_begging"sv,
                 "forced_criminality"sv, "domestic_servitude"sv, "forced_marriage"sv,
                 "organ_removal"sv, "other"sv);

// Means of control, aligned with the CTDC categories so that interchange is lossless.
enum class MeansOfControl {
  kDebtBondage, kTakesEarnings, kRestrictsFinancialAccess, kThreats, kPsychologicalAbuse,
  kPhysicalAbuse, kSexualAbuse, kFalsePromises, kPsychoactiveSubstances, kRestrictsMovement,
  kRestrictsMedicalCare, kExcessiveWorkingHours, kUsesChildren, kThreatOfLawEnforcement,
  kWithholdsNecessities, kWithholdsDocuments, kOther
};
HAVEN_ENUM_NAMES(MeansOfControl, "debt_bondage"sv, "takes_earnings"sv,
                 "restricts_financial_access"sv, "threats"sv, "psychological_abuse"sv,
                 "physical_abuse"sv, "sexual_abuse"sv, "false_promises"sv,
                 "psychoactive_substances"sv, "restricts_movement"sv, "restricts_medical_care"sv,
                 "excessive_working_hours"sv, "uses_children"sv, "threat_of_law_enforcement"sv,
                 "withholds_necessities"sv, "withholds_documents"sv, "other"sv);

enum class RecruiterRelation {
  kIntimatePartner, kFriend, kFamily, kEmployer, kAcquaintance, kStranger, kOther, kUnknown
};
HAVEN_ENUM_NAMES(RecruiterRelation, "intimate_partner"sv, "friend"sv, "family"sv,
                 "employer"sv, "acquaintance"sv, "stranger"sv, "other"sv, "unknown"sv);

// The national referral mechanism workflow; see workflow.h for the legal moves.
enum class CaseStatus {
  kIdentified, kReferred, kReflectionPeriod, kAssisted, kReturned, kReintegrated, kClosed
};
HAVEN_ENUM_NAMES(CaseStatus, "identified"sv, "referred"sv, "reflection_period"sv,
                 "assisted"sv, "returned"sv, "reintegrated"sv, "closed"sv);

// Why a case was closed; required to close one.
enum class ClosureReason {
  kAssistanceCompleted, kReturnedHome, kReintegrated, kDuplicate, kLostContact, kMovedAbroad,
  kDeclinedAssistance, kDied, kOther
};
HAVEN_ENUM_NAMES(ClosureReason, "assistance_completed"sv, "returned_home"sv, "reintegrated"sv,
                 "duplicate"sv, "lost_contact"sv, "moved_abroad"sv, "declined_assistance"sv,
                 "died"sv, "other"sv);

// A caseworker's request to close a case, where the organisation has a supervisor who
// approves closures.
// Withdrawn: by the case's staff, e.g. when the organisation has no supervisor any more.
enum class ClosureRequestStatus { kPending, kApproved, kRejected, kWithdrawn };
HAVEN_ENUM_NAMES(ClosureRequestStatus, "pending"sv, "approved"sv, "rejected"sv,
                 "withdrawn"sv);

// A child's situation (under 18 at identification), in the terms of the UNHCR/UNICEF
// guidelines: separated from both parents (perhaps with other relatives), or
// unaccompanied by any adult responsible for the child.
enum class ChildStatus { kAccompanied, kSeparated, kUnaccompanied };
HAVEN_ENUM_NAMES(ChildStatus, "accompanied"sv, "separated"sv, "unaccompanied"sv);

// The formal victim status decided by the competent body.
enum class VictimStatus { kPending, kGranted, kRefused };
HAVEN_ENUM_NAMES(VictimStatus, "pending"sv, "granted"sv, "refused"sv);

enum class DocumentType { kPassport, kIdCard, kBirthCertificate, kResidencePermit, kTravelDocument, kOther };
HAVEN_ENUM_NAMES(DocumentType, "passport"sv, "id_card"sv, "birth_certificate"sv,
                 "residence_permit"sv, "travel_document"sv, "other"sv);

enum class ContactType { kPhone, kEmail, kAddress, kOther };
HAVEN_ENUM_NAMES(ContactType, "phone"sv, "email"sv, "address"sv, "other"sv);

}  // namespace haven::domain
