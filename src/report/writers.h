#pragma once
// Writing reports out: JSON (for the API and the web UI: codes, with the labels of a
// language beside them), CSV (long format, for anyone), XLSX (for NGOs that open
// everything in Excel: numbers a formula can add, hidden cells empty and grey), PDF (to
// print; pdf_writer.h) and plain text (for a terminal; text_writer.h). Every format
// but JSON's codes is written in one of Azerbaijani, English or Russian (labels.h).
//
// What is published is the same in every format: a hidden cell is never written as a
// number, and a total the table's flags (Table::column_totals, Table::row_totals) say
// adds unlike things is never written at all.
// Thread-safe: free functions; XLSX goes through a private temporary file.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/error.h"
#include "report/labels.h"
#include "report/table.h"

namespace haven::report {

enum class Format { kJson, kCsv, kXlsx, kPdf, kText };

// "json", "csv", "xlsx", "pdf" or "text"; with `allow_documents` false (the counts,
// which have no workbook or printed form): "json", "csv" or "text". Errors name `field`.
Result<Format> ParseFormat(std::string_view text, std::string_view field,
                           bool allow_documents = true);
std::string_view FormatName(Format f);     // as ParseFormat reads it: "text"
std::string_view FileExtension(Format f);  // of a file written in it: "txt" for text
std::string_view ContentType(Format f);    // text types with charset=utf-8

// What of a table's margins is published.
struct Margins {
  bool total_row = true;     // the "Total" row: each column summed over the rows
  bool total_column = true;  // the "Total" column: each row summed over the columns
  bool corner = true;        // the grand total
};
// As the table's flags allow. `for_people` (XLSX, PDF, text) also leaves out what only
// repeats the cells: the total column of a one-column table.
Margins PublishedMargins(const Table& t, bool for_people);

// Codes as before (report, table ids, row labels, column codes, counts as numbers or
// "<5"/"x"), and the words of `lang` beside them: title, description, unit_label,
// language, sources and source_labels; per table row_dimension_label,
// column_dimension_label, column_labels, rows[].label_text, column_totals and
// row_totals (whether those totals are published); totals a table does not publish
// are null.
nlohmann::json ReportToJson(const Report& r, Language lang = Language::kEn);
// Long format, one value a line: table,row,column,value,row_label,column_label (codes,
// then the labels in `lang`); the report's own facts (name, year, sources, language,
// linkage, suppression, notes) come first as table "about". Money in major units.
std::string ReportToCsv(const Report& r, Language lang = Language::kEn);
// An About sheet, then one sheet per table, named and labelled in `lang`. See writers.cc
// for the conventions (hidden cells, legend, frozen panes).
Result<std::string> ReportToXlsx(const Report& r, Language lang = Language::kEn);
Result<std::string> RenderReport(const Report& r, Format f, Language lang = Language::kEn);

nlohmann::json CountsToJson(const CountTable& t);
// The dimension names and `count` as header, then one row per combination.
std::string CountsToCsv(const CountTable& t);
// json, csv or text (CountsToText); the others are kValidation on "format".
Result<std::string> RenderCounts(const CountTable& t, Format f, Language lang = Language::kEn);

// One CSV field, quoted when it needs to be.
std::string CsvField(std::string_view value, char separator = ',');

}  // namespace haven::report
