#include "report/writers.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <cmath>

#include <fmt/format.h>

namespace haven::report {
namespace {

using Json = nlohmann::json;

Json CellJson(const Cell& c, int threshold) {
  if (c.state == CellState::kShown) return c.value;
  return CellText(c, threshold);
}

Json LinkageJson(const LinkageInfo& l) {
  Json j = {{"applied", l.applied}};
  j["at"] = l.at ? Json(FormatTimestamp(*l.at)) : Json(nullptr);
  j["threshold"] = l.at ? Json(l.threshold) : Json(nullptr);
  return j;
}

Json SuppressionJson(const SuppressionSummary& s, bool dp) {
  Json j = {{"threshold", s.threshold}, {"primary", s.primary}, {"secondary", s.secondary}};
  if (s.threshold >= 2)
    j["legend"] = {{"<" + std::to_string(s.threshold),
                    fmt::format("a count from 1 to {}", s.threshold - 1)},
                   {"x", dp ? "not used" : "a larger count hidden to protect a small one"}};
  return j;
}

Json DpJson(const std::optional<DpInfo>& dp) {
  if (!dp) return nullptr;
  return {{"mechanism", dp->mechanism},
          {"epsilon", dp->epsilon},
          {"delta", dp->delta},
          {"epsilon_per_table", dp->epsilon_per_table},
          {"epsilon_spent_before", dp->epsilon_spent_before},
          {"unit", "person"}};
}

std::string MetaCsvRows(const Report& r) {
  std::string out;
  auto row = [&](std::string_view key, std::string_view value) {
    out += fmt::format("about,{},,{}\n", key, CsvField(value));
  };
  row("report", r.name);
  row("title", r.title);
  row("year", r.year ? std::to_string(*r.year) : "");
  row("generated_at", FormatTimestamp(r.generated_at));
  row("unit", r.unit);
  row("linkage_applied", r.linkage.applied ? "yes" : "no");
  row("suppression_threshold", std::to_string(r.suppression.threshold));
  if (r.dp) {
    row("dp_mechanism", r.dp->mechanism);
    row("dp_epsilon", fmt::format("{}", r.dp->epsilon));
    if (r.dp->delta > 0) row("dp_delta", fmt::format("{}", r.dp->delta));
  }
  for (const auto& n : r.notes) row("note", n);
  return out;
}

// A worksheet name: at most 31 characters, none of []:*?/\ , unique in the book.
std::string SheetName(std::string name, std::set<std::string>& used) {
  for (char& c : name)
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
  if (name.size() > 31) name.resize(31);
  std::string candidate = name;
  for (int i = 2; used.count(candidate); ++i) {
    std::string suffix = "_" + std::to_string(i);
    candidate = name.substr(0, 31 - suffix.size()) + suffix;
  }
  used.insert(candidate);
  return candidate;
}

}  // namespace

std::string CsvField(std::string_view value, char separator) {
  if (value.find_first_of(std::string("\"\r\n") + separator) == std::string_view::npos)
    return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

Result<Format> ParseFormat(std::string_view text, std::string_view field, bool allow_xlsx) {
  if (text == "json") return Format::kJson;
  if (text == "csv") return Format::kCsv;
  if (text == "xlsx" && allow_xlsx) return Format::kXlsx;
  return Invalid(std::string(field), allow_xlsx ? "must be json, csv or xlsx" : "must be json or csv");
}

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kJson: return "json";
    case Format::kCsv: return "csv";
    case Format::kXlsx: return "xlsx";
  }
  return "json";
}

