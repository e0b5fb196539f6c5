#include "app/stages.h"

#include "app/sealing.h"

#include "app/casework.h"

#include <algorithm>

#include <fmt/format.h>

#include "app/permissions.h"
#include "domain/codec.h"

namespace haven::app {

using domain::Json;
using domain::Name;
using P = Permission;

namespace {

// Associated data binds each sealed text to its record, so that a blob copied
// onto another record (or another field) no longer opens.
// A support plan's row is its case and revision (unique together).
SealedField NeedsAd(Id case_id, int revision) {
  return SealedField{fmt::format("support_plans:{}/{}:needs", case_id, revision),
                     fmt::format("case:{}:support_plan:{}:needs", case_id, revision)};
}
SealedField ObjectivesAd(Id case_id, int revision) {
  return SealedField{fmt::format("support_plans:{}/{}:objectives", case_id, revision),
                     fmt::format("case:{}:support_plan:{}:objectives", case_id, revision)};
}
SealedField ExtensionReasonAd(Id id) {
  return Field("reflection_extensions", id, "reason",
               fmt::format("reflection_extension:{}:reason", id));
}
SealedField FollowUpNotesAd(Id id) {
  return Field("follow_ups", id, "notes", fmt::format("follow_up:{}:notes", id));
}

Json OptDate(const std::optional<domain::Date>& d) {
  return d ? Json(d->ToString()) : Json(nullptr);
}

template <typename T>
Json Opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

// The audit of an update: {field: {old, new}} for every field that changed.
Json Changes(const Json& before, const Json& after) {
  Json out = Json::object();
  for (const auto& [key, value] : after.items())
    if (!before.contains(key) || before[key] != value)
      out[key] = {{"old", before.contains(key) ? before[key] : Json(nullptr)}, {"new", value}};
  return out;
}

// The non-sensitive facts of each record, as audited. Free text never appears,
// and neither does whether the person cooperates with the proceedings.
Json PlanFacts(const domain::SupportPlan& p) {
  return {{"assessed_on", p.assessed_on.ToString()},
          {"planned_services", domain::EnumListToJson(p.planned_services)},
          {"planned_end_on", p.planned_end_on.ToString()},
          {"actual_end_on", OptDate(p.actual_end_on)}};
}

Json PermitFacts(const domain::ResidencePermit& p) {
  return {{"permit_type", Name(p.permit_type)},
          {"applied_on", p.applied_on.ToString()},
          {"decision", Name(p.decision)},
          {"decided_on", OptDate(p.decided_on)},
          {"expires_on", OptDate(p.expires_on)}};
}

Json ProceedingFacts(const domain::Proceeding& p) {
  return {{"stage", Name(p.stage)},
          {"started_on", p.started_on.ToString()},
          {"stage_since", OptDate(p.stage_since)},
          {"ended_on", OptDate(p.ended_on)}};
}

Json ClaimFacts(const domain::CompensationClaim& c) {
  return {{"route", Name(c.route)},
          {"amount_claimed_minor", c.amount_claimed_minor},
          {"amount_awarded_minor", Opt(c.amount_awarded_minor)},
          {"currency", c.currency},
          {"status", Name(c.status)},
          {"filed_on", c.filed_on.ToString()},
          {"decided_on", OptDate(c.decided_on)},
          {"paid_on", OptDate(c.paid_on)}};
}

// The categories a list of stage records showed: its facts, and its free text when
// any record shown carried some.
template <typename V>
std::vector<DataCategory> ShownWithText(const std::vector<V>& views) {
  std::vector<DataCategory> shown = {DataCategory::kCaseFacts};
  if (std::any_of(views.begin(), views.end(), [](const V& v) { return v.TextShown(); }))
    shown.push_back(DataCategory::kNotes);
  return shown;
}

Json WithCase(Json facts, const domain::Case& c) {
  facts["case_id"] = c.id;
  facts["code"] = c.code;
  return facts;
}

}  // namespace

// ---------------------------------------------------------------- helpers

Result<CaseAccess> StageService::WritableCase(store::Transaction& tx, const Actor& actor,
                                              Id case_id, bool closed_allowed,
                                              DataCategory category,
                                              std::string_view not_found) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  auto access = app_.Access(tx, actor, case_id);
  if (!access && access.error().code == ErrorCode::kNotFound)
    return Fail(ErrorCode::kNotFound, "not_found", fmt::format("no such {}", not_found));
  if (!access) return std::unexpected(access.error());
  TRY_STATUS(access->RequireWrite(category));
  const domain::Case& c = access->Case();
  if (!closed_allowed && c.status == domain::CaseStatus::kClosed)
    return Fail(ErrorCode::kConflict, "case_closed", fmt::format("case {} is closed", c.code),
                "case_id");
  return access;
}

