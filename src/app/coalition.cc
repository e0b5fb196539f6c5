#include "app/coalition.h"

#include "app/sealing.h"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "app/consent_receipt.h"
#include "app/paging.h"
#include "app/permissions.h"
#include "domain/codec.h"
#include "domain/rules.h"
#include "privacy/signing.h"

namespace haven::app {

using domain::Json;
using domain::Name;
using P = Permission;
using S = domain::ReferralStatus;

namespace {

SealedField WitnessAd(Id id) {
  return Field("consents", id, "witness", fmt::format("consent:{}:witness", id));
}
SealedField ReferralNoteAd(Id id) {
  return Field("referrals", id, "note", fmt::format("referral:{}:note", id));
}
SealedField DeclineReasonAd(Id id) {
  return Field("referrals", id, "decline_reason", fmt::format("referral:{}:decline_reason", id));
}
SealedField OverrideReasonAd(Id id) {
  return Field("referrals", id, "override_reason", fmt::format("referral:{}:override_reason", id));
}

Status CaseOpen(const domain::Case& c) {
  if (c.status == domain::CaseStatus::kClosed)
    return Fail(ErrorCode::kConflict, "case_closed", fmt::format("case {} is closed", c.code),
                "case_id");
  return {};
}

Json ConsentFacts(const domain::Consent& c) {
  Json j = {{"case_id", c.case_id},
            {"purposes", domain::EnumListToJson(c.purposes)},
            {"categories", domain::EnumListToJson(c.categories)},
            {"given_on", c.given_on.ToString()},
            {"method", Name(c.method)},
            {"language", c.language}};
  if (c.recipient_organization_id) j["recipient_organization_id"] = *c.recipient_organization_id;
  if (c.recipient_kind) j["recipient_kind"] = Name(*c.recipient_kind);
  if (c.valid_until) j["valid_until"] = c.valid_until->ToString();
  return j;
}

std::string ReferralNoun(domain::ReferralKind k) {
  return k == domain::ReferralKind::kTransfer ? "transfer" : "referral";
}

// Whether `actor` may move referral `r` to `to` now: her role refers, she is of the
// party that takes that step (the receiver accepts, declines and completes; the sender
// revokes; a coordinator who referred on the owner's behalf is the sender), and the
// referral's state allows it. The one rule for the step itself and for the steps a
// screen offers (NextSteps).
Status CheckStepBy(const Actor& actor, const domain::Referral& r, S to) {
  TRY_STATUS(Require(actor.role, P::kRefer));
  const std::string noun = ReferralNoun(r.kind);
  const bool by_receiver = to != S::kRevoked;
  if (by_receiver && !AccessPolicy::ReceiverOf(actor, r))
    return Fail(ErrorCode::kForbidden, "forbidden",
                fmt::format("only the receiving organisation may {} this {}",
                            to == S::kAccepted   ? "accept"
                            : to == S::kDeclined ? "decline"
                                                 : "complete",
                            noun));
  if (!by_receiver && !AccessPolicy::SenderOf(actor, r))
    return Fail(ErrorCode::kForbidden, "forbidden",
                fmt::format("only the sending organisation may revoke this {}", noun));
  if (r.kind == domain::ReferralKind::kTransfer && to == S::kCompleted)
    return Fail(ErrorCode::kConflict, "invalid_referral_step",
                "a transfer is complete once it is accepted", "status");
  return domain::CheckReferralStep(r.status, to);
}

std::vector<S> NextSteps(const Actor& actor, const domain::Referral& r) {
  std::vector<S> steps;
  for (S to : {S::kAccepted, S::kDeclined, S::kCompleted, S::kRevoked})
    if (CheckStepBy(actor, r, to)) steps.push_back(to);
  return steps;
}

// The consent and the caller's access to its case; a consent of a case the caller
// does not know answers like a missing one ("no such {noun}").
Result<std::pair<store::StoredConsent, CaseAccess>> ConsentAndAccess(
    App& app, store::Transaction& tx, const Actor& actor, Id consent_id, std::string_view noun) {
  auto no_such = [&] {
    return Fail(ErrorCode::kNotFound, "not_found", fmt::format("no such {}", noun));
  };
  TRY(auto stored, tx.Coalition().GetConsent(consent_id));
  if (!stored) return no_such();
  auto access = app.Access(tx, actor, stored->consent.case_id);
  if (!access && access.error().code == ErrorCode::kNotFound) return no_such();
  if (!access) return std::unexpected(access.error());
  return std::pair(std::move(*stored), std::move(*access));
}

}  // namespace

// ---------------------------------------------------------------- consents

Result<ConsentView> CoalitionService::RecordConsent(const Actor& actor, Id case_id,
                                                    domain::Consent c, const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  return app_.IdempotentWrite<ConsentView>(
      actor, w, "consent",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<ConsentView>> {
        TRY(auto stored, tx.Coalition().GetConsent(replay));
        if (!stored) return std::optional<ConsentView>();
        stored->consent.witness.reset();
        return ConsentView{stored->consent, false};
      },
      [&](store::Transaction& tx) -> Result<App::Written<ConsentView>> {
        TRY(auto access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kCaseFacts));
        const domain::Case& kase = access.Case();
        TRY_STATUS(CaseOpen(kase));
        TRY_STATUS(domain::ValidateConsent(c, kase.fields.identified_on, app_.Today()));
        if (c.recipient_organization_id) {
          TRY(auto org, tx.GetOrganization(*c.recipient_organization_id));
          if (!org) return Invalid("recipient_organization_id", "no such organisation");
          TRY_STATUS(AccessPolicy::MayReceive(kase, *org, "recipient_organization_id"));
        }
        c.case_id = case_id;
        c.withdrawn_on.reset();
        c.has_form = false;
        c.recorded_by = actor.user_id;
        c.recorded_by_organization_id = actor.organization_id;
        c.created_at = c.updated_at = app_.Now();
        TRY(c.id, tx.Coalition().InsertConsent(c));
        if (c.witness) {
          TRY(auto key, app_.CaseKey(tx, kase));
          TRY(auto sealed, SealField(key, *c.witness, WitnessAd(c.id)));
          TRY_STATUS(tx.Coalition().SetConsentSealed(c.id, sealed));
        }
        Json details = ConsentFacts(c);
        details["code"] = kase.code;
        TRY_STATUS(app_.Audit(tx, actor, "consent.record", "consent", std::to_string(c.id),
                              details.dump()));
        return App::Written<ConsentView>{ConsentView{c, true}, c.id};
      });
}

