#pragma once
// Use cases of the stages after identification: the needs assessment and
// support plan (every revision kept), extensions of the recovery and reflection
// period, residence status, criminal proceedings and compensation claims,
// return and reintegration follow-ups, and the reminders they cause.
//
// Writes are by staff of the case's organisation (Permission::kChangeCase),
// each in one transaction with its audit entry, each idempotent with an
// Idempotency-Key. Free text is sealed with the organisation's data key and
// shown only to that organisation (Permission::kReadCaseNotes). No rule here
// reads citizenship, and nothing outside the proceedings use cases reads
// whether the person cooperates (assistance never depends on it).
//
// Thread-safe: stateless over a thread-safe App.

#include <optional>
#include <vector>

#include "app/app.h"
#include "app/tasks.h"
#include "domain/stages.h"
#include "store/store.h"

namespace haven::app {

struct SupportPlanView {
  domain::SupportPlan plan;
  bool text_visible = false;  // needs and objectives
  bool TextShown() const { return text_visible && (!plan.needs.empty() || !plan.objectives.empty()); }
};

struct ExtensionView {
  domain::ReflectionExtension extension;
  bool reason_visible = false;
  bool TextShown() const { return reason_visible && !extension.reason.empty(); }
};

struct FollowUpView {
  domain::FollowUp follow_up;
  bool notes_visible = false;
  bool TextShown() const { return notes_visible && !follow_up.notes.empty(); }
};

struct ExtensionResult {
  ExtensionView extension;
  domain::Case c;  // with the new reflection_end
};

class StageService {
 public:
  explicit StageService(App& app) : app_(app) {}

  // Adds the next revision of the case's support plan. When
  // `based_on_revision` is given it must be the revision in force, so that two
  // people editing the same plan cannot silently overwrite each other.
  Result<SupportPlanView> ReviseSupportPlan(const Actor& actor, Id case_id,
                                            domain::SupportPlan p,
                                            std::optional<int> based_on_revision,
                                            const WriteOptions& w = {});
  // Oldest revision first; the last one is in force.
  Result<std::vector<SupportPlanView>> SupportPlanHistory(const Actor& actor, Id case_id);

  // Moves the case's reflection_end later by e.days.
  Result<ExtensionResult> ExtendReflection(const Actor& actor, Id case_id,
                                           domain::ReflectionExtension e,
                                           const WriteOptions& w = {});
  Result<std::vector<ExtensionView>> ExtensionsOfCase(const Actor& actor, Id case_id);

  Result<domain::ResidencePermit> RecordPermit(const Actor& actor, Id case_id,
                                               domain::ResidencePermit p,
                                               const WriteOptions& w = {});
  // Replaces the mutable fields of permit `id` with those of `p`. With
  // `based_on_version`, refuses (409 stale_update) when the permit has changed since
  // that version was read; the same for proceedings and claims.
  Result<domain::ResidencePermit> UpdatePermit(const Actor& actor, Id id,
                                               domain::ResidencePermit p,
                                               std::optional<int> based_on_version = {},
                                               const WriteOptions& w = {});
  Result<std::vector<domain::ResidencePermit>> PermitsOfCase(const Actor& actor, Id case_id);

  Result<domain::Proceeding> RecordProceeding(const Actor& actor, Id case_id,
                                              domain::Proceeding p, const WriteOptions& w = {});
  Result<domain::Proceeding> UpdateProceeding(const Actor& actor, Id id, domain::Proceeding p,
                                              std::optional<int> based_on_version = {},
                                              const WriteOptions& w = {});
  Result<std::vector<domain::Proceeding>> ProceedingsOfCase(const Actor& actor, Id case_id);

  Result<domain::CompensationClaim> RecordClaim(const Actor& actor, Id case_id,
                                                domain::CompensationClaim c,
                                                const WriteOptions& w = {});
  Result<domain::CompensationClaim> UpdateClaim(const Actor& actor, Id id,
                                                domain::CompensationClaim c,
                                                std::optional<int> based_on_version = {},
                                                const WriteOptions& w = {});
  Result<std::vector<domain::CompensationClaim>> ClaimsOfCase(const Actor& actor, Id case_id);

  // At most one return per case.
  Result<domain::Return> RecordReturn(const Actor& actor, Id case_id, domain::Return r,
                                      const WriteOptions& w = {});
  Result<std::vector<domain::Return>> ReturnsOfCase(const Actor& actor, Id case_id);

  Result<FollowUpView> ScheduleFollowUp(const Actor& actor, Id case_id, domain::FollowUp f,
                                        const WriteOptions& w = {});
  Result<FollowUpView> CompleteFollowUp(const Actor& actor, Id follow_up_id,
                                        const domain::Date& done_on,
                                        domain::FollowUpOutcome outcome, std::string notes,
                                        const WriteOptions& w = {});
  Result<std::vector<FollowUpView>> FollowUpsOfCase(const Actor& actor, Id case_id);

 private:
  // The access to a case for a write by the actor: kChangeCase and the policy's leave
  // to change `category` (the owner's). `not_found` names what the caller asked for,
  // so that another organisation's record answers exactly like a missing one.
  Result<CaseAccess> WritableCase(store::Transaction& tx, const Actor& actor, Id case_id,
                                  bool closed_allowed,
                                  DataCategory category = DataCategory::kCaseFacts,
                                  std::string_view not_found = "case");
  // The access to a case for reading `category`, and the read's transaction.
  Result<App::CaseRead> ReadableCase(const Actor& actor, Id case_id, DataCategory category);
  Result<SupportPlanView> View(store::Transaction& tx, const CaseAccess& access,
                               const store::StoredSupportPlan& s);
  Result<ExtensionView> View(store::Transaction& tx, const CaseAccess& access,
                             const store::StoredExtension& s);
  Result<FollowUpView> View(store::Transaction& tx, const CaseAccess& access,
                            const store::StoredFollowUp& s);
  // Permits, proceedings and compensation claims share one life cycle (stages.cc).
  template <typename T>
  struct RecordKind;
  template <typename T>
  Result<T> Record(const Actor& actor, Id case_id, T record, const WriteOptions& w,
                   const RecordKind<T>& kind);
  template <typename T>
  Result<T> Update(const Actor& actor, Id id, T record, std::optional<int> based_on_version,
                   const WriteOptions& w, const RecordKind<T>& kind);
  static const RecordKind<domain::ResidencePermit> kPermit;
  static const RecordKind<domain::Proceeding> kProceeding;
  static const RecordKind<domain::CompensationClaim> kClaim;

  App& app_;
};

// Reminders of the stages area due for `actor` within `within_days` of
// `today`, over the open cases of the actor's organisation:
//   follow_up_due              follow-ups not done by their due date
//   support_plan_end_passed    plans in force past their planned end without an actual end
//   residence_permit_expiring  granted permits expiring within the horizon (or expired)
// Roles that read no own-organisation cases get none. Messages carry no
// identity and no free text.
// REQUIRES: 0 <= within_days <= 365 (checked by the caller).
Result<std::vector<Task>> StageTasks(App& app, store::Transaction& tx, const Actor& actor,
                                     const domain::Date& today, int within_days);

}  // namespace haven::app
