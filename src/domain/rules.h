#pragma once
// Validation and workflow rules. Pure functions of their arguments: the caller
// passes "today" so that rules never read a clock. No rule reads citizenship
// except to validate its spelling (DESIGN §2.4: equal treatment).

#include <span>
#include <string_view>

#include "common/error.h"
#include "domain/model.h"

namespace haven::domain {

// Refuses empty, over-long text or text with control characters. `max_len` counts bytes.
Status CheckText(std::string_view value, std::string_view field, std::size_t max_len,
                 bool required = true);
// A stated reason (for an identity view, a correction, an override, a decline): text of
// 5 to `max_len` bytes; the message says what it is for ("state why you {what}").
Status CheckStatedReason(std::string_view reason, std::string_view field, std::string_view what,
                         std::size_t max_len = 500);
Status CheckCountry(std::string_view alpha2, std::string_view field);
// A case code as Haven writes them: two letters, the year, six digits (AZ-2026-000123).
Status CheckCaseCode(std::string_view code, std::string_view field);
Status CheckAzRegion(std::string_view code, std::string_view field);

Status ValidateIdentity(const PersonIdentity& p, const Date& today, std::string_view prefix);
Status ValidateCaseFields(const CaseFields& c, const Date& today);
Status ValidateNewCase(const NewCase& c, const Date& today);
// The person's age on the day of identification, from the birth date or year.
std::optional<int> AgeAtIdentification(const PersonIdentity& p, const Date& identified_on);
// A child (under 18 at identification) carries a child status; an adult does not.
// `require_status`: at registration; a correction may leave it for later.
Status CheckChildFacts(const CaseFields& c, std::optional<int> age_at_identification,
                       bool require_status = true);
// The note that closes a case: at least a sentence (20 characters, three words).
Status CheckClosingNote(std::string_view note);
Status ValidateOrganization(const Organization& o);
Status ValidateUsername(std::string_view username);
// At least 12 characters: the login screen is the one door to identities.
Status ValidatePassword(std::string_view password);

// The transnational flag: as given, else true when recruitment and exploitation
// countries are both known and differ.
bool DeriveTransnational(const CaseFields& c);

// The NRM workflow as an explicit state machine.
std::span<const CaseStatus> NextStatuses(CaseStatus from);
Status CheckTransition(CaseStatus from, CaseStatus to);

// Statutory minimum of the recovery and reflection period, in days (configurable).
inline constexpr int kDefaultReflectionDays = 30;

}  // namespace haven::domain
