#pragma once
// Versioned schema migrations of the SQLite store. Migration N brings the
// schema from version N-1 to N; applied ones are never edited, only appended.

#include <span>
#include <string_view>

namespace haven::store::sqlite {

std::span<const std::string_view> Migrations();

}  // namespace haven::store::sqlite
