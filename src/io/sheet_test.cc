#include "io/sheet.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <utility>

namespace haven::io {
namespace {

using Cells = std::vector<std::string>;

Sheet Read(std::string_view text, char separator = 0, const SheetLimits& limits = {}) {
  auto sheet = ReadCsv(text, separator, limits);
  EXPECT_TRUE(sheet.has_value()) << (sheet ? "" : sheet.error().message);
  return sheet ? *std::move(sheet) : Sheet{};
}

// The message of the error a read must give.
std::string ErrorOf(const Result<Sheet>& sheet) {
  if (sheet) return "(no error)";
  EXPECT_EQ(sheet.error().code, ErrorCode::kValidation);
  EXPECT_EQ(sheet.error().reason, "invalid_file");
  EXPECT_EQ(sheet.error().field, "file");
  return sheet.error().message;
}

// ---------------------------------------------------------------------------------------
// CSV

TEST(ReadCsv, FindsTheSeparatorInTheFirstRecord) {
  EXPECT_EQ(Read("a;b,c\n1;2,3\n").rows[0].cells, (Cells{"a", "b,c"}));
  EXPECT_EQ(Read("a,b;c\n").rows[0].cells, (Cells{"a", "b;c"}));
  EXPECT_EQ(Read("a\tb;c\n").rows[0].cells, (Cells{"a", "b;c"}));
  // Inside quotes a separator is text; blank lines before the first record are skipped.
  EXPECT_EQ(Read("\n\"x;y\",z;w\n").rows[0].cells, (Cells{"x;y", "z;w"}));
  // None in the first record: a comma.
  EXPECT_EQ(Read("name\nAli,Vəli\n").rows[1].cells, (Cells{"Ali", "Vəli"}));
  // Given, it is used.
  EXPECT_EQ(Read("a;b,c\n", ',').rows[0].cells, (Cells{"a;b", "c"}));
}

TEST(ReadCsv, TabSeparatedKeepsEmptyCells) {
  const Sheet sheet = Read("a\t\tc\n\tb\n");
  ASSERT_EQ(sheet.rows.size(), 2u);
  EXPECT_EQ(sheet.rows[0].cells, (Cells{"a", "", "c"}));
  EXPECT_EQ(sheet.rows[1].cells, (Cells{"", "b"}));
}

TEST(ReadCsv, QuotedFieldsHoldSeparatorsQuotesAndLines) {
  const Sheet sheet = Read(
      "code;title;note\n"
      "3.2;\"Tədbir; \"\"birinci\"\"\";\"two\n"
      "lines\"\n"
      "\"4\n"
      "\n"
      "1\";x;y\n"
      "5;\"\";\"  kept  \"\n");
  ASSERT_EQ(sheet.rows.size(), 4u);
  EXPECT_EQ(sheet.rows[0].number, 1);
  EXPECT_EQ(sheet.rows[1].number, 2);  // the line the record starts on
  EXPECT_EQ(sheet.rows[1].cells, (Cells{"3.2", "Tədbir; \"birinci\"", "two\nlines"}));
  EXPECT_EQ(sheet.rows[2].number, 4);
  EXPECT_EQ(sheet.rows[2].cells, (Cells{"4\n\n1", "x", "y"}));
  EXPECT_EQ(sheet.rows[3].number, 7);
  EXPECT_EQ(sheet.rows[3].cells, (Cells{"5", "", "  kept  "}));
}

TEST(ReadCsv, SpacesAroundUnquotedFieldsAreDropped) {
  EXPECT_EQ(Read("a , b c ,\"d\" \n").rows[0].cells, (Cells{"a", "b c", "d"}));
}

TEST(ReadCsv, ReadsCrLfAndOldMacLineBreaks) {
  const Sheet windows = Read("a,b\r\n\"x\r\ny\",z\r\nlast,row");
  ASSERT_EQ(windows.rows.size(), 3u);
  EXPECT_EQ(windows.rows[1].cells, (Cells{"x\r\ny", "z"}));
  EXPECT_EQ(windows.rows[2].number, 4);
  EXPECT_EQ(windows.rows[2].cells, (Cells{"last", "row"}));

  const Sheet mac = Read("a,b\rc,d\r");
  ASSERT_EQ(mac.rows.size(), 2u);
  EXPECT_EQ(mac.rows[1].number, 2);
  EXPECT_EQ(mac.rows[1].cells, (Cells{"c", "d"}));
}

TEST(ReadCsv, SkipsTheByteOrderMark) {
  const Sheet sheet = Read("\xEF\xBB\xBFkod;ad\n1;Мера\n");
  ASSERT_EQ(sheet.rows.size(), 2u);
  EXPECT_EQ(sheet.rows[0].cells, (Cells{"kod", "ad"}));
}

TEST(ReadCsv, KeepsAzerbaijaniAndRussianText) {
  const Sheet sheet = Read("Tədbir 3.2;Мера;Şəki, Gəncə\nƏ ə Ğ ğ Ş ş Ç ç Ö ö Ü ü I ı İ i;Ёё Щщ\n");
  ASSERT_EQ(sheet.rows.size(), 2u);
  EXPECT_EQ(sheet.rows[0].cells, (Cells{"Tədbir 3.2", "Мера", "Şəki, Gəncə"}));
  EXPECT_EQ(sheet.rows[1].cells, (Cells{"Ə ə Ğ ğ Ş ş Ç ç Ö ö Ü ü I ı İ i", "Ёё Щщ"}));
}

// A blank line (or one of spaces) is no row; a line of separators is a row of empty cells,
// for the importer to judge (a CTDC row with every field empty is a reject, not nothing).
TEST(ReadCsv, LeavesOutBlankLinesButNotRowsOfEmptyCells) {
  const Sheet sheet = Read("a;b\n\n;;\n   \n\"\";\n\r\nc;d\n\n");
  ASSERT_EQ(sheet.rows.size(), 4u);
  EXPECT_EQ(sheet.rows[0].number, 1);
  EXPECT_EQ(sheet.rows[1].number, 3);
  EXPECT_EQ(sheet.rows[1].cells, (Cells{"", "", ""}));
  EXPECT_EQ(sheet.rows[2].number, 5);
  EXPECT_EQ(sheet.rows[2].cells, (Cells{"", ""}));
  EXPECT_EQ(sheet.rows[3].number, 7);
  EXPECT_EQ(sheet.rows[3].cells, (Cells{"c", "d"}));
  EXPECT_TRUE(Read("").rows.empty());
  EXPECT_TRUE(Read("\xEF\xBB\xBF\n\n").rows.empty());
}

TEST(ReadCsv, AnUnclosedQuoteNamesTheLineItsRecordStartsOn) {
  EXPECT_EQ(ErrorOf(ReadCsv("a,b\n\nc,\"open\nstill open\nto the end")),
            "line 3: a quoted field is not closed");
  EXPECT_EQ(ErrorOf(ReadCsv("\"")), "line 1: a quoted field is not closed");
}

TEST(ReadCsv, AStrayQuoteNamesItsLine) {
  EXPECT_EQ(ErrorOf(ReadCsv("a,b\nsay \"hi\",c\n")).rfind("line 2: a stray quote", 0), 0u);
  EXPECT_EQ(ErrorOf(ReadCsv("a,b\n\"x\ny\"z,c\n")).rfind("line 3: a stray quote", 0), 0u);
}

TEST(ReadCsv, RefusesInvalidUtf8NamingTheLine) {
  EXPECT_EQ(ErrorOf(ReadCsv("ok,Мера\nbad,\xC3\x28\n")), "line 2: the text is not valid UTF-8");
  // Windows-1251 "Мера", a common mistake.
  EXPECT_EQ(ErrorOf(ReadCsv("a\n\n\xCC\xE5\xF0\xE0\n")), "line 3: the text is not valid UTF-8");
  // A UTF-16 surrogate written as UTF-8, and an overlong "/".
  EXPECT_EQ(ErrorOf(ReadCsv("\xED\xA0\x80")), "line 1: the text is not valid UTF-8");
  EXPECT_EQ(ErrorOf(ReadCsv("a\r\n\xC0\xAF")), "line 2: the text is not valid UTF-8");
}

TEST(ReadCsv, KeepsToTheLimits) {
  SheetLimits limits;
  limits.max_bytes = 8;
  EXPECT_EQ(ErrorOf(ReadCsv("a,b\nc,d\ne", 0, limits)), "the file is larger than 8 bytes");
  EXPECT_EQ(Read("a,b\nc,d\n", 0, limits).rows.size(), 2u);

  limits = {};
  limits.max_rows = 2;
  EXPECT_EQ(ErrorOf(ReadCsv("a\n\nb\n\nc\n", 0, limits)), "line 5: more than 2 rows");
  EXPECT_EQ(Read("a\n\n\nb\n\n", 0, limits).rows.size(), 2u);

  limits = {};
  limits.max_columns = 3;
  EXPECT_EQ(Read("a,b,c\n", 0, limits).rows[0].cells.size(), 3u);
  EXPECT_EQ(ErrorOf(ReadCsv("a,b,c\n1,2,3\n\"x\ny\",2,3,4\n", 0, limits)),
            "line 3: more than 3 columns");
}

// ---------------------------------------------------------------------------------------
// XLSX

std::string FileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A workbook written by libxlsxwriter: `fill` adds its sheets.
std::string Workbook(const std::function<void(lxw_workbook*)>& fill, bool constant_memory = false) {
  static int count = 0;
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     fmt::format("haven_sheet_test_{}_{}.xlsx", getpid(), ++count);
  lxw_workbook_options options = {};
  options.constant_memory = constant_memory;  // strings inline, not shared
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  EXPECT_NE(workbook, nullptr);
  if (!workbook) return "";
  fill(workbook);
  EXPECT_EQ(workbook_close(workbook), LXW_NO_ERROR);
  std::string bytes = FileBytes(path);
  std::filesystem::remove(path);
  return bytes;
}

using Parts = std::vector<std::pair<std::string, std::string>>;

// A zip archive of `parts`, made in memory.
std::string Zip(const Parts& parts, const char* password = nullptr) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  zip_error_fini(&error);
  if (!zip) {
    ADD_FAILURE() << "cannot make a zip";
    zip_source_free(buffer);
    return "";
  }
  zip_source_keep(buffer);  // the bytes outlive the archive
  for (const auto& [name, text] : parts) {
    zip_source_t* source = zip_source_buffer(zip, text.data(), text.size(), 0);
    const zip_int64_t index = zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE);
    EXPECT_GE(index, 0);
    if (password) {
      EXPECT_EQ(
          zip_file_set_encryption(zip, static_cast<zip_uint64_t>(index), ZIP_EM_AES_256, password),
          0);
    }
  }
  EXPECT_EQ(zip_close(zip), 0);
  std::string bytes;
  zip_stat_t stat;
  if (zip_source_stat(buffer, &stat) == 0 && zip_source_open(buffer) == 0) {
    bytes.resize(stat.size);
    EXPECT_EQ(zip_source_read(buffer, bytes.data(), bytes.size()),
              static_cast<zip_int64_t>(bytes.size()));
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  return bytes;
}

constexpr std::string_view kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRel =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// The parts of a small workbook written by hand, for what libxlsxwriter does not write.
Parts HandWorkbook(std::string_view sheet_data, std::string_view workbook_pr = "",
                   std::string_view styles = "", std::string_view shared_strings = "") {
  Parts parts = {
      {"xl/workbook.xml",
       fmt::format("<workbook xmlns=\"{}\" xmlns:r=\"{}\">{}<sheets>"
                   "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
                   kMain, kRel, workbook_pr)},
      {"xl/_rels/workbook.xml.rels",
       fmt::format("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                   "relationships\">"
                   "<Relationship Id=\"rId1\" Type=\"{0}/worksheet\" Target=\"sheets/one.xml\"/>"
                   "<Relationship Id=\"rId2\" Type=\"{0}/styles\" Target=\"styles.xml\"/>"
                   "<Relationship Id=\"rId3\" Type=\"{0}/sharedStrings\" Target=\"strings.xml\"/>"
                   "</Relationships>",
                   kRel)},
      {"xl/sheets/one.xml",
       fmt::format("<worksheet xmlns=\"{}\"><sheetData>{}</sheetData></worksheet>", kMain,
                   sheet_data)},
  };
  if (!styles.empty()) {
    parts.emplace_back("xl/styles.xml",
                       fmt::format("<styleSheet xmlns=\"{}\">{}</styleSheet>", kMain, styles));
  }
  if (!shared_strings.empty()) {
    parts.emplace_back("xl/strings.xml",
                       fmt::format("<sst xmlns=\"{}\">{}</sst>", kMain, shared_strings));
  }
  return parts;
}

Sheet ReadBook(std::string_view bytes, const SheetLimits& limits = {}) {
  auto sheet = ReadXlsx(bytes, limits);
  EXPECT_TRUE(sheet.has_value()) << (sheet ? "" : sheet.error().message);
  return sheet ? *std::move(sheet) : Sheet{};
}

TEST(ReadXlsx, ReadsStringsNumbersDatesAndBooleans) {
  const std::string bytes = Workbook([](lxw_workbook* workbook) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Tədbirlər");
    lxw_format* date = workbook_add_format(workbook);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format* date_time = workbook_add_format(workbook);
    format_set_num_format_index(date_time, 22);  // m/d/yy h:mm
    lxw_format* amount = workbook_add_format(workbook);
    format_set_num_format(amount, "#,##0.00 [$₼-42C]");
    worksheet_write_string(sheet, 0, 0, "Tədbir 3.2", nullptr);
    worksheet_write_string(sheet, 0, 1, "Мера", nullptr);
    worksheet_write_string(sheet, 0, 2, "a\rb", nullptr);  // written "a_x000D_b"
    worksheet_write_number(sheet, 1, 0, 12, nullptr);
    worksheet_write_number(sheet, 1, 1, 3.2, nullptr);
    worksheet_write_number(sheet, 1, 2, 0.125, nullptr);
    worksheet_write_number(sheet, 1, 3, 1000000, amount);
    worksheet_write_number(sheet, 1, 4, -7.5, nullptr);
    lxw_datetime new_years_eve = {2013, 12, 31, 0, 0, 0};
    worksheet_write_datetime(sheet, 2, 0, &new_years_eve, date);
    lxw_datetime afternoon = {2013, 12, 31, 15, 30, 0};
    worksheet_write_datetime(sheet, 2, 1, &afternoon, date_time);
    worksheet_write_boolean(sheet, 3, 0, 1, nullptr);
    worksheet_write_boolean(sheet, 3, 1, 0, nullptr);
    worksheet_write_formula_str(sheet, 4, 0, "=\"Ме\"&\"ра\"", nullptr, "Мера");
    worksheet_write_formula_num(sheet, 4, 1, "=6*2", nullptr, 12);
  });
  const Sheet sheet = ReadBook(bytes);
  ASSERT_EQ(sheet.rows.size(), 5u);
  EXPECT_EQ(sheet.rows[0].cells, (Cells{"Tədbir 3.2", "Мера", "a\rb"}));
  EXPECT_EQ(sheet.rows[1].cells, (Cells{"12", "3.2", "0.125", "1000000", "-7.5"}));
  EXPECT_EQ(sheet.rows[2].cells, (Cells{"2013-12-31", "2013-12-31"}));
  EXPECT_EQ(sheet.rows[3].cells, (Cells{"TRUE", "FALSE"}));
  EXPECT_EQ(sheet.rows[4].cells, (Cells{"Мера", "12"}));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sheet.rows[i].number, i + 1);
}

