#include "app/casework.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "app/assistance.h"
#include "app/paging.h"
#include "app/permissions.h"
#include "app/sealing.h"
#include "domain/codec.h"
#include "domain/rules.h"
#include "privacy/crypto.h"

namespace haven::app {
namespace {

using domain::CaseStatus;
using domain::ClosureReason;
using domain::ClosureRequestStatus;
using domain::Json;
using domain::Name;
using P = Permission;

SealedField CaseNoteAd(Id note_id) {
  return Field("case_notes", note_id, "text", fmt::format("note:{}", note_id));
}
SealedField AttachmentTitleAd(Id id) {
  return Field("case_attachments", id, "title", fmt::format("attachment:{}:title", id));
}
SealedField AttachmentContentAd(Id id) {
  return Field("case_attachments", id, "content", fmt::format("attachment:{}:content", id));
}
SealedField ClosureNoteAd(Id id) {
  return Field("closure_requests", id, "note", fmt::format("closure_request:{}:note", id));
}
SealedField ClosureDecisionAd(Id id) {
  return Field("closure_requests", id, "decision_note",
               fmt::format("closure_request:{}:decision", id));
}

Json Opt(const std::optional<Id>& v) { return v ? Json(*v) : Json(nullptr); }

// The day a move is recorded on: given or today, never in the future, never before the
// case was identified or its previous status change.
Result<domain::Date> MoveDate(store::Transaction& tx, const domain::Case& c,
                              std::optional<domain::Date> on, const domain::Date& today) {
  domain::Date day = on.value_or(today);
  if (day > today) return Invalid("on", "is in the future");
  if (day < c.fields.identified_on) return Invalid("on", "is before the case was identified");
  TRY(auto history, tx.ListTransitions(c.id));
  if (!history.empty() && day < history.back().transition.on)
    return Invalid("on", fmt::format("is before the previous status change ({})",
                                     history.back().transition.on.ToString()));
  return day;
}

Status CheckTransitionRequest(const TransitionRequest& t) {
  if (t.to == CaseStatus::kClosed) {
    if (!t.closure_reason)
      return Invalid("closure_reason", "is required to close a case: one of " +
                                           domain::AllowedNames<ClosureReason>());
    TRY_STATUS(domain::CheckClosingNote(t.note));
    if (*t.closure_reason == ClosureReason::kDuplicate && !t.duplicate_of)
      return Invalid("duplicate_of", "names the case that is kept when one closes as duplicate");
    if (t.duplicate_of && *t.closure_reason != ClosureReason::kDuplicate)
      return Invalid("duplicate_of", "is given only with the closure reason duplicate");
    return {};
  }
  if (t.closure_reason) return Invalid("closure_reason", "is given only when closing a case");
  if (t.duplicate_of) return Invalid("duplicate_of", "is given only when closing a case");
  return domain::CheckText(t.note, "note", 4000, false);
}

}  // namespace

// ---------------------------------------------------------------- finding

Result<Page<CaseRow>> CaseworkService::FindCases(const Actor& actor, CaseQuery q,
                                                 std::optional<int> due_within_days) {
  if (due_within_days) {
    TRY(auto tasks, AssistanceService(app_).Tasks(actor, *due_within_days));
    std::vector<Id> ids;
    for (const auto& t : tasks)
      if (t.case_id && std::find(ids.begin(), ids.end(), t.case_id) == ids.end())
        ids.push_back(t.case_id);
    q.ids = std::move(ids);
  }
  return app_.ListCases(actor, q);
}

Result<Id> CaseworkService::CaseIdByCode(const Actor& actor, const std::string& code) {
  TRY_STATUS(domain::CheckCaseCode(code, "code"));
  CaseQuery q;
  q.code = code;
  q.page.limit = 1;
  TRY(auto page, app_.ListCases(actor, q));
  if (page.items.empty()) return Fail(ErrorCode::kNotFound, "not_found", "no such case");
  return page.items.front().c.id;
}

// ---------------------------------------------------------------- workflow

Result<TransitionResult> CaseworkService::Move(store::Transaction& tx, const Actor& actor,
                                               CaseAccess& access, const TransitionRequest& t,
                                               bool by_record) {
  domain::Case c = access.Case();
  TRY_STATUS(domain::CheckTransition(c.status, t.to));
  if (t.to == CaseStatus::kReturned && !by_record)
    return Fail(ErrorCode::kConflict, "return_not_recorded",
                fmt::format("case {} moves to returned when its return is recorded "
                            "(POST /api/v1/cases/{}/return)",
                            c.code, c.id),
                "to");
  if (t.to == CaseStatus::kReintegrated) {
    TRY(auto follow_ups, tx.Stages().FollowUpsOfCase(c.id));
    bool done = std::any_of(follow_ups.begin(), follow_ups.end(),
                            [](const auto& f) { return f.follow_up.done_on.has_value(); });
    if (!done)
      return Fail(ErrorCode::kConflict, "follow_up_required",
                  fmt::format("case {} becomes reintegrated after a completed follow-up visit",
                              c.code),
                  "to");
  }
  if (t.duplicate_of) {
    if (*t.duplicate_of == c.id)
      return Invalid("duplicate_of", "is this case itself; name the case that is kept");
    auto kept = app_.Access(tx, actor, *t.duplicate_of);
    if (!kept && kept.error().code == ErrorCode::kNotFound)
      return Invalid("duplicate_of", "no such case of your organisation");
    if (!kept) return std::unexpected(kept.error());
    if (kept->Basis() != AccessBasis::kOwner || !kept->CanWrite(DataCategory::kCaseFacts))
      return Invalid("duplicate_of", "must be a case of your own organisation");
    if (kept->Case().duplicate_of)
      return Invalid("duplicate_of",
                     fmt::format("case {} is itself closed as a duplicate of another",
                                 kept->Case().code));
  }
  std::optional<domain::Date> day = t.on;
  if (by_record && day) {
    // A record entered after the fact: the status changes no earlier than it last did.
    TRY(auto history, tx.ListTransitions(c.id));
    if (!history.empty()) day = std::max(*day, history.back().transition.on);
    day = std::min(*day, app_.Today());
  }
  TRY(domain::Date on, MoveDate(tx, c, day, app_.Today()));

  domain::CaseTransition tr;
  tr.case_id = c.id;
  tr.from = c.status;
  tr.to = t.to;
  tr.on = on;
  tr.user_id = actor.user_id;
  tr.at = app_.Now();
  if (t.to == CaseStatus::kReflectionPeriod) {
    c.reflection_start = on;
    c.reflection_end = on.PlusDays(app_.config().reflection_days);
  }
  c.status = t.to;
  c.closure_reason = t.closure_reason;
  c.duplicate_of = t.duplicate_of;
  c.updated_at = app_.Now();
  c.version += 1;
  TRY_STATUS(tx.UpdateCase(c));
  TRY(tr.id, tx.InsertTransition(tr, std::string()));
  if (!t.note.empty()) {
    TRY(auto key, app_.CaseKey(tx, c));
    TRY(auto sealed_note, SealField(key, t.note, TransitionNoteAd(c.id, tr.id)));
    TRY_STATUS(tx.SetTransitionNote(tr.id, sealed_note));
  }
  Json details = {{"code", c.code},
                  {"from", Name(tr.from)},
                  {"to", Name(tr.to)},
                  {"on", on.ToString()}};
  if (t.closure_reason) details["closure_reason"] = Name(*t.closure_reason);
  if (t.duplicate_of) details["duplicate_of"] = *t.duplicate_of;
  // A move made by a record is told in the record's own audit entry.
  if (!by_record)
    TRY_STATUS(app_.Audit(tx, actor, "case.transition", "case", std::to_string(c.id),
                          details.dump()));
  access.MutableCase() = c;
  return TransitionResult{c, std::nullopt};
}

Result<TransitionResult> CaseworkService::Transition(const Actor& actor, Id case_id,
                                                     const TransitionRequest& t,
                                                     const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(CheckTransitionRequest(t));
  return app_.IdempotentWrite<TransitionResult>(
      actor, w, "case_transition",
      [&](store::Transaction& tx, Id) -> Result<std::optional<TransitionResult>> {
        TRY(auto c, app_.ReplayedCase(tx, actor, case_id));
        if (!c) return std::optional<TransitionResult>();
        TransitionResult out{*c, std::nullopt};
        TRY(auto pending, tx.Casework().PendingClosureOfCase(case_id));
        if (pending) {
          TRY(out.closure_request, ViewOf(tx, *c, *pending));
        }
        return std::optional(std::move(out));
      },
      [&](store::Transaction& tx) -> Result<App::Written<TransitionResult>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kCaseFacts));
        const domain::Case& c = access.Case();
        TRY(auto pending, tx.Casework().PendingClosureOfCase(case_id));
        if (pending)
          return Fail(ErrorCode::kConflict, "closure_pending",
                      fmt::format("case {} awaits its supervisor's decision on closing it",
                                  c.code));
        TRY(bool needs_approval, AccessPolicy::ClosureNeedsApproval(tx, actor, c));
        if (t.to != CaseStatus::kClosed || !needs_approval) {
          TRY(auto moved, Move(tx, actor, access, t));
          return App::Written<TransitionResult>{std::move(moved), case_id};
        }
        // Checked now, so that the supervisor decides on a closure that can happen.
        TRY_STATUS(domain::CheckTransition(c.status, t.to));
        TRY(domain::Date on, MoveDate(tx, c, t.on, app_.Today()));
        store::StoredClosureRequest r;
        r.case_id = case_id;
        r.reason = *t.closure_reason;
        r.duplicate_of = t.duplicate_of;
        r.on = on;
        r.requested_by = actor.user_id;
        r.requested_at = app_.Now();
        TRY(r.id, tx.Casework().InsertClosureRequest(r));
        TRY(auto key, app_.CaseKey(tx, c));
        TRY(r.sealed_note, SealField(key, t.note, ClosureNoteAd(r.id)));
        TRY_STATUS(tx.Casework().SetClosureRequestNote(r.id, r.sealed_note));
        TRY_STATUS(app_.Audit(tx, actor, "case.closure_request", "case", std::to_string(case_id),
                              Json{{"code", c.code},
                                   {"closure_request_id", r.id},
                                   {"closure_reason", Name(r.reason)},
                                   {"duplicate_of", Opt(r.duplicate_of)}}
                                  .dump()));
        TRY(auto view, ViewOf(tx, c, r));
        return App::Written<TransitionResult>{TransitionResult{c, std::move(view)}, case_id};
      });
}

