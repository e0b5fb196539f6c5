#include "report/suppression.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

namespace haven::report {
namespace {

constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max() / 4;

struct Bounds {
  std::int64_t lo = 0;
  std::int64_t hi = 0;
};

// What the reader knows about a cell from how it is published.
Bounds KnownBounds(const Cell& c, int threshold) {
  switch (c.state) {
    case CellState::kShown: return {c.value, c.value};
    case CellState::kPrimary: return {1, threshold - 1};
    case CellState::kSecondary: return {threshold, kUnbounded};
  }
  return {c.value, c.value};
}

// Whether the cell can move by `delta` (in the direction that keeps the row and
// column equations: totals move opposite to their cells, see CellIsProtected).
bool CanMove(const Grid& g, int r, int c, int delta, int threshold) {
  const Cell& cell = g.At(r, c);
  if (!cell.Suppressed()) return false;
  // A total sits on the other side of its equation: +1 on the cycle is -1 on it.
  bool margin = (r == g.rows) != (c == g.cols);
  std::int64_t dx = margin ? -delta : delta;
  Bounds b = KnownBounds(cell, threshold);
  std::int64_t moved = cell.value + dx;
  return moved >= b.lo && moved <= b.hi;
}

// Breadth-first search for a cycle of hidden cells through (r0, c0) along which
// (r0, c0) moves by `delta`: from column c0 back to row r0, entering a row by a
// cell moving by -delta and leaving it by one moving by +delta.
bool CycleExists(const Grid& g, int r0, int c0, int delta, int threshold) {
  const int n_rows = g.rows + 1;
  const int n_cols = g.cols + 1;
  std::vector<char> seen_row(static_cast<std::size_t>(n_rows), 0);
  std::vector<char> seen_col(static_cast<std::size_t>(n_cols), 0);
  // Nodes: rows as 0..n_rows-1, columns as n_rows..n_rows+n_cols-1.
  std::deque<int> queue;
  queue.push_back(n_rows + c0);
  seen_col[static_cast<std::size_t>(c0)] = 1;
  while (!queue.empty()) {
    int node = queue.front();
    queue.pop_front();
    if (node >= n_rows) {
      int c = node - n_rows;
      for (int r = 0; r < n_rows; ++r) {
        if (r == r0 && c == c0) continue;
        if (seen_row[static_cast<std::size_t>(r)]) continue;
        if (!CanMove(g, r, c, -delta, threshold)) continue;
        if (r == r0) return true;
        seen_row[static_cast<std::size_t>(r)] = 1;
        queue.push_back(r);
      }
    } else {
      int r = node;
      for (int c = 0; c < n_cols; ++c) {
        if (r == r0 && c == c0) continue;
        if (seen_col[static_cast<std::size_t>(c)]) continue;
        if (!CanMove(g, r, c, delta, threshold)) continue;
        seen_col[static_cast<std::size_t>(c)] = 1;
        queue.push_back(n_rows + c);
      }
    }
  }
  return false;
}

struct Pos {
  int r;
  int c;
};

int HiddenInRow(const Grid& g, int r) {
  int n = 0;
  for (int c = 0; c <= g.cols; ++c) n += g.At(r, c).Suppressed();
  return n;
}

int HiddenInColumn(const Grid& g, int c) {
  int n = 0;
  for (int r = 0; r <= g.rows; ++r) n += g.At(r, c).Suppressed();
  return n;
}

// The shown cell to hide next among `candidates`, which lie on a row (`row`
// set) or a column of cells to cover. Inner cells before totals (totals are
// what readers use most); then cells whose other line already has a hidden
// cell, which close a cycle instead of opening a new line to cover; then the
// smallest count (least loss). Zeros are never chosen: a hidden zero would be
// known to be zero, since a hidden count that is not "<t" is at least t.
std::optional<Pos> Pick(const Grid& g, const std::vector<Pos>& candidates, std::optional<int> row,
                        std::optional<int> column) {
  std::optional<Pos> best;
  auto rank = [&](Pos p) {
    bool margin = p.r == g.rows || p.c == g.cols;
    int other = 0;
    if (row && p.r == *row) other = HiddenInColumn(g, p.c);
    else if (column && p.c == *column) other = HiddenInRow(g, p.r);
    return std::make_tuple(margin, other == 0, g.At(p.r, p.c).value, p.r, p.c);
  };
  for (Pos p : candidates) {
    const Cell& cell = g.At(p.r, p.c);
    if (cell.Suppressed() || cell.value <= 0) continue;
    if (!best || rank(p) < rank(*best)) best = p;
  }
  return best;
}

}  // namespace

bool CellIsProtected(const Grid& g, int r, int c, int threshold) {
  if (!g.At(r, c).Suppressed()) return false;
  for (int delta : {1, -1}) {
    if (!CanMove(g, r, c, delta, threshold)) continue;
    if (CycleExists(g, r, c, delta, threshold)) return true;
  }
  return false;
}

SuppressionStats SuppressGrid(Grid& g, int threshold) {
  SuppressionStats stats;
  if (threshold < 2) return stats;
  for (auto& cell : g.cells) {
    if (cell.state == CellState::kShown && cell.value >= 1 && cell.value < threshold) {
      cell.state = CellState::kPrimary;
      ++stats.primary;
    }
  }
  auto hide = [&](Pos p) {
    g.At(p.r, p.c).state = CellState::kSecondary;
    ++stats.secondary;
  };
  const int n_rows = g.rows + 1;
  const int n_cols = g.cols + 1;
  auto row_of = [&](int r) {
    std::vector<Pos> v;
    for (int c = 0; c < n_cols; ++c) v.push_back({r, c});
    return v;
  };
  auto col_of = [&](int c) {
    std::vector<Pos> v;
    for (int r = 0; r < n_rows; ++r) v.push_back({r, c});
    return v;
  };
  auto hidden_in = [&](const std::vector<Pos>& line) {
    int n = 0;
    for (Pos p : line) n += g.At(p.r, p.c).Suppressed();
    return n;
  };

  while (true) {
    bool changed = false;
    // A line with exactly one hidden cell gives it away by subtraction: the
    // cheap rule, applied until it holds everywhere, does most of the work.
    for (int r = 0; r < n_rows; ++r) {
      auto line = row_of(r);
      if (hidden_in(line) == 1)
        if (auto p = Pick(g, line, r, std::nullopt)) hide(*p), changed = true;
    }
    for (int c = 0; c < n_cols; ++c) {
      auto line = col_of(c);
      if (hidden_in(line) == 1)
        if (auto p = Pick(g, line, std::nullopt, c)) hide(*p), changed = true;
    }
    if (changed) continue;
    // The exact check: two hidden cells in a line can still be pinned down by
    // their bounds (two "<5" summing to 2 are both 1).
    for (int r = 0; r < n_rows && !changed; ++r) {
      for (int c = 0; c < n_cols && !changed; ++c) {
        if (!g.At(r, c).Suppressed() || CellIsProtected(g, r, c, threshold)) continue;
        auto near = row_of(r);
        auto col = col_of(c);
        near.insert(near.end(), col.begin(), col.end());
        auto p = Pick(g, near, r, c);
        if (!p) {
          std::vector<Pos> all;
          for (int rr = 0; rr < n_rows; ++rr)
            for (int cc = 0; cc < n_cols; ++cc) all.push_back({rr, cc});
          p = Pick(g, all, std::nullopt, std::nullopt);
        }
        if (p) {
          hide(*p);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return stats;
}

SuppressionStats SuppressSmall(std::vector<Cell>& cells, int threshold) {
  SuppressionStats stats;
  if (threshold < 2) return stats;
  for (auto& cell : cells) {
    if (cell.state == CellState::kShown && cell.value >= 1 && cell.value < threshold) {
      cell.state = CellState::kPrimary;
      ++stats.primary;
    }
  }
  return stats;
}

SuppressionStats SuppressCounts(const std::vector<std::vector<int>>& keys,
                                std::vector<Cell>& cells, Cell& total, int threshold) {
  SuppressionStats stats;
  if (threshold < 2 || cells.empty()) return stats;
  const std::size_t dims = keys.front().size();
  for (auto* cell : {&total}) {
    if (cell->state == CellState::kShown && cell->value >= 1 && cell->value < threshold) {
      cell->state = CellState::kPrimary;
      ++stats.primary;
    }
  }
  auto primary = SuppressSmall(cells, threshold);
  stats.primary += primary.primary;

  // The flattened two-way view: the last dimension against the rest.
  std::map<std::vector<int>, int> row_index;
  int n_cols = 0;
  for (const auto& k : keys) {
    row_index.emplace(std::vector<int>(k.begin(), k.end() - 1), 0);
    n_cols = std::max(n_cols, k.back() + 1);
  }
  int next = 0;
  for (auto& [key, index] : row_index) index = next++;
  std::vector<Pos> where(cells.size());
  for (std::size_t i = 0; i < keys.size(); ++i)
    where[i] = {row_index[std::vector<int>(keys[i].begin(), keys[i].end() - 1)], keys[i].back()};

  auto hide = [&](std::size_t i) {
    cells[i].state = CellState::kSecondary;
    ++stats.secondary;
  };

  while (true) {
    bool changed = false;
    // Every line along every dimension, with its total taken as known (another
    // query over fewer dimensions publishes it).
    for (std::size_t d = 0; d < dims; ++d) {
      std::map<std::vector<int>, std::vector<std::size_t>> lines;
      for (std::size_t i = 0; i < keys.size(); ++i) {
        std::vector<int> rest = keys[i];
        rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(d));
        lines[rest].push_back(i);
      }
      for (const auto& [rest, members] : lines) {
        int hidden = 0;
        for (auto i : members) hidden += cells[i].Suppressed();
        if (hidden != 1) continue;
        std::optional<std::size_t> best;
        for (auto i : members) {
          if (cells[i].Suppressed() || cells[i].value <= 0) continue;
          if (!best || cells[i].value < cells[*best].value) best = i;
        }
        if (best) hide(*best), changed = true;
      }
    }
    if (changed) continue;
    Grid g(static_cast<int>(row_index.size()), n_cols);
    for (std::size_t i = 0; i < cells.size(); ++i) g.At(where[i].r, where[i].c) = cells[i];
    g.ComputeMargins();
    SuppressGrid(g, threshold);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (!cells[i].Suppressed() && g.At(where[i].r, where[i].c).Suppressed()) {
        hide(i);
        changed = true;
      }
    }
    if (g.At(g.rows, g.cols).Suppressed() && !total.Suppressed()) {
      total.state = CellState::kSecondary;
      ++stats.secondary;
    }
    if (!changed) break;
  }
  return stats;
}

}  // namespace haven::report