TEST(ReadXlsx, ReadsInlineStrings) {
  const std::string bytes = Workbook(
      [](lxw_workbook* workbook) {
        lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
        worksheet_write_string(sheet, 0, 0, "Мера", nullptr);
        worksheet_write_string(sheet, 0, 1, "Tədbir", nullptr);
      },
      /*constant_memory=*/true);
  EXPECT_EQ(ReadBook(bytes).rows.at(0).cells, (Cells{"Мера", "Tədbir"}));
}

TEST(ReadXlsx, FillsGapsAndKeepsRowNumbers) {
  const std::string bytes = Workbook([](lxw_workbook* workbook) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    worksheet_write_string(sheet, 0, 0, "a", nullptr);
    worksheet_write_string(sheet, 0, 2, "c", nullptr);
    worksheet_write_blank(sheet, 1, 0, bold);  // a formatted, empty row
    worksheet_write_string(sheet, 3, 1, "b", nullptr);
    worksheet_write_blank(sheet, 3, 5, bold);  // a formatted, empty cell
  });
  const Sheet sheet = ReadBook(bytes);
  ASSERT_EQ(sheet.rows.size(), 2u);
  EXPECT_EQ(sheet.rows[0].number, 1);
  EXPECT_EQ(sheet.rows[0].cells, (Cells{"a", "", "c"}));
  EXPECT_EQ(sheet.rows[1].number, 4);
  EXPECT_EQ(sheet.rows[1].cells, (Cells{"", "b"}));
}

