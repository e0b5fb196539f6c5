// Writing reports: the same cells published in every format, totals only where the
// table's flags allow, labels in the language asked for; the workbook read back as
// Excel would (numbers are numbers, hidden cells empty and styled, panes frozen), the
// PDF read back with poppler's pdftotext, the text's columns aligned.

#include "report/writers.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "domain/vocabulary.h"
#include "report/pdf_writer.h"
#include "report/text_writer.h"

namespace haven::report {
namespace {

constexpr Language kLanguages[] = {Language::kAz, Language::kEn, Language::kRu};

Timestamp Generated() {
  return std::chrono::sys_days(std::chrono::year(2026) / 11 / 28) + std::chrono::hours(12) +
         std::chrono::minutes(30);
}

Table Make(std::string id, std::string title, std::string rows, std::string cols,
           std::vector<std::string> row_labels, std::vector<std::string> col_labels,
           std::vector<std::vector<std::int64_t>> values) {
  Table t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.row_dimension = std::move(rows);
  t.column_dimension = std::move(cols);
  t.row_labels = std::move(row_labels);
  t.column_labels =
      t.column_dimension.empty() ? std::vector<std::string>{"count"} : std::move(col_labels);
  t.grid = Grid(static_cast<int>(t.row_labels.size()), static_cast<int>(t.column_labels.size()));
  for (std::size_t r = 0; r < values.size(); ++r)
    for (std::size_t c = 0; c < values[r].size(); ++c)
      t.grid.At(static_cast<int>(r), static_cast<int>(c)).value = values[r][c];
  t.grid.ComputeMargins();
  return t;
}

// Four tables: a two-way one with hidden cells (small, protecting, and a hidden total),
// a one-column one whose rows count unlike things (no total row), one whose columns do
// (no total column), and money in minor units.
Report Sample() {
  Report r;
  r.name = "annual";
  r.title = "National annual statistics";
  r.description =
      "Persons identified in the year by age, sex, form of exploitation, citizenship, "
      "internal or transnational trafficking, identifying body and status.";
  r.year = 2025;
  r.generated_at = Generated();
  r.sources = {"haven", "ctdc"};
  r.linkage.applied = true;
  r.suppression = {5, 1, 3};
  r.notes = {"Linkage was applied: a person registered by several organisations is counted once."};

  Table a =
      Make("by_age_group_and_sex", "Persons identified, by age group and sex", "age_group", "sex",
           {"18-20", "21-23", "unknown"}, {"female", "male"}, {{12, 3}, {1500, 8}, {0, 20}});
  a.grid.At(0, 1).state = CellState::kPrimary;    // 3
  a.grid.At(1, 1).state = CellState::kSecondary;  // 8
  a.grid.At(0, 2).state = CellState::kSecondary;  // the row total 15 would give the 3 away
  a.notes = {
      "A person exploited in several forms is counted under each; the totals of the "
      "columns count mentions, not persons."};
  r.tables.push_back(a);

  Table shelter = Make("shelter_use", "Shelter stays and bed-days", "measure", "",
                       {"stays_started", "cases_sheltered", "bed_days"}, {}, {{14}, {11}, {420}});
  shelter.column_totals = false;
  r.tables.push_back(shelter);

  Table grounds =
      Make("referrals_by_ground", "Referrals and transfers sent, by their ground", "receiver_kind",
           "ground", {"ngo", "police"}, {"consent", "override"}, {{30, 6}, {12, 7}});
  grounds.row_totals = false;
  r.tables.push_back(grounds);

  Table money = Make("allowance_amounts", "Allowances paid by month", "month", "currency",
                     {"2025-01", "2025-02"}, {"AZN"}, {{30000}, {4505050}});
  money.decimals = 2;
  r.tables.push_back(money);
  return r;
}

// ---- reading a workbook back, as Excel would -------------------------------------------

struct XlsxCell {
  std::string type;                  // "s" shared string, "" or "n" number, …
  std::optional<std::string> value;  // the text of a string, the number of a number
  int style = 0;
};

struct XlsxSheet {
  std::string name;
  std::map<std::string, XlsxCell> cells;  // by reference: "B4"
  std::optional<std::string> frozen_at;   // the top-left cell of the frozen pane
};

struct XlsxBook {
  std::vector<XlsxSheet> sheets;
  std::vector<std::string> num_formats;  // per cell style: its number format code
  std::vector<bool> filled;              // per cell style: a fill other than none
};

std::string Part(zip_t* zip, const std::string& name) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip, name.c_str(), 0, &st) != 0) return {};
  zip_file_t* f = zip_fopen(zip, name.c_str(), 0);
  if (!f) return {};
  std::string out(st.size, '\0');
  zip_fread(f, out.data(), out.size());
  zip_fclose(f);
  return out;
}

