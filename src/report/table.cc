#include "report/table.h"

namespace haven::report {

void Grid::ComputeMargins() {
  for (int r = 0; r <= rows; ++r) At(r, cols).value = 0;
  for (int c = 0; c <= cols; ++c) At(rows, c).value = 0;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      auto v = At(r, c).value;
      At(r, cols).value += v;
      At(rows, c).value += v;
      At(rows, cols).value += v;
    }
}

std::string CellText(const Cell& c, int threshold) {
  switch (c.state) {
    case CellState::kShown: return std::to_string(c.value);
    case CellState::kPrimary: return "<" + std::to_string(threshold);
    case CellState::kSecondary: return "x";
  }
  return "x";
}

}  // namespace haven::report
