#pragma once
// Private to src/store/sqlite: a prepared-statement wrapper and the small
// conversions every area implementation uses.

#include <sqlite3.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/error.h"
#include "domain/enums.h"
#include "domain/model.h"

namespace haven::store::sqlite {

inline Error DbError(sqlite3* db, std::string_view what) {
  int code = sqlite3_extended_errcode(db);
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    return Error{ErrorCode::kConflict, "busy", "the database is busy; try again", {}};
  return Error{ErrorCode::kInternal, "database",
               fmt::format("sqlite {}: {} ({})", what, sqlite3_errmsg(db), code), {}};
}

// One prepared statement; binds with Bind(...) in order, steps with Step().
class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;


  Stmt& Bind(std::int64_t v) {
    sqlite3_bind_int64(stmt_, ++index_, v);
    return *this;
  }
  Stmt& Bind(int v) { return Bind(static_cast<std::int64_t>(v)); }
  Stmt& Bind(bool v) { return Bind(static_cast<std::int64_t>(v ? 1 : 0)); }
  Stmt& Bind(std::string_view v) {
    sqlite3_bind_text(stmt_, ++index_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const char* v) { return Bind(std::string_view(v)); }
  Stmt& BindBlob(std::string_view v) {
    sqlite3_bind_blob(stmt_, ++index_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindNull() {
    sqlite3_bind_null(stmt_, ++index_);
    return *this;
  }
  template <typename T>
  Stmt& Bind(const std::optional<T>& v) {
    if (v) return Bind(*v);
    return BindNull();
  }
  Stmt& Bind(Timestamp t) { return Bind(FormatTimestamp(t)); }
  Stmt& Bind(const domain::Date& d) { return Bind(d.ToString()); }

  // true: a row is ready; false: done.
  Result<bool> Step() {
    if (rc_ != SQLITE_OK) return std::unexpected(DbError(db_, "prepare"));
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
      return Fail(ErrorCode::kConflict, "constraint",
                  fmt::format("the change conflicts with stored data ({})", sqlite3_errmsg(db_)));
    return std::unexpected(DbError(db_, "step"));
  }
  Status Run() {
    TRY(bool row, Step());
    (void)row;
    return {};
  }

  sqlite3_stmt* Raw() const { return stmt_; }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  Stmt& Bind(double v) {
    sqlite3_bind_double(stmt_, ++index_, v);
    return *this;
  }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  std::string Blob(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  std::optional<std::string> OptText(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Text(col);
  }
  std::optional<std::int64_t> OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }
  Timestamp Time(int col) const { return ParseTimestamp(Text(col)).value_or(Timestamp{}); }
  std::optional<Timestamp> OptTime(int col) const {
    if (IsNull(col)) return std::nullopt;
    return ParseTimestamp(Text(col));
  }
  std::optional<domain::Date> OptDate(int col) const {
    if (IsNull(col)) return std::nullopt;
    auto d = domain::Date::Parse(Text(col), "db");
    if (!d) return std::nullopt;
    return *d;
  }
  domain::Date Date(int col) const { return OptDate(col).value_or(domain::Date{}); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
  int index_ = 0;
};

inline Status Exec(sqlite3* db, std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  if (sqlite3_exec(db, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Error e = DbError(db, "exec");
    sqlite3_free(err);
    return std::unexpected(e);
  }
  return {};
}

template <typename E>
E EnumOr(const std::string& s, E fallback) {
  return domain::ParseEnum<E>(s).value_or(fallback);
}

inline domain::Citizenship CitizenshipFrom(const std::string& s) {
  auto c = domain::Citizenship::Parse(s, "db");
  return c ? *c : domain::Citizenship{};
}

// A JSON array of enum names as stored in a TEXT column; unknown names are skipped.
template <typename E>
std::vector<E> EnumListFromJson(const std::string& text) {
  std::vector<E> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j)
    if (v.is_string())
      if (auto e = domain::ParseEnum<E>(v.get<std::string>())) out.push_back(*e);
  return out;
}

// A comma-separated list of enum names (group_concat); unknown names are skipped.
template <typename E>
std::vector<E> EnumListFromCsv(const std::string& text) {
  std::vector<E> out;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (auto e = domain::ParseEnum<E>(text.substr(start, end - start))) out.push_back(*e);
    start = end + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Runs `q` to the end, turning each row into a T with `from`.
template <typename T, typename F>
Result<std::vector<T>> All(Stmt& q, F from) {
  std::vector<T> out;
  while (true) {
    TRY(bool row, q.Step());
    if (!row) break;
    out.push_back(from(q));
  }
  return out;
}

// The first row of `q` as a T, or nullopt.
template <typename T, typename F>
Result<std::optional<T>> One(Stmt& q, F from) {
  TRY(bool row, q.Step());
  if (!row) return std::optional<T>();
  return std::optional<T>(from(q));
}

// A sealed value, or NULL when there is none.
inline void BindSealed(Stmt& q, const std::string& sealed) {
  if (sealed.empty()) q.BindNull(); else q.BindBlob(sealed);
}

}  // namespace haven::store::sqlite
