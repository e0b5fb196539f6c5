#pragma once
// The statistics commands of the `haven` command line:
//
//   haven report list --dir DIR
//   haven report NAME --year Y [--format json|csv|xlsx] [--out FILE] --dir DIR
//   haven report counts --by DIM[,DIM…] [--year Y] [--format csv|json] [--suppress N] --dir DIR
//     (both also take --source haven|ctdc|haven,ctdc, --suppress N and
//      --dp-epsilon E [--dp-mechanism laplace|gaussian])
//   haven import ctdc FILE --dir DIR [--rejects FILE]
//   haven import list --dir DIR
//   haven import remove BATCH --dir DIR
//   haven export ctdc --out FILE [--k 11] --dir DIR
//
// They act as the system actor through app::ReportService, so their work is
// audited like any other. As the linkage commands, they run in their CLI11
// callbacks inside App::parse; on failure they print `haven: error: …` and throw
// CLI::RuntimeError with a non-zero status (2 bad input, 3 conflict, 4 not found).

namespace CLI {
class App;
}

namespace haven::cli {

// Adds `report`, and `ctdc` under `import` and `export` (created when missing).
void AddReportCommands(CLI::App& app);

// True when one of these commands was given (and so has already run successfully).
bool ReportCommandRan(const CLI::App& app);

}  // namespace haven::cli