Result<std::optional<TransitionResult>> CaseworkService::ReplayedDecision(
    store::Transaction& tx, const Actor& actor, Id case_id) {
  TRY(auto c, app_.ReplayedCase(tx, actor, case_id));
  if (!c) return std::optional<TransitionResult>();
  return std::optional(TransitionResult{*c, std::nullopt});
}

Result<ClosureRequest> CaseworkService::ViewOf(store::Transaction& tx, const domain::Case& c,
                                               const store::StoredClosureRequest& r) {
  ClosureRequest v;
  v.id = r.id;
  v.case_id = r.case_id;
  v.case_code = c.code;
  v.reason = r.reason;
  v.duplicate_of = r.duplicate_of;
  v.on = r.on;
  v.requested_by = r.requested_by;
  v.requested_at = r.requested_at;
  v.status = r.status;
  v.decided_by = r.decided_by;
  v.decided_at = r.decided_at;
  if (r.sealed_note.empty() && r.sealed_decision_note.empty()) return v;
  TRY(auto key, app_.CaseKey(tx, c));
  if (!r.sealed_note.empty()) {
    TRY(v.note, OpenField(key, r.sealed_note, ClosureNoteAd(r.id)));
  }
  if (!r.sealed_decision_note.empty()) {
    TRY(v.decision_note, OpenField(key, r.sealed_decision_note, ClosureDecisionAd(r.id)));
  }
  return v;
}

