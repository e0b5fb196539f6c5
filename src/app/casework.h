#pragma once
// The everyday work on a case by its organisation's staff: moving it through the
// workflow, correcting its facts, closing it (with a reason; approved by a supervisor
// where the organisation has one) and reopening it, notes and attachments, and who is
// in charge of it. What anyone may see or change is the access policy's decision
// (access.h); notes are the `notes` category, attachments the `documents` category.
//
// One rule ties the workflow to the records of return and reintegration: recording a
// return moves the case to `returned`, and only that does; a case becomes
// `reintegrated` only after a completed follow-up (stages.h).
//
// Thread-safe: stateless over a thread-safe App.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "store/casework_store.h"

namespace haven::app {

struct Note {
  Id id = 0;
  Id case_id = 0;
  Id author_user_id = 0;
  std::string author_username;
  Id author_organization_id = 0;
  Timestamp created_at{};
  std::string text;
};

struct Attachment {
  Id id = 0;
  Id case_id = 0;
  std::string media_type;
  std::int64_t size_bytes = 0;
  std::string title;
  Id created_by = 0;
  Timestamp created_at{};
  std::string content;  // only when one attachment is opened
};

struct NewAttachment {
  std::string title;
  std::string content;  // the file's bytes
  // What the uploader said the file is; the bytes decide (a mismatch is refused).
  std::string declared_media_type;
};

struct ClosureRequest {
  Id id = 0;
  Id case_id = 0;
  std::string case_code;
  domain::ClosureReason reason = domain::ClosureReason::kOther;
  std::optional<Id> duplicate_of;
  domain::Date on;
  std::string note;
  Id requested_by = 0;
  Timestamp requested_at{};
  domain::ClosureRequestStatus status = domain::ClosureRequestStatus::kPending;
  std::optional<Id> decided_by;
  std::optional<Timestamp> decided_at;
  std::string decision_note;
};

struct TransitionRequest {
  domain::CaseStatus to = domain::CaseStatus::kIdentified;
  std::string note;
  std::optional<domain::Date> on;  // defaults to today
  // Closing: why (required), and for a duplicate the case that is kept.
  std::optional<domain::ClosureReason> closure_reason;
  std::optional<Id> duplicate_of;
};

// The outcome of a transition: the case as it now is, or — when a caseworker of an
// organisation with a supervisor asks to close it — the request awaiting approval.
struct TransitionResult {
  domain::Case c;
  std::optional<ClosureRequest> closure_request;
};

// A correction of a case's facts as a JSON merge patch (RFC 7396) of the fields of
// CaseFieldsToJson, checked against the version the caller read.
struct CasePatch {
  std::int64_t version = 0;
  domain::Json fields;  // an object; null clears an optional field
};

class CaseworkService {
 public:
  explicit CaseworkService(App& app) : app_(app) {}

  // The maximum size of an attachment, in bytes.
  static constexpr std::size_t kMaxAttachmentBytes = 8 << 20;

  // Cases as App::ListCases finds them; with `due_within_days`, only those with a task
  // (tasks.h) due within that many days, or overdue.
  Result<Page<CaseRow>> FindCases(const Actor& actor, CaseQuery q,
                                  std::optional<int> due_within_days);
  // The id of the case with this code, if the caller may see it (not found otherwise).
  Result<Id> CaseIdByCode(const Actor& actor, const std::string& code);

  Result<TransitionResult> Transition(const Actor& actor, Id case_id, const TransitionRequest& t,
                                      const WriteOptions& w = {});
  // Reopens a closed case with a stated reason: it returns to the status it was closed
  // from.
  Result<domain::Case> Reopen(const Actor& actor, Id case_id, const std::string& reason,
                              const WriteOptions& w = {});
  // Corrects facts (not the code): 409 stale_update when the case changed since
  // `patch.version`; the audit entry names the changed fields, never their values.
  Result<domain::Case> UpdateFacts(const Actor& actor, Id case_id, const CasePatch& patch,
                                   const WriteOptions& w = {});

  // The caseworker in charge: a supervisor assigns any case of the organisation to one
  // of its active case staff; a caseworker may take an unassigned case herself.
  // `user_id` nullopt: nobody.
  Result<domain::Case> Assign(const Actor& actor, Id case_id, std::optional<Id> user_id,
                              const WriteOptions& w = {});

  // Closure requests: the supervisor's queue and decisions.
  Result<std::vector<ClosureRequest>> PendingClosures(const Actor& actor);
  // A case's closure requests with their decisions and notes (the notes category): the
  // caseworker reads why her supervisor rejected one.
  Result<std::vector<ClosureRequest>> ClosureRequestsOfCase(const Actor& actor, Id case_id);
  Result<TransitionResult> DecideClosure(const Actor& actor, Id case_id, bool approve,
                                         const std::string& note, const WriteOptions& w = {});
  // The case's own staff withdraw a pending closure (to change it, or because nobody is
  // left to approve it); the case stays as it is.
  Result<TransitionResult> WithdrawClosure(const Actor& actor, Id case_id,
                                           const WriteOptions& w = {});

  Result<Note> AddNote(const Actor& actor, Id case_id, const std::string& text,
                       const WriteOptions& w = {});
  Result<Page<Note>> Notes(const Actor& actor, Id case_id, const PageRequest& p);

  Result<Attachment> AddAttachment(const Actor& actor, Id case_id, const NewAttachment& a,
                                   const WriteOptions& w = {});
  // Without content.
  Result<std::vector<Attachment>> Attachments(const Actor& actor, Id case_id);
  // One attachment with its content: a disclosure, audited.
  Result<Attachment> OpenAttachment(const Actor& actor, Id attachment_id);

  // A move of the workflow inside `tx`, checked, written and audited. `by_record`: the
  // consequence of a record that alone makes the move (a return), not a request; the
  // record's audit entry tells the move, and a record entered late moves the status no
  // earlier than its last change.
  // REQUIRES: the access allows writing the case facts.
  Result<TransitionResult> Move(store::Transaction& tx, const Actor& actor, CaseAccess& access,
                                const TransitionRequest& t, bool by_record = false);

 private:
  Result<ClosureRequest> ViewOf(store::Transaction& tx, const domain::Case& c,
                                const store::StoredClosureRequest& r);
  // What a repeated decision on a closure answers: the case as it now is.
  Result<std::optional<TransitionResult>> ReplayedDecision(store::Transaction& tx,
                                                           const Actor& actor, Id case_id);
  App& app_;
};

// The type of a file from its first bytes (PDF, JPEG, PNG, TIFF, WebP, HEIC); empty
// when it is none of the accepted types.
std::string SniffMediaType(std::string_view bytes);

}  // namespace haven::app
