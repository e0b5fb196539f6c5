#pragma once
// The Counter Trafficking Data Collaborative (CTDC) case-level format, as CTDC
// publishes its global k-anonymised dataset: semicolon-separated, fields with a
// semicolon in double quotes, a terms-of-use sentence as the name of the first
// column, empty fields for "not recorded", 0/1 flags, age bands such as
// `18--20` and `48+`, and "…Concatenated" columns that repeat the flags as text.
//
// Reading maps every row to Haven's vocabularies or rejects it with its line
// number and reason; writing produces the same 64 columns, k-anonymised.
// Thread-safe: free functions over values.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/report_store.h"

namespace haven::report {

// The 64 columns in CTDC's order.
std::span<const std::string_view> CtdcColumns();

struct CtdcReject {
  std::size_t line = 0;  // 1-based line of the file where the row starts
  std::string reason;
  std::string row;  // the row as read, its fields joined by ";" (quoted where needed)
};

struct CtdcParse {
  std::size_t read = 0;  // data rows read
  std::vector<store::CtdcRecord> records;
  std::vector<std::size_t> lines;  // the line of each record
  std::vector<CtdcReject> rejects;
};

// Called now and then with (rows read, rows in all).
using Progress = std::function<void(std::size_t, std::size_t)>;

// Reads a whole CTDC file. Fails only when the file as a whole is unusable (no
// header, a required column missing, an unterminated quote); a bad row is a reject.
Result<CtdcParse> ParseCtdc(std::string_view content, const Progress& progress = {});

// line,reason,row — what an operator needs to fix and re-import the rejects.
std::string RejectsCsv(const std::vector<CtdcReject>& rejects);

struct CtdcExportOptions {
  // Every combination of the quasi-identifiers (year, sex, age band, citizenship,
  // country of exploitation, forms of exploitation) occurs at least k times.
  int k = 11;
};

struct CtdcExport {
  std::string csv;
  std::size_t input = 0;        // persons considered
  std::size_t records = 0;      // records written
  std::size_t generalised = 0;  // written with at least one value coarsened or blanked
  std::size_t suppressed = 0;   // left out because no generalisation made them k-anonymous
};

// Exports Haven's own cases (source "haven"), one record per person, in CTDC's
// layout. Generalisation, applied record by record only where a combination is
// rarer than k, in this order: age band to minor/adult, country of exploitation
// blanked, citizenship blanked, minor/adult blanked, forms of exploitation
// blanked, sex blanked; what is still rarer than k is suppressed. The year is
// never generalised.
Result<CtdcExport> ExportCtdc(std::span<const store::CaseFact> facts, const CtdcExportOptions& options);

// A CTDC age band ("18--20", "48+") in Haven's spelling ("18-20"), and back.
std::string CtdcBandToHaven(std::string_view band);
std::string HavenBandToCtdc(std::string_view band);

}  // namespace haven::report
