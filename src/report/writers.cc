#include "report/writers.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "domain/vocabulary.h"
#include "report/pdf_writer.h"
#include "report/text_writer.h"

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

Json SuppressionJson(const SuppressionSummary& s, bool dp, Language lang) {
  Json j = {{"threshold", s.threshold}, {"primary", s.primary}, {"secondary", s.secondary}};
  if (s.threshold >= 2) {
    j["legend"] = {{"<" + std::to_string(s.threshold), HiddenSmallText(s.threshold, lang)}};
    // A noisy release hides small noisy counts only: nothing is hidden to protect another.
    if (!dp) j["legend"]["x"] = Text(Phrase::kHiddenSecondary, lang);
  }
  return j;
}

Json DpJson(const std::optional<DpInfo>& dp) {
  if (!dp) return nullptr;
  return {
      {"mechanism", dp->mechanism},
      {"epsilon", dp->epsilon},
      {"delta", dp->delta},
      {"epsilon_per_table", dp->epsilon_per_table},
      {"epsilon_spent_before", dp->epsilon_spent_before},
      {"repeated", dp->repeated},
      {"released_at", dp->released_at ? Json(FormatTimestamp(*dp->released_at)) : Json(nullptr)},
      {"unit", "person"}};
}

std::string ColumnDimension(const Table& t) {
  return t.column_dimension.empty() ? std::string("count") : t.column_dimension;
}

std::string RowLabel(const Table& t, int r, Language lang) {
  return ValueLabel(t.row_dimension, t.row_labels[static_cast<std::size_t>(r)], lang);
}

std::string ColumnLabel(const Table& t, int c, Language lang) {
  return ValueLabel(ColumnDimension(t), t.column_labels[static_cast<std::size_t>(c)], lang);
}

std::string Joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

std::vector<std::string> SourceLabels(const std::vector<std::string>& sources, Language lang) {
  std::vector<std::string> out;
  for (const auto& s : sources) out.push_back(SourceLabel(s, lang));
  return out;
}

std::string LanguageName(Language lang) {
  const auto* v = domain::FindVocabulary("languages");
  if (v)
    for (const auto& t : v->terms)
      if (t.code == LanguageCode(lang)) return std::string(t.Label(lang));
  return std::string(LanguageCode(lang));
}

std::string MetaCsvRows(const Report& r, Language lang) {
  std::string out;
  auto row = [&](std::string_view key, std::string_view value, Phrase label) {
    out += fmt::format("about,{},,{},{},\n", key, CsvField(value), CsvField(Text(label, lang)));
  };
  row("report", r.name, Phrase::kName);
  row("title", ReportTitle(r.name, lang, r.title), Phrase::kReport);
  row("year", r.year ? std::to_string(*r.year) : "", Phrase::kYear);
  row("generated_at", FormatTimestamp(r.generated_at), Phrase::kGenerated);
  row("unit", r.unit, Phrase::kUnit);
  row("language", LanguageCode(lang), Phrase::kLanguage);
  row("sources", Joined(r.sources, ";"), Phrase::kSources);
  row("linkage_applied", r.linkage.applied ? "yes" : "no", Phrase::kLinkageApplied);
  row("suppression_threshold", std::to_string(r.suppression.threshold),
      Phrase::kSuppressionThreshold);
  if (r.dp) {
    row("dp_mechanism", r.dp->mechanism, Phrase::kDifferentialPrivacy);
    row("dp_epsilon", fmt::format("{}", r.dp->epsilon), Phrase::kDifferentialPrivacy);
    if (r.dp->delta > 0)
      row("dp_delta", fmt::format("{}", r.dp->delta), Phrase::kDifferentialPrivacy);
  }
  for (const auto& n : r.notes) row("note", NoteText(n, lang), Phrase::kNotes);
  return out;
}