XlsxBook ReadBook(const std::string& bytes) {
  XlsxBook book;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (!zip) {
    zip_source_free(source);
    ADD_FAILURE() << "not a zip archive";
    return book;
  }
  auto load = [&](const std::string& name, pugi::xml_document& doc) {
    const std::string text = Part(zip, name);
    EXPECT_TRUE(
        doc.load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata))
        << name;
  };
  std::vector<std::string> strings;
  pugi::xml_document shared;
  load("xl/sharedStrings.xml", shared);
  for (auto si : shared.child("sst").children("si")) {
    std::string s;
    for (auto t : si.select_nodes(".//t")) s += t.node().text().get();
    strings.push_back(s);
  }
  pugi::xml_document styles;
  load("xl/styles.xml", styles);
  std::map<int, std::string> codes = {{0, "General"}, {1, "0"}, {3, "#,##0"}, {4, "#,##0.00"}};
  for (auto f : styles.child("styleSheet").child("numFmts").children("numFmt"))
    codes[f.attribute("numFmtId").as_int()] = f.attribute("formatCode").value();
  for (auto xf : styles.child("styleSheet").child("cellXfs").children("xf")) {
    book.num_formats.push_back(codes[xf.attribute("numFmtId").as_int()]);
    book.filled.push_back(xf.attribute("fillId").as_int() > 1);
  }
  pugi::xml_document workbook;
  load("xl/workbook.xml", workbook);
  int index = 1;
  for (auto s : workbook.child("workbook").child("sheets").children("sheet")) {
    XlsxSheet sheet;
    sheet.name = s.attribute("name").value();
    pugi::xml_document ws;
    load(fmt::format("xl/worksheets/sheet{}.xml", index++), ws);
    auto root = ws.child("worksheet");
    auto pane = root.child("sheetViews").child("sheetView").child("pane");
    if (pane && std::string(pane.attribute("state").value()) == "frozen")
      sheet.frozen_at = pane.attribute("topLeftCell").value();
    for (auto row : root.child("sheetData").children("row"))
      for (auto c : row.children("c")) {
        XlsxCell cell;
        cell.type = c.attribute("t").value();
        cell.style = c.attribute("s").as_int();
        if (auto v = c.child("v")) {
          cell.value = v.text().get();
          if (cell.type == "s")
            cell.value = strings.at(static_cast<std::size_t>(std::stoi(*cell.value)));
        }
        sheet.cells[c.attribute("r").value()] = cell;
      }
    book.sheets.push_back(std::move(sheet));
  }
  zip_close(zip);
  return book;
}

bool IsNumber(const XlsxCell& c) {
  return (c.type.empty() || c.type == "n") && c.value.has_value();
}

std::string Ref(int col, int row) {  // 0-based column, 1-based row: "B4"
  return fmt::format("{}{}", static_cast<char>('A' + col), row);
}

// ---- the workbook ----------------------------------------------------------------------