Result<std::vector<ClosureRequest>> CaseworkService::PendingClosures(const Actor& actor) {
  TRY_STATUS(Require(actor.role, P::kApproveClosure));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto rows,
      tx->Casework().PendingClosuresOfOrganization(AccessPolicy::OwnOrganisation(actor)));
  std::vector<ClosureRequest> out;
  for (const auto& r : rows) {
    TRY(CaseAccess access, app_.Access(*tx, actor, r.case_id));
    if (!access.CanRead(DataCategory::kNotes)) continue;
    TRY(auto v, ViewOf(*tx, access.Case(), r));
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<ClosureRequest>> CaseworkService::ClosureRequestsOfCase(const Actor& actor,
                                                                         Id case_id) {
  return app_.ReadCase<std::vector<ClosureRequest>>(
      actor, case_id, "closure_requests",
      [&](store::Transaction& tx, const CaseAccess& access)
          -> Result<std::vector<ClosureRequest>> {
        TRY_STATUS(access.RequireRead(DataCategory::kNotes));
        TRY(auto rows, tx.Casework().ClosureRequestsOfCase(case_id));
        std::vector<ClosureRequest> out;
        for (const auto& r : rows) {
          TRY(auto v, ViewOf(tx, access.Case(), r));
          out.push_back(std::move(v));
        }
        return out;
      },
      [](const std::vector<ClosureRequest>& rows) {
        return rows.empty() ? std::vector<DataCategory>{}
                            : std::vector<DataCategory>{DataCategory::kNotes};
      });
}

Result<TransitionResult> CaseworkService::DecideClosure(const Actor& actor, Id case_id,
                                                        bool approve, const std::string& note,
                                                        const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kApproveClosure));
  if (approve)
    TRY_STATUS(domain::CheckText(note, "note", 4000, false));
  else
    TRY_STATUS(domain::CheckStatedReason(note, "note", "reject the closure", 4000));
  return app_.IdempotentWrite<TransitionResult>(
      actor, w, approve ? "closure_approval" : "closure_rejection",
      [&](store::Transaction& tx, Id) { return ReplayedDecision(tx, actor, case_id); },
      [&](store::Transaction& tx) -> Result<App::Written<TransitionResult>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kCaseFacts));
        TRY(auto pending, tx.Casework().PendingClosureOfCase(case_id));
        if (!pending)
          return Fail(ErrorCode::kNotFound, "not_found",
                      fmt::format("case {} has no closure awaiting a decision",
                                  access.Case().code));
        TRY_STATUS(AccessPolicy::MayDecideClosure(actor, pending->requested_by));
        const domain::Case before = access.Case();
        TRY(auto key, app_.CaseKey(tx, before));
        std::string sealed;
        if (!note.empty()) {
          TRY(sealed, SealField(key, note, ClosureDecisionAd(pending->id)));
        }
        TRY_STATUS(tx.Casework().DecideClosureRequest(
            pending->id, approve ? ClosureRequestStatus::kApproved : ClosureRequestStatus::kRejected,
            actor.user_id, app_.Now(), sealed));
        TRY_STATUS(app_.Audit(tx, actor, approve ? "case.closure_approve" : "case.closure_reject",
                              "case", std::to_string(case_id),
                              Json{{"code", before.code},
                                   {"closure_request_id", pending->id},
                                   {"requested_by", pending->requested_by}}
                                  .dump()));
        TransitionResult out{before, std::nullopt};
        if (approve) {
          TransitionRequest t;
          t.to = CaseStatus::kClosed;
          t.on = pending->on;
          t.closure_reason = pending->reason;
          t.duplicate_of = pending->duplicate_of;
          TRY(t.note, OpenField(key, pending->sealed_note, ClosureNoteAd(pending->id)));
          TRY(out, Move(tx, actor, access, t));
        }
        return App::Written<TransitionResult>{std::move(out), case_id};
      });
}