TEST(ReadXlsx, ReadsOnlyTheFirstWorksheet) {
  const std::string bytes = Workbook([](lxw_workbook* workbook) {
    worksheet_write_string(workbook_add_worksheet(workbook, "Birinci"), 0, 0, "first", nullptr);
    worksheet_write_string(workbook_add_worksheet(workbook, "İkinci"), 0, 0, "second", nullptr);
  });
  const Sheet sheet = ReadBook(bytes);
  ASSERT_EQ(sheet.rows.size(), 1u);
  EXPECT_EQ(sheet.rows[0].cells, (Cells{"first"}));
}

TEST(ReadXlsx, CountsDatesAsExcelDoes) {
  const std::string bytes = Workbook([](lxw_workbook* workbook) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
    lxw_format* date = workbook_add_format(workbook);
    format_set_num_format_index(date, 14);
    const double serials[] = {1, 59, 60, 61, 41639, 41639.75, 2958465, 0};
    for (lxw_col_t i = 0; i < 8; ++i) worksheet_write_number(sheet, 0, i, serials[i], date);
  });
  EXPECT_EQ(ReadBook(bytes).rows.at(0).cells,
            (Cells{"1900-01-01", "1900-02-28", "1900-02-29", "1900-03-01", "2013-12-31",
                   "2013-12-31", "9999-12-31", "0"}));
}