// ---- XLSX ------------------------------------------------------------------------------
//
// Conventions of the workbook:
//  - An About sheet first: the title, the description, the year (a number), when the
//    report was generated (an Excel date-time, UTC), unit, sources, linkage, the
//    suppression threshold (a number) and legend, noise, language and the notes.
//  - One sheet per table, named by the table's short title in the language (at most 31
//    characters, none of []:*?/\, unique). Row 1 the title; row 3 the header (the row
//    dimension, the column labels, "Total" where the table publishes row totals); then a
//    row per label and the "Total" row where the table publishes column totals. The
//    header row and the label column are frozen.
//  - Shown counts are numbers ("#,##0"); money in major units ("#,##0.00").
//  - A hidden cell is EMPTY (no text among the numbers) and grey: light grey for a small
//    count ("<5"), darker grey for a count hidden to protect one ("x"). The column
//    "Hidden cells" right of the table names them in each row that has any, e.g.
//    "<5: Female, Male; x: Total", so that the flag does not rest on colour alone.
//  - Under the table: the legend (both styles, with their symbols and meaning, and that
//    an empty grey cell is not a zero), then the table's notes.

// A worksheet name: at most 31 characters, none of []:*?/\ , unique in the book
// (Excel compares names without case).
std::string SheetName(const std::string& wanted, std::set<std::string>& used) {
  std::string name;
  for (char c : wanted)
    name += std::string_view("[]:*?/\\").find(c) != std::string_view::npos ? ' ' : c;
  while (!name.empty() && (name.front() == '\'' || name.front() == ' ')) name.erase(0, 1);
  while (!name.empty() && (name.back() == '\'' || name.back() == ' ')) name.pop_back();
  if (name.empty()) name = "Sheet";
  // Cuts at a character boundary, keeping at most `n` characters.
  auto cut = [](const std::string& s, std::size_t n) {
    std::size_t chars = 0, i = 0;
    while (i < s.size()) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
        if (chars == n) break;
        ++chars;
      }
      ++i;
    }
    std::string out = s.substr(0, i);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  };
  auto folded = [](std::string s) {
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  };
  std::string candidate = cut(name, 31);
  for (int i = 2; used.count(folded(candidate)); ++i) {
    std::string suffix = fmt::format(" ({})", i);
    candidate = cut(name, 31 - suffix.size()) + suffix;
  }
  used.insert(folded(candidate));
  return candidate;
}

lxw_datetime ExcelDateTime(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(t - day);
  return lxw_datetime{static_cast<int>(ymd.year()),
                      static_cast<int>(static_cast<unsigned>(ymd.month())),
                      static_cast<int>(static_cast<unsigned>(ymd.day())),
                      static_cast<int>(hms.hours().count()),
                      static_cast<int>(hms.minutes().count()),
                      static_cast<double>(hms.seconds().count())};
}

double Width(std::string_view text, double min, double max) {
  return std::clamp(static_cast<double>(DisplayWidth(text)) + 2, min, max);
}