Result<ConsentView> CoalitionService::WithdrawConsent(const Actor& actor, Id consent_id,
                                                      const domain::Date& withdrawn_on,
                                                      const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  if (withdrawn_on > app_.Today()) return Invalid("withdrawn_on", "is in the future");
  return app_.IdempotentWrite<ConsentView>(
      actor, w, "consent_withdrawal",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<ConsentView>> {
        TRY(auto stored, tx.Coalition().GetConsent(replay));
        if (!stored) return std::optional<ConsentView>();
        return ConsentView{stored->consent, false};
      },
      [&](store::Transaction& tx) -> Result<App::Written<ConsentView>> {
        TRY(auto found, ConsentAndAccess(app_, tx, actor, consent_id, "consent"));
        auto& [stored, access_value] = found;
        const CaseAccess* access = &access_value;
        TRY_STATUS(access->RequireWrite(DataCategory::kCaseFacts));
        domain::Consent c = stored.consent;
        if (c.withdrawn_on)
          return Fail(ErrorCode::kConflict, "already_withdrawn",
                      fmt::format("this consent was withdrawn on {}", c.withdrawn_on->ToString()));
        if (withdrawn_on < c.given_on)
          return Invalid("withdrawn_on",
                         fmt::format("is before the consent was given ({})", c.given_on.ToString()));
        TRY_STATUS(tx.Coalition().WithdrawConsent(consent_id, withdrawn_on, app_.Now()));
        c.withdrawn_on = withdrawn_on;
        c.updated_at = app_.Now();
        TRY_STATUS(app_.Audit(tx, actor, "consent.withdraw", "consent", std::to_string(consent_id),
                              Json{{"case_id", c.case_id},
                                   {"code", access->Case().code},
                                   {"withdrawn_on", withdrawn_on.ToString()}}
                                  .dump()));
        return App::Written<ConsentView>{ConsentView{c, false}, consent_id};
      });
}

