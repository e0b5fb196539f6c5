#pragma once
// The shapes statistics take before they are written out: two-way tables with
// margins (what partners ask for), long-format count tables (what analysts ask
// for), and a report that bundles tables with what a reader must know about
// them (linkage, suppression, noise).
// Thread-safe: plain values.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace haven::report {

enum class CellState {
  kShown,
  kPrimary,    // a small count (1 .. threshold-1), published as "<threshold"
  kSecondary,  // a larger count hidden so that no small one can be worked out; published as "x"
};

struct Cell {
  std::int64_t value = 0;  // the true count, or the noisy one in a differentially private release
  CellState state = CellState::kShown;
  bool Suppressed() const { return state != CellState::kShown; }
};

// rows × cols counts with margins. Stored as an (rows+1) × (cols+1) matrix: row
// `rows` holds the column totals, column `cols` the row totals, and the corner
// the grand total. Totals are always the sums of their cells, so that what the
// suppression check assumes a reader can compute is exactly what is published.
struct Grid {
  Grid() = default;
  Grid(int r, int c) : rows(r), cols(c), cells(static_cast<std::size_t>((r + 1) * (c + 1))) {}

  int rows = 0;
  int cols = 0;
  std::vector<Cell> cells;

  Cell& At(int r, int c) { return cells[static_cast<std::size_t>(r * (cols + 1) + c)]; }
  const Cell& At(int r, int c) const {
    return cells[static_cast<std::size_t>(r * (cols + 1) + c)];
  }
  // Sets every margin to the sum of its cells.
  void ComputeMargins();
};

// A titled two-way table of a report.
struct Table {
  std::string id;     // stable, machine-readable: "victims_by_sex_and_age"
  std::string title;  // for people
  // Cells hold integers in units of 10^-decimals (money in minor units: 2 for AZN).
  // JSON keeps the integers; what people read (CSV, XLSX) shows major units.
  int decimals = 0;
  std::string row_dimension;
  std::string column_dimension;  // empty: one column, "count"
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  Grid grid;
  // False when a person can appear in several rows (forms of exploitation): the
  // column totals then count mentions, not persons.
  bool rows_partition = true;
  bool columns_partition = true;
  // Whether the totals add like things. False when the rows (or columns) count
  // different units (stays, cases and bed-days): that total is not published.
  bool column_totals = true;  // the "total" row: each column summed over the rows
  bool row_totals = true;     // the "total" column: each row summed over the columns
  // How much one person can add to the inner cells, for differential privacy;
  // 0: the table cannot be released with noise (e.g. sums of money).
  double sensitivity = 1;
  // Rows over an open vocabulary (countries): after noise, rows without any
  // person are left out rather than listing every country of the world.
  bool sparse_rows = false;
  // The id of a table of counts of the same shape whose hidden cells this one hides
  // too (and no others): a sum of money beside a count gives the count away (count =
  // amount ÷ rate), so it is shown exactly where the count is.
  std::string hidden_like;
  std::vector<std::string> notes;
};

struct LinkageInfo {
  bool applied = false;  // `haven link` has run: persons registered twice count once
  std::optional<Timestamp> at;
  double threshold = 0;
};

// A differentially private release: what was spent and how.
struct DpInfo {
  std::string mechanism;  // "laplace" or "gaussian"
  double epsilon = 0;     // of the whole release
  double delta = 0;       // 0 for Laplace
  double epsilon_per_table = 0;
  double epsilon_spent_before = 0;  // by earlier releases of the same kind (from the ledger)
  // The same question was asked before: this is the answer released then, and
  // nothing was spent now.
  bool repeated = false;
  std::optional<Timestamp> released_at;  // when this answer was first released
};

struct SuppressionSummary {
  int threshold = 0;  // counts 1 .. threshold-1 are hidden; 0 or 1: nothing hidden
  int primary = 0;
  int secondary = 0;
};

struct Report {
  std::string name;
  std::string title;
  std::string description;
  std::optional<int> year;
  Timestamp generated_at{};
  std::string unit = "persons";
  // The sources counted: "haven" (Haven's own cases), or "ctdc" and the like
  // (imported records), each with the import batches it covers.
  std::vector<std::string> sources = {"haven"};
  LinkageInfo linkage;
  SuppressionSummary suppression;
  std::optional<DpInfo> dp;
  std::vector<Table> tables;
  std::vector<std::string> notes;
};

// The generic `counts` report: one row per combination of dimension values that occurs.
struct CountRow {
  std::vector<std::string> keys;
  Cell cell;
};

struct CountTable {
  std::vector<std::string> dimensions;
  std::optional<int> year;
  Timestamp generated_at{};
  std::vector<std::string> sources = {"haven"};
  LinkageInfo linkage;
  SuppressionSummary suppression;
  std::optional<DpInfo> dp;
  std::vector<CountRow> rows;  // sorted by keys
  Cell total;                  // persons counted (mentions when a dimension is multi-valued)
  std::vector<std::string> notes;
};

// How a suppressed or shown cell is published: "12", "<5" or "x".
std::string CellText(const Cell& c, int threshold);
// The same, a shown value in major units with `decimals` places ("300.00").
std::string CellText(const Cell& c, int threshold, int decimals);

}  // namespace haven::report
