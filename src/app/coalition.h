#pragma once
// Use cases of the coalition under its memorandum: the person's consents (recorded,
// withdrawn, given to her as a signed receipt), referrals of a case to another
// organisation and transfers of its ownership (each step with its time), the
// organisations' inboxes, the memorandum's members, and the person's own view of
// who touched her record. What a receiver may see is decided by the access policy
// (access.h) from the consents recorded here.
// Thread-safe: stateless over a thread-safe App.

#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "domain/coalition.h"
#include "store/coalition_store.h"

namespace haven::app {

struct ConsentView {
  domain::Consent consent;
  bool witness_visible = false;  // free text: the notes category
};

struct NewReferral {
  domain::ReferralKind kind = domain::ReferralKind::kReferral;
  Id case_id = 0;
  Id to_organization_id = 0;
  std::vector<domain::Purpose> purposes;
  std::vector<domain::ServiceType> services_requested;
  std::string note;
  // A coordinator's override of missing consent (vital interest, court order).
  std::optional<domain::OverrideBasis> override_basis;
  std::string override_reason;
  std::vector<DataCategory> override_categories;
};

struct ReferralView {
  domain::Referral referral;
  bool note_visible = false;  // the sender's and the receiver's staff
  bool decline_reason_visible = false;
  // The steps the reader may take now (accepted, declined, completed, revoked), as the
  // step itself decides them.
  std::vector<domain::ReferralStatus> next_steps;
};

struct ReferralQuery {
  std::optional<std::string> direction;  // incoming (the default) | outgoing
  std::optional<domain::ReferralStatus> status;
  std::optional<domain::ReferralKind> kind;
  std::optional<Id> case_id;
  PageRequest page;
};

// One line of the person's access history: which organisation did what, when and
// for what purpose — never the name of a member of staff.
struct AccessEvent {
  Timestamp at{};
  std::string action;  // e.g. "identity_view", "disclosure", "referral_sent"
  std::optional<Id> organization_id;
  std::string organization_name;
  domain::OrgKind organization_kind = domain::OrgKind::kNgo;
  std::string role;  // the kind of staff, e.g. caseworker
  std::vector<std::string> purposes;
  std::vector<std::string> categories;
  std::string basis;  // owner, consent, override, national_coordination
};

struct AccessHistory {
  domain::Case c;
  std::vector<AccessEvent> events;
  std::optional<std::string> next_cursor;
};


class CoalitionService {
 public:
  explicit CoalitionService(App& app) : app_(app) {}

  // Consents (the case's owner records and withdraws them).
  Result<ConsentView> RecordConsent(const Actor& actor, Id case_id, domain::Consent c,
                                    const WriteOptions& w = {});
  Result<ConsentView> WithdrawConsent(const Actor& actor, Id consent_id,
                                      const domain::Date& withdrawn_on,
                                      const WriteOptions& w = {});
  Result<std::vector<ConsentView>> ConsentsOfCase(const Actor& actor, Id case_id);
  // The scanned consent form (PDF, JPEG or PNG, at most 700 KB, as base64), sealed like an
  // identity; attaching again replaces it. The owner's staff only.
  Status AttachConsentForm(const Actor& actor, Id consent_id, const std::string& media_type,
                           const std::string& content_base64, const WriteOptions& w = {});
  // The form bears her name and signature: disclosed like an identity, with a stated
  // reason, to those who may read the case's identity.
  struct ConsentForm {
    std::string media_type;
    std::string content_base64;
  };
  Result<ConsentForm> ViewConsentForm(const Actor& actor, Id consent_id,
                                      const std::string& reason);
  // The signed receipt (Kantara Consent Receipt v1.1 structure), as JSON, or as a
  // printable page in the person's language when `html`.
  Result<std::string> ConsentReceipt(const Actor& actor, Id consent_id, domain::Language lang,
                                     bool html);
  // The instance's receipt-signing public key (base64) and its key id.
  std::pair<std::string, std::string> ReceiptPublicKey() const;

  // Referrals and transfers.
  Result<ReferralView> CreateReferral(const Actor& actor, const NewReferral& r,
                                      const WriteOptions& w = {});
  Result<ReferralView> AcceptReferral(const Actor& actor, Id id, const WriteOptions& w = {});
  Result<ReferralView> DeclineReferral(const Actor& actor, Id id, const std::string& reason,
                                       const WriteOptions& w = {});
  Result<ReferralView> CompleteReferral(const Actor& actor, Id id, const WriteOptions& w = {});
  Result<ReferralView> RevokeReferral(const Actor& actor, Id id, const WriteOptions& w = {});
  Result<ReferralView> GetReferral(const Actor& actor, Id id);
  Result<Page<ReferralView>> ListReferrals(const Actor& actor, const ReferralQuery& q);
  Result<std::vector<domain::CaseOwnership>> OwnersOfCase(const Actor& actor, Id case_id);

  // The memorandum's members (every signed-in user may see who is in the coalition).
  Status RecordMember(const Actor& actor, Id organization_id, const domain::Date& signed_on,
                      std::optional<domain::Date> left_on, const WriteOptions& w = {});
  Result<std::vector<store::MemorandumMember>> Members(const Actor& actor);

  // The person's own view: every view, disclosure, referral, transfer and export that
  // touched her record, oldest first. The owner's staff print it for her.
  Result<AccessHistory> AccessHistoryOf(const Actor& actor, Id case_id, const PageRequest& p);

 private:
  // What a replayed referral write answers: the referral as the actor may see it now.
  Result<std::optional<ReferralView>> ReplayedReferral(const Actor& actor, store::Transaction& tx,
                                                       Id replay);
  Result<ReferralView> Step(const Actor& actor, Id id, domain::ReferralStatus to,
                            const std::string& reason, const WriteOptions& w);
  // The referral as the actor may see it: the sender its note; the receiver the note
  // only when `receiver_notes` and its consent covers notes, requested health care only
  // when it covers health.
  Result<ReferralView> View(const Actor& actor, store::Transaction& tx,
                            const store::StoredReferral& s, const domain::Case& c,
                            bool receiver_notes);

  App& app_;
};

}  // namespace haven::app
