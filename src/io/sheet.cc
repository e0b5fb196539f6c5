#include "io/sheet.h"

#include <csv.h>
#include <fmt/format.h>
#include <unicode/utf8.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <unordered_map>
#include <utility>

namespace haven::io {
namespace {

std::unexpected<Error> FileError(std::string message) {
  return Fail(ErrorCode::kValidation, "invalid_file", std::move(message), "file");
}

bool IsValidUtf8(std::string_view text) {
  if (text.size() > INT32_MAX) return false;  // more than ICU counts; no sheet has such a line
  const char* s = text.data();
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// CSV

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// The blanks libcsv drops around a field. Its default also counts a tab, which would eat
// the separators of a tab-separated file.
int IsSpaceOrTab(unsigned char c) {
  return c == ' ' || c == '\t';
}
int IsSpace(unsigned char c) {
  return c == ' ';
}

char DetectSeparator(std::string_view text) {
  bool quoted = false;
  bool in_record = false;  // blank lines before the first record do not end it
  for (const char c : text) {
    if (c == '"') {
      quoted = !quoted;  // a doubled quote turns it off and on again
      in_record = true;
    } else if (quoted) {
      continue;
    } else if (c == ';' || c == ',' || c == '\t') {
      return c;
    } else if (c == '\n' || c == '\r') {
      if (in_record) break;
    } else if (c != ' ') {
      in_record = true;
    }
  }
  return ',';
}

// Takes the first line off `rest`, with its line break ("\n", "\r\n", or a lone "\r" as old
// Mac files have). A line break is one byte that UTF-8 never uses inside a character, so a
// line is also whole UTF-8.
std::string_view TakeLine(std::string_view& rest) {
  std::size_t end = rest.find_first_of("\r\n");
  if (end == std::string_view::npos) {
    end = rest.size();
  } else {
    end += rest.compare(end, 2, "\r\n") == 0 ? 2 : 1;
  }
  const std::string_view line = rest.substr(0, end);
  rest.remove_prefix(end);
  return line;
}

// What the callbacks of libcsv share with ReadCsv.
struct CsvState {
  const SheetLimits& limits;
  Sheet sheet;
  Row row;  // the record being read
  // Whether libcsv is inside a record; a record that spans lines started on row.number.
  bool in_record = false;
  std::optional<std::string> error;  // libcsv cannot be stopped from a callback
};

void OnField(void* data, std::size_t size, void* state_data) {
  auto& state = *static_cast<CsvState*>(state_data);
  if (state.error) return;
  if (state.row.cells.size() == state.limits.max_columns) {
    state.error =
        fmt::format("line {}: more than {} columns", state.row.number, state.limits.max_columns);
    return;
  }
  state.row.cells.emplace_back(size ? std::string(static_cast<const char*>(data), size) : "");
}

void OnRecord(int /*terminator*/, void* state_data) {
  auto& state = *static_cast<CsvState*>(state_data);
  state.in_record = false;
  Row row = std::exchange(state.row, Row{});
  if (state.error) return;
  // A blank line is no row; a line of separators (";;;") is one, of empty cells, for the
  // importer to judge.
  if (row.cells.empty() || (row.cells.size() == 1 && row.cells[0].empty())) return;
  if (state.sheet.rows.size() == state.limits.max_rows) {
    state.error = fmt::format("line {}: more than {} rows", row.number, state.limits.max_rows);
    return;
  }
  state.sheet.rows.push_back(std::move(row));
}

// Owns a libcsv parser for one ReadCsv call.
struct CsvParser {
  csv_parser parser;
  // csv_init fails only for a null parser.
  explicit CsvParser(unsigned char options) { csv_init(&parser, options); }
  ~CsvParser() { csv_free(&parser); }
  CsvParser(const CsvParser&) = delete;
  CsvParser& operator=(const CsvParser&) = delete;
};

// ---------------------------------------------------------------------------------------
// XLSX

struct ZipDiscard {
  void operator()(zip_t* zip) const { zip_discard(zip); }
};
struct ZipFileClose {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

// A workbook's zip archive, and how much its parts read so far unpacked to.
struct Package {
  std::unique_ptr<zip_t, ZipDiscard> zip;
  std::size_t unpacked = 0;
  std::size_t max_unpacked = 0;
};

Result<Package> OpenPackage(std::string_view bytes, const SheetLimits& limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* zip = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  zip_error_fini(&error);
  if (!zip) {
    zip_source_free(source);  // still ours when the archive did not open
    return FileError("the file is not an XLSX workbook: it is not a readable zip archive");
  }
  return Package{std::unique_ptr<zip_t, ZipDiscard>(zip), 0, limits.max_unpacked_bytes};
}

// Part names are matched ignoring case, as the Open Packaging Conventions say.
zip_int64_t FindPart(const Package& package, const std::string& name) {
  return zip_name_locate(package.zip.get(), name.c_str(), ZIP_FL_NOCASE);
}

Result<std::string> ReadPart(Package& package, const std::string& name) {
  const zip_int64_t index = FindPart(package, name);
  if (index < 0) return FileError(fmt::format("the workbook has no part {}", name));
  const auto entry = static_cast<zip_uint64_t>(index);
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(package.zip.get(), entry, 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) {
    return FileError(fmt::format("the workbook's part {} cannot be read", name));
  }
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
    return FileError("the workbook is encrypted");
  }
  // The size is checked before unpacking, so a zip bomb costs nothing.
  if (stat.size > package.max_unpacked - package.unpacked) {
    return FileError(
        fmt::format("the workbook unpacks to more than {} bytes", package.max_unpacked));
  }
  package.unpacked += stat.size;

  const std::unique_ptr<zip_file_t, ZipFileClose> file(
      zip_fopen_index(package.zip.get(), entry, 0));
  if (!file) return FileError(fmt::format("the workbook's part {} cannot be read", name));
  std::string text(stat.size, '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const zip_int64_t n = zip_fread(file.get(), text.data() + done, text.size() - done);
    if (n <= 0) return FileError(fmt::format("the workbook's part {} is damaged", name));
    done += static_cast<std::size_t>(n);
  }
  // One more read must find the end: libzip checks the CRC there, and a part longer than
  // its size in the archive's directory is refused rather than cut short.
  char extra;
  if (zip_fread(file.get(), &extra, 1) != 0) {
    return FileError(fmt::format("the workbook's part {} is damaged", name));
  }
  return text;
}

Status LoadXml(Package& package, const std::string& name, pugi::xml_document& doc) {
  TRY(const std::string text, ReadPart(package, name));
  // Keep whitespace-only text: <t xml:space="preserve"> </t> is a cell holding a space.
  const pugi::xml_parse_result parsed =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata);
  if (!parsed) {
    return FileError(fmt::format("the workbook's part {} is not well-formed XML ({} at byte {})",
                                 name, parsed.description(), parsed.offset));
  }
  return {};
}

// An element's name without its namespace prefix: the Open XML SDK writes "x:row" where
// Excel writes "row".
std::string_view LocalName(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& parent, std::string_view name) {
  for (const pugi::xml_node child : parent.children()) {
    if (LocalName(child) == name) return child;
  }
  return {};
}

// The part a relationship points to: `target` is relative to `folder`, the folder of the
// part whose relationships these are, or absolute ("/xl/worksheets/sheet1.xml").
std::string ResolveTarget(std::string_view folder, std::string_view target) {
  const std::string path = target.starts_with('/') ? std::string(target.substr(1))
                                                   : fmt::format("{}/{}", folder, target);
  std::vector<std::string_view> segments;
  std::string_view rest = path;
  while (!rest.empty()) {
    const std::size_t slash = std::min(rest.find('/'), rest.size());
    const std::string_view segment = rest.substr(0, slash);
    rest.remove_prefix(std::min(slash + 1, rest.size()));
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
  }
  std::string resolved;
  for (const std::string_view segment : segments) {
    if (!resolved.empty()) resolved += '/';
    resolved += segment;
  }
  return resolved;
}

// Where the parts of the workbook are, as xl/workbook.xml and its relationships say.
struct Workbook {
  std::string worksheet;       // the first worksheet
  std::string shared_strings;  // empty if the workbook has none
  std::string styles;          // empty if the workbook has none
  bool date1904 = false;       // dates count from 1904-01-01 (old Excel for Mac)
};

Result<Workbook> ReadWorkbook(Package& package) {
  const std::string workbook_part = "xl/workbook.xml";
  const std::string rels_part = "xl/_rels/workbook.xml.rels";
  for (const std::string& part : {workbook_part, rels_part}) {
    if (FindPart(package, part) < 0) {
      return FileError(fmt::format("the file is not an XLSX workbook: it has no {}", part));
    }
  }
  pugi::xml_document workbook_xml;
  TRY_STATUS(LoadXml(package, workbook_part, workbook_xml));
  pugi::xml_document rels_xml;
  TRY_STATUS(LoadXml(package, rels_part, rels_xml));

  const pugi::xml_node root = workbook_xml.document_element();
  if (LocalName(root) != "workbook") {
    return FileError(fmt::format("the workbook's part {} is not a workbook", workbook_part));
  }
  Workbook workbook;
  const std::string_view date1904 = Child(root, "workbookPr").attribute("date1904").value();
  workbook.date1904 = date1904 == "1" || date1904 == "true";

  // Relationship types differ between transitional and strict OOXML only before the last
  // slash ("…/officeDocument/2006/relationships/worksheet", "…/relationships/worksheet").
  const auto target_of_type = [&](std::string_view type) -> std::string {
    for (const pugi::xml_node rel : rels_xml.document_element().children()) {
      if (LocalName(rel) == "Relationship" &&
          std::string_view(rel.attribute("Type").value()).ends_with(type)) {
        return ResolveTarget("xl", rel.attribute("Target").value());
      }
    }
    return "";
  };
  workbook.shared_strings = target_of_type("/sharedStrings");
  workbook.styles = target_of_type("/styles");

  // The first <sheet> that is a worksheet (not a chart sheet), through its relationship;
  // the relationship id attribute is "r:id", whatever the prefix.
  for (const pugi::xml_node sheet : Child(root, "sheets").children()) {
    if (LocalName(sheet) != "sheet") continue;
    std::string_view id;
    for (const pugi::xml_attribute attribute : sheet.attributes()) {
      if (std::string_view(attribute.name()).ends_with(":id")) id = attribute.value();
    }
    if (id.empty()) continue;
    for (const pugi::xml_node rel : rels_xml.document_element().children()) {
      if (LocalName(rel) == "Relationship" && rel.attribute("Id").value() == id) {
        if (!std::string_view(rel.attribute("Type").value()).ends_with("/worksheet")) break;
        workbook.worksheet = ResolveTarget("xl", rel.attribute("Target").value());
        return workbook;
      }
    }
  }
  return FileError("the workbook has no worksheet");
}

// Excel writes a character that XML cannot hold (a control character such as a carriage
// return) as "_xHHHH_", and a literal "_x" that would read as one as "_x005F_x".
std::string DecodeEscapes(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string decoded;
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned code = 0;
    if (text.compare(i, 2, "_x") == 0 && i + 7 <= text.size() && text[i + 6] == '_') {
      const char* digits = text.data() + i + 2;
      const auto [end, ec] = std::from_chars(digits, digits + 4, code, 16);
      if (ec == std::errc() && end == digits + 4 && !U_IS_SURROGATE(code)) {
        char utf8[U8_MAX_LENGTH];
        int32_t length = 0;
        U8_APPEND_UNSAFE(utf8, length, code);
        decoded.append(utf8, static_cast<std::size_t>(length));
        i += 7;
        continue;
      }
    }
    decoded += text[i++];
  }
  return decoded;
}

// The text of a shared string (<si>) or an inline string (<is>): a plain <t>, or rich text
// runs (<r><t>) put together. Phonetic runs (<rPh>, a reading guide printed above East
// Asian text) are not part of the text.
std::string StringItemText(const pugi::xml_node& item) {
  std::string text;
  for (const pugi::xml_node child : item.children()) {
    if (LocalName(child) == "t") {
      text += child.child_value();
    } else if (LocalName(child) == "r") {
      text += Child(child, "t").child_value();
    }
  }
  return DecodeEscapes(text);
}

Result<std::vector<std::string>> ReadSharedStrings(Package& package, const std::string& part) {
  pugi::xml_document doc;
  TRY_STATUS(LoadXml(package, part, doc));
  std::vector<std::string> strings;
  for (const pugi::xml_node item : doc.document_element().children()) {
    if (LocalName(item) == "si") strings.push_back(StringItemText(item));
  }
  return strings;
}

// Whether a number format shows a date: it has a day, month or year (d, m, y) outside
// quoted text, [brackets] and escaped characters, and its m are not minutes (m beside h or
// s, as in "h:mm", "mm:ss" or "[h]:mm"). Only the first section counts (positive numbers).
bool IsDateFormat(std::string_view code) {
  bool day_or_year = false;
  bool month_or_minute = false;
  bool time = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c =
        code[i] >= 'A' && code[i] <= 'Z' ? static_cast<char>(code[i] - 'A' + 'a') : code[i];
    if (c == '"') {
      i = std::min(code.find('"', i + 1), code.size());
    } else if (c == '[') {
      const std::size_t end = std::min(code.find(']', i + 1), code.size());
      // Elapsed time ([h], [mm], [ss]) is time; colours, conditions, locales are not.
      const std::string_view inside = code.substr(i + 1, end - i - 1);
      if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) {
        time = true;
      }
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal text, or padding
    } else if (c == ';') {
      break;
    } else if (c == 'd' || c == 'y') {
      day_or_year = true;
    } else if (c == 'm') {
      month_or_minute = true;
    } else if (c == 'h' || c == 's') {
      time = true;
    }
  }
  return day_or_year || (month_or_minute && !time);
}