TEST(XlsxWriter, NumbersAreNumbersAndHiddenCellsAreEmpty) {
  const Report r = Sample();
  for (auto lang : kLanguages) {
    SCOPED_TRACE(LanguageCode(lang));
    auto bytes = ReportToXlsx(r, lang);
    ASSERT_TRUE(bytes) << bytes.error().message;
    XlsxBook book = ReadBook(*bytes);
    ASSERT_EQ(book.sheets.size(), 1 + r.tables.size());

    // Sheet names: About, then the tables' short titles in the language.
    EXPECT_EQ(book.sheets[0].name, Text(Phrase::kAbout, lang));
    for (std::size_t i = 0; i < r.tables.size(); ++i)
      EXPECT_EQ(book.sheets[i + 1].name, TableShortTitle(r.tables[i], lang));

    // Table a: title, header, labels; counts numeric with a number format; hidden empty.
    const XlsxSheet& a = book.sheets[1];
    EXPECT_EQ(a.cells.at("A1").value, TableTitle(r.tables[0], lang));
    EXPECT_EQ(a.cells.at("A3").value, DimensionLabel("age_group", lang));
    EXPECT_EQ(a.cells.at("B3").value, ValueLabel("sex", "female", lang));
    EXPECT_EQ(a.cells.at("D3").value, Text(Phrase::kTotal, lang));
    EXPECT_EQ(a.cells.at("E3").value, Text(Phrase::kHiddenCells, lang));
    EXPECT_EQ(a.cells.at("A6").value, ValueLabel("age_group", "unknown", lang));
    ASSERT_TRUE(IsNumber(a.cells.at("B4")));
    EXPECT_EQ(a.cells.at("B4").value, "12");
    EXPECT_EQ(book.num_formats.at(static_cast<std::size_t>(a.cells.at("B4").style)), "#,##0");
    EXPECT_EQ(a.cells.at("B5").value, "1500");
    for (const char* hidden : {"C4", "C5", "D4"}) {
      ASSERT_TRUE(a.cells.count(hidden)) << hidden;
      EXPECT_FALSE(a.cells.at(hidden).value.has_value()) << hidden << " holds a value";
      EXPECT_TRUE(book.filled.at(static_cast<std::size_t>(a.cells.at(hidden).style))) << hidden;
    }
    // Distinct styles for a small count and for one hidden to protect it.
    EXPECT_NE(a.cells.at("C4").style, a.cells.at("C5").style);
    EXPECT_EQ(a.cells.at("E4").value, fmt::format("<5: {}; x: {}", ValueLabel("sex", "male", lang),
                                                  Text(Phrase::kTotal, lang)));
    EXPECT_EQ(a.cells.at("E5").value, fmt::format("x: {}", ValueLabel("sex", "male", lang)));
    EXPECT_FALSE(a.cells.count("E6"));  // nothing hidden in the row: no flag
    // The total row: labelled, numbers, the grand total.
    EXPECT_EQ(a.cells.at("A7").value, Text(Phrase::kTotal, lang));
    EXPECT_EQ(a.cells.at("B7").value, "1512");
    EXPECT_EQ(a.cells.at("D7").value, "1543");
    EXPECT_EQ(a.frozen_at, "B4");
    // The legend under the table.
    bool legend = false;
    for (const auto& [ref, cell] : a.cells) legend |= cell.value == Text(Phrase::kLegend, lang);
    EXPECT_TRUE(legend);

    // shelter_use: no total row (column_totals false), no total column (one column).
    const XlsxSheet& shelter = book.sheets[2];
    for (const auto& [ref, cell] : shelter.cells)
      EXPECT_NE(cell.value, Text(Phrase::kTotal, lang)) << ref;
    EXPECT_EQ(shelter.cells.at("B6").value, "420");
    EXPECT_FALSE(shelter.cells.count("C3"));
    EXPECT_EQ(shelter.frozen_at, "B4");

    // referrals_by_ground: a total row, but no total column (row_totals false).
    const XlsxSheet& grounds = book.sheets[3];
    EXPECT_FALSE(grounds.cells.count("D3"));
    EXPECT_EQ(grounds.cells.at("A6").value, Text(Phrase::kTotal, lang));
    EXPECT_EQ(grounds.cells.at("B6").value, "42");

    // Money in major units with two decimals.
    const XlsxSheet& money = book.sheets[4];
    ASSERT_TRUE(IsNumber(money.cells.at("B5")));
    EXPECT_DOUBLE_EQ(std::stod(*money.cells.at("B5").value), 45050.50);
    EXPECT_EQ(book.num_formats.at(static_cast<std::size_t>(money.cells.at("B5").style)),
              "#,##0.00");
    EXPECT_EQ(money.cells.at("A4").value, ValueLabel("month", "2025-01", lang));

    // About: the year a number, the time of generation an Excel date.
    const XlsxSheet& about = book.sheets[0];
    std::optional<XlsxCell> year, generated;
    for (int row = 1; row < 30; ++row) {
      auto key = about.cells.find(Ref(0, row));
      if (key == about.cells.end()) continue;
      if (key->second.value == Text(Phrase::kYear, lang)) year = about.cells.at(Ref(1, row));
      if (key->second.value == Text(Phrase::kGenerated, lang))
        generated = about.cells.at(Ref(1, row));
    }
    ASSERT_TRUE(year && generated);
    ASSERT_TRUE(IsNumber(*year));
    EXPECT_EQ(year->value, "2025");
    ASSERT_TRUE(IsNumber(*generated));
    const double serial =
        static_cast<double>((std::chrono::sys_days(std::chrono::year(2026) / 11 / 28) -
                             std::chrono::sys_days(std::chrono::year(1899) / 12 / 30))
                                .count()) +
        12.5 / 24;
    EXPECT_NEAR(std::stod(*generated->value), serial, 1e-6);
    EXPECT_NE(book.num_formats.at(static_cast<std::size_t>(generated->style)).find("yyyy"),
              std::string::npos);
    EXPECT_EQ(about.cells.at("A1").value, ReportTitle("annual", lang));
  }
}

