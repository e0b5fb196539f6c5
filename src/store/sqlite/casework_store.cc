// SQLite implementation of the "casework" area.

#include "store/casework_store.h"

#include <fmt/format.h>

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

using domain::Id;
using domain::Name;
using domain::ParseEnum;

constexpr std::string_view kV1 = R"sql(
CREATE TABLE case_notes (
  id                     INTEGER PRIMARY KEY,
  case_id                INTEGER NOT NULL REFERENCES cases(id),
  author_user_id         INTEGER NOT NULL REFERENCES users(id),
  author_organization_id INTEGER NOT NULL REFERENCES organizations(id),
  created_at             TEXT NOT NULL,
  sealed_text            BLOB
);
CREATE INDEX case_notes_case ON case_notes(case_id, id);

CREATE TABLE case_attachments (
  id                         INTEGER PRIMARY KEY,
  case_id                    INTEGER NOT NULL REFERENCES cases(id),
  media_type                 TEXT NOT NULL,
  size_bytes                 INTEGER NOT NULL CHECK (size_bytes > 0),
  sealed_title               BLOB,
  sealed_content             BLOB,
  created_by                 INTEGER NOT NULL REFERENCES users(id),
  created_by_organization_id INTEGER NOT NULL REFERENCES organizations(id),
  created_at                 TEXT NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments(case_id, id);

CREATE TABLE closure_requests (
  id                   INTEGER PRIMARY KEY,
  case_id              INTEGER NOT NULL REFERENCES cases(id),
  reason               TEXT NOT NULL,
  duplicate_of         INTEGER REFERENCES cases(id),
  on_date              TEXT NOT NULL,
  sealed_note          BLOB,
  requested_by         INTEGER NOT NULL REFERENCES users(id),
  requested_at         TEXT NOT NULL,
  status               TEXT NOT NULL,
  decided_by           INTEGER REFERENCES users(id),
  decided_at           TEXT,
  sealed_decision_note BLOB
);
CREATE INDEX closure_requests_case ON closure_requests(case_id, status);
-- One pending request per case.
CREATE UNIQUE INDEX closure_requests_pending ON closure_requests(case_id)
  WHERE status = 'pending';
)sql";

constexpr std::array<std::string_view, 1> kSteps = {kV1};

class SqliteCaseworkStore : public CaseworkStore {
 public:
  explicit SqliteCaseworkStore(sqlite3* db) : db_(db) {}