Result<std::vector<ConsentView>> CoalitionService::ConsentsOfCase(const Actor& actor,
                                                                 Id case_id) {
  TRY(auto read, app_.BeginCaseRead(actor, case_id));
  TRY_STATUS(read.access.RequireRead(DataCategory::kCaseFacts));
  const bool notes = read.access.CanRead(DataCategory::kNotes);
  TRY(auto rows, read.tx->Coalition().ConsentsOfCase(case_id));
  // A receiver sees the consents that name it, nothing of those given to others (a
  // consent for medical care elsewhere is itself a health fact).
  TRY(auto org, read.tx->GetOrganization(actor.organization_id));
  std::erase_if(rows, [&](const store::StoredConsent& r) {
    return !AccessPolicy::SeesConsent(read.access, org, r.consent);
  });
  std::vector<ConsentView> out;
  bool text = false;
  for (auto& r : rows) {
    if (read.access.CrossOrganisation()) r.consent.recorded_by = 0;
    ConsentView v{r.consent, notes && !r.sealed_witness.empty()};
    if (v.witness_visible) {
      TRY(auto key, app_.CaseKey(*read.tx, read.access.Case()));
      TRY(auto witness, OpenField(key, r.sealed_witness, WitnessAd(r.consent.id)));
      v.consent.witness = witness;
      text = true;
    }
    out.push_back(std::move(v));
  }
  std::vector<DataCategory> shown = {DataCategory::kCaseFacts};
  if (text) shown.push_back(DataCategory::kNotes);
  TRY_STATUS(app_.FinishCaseRead(read, actor, "consents", shown));
  return out;
}

namespace {

SealedField FormAd(Id id) {
  return Field("consents", id, "form", fmt::format("consent:{}:form", id));
}

// What a scanned form may be: the file must be what it says (its first bytes).
Status CheckForm(const std::string& media_type, const std::string& content) {
  constexpr std::size_t kMaxBytes = 700 * 1024;
  struct Kind {
    std::string_view type;
    std::string_view magic;
  };
  static constexpr std::array<Kind, 3> kKinds = {{{"application/pdf", "%PDF-"},
                                                  {"image/jpeg", "\xFF\xD8\xFF"},
                                                  {"image/png", "\x89PNG\r\n\x1A\n"}}};
  auto kind = std::find_if(kKinds.begin(), kKinds.end(),
                           [&](const Kind& k) { return k.type == media_type; });
  if (kind == kKinds.end())
    return Invalid("media_type", "must be application/pdf, image/jpeg or image/png");
  if (content.empty()) return Invalid("content_base64", "is empty");
  if (content.size() > kMaxBytes)
    return Fail(ErrorCode::kTooLarge, "form_too_large",
                fmt::format("a scanned form may have at most {} KB", kMaxBytes / 1024),
                "content_base64");
  if (!content.starts_with(kind->magic))
    return Invalid("content_base64", fmt::format("is not a {} file", media_type));
  return {};
}

}  // namespace

Status CoalitionService::AttachConsentForm(const Actor& actor, Id consent_id,
                                           const std::string& media_type,
                                           const std::string& content_base64,
                                           const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  auto decoded = privacy::DecodeBase64(content_base64);
  if (!decoded) return Invalid("content_base64", "is not valid base64");
  const std::string& content = *decoded;
  TRY_STATUS(CheckForm(media_type, content));
  auto done = app_.IdempotentWrite<bool>(
      actor, w, "consent_form",
      [&](store::Transaction&, Id) -> Result<std::optional<bool>> { return true; },
      [&](store::Transaction& tx) -> Result<App::Written<bool>> {
        TRY(auto found, ConsentAndAccess(app_, tx, actor, consent_id, "consent"));
        const CaseAccess* access = &found.second;
        TRY_STATUS(access->RequireWrite(DataCategory::kIdentity));
        TRY(auto key, app_.CaseKey(tx, access->Case()));
        TRY(auto sealed, SealField(key, content, FormAd(consent_id)));
        TRY_STATUS(tx.Coalition().SetConsentForm(consent_id, sealed, media_type));
        TRY_STATUS(app_.Audit(tx, actor, "consent.form_attach", "consent",
                              std::to_string(consent_id),
                              Json{{"case_id", access->Case().id},
                                   {"code", access->Case().code},
                                   {"media_type", media_type},
                                   {"bytes", content.size()}}
                                  .dump()));
        return App::Written<bool>{true, consent_id};
      });
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<CoalitionService::ConsentForm> CoalitionService::ViewConsentForm(
    const Actor& actor, Id consent_id, const std::string& reason) {
  TRY_STATUS(Require(actor.role, P::kViewIdentity));
  TRY_STATUS(domain::CheckStatedReason(reason, "reason", "need the form"));
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto found, ConsentAndAccess(app_, *tx, actor, consent_id, "consent form"));
  const CaseAccess* access = &found.second;
  TRY_STATUS(access->RequireRead(DataCategory::kIdentity));
  TRY(auto form, tx->Coalition().ConsentForm(consent_id));
  if (!form) return Fail(ErrorCode::kNotFound, "not_found", "no such consent form");
  ConsentForm out;
  TRY(auto key, app_.CaseKey(*tx, access->Case()));
  TRY(auto content, OpenField(key, form->first, FormAd(consent_id)));
  out.content_base64 = privacy::Base64(content);
  out.media_type = form->second;
  Json details = access->Grounds();
  details["case_id"] = access->Case().id;
  details["code"] = access->Case().code;
  details["categories"] = {"identity"};
  TRY_STATUS(app_.Audit(*tx, actor, "consent.form_view", "consent", std::to_string(consent_id),
                        details.dump(), reason));
  TRY_STATUS(tx->Commit());
  return out;
}