class XlsxBook {
 public:
  XlsxBook(lxw_workbook* wb, const Report& r, Language lang) : wb_(wb), r_(r), lang_(lang) {
    title_ = Format();
    format_set_bold(title_);
    format_set_font_size(title_, 14);
    bold_ = Format();
    format_set_bold(bold_);
    wrap_ = Format();
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
    header_ = Format();
    format_set_bold(header_);
    format_set_text_wrap(header_);
    format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(header_, LXW_BORDER_THIN);
    header_number_ = Format();
    format_set_bold(header_number_);
    format_set_text_wrap(header_number_);
    format_set_align(header_number_, LXW_ALIGN_RIGHT);
    format_set_align(header_number_, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(header_number_, LXW_BORDER_THIN);
    total_label_ = Format();
    format_set_bold(total_label_);
    format_set_top(total_label_, LXW_BORDER_THIN);
    year_ = Format();
    format_set_num_format(year_, "0");
    format_set_align(year_, LXW_ALIGN_LEFT);
    date_ = Format();
    format_set_num_format(date_, "yyyy-mm-dd hh:mm");
    format_set_align(date_, LXW_ALIGN_LEFT);
    for (bool total : {false, true}) {
      lxw_format* primary = Format();
      format_set_pattern(primary, LXW_PATTERN_SOLID);
      format_set_bg_color(primary, 0xD9D9D9);
      lxw_format* secondary = Format();
      format_set_pattern(secondary, LXW_PATTERN_SOLID);
      format_set_bg_color(secondary, 0xA6A6A6);
      for (lxw_format* f : {primary, secondary}) {
        format_set_align(f, LXW_ALIGN_CENTER);
        if (total) format_set_top(f, LXW_BORDER_THIN);
      }
      hidden_[total][0] = primary;
      hidden_[total][1] = secondary;
    }
  }

  void About() {
    std::set<std::string>& used = used_;
    lxw_worksheet* ws = workbook_add_worksheet(
        wb_, SheetName(std::string(Text(Phrase::kAbout, lang_)), used).c_str());
    worksheet_set_column(ws, 0, 0, 30, nullptr);
    worksheet_set_column(ws, 1, 1, 100, wrap_);
    lxw_row_t row = 0;
    worksheet_write_string(ws, row++, 0, ReportTitle(r_.name, lang_, r_.title).c_str(), title_);
    const std::string description = ReportDescription(r_.name, lang_, r_.description);
    if (!description.empty()) worksheet_write_string(ws, row++, 0, description.c_str(), nullptr);
    ++row;
    auto key = [&](Phrase p) {
      worksheet_write_string(ws, row, 0, std::string(Text(p, lang_)).c_str(), bold_);
    };
    auto text = [&](Phrase p, const std::string& value) {
      key(p);
      worksheet_write_string(ws, row++, 1, value.c_str(), wrap_);
    };
    text(Phrase::kName, r_.name);
    if (r_.year) {
      key(Phrase::kYear);
      worksheet_write_number(ws, row++, 1, *r_.year, year_);
    }
    key(Phrase::kGenerated);
    lxw_datetime generated = ExcelDateTime(r_.generated_at);
    worksheet_write_datetime(ws, row, 1, &generated, date_);
    worksheet_write_string(ws, row++, 2, std::string(Text(Phrase::kUtc, lang_)).c_str(), nullptr);
    text(Phrase::kUnit, UnitLabel(r_.unit, lang_));
    text(Phrase::kSources, Joined(SourceLabels(r_.sources, lang_), "; "));
    text(Phrase::kLinkageApplied,
         std::string(Text(r_.linkage.applied ? Phrase::kYes : Phrase::kNo, lang_)));
    if (r_.linkage.at) {
      key(Phrase::kLinkageAt);
      lxw_datetime at = ExcelDateTime(*r_.linkage.at);
      worksheet_write_datetime(ws, row, 1, &at, date_);
      worksheet_write_string(ws, row++, 2, std::string(Text(Phrase::kUtc, lang_)).c_str(), nullptr);
    }
    key(Phrase::kSuppressionThreshold);
    worksheet_write_number(ws, row++, 1, r_.suppression.threshold, year_);
    text(Phrase::kLegend, SuppressionLegend(r_.suppression.threshold, r_.dp.has_value(), lang_));
    if (r_.dp) text(Phrase::kDifferentialPrivacy, DpText(*r_.dp, lang_));
    text(Phrase::kLanguage, LanguageName(lang_));
    bool first = true;
    for (const auto& n : r_.notes) {
      if (first) key(Phrase::kNotes);
      first = false;
      worksheet_write_string(ws, row++, 1, NoteText(n, lang_).c_str(), wrap_);
    }
  }

  void Sheet(const Table& t) {
    const Grid& g = t.grid;
    const Margins m = PublishedMargins(t, true);
    const int threshold = r_.suppression.threshold;
    lxw_worksheet* ws =
        workbook_add_worksheet(wb_, SheetName(TableShortTitle(t, lang_), used_).c_str());
    worksheet_write_string(ws, 0, 0, TableTitle(t, lang_).c_str(), title_);
    const lxw_row_t header = 2;
    const std::string row_dimension = DimensionLabel(t.row_dimension, lang_);
    worksheet_write_string(ws, header, 0, row_dimension.c_str(), header_);
    double label_width = Width(row_dimension, 12, 60);

    // The columns shown: the table's, then its total.
    std::vector<int> cols;
    std::vector<std::string> col_text;
    for (int c = 0; c < g.cols; ++c) {
      cols.push_back(c);
      col_text.push_back(ColumnLabel(t, c, lang_));
    }
    if (m.total_column && g.cols > 0) {
      cols.push_back(g.cols);
      col_text.emplace_back(Text(Phrase::kTotal, lang_));
    }
    std::vector<int> rows;
    for (int i = 0; i < g.rows; ++i) rows.push_back(i);
    if (m.total_row && g.cols > 0) rows.push_back(g.rows);
    auto shown = [&](int i, int c) {
      if (i == g.rows && c == g.cols) return m.corner;
      return true;
    };

    bool any_hidden = false;
    for (int i : rows)
      for (int c : cols)
        if (shown(i, c) && g.At(i, c).Suppressed()) any_hidden = true;

    std::vector<double> widths;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      worksheet_write_string(ws, header, static_cast<lxw_col_t>(k + 1), col_text[k].c_str(),
                             header_number_);
      widths.push_back(Width(col_text[k], 10, 22));
    }
    const auto flag_col = static_cast<lxw_col_t>(cols.size() + 1);
    double flag_width = 0;
    if (any_hidden) {
      const std::string_view name = Text(Phrase::kHiddenCells, lang_);
      worksheet_write_string(ws, header, flag_col, std::string(name).c_str(), header_);
      flag_width = Width(name, 14, 80);
    }

    lxw_format* number = NumberFormat(t.decimals, false);
    lxw_format* number_total = NumberFormat(t.decimals, true);
    lxw_row_t rr = header + 1;
    for (int i : rows) {
      const bool total = i == g.rows;
      const std::string label =
          total ? std::string(Text(Phrase::kTotal, lang_)) : RowLabel(t, i, lang_);
      worksheet_write_string(ws, rr, 0, label.c_str(), total ? total_label_ : nullptr);
      label_width = std::max(label_width, Width(label, 12, 60));
      std::vector<std::string> primary, secondary;
      for (std::size_t k = 0; k < cols.size(); ++k) {
        const int c = cols[k];
        const auto cc = static_cast<lxw_col_t>(k + 1);
        if (!shown(i, c)) {
          if (total) worksheet_write_blank(ws, rr, cc, total_label_);
          continue;
        }
        const Cell& cell = g.At(i, c);
        if (cell.Suppressed()) {
          const int kind = cell.state == CellState::kPrimary ? 0 : 1;
          worksheet_write_blank(ws, rr, cc, hidden_[total][kind]);
          (kind == 0 ? primary : secondary).push_back(col_text[k]);
          continue;
        }
        const double value = static_cast<double>(cell.value) / std::pow(10.0, t.decimals);
        worksheet_write_number(ws, rr, cc, value, total ? number_total : number);
        widths[k] =
            std::max(widths[k], Width(FormatNumber(cell.value, t.decimals, Language::kEn), 10, 22));
      }
      if (!primary.empty() || !secondary.empty()) {
        const bool name_columns = cols.size() > 1;
        std::vector<std::string> parts;
        if (!primary.empty())
          parts.push_back(
              fmt::format("<{}{}", threshold, name_columns ? ": " + Joined(primary, ", ") : ""));
        if (!secondary.empty())
          parts.push_back(fmt::format("x{}", name_columns ? ": " + Joined(secondary, ", ") : ""));
        const std::string flag = Joined(parts, "; ");
        worksheet_write_string(ws, rr, flag_col, flag.c_str(), nullptr);
        flag_width = std::max(flag_width, Width(flag, 14, 80));
      }
      ++rr;
    }
    if (rows.empty() || cols.empty())
      worksheet_write_string(ws, rr++, 0, std::string(Text(Phrase::kNoData, lang_)).c_str(),
                             nullptr);

    worksheet_set_column(ws, 0, 0, label_width, nullptr);
    for (std::size_t k = 0; k < cols.size(); ++k)
      worksheet_set_column(ws, static_cast<lxw_col_t>(k + 1), static_cast<lxw_col_t>(k + 1),
                           widths[k], nullptr);
    if (any_hidden) worksheet_set_column(ws, flag_col, flag_col, flag_width, nullptr);
    worksheet_freeze_panes(ws, header + 1, 1);

    // The legend and the notes, under the table.
    ++rr;
    if (threshold >= 2 || any_hidden) {
      worksheet_write_string(ws, rr++, 0, std::string(Text(Phrase::kLegend, lang_)).c_str(), bold_);
      worksheet_write_string(ws, rr, 0, fmt::format("<{}", threshold).c_str(), hidden_[0][0]);
      worksheet_write_string(ws, rr++, 1, HiddenSmallText(threshold, lang_).c_str(), nullptr);
      if (!r_.dp) {
        worksheet_write_string(ws, rr, 0, "x", hidden_[0][1]);
        worksheet_write_string(ws, rr++, 1,
                               std::string(Text(Phrase::kHiddenSecondary, lang_)).c_str(), nullptr);
      }
      worksheet_write_string(
          ws, rr++, 0, std::string(Text(Phrase::kHiddenEmptyNotZero, lang_)).c_str(), nullptr);
      ++rr;
    }
    if (!t.notes.empty()) {
      worksheet_write_string(ws, rr++, 0, std::string(Text(Phrase::kNotes, lang_)).c_str(), bold_);
      for (const auto& n : t.notes)
        worksheet_write_string(ws, rr++, 0, NoteText(n, lang_).c_str(), nullptr);
    }
  }

