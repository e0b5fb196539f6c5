#pragma once
// The one access policy of Haven (DESIGN §3, §5): who may read and write which
// category of a case's data, and who acts for a shelter. Every use case asks it;
// no other place in `app` compares organisations to decide what someone may see.
//
//   (actor, case, data category) → allow | deny (403) | not found (404)
//
// Inputs: the actor's role and organisation, the case's owner, the referrals and
// transfers of the case that are active (pending or accepted), the consents in force
// (recipient, purposes, categories, validity, withdrawal), and a coordinator's
// recorded override of missing consent.
//
//   owner's caseworkers, supervisors and
//   shelter staff                          every category, read and write
//   receiver of an active referral         the categories of the consents in force that
//                                          name it for a purpose of the referral (or the
//                                          override's); writes services, health and
//                                          shelter records once it has accepted
//   coordinator                            national oversight: case facts, services,
//                                          health, shelter, money; never identity,
//                                          contacts or free text; records decisions
//   anyone else with a case role           not found: the case's existence is not told
//   admin, analyst, auditor                forbidden: no case data at all
//
// Thread-safe: stateless functions of their arguments and the transaction.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/coalition.h"
#include "domain/codec.h"
#include "domain/model.h"
#include "domain/prevention.h"
#include "store/store.h"

namespace haven::app {

struct Actor;
using domain::DataCategory;

enum class AccessBasis { kOwner, kNationalCoordination, kConsent, kOverride };
std::string_view Name(AccessBasis b);

// What one actor may do with one case: the decision of the policy, carried by the
// use case from its first read to its audit entry.
class CaseAccess {
 public:
  const domain::Case& Case() const { return case_; }
  domain::Case& MutableCase() { return case_; }
  AccessBasis Basis() const { return basis_; }
  // Any basis other than ownership: what is shown is a disclosure, audited.
  bool CrossOrganisation() const { return basis_ != AccessBasis::kOwner; }

  bool CanRead(DataCategory c) const { return read_.contains(c); }
  bool CanWrite(DataCategory c) const { return write_.contains(c); }
  // kForbidden naming the category when it may not be read / written.
  Status RequireRead(DataCategory c) const;
  Status RequireWrite(DataCategory c) const;
  std::vector<DataCategory> Readable() const { return {read_.begin(), read_.end()}; }

  // What the decision relied on, for the audit entry of a disclosure:
  // {"basis", "referral_ids", "consent_ids"} or {"basis": "override", "override_referral_id"}.
  domain::Json Grounds() const;

 private:
  friend class AccessPolicy;
  domain::Case case_;
  AccessBasis basis_ = AccessBasis::kOwner;
  std::set<DataCategory> read_;
  std::set<DataCategory> write_;
  std::vector<domain::Id> referral_ids_;
  std::vector<domain::Id> consent_ids_;
  std::optional<domain::Id> override_referral_id_;
  std::string denied_reason_;  // when nothing may be read although a relation exists
};

class AccessPolicy {
 public:
  // The decision for `case_id`: kNotFound when the case does not exist or the actor has
  // no relation to it (both answer alike), kForbidden for roles without case data.
  static Result<CaseAccess> Decide(store::Transaction& tx, const Actor& actor, domain::Id case_id,
                                   const domain::Date& today);
  // The same for a case already read (lists).
  static Result<CaseAccess> Decide(store::Transaction& tx, const Actor& actor, domain::Case c,
                                   const domain::Date& today);