std::pair<std::string, std::string> CoalitionService::ReceiptPublicKey() const {
  auto key = privacy::SigningKey::FromSeed(app_.Keys().ReceiptSigningSeed());
  return {privacy::Base64(key.PublicKey()), privacy::KeyId(key.PublicKey())};
}

Result<std::string> CoalitionService::ConsentReceipt(const Actor& actor, Id consent_id,
                                                     domain::Language lang, bool html) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto found, ConsentAndAccess(app_, *tx, actor, consent_id, "consent"));
  const store::StoredConsent* stored = &found.first;
  const CaseAccess* access = &found.second;
  // The person receives it from the organisation that recorded it (her case's owner).
  TRY_STATUS(access->RequireWrite(DataCategory::kCaseFacts));
  const domain::Case& c = access->Case();
  TRY(auto owner, tx->GetOrganization(c.organization_id));
  ReceiptInput in;
  in.consent = stored->consent;
  in.consent.witness.reset();
  in.case_code = c.code;
  in.controller_name = owner ? owner->name : "";
  if (in.consent.recipient_organization_id) {
    TRY(auto org, tx->GetOrganization(*in.consent.recipient_organization_id));
    in.recipient = org ? org->name : "";
  } else if (in.consent.recipient_kind) {
    in.recipient = fmt::format("every organisation of kind {}", Name(*in.consent.recipient_kind));
  }
  in.jurisdiction = app_.config().country_code;
  in.issued_at = app_.Now();
  in.receipt_id = fmt::format("haven-consent-{}-{}", consent_id,
                              FormatTimestamp(stored->consent.updated_at));
  auto key = privacy::SigningKey::FromSeed(app_.Keys().ReceiptSigningSeed());
  Json receipt = BuildSignedReceipt(in, key);
  TRY_STATUS(app_.Audit(*tx, actor, "consent.receipt", "consent", std::to_string(consent_id),
                        Json{{"case_id", c.id},
                             {"code", c.code},
                             {"format", html ? "html" : "json"},
                             {"language", Name(lang)}}
                            .dump()));
  TRY_STATUS(tx->Commit());
  return html ? ReceiptHtml(receipt, lang) : receipt.dump(2);
}

// ---------------------------------------------------------------- referrals

Result<ReferralView> CoalitionService::View(const Actor& actor, store::Transaction& tx,
                                            const store::StoredReferral& s,
                                            const domain::Case& c, bool receiver_notes) {
  ReferralView v{s.referral, false, false};
  const bool staff = Can(actor.role, P::kReadCaseNotes);
  // Made lazily: most views open nothing.
  std::optional<privacy::SealingKey> case_key;
  auto open = [&](const std::string& sealed, const SealedField& field) -> Result<std::string> {
    if (!case_key) {
      TRY(case_key, app_.CaseKey(tx, c));
    }
    return OpenField(*case_key, sealed, field);
  };
  bool notes = false;
  if (AccessPolicy::SenderOf(actor, s.referral)) {
    notes = staff;  // the sender wrote them
  } else if (AccessPolicy::ReceiverOf(actor, s.referral)) {
    // What the receiver reads of the referral is what the consent lets it read of the
    // case: the note is free text, a request for health care is a health fact.
    auto access = AccessPolicy::Decide(tx, actor, c, app_.Today());
    const bool may_notes = access && access->CanRead(DataCategory::kNotes);
    const bool may_health = access && access->CanRead(DataCategory::kHealth);
    notes = staff && may_notes && receiver_notes;
    if (!may_health)
      std::erase_if(v.referral.services_requested, [](domain::ServiceType t) {
        return domain::CategoryOfService(t) == DataCategory::kHealth;
      });
    // The reason of a decline is the receiver's own text.
    if (staff && !s.sealed_decline_reason.empty()) {
      TRY(v.referral.decline_reason,
          open(s.sealed_decline_reason, DeclineReasonAd(s.referral.id)));
      v.decline_reason_visible = true;
    }
  }
  if (notes && !s.sealed_note.empty()) {
    TRY(v.referral.note, open(s.sealed_note, ReferralNoteAd(s.referral.id)));
    v.note_visible = true;
  }
  if (AccessPolicy::SenderOf(actor, s.referral) && staff && !s.sealed_decline_reason.empty()) {
    TRY(v.referral.decline_reason,
        open(s.sealed_decline_reason, DeclineReasonAd(s.referral.id)));
    v.decline_reason_visible = true;
  }
  if (v.referral.override_) v.referral.override_->reason.clear();
  v.next_steps = NextSteps(actor, v.referral);
  return v;
}

