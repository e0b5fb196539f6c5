// SQLite implementation of the "assistance" area.

#include <fmt/format.h>

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

class SqliteAssistanceStore final : public AssistanceStore {
 public:
  explicit SqliteAssistanceStore(sqlite3* db) : db_(db) {}

 private:
  [[maybe_unused]] sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> AssistanceMigrations() { return {}; }

std::unique_ptr<AssistanceStore> MakeAssistanceStore(sqlite3* db) {
  return std::make_unique<SqliteAssistanceStore>(db);
}

}  // namespace haven::store::sqlite
