#pragma once
// Writing reports out as JSON (for the API and the web UI), CSV (for anyone)
// and XLSX (for NGOs that open everything in Excel). Suppressed cells are
// written as text ("<5", "x"), shown counts as numbers.
// Thread-safe: free functions; XLSX goes through a private temporary file.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "report/table.h"

namespace haven::report {

enum class Format { kJson, kCsv, kXlsx };

// "json", "csv" or "xlsx" (the latter only when `allow_xlsx`); errors name `field`.
Result<Format> ParseFormat(std::string_view text, std::string_view field, bool allow_xlsx = true);
std::string_view FormatName(Format f);
std::string_view ContentType(Format f);

nlohmann::json ReportToJson(const Report& r);
// Long format, one value a line: table,row,column,value; the report's own facts
// (name, year, linkage, suppression) come first as table "about".
std::string ReportToCsv(const Report& r);
// An "About" sheet, then one sheet per table.
Result<std::string> ReportToXlsx(const Report& r);
Result<std::string> RenderReport(const Report& r, Format f);

nlohmann::json CountsToJson(const CountTable& t);
// The dimension names and `count` as header, then one row per combination.
std::string CountsToCsv(const CountTable& t);
Result<std::string> RenderCounts(const CountTable& t, Format f);

// One CSV field, quoted when it needs to be.
std::string CsvField(std::string_view value, char separator = ',');

}  // namespace haven::report