  // Whether the actor's role may hold case data at all (lists, look-ups).
  static bool HandlesCases(const Actor& actor);
  // Which cases a list shows the actor: national oversight every case (or one
  // organisation's when asked), the others their own organisation's and those shared
  // with it by an active referral (not when filtered by a fact, which would tell a
  // shared case's facts). Asking for another organisation's list is refused.
  // REQUIRES: f's fact filters are set before.
  static Status ScopeCaseList(const Actor& actor, std::optional<domain::Id> requested,
                              store::CaseFilter& f);
  // Cases are registered for the actor's own organisation only.
  static Status MayRegisterFor(const Actor& actor, domain::Id organization_id);
  // The organisation whose cases are the actor's own (reminders, tasks).
  static domain::Id OwnOrganisation(const Actor& actor);
  // Whether the actor is on the staff of the shelter's organisation (admits, discharges).
  static bool ShelterStaff(const Actor& actor, const domain::Shelter& s);
  // Whether the actor may read the shelter's (sealed) address.
  static bool SeesShelterAddress(const Actor& actor, const domain::Shelter& s);
  // Awareness events: a coordinator records any; the staff of an organisation those it
  // organised (among the organisers).
  static Status MayRecordEvent(const Actor& actor, const std::vector<domain::Id>& organizers);
  // Progress on a measure: a coordinator reports for any body the measure names; a
  // supervisor for her own organisation, when the measure names it responsible.
  static Status MayReportProgress(const Actor& actor, const domain::Measure& m,
                                  domain::Id reporting_organization_id);
  // Whether an organisation may receive a case from its owner (not the owner itself).
  static Status MayReceive(const domain::Case& c, const domain::Organization& to,
                           std::string_view field);
  // Whether the actor's organisation is the sender or the receiver of a referral,
  // and so may see it in its inbox or outbox.
  static bool PartyToReferral(const Actor& actor, const domain::Referral& r);
  static bool ReceiverOf(const Actor& actor, const domain::Referral& r);
  // The sending organisation, or the coordinator who made the referral on its behalf.
  static bool SenderOf(const Actor& actor, const domain::Referral& r);
  // The consents in force that let the case go to `to` for every purpose: for a
  // transfer, which makes `to` the owner of everything, they must cover every category
  // too. kConflict `consent_required` naming what is missing otherwise.
  static Result<std::vector<domain::Id>> CoveringConsents(
      store::Transaction& tx, const domain::Case& c, const domain::Organization& to,
      const std::vector<domain::Purpose>& purposes, domain::ReferralKind kind,
      const domain::Date& today);
  // Which referrals a list shows: the inbox (incoming, the default) or the outbox of the
  // actor's organisation; national oversight every referral unless a direction is asked.
  static Status ScopeReferralList(const Actor& actor, const std::optional<std::string>& direction,
                                  store::ReferralFilter& f);
  // Whether a consent of the case is shown: all to the owner and national oversight, to a
  // receiver only those that name its organisation.
  static bool SeesConsent(const CaseAccess& access, const std::optional<domain::Organization>& org,
                          const domain::Consent& c);
  // Whether the actor reads an identification decision's free text (reasons, deciding
  // body): who may read the case's notes, and coordinators, who write it.
  static bool ReadsDecisionText(const Actor& actor, const CaseAccess& access);
  // Parties and the coordinating body (national oversight of referrals).
  static bool SeesReferral(const Actor& actor, const domain::Referral& r);
  // User administration never hands anyone identity access they do not have: admin
  // accounts are made by admins only, and accounts that open identities (caseworkers,
  // shelter managers) by the operator's admins, not by coordinators, who could
  // otherwise read identities, request a payment and approve it through them.
  static Status MayCreateAccount(const Actor& actor, domain::Role role);
  // The four-eyes rule of payments: the approver is neither the requester, nor the one
  // who created the requester's account, nor an account the requester created.
  static Status MayApprove(const domain::User& approver, const domain::User& requester);

  // Closing a case waits for a supervisor's approval when the owner has an active
  // supervisor and the actor is not one.
  static Result<bool> ClosureNeedsApproval(store::Transaction& tx, const Actor& actor,
                                           const domain::Case& c);
  // A supervisor decides, never on her own request.
  static Status MayDecideClosure(const Actor& actor, domain::Id requested_by);
  // Whether a possible earlier registration of the same person tells the actor its case
  // (code and id): only the actor's own organisation's; elsewhere the kind of organisation
  // and the day of identification only.
  static bool SeesEarlierCase(const CaseAccess& access);
  // A closed case is reopened by its owner only.
  static Status MayReopen(const CaseAccess& access);
  // Who is put in charge of a case: an active member of the owner's case staff. A
  // supervisor assigns and reassigns; case staff may take an unassigned case themselves.
  static Status MayAssign(const Actor& actor, const CaseAccess& access,
                          const std::optional<domain::User>& assignee);
  // Which accounts a list shows: every account (or one organisation's) to those who
  // manage accounts, its own organisation's to a supervisor.
  static Status ScopeUserList(const Actor& actor, std::optional<domain::Id> requested,
                              store::UserFilter& f);
};

}  // namespace haven::app
