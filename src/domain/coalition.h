#pragma once
// The coalition under its memorandum: the person's consent to share her case,
// referrals of a case (or a service request) to another organisation, transfers
// of case ownership, and the data categories that consent and the access policy
// speak of. Pure: no I/O, no clock ("today" is passed in).
// Thread-safe: plain values and free functions.

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/assistance.h"
#include "domain/model.h"

namespace haven::domain {

// What of a case can be shared, one by one (DESIGN §2.5, the access policy).
//   case_facts  the case record: dates, forms of exploitation, countries, status,
//               workflow history, decisions, residence, proceedings, return
//   notes       every free text: transition notes, service notes, decision reasons,
//               support-plan needs and objectives, extension reasons, follow-up notes
//   identity    names, birth date, sex, citizenship, documents (the sealed identity)
//   contacts    phone numbers, e-mail and postal addresses of the person
//   services    services delivered other than health care
//   health      medical, medication and psychological services
//   shelter     stays in shelters
//   money       allowance payments and compensation claims
// `documents`: scanned documents and photos attached to the case.
enum class DataCategory {
  kCaseFacts, kNotes, kIdentity, kContacts, kServices, kHealth, kShelter, kMoney, kDocuments
};
HAVEN_ENUM_NAMES(DataCategory, "case_facts"sv, "notes"sv, "identity"sv, "contacts"sv,
                 "services"sv, "health"sv, "shelter"sv, "money"sv, "documents"sv);

// Why a case is shared; a consent names the purposes the person agreed to.
enum class Purpose {
  kAssistance, kShelter, kLegalAid, kMedical, kPsychological, kSocial, kInterpretation,
  kEducation, kReturn, kReintegration, kInvestigation, kStatistics
};
HAVEN_ENUM_NAMES(Purpose, "assistance"sv, "shelter"sv, "legal_aid"sv, "medical"sv,
                 "psychological"sv, "social"sv, "interpretation"sv, "education"sv, "return"sv,
                 "reintegration"sv, "investigation"sv, "statistics"sv);

// How the consent was given.
enum class ConsentMethod { kSignedForm, kOralWithWitness, kByGuardian, kElectronic };
HAVEN_ENUM_NAMES(ConsentMethod, "signed_form"sv, "oral_with_witness"sv, "by_guardian"sv,
                 "electronic"sv);

// One consent of the person, recorded on her case. A consent covers an organisation
// (recipient_organization_id) or every organisation of a kind (recipient_kind).
struct Consent {
  Id id = 0;
  Id case_id = 0;
  std::optional<Id> recipient_organization_id;
  std::optional<OrgKind> recipient_kind;
  std::vector<Purpose> purposes;
  std::vector<DataCategory> categories;
  Date given_on;
  std::optional<Date> valid_until;  // inclusive; absent: until withdrawn or closed
  std::optional<Date> withdrawn_on;
  ConsentMethod method = ConsentMethod::kSignedForm;
  std::string language = "az";  // ISO 639-1 code of the language it was explained in
  std::optional<std::string> witness;  // oral consent: who witnessed (sealed at rest)
  bool has_form = false;  // a scanned form is kept, sealed like an identity
  Id recorded_by = 0;
  Id recorded_by_organization_id = 0;
  Timestamp created_at{};
  Timestamp updated_at{};

  // In force on `today`: given, not expired, not withdrawn (an expired consent acts
  // as withdrawn).
  bool InForce(const Date& today) const;
  // Whether it names this organisation (by id or by its kind).
  bool NamesRecipient(const Organization& org) const;
  bool HasPurpose(Purpose p) const;
  bool HasCategory(DataCategory c) const;
};

// Validates a new consent for a case identified on `identified_on`.
Status ValidateConsent(const Consent& c, const Date& identified_on, const Date& today);

enum class ReferralKind { kReferral, kTransfer };
HAVEN_ENUM_NAMES(ReferralKind, "referral"sv, "transfer"sv);

// pending → accepted | declined | revoked; accepted → completed.
enum class ReferralStatus { kPending, kAccepted, kDeclined, kCompleted, kRevoked };
HAVEN_ENUM_NAMES(ReferralStatus, "pending"sv, "accepted"sv, "declined"sv, "completed"sv,
                 "revoked"sv);

// The legal ground a coordinator records when a referral goes ahead without consent.
enum class OverrideBasis { kVitalInterest, kCourtOrder, kLegalObligation };
HAVEN_ENUM_NAMES(OverrideBasis, "vital_interest"sv, "court_order"sv, "legal_obligation"sv);

struct ConsentOverride {
  OverrideBasis basis = OverrideBasis::kVitalInterest;
  std::string reason;  // sealed at rest
  std::vector<DataCategory> categories;  // what the receiver may see under it
  Id by_user_id = 0;
};

// A referral (the receiver helps beside the owner) or a transfer (the receiver
// becomes the owner once it accepts).
struct Referral {
  Id id = 0;
  ReferralKind kind = ReferralKind::kReferral;
  Id case_id = 0;
  std::string case_code;  // the case's pseudonymous code, for the receiver's inbox
  Id from_organization_id = 0;
  Id to_organization_id = 0;
  std::vector<Purpose> purposes;
  std::vector<ServiceType> services_requested;
  std::string note;  // sealed at rest (notes)
  ReferralStatus status = ReferralStatus::kPending;
  std::optional<ConsentOverride> override_;  // a recorded override of missing consent
  std::string decline_reason;  // sealed at rest
  Id created_by = 0;
  Timestamp created_at{};
  std::optional<Timestamp> accepted_at;
  std::optional<Timestamp> declined_at;
  std::optional<Timestamp> completed_at;
  std::optional<Timestamp> revoked_at;
  std::int64_t version = 1;

  // Pending or accepted: the receiver is working on it.
  bool Active() const {
    return status == ReferralStatus::kPending || status == ReferralStatus::kAccepted;
  }
};

// The legal moves of a referral.
Status CheckReferralStep(ReferralStatus from, ReferralStatus to);

// Who owned a case when (transfers keep the history).
struct CaseOwnership {
  Id case_id = 0;
  Id organization_id = 0;
  Timestamp since{};
  std::optional<Timestamp> until;
  std::optional<Id> referral_id;  // the transfer that made it the owner
};

// The data category of a service record: health care is its own category.
DataCategory CategoryOfService(ServiceType t);

}  // namespace haven::domain
