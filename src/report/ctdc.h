#pragma once
// The Counter Trafficking Data Collaborative (CTDC) case-level format, as CTDC
// publishes its global k-anonymised dataset: semicolon-separated, fields with a
// semicolon in double quotes, a terms-of-use sentence as the name of the first
// column, empty fields for "not recorded", 0/1 flags, age bands such as
// `18--20` and `48+`, and "…Concatenated" columns that repeat the flags as text.
//
// Reading maps every row to Haven's vocabularies or rejects it with its line
// number and reason; writing produces the same 64 columns, k-anonymised
// (ExportCtdc below).
// Thread-safe: free functions over values.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/report_store.h"

namespace haven::report {

// The 64 columns in CTDC's order.
std::span<const std::string_view> CtdcColumns();

struct CtdcReject {
  std::size_t line = 0;  // 1-based line of the file where the row starts
  std::string reason;
  std::string row;  // the row as read, its fields joined by ";" (quoted where needed)
};

struct CtdcParse {
  std::size_t read = 0;  // data rows read
  std::vector<store::CtdcRecord> records;
  std::vector<std::size_t> lines;  // the line of each record
  std::vector<CtdcReject> rejects;
};

// Called now and then with (rows read, rows in all).
using Progress = std::function<void(std::size_t, std::size_t)>;

// Reads a whole CTDC file. Fails only when the file as a whole is unusable (no
// header, a required column missing, an unterminated quote); a bad row is a reject.
Result<CtdcParse> ParseCtdc(std::string_view content, const Progress& progress = {});

// line,reason,row — what an operator needs to fix and re-import the rejects.
std::string RejectsCsv(const std::vector<CtdcReject>& rejects);

struct CtdcExportOptions {
  // Every combination of the quasi-identifiers as written (year, sex, age band
  // with minor/adult, citizenship, country of exploitation, forms of
  // exploitation) occurs at least k times among the records written. 2 … 1000.
  int k = 11;
  // The fraction of persons (0 … 1) that may be left out to reach k, rather
  // than generalising everyone more. 5 % by default: small enough that the
  // file still counts almost everyone, large enough to drop the few outliers
  // that would otherwise coarsen a whole year. Persons no generalisation can
  // hide (fewer than k identified in their year) are left out in any case.
  double suppression_limit = 0.05;
  // ISO alpha-2 of the reporting country (FactContext::own_country): its
  // nationals' citizenship, and exploitation in it, are the first values kept.
  std::string own_country = "AZ";
};

// How one quasi-identifier came out, over the records written.
struct CtdcFieldSummary {
  std::string field;  // year, sex, age_group, citizenship, country_of_exploitation, exploitation
  int height = 0;     // generalisation levels CTDC can represent above the exact value
  int level = 0;      // the level every record starts from (the full-domain node chosen)
  std::size_t exact = 0;         // written as recorded
  std::size_t generalised = 0;   // written coarser: minor/adult only, broad form of exploitation
  std::size_t blanked = 0;       // written empty although recorded
  std::size_t not_recorded = 0;  // empty in Haven, or with no CTDC code (stateless)
};

struct CtdcExport {
  std::string csv;
  std::size_t input = 0;        // persons considered
  std::size_t records = 0;      // records written
  std::size_t generalised = 0;  // written with at least one recorded value coarsened or blanked
  std::size_t suppressed = 0;   // left out (input = records + suppressed)
  // year, sex, age_group, citizenship, country_of_exploitation, exploitation.
  std::vector<CtdcFieldSummary> fields;
  // The information lost, 0 (nothing) … 1 (every recorded value blanked or its
  // person left out); ARX's Loss metric, see report/anonymize.h. The year,
  // which CTDC cannot generalise, is not counted.
  double information_loss = 0;
  // The same for the full-domain generalisation alone (everyone at `level`),
  // before local recoding: what a single generalisation of the whole file loses.
  double full_domain_loss = 0;
};

// Exports Haven's own cases (source "haven"), one record per person, in CTDC's
// 64 columns, k-anonymous over the quasi-identifiers as written. The search is
// report/anonymize.h's: the least-loss full-domain generalisation within the
// suppression limit, refined by local recoding.
//
// Generalisation stays within what CTDC's columns can say, so that the file is
// a plain CTDC file (ParseCtdc reads it back, a partner's tools see the layout
// they know) and an empty field keeps CTDC's meaning, "not recorded":
//  - yearOfRegistration is required by CTDC (and by ParseCtdc) and holds one
//    year: never generalised. A year with fewer than k persons is left out.
//  - gender: as recorded, or empty.
//  - age: ageBroad with majorityStatus; generalised, ageBroad empty and
//    majorityStatus (Minor/Adult) kept; or both empty.
//  - citizenship, CountryOfExploitation: alpha-2 columns, so no UN M49 region
//    or foreign/own group can be written there, and CTDC has no column for
//    either. (ParseCtdc would tolerate extra trailing columns — it reads
//    columns by name — but a partner's CTDC tooling expects the 64.) The
//    hierarchy is therefore: the country; the own country kept and every other
//    country empty; empty. Stateless persons have no CTDC code and are written
//    empty, as CTDC does.
//  - forms of exploitation: the is… flags as recorded (Haven's forced begging,
//    domestic servitude and forced criminality are CTDC's forced labour);
//    generalised, the broad categories only — isSexualExploit, isForcedLabour,
//    isSexAndLabour and isOtherExploit (forced marriage, organ removal and other
//    forms) as 0/1, the specific flags (isForcedMarriage, isOrganRemoval,
//    isForcedMilitary, isSlaveryAndPractices) empty; or every flag empty.
// Means of control, recruiter relation and data source are not
// quasi-identifiers and are written as recorded.
//
// Since the year stays exact, a year with n persons holds at most n / k
// classes: with 50 persons a year at k = 11, sex and little more can be kept.
// On demo-like data of 130 persons a year at k = 11, every record keeps its sex,
// two thirds their citizenship, nearly half minor/adult and the forms of
// exploitation (ctdc_test.cc measures it).
Result<CtdcExport> ExportCtdc(std::span<const store::CaseFact> facts, const CtdcExportOptions& options);

// A CTDC age band ("18--20", "48+") in Haven's spelling ("18-20"), and back.
std::string CtdcBandToHaven(std::string_view band);
std::string HavenBandToCtdc(std::string_view band);

}  // namespace haven::report
