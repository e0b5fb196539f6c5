// SQLite implementation of the "stages" area.

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

class SqliteStageStore final : public StageStore {
 public:
  explicit SqliteStageStore(sqlite3* db) : db_(db) {}

 private:
  [[maybe_unused]] sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> StageMigrations() { return {}; }

std::unique_ptr<StageStore> MakeStageStore(sqlite3* db) {
  return std::make_unique<SqliteStageStore>(db);
}

}  // namespace haven::store::sqlite