Result<TransitionResult> CaseworkService::WithdrawClosure(const Actor& actor, Id case_id,
                                                          const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  return app_.IdempotentWrite<TransitionResult>(
      actor, w, "closure_withdrawal",
      [&](store::Transaction& tx, Id) { return ReplayedDecision(tx, actor, case_id); },
      [&](store::Transaction& tx) -> Result<App::Written<TransitionResult>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kCaseFacts));
        TRY_STATUS(AccessPolicy::MayReopen(access));  // the owner's staff only
        TRY(auto pending, tx.Casework().PendingClosureOfCase(case_id));
        if (!pending)
          return Fail(ErrorCode::kNotFound, "not_found",
                      fmt::format("case {} has no closure awaiting a decision",
                                  access.Case().code));
        TRY_STATUS(tx.Casework().DecideClosureRequest(
            pending->id, ClosureRequestStatus::kWithdrawn, actor.user_id, app_.Now(), ""));
        TRY_STATUS(app_.Audit(tx, actor, "case.closure_withdraw", "case", std::to_string(case_id),
                              Json{{"code", access.Case().code},
                                   {"closure_request_id", pending->id}}
                                  .dump()));
        return App::Written<TransitionResult>{TransitionResult{access.Case(), std::nullopt},
                                              case_id};
      });
}