Result<std::optional<ReferralView>> CoalitionService::ReplayedReferral(const Actor& actor,
                                                                      store::Transaction& tx,
                                                                      Id replay) {
  TRY(auto stored, tx.Coalition().GetReferral(replay));
  if (!stored) return std::optional<ReferralView>();
  TRY(auto c, tx.GetCase(stored->referral.case_id));
  if (!c) return std::optional<ReferralView>();
  TRY(auto v, View(actor, tx, *stored, *c, false));
  return std::optional<ReferralView>(std::move(v));
}

Result<ReferralView> CoalitionService::CreateReferral(const Actor& actor, const NewReferral& in,
                                                      const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kRefer));
  if (in.purposes.empty()) return Invalid("purposes", "name at least one purpose");
  TRY_STATUS(domain::CheckText(in.note, "note", 2000, false));
  if (in.override_basis) {
    if (!Can(actor.role, P::kOverrideConsent))
      return Fail(ErrorCode::kForbidden, "forbidden",
                  "only a coordinator may let a referral go ahead without consent", "override");
    TRY_STATUS(domain::CheckStatedReason(in.override_reason, "override.reason",
                                         "go ahead without consent"));
    if (in.override_categories.empty())
      return Invalid("override.categories", "name what the receiver may see");
    // Without the person's consent her file never changes hands, and the coordinating
    // body does not refer a case to itself (it already has the national view).
    if (in.kind == domain::ReferralKind::kTransfer)
      return Fail(ErrorCode::kForbidden, "forbidden",
                  "a transfer of ownership needs the person's consent; an override can only "
                  "refer",
                  "override");
    if (in.to_organization_id == AccessPolicy::OwnOrganisation(actor))
      return Invalid("to_organization_id",
                     "an override cannot refer a case to your own organisation");
  }
  const std::string noun = ReferralNoun(in.kind);
  return app_.IdempotentWrite<ReferralView>(
      actor, w, noun,
      [&](store::Transaction& tx, Id replay) { return ReplayedReferral(actor, tx, replay); },
      [&](store::Transaction& tx) -> Result<App::Written<ReferralView>> {
        auto access = app_.Access(tx, actor, in.case_id);
        if (!access) {
          if (access.error().code == ErrorCode::kNotFound) access.error().field = "case_id";
          return std::unexpected(access.error());
        }
        // The owner refers its case; the coordinating body may refer on its behalf.
        TRY_STATUS(access->RequireWrite(DataCategory::kCaseFacts));
        const domain::Case& c = access->Case();
        TRY_STATUS(CaseOpen(c));
        TRY(auto to, tx.GetOrganization(in.to_organization_id));
        if (!to) return Invalid("to_organization_id", "no such organisation");
        TRY_STATUS(AccessPolicy::MayReceive(c, *to, "to_organization_id"));
        // One active referral of a case to one organisation at a time.
        store::ReferralFilter same;
        same.case_id = c.id;
        same.to_organization_id = to->id;
        same.limit = 100;
        TRY(auto earlier, tx.Coalition().ListReferrals(same));
        for (const auto& e : earlier)
          if (e.referral.Active())
            return Fail(ErrorCode::kConflict, "referral_pending",
                        fmt::format("case {} is already referred to {} (referral {})", c.code,
                                    to->name, e.referral.id),
                        "to_organization_id");

        domain::Referral r;
        r.kind = in.kind;
        r.case_id = c.id;
        r.case_code = c.code;
        r.from_organization_id = c.organization_id;
        r.to_organization_id = to->id;
        r.purposes = in.purposes;
        r.services_requested = in.services_requested;
        r.status = S::kPending;
        r.created_by = actor.user_id;
        r.created_at = app_.Now();
        Json relied;
        if (in.override_basis) {
          r.override_ = domain::ConsentOverride{*in.override_basis, {}, in.override_categories,
                                                actor.user_id};
          relied = {{"override", Name(*in.override_basis)},
                    {"categories", domain::EnumListToJson(in.override_categories)}};
        } else {
          TRY(auto used, AccessPolicy::CoveringConsents(tx, c, *to, in.purposes, in.kind,
                                                        app_.Today()));
          relied = {{"consent_ids", used}};
        }
        TRY(r.id, tx.Coalition().InsertReferral(r));
        TRY(auto key, app_.CaseKey(tx, c));
        std::string sealed_note, sealed_override;
        if (!in.note.empty()) {
          TRY(sealed_note, SealField(key, in.note, ReferralNoteAd(r.id)));
        }
        if (in.override_basis) {
          TRY(sealed_override, SealField(key, in.override_reason, OverrideReasonAd(r.id)));
        }
        TRY_STATUS(tx.Coalition().SetReferralSealed(r.id, sealed_note, sealed_override));
        r.note = in.note;
        Json details = {{"case_id", c.id},
                        {"code", c.code},
                        {"from_organization_id", r.from_organization_id},
                        {"to_organization_id", r.to_organization_id},
                        {"purposes", domain::EnumListToJson(r.purposes)},
                        {"services_requested", domain::EnumListToJson(r.services_requested)}};
        details.update(relied);
        TRY_STATUS(app_.Audit(tx, actor, fmt::format("{}.create", noun), "referral",
                              std::to_string(r.id), details.dump(),
                              in.override_basis ? in.override_reason : std::string()));
        ReferralView v{r, !in.note.empty(), false};
        if (v.referral.override_) v.referral.override_->reason.clear();
        v.next_steps = NextSteps(actor, r);
        return App::Written<ReferralView>{v, r.id};
      });
}