TEST(ReadXlsx, TellsDatesFromTimesAndNumbers) {
  // Styles 0–8: custom formats 164–171, then built-in 14, 20 (h:mm), 45 (mm:ss), 0.
  const std::string styles =
      "<numFmts>"
      "<numFmt numFmtId=\"164\" formatCode=\"dd.mm.yyyy\"/>"
      "<numFmt numFmtId=\"165\" formatCode=\"h:mm\"/>"
      "<numFmt numFmtId=\"166\" formatCode=\"[h]:mm\"/>"
      "<numFmt numFmtId=\"167\" formatCode=\"0 &quot;days&quot;\"/>"
      "<numFmt numFmtId=\"168\" formatCode=\"[$-F800]dddd, mmmm dd, yyyy\"/>"
      "<numFmt numFmtId=\"169\" formatCode=\"MMM YY\"/>"
      "<numFmt numFmtId=\"170\" formatCode=\"[Red]0.00\"/>"
      "<numFmt numFmtId=\"171\" formatCode=\"mm:ss\"/>"
      "</numFmts><cellXfs>"
      "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>"
      "<xf numFmtId=\"168\"/><xf numFmtId=\"169\"/><xf numFmtId=\"170\"/><xf numFmtId=\"171\"/>"
      "<xf numFmtId=\"14\"/><xf numFmtId=\"20\"/><xf numFmtId=\"45\"/><xf numFmtId=\"0\"/>"
      "</cellXfs>";
  std::string cells;
  for (int style = 0; style < 12; ++style) {
    cells += fmt::format("<c s=\"{}\"><v>41639.5</v></c>", style);
  }
  const Sheet sheet = ReadBook(Zip(HandWorkbook("<row>" + cells + "</row>", "", styles)));
  EXPECT_EQ(sheet.rows.at(0).cells,
            (Cells{"2013-12-31", "41639.5", "41639.5", "41639.5", "2013-12-31", "2013-12-31",
                   "41639.5", "41639.5", "2013-12-31", "41639.5", "41639.5", "41639.5"}));
}

