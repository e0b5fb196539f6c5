#pragma once
// Reading a plan's measures from the table a ministry wrote: one measure a row, under
// headings in Azerbaijani, English or Russian ("Tədbir", "Measure", "Мероприятие" …),
// responsible bodies and partners by their names in the coalition's directory, the
// deadline as a date (2013-12-31, 31.12.2013) or a year (2012: the year's end), and one
// indicator with its unit, baseline and target. Pure: the caller reads the file into a
// sheet and passes the plan, the directory and the codes the plan has already.
// Thread-safe: plain functions.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/prevention.h"
#include "common/error.h"
#include "domain/model.h"
#include "domain/prevention.h"
#include "io/sheet.h"

namespace haven::app {

struct MeasureRows {
  std::vector<std::pair<int, domain::Measure>> measures;  // by row number, in file order
  std::vector<ImportProblem> problems;                    // every row that could not be read
};

// Fails (kValidation "invalid_file", field "file") when the first row lacks a heading the
// measures need (code, measure, responsible, deadline) or the file has no measure row.
// A row with a problem is reported, not stored; the others are checked as AddMeasure
// would (CheckMeasure, a code taken in the plan or twice in the file).
Result<MeasureRows> MeasuresFromSheet(const io::Sheet& sheet, const domain::ActionPlan& plan,
                                      const std::vector<domain::Organization>& directory,
                                      const std::set<std::string>& codes_taken);

}  // namespace haven::app
