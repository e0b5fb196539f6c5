#include "domain/coalition.h"

#include <algorithm>

#include <fmt/format.h>

#include "domain/iso_codes.h"
#include "domain/rules.h"

namespace haven::domain {

bool Consent::InForce(const Date& today) const {
  if (given_on > today) return false;
  if (valid_until && *valid_until < today) return false;
  if (withdrawn_on && *withdrawn_on <= today) return false;
  return true;
}

bool Consent::NamesRecipient(const Organization& org) const {
  if (recipient_organization_id) return *recipient_organization_id == org.id;
  return recipient_kind && *recipient_kind == org.kind;
}

bool Consent::HasPurpose(Purpose p) const {
  return std::find(purposes.begin(), purposes.end(), p) != purposes.end();
}

bool Consent::HasCategory(DataCategory c) const {
  return std::find(categories.begin(), categories.end(), c) != categories.end();
}

Status ValidateConsent(const Consent& c, const Date& identified_on, const Date& today) {
  if (c.recipient_organization_id.has_value() == c.recipient_kind.has_value())
    return Invalid("recipient_organization_id",
                   "name either one recipient organisation or a recipient kind, not both");
  if (c.purposes.empty()) return Invalid("purposes", "name at least one purpose");
  if (c.categories.empty()) return Invalid("categories", "name at least one data category");
  if (c.given_on > today) return Invalid("given_on", "is in the future");
  if (c.given_on < identified_on)
    return Invalid("given_on", "is before the case was identified");
  if (c.valid_until && *c.valid_until < c.given_on)
    return Invalid("valid_until", "is before given_on");
  if (c.valid_until && *c.valid_until < today)
    return Invalid("valid_until", "has passed: the consent would never be in force");
  if (!FindLanguage(c.language))
    return Invalid("language", "must be an ISO 639-1 language code such as az, en or ru");
  if (c.method == ConsentMethod::kOralWithWitness) {
    if (!c.witness || c.witness->empty())
      return Invalid("witness", "an oral consent names its witness");
  }
  if (c.witness) TRY_STATUS(CheckText(*c.witness, "witness", 200));
  return {};
}

Status CheckReferralStep(ReferralStatus from, ReferralStatus to) {
  using S = ReferralStatus;
  bool ok = (from == S::kPending &&
             (to == S::kAccepted || to == S::kDeclined || to == S::kRevoked)) ||
            (from == S::kAccepted && to == S::kCompleted);
  if (!ok)
    return Fail(ErrorCode::kConflict, "invalid_referral_step",
                fmt::format("a referral that is {} cannot become {}", Name(from), Name(to)),
                "status");
  return {};
}

DataCategory CategoryOfService(ServiceType t) {
  switch (t) {
    case ServiceType::kMedical:
    case ServiceType::kMedication:
    case ServiceType::kPsychological: return DataCategory::kHealth;
    default: return DataCategory::kServices;
  }
}

}  // namespace haven::domain
