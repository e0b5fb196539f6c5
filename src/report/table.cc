#include "report/table.h"

#include <fmt/format.h>

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

std::string CellText(const Cell& c, int threshold, int decimals) {
  if (c.state != CellState::kShown || decimals <= 0) return CellText(c, threshold);
  std::int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const std::int64_t major = c.value / scale, rest = c.value % scale;
  return fmt::format("{}{}.{:0{}}", c.value < 0 && major == 0 ? "-" : "", major,
                     rest < 0 ? -rest : rest, decimals);
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