TEST(XlsxWriter, SheetNamesAreShortUniqueAndWithoutForbiddenCharacters) {
  Report r = Sample();
  Table odd = r.tables[0];
  odd.id = "a_table_no_one_has_named";
  odd.title = "What [people] ask: numbers/with*every?forbidden\\character, and a long title";
  r.tables.push_back(odd);
  r.tables.push_back(odd);
  auto bytes = ReportToXlsx(r, Language::kEn);
  ASSERT_TRUE(bytes) << bytes.error().message;
  XlsxBook book = ReadBook(*bytes);
  std::set<std::string> names;
  for (const auto& s : book.sheets) {
    EXPECT_LE(s.name.size(), 31u) << s.name;
    EXPECT_EQ(s.name.find_first_of("[]:*?/\\"), std::string::npos) << s.name;
    names.insert(s.name);
  }
  EXPECT_EQ(names.size(), book.sheets.size());
}

// ---- the PDF ---------------------------------------------------------------------------

struct Run {
  int status = -1;
  std::string out;
};

Run Shell(const std::string& command) {
  Run r;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  r.status = ::pclose(p);
  return r;
}

class PdfFile {
 public:
  explicit PdfFile(const std::string& bytes)
      : path_(std::filesystem::temp_directory_path() /
              fmt::format("haven-writers-{}-{}.pdf", ::getpid(), counter_++)) {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~PdfFile() { std::filesystem::remove(path_); }
  std::string Text() const {
    return Shell("pdftotext -layout -enc UTF-8 " + path_.string() + " - 2>/dev/null").out;
  }
  std::string Info() const {
    return Shell("pdfinfo -f 1 -l 999 " + path_.string() + " 2>/dev/null").out;
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

bool HavePoppler() {
  return Shell("command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null && echo y").out ==
         "y\n";
}

// A no-break space as a plain one: what pdftotext writes for it varies.
std::string Spaces(std::string s) {
  for (std::size_t pos; (pos = s.find("\u00a0")) != std::string::npos;) s.replace(pos, 2, " ");
  return s;
}

int Pages(const std::string& info) {
  auto pos = info.find("Pages:");
  return pos == std::string::npos ? 0 : std::stoi(info.substr(pos + 6));
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(PdfWriter, APrintableDocumentInEachLanguage) {
  const Report r = Sample();
  for (auto lang : kLanguages) {
    SCOPED_TRACE(LanguageCode(lang));
    auto pdf = ReportToPdf(r, lang);
    ASSERT_TRUE(pdf) << pdf.error().message;
    EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
    EXPECT_GT(pdf->size(), 5000u);
    auto again = RenderReport(r, Format::kPdf, lang);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *pdf) << "the same report gives the same document";
    if (!HavePoppler()) {
      std::cerr << "pdftotext not installed: the PDF's text is not checked\n";
      continue;
    }
    PdfFile file(*pdf);
    const std::string info = file.Info();
    const int pages = Pages(info);
    EXPECT_GT(pages, 0) << info;
    const std::string text = Spaces(file.Text());
    EXPECT_NE(text.find(ReportTitle("annual", lang)), std::string::npos) << text;
    EXPECT_NE(text.find(TableTitle(r.tables[0], lang)), std::string::npos) << text;
    EXPECT_NE(text.find(ValueLabel("measure", "bed_days", lang)), std::string::npos) << text;
    EXPECT_NE(text.find(ValueLabel("receiver_kind", "police", lang)), std::string::npos) << text;
    EXPECT_NE(text.find(Spaces(FormatNumber(1500, 0, lang))), std::string::npos) << text;
    EXPECT_NE(text.find(Spaces(FormatNumber(4505050, 2, lang))), std::string::npos) << text;
    EXPECT_NE(text.find("<5"), std::string::npos);
    EXPECT_TRUE(std::regex_search(text, std::regex(fmt::format("\\b1 ?/ ?{}\\b", pages)))) << text;
    EXPECT_NE(text.find(HiddenSmallText(5, lang)), std::string::npos) << text;
    const std::string note = NoteText(r.notes[0], lang);
    EXPECT_NE(text.find(note.substr(0, note.find(':'))), std::string::npos) << text;
  }
  if (HavePoppler()) {
    PdfFile file(*ReportToPdf(r, Language::kRu));
    const std::string text = file.Text();
    EXPECT_NE(text.find("Национальная годовая статистика"), std::string::npos) << text;
    EXPECT_NE(text.find("Койко-дни"), std::string::npos) << text;
    PdfFile az(*ReportToPdf(r, Language::kAz));
    EXPECT_NE(az.Text().find("Çarpayı-günlər"), std::string::npos);
  }
}

TEST(PdfWriter, LongTablesBreakAcrossPagesAndWideOnesTurnTheSheet) {
  Report r = Sample();
  r.tables.clear();
  std::vector<std::string> countries;
  std::vector<std::vector<std::int64_t>> values;
  for (const auto& t : domain::CountryTerms()) {
    countries.emplace_back(t.code);
    values.push_back({1000, 2000});
  }
  r.tables.push_back(Make("victims_by_nationality", "Identified victims by nationality",
                          "citizenship", "sex", countries, {"female", "male"}, values));
  std::vector<std::string> months;
  for (int m = 1; m <= 12; ++m) months.push_back(fmt::format("2025-{:02d}", m));
  Table wide = Make("wide", "Twelve columns", "sex", "month", {"female", "male"}, months,
                    {std::vector<std::int64_t>(12, 123456), std::vector<std::int64_t>(12, 654321)});
  r.tables.push_back(wide);
  auto pdf = ReportToPdf(r, Language::kRu);
  ASSERT_TRUE(pdf) << pdf.error().message;
  if (!HavePoppler()) GTEST_SKIP() << "pdftotext not installed";
  PdfFile file(*pdf);
  const std::string info = file.Info();
  const int pages = Pages(info);
  EXPECT_GE(pages, 4) << info;
  // The header row again on every page of the long table.
  const std::string text = file.Text();
  EXPECT_GE(Count(text, DimensionLabel("citizenship", Language::kRu)), 3u) << text;
  EXPECT_GE(Count(text, std::string(Text(Phrase::kContinued, Language::kRu))), 2u);
  EXPECT_TRUE(std::regex_search(text, std::regex(fmt::format("\\b{0} ?/ ?{0}\\b", pages))));
  // Portrait for the long one, landscape for the wide one.
  EXPECT_TRUE(std::regex_search(info, std::regex("Page +1 size: +595.276 x 841.89"))) << info;
  EXPECT_TRUE(
      std::regex_search(info, std::regex(fmt::format("Page +{} size: +841.89 x 595.276", pages))))
      << info;
}

// ---- plain text ------------------------------------------------------------------------

// The lines of the table under `title`: from its header to the next empty line.
std::vector<std::string> TableLines(const std::string& text, const std::string& title) {
  std::vector<std::string> lines, out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != title) continue;
    for (std::size_t j = i + 2; j < lines.size() && !lines[j].empty(); ++j) out.push_back(lines[j]);
    break;
  }
  return out;
}

TEST(TextWriter, ColumnsAlignAndTotalsFollowTheFlags) {
  const Report r = Sample();
  for (auto lang : kLanguages) {
    SCOPED_TRACE(LanguageCode(lang));
    const std::string text = ReportToText(r, lang);
    EXPECT_EQ(*RenderReport(r, Format::kText, lang), text);
    EXPECT_EQ(text.substr(0, ReportTitle("annual", lang).size()), ReportTitle("annual", lang));
    EXPECT_NE(text.find(SuppressionLegend(5, false, lang)), std::string::npos);
    const std::string total(Text(Phrase::kTotal, lang));
    for (const auto& t : r.tables) {
      SCOPED_TRACE(t.id);
      auto lines = TableLines(text, TableTitle(t, lang));
      ASSERT_GE(lines.size(), 3u) << text;
      for (const auto& line : lines)
        EXPECT_EQ(DisplayWidth(line), DisplayWidth(lines[0])) << "\n" << line;
      EXPECT_EQ(lines[0].substr(0, DimensionLabel(t.row_dimension, lang).size()),
                DimensionLabel(t.row_dimension, lang));
      const bool total_row = lines.back().starts_with(total);
      EXPECT_EQ(total_row, t.column_totals);
      const bool total_column = lines[0].ends_with(total);
      EXPECT_EQ(total_column, t.row_totals && t.grid.cols > 1);
    }
    auto a = TableLines(text, TableTitle(r.tables[0], lang));
    EXPECT_TRUE(a[2].ends_with("x")) << a[2];  // the hidden row total
    EXPECT_NE(a[2].find("<5"), std::string::npos) << a[2];
    EXPECT_NE(a[3].find(FormatNumber(1500, 0, lang)), std::string::npos) << a[3];
  }
}

TEST(TextWriter, DisplayWidthCountsWhatATerminalShows) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("Qadın"), 5u);
  EXPECT_EQ(DisplayWidth("Çarpayı-günlər"), 14u);
  EXPECT_EQ(DisplayWidth("Пол"), 3u);
  EXPECT_EQ(DisplayWidth("e\u0301"), 1u);  // a combining accent takes no column
  EXPECT_EQ(DisplayWidth("中文"), 4u);
  EXPECT_EQ(DisplayWidth("1\u00a0234"), 5u);
}

