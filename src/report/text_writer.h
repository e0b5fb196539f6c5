#pragma once
// Reports and counts as plain text for a terminal (`haven report NAME --format text`):
// a title block, each table with a header row and its columns aligned by display
// width, hidden cells as the published symbols ("<5", "x"), the legend and the notes.
// Thread-safe: pure functions.

#include <cstddef>
#include <string>
#include <string_view>

#include "report/labels.h"
#include "report/table.h"

namespace haven::report {

// The columns a terminal gives UTF-8 text: one per character, none for combining
// marks and other zero-width ones, two for East Asian wide and full-width ones.
std::size_t DisplayWidth(std::string_view utf8);

std::string ReportToText(const Report& r, Language lang = Language::kEn);
// One column per dimension and one for the count, one line per combination, the
// total last.
std::string CountsToText(const CountTable& t, Language lang = Language::kEn);

}  // namespace haven::report
