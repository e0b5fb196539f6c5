#pragma once
// Reports as PDF, to print and to send: A4 (landscape for a table too wide for
// portrait), a title block (title, year, when, sources, linkage, the suppression
// legend), each table with its header row repeated on every page it spans, numbers
// right-aligned and grouped as the language writes them, hidden cells as their symbol
// in grey, notes under the table, and "N / M" page numbers. Drawn with cairo, text laid
// out by pango (DejaVu Sans, which has Azerbaijani ə and Cyrillic), written to memory.
// Thread-safe: each call has its own font map, surface and contexts.

#include <string>

#include "common/error.h"
#include "report/labels.h"
#include "report/table.h"

namespace haven::report {

Result<std::string> ReportToPdf(const Report& r, Language lang = Language::kEn);

}  // namespace haven::report