TEST(TextWriter, CountsAsAnAlignedTable) {
  CountTable t;
  t.dimensions = {"year", "sex"};
  t.year = 2025;
  t.generated_at = Generated();
  t.suppression = {5, 1, 1};
  t.rows = {{{"2025", "female"}, {120, CellState::kShown}},
            {{"2025", "male"}, {3, CellState::kPrimary}},
            {{"2025", "unknown"}, {9, CellState::kSecondary}}};
  t.total = {132, CellState::kShown};
  for (auto lang : kLanguages) {
    auto text = RenderCounts(t, Format::kText, lang);
    ASSERT_TRUE(text) << text.error().message;
    std::istringstream in(*text);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    auto header = std::find_if(lines.begin(), lines.end(), [&](const std::string& l) {
      return l.starts_with(DimensionLabel("year", lang) + " ");
    });
    ASSERT_NE(header, lines.end()) << *text;
    std::vector<std::string> table(header, std::find(header, lines.end(), std::string()));
    ASSERT_EQ(table.size(), 7u) << *text;  // header, rule, 3 rows, rule, total
    for (const auto& l : table) EXPECT_EQ(DisplayWidth(l), DisplayWidth(table[0])) << l;
    EXPECT_NE(table[2].find(ValueLabel("sex", "female", lang)), std::string::npos);
    EXPECT_TRUE(table[3].ends_with("<5"));
    EXPECT_TRUE(table[4].ends_with("x"));
    EXPECT_TRUE(table[6].starts_with(std::string(Text(Phrase::kTotal, lang))));
  }
  EXPECT_FALSE(RenderCounts(t, Format::kPdf));
  EXPECT_FALSE(RenderCounts(t, Format::kXlsx));
}

