#include "report/text_writer.h"

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <vector>

#include "report/writers.h"

namespace haven::report {
namespace {

// A table of text: a header, rows, and a rule above the rows from `total_from` on.
struct TextGrid {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right;  // per column: right-aligned (numbers)
  std::size_t total_from = static_cast<std::size_t>(-1);
};

std::string Pad(const std::string& s, std::size_t width, bool right) {
  const std::size_t w = DisplayWidth(s);
  const std::string fill(width > w ? width - w : 0, ' ');
  return right ? fill + s : s + fill;
}

// Every line the same display width: each column padded to its widest cell.
std::string Render(const TextGrid& g) {
  const std::size_t n = g.header.size();
  std::vector<std::size_t> width(n, 0);
  for (std::size_t c = 0; c < n; ++c) width[c] = DisplayWidth(g.header[c]);
  for (const auto& row : g.rows)
    for (std::size_t c = 0; c < n && c < row.size(); ++c)
      width[c] = std::max(width[c], DisplayWidth(row[c]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < n; ++c) {
      if (c) out += "  ";
      out += Pad(c < cells.size() ? cells[c] : std::string(), width[c], g.right[c]);
    }
    return out + "\n";
  };
  auto rule = [&] {
    std::string out;
    for (std::size_t c = 0; c < n; ++c) {
      if (c) out += "  ";
      out += std::string(width[c], '-');
    }
    return out + "\n";
  };
  std::string out = line(g.header) + rule();
  for (std::size_t i = 0; i < g.rows.size(); ++i) {
    if (i == g.total_from) out += rule();
    out += line(g.rows[i]);
  }
  return out;
}

std::string CellString(const Cell& c, int threshold, int decimals, Language lang) {
  if (c.Suppressed()) return CellText(c, threshold);
  return FormatNumber(c.value, decimals, lang);
}

void Line(std::string& out, Phrase key, const std::string& value, Language lang) {
  out += fmt::format("{}: {}\n", Text(key, lang), value);
}

void Meta(std::string& out, std::optional<int> year, Timestamp generated,
          const std::vector<std::string>& sources, const LinkageInfo& linkage,
          const SuppressionSummary& suppression, const std::optional<DpInfo>& dp, Language lang) {
  if (year) Line(out, Phrase::kYear, std::to_string(*year), lang);
  Line(out, Phrase::kGenerated, FormatDateTime(generated, lang), lang);
  std::string s;
  for (const auto& source : sources) s += (s.empty() ? "" : "; ") + SourceLabel(source, lang);
  Line(out, Phrase::kSources, s, lang);
  Line(out, Phrase::kLinkageApplied,
       std::string(Text(linkage.applied ? Phrase::kYes : Phrase::kNo, lang)), lang);
  Line(out, Phrase::kLegend, SuppressionLegend(suppression.threshold, dp.has_value(), lang), lang);
  if (dp) Line(out, Phrase::kDifferentialPrivacy, DpText(*dp, lang), lang);
}

void Notes(std::string& out, const std::vector<std::string>& notes, Language lang) {
  if (notes.empty()) return;
  out += fmt::format("{}:\n", Text(Phrase::kNotes, lang));
  for (const auto& n : notes) out += "  - " + NoteText(n, lang) + "\n";
}

}  // namespace

std::size_t DisplayWidth(std::string_view utf8) {
  std::size_t width = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {  // a byte that is not UTF-8: one column, as a terminal shows '?'
      ++width;
      continue;
    }
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) continue;
    const auto category = static_cast<UCharCategory>(u_charType(c));
    if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK || category == U_FORMAT_CHAR)
      continue;
    const auto east_asian = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    width += east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
  }
  return width;
}

std::string ReportToText(const Report& r, Language lang) {
  const int threshold = r.suppression.threshold;
  std::string out = ReportTitle(r.name, lang, r.title) + "\n";
  const std::string description = ReportDescription(r.name, lang, r.description);
  if (!description.empty()) out += description + "\n";
  out += "\n";
  Line(out, Phrase::kUnit, UnitLabel(r.unit, lang), lang);
  Meta(out, r.year, r.generated_at, r.sources, r.linkage, r.suppression, r.dp, lang);
  const std::string total(Text(Phrase::kTotal, lang));
  for (const auto& t : r.tables) {
    const Grid& g = t.grid;
    const Margins m = PublishedMargins(t, true);
    out += "\n" + TableTitle(t, lang) + "\n\n";
    if (g.rows == 0 || g.cols == 0) {
      out += std::string(Text(Phrase::kNoData, lang)) + "\n";
    } else {
      TextGrid grid;
      grid.header.push_back(DimensionLabel(t.row_dimension, lang));
      grid.right.push_back(false);
      for (int c = 0; c < g.cols; ++c) {
        grid.header.push_back(ValueLabel(t.column_dimension.empty() ? "count" : t.column_dimension,
                                         t.column_labels[static_cast<std::size_t>(c)], lang));
        grid.right.push_back(true);
      }
      if (m.total_column) {
        grid.header.push_back(total);
        grid.right.push_back(true);
      }
      for (int i = 0; i <= g.rows; ++i) {
        if (i == g.rows && !m.total_row) break;
        if (i == g.rows) grid.total_from = grid.rows.size();
        std::vector<std::string> row;
        row.push_back(i == g.rows ? total
                                  : ValueLabel(t.row_dimension,
                                               t.row_labels[static_cast<std::size_t>(i)], lang));
        for (int c = 0; c < g.cols; ++c)
          row.push_back(CellString(g.At(i, c), threshold, t.decimals, lang));
        if (m.total_column)
          row.push_back(i == g.rows && !m.corner
                            ? std::string()
                            : CellString(g.At(i, g.cols), threshold, t.decimals, lang));
        grid.rows.push_back(std::move(row));
      }
      out += Render(grid);
    }
    if (!t.notes.empty()) out += "\n";
    Notes(out, t.notes, lang);
  }
  if (!r.notes.empty()) out += "\n";
  Notes(out, r.notes, lang);
  return out;
}

std::string CountsToText(const CountTable& t, Language lang) {
  std::string out;
  Line(out, Phrase::kUnit, UnitLabel("persons", lang), lang);
  Meta(out, t.year, t.generated_at, t.sources, t.linkage, t.suppression, t.dp, lang);
  out += "\n";
  const int threshold = t.suppression.threshold;
  TextGrid grid;
  for (const auto& d : t.dimensions) {
    grid.header.push_back(DimensionLabel(d, lang));
    grid.right.push_back(false);
  }
  grid.header.push_back(DimensionLabel("count", lang));
  grid.right.push_back(true);
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < t.dimensions.size() && i < row.keys.size(); ++i)
      cells.push_back(ValueLabel(t.dimensions[i], row.keys[i], lang));
    while (cells.size() < t.dimensions.size()) cells.emplace_back();
    cells.push_back(CellString(row.cell, threshold, 0, lang));
    grid.rows.push_back(std::move(cells));
  }
  grid.total_from = grid.rows.size();
  std::vector<std::string> total(t.dimensions.size());
  if (!total.empty()) total[0] = std::string(Text(Phrase::kTotal, lang));
  total.push_back(CellString(t.total, threshold, 0, lang));
  grid.rows.push_back(std::move(total));
  out += Render(grid);
  if (!t.notes.empty()) out += "\n";
  Notes(out, t.notes, lang);
  return out;
}

}  // namespace haven::report