std::string_view ContentType(Format f) {
  switch (f) {
    case Format::kJson: return "application/json; charset=utf-8";
    case Format::kCsv: return "text/csv; charset=utf-8";
    case Format::kXlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return "application/octet-stream";
}

Json ReportToJson(const Report& r) {
  const int t = r.suppression.threshold;
  Json tables = Json::array();
  for (const auto& table : r.tables) {
    const Grid& g = table.grid;
    Json rows = Json::array();
    for (int i = 0; i < g.rows; ++i) {
      Json values = Json::array();
      for (int c = 0; c < g.cols; ++c) values.push_back(CellJson(g.At(i, c), t));
      rows.push_back({{"label", table.row_labels[static_cast<std::size_t>(i)]},
                      {"values", values},
                      {"total", CellJson(g.At(i, g.cols), t)}});
    }
    Json totals = Json::array();
    for (int c = 0; c < g.cols; ++c) totals.push_back(CellJson(g.At(g.rows, c), t));
    tables.push_back({{"id", table.id},
                      {"title", table.title},
                      {"row_dimension", table.row_dimension},
                      {"column_dimension", table.column_dimension.empty()
                                               ? Json(nullptr)
                                               : Json(table.column_dimension)},
                      {"columns", table.column_labels},
                      {"rows", rows},
                      {"totals", {{"values", totals}, {"total", CellJson(g.At(g.rows, g.cols), t)}}},
                      {"notes", table.notes}});
  }
  return {{"report", r.name},
          {"title", r.title},
          {"description", r.description},
          {"year", r.year ? Json(*r.year) : Json(nullptr)},
          {"generated_at", FormatTimestamp(r.generated_at)},
          {"unit", r.unit},
          {"linkage", LinkageJson(r.linkage)},
          {"suppression", SuppressionJson(r.suppression, r.dp.has_value())},
          {"differential_privacy", DpJson(r.dp)},
          {"tables", tables},
          {"notes", r.notes}};
}

std::string ReportToCsv(const Report& r) {
  const int t = r.suppression.threshold;
  std::string out = "table,row,column,value\n";
  out += MetaCsvRows(r);
  for (const auto& table : r.tables) {
    const Grid& g = table.grid;
    auto emit = [&](std::string_view row, std::string_view col, const Cell& cell) {
      out += fmt::format("{},{},{},{}\n", CsvField(table.id), CsvField(row), CsvField(col),
                         CellText(cell, t, table.decimals));
    };
    for (int i = 0; i <= g.rows; ++i)
      for (int c = 0; c <= g.cols; ++c) {
        // A one-column table's row totals repeat its cells.
        if (c == g.cols && g.cols == 1 && i < g.rows) continue;
        const std::string row =
            i == g.rows ? std::string("total") : table.row_labels[static_cast<std::size_t>(i)];
        const std::string col =
            c == g.cols ? std::string("total") : table.column_labels[static_cast<std::size_t>(c)];
        emit(row, col, g.At(i, c));
      }
  }
  return out;
}

Result<std::string> ReportToXlsx(const Report& r) {
  const int t = r.suppression.threshold;
  std::string path = (std::filesystem::temp_directory_path() / "haven-report-XXXXXX").string();
  int fd = mkstemp(path.data());
  if (fd < 0) return Internal("cannot create a temporary file for the spreadsheet");
  ::close(fd);
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) {
    ::unlink(path.c_str());
    return Internal("cannot start a spreadsheet");
  }
  lxw_format* bold = workbook_add_format(wb);
  // Money in major units, with two decimals (the currencies of allowances have two).
  lxw_format* money = workbook_add_format(wb);
  format_set_num_format(money, "0.00");
  format_set_bold(bold);
  std::set<std::string> used;

  lxw_worksheet* about = workbook_add_worksheet(wb, SheetName("About", used).c_str());
  worksheet_set_column(about, 0, 0, 24, nullptr);
  worksheet_set_column(about, 1, 1, 90, nullptr);
  int row = 0;
  auto meta = [&](const std::string& key, const std::string& value) {
    worksheet_write_string(about, static_cast<lxw_row_t>(row), 0, key.c_str(), bold);
    worksheet_write_string(about, static_cast<lxw_row_t>(row), 1, value.c_str(), nullptr);
    ++row;
  };
  meta("Report", r.title);
  meta("Name", r.name);
  meta("Year", r.year ? std::to_string(*r.year) : "");
  meta("Generated", FormatTimestamp(r.generated_at));
  meta("Unit", r.unit);
  meta("Linkage applied", r.linkage.applied ? "yes" : "no");
  meta("Suppression threshold", std::to_string(t));
  if (r.dp) {
    meta("Noise", fmt::format("{} mechanism, epsilon {}", r.dp->mechanism, r.dp->epsilon));
  }
  for (const auto& n : r.notes) meta("Note", n);

  for (const auto& table : r.tables) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName(table.id, used).c_str());
    worksheet_set_column(ws, 0, 0, 28, nullptr);
    const Grid& g = table.grid;
    worksheet_write_string(ws, 0, 0, table.title.c_str(), bold);
    lxw_row_t header = 2;
    worksheet_write_string(ws, header, 0, table.row_dimension.c_str(), bold);
    for (int c = 0; c < g.cols; ++c)
      worksheet_write_string(ws, header, static_cast<lxw_col_t>(c + 1),
                             table.column_labels[static_cast<std::size_t>(c)].c_str(), bold);
    worksheet_write_string(ws, header, static_cast<lxw_col_t>(g.cols + 1), "total", bold);
    auto write = [&](lxw_row_t rr, lxw_col_t cc, const Cell& cell) {
      if (cell.state == CellState::kShown && table.decimals > 0)
        worksheet_write_number(ws, rr, cc,
                               static_cast<double>(cell.value) / std::pow(10.0, table.decimals),
                               money);
      else if (cell.state == CellState::kShown)
        worksheet_write_number(ws, rr, cc, static_cast<double>(cell.value), nullptr);
      else
        worksheet_write_string(ws, rr, cc, CellText(cell, t).c_str(), nullptr);
    };
    for (int i = 0; i <= g.rows; ++i) {
      auto rr = static_cast<lxw_row_t>(header + 1 + i);
      const std::string label =
          i == g.rows ? std::string("total") : table.row_labels[static_cast<std::size_t>(i)];
      worksheet_write_string(ws, rr, 0, label.c_str(), i == g.rows ? bold : nullptr);
      for (int c = 0; c <= g.cols; ++c) write(rr, static_cast<lxw_col_t>(c + 1), g.At(i, c));
    }
    auto rr = static_cast<lxw_row_t>(header + g.rows + 3);
    for (const auto& n : table.notes) worksheet_write_string(ws, rr++, 0, n.c_str(), nullptr);
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    ::unlink(path.c_str());
    return Internal(fmt::format("cannot write the spreadsheet: {}", lxw_strerror(err)));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  ::unlink(path.c_str());
  if (!in) return Internal("cannot read back the spreadsheet");
  return buf.str();
}