Result<App::CaseRead> StageService::ReadableCase(const Actor& actor, Id case_id,
                                                 DataCategory category) {
  TRY(auto read, app_.BeginCaseRead(actor, case_id));
  TRY_STATUS(read.access.RequireRead(category));
  return read;
}

Result<SupportPlanView> StageService::View(store::Transaction& tx, const CaseAccess& access,
                                           const store::StoredSupportPlan& s) {
  const domain::Case& c = access.Case();
  SupportPlanView v{s.plan, access.CanRead(DataCategory::kNotes)};
  if (v.text_visible) {
    TRY(const auto key, app_.CaseKey(tx, c));
    TRY(v.plan.needs, OpenField(key, s.sealed_needs, NeedsAd(c.id, s.plan.revision)));
    TRY(v.plan.objectives,
        OpenField(key, s.sealed_objectives, ObjectivesAd(c.id, s.plan.revision)));
  }
  return v;
}

Result<ExtensionView> StageService::View(store::Transaction& tx, const CaseAccess& access,
                                         const store::StoredExtension& s) {
  ExtensionView v{s.extension, access.CanRead(DataCategory::kNotes)};
  if (v.reason_visible && !s.sealed_reason.empty()) {
    TRY(const auto key, app_.CaseKey(tx, access.Case()));
    TRY(v.extension.reason,
        OpenField(key, s.sealed_reason, ExtensionReasonAd(s.extension.id)));
  }
  return v;
}

Result<FollowUpView> StageService::View(store::Transaction& tx, const CaseAccess& access,
                                        const store::StoredFollowUp& s) {
  FollowUpView v{s.follow_up, access.CanRead(DataCategory::kNotes)};
  if (v.notes_visible && !s.sealed_notes.empty()) {
    TRY(const auto key, app_.CaseKey(tx, access.Case()));
    TRY(v.follow_up.notes, OpenField(key, s.sealed_notes, FollowUpNotesAd(s.follow_up.id)));
  }
  return v;
}

// ---------------------------------------------------------------- support plan

Result<SupportPlanView> StageService::ReviseSupportPlan(const Actor& actor, Id case_id,
                                                        domain::SupportPlan p,
                                                        std::optional<int> based_on_revision,
                                                        const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY(auto tx, app_.Store().Begin(true));
  auto& st = tx->Stages();
  TRY(auto replay, app_.Replay(*tx, actor, w, "support_plan"));
  if (replay) {
    TRY(auto existing, st.GetSupportPlan(*replay));
    if (existing) {
      TRY(auto access, app_.Access(*tx, actor, existing->plan.case_id));
      return View(*tx, access, *existing);
    }
  }
  TRY(auto access, WritableCase(*tx, actor, case_id, false));
  const domain::Case& c = access.Case();
  TRY_STATUS(domain::ValidateSupportPlan(p, c.fields.identified_on, app_.Today()));
  TRY(auto history, st.SupportPlansOfCase(case_id));
  int current = history.empty() ? 0 : history.back().plan.revision;
  if (based_on_revision && *based_on_revision != current)
    return Fail(ErrorCode::kConflict, "stale_revision",
                fmt::format("the plan in force is revision {}, not {}; reload and apply your "
                            "changes to it",
                            current, *based_on_revision),
                "based_on_revision");
  p.case_id = case_id;
  p.revision = current + 1;
  p.recorded_by = actor.user_id;
  p.created_at = app_.Now();
  TRY(const auto key, app_.CaseKey(*tx, c));
  TRY(auto sealed_needs, SealField(key, p.needs, NeedsAd(case_id, p.revision)));
  TRY(auto sealed_objectives, SealField(key, p.objectives, ObjectivesAd(case_id, p.revision)));
  store::StoredSupportPlan stored{p, sealed_needs, sealed_objectives};
  auto inserted = st.InsertSupportPlan(p, stored.sealed_needs, stored.sealed_objectives);
  if (!inserted && inserted.error().reason == "constraint")
    return Fail(ErrorCode::kConflict, "stale_revision",
                "another change to this plan came first; reload it", "based_on_revision");
  if (!inserted) return std::unexpected(inserted.error());
  p.id = stored.plan.id = *inserted;
  Json details = {{"code", c.code}, {"revision", p.revision}};
  details["changes"] = Changes(history.empty() ? Json::object() : PlanFacts(history.back().plan),
                               PlanFacts(p));
  TRY_STATUS(app_.Audit(*tx, actor, history.empty() ? "support_plan.create" : "support_plan.revise",
                        "case", std::to_string(case_id), details.dump()));
  TRY_STATUS(app_.Remember(*tx, actor, w, "support_plan", p.id));
  TRY_STATUS(tx->Commit());
  SupportPlanView v{std::move(p), access.CanRead(DataCategory::kNotes)};
  if (!v.text_visible) {
    v.plan.needs.clear();
    v.plan.objectives.clear();
  }
  return v;
}