  Result<Id> InsertNote(const StoredNote& n) override {
    Stmt s(db_,
           "INSERT INTO case_notes(case_id, author_user_id, author_organization_id, created_at)"
           " VALUES (?,?,?,?)");
    s.Bind(n.case_id).Bind(n.author_user_id).Bind(n.author_organization_id).Bind(n.created_at);
    TRY_STATUS(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetNoteSealed(Id id, const std::string& sealed_text) override {
    Stmt s(db_, "UPDATE case_notes SET sealed_text = ? WHERE id = ?");
    s.BindBlob(sealed_text).Bind(id);
    return s.Run();
  }

  Result<std::vector<StoredNote>> NotesOfCase(Id case_id, Id after_id, int limit) override {
    Stmt s(db_,
           "SELECT id, case_id, author_user_id, author_organization_id, created_at, sealed_text"
           " FROM case_notes WHERE case_id = ? AND id > ? ORDER BY id LIMIT ?");
    s.Bind(case_id).Bind(after_id).Bind(limit);
    std::vector<StoredNote> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(StoredNote{s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Time(4), s.Blob(5)});
    }
    return out;
  }

  Result<Id> InsertAttachment(const StoredAttachment& a) override {
    Stmt s(db_,
           "INSERT INTO case_attachments(case_id, media_type, size_bytes, created_by,"
           " created_by_organization_id, created_at) VALUES (?,?,?,?,?,?)");
    s.Bind(a.case_id).Bind(a.media_type).Bind(a.size_bytes).Bind(a.created_by)
        .Bind(a.created_by_organization_id).Bind(a.created_at);
    TRY_STATUS(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetAttachmentSealed(Id id, const std::string& sealed_title,
                             const std::string& sealed_content) override {
    Stmt s(db_, "UPDATE case_attachments SET sealed_title = ?, sealed_content = ? WHERE id = ?");
    s.BindBlob(sealed_title).BindBlob(sealed_content).Bind(id);
    return s.Run();
  }

  static constexpr std::string_view kAttachmentCols =
      "id, case_id, media_type, size_bytes, sealed_title, created_by,"
      " created_by_organization_id, created_at";

  static StoredAttachment AttachmentFrom(const Stmt& s) {
    StoredAttachment a;
    a.id = s.Int(0);
    a.case_id = s.Int(1);
    a.media_type = s.Text(2);
    a.size_bytes = s.Int(3);
    a.sealed_title = s.Blob(4);
    a.created_by = s.Int(5);
    a.created_by_organization_id = s.Int(6);
    a.created_at = s.Time(7);
    return a;
  }

  Result<std::vector<StoredAttachment>> AttachmentsOfCase(Id case_id) override {
    Stmt s(db_, fmt::format("SELECT {} FROM case_attachments WHERE case_id = ? ORDER BY id",
                            kAttachmentCols));
    s.Bind(case_id);
    std::vector<StoredAttachment> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(AttachmentFrom(s));
    }
    return out;
  }

  Result<std::optional<StoredAttachment>> GetAttachment(Id id) override {
    Stmt s(db_, fmt::format("SELECT {}, sealed_content FROM case_attachments WHERE id = ?",
                            kAttachmentCols));
    s.Bind(id);
    TRY(bool row, s.Step());
    if (!row) return std::optional<StoredAttachment>();
    StoredAttachment a = AttachmentFrom(s);
    a.sealed_content = s.Blob(8);
    return std::optional(std::move(a));
  }

  Result<Id> InsertClosureRequest(const StoredClosureRequest& r) override {
    Stmt s(db_,
           "INSERT INTO closure_requests(case_id, reason, duplicate_of, on_date, requested_by,"
           " requested_at, status) VALUES (?,?,?,?,?,?,'pending')");
    s.Bind(r.case_id).Bind(Name(r.reason)).Bind(r.duplicate_of).Bind(r.on).Bind(r.requested_by)
        .Bind(r.requested_at);
    TRY_STATUS(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetClosureRequestNote(Id id, const std::string& sealed_note) override {
    Stmt s(db_, "UPDATE closure_requests SET sealed_note = ? WHERE id = ?");
    s.BindBlob(sealed_note).Bind(id);
    return s.Run();
  }

  static constexpr std::string_view kRequestCols =
      "id, case_id, reason, duplicate_of, on_date, sealed_note, requested_by, requested_at,"
      " status, decided_by, decided_at, sealed_decision_note";

  static StoredClosureRequest RequestFrom(const Stmt& s) {
    StoredClosureRequest r;
    r.id = s.Int(0);
    r.case_id = s.Int(1);
    r.reason = ParseEnum<domain::ClosureReason>(s.Text(2)).value_or(domain::ClosureReason::kOther);
    r.duplicate_of = s.OptInt(3);
    r.on = s.Date(4);
    r.sealed_note = s.Blob(5);
    r.requested_by = s.Int(6);
    r.requested_at = s.Time(7);
    r.status = ParseEnum<domain::ClosureRequestStatus>(s.Text(8))
                   .value_or(domain::ClosureRequestStatus::kPending);
    r.decided_by = s.OptInt(9);
    if (!s.IsNull(10)) r.decided_at = s.Time(10);
    r.sealed_decision_note = s.Blob(11);
    return r;
  }

  Result<std::optional<StoredClosureRequest>> One(const std::string& where, Id value) {
    Stmt s(db_, fmt::format("SELECT {} FROM closure_requests WHERE {}", kRequestCols, where));
    s.Bind(value);
    TRY(bool row, s.Step());
    if (!row) return std::optional<StoredClosureRequest>();
    return std::optional(RequestFrom(s));
  }

  Result<std::optional<StoredClosureRequest>> PendingClosureOfCase(Id case_id) override {
    return One("case_id = ? AND status = 'pending'", case_id);
  }

  Result<std::optional<StoredClosureRequest>> GetClosureRequest(Id id) override {
    return One("id = ?", id);
  }

  Result<std::vector<StoredClosureRequest>> ClosureRequestsOfCase(Id case_id) override {
    Stmt s(db_, fmt::format("SELECT {} FROM closure_requests WHERE case_id = ? ORDER BY id",
                            kRequestCols));
    s.Bind(case_id);
    std::vector<StoredClosureRequest> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(RequestFrom(s));
    }
    return out;
  }

  Status DecideClosureRequest(Id id, domain::ClosureRequestStatus status, Id decided_by,
                              Timestamp at, const std::string& sealed_decision_note) override {
    Stmt s(db_,
           "UPDATE closure_requests SET status = ?, decided_by = ?, decided_at = ?,"
           " sealed_decision_note = ? WHERE id = ? AND status = 'pending'");
    s.Bind(Name(status)).Bind(decided_by).Bind(at).BindBlob(sealed_decision_note).Bind(id);
    TRY_STATUS(s.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "already_decided",
                  "the closure request was decided in the meantime");
    return {};
  }

  Result<std::vector<StoredClosureRequest>> PendingClosuresOfOrganization(
      Id organization_id) override {
    Stmt s(db_, fmt::format("SELECT {} FROM closure_requests WHERE status = 'pending' AND"
                            " case_id IN (SELECT id FROM cases WHERE organization_id = ?)"
                            " ORDER BY id",
                            kRequestCols));
    s.Bind(organization_id);
    std::vector<StoredClosureRequest> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(RequestFrom(s));
    }
    return out;
  }

 private:
  sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> CaseworkMigrations() { return kSteps; }

std::unique_ptr<CaseworkStore> MakeCaseworkStore(sqlite3* db) {
  return std::make_unique<SqliteCaseworkStore>(db);
}

}  // namespace haven::store::sqlite