// Excel's built-in formats that show a date (m/d/yyyy, d-mmm-yy, d-mmm, mmm-yy,
// m/d/yy h:mm). 18–21 and 45–47 are times and durations ("h:mm", "[h]:mm:ss"), not dates.
bool IsBuiltInDateFormat(int id) {
  return (id >= 14 && id <= 17) || id == 22;
}

// For each cell style (the index in a cell's s attribute), whether it shows a date.
Result<std::vector<bool>> ReadDateStyles(Package& package, const std::string& part) {
  pugi::xml_document doc;
  TRY_STATUS(LoadXml(package, part, doc));
  const pugi::xml_node root = doc.document_element();
  std::unordered_map<int, bool> custom;  // numFmtId → shows a date
  for (const pugi::xml_node format : Child(root, "numFmts").children()) {
    if (LocalName(format) != "numFmt") continue;
    custom[format.attribute("numFmtId").as_int(-1)] =
        IsDateFormat(format.attribute("formatCode").value());
  }
  std::vector<bool> date_styles;
  for (const pugi::xml_node xf : Child(root, "cellXfs").children()) {
    if (LocalName(xf) != "xf") continue;
    const int id = xf.attribute("numFmtId").as_int(0);
    const auto found = custom.find(id);
    date_styles.push_back(found != custom.end() ? found->second : IsBuiltInDateFormat(id));
  }
  return date_styles;
}