Result<std::vector<SupportPlanView>> StageService::SupportPlanHistory(const Actor& actor,
                                                                     Id case_id) {
  TRY(auto read, ReadableCase(actor, case_id, DataCategory::kCaseFacts));
  TRY(auto rows, read.tx->Stages().SupportPlansOfCase(case_id));
  std::vector<SupportPlanView> out;
  for (const auto& r : rows) {
    TRY(auto v, View(*read.tx, read.access, r));
    out.push_back(std::move(v));
  }
  TRY_STATUS(app_.FinishCaseRead(read, actor, "support_plan", ShownWithText(out)));
  return out;
}

// ---------------------------------------------------------------- reflection period

Result<ExtensionResult> StageService::ExtendReflection(const Actor& actor, Id case_id,
                                                       domain::ReflectionExtension e,
                                                       const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY(auto tx, app_.Store().Begin(true));
  auto& st = tx->Stages();
  TRY(auto replay, app_.Replay(*tx, actor, w, "reflection_extension"));
  if (replay) {
    TRY(auto existing, st.GetExtension(*replay));
    if (existing) {
      TRY(auto access, app_.Access(*tx, actor, existing->extension.case_id));
      TRY(auto v, View(*tx, access, *existing));
      return ExtensionResult{std::move(v), access.Case()};
    }
  }
  TRY(auto access, WritableCase(*tx, actor, case_id, false));
  domain::Case c = access.Case();
  TRY_STATUS(domain::ValidateExtension(e, c, app_.Today()));
  e.case_id = case_id;
  e.previous_end = *c.reflection_end;
  e.new_end = e.previous_end.PlusDays(e.days);
  e.recorded_by = actor.user_id;
  e.created_at = app_.Now();
  TRY(e.id, st.InsertExtension(e));
  TRY(const auto key, app_.CaseKey(*tx, c));
  TRY(auto sealed_reason, SealField(key, e.reason, ExtensionReasonAd(e.id)));
  TRY_STATUS(st.SetExtensionReason(e.id, sealed_reason));
  c.reflection_end = e.new_end;
  c.updated_at = app_.Now();
  c.version += 1;
  TRY_STATUS(tx->UpdateCase(c));
  TRY_STATUS(app_.Audit(*tx, actor, "case.reflection_extend", "case", std::to_string(case_id),
                        Json{{"code", c.code},
                             {"extension_id", e.id},
                             {"days", e.days},
                             {"decided_on", e.decided_on.ToString()},
                             {"changes",
                              {{"reflection_end",
                                {{"old", e.previous_end.ToString()},
                                 {"new", e.new_end.ToString()}}}}}}
                            .dump()));
  TRY_STATUS(app_.Remember(*tx, actor, w, "reflection_extension", e.id));
  TRY_STATUS(tx->Commit());
  bool visible = access.CanRead(DataCategory::kNotes);
  if (!visible) e.reason.clear();
  return ExtensionResult{ExtensionView{std::move(e), visible}, std::move(c)};
}

Result<std::vector<ExtensionView>> StageService::ExtensionsOfCase(const Actor& actor,
                                                                 Id case_id) {
  TRY(auto read, ReadableCase(actor, case_id, DataCategory::kCaseFacts));
  TRY(auto rows, read.tx->Stages().ExtensionsOfCase(case_id));
  std::vector<ExtensionView> out;
  for (const auto& r : rows) {
    TRY(auto v, View(*read.tx, read.access, r));
    out.push_back(std::move(v));
  }
  TRY_STATUS(app_.FinishCaseRead(read, actor, "reflection_extensions", ShownWithText(out)));
  return out;
}