 private:
  lxw_format* Format() { return workbook_add_format(wb_); }

  lxw_format* NumberFormat(int decimals, bool total) {
    auto& slot = numbers_[{decimals, total}];
    if (!slot) {
      slot = Format();
      const std::string pattern =
          decimals > 0 ? "#,##0." + std::string(static_cast<std::size_t>(decimals), '0') : "#,##0";
      format_set_num_format(slot, pattern.c_str());
      if (total) {
        format_set_bold(slot);
        format_set_top(slot, LXW_BORDER_THIN);
      }
    }
    return slot;
  }

  lxw_workbook* wb_;
  const Report& r_;
  const Language lang_;
  std::set<std::string> used_;
  std::map<std::pair<int, bool>, lxw_format*> numbers_;
  lxw_format* title_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* wrap_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* header_number_ = nullptr;
  lxw_format* total_label_ = nullptr;
  lxw_format* year_ = nullptr;
  lxw_format* date_ = nullptr;
  lxw_format* hidden_[2][2] = {};  // [total row][primary, secondary]
};

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

Result<Format> ParseFormat(std::string_view text, std::string_view field, bool allow_documents) {
  if (text == "json") return Format::kJson;
  if (text == "csv") return Format::kCsv;
  if (text == "text") return Format::kText;
  if (text == "xlsx" && allow_documents) return Format::kXlsx;
  if (text == "pdf" && allow_documents) return Format::kPdf;
  return Invalid(std::string(field), allow_documents ? "must be json, csv, xlsx, pdf or text"
                                                     : "must be json, csv or text");
}

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kJson: return "json";
    case Format::kCsv: return "csv";
    case Format::kXlsx: return "xlsx";
    case Format::kPdf: return "pdf";
    case Format::kText: return "text";
  }
  return "json";
}