TEST(ReadXlsx, HonoursThe1904DateSystem) {
  const std::string styles = "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>";
  const Parts parts = HandWorkbook("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>40177</v></c></row>",
                                   "<workbookPr date1904=\"1\"/>", styles);
  EXPECT_EQ(ReadBook(Zip(parts)).rows.at(0).cells, (Cells{"2013-12-31"}));
}

TEST(ReadXlsx, ReadsWhatOtherWritersWrite) {
  // Rich text runs with a phonetic guide, a space kept, an escaped carriage return, rows and
  // cells without positions, formula strings and errors, 15 significant digits.
  const std::string strings =
      "<si><r><t>Təd</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">bir </t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>よみ</t></rPh><t>3.2</t></si>"
      "<si><t xml:space=\"preserve\"> </t></si>"
      "<si><t>a_x000D_b_x005F_x0041_</t></si>";
  const Parts parts = HandWorkbook(
      "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c></row>"
      "<row><c t=\"str\"><f>A1</f><v>Мера</v></c><c t=\"e\"><v>#DIV/0!</v></c>"
      "<c><v>0.30000000000000004</v></c><c><v>1E-3</v></c><c t=\"inlineStr\"><is><t>in</t>"
      "</is></c></row>"
      "<row r=\"5\"><c r=\"B5\"><v>-0</v></c><c><v>123456789012345678</v></c></row>",
      "", "", strings);
  const Sheet sheet = ReadBook(Zip(parts));
  ASSERT_EQ(sheet.rows.size(), 3u);
  EXPECT_EQ(sheet.rows[0].number, 1);
  EXPECT_EQ(sheet.rows[0].cells, (Cells{"Tədbir 3.2", " ", "a\rb_x0041_"}));
  EXPECT_EQ(sheet.rows[1].number, 2);
  EXPECT_EQ(sheet.rows[1].cells, (Cells{"Мера", "#DIV/0!", "0.3", "0.001", "in"}));
  EXPECT_EQ(sheet.rows[2].number, 5);
  EXPECT_EQ(sheet.rows[2].cells, (Cells{"", "0", "123456789012346000"}));
}