Result<ReferralView> CoalitionService::Step(const Actor& actor, Id id, S to,
                                            const std::string& reason, const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kRefer));
  if (to == S::kDeclined) {
    TRY_STATUS(domain::CheckStatedReason(reason, "reason", "decline it", 1000));
  }
  return app_.IdempotentWrite<ReferralView>(
      actor, w, fmt::format("referral_{}", Name(to)),
      [&](store::Transaction& tx, Id replay) { return ReplayedReferral(actor, tx, replay); },
      [&](store::Transaction& tx) -> Result<App::Written<ReferralView>> {
        TRY(auto stored, tx.Coalition().GetReferral(id));
        if (!stored || !AccessPolicy::PartyToReferral(actor, stored->referral))
          return Fail(ErrorCode::kNotFound, "not_found", "no such referral");
        domain::Referral r = stored->referral;
        const std::string noun = ReferralNoun(r.kind);
        TRY_STATUS(CheckStepBy(actor, r, to));
        TRY(auto c, tx.GetCase(r.case_id));
        if (!c) return Internal("a referral refers to a missing case");
        if (to == S::kAccepted) TRY_STATUS(CaseOpen(*c));
        const Timestamp now = app_.Now();
        Json details = {{"case_id", c->id}, {"code", c->code}, {"kind", Name(r.kind)}};
        if (to == S::kAccepted && !r.override_) {
          // The consent may have been withdrawn while the referral waited.
          TRY(auto org, tx.GetOrganization(r.to_organization_id));
          if (!org) return Internal("a referral names a missing organisation");
          auto used = AccessPolicy::CoveringConsents(tx, *c, *org, r.purposes, r.kind, app_.Today());
          if (!used)
            return Fail(ErrorCode::kConflict, "consent_required",
                        fmt::format("the person's consent is no longer in force for this {}: {}",
                                    noun, used.error().message));
          details["consent_ids"] = *used;
        }
        std::string sealed_reason;
        r.status = to;
        switch (to) {
          case S::kAccepted: r.accepted_at = now; break;
          case S::kDeclined:
            r.declined_at = now;
          {
            TRY(auto key, app_.CaseKey(tx, *c));
            TRY(sealed_reason, SealField(key, reason, DeclineReasonAd(r.id)));
            break;
          }
          case S::kCompleted: r.completed_at = now; break;
          case S::kRevoked: r.revoked_at = now; break;
          case S::kPending: break;
        }
        if (r.kind == domain::ReferralKind::kTransfer && to == S::kAccepted) {
          // The receiver becomes the owner; the history of owners is kept.
          domain::Case moved = *c;
          moved.organization_id = r.to_organization_id;
          moved.fields.organization_id = r.to_organization_id;
          moved.updated_at = now;
          moved.version += 1;
          TRY_STATUS(tx.UpdateCase(moved));
          TRY_STATUS(tx.Coalition().EndOwnership(c->id, now));
          // The new owner now speaks for the case's other referrals; one to itself is moot.
          TRY_STATUS(tx.Coalition().HandOverReferrals(c->id, r.id, r.from_organization_id,
                                                      r.to_organization_id, now));
          TRY_STATUS(tx.Coalition().InsertOwnership(
              domain::CaseOwnership{c->id, r.to_organization_id, now, {}, r.id}));
          r.status = S::kCompleted;
          r.completed_at = now;
          details["new_owner_organization_id"] = r.to_organization_id;
        }
        r.version += 1;
        TRY_STATUS(tx.Coalition().UpdateReferral(r, sealed_reason));
        TRY_STATUS(app_.Audit(tx, actor, fmt::format("{}.{}", noun, Name(to)), "referral",
                              std::to_string(r.id), details.dump()));
        store::StoredReferral after = *stored;
        after.referral = r;
        if (!sealed_reason.empty()) after.sealed_decline_reason = sealed_reason;
        TRY(auto v, View(actor, tx, after, *c, false));
        return App::Written<ReferralView>{v, r.id};
      });
}

