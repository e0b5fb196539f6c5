#pragma once
// Keyset pagination shared by every list use case: a cursor is the id of the
// last item handed out, and one more row than asked is read to know whether a
// next page exists.

#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "app/app.h"

namespace haven::app {

// 0 for an empty cursor; a validation error naming `cursor` for anything not handed out.
inline Result<std::int64_t> ParseCursor(const std::string& cursor) {
  if (cursor.empty()) return 0;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), v);
  if (ec != std::errc() || ptr != cursor.data() + cursor.size() || v <= 0)
    return Invalid("cursor", "is not a cursor this server handed out");
  return v;
}

inline Status CheckLimit(int limit) {
  if (limit < 1 || limit > 200) return Invalid("limit", "must be between 1 and 200");
  return {};
}

// REQUIRES: `rows` were read with limit + 1.
template <typename T, typename KeyFn>
Page<T> MakePage(std::vector<T> rows, int limit, KeyFn key) {
  Page<T> page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.next_cursor = std::to_string(key(rows.back()));
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace haven::app
