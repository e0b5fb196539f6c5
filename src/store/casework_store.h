#pragma once
// The "casework" area of the store: a case's notes, its attachments (scanned
// documents, photos) and the closures its caseworkers ask their supervisor to approve.
// Text and files arrive here already sealed; a list never carries an attachment's
// content.
// Thread-safety: as Transaction (one thread at a time).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "domain/model.h"

namespace haven::store {

struct StoredNote {
  domain::Id id = 0;
  domain::Id case_id = 0;
  domain::Id author_user_id = 0;
  domain::Id author_organization_id = 0;
  Timestamp created_at{};
  std::string sealed_text;
};

struct StoredAttachment {
  domain::Id id = 0;
  domain::Id case_id = 0;
  std::string media_type;  // read from the bytes, never from the upload's claim
  std::int64_t size_bytes = 0;
  std::string sealed_title;    // what the file is, e.g. "passport, pages 1-2"
  std::string sealed_content;  // empty in lists
  domain::Id created_by = 0;
  domain::Id created_by_organization_id = 0;
  Timestamp created_at{};
};

struct StoredClosureRequest {
  domain::Id id = 0;
  domain::Id case_id = 0;
  domain::ClosureReason reason = domain::ClosureReason::kOther;
  std::optional<domain::Id> duplicate_of;
  domain::Date on;  // the day the case is to be closed
  std::string sealed_note;
  domain::Id requested_by = 0;
  Timestamp requested_at{};
  domain::ClosureRequestStatus status = domain::ClosureRequestStatus::kPending;
  std::optional<domain::Id> decided_by;
  std::optional<Timestamp> decided_at;
  std::string sealed_decision_note;
};

class CaseworkStore {
 public:
  virtual ~CaseworkStore() = default;

  // Notes: inserted, then sealed with their id as associated data.
  virtual Result<domain::Id> InsertNote(const StoredNote& n) = 0;
  virtual Status SetNoteSealed(domain::Id id, const std::string& sealed_text) = 0;
  // Oldest first, after the note `after_id`.
  virtual Result<std::vector<StoredNote>> NotesOfCase(domain::Id case_id, domain::Id after_id,
                                                      int limit) = 0;

  // Attachments: inserted without content, then sealed with their id.
  virtual Result<domain::Id> InsertAttachment(const StoredAttachment& a) = 0;
  virtual Status SetAttachmentSealed(domain::Id id, const std::string& sealed_title,
                                     const std::string& sealed_content) = 0;
  // Without content.
  virtual Result<std::vector<StoredAttachment>> AttachmentsOfCase(domain::Id case_id) = 0;
  // With content.
  virtual Result<std::optional<StoredAttachment>> GetAttachment(domain::Id id) = 0;

  // Closure requests.
  virtual Result<domain::Id> InsertClosureRequest(const StoredClosureRequest& r) = 0;
  virtual Status SetClosureRequestNote(domain::Id id, const std::string& sealed_note) = 0;
  virtual Result<std::optional<StoredClosureRequest>> PendingClosureOfCase(domain::Id case_id) = 0;
  virtual Result<std::optional<StoredClosureRequest>> GetClosureRequest(domain::Id id) = 0;
  // Every request of a case, oldest first (decided ones with their decision).
  virtual Result<std::vector<StoredClosureRequest>> ClosureRequestsOfCase(domain::Id case_id) = 0;
  // Decides a pending request; kConflict when it was decided in the meantime.
  virtual Status DecideClosureRequest(domain::Id id, domain::ClosureRequestStatus status,
                                      domain::Id decided_by, Timestamp at,
                                      const std::string& sealed_decision_note) = 0;
  // Pending requests of an organisation's cases (the supervisor's queue), oldest first.
  virtual Result<std::vector<StoredClosureRequest>> PendingClosuresOfOrganization(
      domain::Id organization_id) = 0;
};

}  // namespace haven::store
