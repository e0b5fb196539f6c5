// Secondary suppression: a reader who knows every shown cell, every total and
// what "<5" and "x" mean cannot work out any hidden cell. Checked by exhaustive
// search over all tables consistent with what is published.

#include "report/suppression.h"

#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

namespace haven::report {
namespace {

constexpr int kT = 5;

Grid Make(const std::vector<std::vector<std::int64_t>>& inner) {
  Grid g(static_cast<int>(inner.size()), static_cast<int>(inner[0].size()));
  for (int r = 0; r < g.rows; ++r)
    for (int c = 0; c < g.cols; ++c) g.At(r, c).value = inner[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
  g.ComputeMargins();
  return g;
}

// Every value each hidden cell can take in some table consistent with the
// published one: shown cells fixed, "<5" in 1..4, "x" at least 5 (searched up
// to `cap`), every row and column (totals included) adding up.
class Attacker {
 public:
  Attacker(const Grid& g, std::int64_t cap) : g_(g), cap_(cap) {
    for (int r = 0; r <= g.rows; ++r)
      for (int c = 0; c <= g.cols; ++c)
        if (g.At(r, c).Suppressed()) hidden_.push_back({r, c});
    value_.assign(hidden_.size(), -1);
    feasible_.resize(hidden_.size());
  }

  // The hidden cells whose value is the same in every consistent table.
  std::vector<std::pair<int, int>> Recoverable() {
    Search();
    std::vector<std::pair<int, int>> out;
    for (std::size_t i = 0; i < hidden_.size(); ++i)
      if (feasible_[i].size() <= 1) out.push_back(hidden_[i]);
    return out;
  }
  const std::set<std::int64_t>& Feasible(int r, int c) {
    for (std::size_t i = 0; i < hidden_.size(); ++i)
      if (hidden_[i] == std::make_pair(r, c)) return feasible_[i];
    static const std::set<std::int64_t> kNone;
    return kNone;
  }

 private:
  std::pair<std::int64_t, std::int64_t> Range(std::size_t i) const {
    const Cell& cell = g_.At(hidden_[i].first, hidden_[i].second);
    if (cell.state == CellState::kPrimary) return {1, kT - 1};
    return {kT, cap_};
  }
  std::int64_t Get(int r, int c) const {
    if (!g_.At(r, c).Suppressed()) return g_.At(r, c).value;
    for (std::size_t i = 0; i < hidden_.size(); ++i)
      if (hidden_[i] == std::make_pair(r, c)) return value_[i];
    return -1;
  }
  // The cells of every line: each row and column of the augmented matrix; the
  // last cell of each line is its total.
  std::vector<std::vector<std::pair<int, int>>> Lines() const {
    std::vector<std::vector<std::pair<int, int>>> lines;
    for (int r = 0; r <= g_.rows; ++r) {
      std::vector<std::pair<int, int>> l;
      for (int c = 0; c <= g_.cols; ++c) l.push_back({r, c});
      lines.push_back(l);
    }
    for (int c = 0; c <= g_.cols; ++c) {
      std::vector<std::pair<int, int>> l;
      for (int r = 0; r <= g_.rows; ++r) l.push_back({r, c});
      lines.push_back(l);
    }
    return lines;
  }
  bool Done() const {
    for (const auto& f : feasible_)
      if (f.size() < 2) return false;
    return true;
  }
  void Search() {
    if (Done()) return;
    auto lines = Lines();
    // A line with one unknown left fixes it.
    for (const auto& line : lines) {
      int unknown = -1, n = 0;
      std::int64_t inner = 0;
      for (std::size_t j = 0; j + 1 < line.size(); ++j) {
        auto v = Get(line[j].first, line[j].second);
        if (v < 0) unknown = static_cast<int>(j), ++n;
        else inner += v;
      }
      auto total = Get(line.back().first, line.back().second);
      if (total < 0) unknown = static_cast<int>(line.size() - 1), ++n;
      if (n != 1) continue;
      std::int64_t need = unknown == static_cast<int>(line.size() - 1) ? inner : total - inner;
      for (std::size_t i = 0; i < hidden_.size(); ++i)
        if (hidden_[i] == line[static_cast<std::size_t>(unknown)]) {
          auto [lo, hi] = Range(i);
          if (need < lo || need > hi) return;
          value_[i] = need;
          Search();
          value_[i] = -1;
          return;
        }
    }
    // Branch on the first unknown.
    for (std::size_t i = 0; i < hidden_.size(); ++i) {
      if (value_[i] >= 0) continue;
      auto [lo, hi] = Range(i);
      for (auto v = lo; v <= hi && !Done(); ++v) {
        value_[i] = v;
        Search();
      }
      value_[i] = -1;
      return;
    }
    // Everything assigned: consistent?
    for (const auto& line : lines) {
      std::int64_t inner = 0;
      for (std::size_t j = 0; j + 1 < line.size(); ++j) inner += Get(line[j].first, line[j].second);
      if (inner != Get(line.back().first, line.back().second)) return;
    }
    for (std::size_t i = 0; i < hidden_.size(); ++i) feasible_[i].insert(value_[i]);
  }

  const Grid& g_;
  std::int64_t cap_;
  std::vector<std::pair<int, int>> hidden_;
  std::vector<std::int64_t> value_;
  std::vector<std::set<std::int64_t>> feasible_;
};

void ExpectNothingRecoverable(const Grid& g) {
  Attacker attacker(g, g.At(g.rows, g.cols).value + 10);
  auto recoverable = attacker.Recoverable();
  for (auto [r, c] : recoverable)
    ADD_FAILURE() << "cell (" << r << "," << c << ") = " << g.At(r, c).value << " is recoverable";
  for (int r = 0; r <= g.rows; ++r) {
    for (int c = 0; c <= g.cols; ++c) {
      if (g.At(r, c).Suppressed()) {
        EXPECT_TRUE(CellIsProtected(g, r, c, kT)) << r << "," << c;
      }
    }
  }
}

TEST(Suppression, PrimaryAloneLeaksAndSecondaryStopsIt) {
  // Persons by citizenship (rows) and sex (columns), with a 3 and a 2.
  Grid g = Make({{20, 3, 15}, {12, 25, 30}, {8, 14, 2}});
  // Hiding only the small cells: row 0 gives the 3 away by subtraction.
  Grid naive = g;
  naive.At(0, 1).state = CellState::kPrimary;
  naive.At(2, 2).state = CellState::kPrimary;
  Attacker a(naive, 200);
  auto leaked = a.Recoverable();
  ASSERT_EQ(leaked.size(), 2u);
  EXPECT_EQ(a.Feasible(0, 1), (std::set<std::int64_t>{3}));
  EXPECT_EQ(a.Feasible(2, 2), (std::set<std::int64_t>{2}));

  auto stats = SuppressGrid(g, kT);
  EXPECT_EQ(stats.primary, 2);
  EXPECT_GE(stats.secondary, 2);
  EXPECT_EQ(g.At(0, 1).state, CellState::kPrimary);
  EXPECT_EQ(g.At(2, 2).state, CellState::kPrimary);
  ExpectNothingRecoverable(g);
  // The middle row has no small cell and needs no cover; totals stay the sums.
  for (int c = 0; c <= g.cols; ++c) EXPECT_EQ(g.At(1, c).state, CellState::kShown) << c;
  EXPECT_EQ(g.At(3, 3).value, 129);
}

TEST(Suppression, TwoSmallCellsInALineAreNotEnough) {
  // Row 0 holds 1 and 1; with its total shown, "two hidden cells in the line"
  // still gives both away: two counts from 1 to 4 that add up to 2 are both 1.
  Grid g = Make({{1, 1, 30}, {10, 10, 40}, {20, 25, 35}});
  Grid naive = g;
  naive.At(0, 0).state = CellState::kPrimary;
  naive.At(0, 1).state = CellState::kPrimary;
  naive.At(1, 0).state = CellState::kSecondary;
  naive.At(1, 1).state = CellState::kSecondary;
  Attacker a(naive, 200);
  EXPECT_FALSE(a.Recoverable().empty()) << "the crafted table should leak under the simple rule";
  EXPECT_FALSE(CellIsProtected(naive, 0, 0, kT));

  SuppressGrid(g, kT);
  ExpectNothingRecoverable(g);
}

TEST(Suppression, SmallTotalsAreHiddenToo) {
  Grid g = Make({{2, 1}, {30, 40}});
  SuppressGrid(g, kT);
  EXPECT_TRUE(g.At(0, 2).Suppressed());  // the row total 3
  ExpectNothingRecoverable(g);
}

TEST(Suppression, NothingSmallNothingHidden) {
  Grid g = Make({{20, 30}, {0, 40}});
  auto stats = SuppressGrid(g, kT);
  EXPECT_EQ(stats.primary + stats.secondary, 0);
  for (const auto& c : g.cells) EXPECT_FALSE(c.Suppressed());
}

TEST(Suppression, ThresholdBelowTwoHidesNothing) {
  Grid g = Make({{1, 30}, {2, 40}});
  auto stats = SuppressGrid(g, 1);
  EXPECT_EQ(stats.primary + stats.secondary, 0);
}

TEST(Suppression, ZerosAreNeverHiddenAsCover) {
  Grid g = Make({{3, 0, 0}, {0, 0, 9}, {7, 0, 12}});
  SuppressGrid(g, kT);
  for (int r = 0; r <= g.rows; ++r) {
    for (int c = 0; c <= g.cols; ++c) {
      if (g.At(r, c).value == 0) {
        EXPECT_FALSE(g.At(r, c).Suppressed());
      }
    }
  }
  ExpectNothingRecoverable(g);
}

TEST(Suppression, RandomTablesNeverLeak) {
  std::mt19937 rng(20261128);
  std::uniform_int_distribution<int> shape(1, 3), value(0, 9);
  for (int round = 0; round < 150; ++round) {
    int rows = shape(rng), cols = shape(rng) + 1;
    std::vector<std::vector<std::int64_t>> inner(static_cast<std::size_t>(rows),
                                                  std::vector<std::int64_t>(static_cast<std::size_t>(cols)));
    for (auto& row : inner)
      for (auto& v : row) v = value(rng) < 4 ? value(rng) % 5 : value(rng) + 3;
    Grid g = Make(inner);
    SuppressGrid(g, kT);
    SCOPED_TRACE(round);
    ExpectNothingRecoverable(g);
  }
}

TEST(Suppression, CountsAcrossThreeDimensionsKeepEveryLineCovered) {
  // keys: (a, b, c) each 0..1; one small cell.
  std::vector<std::vector<int>> keys;
  std::vector<Cell> cells;
  std::int64_t v = 6;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b)
      for (int c = 0; c < 2; ++c) {
        keys.push_back({a, b, c});
        cells.push_back(Cell{(a + b + c == 0) ? 2 : v++, CellState::kShown});
      }
  Cell total{0, CellState::kShown};
  for (const auto& c : cells) total.value += c.value;
  auto stats = SuppressCounts(keys, cells, total, kT);
  EXPECT_EQ(stats.primary, 1);
  // Along every dimension, the line through the small cell has another hidden cell.
  for (int d = 0; d < 3; ++d) {
    int hidden = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      bool on_line = true;
      for (int e = 0; e < 3; ++e)
        if (e != d && keys[i][static_cast<std::size_t>(e)] != 0) on_line = false;
      if (on_line && cells[i].Suppressed()) ++hidden;
    }
    EXPECT_GE(hidden, 2) << "dimension " << d;
  }
}

}  // namespace
}  // namespace haven::report