// ---- JSON and CSV ----------------------------------------------------------------------

TEST(JsonWriter, CodesStayAndLabelsComeBeside) {
  const Report r = Sample();
  auto en = ReportToJson(r);
  auto ru = ReportToJson(r, Language::kRu);
  for (const char* key : {"report", "title", "description", "year", "generated_at", "unit",
                          "linkage", "suppression", "differential_privacy", "tables", "notes",
                          "language", "sources", "source_labels", "unit_label"})
    EXPECT_TRUE(ru.contains(key)) << key;
  EXPECT_EQ(en["title"], "National annual statistics");
  EXPECT_EQ(ru["title"], "Национальная годовая статистика");
  EXPECT_EQ(ru["language"], "ru");
  EXPECT_EQ(ru["sources"], nlohmann::json({"haven", "ctdc"}));
  EXPECT_EQ(ru["suppression"]["legend"]["<5"], "число от 1 до 4, скрыто");
  const auto& a = ru["tables"][0];
  for (const char* key : {"id", "title", "row_dimension", "column_dimension", "columns", "rows",
                          "totals", "notes", "row_dimension_label", "column_dimension_label",
                          "column_labels", "column_totals", "row_totals"})
    EXPECT_TRUE(a.contains(key)) << key;
  EXPECT_EQ(a["columns"], nlohmann::json({"female", "male"}));
  EXPECT_EQ(a["column_labels"], nlohmann::json({"Женский", "Мужской"}));
  EXPECT_EQ(a["row_dimension_label"], "Возрастная группа");
  EXPECT_EQ(a["rows"][2]["label"], "unknown");
  EXPECT_EQ(a["rows"][2]["label_text"], "Неизвестно");
  EXPECT_EQ(a["rows"][0]["values"], nlohmann::json({12, "<5"}));
  EXPECT_EQ(a["rows"][0]["total"], "x");
  EXPECT_EQ(a["totals"]["total"], 1543);
  // shelter_use: no total row; referrals_by_ground: no total column.
  const auto& shelter = ru["tables"][1];
  EXPECT_EQ(shelter["column_totals"], false);
  EXPECT_EQ(shelter["totals"]["values"], nlohmann::json({nullptr}));
  EXPECT_TRUE(shelter["totals"]["total"].is_null());
  EXPECT_TRUE(shelter["column_dimension"].is_null());
  EXPECT_EQ(shelter["rows"][2]["label_text"], "Койко-дни");
  const auto& grounds = ru["tables"][2];
  EXPECT_EQ(grounds["row_totals"], false);
  EXPECT_TRUE(grounds["rows"][0]["total"].is_null());
  EXPECT_TRUE(grounds["totals"]["total"].is_null());
  EXPECT_EQ(grounds["totals"]["values"], nlohmann::json({42, 13}));
  // Money stays in minor units.
  EXPECT_EQ(ru["tables"][3]["rows"][1]["values"][0], 4505050);
}

