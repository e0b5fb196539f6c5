#pragma once
// The words of reports in Azerbaijani, English and Russian: the titles of the named
// reports and of their tables, the names of dimensions, the labels of their values,
// the notes the builders write, and the fixed phrases of the writers ("Total",
// "Legend", …). Also numbers and dates as a reader of each language writes them.
//
// Codes stay the machine-readable truth (JSON keeps them); these are what people read.
// A label missing in a language falls back to English, then to the code itself, so a
// new value never breaks a report — labels_test.cc checks that every value a named
// report produces has a label of its own in all three languages.
// Thread-safe: pure functions over constant tables.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "domain/coalition.h"
#include "report/table.h"

namespace haven::report {

using domain::Language;

// "az", "en" or "ru"; anything else is kValidation naming `field`.
Result<Language> ParseReportLanguage(std::string_view text, std::string_view field);
// "az", "en", "ru".
std::string_view LanguageCode(Language lang);

// A named report's title and description by its name ("annual", "greta", …); `fallback`
// (the English of the registry) when the name is not known here.
std::string ReportTitle(std::string_view report, Language lang, std::string_view fallback = {});
std::string ReportDescription(std::string_view report, Language lang,
                              std::string_view fallback = {});
// What a report's counts count ("persons", "referrals", …); the text itself when unknown.
std::string UnitLabel(std::string_view unit, Language lang);

// A table's title by its id; table.title when the id is not known here.
std::string TableTitle(const Table& table, Language lang);
// A short name of the table (at most 31 characters), for a worksheet tab.
std::string TableShortTitle(const Table& table, Language lang);

// The name of a dimension ("sex" → "Cins" / "Sex" / "Пол"); the code when unknown.
std::string DimensionLabel(std::string_view dimension, Language lang);
// The label of one value of a dimension: enum values through domain's vocabularies,
// countries and regions through their ISO names, the values dimensions.cc makes up
// ("minor", "own_country", "women", …), months ("2024-03" → "March 2024"), currencies
// (ICU's names), the measures of the one-column tables. Age bands ("18-20") and years
// stay as they are. The value itself when nothing fits.
std::string ValueLabel(std::string_view dimension, std::string_view value, Language lang);
// A source of a report ("haven", "ctdc", or "ctdc …" with its batches).
std::string SourceLabel(std::string_view source, Language lang);

// A note written by a report builder (in English) in `lang`, when it is one of the
// sentences Haven writes (numbers and codes inside it are carried over and labelled);
// the note as it is otherwise.
std::string NoteText(std::string_view note, Language lang);

// The fixed words of the writers.
enum class Phrase {
  kAbout,  // the sheet / section about the report
  kReport,
  kName,
  kDescription,
  kYear,
  kGenerated,  // when the report was made
  kUnit,
  kSources,
  kLinkageApplied,
  kLinkageAt,  // when linkage last ran
  kSuppressionThreshold,
  kDifferentialPrivacy,
  kLanguage,
  kYes,
  kNo,
  kTotal,
  kLegend,
  kNotes,
  kHiddenCells,         // the column that says which cells of a row are hidden
  kHiddenSecondary,     // "a larger count hidden so that no small one can be worked out"
  kHiddenEmptyNotZero,  // XLSX: a grey cell is empty, not zero
  kNothingHidden,
  kNoData,
  kContinued,
  kUtc,
};
std::string_view Text(Phrase phrase, Language lang);
// "a count from 1 to 4, hidden" for threshold 5.
std::string HiddenSmallText(int threshold, Language lang);
// "<5 — a count from 1 to 4, hidden; x — a larger count hidden …" (empty below 2).
std::string SuppressionLegend(int threshold, bool dp, Language lang);
// "Page 2 of 7".
std::string PageText(int page, int pages, Language lang);
// "Laplace mechanism, ε 1 (0.1 per table)".
std::string DpText(const DpInfo& dp, Language lang);

// A number as the language writes it, `value` in units of 10^-decimals:
// en "1,234.50", az "1.234,50", ru "1 234,50" (a no-break space groups).
std::string FormatNumber(std::int64_t value, int decimals, Language lang);
// A decimal written by the program ("0.5") with the language's decimal sign.
std::string LocalDecimal(std::string_view number, Language lang);
// "2026-11-28 12:00 UTC" (the same in every language, but for "UTC").
std::string FormatDateTime(Timestamp t, Language lang);

}  // namespace haven::report