Result<domain::Case> CaseworkService::Reopen(const Actor& actor, Id case_id,
                                             const std::string& reason, const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::CheckStatedReason(reason, "reason", "reopen the case", 4000));
  return app_.IdempotentWrite<domain::Case>(
      actor, w, "case_reopen",
      [&](store::Transaction& tx, Id) { return app_.ReplayedCase(tx, actor, case_id); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Case>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kCaseFacts));
        TRY_STATUS(AccessPolicy::MayReopen(access));
        domain::Case c = access.Case();
        if (c.status != CaseStatus::kClosed)
          return Fail(ErrorCode::kConflict, "not_closed",
                      fmt::format("case {} is not closed", c.code), "status");
        TRY(auto history, tx.ListTransitions(case_id));
        // Back to where it was closed from.
        CaseStatus back = CaseStatus::kIdentified;
        for (auto it = history.rbegin(); it != history.rend(); ++it)
          if (it->transition.to == CaseStatus::kClosed) {
            back = it->transition.from;
            break;
          }
        domain::CaseTransition tr;
        tr.case_id = case_id;
        tr.from = c.status;
        tr.to = back;
        tr.on = app_.Today();
        tr.user_id = actor.user_id;
        tr.at = app_.Now();
        const std::optional<ClosureReason> was = c.closure_reason;
        c.status = back;
        c.closure_reason.reset();
        c.duplicate_of.reset();
        c.updated_at = app_.Now();
        c.version += 1;
        TRY_STATUS(tx.UpdateCase(c));
        TRY(tr.id, tx.InsertTransition(tr, std::string()));
        TRY(auto key, app_.CaseKey(tx, c));
        TRY(auto sealed_reason, SealField(key, reason, TransitionNoteAd(case_id, tr.id)));
        TRY_STATUS(tx.SetTransitionNote(tr.id, sealed_reason));
        TRY_STATUS(app_.Audit(tx, actor, "case.reopen", "case", std::to_string(case_id),
                              Json{{"code", c.code},
                                   {"to", Name(back)},
                                   {"closure_reason", was ? Json(Name(*was)) : Json(nullptr)}}
                                  .dump(),
                              reason));
        return App::Written<domain::Case>{c, case_id};
      });
}

// ---------------------------------------------------------------- facts

Result<domain::Case> CaseworkService::UpdateFacts(const Actor& actor, Id case_id,
                                                  const CasePatch& patch, const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::CheckCaseFieldNames(patch.fields));
  if (patch.fields.empty()) return Invalid("body", "names no field to change");
  return app_.IdempotentWrite<domain::Case>(
      actor, w, "case_update",
      [&](store::Transaction& tx, Id) { return app_.ReplayedCase(tx, actor, case_id); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Case>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kCaseFacts));
        domain::Case c = access.Case();
        if (patch.version != c.version)
          return Fail(ErrorCode::kConflict, "stale_update",
                      fmt::format("case {} is at version {}, not {}: someone changed it since "
                                  "you read it; reload it and apply your change again",
                                  c.code, c.version, patch.version),
                      "version");
        if (c.status == CaseStatus::kClosed)
          return Fail(ErrorCode::kConflict, "case_closed",
                      fmt::format("case {} is closed; reopen it to correct its facts", c.code));
        const Json before = domain::CaseFieldsToJson(c.fields);
        Json after = before;
        after.merge_patch(patch.fields);
        const bool countries = patch.fields.contains("country_of_recruitment") ||
                               patch.fields.contains("country_of_exploitation");
        // Derived again from new countries unless stated with them.
        if (countries && !patch.fields.contains("transnational")) after.erase("transnational");
        TRY(domain::CaseFields fields, domain::CaseFieldsFromJson(after));
        TRY_STATUS(domain::ValidateCaseFields(fields, app_.Today()));
        std::optional<int> age = c.age_at_identification;
        if (fields.identified_on != c.fields.identified_on) {
          TRY(auto person, tx.GetPerson(c.person_id));
          if (!person) return Internal(fmt::format("case {} has no person", case_id));
          TRY(auto identity, app_.OpenPersonIdentity(tx, *person));
          if (identity.birth_date && *identity.birth_date > fields.identified_on)
            return Invalid("identified_on", "is before the person's birth date");
          age = domain::AgeAtIdentification(identity, fields.identified_on);
          TRY(auto history, tx.ListTransitions(case_id));
          if (!history.empty() && history.front().transition.on < fields.identified_on)
            return Invalid("identified_on", fmt::format("is after the first status change ({})",
                                                        history.front().transition.on.ToString()));
        }
        TRY_STATUS(domain::CheckChildFacts(fields, age, /*require_status=*/false));
        fields.organization_id = c.organization_id;
        std::sort(fields.exploitation.begin(), fields.exploitation.end());
        c.transnational = domain::DeriveTransnational(fields);
        fields.transnational = c.transnational;
        c.fields = fields;
        c.age_at_identification = age;
        const Json now = domain::CaseFieldsToJson(c.fields);
        std::vector<std::string> changed;
        for (const auto& [key, value] : now.items())
          if (!before.contains(key) || before[key] != value) changed.push_back(key);
        if (changed.empty()) return App::Written<domain::Case>{c, case_id};
        c.updated_at = app_.Now();
        c.version += 1;
        TRY_STATUS(tx.UpdateCase(c));
        TRY_STATUS(app_.Audit(tx, actor, "case.update", "case", std::to_string(case_id),
                              Json{{"code", c.code}, {"changed", changed}, {"version", c.version}}
                                  .dump()));
        return App::Written<domain::Case>{c, case_id};
      });
}

