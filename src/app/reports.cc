#include "app/reports.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/permissions.h"
#include "privacy/crypto.h"
#include "report/counts.h"
#include "report/named_reports.h"

namespace haven::app {
namespace {

using Json = nlohmann::json;

bool IsSystem(const Actor& actor) { return actor.IsSystem(); }

// The operator at the server's console is the system actor; everyone else
// needs the permission of their role.
Status RequireStatistics(const Actor& actor) {
  if (IsSystem(actor)) return {};
  return Require(actor.role, Permission::kReadStatistics);
}

Status CheckYear(std::optional<int> year, bool required) {
  if (!year) {
    if (required) return Invalid("year", "is required: the year of identification, e.g. 2024");
    return {};
  }
  if (*year < 1900 || *year > 2200) return Invalid("year", "must be a year from 1900 to 2200");
  return {};
}

Json DpDetails(const std::optional<report::DpParams>& dp) {
  if (!dp) return nullptr;
  return {{"mechanism", dp->mechanism},
          {"epsilon", dp->epsilon},
          {"delta", dp->mechanism == "gaussian" ? dp->delta : 0.0}};
}

// The privacy budget is kept per year of data: every release about the same
// persons spends from the same budget.
std::string BudgetKey(std::optional<int> year) {
  return year ? std::to_string(*year) + ":" : std::string("all:");
}

// The ε already spent about `year`: its own releases and those over all years; for a
// release over all years, every release (an upper bound of what any one year has spent).
Result<double> Spent(store::Transaction& tx, std::optional<int> year) {
  if (!year) return tx.Reports().DpEpsilonSpent("");
  TRY(double own, tx.Reports().DpEpsilonSpent(BudgetKey(year)));
  TRY(double all, tx.Reports().DpEpsilonSpent(BudgetKey(std::nullopt)));
  return own + all;
}

// Refuses a release that would take the spending about `year` beyond the budget.
Result<double> SpendBudget(store::Transaction& tx, std::optional<int> year, double epsilon,
                           double budget) {
  TRY(double spent, Spent(tx, year));
  constexpr double kSlack = 1e-9;  // sums of decimal ε values are not exact
  if (spent + epsilon > budget + kSlack) {
    return Fail(ErrorCode::kConflict, "privacy_budget_exhausted",
                fmt::format("this release would spend ε = {:g}, but only {:g} of the privacy "
                            "budget of {:g} for {} is left (statistics.dp_epsilon_budget)",
                            epsilon, std::max(0.0, budget - spent), budget,
                            year ? std::to_string(*year) : std::string("all years")),
                "dp_epsilon");
  }
  return spent;
}

}  // namespace

ReportService::ReportService(App& app, report::RandomSource* random)
    : app_(app), random_(random) {}

ReportService::~ReportService() = default;

Result<report::RandomSource*> ReportService::Random() {
  if (random_) return random_;
  own_random_ = report::MakeSystemRandom();
  if (!own_random_) return Internal("libsodium could not be initialised");
  random_ = own_random_.get();
  return random_;
}

report::FactContext ReportService::Context() const {
  report::FactContext ctx;
  ctx.own_country = app_.config().country_code;
  ctx.last_year = app_.Today().Year();
  ctx.first_year = std::min(2000, ctx.last_year);
  return ctx;
}

Result<int> ReportService::Threshold(const Actor& actor, std::optional<int> requested) const {
  const int configured = app_.config().suppression_threshold;
  if (!requested) return configured;
  if (*requested < 0 || *requested > 1000) return Invalid("suppress", "must be from 0 to 1000");
  if (*requested < configured && actor.role == domain::Role::kAnalyst && !IsSystem(actor))
    return Fail(ErrorCode::kForbidden, "suppression_required",
                fmt::format("outputs for analysts are suppressed at the configured threshold "
                            "({}) or above",
                            configured),
                "suppress");
  return *requested;
}

Result<std::vector<ReportListing>> ReportService::List(const Actor& actor) {
  TRY_STATUS(RequireStatistics(actor));
  std::vector<ReportListing> out;
  for (const auto& r : report::NamedReports())
    out.push_back({std::string(r.name), std::string(r.title), std::string(r.description)});
  return out;
}

Result<RenderedReport> ReportService::Run(const Actor& actor, const ReportRequest& request) {
  TRY_STATUS(RequireStatistics(actor));
  if (!report::FindNamedReport(request.name)) {
    std::string names;
    for (const auto& r : report::NamedReports())
      names += (names.empty() ? "" : ", ") + std::string(r.name);
    return Fail(ErrorCode::kNotFound, "unknown_report",
                "no such report; the reports are " + names + " (and counts)", "name");
  }
  TRY_STATUS(CheckYear(request.year, true));
  TRY(auto format, report::ParseFormat(request.format, "format"));
  TRY(int threshold, Threshold(actor, request.suppress));
  if (request.dp) TRY_STATUS(report::ValidateDp(*request.dp, "dp_epsilon"));
  report::RandomSource* random = nullptr;
  if (request.dp) {
    TRY(random, Random());
  }

  report::ReportParams params;
  params.year = *request.year;
  params.threshold = threshold;
  params.context = Context();
  params.dp = request.dp;
  params.now = app_.Now();

  TRY(auto tx, app_.Store().Begin(true));
  double spent = 0;
  if (request.dp) {
    TRY(spent, SpendBudget(*tx, request.year, request.dp->epsilon,
                           app_.config().dp_epsilon_budget));
  }
  TRY(auto rep, report::RunNamedReport(request.name, *tx, params, random));
  std::string release = BudgetKey(request.year) + "report:" + request.name;
  if (request.dp) {
    rep.dp->epsilon_spent_before = spent;
    TRY_STATUS(tx->Reports().InsertDpRelease({app_.Now(), actor.user_id, release,
                                              request.dp->mechanism, request.dp->epsilon,
                                              rep.dp->delta}));
  }
  TRY(std::string body, report::RenderReport(rep, format));
  Json details = {{"year", *request.year},
                  {"format", report::FormatName(format)},
                  {"suppression_threshold", threshold},
                  {"cells_hidden", rep.suppression.primary + rep.suppression.secondary},
                  {"linkage_applied", rep.linkage.applied},
                  {"dp", DpDetails(request.dp)}};
  TRY_STATUS(app_.Audit(*tx, actor, "report.run", "report", request.name, details.dump()));
  TRY_STATUS(tx->Commit());

  RenderedReport out;
  out.body = std::move(body);
  out.format = format;
  out.file_name = fmt::format("{}-{}.{}", request.name, *request.year, report::FormatName(format));
  out.linkage_applied = rep.linkage.applied;
  out.suppression = rep.suppression;
  return out;
}

Result<RenderedReport> ReportService::Counts(const Actor& actor, const CountsRequest& request) {
  TRY_STATUS(RequireStatistics(actor));
  TRY(auto dims, report::ParseDimensions(request.by, "by"));
  TRY_STATUS(CheckYear(request.year, false));
  TRY(auto format, report::ParseFormat(request.format, "format", false));
  TRY(int threshold, Threshold(actor, request.suppress));
  if (request.dp) TRY_STATUS(report::ValidateDp(*request.dp, "dp_epsilon"));
  report::RandomSource* random = nullptr;
  if (request.dp) {
    TRY(random, Random());
  }

  report::CountOptions options;
  options.dimensions = dims;
  options.threshold = threshold;
  options.dp = request.dp;
  options.context = Context();
  if (request.year) options.context.first_year = options.context.last_year = *request.year;

  TRY(auto tx, app_.Store().Begin(true));
  double spent = 0;
  if (request.dp) {
    TRY(spent, SpendBudget(*tx, request.year, request.dp->epsilon,
                           app_.config().dp_epsilon_budget));
  }
  TRY(auto facts, tx->Reports().CaseFacts(request.year));
  TRY(auto table, report::CountBy(facts, options, random));
  table.year = request.year;
  table.generated_at = app_.Now();
  TRY(table.linkage, report::LinkageOf(*tx));
  std::string by;
  for (const auto& d : table.dimensions) by += (by.empty() ? "" : ",") + d;
  if (request.dp) {
    table.dp->epsilon_spent_before = spent;
    TRY_STATUS(tx->Reports().InsertDpRelease({app_.Now(), actor.user_id,
                                              BudgetKey(request.year) + "counts:" + by,
                                              request.dp->mechanism, request.dp->epsilon,
                                              table.dp->delta}));
  }
  TRY(std::string body, report::RenderCounts(table, format));
  Json details = {{"by", by},
                  {"year", request.year ? Json(*request.year) : Json(nullptr)},
                  {"format", report::FormatName(format)},
                  {"suppression_threshold", threshold},
                  {"cells_hidden", table.suppression.primary + table.suppression.secondary},
                  {"linkage_applied", table.linkage.applied},
                  {"dp", DpDetails(request.dp)}};
  TRY_STATUS(app_.Audit(*tx, actor, "report.counts", "report", "counts", details.dump()));
  TRY_STATUS(tx->Commit());

  RenderedReport out;
  out.body = std::move(body);
  out.format = format;
  out.file_name = fmt::format("counts.{}", report::FormatName(format));
  out.linkage_applied = table.linkage.applied;
  out.suppression = table.suppression;
  return out;
}

Result<CtdcImportSummary> ReportService::ImportCtdc(const Actor& actor, std::string_view content,
                                                    const ImportProgress& progress) {
  TRY_STATUS(Require(actor.role, Permission::kImportData));
  auto reading = [&](std::size_t done, std::size_t total) {
    if (progress) progress("reading", done, total);
  };
  TRY(auto parsed, report::ParseCtdc(content, reading));

  CtdcImportSummary summary;
  summary.read = parsed.read;
  summary.rejected = parsed.rejects.size();
  summary.imported = parsed.records.size();

  store::CtdcImportRecord record;
  record.at = app_.Now();
  record.file_digest = privacy::Digest(content);
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto import_id, tx->Reports().InsertCtdcImport(record));
  for (std::size_t i = 0; i < parsed.records.size(); ++i) {
    TRY(bool added, tx->Reports().InsertCtdcRecord(parsed.records[i], import_id));
    added ? ++summary.added : ++summary.already_present;
    if (progress && (i % 256 == 0 || i + 1 == parsed.records.size()))
      progress("storing", i + 1, parsed.records.size());
  }
  record.read = static_cast<std::int64_t>(summary.read);
  record.imported = static_cast<std::int64_t>(summary.imported);
  record.added = static_cast<std::int64_t>(summary.added);
  record.rejected = static_cast<std::int64_t>(summary.rejected);
  TRY_STATUS(tx->Reports().FinishCtdcImport(import_id, record));
  Json details = {{"file_digest", record.file_digest},
                  {"read", summary.read},
                  {"imported", summary.imported},
                  {"added", summary.added},
                  {"already_present", summary.already_present},
                  {"rejected", summary.rejected}};
  TRY_STATUS(app_.Audit(*tx, actor, "ctdc.import", "ctdc_import", std::to_string(import_id),
                        details.dump()));
  TRY_STATUS(tx->Commit());
  summary.rejects_csv = report::RejectsCsv(parsed.rejects);
  summary.rejects = std::move(parsed.rejects);
  return summary;
}

Result<CtdcExportSummary> ReportService::ExportCtdc(const Actor& actor, int k) {
  TRY_STATUS(RequireStatistics(actor));
  if (k < 2) return Invalid("k", "must be at least 2 (CTDC publishes with k = 11)");
  if (k > 1000) return Invalid("k", "must be at most 1000");
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto facts, tx->Reports().CaseFacts(std::nullopt));
  report::CtdcExportOptions options;
  options.k = k;
  TRY(auto exported, report::ExportCtdc(facts, options));
  Json details = {{"k", k},
                  {"persons", exported.input},
                  {"records", exported.records},
                  {"generalised", exported.generalised},
                  {"suppressed", exported.suppressed}};
  TRY_STATUS(app_.Audit(*tx, actor, "ctdc.export", "ctdc_export", "", details.dump()));
  TRY_STATUS(tx->Commit());
  CtdcExportSummary out;
  out.csv = std::move(exported.csv);
  out.k = k;
  out.input = exported.input;
  out.records = exported.records;
  out.generalised = exported.generalised;
  out.suppressed = exported.suppressed;
  return out;
}

}  // namespace haven::app
