// SQLite implementation of the "keys" area.

#include "store/key_store.h"

#include <fmt/format.h>

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

using domain::Id;

constexpr std::string_view kV1 = R"sql(
CREATE TABLE data_keys (
  id            INTEGER PRIMARY KEY,
  scope         TEXT NOT NULL UNIQUE,
  master_key_id TEXT,
  wrapped       BLOB,
  created_at    TEXT NOT NULL,
  erased_at     TEXT,
  CHECK (erased_at IS NULL OR (wrapped IS NULL AND master_key_id IS NULL))
);
CREATE INDEX data_keys_master ON data_keys(master_key_id);

CREATE TABLE key_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

constexpr std::array<std::string_view, 1> kSteps = {kV1};

constexpr std::string_view kKeyColumns =
    "SELECT id, scope, coalesce(master_key_id, ''), wrapped, created_at, erased_at"
    " FROM data_keys";

StoredDataKey KeyFrom(const Stmt& s) {
  StoredDataKey k;
  k.id = s.Int(0);
  k.scope = s.Text(1);
  k.master_key_id = s.Text(2);
  k.wrapped = s.Blob(3);
  k.created_at = s.Time(4);
  k.erased_at = s.OptTime(5);
  return k;
}

class SqliteKeyStore : public KeyStore {
 public:
  explicit SqliteKeyStore(sqlite3* db) : db_(db) {}

  Result<std::optional<StoredDataKey>> FindDataKey(const std::string& scope) override {
    Stmt s(db_, fmt::format("{} WHERE scope = ?", kKeyColumns));
    s.Bind(scope);
    TRY(bool row, s.Step());
    if (!row) return std::optional<StoredDataKey>();
    return std::optional<StoredDataKey>(KeyFrom(s));
  }

  Result<Id> InsertDataKey(const std::string& scope, Timestamp created_at) override {
    Stmt s(db_, "INSERT INTO data_keys(scope, created_at) VALUES (?, ?)");
    s.Bind(scope).Bind(created_at);
    TRY_STATUS(s.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  Status SetWrappedKey(Id id, const std::string& master_key_id,
                       const std::string& wrapped) override {
    Stmt s(db_,
           "UPDATE data_keys SET master_key_id = ?, wrapped = ? WHERE id = ? AND erased_at IS NULL");
    s.Bind(master_key_id).BindBlob(wrapped).Bind(id);
    TRY_STATUS(s.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "data_key_erased",
                  fmt::format("data key {} is erased or missing", id));
    return {};
  }

  Result<std::vector<StoredDataKey>> KeysNotUnder(const std::string& master_key_id, Id after_id,
                                                  int limit) override {
    Stmt s(db_, fmt::format("{} WHERE erased_at IS NULL AND wrapped IS NOT NULL AND"
                            " master_key_id <> ? AND id > ? ORDER BY id LIMIT ?",
                            kKeyColumns));
    s.Bind(master_key_id).Bind(after_id).Bind(limit);
    std::vector<StoredDataKey> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(KeyFrom(s));
    }
    return out;
  }

  Result<std::vector<std::pair<std::string, std::int64_t>>> MasterKeysInUse() override {
    Stmt s(db_,
           "SELECT master_key_id, count(*) FROM data_keys WHERE erased_at IS NULL AND"
           " master_key_id IS NOT NULL GROUP BY master_key_id ORDER BY master_key_id");
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.emplace_back(s.Text(0), s.Int(1));
    }
    return out;
  }

  Status EraseDataKey(Id id, Timestamp at) override {
    // NULL rather than a shorter blob: with secure_delete on, SQLite overwrites the freed
    // bytes of the old record in the page.
    Stmt s(db_,
           "UPDATE data_keys SET wrapped = NULL, master_key_id = NULL, erased_at = ?"
           " WHERE id = ? AND erased_at IS NULL");
    s.Bind(at).Bind(id);
    return s.Run();
  }

  Result<std::int64_t> EraseSealedValuesOfPerson(Id person_id) override {
    std::int64_t cleared = 0;
    for (const SealedColumn& c : kPersonSealedColumns) {
      const std::string_view rows = std::string_view(c.table) == "persons"
                                        ? "id = ?"
                                        : "case_id IN (SELECT id FROM cases WHERE person_id = ?)";
      // An empty blob, not NULL: some columns are NOT NULL; both read as no value.
      Stmt s(db_, fmt::format("UPDATE {0} SET {1} = X'' WHERE {2} AND length({1}) > 0",
                              c.table, c.column, rows));
      s.Bind(person_id);
      TRY_STATUS(s.Run());
      cleared += sqlite3_changes(db_);
    }
    return cleared;
  }

  Result<std::vector<ErasablePerson>> PersonsClosedBefore(domain::Date closed_before, Id after_id,
                                                          int limit) override {
    Stmt s(db_,
           "SELECT p.id, p.organization_id, max(t.on_date) AS closed_on"
           " FROM persons p JOIN cases c ON c.person_id = p.id"
           " JOIN case_transitions t ON t.case_id = c.id AND t.to_status = 'closed'"
           " WHERE p.id > ?"
           " AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.person_id = p.id AND"
           "                 o.status <> 'closed')"
           " AND NOT EXISTS (SELECT 1 FROM data_keys k WHERE k.scope = 'person:' || p.id AND"
           "                 k.erased_at IS NOT NULL)"
           " GROUP BY p.id HAVING max(t.on_date) < ? ORDER BY p.id LIMIT ?");
    s.Bind(after_id).Bind(closed_before).Bind(limit);
    std::vector<ErasablePerson> out;
    while (true) {
      TRY(bool row, s.Step());
      if (!row) break;
      out.push_back(ErasablePerson{s.Int(0), s.Int(1), s.Date(2)});
    }
    return out;
  }

  Result<std::optional<std::string>> CurrentMasterKeyId() override {
    Stmt s(db_, "SELECT value FROM key_settings WHERE name = 'current_master_key'");
    TRY(bool row, s.Step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(s.Text(0));
  }

  Status SetCurrentMasterKeyId(const std::string& id) override {
    Stmt s(db_,
           "INSERT INTO key_settings(name, value) VALUES ('current_master_key', ?)"
           " ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    s.Bind(id);
    return s.Run();
  }

 private:
  sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> KeyMigrations() { return kSteps; }

std::unique_ptr<KeyStore> MakeKeyStore(sqlite3* db) {
  return std::make_unique<SqliteKeyStore>(db);
}

}  // namespace haven::store::sqlite