std::string_view FileExtension(Format f) {
  return f == Format::kText ? std::string_view("txt") : FormatName(f);
}

std::string_view ContentType(Format f) {
  switch (f) {
    case Format::kJson: return "application/json; charset=utf-8";
    case Format::kCsv: return "text/csv; charset=utf-8";
    case Format::kXlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case Format::kPdf: return "application/pdf";
    case Format::kText: return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

Margins PublishedMargins(const Table& t, bool for_people) {
  const Grid& g = t.grid;
  Margins m;
  m.total_row = t.column_totals;
  m.total_column = t.row_totals;
  // The grand total adds up the total row (or column): it is published when that one is
  // and the other way of adding it would agree.
  m.corner = (t.column_totals && t.row_totals) || (t.column_totals && g.cols == 1) ||
             (t.row_totals && g.rows == 1);
  if (for_people && g.cols == 1) m.total_column = false;
  return m;
}

Json ReportToJson(const Report& r, Language lang) {
  const int t = r.suppression.threshold;
  Json tables = Json::array();
  for (const auto& table : r.tables) {
    const Grid& g = table.grid;
    const Margins m = PublishedMargins(table, false);
    Json rows = Json::array();
    for (int i = 0; i < g.rows; ++i) {
      Json values = Json::array();
      for (int c = 0; c < g.cols; ++c) values.push_back(CellJson(g.At(i, c), t));
      rows.push_back({{"label", table.row_labels[static_cast<std::size_t>(i)]},
                      {"label_text", RowLabel(table, i, lang)},
                      {"values", values},
                      {"total", m.total_column ? CellJson(g.At(i, g.cols), t) : Json(nullptr)}});
    }
    Json totals = Json::array();
    for (int c = 0; c < g.cols; ++c)
      totals.push_back(m.total_row ? CellJson(g.At(g.rows, c), t) : Json(nullptr));
    Json column_labels = Json::array();
    for (int c = 0; c < g.cols; ++c) column_labels.push_back(ColumnLabel(table, c, lang));
    Json notes = Json::array();
    for (const auto& n : table.notes) notes.push_back(NoteText(n, lang));
    tables.push_back(
        {{"id", table.id},
         {"title", TableTitle(table, lang)},
         {"row_dimension", table.row_dimension},
         {"row_dimension_label", DimensionLabel(table.row_dimension, lang)},
         {"column_dimension",
          table.column_dimension.empty() ? Json(nullptr) : Json(table.column_dimension)},
         {"column_dimension_label", table.column_dimension.empty()
                                        ? Json(nullptr)
                                        : Json(DimensionLabel(table.column_dimension, lang))},
         {"columns", table.column_labels},
         {"column_labels", column_labels},
         {"rows", rows},
         {"totals",
          {{"values", totals},
           {"total", m.corner ? CellJson(g.At(g.rows, g.cols), t) : Json(nullptr)}}},
         {"column_totals", m.total_row},
         {"row_totals", m.total_column},
         {"decimals", table.decimals},
         {"notes", notes}});
  }
  Json notes = Json::array();
  for (const auto& n : r.notes) notes.push_back(NoteText(n, lang));
  return {{"report", r.name},
          {"title", ReportTitle(r.name, lang, r.title)},
          {"description", ReportDescription(r.name, lang, r.description)},
          {"language", LanguageCode(lang)},
          {"year", r.year ? Json(*r.year) : Json(nullptr)},
          {"generated_at", FormatTimestamp(r.generated_at)},
          {"unit", r.unit},
          {"unit_label", UnitLabel(r.unit, lang)},
          {"sources", r.sources},
          {"source_labels", SourceLabels(r.sources, lang)},
          {"linkage", LinkageJson(r.linkage)},
          {"suppression", SuppressionJson(r.suppression, r.dp.has_value(), lang)},
          {"differential_privacy", DpJson(r.dp)},
          {"tables", tables},
          {"notes", notes}};
}

std::string ReportToCsv(const Report& r, Language lang) {
  const int t = r.suppression.threshold;
  std::string out = "table,row,column,value,row_label,column_label\n";
  out += MetaCsvRows(r, lang);
  const std::string total_text(Text(Phrase::kTotal, lang));
  for (const auto& table : r.tables) {
    const Grid& g = table.grid;
    const Margins m = PublishedMargins(table, false);
    for (int i = 0; i <= g.rows; ++i)
      for (int c = 0; c <= g.cols; ++c) {
        const bool total_row = i == g.rows, total_col = c == g.cols;
        if ((total_row && total_col) ? !m.corner
            : total_row              ? !m.total_row
                                     : (total_col && !m.total_column))
          continue;
        // A one-column table's row totals repeat its cells.
        if (total_col && g.cols == 1 && !total_row) continue;
        const std::string row =
            total_row ? std::string("total") : table.row_labels[static_cast<std::size_t>(i)];
        const std::string col =
            total_col ? std::string("total") : table.column_labels[static_cast<std::size_t>(c)];
        out += fmt::format("{},{},{},{},{},{}\n", CsvField(table.id), CsvField(row), CsvField(col),
                           CellText(g.At(i, c), t, table.decimals),
                           CsvField(total_row ? total_text : RowLabel(table, i, lang)),
                           CsvField(total_col ? total_text : ColumnLabel(table, c, lang)));
      }
  }
  return out;
}

Result<std::string> ReportToXlsx(const Report& r, Language lang) {
  std::string path = (std::filesystem::temp_directory_path() / "haven-report-XXXXXX").string();
  int fd = mkstemp(path.data());
  if (fd < 0) return Internal("cannot create a temporary file for the spreadsheet");
  ::close(fd);
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) {
    ::unlink(path.c_str());
    return Internal("cannot start a spreadsheet");
  }
  const std::string title = ReportTitle(r.name, lang, r.title);
  lxw_doc_properties properties{};
  properties.title = const_cast<char*>(title.c_str());
  properties.author = const_cast<char*>("Haven");
  // The report's own time, so that the same report gives the same file.
  properties.created = static_cast<time_t>(r.generated_at.time_since_epoch().count());
  workbook_set_properties(wb, &properties);
  {
    XlsxBook book(wb, r, lang);
    book.About();
    for (const auto& table : r.tables) book.Sheet(table);
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

Result<std::string> RenderReport(const Report& r, Format f, Language lang) {
  switch (f) {
    case Format::kJson: return ReportToJson(r, lang).dump(2) + "\n";
    case Format::kCsv: return ReportToCsv(r, lang);
    case Format::kXlsx: return ReportToXlsx(r, lang);
    case Format::kPdf: return ReportToPdf(r, lang);
    case Format::kText: return ReportToText(r, lang);
  }
  return Internal("unknown format");
}

Json CountsToJson(const CountTable& t) {
  const int th = t.suppression.threshold;
  Json rows = Json::array();
  for (const auto& row : t.rows) {
    Json j = Json::object();
    for (std::size_t i = 0; i < t.dimensions.size(); ++i) {
      if (t.dimensions[i] == "year")
        j[t.dimensions[i]] = std::stoi(row.keys[i]);
      else
        j[t.dimensions[i]] = row.keys[i];
    }
    j["count"] = CellJson(row.cell, th);
    rows.push_back(std::move(j));
  }
  return {{"dimensions", t.dimensions},
          {"year", t.year ? Json(*t.year) : Json(nullptr)},
          {"generated_at", FormatTimestamp(t.generated_at)},
          {"unit", "persons"},
          {"sources", t.sources},
          {"linkage", LinkageJson(t.linkage)},
          {"suppression", SuppressionJson(t.suppression, t.dp.has_value(), Language::kEn)},
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

Result<std::string> RenderCounts(const CountTable& t, Format f, Language lang) {
  switch (f) {
    case Format::kJson: return CountsToJson(t).dump(2) + "\n";
    case Format::kCsv: return CountsToCsv(t);
    case Format::kText: return CountsToText(t, lang);
    case Format::kXlsx:
    case Format::kPdf: break;
  }
  return Invalid("format", "must be json, csv or text");
}

}  // namespace haven::report