// A date serial as ISO 8601, or nothing if Excel would not show it as a date. Excel counts
// days from 1899-12-31 (serial 1 is 1900-01-01) and, like Lotus 1-2-3 before it, takes 1900
// for a leap year: serial 60 is a 1900-02-29 that never was, and later serials are one day
// ahead. In the 1904 date system serial 0 is 1904-01-01. The time of day is dropped.
std::optional<std::string> IsoDate(double serial, bool date1904) {
  using std::chrono::days;
  using std::chrono::sys_days;
  using std::chrono::year_month_day;
  if (!(serial >= 0 && serial < 3e6)) return std::nullopt;  // beyond 9999-12-31 too
  // A serial a hair under midnight (floating-point arithmetic in a formula) means midnight.
  const int day = static_cast<int>(std::floor(serial + 0.5 / 86400000));
  sys_days date;
  if (date1904) {
    date = sys_days{std::chrono::year{1904} / 1 / 1} + days{day};
  } else if (day == 0) {
    return std::nullopt;  // Excel shows "1900-01-00"
  } else if (day == 60) {
    return "1900-02-29";
  } else {
    date = sys_days{std::chrono::year{1899} / 12 / 31} + days{day < 60 ? day : day - 1};
  }
  const year_month_day ymd{date};
  if (ymd.year() > std::chrono::year{9999}) return std::nullopt;
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

// A number as its user sees it: to the 15 significant digits Excel keeps (a sum stored as
// 0.30000000000000004 is 0.3 to its user), then the shortest text that reads back as that,
// in plain notation ("1000000", not "1e+06"). Text that is not a number stays as written.
std::string FormatNumber(std::string_view text) {
  double value = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::string(text);
  }
  char buffer[400];  // room for the longest double in plain notation
  const auto rounded =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific, 14);
  std::from_chars(buffer, rounded.ptr, value);
  if (value == 0) value = 0;  // no "-0"
  const auto printed =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (printed.ec != std::errc()) return std::string(text);
  return std::string(buffer, printed.ptr);
}

