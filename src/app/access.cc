#include "app/access.h"

#include <algorithm>

#include <fmt/format.h>

#include "app/app.h"
#include "app/permissions.h"

namespace haven::app {

using domain::Json;
using C = DataCategory;
using P = Permission;

std::string_view Name(AccessBasis b) {
  switch (b) {
    case AccessBasis::kOwner: return "owner";
    case AccessBasis::kNationalCoordination: return "national_coordination";
    case AccessBasis::kConsent: return "consent";
    case AccessBasis::kOverride: return "override";
  }
  return "owner";
}

Status CaseAccess::RequireRead(DataCategory c) const {
  if (CanRead(c)) return {};
  if (!denied_reason_.empty())
    return Fail(ErrorCode::kForbidden, "consent_not_in_force", denied_reason_);
  return Fail(ErrorCode::kForbidden, "category_not_allowed",
              fmt::format("you may not see the {} of case {}", domain::Name(c), case_.code));
}

Status CaseAccess::RequireWrite(DataCategory c) const {
  if (CanWrite(c)) return {};
  if (!denied_reason_.empty())
    return Fail(ErrorCode::kForbidden, "consent_not_in_force", denied_reason_);
  return Fail(ErrorCode::kForbidden, "category_not_allowed",
              fmt::format("you may not change the {} of case {}", domain::Name(c), case_.code));
}

Json CaseAccess::Grounds() const {
  Json j = {{"basis", Name(basis_)}};
  if (!referral_ids_.empty()) j["referral_ids"] = referral_ids_;
  if (!consent_ids_.empty()) j["consent_ids"] = consent_ids_;
  if (override_referral_id_) j["override_referral_id"] = *override_referral_id_;
  return j;
}

bool AccessPolicy::HandlesCases(const Actor& actor) {
  return Can(actor.role, P::kReadOwnCases) || Can(actor.role, P::kReadAllCases);
}

Status AccessPolicy::ScopeCaseList(const Actor& actor, std::optional<domain::Id> requested,
                                   store::CaseFilter& f) {
  if (Can(actor.role, P::kReadAllCases)) {
    f.organization_id = requested;
    return {};
  }
  TRY_STATUS(Require(actor.role, P::kReadOwnCases));
  if (requested && *requested != actor.organization_id)
    return Fail(ErrorCode::kForbidden, "forbidden",
                "you may only list your own organisation's cases", "organization_id");
  // A shared case is listed by its code only: a filter on its facts (status, year, form
  // of exploitation, region, age, who is in charge) would tell them, so filters apply to
  // the organisation's own cases.
  const bool filtered = f.status || f.year || f.exploitation || f.region || f.min_age ||
                        f.max_age || f.age_unknown || f.assigned_to || f.unassigned || f.ids;
  if (requested || filtered) f.organization_id = actor.organization_id;
  else f.shared_with_organization_id = actor.organization_id;
  return {};
}

Status AccessPolicy::MayRegisterFor(const Actor& actor, domain::Id organization_id) {
  TRY_STATUS(Require(actor.role, P::kCreateCase));
  if (organization_id != actor.organization_id)
    return Fail(ErrorCode::kForbidden, "forbidden",
                "cases can only be registered for your own organisation", "organization_id");
  return {};
}

domain::Id AccessPolicy::OwnOrganisation(const Actor& actor) { return actor.organization_id; }

bool AccessPolicy::ShelterStaff(const Actor& actor, const domain::Shelter& s) {
  return Can(actor.role, P::kShelterStaff) && actor.organization_id == s.organization_id;
}

bool AccessPolicy::SeesShelterAddress(const Actor& actor, const domain::Shelter& s) {
  return Can(actor.role, P::kSeeShelterAddresses) || ShelterStaff(actor, s);
}

Status AccessPolicy::MayReceive(const domain::Case& c, const domain::Organization& to,
                               std::string_view field) {
  if (c.organization_id == to.id)
    return Invalid(std::string(field), "the case is already this organisation's own");
  if (!to.active)
    return Invalid(std::string(field), fmt::format("{} is deactivated", to.name));
  return {};
}

Status AccessPolicy::MayRecordEvent(const Actor& actor, const std::vector<domain::Id>& organizers) {
  TRY_STATUS(Require(actor.role, P::kRecordEvents));
  if (Can(actor.role, P::kManagePlans)) return {};  // the coordinating body
  if (std::find(organizers.begin(), organizers.end(), actor.organization_id) == organizers.end())
    return Fail(ErrorCode::kForbidden, "forbidden",
                "you record the events your own organisation organised: name it among the "
                "organisers",
                "organizer_organization_ids");
  return {};
}

Status AccessPolicy::MayReportProgress(const Actor& actor, const domain::Measure& m,
                                       domain::Id reporting_organization_id) {
  TRY_STATUS(Require(actor.role, P::kReportProgress));
  auto names = [&](domain::Id org) {
    auto in = [org](const std::vector<domain::Id>& v) {
      return std::find(v.begin(), v.end(), org) != v.end();
    };
    return in(m.responsible_organization_ids) || in(m.partner_organization_ids);
  };
  if (!names(reporting_organization_id))
    return Invalid("reporting_organization_id",
                   "is neither a responsible body nor a partner of this measure");
  if (Can(actor.role, P::kManagePlans)) return {};  // the coordinating body
  const bool responsible =
      std::find(m.responsible_organization_ids.begin(), m.responsible_organization_ids.end(),
                actor.organization_id) != m.responsible_organization_ids.end();
  if (!responsible || reporting_organization_id != actor.organization_id)
    return Fail(ErrorCode::kForbidden, "forbidden",
                "you report progress for your own organisation, on the measures it is "
                "responsible for");
  return {};
}

bool AccessPolicy::ReceiverOf(const Actor& actor, const domain::Referral& r) {
  return actor.organization_id == r.to_organization_id;
}
bool AccessPolicy::SenderOf(const Actor& actor, const domain::Referral& r) {
  return actor.organization_id == r.from_organization_id || actor.user_id == r.created_by;
}
bool AccessPolicy::PartyToReferral(const Actor& actor, const domain::Referral& r) {
  return ReceiverOf(actor, r) || SenderOf(actor, r);
}
Result<std::vector<domain::Id>> AccessPolicy::CoveringConsents(
    store::Transaction& tx, const domain::Case& c, const domain::Organization& to,
    const std::vector<domain::Purpose>& purposes, domain::ReferralKind kind,
    const domain::Date& today) {
  TRY(auto consents, tx.Coalition().ConsentsOfCase(c.id));
  std::vector<domain::Id> used;
  std::set<C> categories;
  for (auto purpose : purposes) {
    bool covered = false;
    for (const auto& sc : consents) {
      if (!sc.consent.InForce(today) || !sc.consent.NamesRecipient(to) ||
          !sc.consent.HasPurpose(purpose))
        continue;
      covered = true;
      if (std::find(used.begin(), used.end(), sc.consent.id) == used.end())
        used.push_back(sc.consent.id);
      categories.insert(sc.consent.categories.begin(), sc.consent.categories.end());
    }
    if (!covered)
      return Fail(ErrorCode::kConflict, "consent_required",
                  fmt::format("no consent in force lets case {} be shared with {} for {}; record "
                              "the person's consent first",
                              c.code, to.name, domain::Name(purpose)),
                  "purposes");
  }
  if (kind == domain::ReferralKind::kTransfer) {
    std::string missing;
    for (auto name : domain::EnumNames<C>::kNames) {
      auto cat = *domain::ParseEnum<C>(name);
      if (!categories.contains(cat)) missing += (missing.empty() ? "" : ", ") + std::string(name);
    }
    if (!missing.empty())
      return Fail(ErrorCode::kConflict, "consent_required",
                  fmt::format("a transfer makes {} the owner of the whole file of case {}; the "
                              "person's consent does not cover {}",
                              to.name, c.code, missing),
                  "purposes");
  }
  return used;
}

Status AccessPolicy::ScopeReferralList(const Actor& actor,
                                       const std::optional<std::string>& direction,
                                       store::ReferralFilter& f) {
  const std::string d = direction.value_or("incoming");
  if (d != "incoming" && d != "outgoing")
    return Invalid("direction", "must be incoming or outgoing");
  if (Can(actor.role, P::kReadAllCases) && !direction) return {};
  if (d == "incoming") f.to_organization_id = actor.organization_id;
  else f.from_organization_id = actor.organization_id;
  return {};
}

bool AccessPolicy::SeesConsent(const CaseAccess& access,
                               const std::optional<domain::Organization>& org,
                               const domain::Consent& c) {
  if (access.Basis() == AccessBasis::kOwner ||
      access.Basis() == AccessBasis::kNationalCoordination)
    return true;
  return org && c.NamesRecipient(*org);
}

bool AccessPolicy::ReadsDecisionText(const Actor& actor, const CaseAccess& access) {
  return access.CanRead(C::kNotes) || Can(actor.role, P::kRecordDecision);
}

bool AccessPolicy::SeesReferral(const Actor& actor, const domain::Referral& r) {
  return PartyToReferral(actor, r) || Can(actor.role, P::kReadAllCases);
}
Status AccessPolicy::MayCreateAccount(const Actor& actor, domain::Role role) {
  TRY_STATUS(Require(actor.role, P::kManageUsers));
  const bool admin = actor.role == domain::Role::kAdmin;
  if (role == domain::Role::kAdmin && !admin)
    return Fail(ErrorCode::kForbidden, "forbidden", "only an admin may create admin accounts",
                "role");
  if (Can(role, P::kViewIdentity) && !admin)
    return Fail(ErrorCode::kForbidden, "forbidden",
                "accounts that can open identities are created by an administrator", "role");
  return {};
}

Status AccessPolicy::MayApprove(const domain::User& approver, const domain::User& requester) {
  if (approver.id == requester.id ||
      (requester.created_by && *requester.created_by == approver.id) ||
      (approver.created_by && *approver.created_by == requester.id))
    return Fail(ErrorCode::kForbidden, "four_eyes",
                "a payment is approved by someone else than who requested it, and not "
                "through an account one of them created for the other");
  return {};
}

Result<bool> AccessPolicy::ClosureNeedsApproval(store::Transaction& tx, const Actor& actor,
                                                const domain::Case& c) {
  if (Can(actor.role, P::kApproveClosure)) return false;
  store::UserFilter f;
  f.organization_id = c.organization_id;
  f.role = domain::Role::kSupervisor;
  f.active = true;
  f.limit = 1;
  TRY(auto supervisors, tx.ListUsers(f));
  return !supervisors.empty();
}

Status AccessPolicy::MayDecideClosure(const Actor& actor, domain::Id requested_by) {
  TRY_STATUS(Require(actor.role, P::kApproveClosure));
  if (actor.user_id == requested_by)
    return Fail(ErrorCode::kForbidden, "four_eyes",
                "a closure is approved by another supervisor than the one who asked for it");
  return {};
}

bool AccessPolicy::SeesEarlierCase(const CaseAccess& access) {
  return access.Basis() == AccessBasis::kOwner;
}

Status AccessPolicy::MayReopen(const CaseAccess& access) {
  if (access.Basis() != AccessBasis::kOwner)
    return Fail(ErrorCode::kForbidden, "forbidden",
                "a closed case is reopened by the organisation that owns it");
  return {};
}

Status AccessPolicy::MayAssign(const Actor& actor, const CaseAccess& access,
                               const std::optional<domain::User>& assignee) {
  if (access.Basis() != AccessBasis::kOwner || !access.CanWrite(C::kCaseFacts))
    return Fail(ErrorCode::kForbidden, "forbidden",
                "cases are assigned within the organisation that owns them");
  const domain::Case& c = access.Case();
  if (assignee) {
    if (assignee->organization_id != c.organization_id || !assignee->active ||
        !Can(assignee->role, P::kChangeCase))
      return Invalid("user_id", "must be an active member of the case staff of the case's "
                                "organisation");
  }
  if (Can(actor.role, P::kAssignCases)) return {};
  // Case staff take an unassigned case themselves; moving it is the supervisor's.
  if (assignee && assignee->id == actor.user_id &&
      (!c.assigned_to || *c.assigned_to == actor.user_id))
    return {};
  return Fail(ErrorCode::kForbidden, "forbidden",
              "a supervisor assigns and reassigns cases; you may take an unassigned case "
              "yourself");
}

Status AccessPolicy::ScopeUserList(const Actor& actor, std::optional<domain::Id> requested,
                                   store::UserFilter& f) {
  if (Can(actor.role, P::kManageUsers)) {
    f.organization_id = requested;
    return {};
  }
  // A supervisor sees the accounts of the organisation, to assign cases.
  if (Can(actor.role, P::kAssignCases)) {
    if (requested && *requested != actor.organization_id)
      return Fail(ErrorCode::kForbidden, "forbidden",
                  "you may list the accounts of your own organisation only",
                  "organization_id");
    f.organization_id = actor.organization_id;
    return {};
  }
  return Require(actor.role, P::kManageUsers);
}

Result<CaseAccess> AccessPolicy::Decide(store::Transaction& tx, const Actor& actor,
                                        domain::Id case_id, const domain::Date& today) {
  if (!HandlesCases(actor)) return std::unexpected(Require(actor.role, P::kReadOwnCases).error());
  TRY(auto c, tx.GetCase(case_id));
  if (!c) return Fail(ErrorCode::kNotFound, "not_found", "no such case");
  return Decide(tx, actor, std::move(*c), today);
}

Result<CaseAccess> AccessPolicy::Decide(store::Transaction& tx, const Actor& actor,
                                        domain::Case c, const domain::Date& today) {
  if (!HandlesCases(actor)) return std::unexpected(Require(actor.role, P::kReadOwnCases).error());
  CaseAccess a;
  a.case_ = std::move(c);
  const domain::Case& kase = a.case_;
  static const std::set<C> kAll = {C::kCaseFacts, C::kNotes,  C::kIdentity, C::kContacts,
                                   C::kServices,  C::kHealth, C::kShelter,  C::kMoney,
                                   C::kDocuments};

  if (Can(actor.role, P::kReadAllCases)) {
    // National oversight by the coordinating body: never identities or free text.
    a.basis_ = AccessBasis::kNationalCoordination;
    a.read_ = {C::kCaseFacts, C::kServices, C::kHealth, C::kShelter, C::kMoney};
    if (Can(actor.role, P::kRecordDecision)) a.write_ = {C::kCaseFacts};
    return a;
  }
  if (kase.organization_id == actor.organization_id) {
    a.basis_ = AccessBasis::kOwner;
    a.read_ = kAll;
    a.write_ = kAll;
    return a;
  }

  // A receiver: only through an active referral or transfer to its organisation.
  store::ReferralFilter f;
  f.case_id = kase.id;
  f.to_organization_id = actor.organization_id;
  f.limit = 1000;
  TRY(auto referrals, tx.Coalition().ListReferrals(f));
  std::erase_if(referrals, [](const store::StoredReferral& r) { return !r.referral.Active(); });
  if (referrals.empty()) return Fail(ErrorCode::kNotFound, "not_found", "no such case");

  TRY(auto org, tx.GetOrganization(actor.organization_id));
  if (!org) return Fail(ErrorCode::kNotFound, "not_found", "no such case");
  TRY(auto consents, tx.Coalition().ConsentsOfCase(kase.id));
  bool accepted = false;
  for (const auto& sr : referrals) {
    const auto& r = sr.referral;
    a.referral_ids_.push_back(r.id);
    bool counted = false;
    if (r.override_) {
      for (auto cat : r.override_->categories) a.read_.insert(cat);
      a.override_referral_id_ = r.id;
      counted = true;
    } else {
      for (const auto& sc : consents) {
        const auto& consent = sc.consent;
        if (!consent.InForce(today) || !consent.NamesRecipient(*org)) continue;
        bool shares_purpose = std::any_of(r.purposes.begin(), r.purposes.end(),
                                          [&](domain::Purpose p) { return consent.HasPurpose(p); });
        if (!shares_purpose) continue;
        for (auto cat : consent.categories) a.read_.insert(cat);
        if (std::find(a.consent_ids_.begin(), a.consent_ids_.end(), consent.id) ==
            a.consent_ids_.end())
          a.consent_ids_.push_back(consent.id);
        counted = true;
      }
    }
    if (counted && r.status == domain::ReferralStatus::kAccepted) accepted = true;
  }
  a.basis_ = a.override_referral_id_ && a.consent_ids_.empty() ? AccessBasis::kOverride
                                                                : AccessBasis::kConsent;
  if (a.read_.empty()) {
    a.denied_reason_ = fmt::format(
        "the person's consent to share case {} with your organisation is not in force "
        "(withdrawn or expired)",
        kase.code);
    return a;
  }
  // Once accepted, the receiver records the help it gives, within what it may see.
  if (accepted)
    for (auto cat : {C::kServices, C::kHealth, C::kShelter})
      if (a.read_.contains(cat)) a.write_.insert(cat);
  return a;
}

}  // namespace haven::app