Result<ReferralView> CoalitionService::AcceptReferral(const Actor& actor, Id id,
                                                      const WriteOptions& w) {
  return Step(actor, id, S::kAccepted, {}, w);
}
Result<ReferralView> CoalitionService::DeclineReferral(const Actor& actor, Id id,
                                                       const std::string& reason,
                                                       const WriteOptions& w) {
  return Step(actor, id, S::kDeclined, reason, w);
}
Result<ReferralView> CoalitionService::CompleteReferral(const Actor& actor, Id id,
                                                        const WriteOptions& w) {
  return Step(actor, id, S::kCompleted, {}, w);
}
Result<ReferralView> CoalitionService::RevokeReferral(const Actor& actor, Id id,
                                                      const WriteOptions& w) {
  return Step(actor, id, S::kRevoked, {}, w);
}

Result<ReferralView> CoalitionService::GetReferral(const Actor& actor, Id id) {
  if (!AccessPolicy::HandlesCases(actor))
    return std::unexpected(Require(actor.role, P::kReadOwnCases).error());
  // A receiver's reading of the note is a disclosure, audited in the same transaction.
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto stored, tx->Coalition().GetReferral(id));
  if (!stored || !AccessPolicy::SeesReferral(actor, stored->referral))
    return Fail(ErrorCode::kNotFound, "not_found", "no such referral");
  TRY(auto c, tx->GetCase(stored->referral.case_id));
  if (!c) return Internal("a referral refers to a missing case");
  TRY(auto v, View(actor, *tx, *stored, *c, true));
  if (v.note_visible && AccessPolicy::ReceiverOf(actor, stored->referral)) {
    TRY(auto access, AccessPolicy::Decide(*tx, actor, *c, app_.Today()));
    TRY_STATUS(app_.AuditDisclosure(*tx, actor, access, "referral_note", {DataCategory::kNotes}));
  }
  TRY_STATUS(tx->Commit());
  return v;
}