// "C7" → 2 (the column, from 0), or -1 if `ref` is not a cell reference (A1 to XFD…).
int ColumnOf(std::string_view ref) {
  int column = 0;
  std::size_t i = 0;
  while (i < ref.size() && i < 3 && ref[i] >= 'A' && ref[i] <= 'Z') {
    column = column * 26 + (ref[i] - 'A' + 1);
    ++i;
  }
  if (i == 0 || i == ref.size() || ref[i] < '0' || ref[i] > '9') return -1;
  return column - 1;
}

std::string CellName(int column, int row) {
  std::string letters;
  for (int n = column + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return fmt::format("{}{}", letters, row);
}

// What every cell of the worksheet is read with.
struct CellContext {
  const std::vector<std::string>& shared_strings;
  const std::vector<bool>& date_styles;
  bool date1904 = false;
};

Result<std::string> CellText(const pugi::xml_node& cell, const std::string& name,
                             const CellContext& context) {
  const std::string_view type = cell.attribute("t").value();  // "" when absent: a number
  const std::string_view value = Child(cell, "v").child_value();
  if (type == "inlineStr") return StringItemText(Child(cell, "is"));
  if (value.empty()) return std::string();
  if (type == "s") {
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
    if (ec != std::errc() || end != value.data() + value.size() ||
        index >= context.shared_strings.size()) {
      return FileError(fmt::format("cell {}: there is no shared string {}", name, value));
    }
    return context.shared_strings[index];
  }
  if (type == "b") return std::string(value == "1" || value == "true" ? "TRUE" : "FALSE");
  if (type == "str") return DecodeEscapes(value);
  if (type == "n" || type.empty()) {
    const unsigned style = cell.attribute("s").as_uint(0);
    if (style < context.date_styles.size() && context.date_styles[style]) {
      double serial = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), serial);
      if (ec == std::errc()) {
        if (auto date = IsoDate(serial, context.date1904)) return *std::move(date);
      }
    }
    return FormatNumber(value);
  }
  return std::string(value);  // "e" (an error such as "#DIV/0!"), "d" (an ISO date)
}