Result<std::string> RenderReport(const Report& r, Format f) {
  switch (f) {
    case Format::kJson: return ReportToJson(r).dump(2) + "\n";
    case Format::kCsv: return ReportToCsv(r);
    case Format::kXlsx: return ReportToXlsx(r);
  }
  return Internal("unknown format");
}

Json CountsToJson(const CountTable& t) {
  const int th = t.suppression.threshold;
  Json rows = Json::array();
  for (const auto& row : t.rows) {
    Json j = Json::object();
    for (std::size_t i = 0; i < t.dimensions.size(); ++i) {
      if (t.dimensions[i] == "year") j[t.dimensions[i]] = std::stoi(row.keys[i]);
      else j[t.dimensions[i]] = row.keys[i];
    }
    j["count"] = CellJson(row.cell, th);
    rows.push_back(std::move(j));
  }
  return {{"dimensions", t.dimensions},
          {"year", t.year ? Json(*t.year) : Json(nullptr)},
          {"generated_at", FormatTimestamp(t.generated_at)},
          {"unit", "persons"},
          {"linkage", LinkageJson(t.linkage)},
          {"suppression", SuppressionJson(t.suppression, t.dp.has_value())},
          {"differential_privacy", DpJson(t.dp)},
          {"rows", rows},
          {"total", CellJson(t.total, th)},
          {"notes", t.notes}};
}

std::string CountsToCsv(const CountTable& t) {
  std::string out;
  for (const auto& d : t.dimensions) out += d + ",";
  out += "count\n";
  for (const auto& row : t.rows) {
    for (const auto& k : row.keys) out += CsvField(k) + ",";
    out += CellText(row.cell, t.suppression.threshold) + "\n";
  }
  return out;
}

Result<std::string> RenderCounts(const CountTable& t, Format f) {
  switch (f) {
    case Format::kJson: return CountsToJson(t).dump(2) + "\n";
    case Format::kCsv: return CountsToCsv(t);
    case Format::kXlsx: break;
  }
  return Invalid("format", "must be json or csv");
}

}  // namespace haven::report