TEST(ReadXlsx, FollowsAbsoluteTargetsAndPrefixedNames) {
  // As the Open XML SDK writes: every element with a prefix, the target absolute.
  const Parts parts = {
      {"xl/workbook.xml",
       fmt::format("<x:workbook xmlns:x=\"{}\" xmlns:rel=\"{}\"><x:sheets>"
                   "<x:sheet name=\"S\" sheetId=\"1\" rel:id=\"R7\"/></x:sheets></x:workbook>",
                   kMain, kRel)},
      {"xl/_rels/workbook.xml.rels",
       fmt::format("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                   "relationships\"><Relationship Id=\"R7\" Type=\"{}/worksheet\" "
                   "Target=\"/xl/worksheets/../data/sheet.xml\"/></Relationships>",
                   kRel)},
      {"xl/data/sheet.xml",
       fmt::format("<x:worksheet xmlns:x=\"{}\"><x:sheetData><x:row r=\"2\">"
                   "<x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>Мера</x:t></x:is></x:c>"
                   "</x:row></x:sheetData></x:worksheet>",
                   kMain)},
  };
  const Sheet sheet = ReadBook(Zip(parts));
  ASSERT_EQ(sheet.rows.size(), 1u);
  EXPECT_EQ(sheet.rows[0].number, 2);
  EXPECT_EQ(sheet.rows[0].cells, (Cells{"", "Мера"}));
}

TEST(ReadXlsx, KeepsToTheLimits) {
  const std::string bytes = Workbook([](lxw_workbook* workbook) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
    for (lxw_row_t row = 0; row < 3; ++row) {
      for (lxw_col_t column = 0; column < 3; ++column) {
        worksheet_write_number(sheet, row, column, row * 3 + column, nullptr);
      }
    }
  });
  SheetLimits limits;
  EXPECT_EQ(ReadBook(bytes, limits).rows.size(), 3u);
  limits.max_rows = 2;
  EXPECT_EQ(ErrorOf(ReadXlsx(bytes, limits)), "row 3: more than 2 rows");
  limits = {};
  limits.max_columns = 2;
  EXPECT_EQ(ErrorOf(ReadXlsx(bytes, limits)), "row 1: more than 2 columns");
  limits = {};
  limits.max_unpacked_bytes = 1000;
  EXPECT_EQ(ErrorOf(ReadXlsx(bytes, limits)), "the workbook unpacks to more than 1000 bytes");
  limits = {};
  limits.max_bytes = 100;
  EXPECT_EQ(ErrorOf(ReadXlsx(bytes, limits)), "the file is larger than 100 bytes");
}

TEST(ReadXlsx, RefusesAZipBombBeforeUnpackingIt) {
  Parts parts = HandWorkbook("<row><c><v>1</v></c></row>");
  parts[2].second.append(4u << 20, ' ');  // 4 MiB of spaces pack into a few kilobytes
  const std::string bytes = Zip(parts);
  ASSERT_LT(bytes.size(), 1u << 20);
  SheetLimits limits;
  limits.max_unpacked_bytes = 1u << 20;
  EXPECT_EQ(ErrorOf(ReadXlsx(bytes, limits)), "the workbook unpacks to more than 1048576 bytes");
}

