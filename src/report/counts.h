#pragma once
// Counting persons: two-way tables for named reports, long-format counts for
// analysts' own questions, and the protection every output gets before it
// leaves (suppression, or noise for a differentially private release).
// Thread-safe: free functions over values (a RandomSource is used by one call at a time).

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "report/dimensions.h"
#include "report/noise.h"
#include "report/table.h"
#include "store/report_store.h"

namespace haven::report {

// The labels of a dimension, in publication order. With `complete`, every
// possible value (data-independent, as differential privacy needs); otherwise
// the known values of closed vocabularies plus whatever `observed` adds.
std::vector<std::string> Labels(Dimension d, const FactContext& ctx, bool complete,
                                const std::vector<std::string>& observed);

struct CrossTabSpec {
  std::string id;
  std::string title;
  Dimension rows = Dimension::kSex;
  std::optional<Dimension> columns;  // none: one column, "count"
  // Rows (or columns) with no person in them are left out, for open vocabularies
  // such as countries; closed vocabularies always show every value.
  bool complete = false;
  std::vector<std::string> notes;
};

// Persons of `persons` (already unique, see UniquePersons) by the spec's dimensions.
// Margins are sums of cells.
Table CrossTab(std::span<const store::CaseFact> persons, const CrossTabSpec& spec,
               const FactContext& ctx);

// How much one person can add to the cells of a table over these dimensions.
double Sensitivity(std::span<const Dimension> dims);

// Protects the tables of a report in place: suppression with `threshold`
// (totals that several tables share are hidden in all of them when hidden in
// one), or, with `dp`, noise on every inner cell, totals recomputed, and small
// noisy counts hidden. Fills report.suppression and report.dp.epsilon_per_table.
Status ProtectReport(Report& report, int threshold, const std::optional<DpParams>& dp,
                     RandomSource* random);

struct CountOptions {
  std::vector<Dimension> dimensions;
  int threshold = 5;
  std::optional<DpParams> dp;
  FactContext context;
  // Cells of the full grid a DP release would have to noise: refused above this.
  std::size_t max_dp_cells = 2'000'000;
};

// Persons (facts are made unique here) by every combination of dimension values
// that occurs, protected as CountOptions says. Fills rows, total, suppression.
Result<CountTable> CountBy(std::span<const store::CaseFact> facts, const CountOptions& options,
                           RandomSource* random);

}  // namespace haven::report