Result<domain::Case> CaseworkService::Assign(const Actor& actor, Id case_id,
                                             std::optional<Id> user_id, const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  return app_.IdempotentWrite<domain::Case>(
      actor, w, "case_assignment",
      [&](store::Transaction& tx, Id) { return app_.ReplayedCase(tx, actor, case_id); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Case>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        std::optional<domain::User> assignee;
        if (user_id) {
          TRY(auto stored, tx.GetUser(*user_id));
          if (!stored) return Invalid("user_id", "no such user");
          assignee = stored->user;
        }
        TRY_STATUS(AccessPolicy::MayAssign(actor, access, assignee));
        domain::Case c = access.Case();
        const std::optional<Id> previous = c.assigned_to;
        if (previous == user_id) return App::Written<domain::Case>{c, case_id};
        c.assigned_to = user_id;
        c.updated_at = app_.Now();
        c.version += 1;
        TRY_STATUS(tx.UpdateCase(c));
        TRY_STATUS(app_.Audit(tx, actor, "case.assign", "case", std::to_string(case_id),
                              Json{{"code", c.code},
                                   {"assigned_to", Opt(user_id)},
                                   {"previously", Opt(previous)}}
                                  .dump()));
        return App::Written<domain::Case>{c, case_id};
      });
}

// ---------------------------------------------------------------- notes

Result<Note> CaseworkService::AddNote(const Actor& actor, Id case_id, const std::string& text,
                                      const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::CheckText(text, "text", 20000));
  auto view = [&](store::Transaction& tx, const domain::Case& c,
                  const store::StoredNote& n) -> Result<Note> {
    Note out{n.id, n.case_id, n.author_user_id, actor.username, n.author_organization_id,
             n.created_at, {}};
    TRY(auto key, app_.CaseKey(tx, c));
    TRY(out.text, OpenField(key, n.sealed_text, CaseNoteAd(n.id)));
    return out;
  };
  return app_.IdempotentWrite<Note>(
      actor, w, "case_note",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<Note>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        TRY(auto notes, tx.Casework().NotesOfCase(case_id, replay - 1, 1));
        if (notes.empty() || notes[0].id != replay) return std::optional<Note>();
        TRY(auto n, view(tx, access.Case(), notes[0]));
        return std::optional(std::move(n));
      },
      [&](store::Transaction& tx) -> Result<App::Written<Note>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kNotes));
        const domain::Case& c = access.Case();
        store::StoredNote n;
        n.case_id = case_id;
        n.author_user_id = actor.user_id;
        n.author_organization_id = actor.organization_id;
        n.created_at = app_.Now();
        TRY(n.id, tx.Casework().InsertNote(n));
        TRY(auto key, app_.CaseKey(tx, c));
        TRY(n.sealed_text, SealField(key, text, CaseNoteAd(n.id)));
        TRY_STATUS(tx.Casework().SetNoteSealed(n.id, n.sealed_text));
        TRY_STATUS(app_.Audit(tx, actor, "case.note_create", "note", std::to_string(n.id),
                              Json{{"case_id", case_id}, {"code", c.code}}.dump()));
        TRY(auto out, view(tx, c, n));
        return App::Written<Note>{std::move(out), n.id};
      });
}