Result<Sheet> ReadWorksheet(const pugi::xml_document& doc, const std::string& part,
                            const CellContext& context, const SheetLimits& limits) {
  const pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "worksheet") {
    return FileError(fmt::format("the workbook's part {} is not a worksheet", part));
  }
  Sheet sheet;
  int number = 0;
  for (const pugi::xml_node row : Child(root, "sheetData").children()) {
    if (LocalName(row) != "row") continue;
    // Row and cell positions may be left out, meaning the next one.
    number = row.attribute("r") ? row.attribute("r").as_int(0) : number + 1;
    if (number < 1) return FileError(fmt::format("{}: a row has no valid number", part));
    Row read{number, {}};
    int column = -1;
    for (const pugi::xml_node cell : row.children()) {
      if (LocalName(cell) != "c") continue;
      const pugi::xml_attribute ref = cell.attribute("r");
      column = ref ? ColumnOf(ref.value()) : column + 1;
      if (column < 0) {
        return FileError(
            fmt::format("row {}: \"{}\" is not a cell reference", number, ref.value()));
      }
      const std::string name = CellName(column, number);
      TRY(std::string text, CellText(cell, name, context));
      // Empty cells (formatted, but blank) do not count, so they cannot break the limit.
      if (text.empty()) continue;
      if (static_cast<std::size_t>(column) >= limits.max_columns) {
        return FileError(fmt::format("row {}: more than {} columns", number, limits.max_columns));
      }
      if (!IsValidUtf8(text)) {
        return FileError(fmt::format("cell {}: the text is not valid UTF-8", name));
      }
      if (read.cells.size() <= static_cast<std::size_t>(column)) read.cells.resize(column + 1);
      read.cells[column] = std::move(text);
    }
    if (read.cells.empty()) continue;
    if (sheet.rows.size() == limits.max_rows) {
      return FileError(fmt::format("row {}: more than {} rows", number, limits.max_rows));
    }
    sheet.rows.push_back(std::move(read));
  }
  return sheet;
}

}  // namespace

