#pragma once
// Small-cell suppression with secondary suppression.
//
// Model of the reader (the "attacker"): they see every shown cell and total,
// know that a cell published as "<t" holds 1 .. t-1 and that one published as
// "x" holds at least t, and know that every total is the sum of its cells. A
// hidden cell is protected when some other table, consistent with all of that,
// differs in it: then no amount of arithmetic on rows and columns recovers it.
//
// For a two-way table with margins the tables consistent with the published
// values are connected by moves along cycles of hidden cells (+1, -1, +1, …
// around a cycle keeps every row and column sum), so a cell is protected
// exactly when such a cycle through it can move by one within the bounds above.
// SuppressGrid hides cells until every hidden cell is protected.
//
// Thread-safe: free functions over values.

#include <vector>

#include "report/table.h"

namespace haven::report {

struct SuppressionStats {
  int primary = 0;
  int secondary = 0;
};

// Hides the cells (totals included) that hold 1 .. threshold-1, then more cells
// (smallest first, inner cells before totals) until every hidden cell is
// protected. Cells already hidden stay hidden (to share totals between tables).
// REQUIRES: margins are the sums of their cells. A threshold below 2 hides nothing.
SuppressionStats SuppressGrid(Grid& grid, int threshold);

// True when cell (r, c) of the (rows+1) × (cols+1) matrix is hidden and protected
// in the sense above. Exposed for tests and for auditing published tables.
bool CellIsProtected(const Grid& grid, int r, int c, int threshold);

// Suppression for a long-format table of counts over several dimensions. `keys`
// holds, for each cell, the index of its value in each dimension. Every
// one-dimensional line (all keys fixed but one) is treated as having a known
// total, and the table flattened to two dimensions (last dimension against the
// rest) is protected as by SuppressGrid.
SuppressionStats SuppressCounts(const std::vector<std::vector<int>>& keys,
                                std::vector<Cell>& cells, Cell& total, int threshold);

// Primary suppression only: used on differentially private releases, where the
// noise already protects every cell and totals are sums of noisy cells.
SuppressionStats SuppressSmall(std::vector<Cell>& cells, int threshold);

}  // namespace haven::report
