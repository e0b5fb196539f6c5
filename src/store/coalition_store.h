#pragma once
// The "coalition" area of the store: consents recorded on cases, referrals and
// transfers between organisations, the history of case owners and the members of the
// memorandum.
// Free text (witness, override reasons, notes, decline reasons) and scanned consent
// forms arrive here already sealed.
// Thread-safety: as Transaction (one thread at a time).

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/coalition.h"
#include "domain/model.h"

namespace haven::store {

struct StoredConsent {
  domain::Consent consent;  // witness empty here
  std::string sealed_witness;
};

struct StoredReferral {
  domain::Referral referral;  // note, decline reason and override reason empty here
  std::string sealed_note;
  std::string sealed_decline_reason;
  std::string sealed_override_reason;
};

struct ReferralFilter {
  std::optional<domain::Id> to_organization_id;    // incoming
  std::optional<domain::Id> from_organization_id;  // outgoing
  std::optional<domain::Id> case_id;
  std::optional<domain::ReferralStatus> status;
  std::optional<domain::ReferralKind> kind;
  std::optional<domain::Id> before_id;  // cursor: newest first
  int limit = 50;
};

// One referral as statistics count it: the kinds of organisations, never which.
struct ReferralFact {
  domain::ReferralKind kind = domain::ReferralKind::kReferral;
  domain::ReferralStatus status = domain::ReferralStatus::kPending;
  domain::OrgKind from_kind = domain::OrgKind::kNgo;
  domain::OrgKind to_kind = domain::OrgKind::kNgo;
  bool overridden = false;
  Timestamp created_at{};
  std::optional<Timestamp> accepted_at;
};

struct MemorandumMember {
  domain::Id organization_id = 0;
  std::string organization_name;
  domain::OrgKind organization_kind = domain::OrgKind::kNgo;
  domain::Date signed_on;
  std::optional<domain::Date> left_on;
  Timestamp created_at{};
};

class CoalitionStore {
 public:
  virtual ~CoalitionStore() = default;

  // Consents.
  virtual Result<domain::Id> InsertConsent(const domain::Consent& c) = 0;
  // Sealed with the consent's id as associated data, so written after the insert.
  virtual Status SetConsentSealed(domain::Id id, const std::string& sealed_witness) = 0;
  virtual Result<std::optional<StoredConsent>> GetConsent(domain::Id id) = 0;
  virtual Result<std::vector<StoredConsent>> ConsentsOfCase(domain::Id case_id) = 0;
  virtual Status WithdrawConsent(domain::Id id, const domain::Date& on, Timestamp at) = 0;
  // The scanned consent form, sealed; empty when none was attached.
  virtual Status SetConsentForm(domain::Id id, const std::string& sealed_form,
                                const std::string& media_type) = 0;
  virtual Result<std::optional<std::pair<std::string, std::string>>> ConsentForm(
      domain::Id id) = 0;

  // Referrals and transfers.
  virtual Result<domain::Id> InsertReferral(const domain::Referral& r) = 0;
  virtual Status SetReferralSealed(domain::Id id, const std::string& sealed_note,
                                   const std::string& sealed_override_reason) = 0;
  virtual Result<std::optional<StoredReferral>> GetReferral(domain::Id id) = 0;
  virtual Result<std::vector<StoredReferral>> ListReferrals(const ReferralFilter& f) = 0;
  // Writes status, step timestamps and the sealed decline reason; fails with kConflict
  // unless the stored version is `r.version - 1`.
  virtual Status UpdateReferral(const domain::Referral& r,
                                const std::string& sealed_decline_reason) = 0;
  virtual Result<std::vector<ReferralFact>> ReferralFacts(Timestamp from, Timestamp to) = 0;
  // After a transfer (`transfer_id`) from `old_owner` to `new_owner`: the case's other
  // active referrals are sent by the new owner from now on, and those to the new owner
  // are completed.
  virtual Status HandOverReferrals(domain::Id case_id, domain::Id transfer_id,
                                   domain::Id old_owner, domain::Id new_owner, Timestamp at) = 0;

  // Owners of a case over time; the open row (no `until`) is the current owner.
  virtual Status InsertOwnership(const domain::CaseOwnership& o) = 0;
  virtual Status EndOwnership(domain::Id case_id, Timestamp until) = 0;
  virtual Result<std::vector<domain::CaseOwnership>> OwnershipOfCase(domain::Id case_id) = 0;

  // Members of the coalition's memorandum of understanding.
  virtual Status UpsertMember(const MemorandumMember& m) = 0;
  virtual Result<std::vector<MemorandumMember>> Members() = 0;
};

}  // namespace haven::store