// ---------------------------------------------------------------- case records

// Residence permits, proceedings and compensation claims are records of one case with
// the same life cycle: recorded on a writable case of the actor's organisation, updated
// in place (id, case, author and creation time kept), audited with their facts on
// creation and with what changed on update. What is entered is recorded, for whoever it
// is entered: no rule here looks at citizenship (DESIGN §2.4).
template <typename T>
struct StageService::RecordKind {
  std::string_view object_type;  // audit object type and idempotency kind
  std::string_view noun;         // in "no such …"
  // Proceedings and compensation run on the courts' timetable, often beyond the
  // closure of the case: they may be recorded and updated on a closed case.
  bool closed_allowed;
  DataCategory category;  // what the record is, for the access policy
  Result<std::optional<T>> (store::StageStore::*get)(Id);
  Result<Id> (store::StageStore::*insert)(const T&);
  Status (store::StageStore::*update)(const T&);
  Json (*facts)(const T&);
};

const StageService::RecordKind<domain::ResidencePermit> StageService::kPermit{
    "residence_permit", "residence permit", false, DataCategory::kCaseFacts,
    &store::StageStore::GetPermit,
    &store::StageStore::InsertPermit, &store::StageStore::UpdatePermit, &PermitFacts};
const StageService::RecordKind<domain::Proceeding> StageService::kProceeding{
    "proceeding", "proceeding", true, DataCategory::kCaseFacts,
    &store::StageStore::GetProceeding,
    &store::StageStore::InsertProceeding, &store::StageStore::UpdateProceeding,
    &ProceedingFacts};
const StageService::RecordKind<domain::CompensationClaim> StageService::kClaim{
    "compensation_claim", "compensation claim", true, DataCategory::kMoney,
    &store::StageStore::GetClaim,
    &store::StageStore::InsertClaim, &store::StageStore::UpdateClaim, &ClaimFacts};

template <typename T>
Result<T> StageService::Record(const Actor& actor, Id case_id, T record,
                               const WriteOptions& w, const RecordKind<T>& kind) {
  return app_.IdempotentWrite<T>(
      actor, w, kind.object_type,
      [&](store::Transaction& tx, Id id) { return (tx.Stages().*kind.get)(id); },
      [&](store::Transaction& tx) -> Result<App::Written<T>> {
        TRY(auto access,
            WritableCase(tx, actor, case_id, kind.closed_allowed, kind.category));
        const domain::Case& c = access.Case();
        record.case_id = case_id;
        record.recorded_by = actor.user_id;
        record.created_at = record.updated_at = app_.Now();
        record.version = 1;
        TRY(record.id, (tx.Stages().*kind.insert)(record));
        TRY_STATUS(app_.Audit(tx, actor, fmt::format("{}.create", kind.object_type),
                              kind.object_type, std::to_string(record.id),
                              WithCase(kind.facts(record), c).dump()));
        return App::Written<T>{record, record.id};
      });
}

template <typename T>
Result<T> StageService::Update(const Actor& actor, Id id, T record,
                               std::optional<int> based_on_version, const WriteOptions& w,
                               const RecordKind<T>& kind) {
  const std::string replay_kind = fmt::format("{}_update", kind.object_type);
  return app_.IdempotentWrite<T>(
      actor, w, replay_kind,
      [&](store::Transaction& tx, Id replayed) { return (tx.Stages().*kind.get)(replayed); },
      [&](store::Transaction& tx) -> Result<App::Written<T>> {
        TRY(std::optional<T> before, (tx.Stages().*kind.get)(id));
        if (!before) {
          return Fail(ErrorCode::kNotFound, "not_found", fmt::format("no such {}", kind.noun));
        }
        TRY(auto access, WritableCase(tx, actor, before->case_id, kind.closed_allowed,
                                      kind.category, kind.noun));
        const domain::Case& c = access.Case();
        if (based_on_version && *based_on_version != before->version) {
          return Fail(ErrorCode::kConflict, "stale_update",
                      fmt::format("this {} was changed since version {} was read (it is at "
                                  "version {}); reload it and apply your changes again",
                                  kind.noun, *based_on_version, before->version),
                      "version");
        }
        record.id = id;
        record.version = before->version + 1;
        record.case_id = before->case_id;
        record.recorded_by = before->recorded_by;
        record.created_at = before->created_at;
        record.updated_at = app_.Now();
        TRY_STATUS((tx.Stages().*kind.update)(record));
        Json details = {{"case_id", c.id}, {"code", c.code}};
        details["changes"] = Changes(kind.facts(*before), kind.facts(record));
        TRY_STATUS(app_.Audit(tx, actor, fmt::format("{}.update", kind.object_type),
                              kind.object_type, std::to_string(id), details.dump()));
        return App::Written<T>{record, id};
      });
}