Result<Page<Note>> CaseworkService::Notes(const Actor& actor, Id case_id, const PageRequest& p) {
  TRY_STATUS(CheckLimit(p.limit));
  TRY(std::int64_t after, ParseCursor(p.cursor));
  return app_.ReadCase<Page<Note>>(
      actor, case_id, "notes",
      [&](store::Transaction& tx, const CaseAccess& access) -> Result<Page<Note>> {
        TRY_STATUS(access.RequireRead(DataCategory::kNotes));
        TRY(auto rows, tx.Casework().NotesOfCase(case_id, after, p.limit + 1));
        auto page = MakePage(std::move(rows), p.limit, [](const auto& n) { return n.id; });
        Page<Note> out;
        out.next_cursor = page.next_cursor;
        std::map<Id, std::string> names;
        TRY(auto key, app_.CaseKey(tx, access.Case()));
        for (const auto& n : page.items) {
          Note v{n.id, n.case_id, n.author_user_id, {}, n.author_organization_id, n.created_at, {}};
          if (!names.contains(n.author_user_id)) {
            TRY(auto u, tx.GetUser(n.author_user_id));
            names[n.author_user_id] = u ? u->user.username : "";
          }
          v.author_username = names[n.author_user_id];
          TRY(v.text, OpenField(key, n.sealed_text, CaseNoteAd(n.id)));
          out.items.push_back(std::move(v));
        }
        return out;
      },
      [](const Page<Note>& page) {
        return page.items.empty() ? std::vector<DataCategory>{}
                                  : std::vector<DataCategory>{DataCategory::kNotes};
      });
}

// ---------------------------------------------------------------- attachments

std::string SniffMediaType(std::string_view b) {
  auto starts = [&](std::string_view magic, std::size_t at = 0) {
    return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic;
  };
  if (starts("%PDF-")) return "application/pdf";
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("\x89PNG\r\n\x1A\n")) return "image/png";
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)))
    return "image/tiff";
  if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
  if (starts("ftyp", 4) && (starts("heic", 8) || starts("heix", 8) || starts("mif1", 8)))
    return "image/heic";
  return "";
}

namespace {

Result<Attachment> OpenAttachmentRow(const privacy::SealingKey& key, const store::StoredAttachment& a,
                                     bool with_content) {
  Attachment out;
  out.id = a.id;
  out.case_id = a.case_id;
  out.media_type = a.media_type;
  out.size_bytes = a.size_bytes;
  out.created_by = a.created_by;
  out.created_at = a.created_at;
  if (!a.sealed_title.empty()) {
    TRY(out.title, OpenField(key, a.sealed_title, AttachmentTitleAd(a.id)));
  }
  if (with_content) {
    TRY(out.content, OpenField(key, a.sealed_content, AttachmentContentAd(a.id)));
  }
  return out;
}

}  // namespace

