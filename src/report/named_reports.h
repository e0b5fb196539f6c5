#pragma once
// The named reports: tables laid out as partners ask for them. One registry;
// adding a report is one entry in NamedReports() (named_reports.cc) and the
// function that builds its tables.
//
// A builder only counts: it reads what it needs from the transaction and
// returns unprotected tables. RunNamedReport then applies suppression or noise
// and says whether linkage was applied, the same way for every report.
// Thread-safe: the registry is constant; a run uses its transaction only.

#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "report/counts.h"
#include "report/noise.h"
#include "report/table.h"
#include "store/store.h"

namespace haven::report {

struct ReportParams {
  int year = 0;
  // Whose records are counted: Haven's own cases unless another source is asked for.
  store::FactSources sources;
  // The import batches the imported sources cover now, for the report's notes.
  std::vector<store::ImportBatch> batches;
  int threshold = 5;
  FactContext context;
  std::optional<DpParams> dp;
  Timestamp now{};
};

// What a builder gets: the transaction (every area of the store) and the parameters.
struct ReportInput {
  store::Transaction& tx;
  const ReportParams& params;

  // The persons identified in the year (unique after linkage) of the sources asked for.
  Result<std::vector<store::CaseFact>> Persons() const;
  // Their tables are complete (data-independent rows) when noise will be added.
  bool complete() const { return params.dp.has_value(); }
};

struct NamedReport {
  std::string_view name;         // as in `haven report NAME`
  std::string_view title;
  std::string_view description;  // one sentence: who asks for it and what it holds
  std::function<Result<std::vector<Table>>(const ReportInput&)> build;
  std::string_view unit = "persons";  // what the counts count
  // False for counts that are not about persons (awareness events and their
  // participants): nothing is hidden, and no noise can be asked for.
  bool disclosure_control = true;
};

std::span<const NamedReport> NamedReports();
const NamedReport* FindNamedReport(std::string_view name);

// Builds, protects and annotates a named report. Errors: kNotFound for an unknown name.
Result<Report> RunNamedReport(std::string_view name, store::Transaction& tx,
                              const ReportParams& params, RandomSource* random);

// The two tables of allowance payments (their number, and their sum in minor units,
// hidden exactly where the number is) by `row_dimension` (month, year, organization)
// and currency. Shared by the `allowances` report and GET /allowances/totals.
std::vector<Table> AllowanceTables(const std::vector<store::PaymentTotal>& rows,
                                   const std::string& row_dimension,
                                   const std::vector<std::string>& row_labels);

// The names of the sources counted ("haven", "ctdc"), and the note that says which
// import batches they cover.
std::vector<std::string> SourceNames(const store::FactSources& sources);
std::string SourcesNote(const store::FactSources& sources,
                        const std::vector<store::ImportBatch>& batches);

// The linkage statement every report carries.
Result<LinkageInfo> LinkageOf(store::Transaction& tx);

}  // namespace haven::report