TEST(ReadXlsx, RefusesWhatIsNotAWorkbook) {
  EXPECT_EQ(ErrorOf(ReadXlsx(Zip({{"hello.txt", "hello"}}))),
            "the file is not an XLSX workbook: it has no xl/workbook.xml");
  EXPECT_EQ(ErrorOf(ReadXlsx(std::string("PK\x03\x04", 4) + "not a zip at all, only bytes")),
            "the file is not an XLSX workbook: it is not a readable zip archive");
  // libzip takes no bytes for an empty archive.
  EXPECT_EQ(ErrorOf(ReadXlsx("")), "the file is not an XLSX workbook: it has no xl/workbook.xml");

  Parts no_sheet = HandWorkbook("");
  no_sheet[0].second = fmt::format("<workbook xmlns=\"{}\"><sheets/></workbook>", kMain);
  EXPECT_EQ(ErrorOf(ReadXlsx(Zip(no_sheet))), "the workbook has no worksheet");

  Parts missing_sheet = HandWorkbook("");
  missing_sheet.pop_back();
  EXPECT_EQ(ErrorOf(ReadXlsx(Zip(missing_sheet))),
            "the workbook's first worksheet, xl/sheets/one.xml, is missing");

  const Parts broken = HandWorkbook("<row><c><v>1</v></row>");
  EXPECT_EQ(ErrorOf(ReadXlsx(Zip(broken)))
                .rfind("the workbook's part xl/sheets/one.xml is not well-formed XML", 0),
            0u);

  const Parts no_string = HandWorkbook("<row><c r=\"B1\" t=\"s\"><v>3</v></c></row>");
  EXPECT_EQ(ErrorOf(ReadXlsx(Zip(no_string))), "cell B1: there is no shared string 3");

  const Parts bad_ref = HandWorkbook("<row r=\"4\"><c r=\"4B\"><v>3</v></c></row>");
  EXPECT_EQ(ErrorOf(ReadXlsx(Zip(bad_ref))), "row 4: \"4B\" is not a cell reference");

  const Parts bad_text = HandWorkbook("<row><c t=\"inlineStr\"><is><t>\xC3\x28</t></is></c></row>");
  EXPECT_EQ(ErrorOf(ReadXlsx(Zip(bad_text))), "cell A1: the text is not valid UTF-8");
}

TEST(ReadXlsx, RefusesAnEncryptedWorkbook) {
  if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1)) GTEST_SKIP() << "no AES in libzip";
  const std::string bytes = Zip(HandWorkbook("<row><c><v>1</v></c></row>"), "secret");
  EXPECT_EQ(ErrorOf(ReadXlsx(bytes)), "the workbook is encrypted");
}

TEST(ReadSheet, TellsAWorkbookFromCsv) {
  const std::string bytes = Workbook([](lxw_workbook* workbook) {
    worksheet_write_string(workbook_add_worksheet(workbook, nullptr), 0, 0, "Мера", nullptr);
  });
  ASSERT_TRUE(bytes.starts_with("PK"));
  const auto workbook = ReadSheet(bytes);
  ASSERT_TRUE(workbook.has_value()) << workbook.error().message;
  EXPECT_EQ(workbook->rows.at(0).cells, (Cells{"Мера"}));

  const auto csv = ReadSheet("PK;Мера\n");
  ASSERT_TRUE(csv.has_value()) << csv.error().message;
  EXPECT_EQ(csv->rows.at(0).cells, (Cells{"PK", "Мера"}));

  EXPECT_EQ(ErrorOf(ReadSheet(std::string("PK\x03\x04", 4) + "garbage")),
            "the file is not an XLSX workbook: it is not a readable zip archive");
}

}  // namespace
}  // namespace haven::io

namespace haven::io {
namespace {

TEST(ReadSheet, RefusesAnOldExcelWorkbookSayingSo) {
  const std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an xls", 22);
  auto r = ReadSheet(ole);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "invalid_file");
  EXPECT_NE(r.error().message.find(".xls"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace haven::io