Result<Attachment> CaseworkService::AddAttachment(const Actor& actor, Id case_id,
                                                  const NewAttachment& in,
                                                  const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::CheckText(in.title, "title", 200));
  if (in.content.empty()) return Invalid("content", "is empty");
  if (in.content.size() > kMaxAttachmentBytes)
    return Fail(ErrorCode::kValidation, "too_large",
                fmt::format("the file has {} bytes; at most {} MiB may be attached",
                            in.content.size(), kMaxAttachmentBytes >> 20),
                "content");
  const std::string media_type = SniffMediaType(in.content);
  if (media_type.empty())
    return Fail(ErrorCode::kValidation, "unsupported_media_type",
                "the file is not a PDF, JPEG, PNG, TIFF, WebP or HEIC image (read from its "
                "bytes)",
                "content");
  if (!in.declared_media_type.empty() && in.declared_media_type != media_type &&
      in.declared_media_type != "application/octet-stream")
    return Fail(ErrorCode::kValidation, "unsupported_media_type",
                fmt::format("the file was sent as {} but its bytes are {}", in.declared_media_type,
                            media_type),
                "content");
  return app_.IdempotentWrite<Attachment>(
      actor, w, "case_attachment",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<Attachment>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        TRY(auto a, tx.Casework().GetAttachment(replay));
        if (!a || a->case_id != case_id) return std::optional<Attachment>();
        TRY(auto key, app_.CaseKey(tx, access.Case()));
        TRY(auto out, OpenAttachmentRow(key, *a, false));
        return std::optional(std::move(out));
      },
      [&](store::Transaction& tx) -> Result<App::Written<Attachment>> {
        TRY(CaseAccess access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kDocuments));
        const domain::Case& c = access.Case();
        store::StoredAttachment a;
        a.case_id = case_id;
        a.media_type = media_type;
        a.size_bytes = static_cast<std::int64_t>(in.content.size());
        a.created_by = actor.user_id;
        a.created_by_organization_id = actor.organization_id;
        a.created_at = app_.Now();
        TRY(a.id, tx.Casework().InsertAttachment(a));
        TRY(const auto key, app_.CaseKey(tx, c));
        TRY(a.sealed_title, SealField(key, in.title, AttachmentTitleAd(a.id)));
        TRY(auto sealed_content, SealField(key, in.content, AttachmentContentAd(a.id)));
        TRY_STATUS(tx.Casework().SetAttachmentSealed(a.id, a.sealed_title, sealed_content));
        TRY_STATUS(app_.Audit(tx, actor, "case.attachment_create", "attachment",
                              std::to_string(a.id),
                              Json{{"case_id", case_id},
                                   {"code", c.code},
                                   {"media_type", media_type},
                                   {"size_bytes", a.size_bytes}}
                                  .dump()));
        TRY(auto out, OpenAttachmentRow(key, a, false));
        return App::Written<Attachment>{std::move(out), a.id};
      });
}

Result<std::vector<Attachment>> CaseworkService::Attachments(const Actor& actor, Id case_id) {
  return app_.ReadCase<std::vector<Attachment>>(
      actor, case_id, "attachments",
      [&](store::Transaction& tx, const CaseAccess& access) -> Result<std::vector<Attachment>> {
        TRY_STATUS(access.RequireRead(DataCategory::kDocuments));
        TRY(auto rows, tx.Casework().AttachmentsOfCase(case_id));
        std::vector<Attachment> out;
        if (rows.empty()) return out;
        TRY(auto key, app_.CaseKey(tx, access.Case()));
        for (const auto& a : rows) {
          TRY(auto v, OpenAttachmentRow(key, a, false));
          out.push_back(std::move(v));
        }
        return out;
      },
      [](const std::vector<Attachment>& rows) {
        return rows.empty() ? std::vector<DataCategory>{}
                            : std::vector<DataCategory>{DataCategory::kDocuments};
      });
}

Result<Attachment> CaseworkService::OpenAttachment(const Actor& actor, Id attachment_id) {
  TRY_STATUS(Require(actor.role, P::kReadOwnCases));
  // Every opening of a document is told in the audit log, the owner's too: one write
  // transaction reads, decides and audits.
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto a, tx->Casework().GetAttachment(attachment_id));
  if (!a) return Fail(ErrorCode::kNotFound, "not_found", "no such attachment");
  auto access = app_.Access(*tx, actor, a->case_id);
  if (!access && access.error().code == ErrorCode::kNotFound)
    return Fail(ErrorCode::kNotFound, "not_found", "no such attachment");
  if (!access) return std::unexpected(access.error());
  TRY_STATUS(access->RequireRead(DataCategory::kDocuments));
  TRY(auto key, app_.CaseKey(*tx, access->Case()));
  TRY(auto out, OpenAttachmentRow(key, *a, true));
  Json details = access->Grounds();
  details["case_id"] = a->case_id;
  details["code"] = access->Case().code;
  details["categories"] = Json::array({Name(DataCategory::kDocuments)});
  TRY_STATUS(app_.Audit(*tx, actor, "case.attachment_view", "attachment",
                        std::to_string(attachment_id), details.dump()));
  TRY_STATUS(tx->Commit());
  return out;
}

}  // namespace haven::app
