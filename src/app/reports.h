#pragma once
// The statistics use cases: named reports, counts, and CTDC import and export.
// Like every use case, each takes the acting user, checks the permission, does
// its work in one transaction and writes its audit entry in that transaction —
// producing statistics is a disclosure, so it is audited like one.
//
// Who may: analysts and coordinators read statistics (analysts always get
// outputs suppressed at least at the configured threshold); coordinators and
// admins import. The system actor (the operator running `haven report` on the
// server, who holds the database and keyring anyway) may do all of it.
//
// Thread-safe: a ReportService only forwards to App, which is thread-safe; the
// random source must be thread-safe when a service is shared (the default is).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "report/ctdc.h"
#include "report/dimensions.h"
#include "report/noise.h"
#include "report/writers.h"

namespace haven::app {

struct ReportListing {
  std::string name;
  std::string title;
  std::string description;
};

struct ReportRequest {
  std::string name;
  std::optional<int> year;  // required
  // Whose records: "haven" (the default: Haven's own cases), "ctdc" (imported
  // records), or both, "haven,ctdc".
  std::string source = "haven";
  std::string format = "json";  // json, csv, xlsx, pdf or text
  std::string lang = "en";      // az, en or ru: the words of the report (codes stay as they are)
  // The suppression threshold; the configured one when empty. 0 or 1: none
  // (not for analysts, who cannot go below the configured threshold).
  std::optional<int> suppress;
  // A differentially private release instead of exact counts.
  std::optional<report::DpParams> dp;
};

struct CountsRequest {
  std::string by;  // "year,sex"
  std::optional<int> year;
  std::string source = "haven";  // as ReportRequest::source
  std::string format = "json";  // json, csv or text
  std::string lang = "en";
  std::optional<int> suppress;
  std::optional<report::DpParams> dp;
};

struct RenderedReport {
  std::string body;
  report::Format format = report::Format::kJson;
  std::string file_name;  // a suggestion, e.g. "greta-2024.csv", "greta-2024-az.pdf"
  bool linkage_applied = false;
  report::SuppressionSummary suppression;
  std::vector<std::string> sources;
  // A differentially private release asked for before: the answer given then.
  bool repeated_release = false;
};

// What one user spent of a year's privacy budget.
struct BudgetUse {
  Id user_id = 0;  // 0: the operator at the server's console
  std::string username;
  double spent = 0;
  std::int64_t releases = 0;
};

// The privacy budget about one year of data ("2024"), or about all years ("all").
struct YearBudget {
  std::string year;
  double budget = 0;
  double spent = 0;  // by releases about the year and about all years
  double left = 0;
  std::vector<BudgetUse> by;  // who spent it, most first
};

struct PrivacyBudget {
  double budget = 0;       // statistics.dp_epsilon_budget
  double per_analyst = 0;  // statistics.dp_epsilon_per_analyst; 0: one shared budget
  std::vector<YearBudget> years;  // the year asked for, or every year with a release
};

struct CtdcImportSummary {
  std::size_t read = 0;      // data rows in the file
  std::size_t imported = 0;  // rows accepted: added + already present
  std::size_t added = 0;
  std::size_t already_present = 0;  // from an earlier import of the same records
  std::size_t rejected = 0;
  std::vector<report::CtdcReject> rejects;
  std::string rejects_csv;
};

struct CtdcExportSummary {
  std::string csv;
  int k = 0;
  std::size_t input = 0;
  std::size_t records = 0;
  std::size_t generalised = 0;
  std::size_t suppressed = 0;
  // Per quasi-identifier: kept exact, generalised, blanked, not recorded.
  std::vector<report::CtdcFieldSummary> fields;
  double information_loss = 0;  // 0 … 1, see report::CtdcExport
};

// (phase, done, total): "reading" in bytes, then "storing" in records.
using ImportProgress = std::function<void(std::string_view, std::size_t, std::size_t)>;

class ReportService {
 public:
  // `random`: the noise source of differentially private releases; libsodium's when null.
  explicit ReportService(App& app, report::RandomSource* random = nullptr);
  ~ReportService();

  Result<std::vector<ReportListing>> List(const Actor& actor);
  Result<RenderedReport> Run(const Actor& actor, const ReportRequest& request);
  Result<RenderedReport> Counts(const Actor& actor, const CountsRequest& request);
  // Reads a whole CTDC file (its content); every row is imported or rejected.
  // Nothing is stored when the file as a whole is unusable.
  Result<CtdcImportSummary> ImportCtdc(const Actor& actor, std::string_view content,
                                       const ImportProgress& progress = {});
  // Haven's own cases in CTDC's layout, k-anonymous (audited as ctdc.export). Analysts
  // may not ask for k below the configured suppression threshold.
  Result<CtdcExportSummary> ExportCtdc(const Actor& actor, int k);
  // The import batches (coordinators, admins and the operator).
  Result<std::vector<store::ImportBatch>> ListImports(const Actor& actor);
  // Takes a batch's records out of every figure (audited as import.remove); returns
  // how many records went. The batch stays listed as removed.
  Result<std::int64_t> RemoveImport(const Actor& actor, Id batch);
  // What is spent and left of the privacy budget, per year and by whom.
  Result<PrivacyBudget> Budget(const Actor& actor, std::optional<int> year);

 private:
  Result<int> Threshold(const Actor& actor, std::optional<int> requested) const;
  // Refuses a release beyond the year's budget or the actor's share of it; returns
  // what was spent before.
  Result<double> SpendBudget(store::Transaction& tx, const Actor& actor, std::optional<int> year,
                             double epsilon) const;
  report::FactContext Context() const;
  Result<report::RandomSource*> Random();

  App& app_;
  report::RandomSource* random_;
  std::unique_ptr<report::RandomSource> own_random_;
};

}  // namespace haven::app
