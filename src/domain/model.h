#pragma once
// The records Haven keeps, as plain values. Pure: no I/O, no clock, no keys.
// Thread-safe: plain values.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "domain/date.h"
#include "domain/enums.h"

namespace haven::domain {

using Id = std::int64_t;

struct Organization {
  Id id = 0;
  std::string name;
  OrgKind kind = OrgKind::kNgo;
  std::optional<std::string> region;  // ISO 3166-2:AZ, where the organisation is based
  Timestamp created_at{};
  // An organisation that left: its accounts no longer sign in, it registers no case and
  // receives no referral; what it recorded stays.
  bool active = true;
};

struct User {
  Id id = 0;
  std::string username;
  Role role = Role::kCaseworker;
  Id organization_id = 0;
  bool active = true;
  Timestamp created_at{};
  std::optional<Id> created_by;  // the account that created it (none: `haven init`, the CLI)
  // Signed in with a one-time password an administrator set: only a password change
  // is possible until the user chooses her own.
  bool must_change_password = false;
  // The language the user chose for the web UI; none: the instance's default (az).
  std::optional<Language> language;
  // Signs in with a second factor (a TOTP code or a recovery code) after the password.
  bool second_factor = false;
};

// Citizenship: an ISO 3166-1 alpha-2 country, or stateless, or unknown. No rule of
// Haven may read it; it exists for statistics and for the person's own file.
struct Citizenship {
  enum class Kind { kCountry, kStateless, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string country;  // upper-case alpha-2 when kind == kCountry

  static Result<Citizenship> Parse(std::string_view text, std::string_view field);
  std::string ToString() const;
  bool operator==(const Citizenship&) const = default;
};

struct IdentityDocument {
  DocumentType type = DocumentType::kOther;
  std::string number;
  std::optional<std::string> issuing_country;  // alpha-2
  std::optional<Date> expires_on;
};

struct Contact {
  ContactType type = ContactType::kOther;
  std::string value;
};

// The adult responsible for a child: personal data of another person, sealed with the
// child's identity.
struct Guardian {
  std::string name;
  std::string relation;  // e.g. mother, aunt, appointed guardian
  std::vector<Contact> contacts;
};

// Everything that identifies a person. Sealed at rest as a whole; never in lists,
// logs, errors or analysts' exports.
struct PersonIdentity {
  // What the staff call a person who gives no name (a hotline caller): an anonymous
  // registration has an alias instead of a given or family name.
  std::string alias;
  std::string given_name;
  std::string family_name;
  std::string patronymic;
  std::vector<std::string> other_names;
  std::optional<Date> birth_date;
  std::optional<int> birth_year;  // when only the year is known
  Sex sex = Sex::kUnknown;
  Citizenship citizenship;
  std::vector<IdentityDocument> documents;
  std::vector<Contact> contacts;
  std::optional<Guardian> guardian;

  // No given or family name: registered by an alias.
  bool Anonymous() const { return given_name.empty() && family_name.empty(); }
  // The birth year from either field.
  std::optional<int> BirthYear() const;
};

// What a caller provides to open a case.
struct CaseFields {
  std::optional<Id> organization_id;  // defaults to the caller's organisation
  Date identified_on;
  IdentifiedBy identified_by = IdentifiedBy::kOther;
  std::vector<Exploitation> exploitation;
  std::vector<MeansOfControl> means_of_control;
  std::optional<RecruiterRelation> recruiter_relation;
  std::optional<std::string> country_of_recruitment;   // alpha-2
  std::optional<std::string> country_of_exploitation;  // alpha-2
  std::optional<std::string> region;                   // ISO 3166-2:AZ
  std::optional<bool> transnational;  // derived from the countries when absent
  // For a child (under 18 at identification): accompanied, separated or unaccompanied,
  // and when the best-interests assessment took place.
  std::optional<ChildStatus> child_status;
  std::optional<Date> best_interests_assessed_on;
};

struct NewCase {
  PersonIdentity person;
  CaseFields fields;
};

// A case as stored, without identity.
struct Case {
  Id id = 0;
  std::string code;  // e.g. AZ-2026-000123
  Id organization_id = 0;  // the owner; a transfer changes it
  // The organisation whose data key seals the person's identity and the case's free
  // text: the one that registered it. A transfer changes the owner, not the key.
  Id sealing_organization_id = 0;
  Id person_id = 0;
  CaseFields fields;  // organization_id is always set here
  bool transnational = false;
  CaseStatus status = CaseStatus::kIdentified;
  VictimStatus victim_status = VictimStatus::kPending;
  std::optional<Date> victim_status_on;
  std::optional<Date> reflection_start;
  std::optional<Date> reflection_end;
  // Non-identifying facts copied from the person for statistics.
  Sex sex = Sex::kUnknown;
  Citizenship citizenship;
  std::optional<int> age_at_identification;
  bool anonymous = false;  // registered by an alias, without a name
  // The caseworker of the owning organisation in charge of the case.
  std::optional<Id> assigned_to;
  std::optional<ClosureReason> closure_reason;  // while closed
  // Closed as a second registration of the same person: the case kept.
  std::optional<Id> duplicate_of;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::int64_t version = 1;  // bumped by every change; for optimistic checks
};

struct CaseTransition {
  Id id = 0;
  Id case_id = 0;
  CaseStatus from = CaseStatus::kIdentified;
  CaseStatus to = CaseStatus::kIdentified;
  Date on;
  Id user_id = 0;
  Timestamp at{};
  std::string note;  // sealed at rest; free text
};

// Broad age bands used by statistics and exports.
std::string AgeGroup(std::optional<int> age);

}  // namespace haven::domain