Result<domain::ResidencePermit> StageService::RecordPermit(const Actor& actor, Id case_id,
                                                           domain::ResidencePermit p,
                                                           const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::ValidatePermit(p, app_.Today()));
  return Record(actor, case_id, std::move(p), w, kPermit);
}

Result<domain::ResidencePermit> StageService::UpdatePermit(const Actor& actor, Id id,
                                                           domain::ResidencePermit p,
                                                           std::optional<int> based_on_version,
                                                           const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::ValidatePermit(p, app_.Today()));
  return Update(actor, id, std::move(p), based_on_version, w, kPermit);
}

Result<std::vector<domain::ResidencePermit>> StageService::PermitsOfCase(const Actor& actor,
                                                                        Id case_id) {
  TRY(auto read, ReadableCase(actor, case_id, DataCategory::kCaseFacts));
  TRY(auto rows, read.tx->Stages().PermitsOfCase(case_id));
  TRY_STATUS(app_.FinishCaseRead(read, actor, "residence_permits", {DataCategory::kCaseFacts}));
  return rows;
}

Result<domain::Proceeding> StageService::RecordProceeding(const Actor& actor, Id case_id,
                                                          domain::Proceeding p,
                                                          const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::ValidateProceeding(p, app_.Today()));
  return Record(actor, case_id, std::move(p), w, kProceeding);
}

Result<domain::Proceeding> StageService::UpdateProceeding(const Actor& actor, Id id,
                                                          domain::Proceeding p,
                                                          std::optional<int> based_on_version,
                                                          const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::ValidateProceeding(p, app_.Today()));
  return Update(actor, id, std::move(p), based_on_version, w, kProceeding);
}

Result<std::vector<domain::Proceeding>> StageService::ProceedingsOfCase(const Actor& actor,
                                                                       Id case_id) {
  TRY(auto read, ReadableCase(actor, case_id, DataCategory::kCaseFacts));
  TRY(auto rows, read.tx->Stages().ProceedingsOfCase(case_id));
  TRY_STATUS(app_.FinishCaseRead(read, actor, "proceedings", {DataCategory::kCaseFacts}));
  return rows;
}

Result<domain::CompensationClaim> StageService::RecordClaim(const Actor& actor, Id case_id,
                                                            domain::CompensationClaim claim,
                                                            const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::ValidateClaim(claim, app_.Today()));
  return Record(actor, case_id, std::move(claim), w, kClaim);
}

Result<domain::CompensationClaim> StageService::UpdateClaim(const Actor& actor, Id id,
                                                            domain::CompensationClaim claim,
                                                            std::optional<int> based_on_version,
                                                            const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY_STATUS(domain::ValidateClaim(claim, app_.Today()));
  return Update(actor, id, std::move(claim), based_on_version, w, kClaim);
}

Result<std::vector<domain::CompensationClaim>> StageService::ClaimsOfCase(const Actor& actor,
                                                                         Id case_id) {
  TRY(auto read, ReadableCase(actor, case_id, DataCategory::kMoney));
  TRY(auto rows, read.tx->Stages().ClaimsOfCase(case_id));
  TRY_STATUS(app_.FinishCaseRead(read, actor, "compensation_claims", {DataCategory::kMoney}));
  return rows;
}

// ---------------------------------------------------------------- return