Result<Sheet> ReadCsv(std::string_view text, char separator, const SheetLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return FileError(fmt::format("the file is larger than {} bytes", limits.max_bytes));
  }
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  if (separator == 0) separator = DetectSeparator(text);

  CsvParser csv(CSV_STRICT | CSV_STRICT_FINI);
  const auto blank = separator == '\t' ? IsSpace : IsSpaceOrTab;
  csv_set_space_func(&csv.parser, blank);
  csv_set_delim(&csv.parser, static_cast<unsigned char>(separator));
  CsvState state{limits, {}, {}, false, std::nullopt};

  // The parser is fed a line at a time so that the line it is on is known. Between records
  // it skips blanks and line breaks; anything else starts a record on this line.
  int line_number = 0;
  for (std::string_view rest = text; !rest.empty();) {
    const std::string_view line = TakeLine(rest);
    ++line_number;
    if (!IsValidUtf8(line)) {
      return FileError(fmt::format("line {}: the text is not valid UTF-8", line_number));
    }
    const auto starts_record = [&](char c) {
      return !blank(static_cast<unsigned char>(c)) && c != '\r' && c != '\n';
    };
    if (!state.in_record && std::any_of(line.begin(), line.end(), starts_record)) {
      state.in_record = true;
      state.row.number = line_number;
    }
    if (csv_parse(&csv.parser, line.data(), line.size(), OnField, OnRecord, &state) !=
        line.size()) {
      if (csv_error(&csv.parser) != CSV_EPARSE) {
        return FileError(
            fmt::format("line {}: {}", line_number, csv_strerror(csv_error(&csv.parser))));
      }
      return FileError(fmt::format(
          "line {}: a stray quote (a field with a quote in it must be in quotes, and the "
          "quote doubled)",
          line_number));
    }
    if (state.error) return FileError(*state.error);
  }
  if (csv_fini(&csv.parser, OnField, OnRecord, &state) != 0) {
    return FileError(fmt::format("line {}: a quoted field is not closed", state.row.number));
  }
  if (state.error) return FileError(*state.error);
  return std::move(state.sheet);
}

Result<Sheet> ReadXlsx(std::string_view bytes, const SheetLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return FileError(fmt::format("the file is larger than {} bytes", limits.max_bytes));
  }
  TRY(Package package, OpenPackage(bytes, limits));
  TRY(const Workbook workbook, ReadWorkbook(package));
  std::vector<std::string> shared_strings;
  if (!workbook.shared_strings.empty() && FindPart(package, workbook.shared_strings) >= 0) {
    TRY(shared_strings, ReadSharedStrings(package, workbook.shared_strings));
  }
  std::vector<bool> date_styles;
  if (!workbook.styles.empty() && FindPart(package, workbook.styles) >= 0) {
    TRY(date_styles, ReadDateStyles(package, workbook.styles));
  }
  if (FindPart(package, workbook.worksheet) < 0) {
    return FileError(
        fmt::format("the workbook's first worksheet, {}, is missing", workbook.worksheet));
  }
  pugi::xml_document worksheet;
  TRY_STATUS(LoadXml(package, workbook.worksheet, worksheet));
  const CellContext context{shared_strings, date_styles, workbook.date1904};
  return ReadWorksheet(worksheet, workbook.worksheet, context, limits);
}

Result<Sheet> ReadSheet(std::string_view bytes, const SheetLimits& limits) {
  if (bytes.starts_with(std::string_view("PK\x03\x04", 4))) return ReadXlsx(bytes, limits);
  // An Excel 97–2003 workbook, or an encrypted one: an OLE compound file.
  if (bytes.starts_with(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)))
    return Fail(ErrorCode::kValidation, "invalid_file",
                "this is an old Excel workbook (.xls) or a password-protected one: save it as "
                ".xlsx without a password, or as CSV",
                "file");
  return ReadCsv(bytes, 0, limits);
}

}  // namespace haven::io
