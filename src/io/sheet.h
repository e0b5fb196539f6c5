#pragma once
// Tables that people make — a CSV file written by hand or exported from a spreadsheet, an
// Excel workbook (XLSX) — read into rows of text cells, so that an importer (the action
// plan's measures, CTDC records) reads every row the same way and reports a bad one by
// its number. CSV through libcsv, XLSX through libzip and pugixml: no hand-made parser.
// Pure functions over bytes in memory; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace haven::io {

struct Row {
  // Where the row starts as a person sees it: the line of a CSV file (a quoted field may
  // span lines; this is its first), the row number of a worksheet.
  int number = 0;
  // The cells as text, left to right; an empty cell is "". Trailing empty cells may be
  // missing. XLSX numbers as their shortest decimal text to the 15 significant digits Excel
  // keeps ("3.2", "12", "1000000"), dates (a date number format) as ISO 8601 ("2013-12-31",
  // the time of day dropped; a time-only format such as "h:mm" stays a number), booleans as
  // "TRUE" / "FALSE", errors as Excel writes them ("#DIV/0!"), shared and inline strings as
  // written.
  std::vector<std::string> cells;
};

struct Sheet {
  std::vector<Row> rows;  // in file order; blank lines and empty worksheet rows are left
                          // out; a CSV line of separators is a row of empty cells
};

struct SheetLimits {
  std::size_t max_bytes = 32u << 20;         // the file as sent
  std::size_t max_unpacked_bytes = 128u << 20;  // XLSX: all the parts read, uncompressed
  std::size_t max_rows = 100000;
  std::size_t max_columns = 200;
};

// CSV (RFC 4180 quoting, records may span lines, CRLF or LF, a UTF-8 byte order mark
// skipped; spaces around a field that is not quoted are dropped). `separator` 0: the first
// of ';', ',' or a tab found outside quotes in the first record (',' if none). Invalid
// UTF-8 is refused, naming the line.
Result<Sheet> ReadCsv(std::string_view text, char separator = 0, const SheetLimits& limits = {});

// The first worksheet of an XLSX workbook (as Excel, LibreOffice or libxlsxwriter write it).
Result<Sheet> ReadXlsx(std::string_view bytes, const SheetLimits& limits = {});

// XLSX when the bytes are a zip archive ("PK\3\4"); an old .xls or an encrypted workbook
// (an OLE file) is refused saying so; else CSV.
Result<Sheet> ReadSheet(std::string_view bytes, const SheetLimits& limits = {});

// Every error is kValidation with reason "invalid_file" and field "file", and a message
// that says what is wrong and where ("line 14: a quoted field is not closed", "the
// workbook has no worksheet", "row 3: more than 200 columns").

}  // namespace haven::io