Result<domain::Return> StageService::RecordReturn(const Actor& actor, Id case_id,
                                                  domain::Return r, const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  return app_.IdempotentWrite<domain::Return>(
      actor, w, "return",
      [&](store::Transaction& tx, Id replay) { return tx.Stages().GetReturn(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Return>> {
        auto& st = tx.Stages();
        TRY(auto access, WritableCase(tx, actor, case_id, false));
        const domain::Case& c = access.Case();
        TRY_STATUS(domain::ValidateReturn(r, c.fields.identified_on, app_.Today()));
        TRY(auto pending, tx.Casework().PendingClosureOfCase(case_id));
        if (pending)
          return Fail(ErrorCode::kConflict, "closure_pending",
                      fmt::format("case {} awaits its supervisor's decision on closing it",
                                  c.code));
        if (r.destination_organization_id) {
          TRY(auto org, tx.GetOrganization(*r.destination_organization_id));
          if (!org) return Invalid("destination_organization_id", "no such organisation");
        }
        r.case_id = case_id;
        r.recorded_by = actor.user_id;
        r.created_at = app_.Now();
        auto inserted = st.InsertReturn(r);
        if (!inserted && inserted.error().reason == "constraint")
          return Fail(ErrorCode::kConflict, "already_returned",
                      fmt::format("the return of case {} is already recorded", c.code), "case_id");
        if (!inserted) return std::unexpected(inserted.error());
        r.id = *inserted;
        // The one rule of the workflow (casework.h): the return moves the case.
        Json moved_from = nullptr;
        if (c.status != domain::CaseStatus::kReturned) {
          moved_from = std::string(Name(c.status));
          TransitionRequest move;
          move.to = domain::CaseStatus::kReturned;
          move.on = std::max(r.returned_on, c.fields.identified_on);
          TRY(auto moved, CaseworkService(app_).Move(tx, actor, access, move, /*by_record=*/true));
          (void)moved;
        }
        TRY_STATUS(
            app_.Audit(tx, actor, "return.create", "return", std::to_string(r.id),
                       Json{{"case_id", case_id},
                            {"code", c.code},
                            {"voluntary", r.voluntary},
                            {"destination_country", r.destination_country},
                            {"destination_organization_id", Opt(r.destination_organization_id)},
                            {"returned_on", r.returned_on.ToString()},
                            {"status_moved_from", moved_from}}
                           .dump()));
        return App::Written<domain::Return>{r, r.id};
      });
}

Result<std::vector<domain::Return>> StageService::ReturnsOfCase(const Actor& actor, Id case_id) {
  TRY(auto read, ReadableCase(actor, case_id, DataCategory::kCaseFacts));
  TRY(auto rows, read.tx->Stages().ReturnsOfCase(case_id));
  TRY_STATUS(app_.FinishCaseRead(read, actor, "return", {DataCategory::kCaseFacts}));
  return rows;
}

// ---------------------------------------------------------------- follow-ups

Result<FollowUpView> StageService::ScheduleFollowUp(const Actor& actor, Id case_id,
                                                    domain::FollowUp f, const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  return app_.IdempotentWrite<FollowUpView>(
      actor, w, "follow_up",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<FollowUpView>> {
        auto& st = tx.Stages();
        TRY(auto existing, st.GetFollowUp(replay));
        if (existing) {
          TRY(auto access, app_.Access(tx, actor, existing->follow_up.case_id));
          return View(tx, access, *existing);
        }
        return std::optional<FollowUpView>();
      },
      [&](store::Transaction& tx) -> Result<App::Written<FollowUpView>> {
        auto& st = tx.Stages();
        TRY(auto access, WritableCase(tx, actor, case_id, false));
        const domain::Case& c = access.Case();
        TRY_STATUS(domain::ValidateFollowUp(f, c.fields.identified_on));
        f.case_id = case_id;
        f.done_on.reset();
        f.outcome.reset();
        f.notes.clear();
        f.recorded_by = actor.user_id;
        f.created_at = app_.Now();
        TRY(f.id, st.InsertFollowUp(f));
        TRY_STATUS(app_.Audit(
            tx, actor, "follow_up.schedule", "follow_up", std::to_string(f.id),
            Json{{"case_id", case_id}, {"code", c.code}, {"due_on", f.due_on.ToString()}}.dump()));
        return App::Written<FollowUpView>{
            FollowUpView{f, access.CanRead(DataCategory::kNotes)}, f.id};
      });
}

Result<FollowUpView> StageService::CompleteFollowUp(const Actor& actor, Id follow_up_id,
                                                    const domain::Date& done_on,
                                                    domain::FollowUpOutcome outcome,
                                                    std::string notes, const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  TRY(auto tx, app_.Store().Begin(true));
  auto& st = tx->Stages();
  TRY(auto replay, app_.Replay(*tx, actor, w, "follow_up_complete"));
  if (replay) {
    TRY(auto existing, st.GetFollowUp(*replay));
    if (existing) {
      TRY(auto access, app_.Access(*tx, actor, existing->follow_up.case_id));
      return View(*tx, access, *existing);
    }
  }
  TRY(auto stored, st.GetFollowUp(follow_up_id));
  if (!stored) return Fail(ErrorCode::kNotFound, "not_found", "no such follow-up");
  // A visit that took place before the case was closed may be written up after.
  TRY(auto access, WritableCase(*tx, actor, stored->follow_up.case_id, true,
                                DataCategory::kCaseFacts, "follow-up"));
  const domain::Case& c = access.Case();
  auto& f = stored->follow_up;
  TRY_STATUS(domain::ValidateFollowUpCompletion(f, done_on, notes, c.fields.identified_on,
                                                app_.Today()));
  std::string sealed;
  if (!notes.empty()) {
    TRY(const auto key, app_.CaseKey(*tx, c));
    TRY(sealed, SealField(key, notes, FollowUpNotesAd(follow_up_id)));
  }
  TRY_STATUS(st.CompleteFollowUp(follow_up_id, done_on, outcome, sealed, actor.user_id));
  f.done_on = done_on;
  f.outcome = outcome;
  f.notes = std::move(notes);
  f.completed_by = actor.user_id;
  TRY_STATUS(app_.Audit(*tx, actor, "follow_up.complete", "follow_up",
                        std::to_string(follow_up_id),
                        Json{{"case_id", c.id},
                             {"code", c.code},
                             {"due_on", f.due_on.ToString()},
                             {"done_on", done_on.ToString()},
                             {"outcome", Name(outcome)}}
                            .dump()));
  TRY_STATUS(app_.Remember(*tx, actor, w, "follow_up_complete", follow_up_id));
  TRY_STATUS(tx->Commit());
  bool visible = access.CanRead(DataCategory::kNotes);
  if (!visible) f.notes.clear();
  return FollowUpView{f, visible};
}

Result<std::vector<FollowUpView>> StageService::FollowUpsOfCase(const Actor& actor, Id case_id) {
  TRY(auto read, ReadableCase(actor, case_id, DataCategory::kCaseFacts));
  TRY(auto rows, read.tx->Stages().FollowUpsOfCase(case_id));
  std::vector<FollowUpView> out;
  for (const auto& r : rows) {
    TRY(auto v, View(*read.tx, read.access, r));
    out.push_back(std::move(v));
  }
  TRY_STATUS(app_.FinishCaseRead(read, actor, "follow_ups", ShownWithText(out)));
  return out;
}

// ---------------------------------------------------------------- tasks

Result<std::vector<Task>> StageTasks(App& app, store::Transaction& tx, const Actor& actor,
                                     const domain::Date& today, int within_days) {
  (void)app;  // for symmetry with the other use cases; the reminders need no keys
  std::vector<Task> out;
  if (!Can(actor.role, P::kReadOwnCases)) return out;
  domain::Date horizon = today.PlusDays(within_days);
  auto& st = tx.Stages();

  const Id own = AccessPolicy::OwnOrganisation(actor);
  TRY(auto follow_ups, st.FollowUpsDue(own, horizon));
  for (const auto& d : follow_ups) {
    bool overdue = d.due_on < today;
    out.push_back(Task{"follow_up_due", d.case_id, d.case_code, d.due_on, overdue,
                       overdue ? "a reintegration follow-up is overdue"
                               : "a reintegration follow-up is due"});
  }
  TRY(auto plans, st.SupportPlansEndPassed(own, today));
  for (const auto& d : plans)
    out.push_back(Task{"support_plan_end_passed", d.case_id, d.case_code, d.due_on, true,
                       "the support plan's planned end has passed without an actual end; "
                       "revise the plan or record its end"});
  TRY(auto permits, st.PermitsExpiring(own, horizon));
  for (const auto& d : permits) {
    bool overdue = d.due_on < today;
    out.push_back(Task{"residence_permit_expiring", d.case_id, d.case_code, d.due_on, overdue,
                       overdue ? "a residence permit has expired"
                               : "a residence permit expires soon"});
  }
  return out;
}

}  // namespace haven::app