TEST(CsvWriter, LabelsAtTheEndAndTotalsOnlyWhereTheyAdd) {
  const Report r = Sample();
  const std::string csv = ReportToCsv(r, Language::kAz);
  EXPECT_TRUE(csv.starts_with("table,row,column,value,row_label,column_label\n")) << csv;
  EXPECT_NE(csv.find("about,language,,az,Dil,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("about,sources,,haven;ctdc,Mənbələr,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("about,linkage_applied,,yes,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("by_age_group_and_sex,18-20,female,12,18-20,Qadın\n"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("by_age_group_and_sex,18-20,male,<5,18-20,Kişi\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("by_age_group_and_sex,total,total,1543,Cəmi,Cəmi\n"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("shelter_use,bed_days,count,420,Çarpayı-günlər,Say\n"), std::string::npos)
      << csv;
  EXPECT_EQ(csv.find("shelter_use,total"), std::string::npos) << csv;
  EXPECT_NE(csv.find("referrals_by_ground,total,consent,42,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("referrals_by_ground,ngo,total"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("referrals_by_ground,total,total"), std::string::npos) << csv;
  EXPECT_NE(csv.find("allowance_amounts,2025-02,AZN,45050.50,Fevral 2025,"), std::string::npos)
      << csv;
  // Every line has the six fields of the header.
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    std::size_t fields = 1;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) ++fields;
    }
    EXPECT_EQ(fields, 6u) << line;
  }
}

TEST(Formats, ParseNameAndContentType) {
  EXPECT_EQ(*ParseFormat("pdf", "format"), Format::kPdf);
  EXPECT_EQ(*ParseFormat("text", "format"), Format::kText);
  EXPECT_EQ(*ParseFormat("xlsx", "format"), Format::kXlsx);
  EXPECT_EQ(*ParseFormat("text", "format", false), Format::kText);
  EXPECT_FALSE(ParseFormat("pdf", "format", false));
  EXPECT_FALSE(ParseFormat("xlsx", "format", false));
  auto bad = ParseFormat("docx", "format");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "format");
  EXPECT_EQ(ContentType(Format::kPdf), "application/pdf");
  EXPECT_EQ(ContentType(Format::kText), "text/plain; charset=utf-8");
  EXPECT_EQ(FormatName(Format::kText), "text");
  EXPECT_EQ(FileExtension(Format::kText), "txt");
  EXPECT_EQ(FileExtension(Format::kPdf), "pdf");
}

TEST(Writers, EmptyTablesAreWrittenInEveryFormat) {
  Report r = Sample();
  r.tables = {Make("criminal_proceedings",
                   "Criminal proceedings started in the year, by their current stage", "stage", "",
                   {}, {}, {}),
              Make("allowance_payments", "Approved allowance payments by month", "month",
                   "currency", {"2025-01"}, {}, {})};
  for (auto f : {Format::kJson, Format::kCsv, Format::kXlsx, Format::kPdf, Format::kText})
    for (auto lang : kLanguages) {
      auto out = RenderReport(r, f, lang);
      ASSERT_TRUE(out) << FormatName(f) << ": " << out.error().message;
      EXPECT_FALSE(out->empty());
    }
  EXPECT_NE(ReportToText(r, Language::kEn).find("No data."), std::string::npos);
}

}  // namespace
}  // namespace haven::report