Result<Page<ReferralView>> CoalitionService::ListReferrals(const Actor& actor,
                                                           const ReferralQuery& q) {
  if (!AccessPolicy::HandlesCases(actor))
    return std::unexpected(Require(actor.role, P::kReadOwnCases).error());
  TRY_STATUS(CheckLimit(q.page.limit));
  TRY(auto before, ParseCursor(q.page.cursor));
  store::ReferralFilter f;
  TRY_STATUS(AccessPolicy::ScopeReferralList(actor, q.direction, f));
  f.status = q.status;
  f.kind = q.kind;
  f.case_id = q.case_id;
  if (before) f.before_id = before;
  f.limit = q.page.limit + 1;
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto rows, tx->Coalition().ListReferrals(f));
  auto page = MakePage(std::move(rows), q.page.limit,
                       [](const store::StoredReferral& r) { return r.referral.id; });
  Page<ReferralView> out;
  out.next_cursor = page.next_cursor;
  for (const auto& s : page.items) {
    TRY(auto c, tx->GetCase(s.referral.case_id));
    if (!c) continue;
    // An inbox shows no note: it is read, and audited, when the referral is opened.
    TRY(auto v, View(actor, *tx, s, *c, false));
    out.items.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<domain::CaseOwnership>> CoalitionService::OwnersOfCase(const Actor& actor,
                                                                         Id case_id) {
  TRY(auto read, app_.BeginCaseRead(actor, case_id));
  TRY_STATUS(read.access.RequireRead(DataCategory::kCaseFacts));
  TRY(auto rows, read.tx->Coalition().OwnershipOfCase(case_id));
  TRY_STATUS(app_.FinishCaseRead(read, actor, "owners", {DataCategory::kCaseFacts}));
  return rows;
}

// ---------------------------------------------------------------- memorandum

Status CoalitionService::RecordMember(const Actor& actor, Id organization_id,
                                      const domain::Date& signed_on,
                                      std::optional<domain::Date> left_on,
                                      const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kManageOrganizations));
  if (signed_on > app_.Today()) return Invalid("signed_on", "is in the future");
  if (left_on && *left_on < signed_on) return Invalid("left_on", "is before signed_on");
  if (left_on && *left_on > app_.Today()) return Invalid("left_on", "is in the future");
  auto done = app_.IdempotentWrite<bool>(
      actor, w, "memorandum_member",
      [&](store::Transaction&, Id) -> Result<std::optional<bool>> { return true; },
      [&](store::Transaction& tx) -> Result<App::Written<bool>> {
        TRY(auto org, tx.GetOrganization(organization_id));
        if (!org) return Invalid("organization_id", "no such organisation");
        TRY_STATUS(tx.Coalition().UpsertMember(
            store::MemorandumMember{org->id, org->name, org->kind, signed_on, left_on, app_.Now()}));
        Json details = {{"signed_on", signed_on.ToString()}};
        if (left_on) details["left_on"] = left_on->ToString();
        TRY_STATUS(app_.Audit(tx, actor, "memorandum.member", "organization",
                              std::to_string(org->id), details.dump()));
        return App::Written<bool>{true, org->id};
      });
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<std::vector<store::MemorandumMember>> CoalitionService::Members(const Actor&) {
  TRY(auto tx, app_.Store().Begin(false));
  return tx->Coalition().Members();
}

// ---------------------------------------------------------------- access history

Result<AccessHistory> CoalitionService::AccessHistoryOf(const Actor& actor, Id case_id,
                                                        const PageRequest& p) {
  TRY_STATUS(CheckLimit(p.limit));
  TRY(auto after, ParseCursor(p.cursor));
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto access, app_.Access(*tx, actor, case_id));
  // Printed for the person by the organisation that holds her file.
  TRY_STATUS(access.RequireWrite(DataCategory::kIdentity));
  AccessHistory h;
  h.c = access.Case();
  TRY(auto rows, tx->AuditOfCase(case_id, after, p.limit + 1));
  auto page = MakePage(std::move(rows), p.limit, [](const auto& r) { return r.seq; });
  h.next_cursor = page.next_cursor;
  std::map<Id, std::optional<domain::Organization>> orgs;
  for (const auto& r : page.items) {
    AccessEvent e;
    e.at = r.at;
    e.action = r.action;
    e.role = r.actor_role;
    if (r.actor_organization_id) {
      auto it = orgs.find(r.actor_organization_id);
      if (it == orgs.end()) {
        TRY(auto o, tx->GetOrganization(r.actor_organization_id));
        it = orgs.emplace(r.actor_organization_id, o).first;
      }
      if (it->second) {
        e.organization_id = it->second->id;
        e.organization_name = it->second->name;
        e.organization_kind = it->second->kind;
      }
    }
    auto details = Json::parse(r.details, nullptr, false);
    if (details.is_object()) {
      for (const char* key : {"purposes", "categories"}) {
        if (details.contains(key) && details[key].is_array())
          for (const auto& v : details[key])
            if (v.is_string())
              (std::string_view(key) == "purposes" ? e.purposes : e.categories)
                  .push_back(v.get<std::string>());
      }
      if (details.contains("basis") && details["basis"].is_string())
        e.basis = details["basis"].get<std::string>();
      // A receiver's own records name their grounds.
      if (details.contains("grounds") && details["grounds"].is_object() &&
          details["grounds"].contains("basis") && details["grounds"]["basis"].is_string())
        e.basis = details["grounds"]["basis"].get<std::string>();
      if (details.contains("override") && details["override"].is_string())
        e.basis = "override";
    }
    h.events.push_back(std::move(e));
  }
  // Reading the history is itself on the record.
  TRY_STATUS(app_.Audit(*tx, actor, "case.access_history", "case", std::to_string(case_id),
                        Json{{"code", h.c.code}, {"entries", h.events.size()}}.dump()));
  TRY_STATUS(tx->Commit());
  return h;
}

}  // namespace haven::app
