#include "app/reports.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/permissions.h"
#include "privacy/crypto.h"
#include "report/counts.h"
#include "report/named_reports.h"
#include "report/labels.h"
#include "report/release.h"

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

// "haven", "ctdc" or both, comma-separated: whose records a report counts.
Result<store::FactSources> ParseSources(std::string_view text) {
  store::FactSources out;
  out.haven = false;
  bool any = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    const bool repeated = (part == "haven" && out.haven) ||
                          (part == "ctdc" && !out.imported.empty());
    if ((part != "haven" && part != "ctdc") || repeated)
      return Invalid("source", "must be haven (Haven's own cases), ctdc (imported CTDC records) "
                               "or both, as haven,ctdc");
    if (part == "haven") out.haven = true;
    else out.imported.emplace_back(part);
    any = true;
    start = end + 1;
  }
  if (!any) return Invalid("source", "must name at least one source: haven or ctdc");
  return out;
}

std::string SourcesKey(const store::FactSources& sources) {
  std::string out;
  for (const auto& s : report::SourceNames(sources)) out += (out.empty() ? "" : ",") + s;
  return out;
}

// The question a differentially private release answers, canonically: asked again,
// it gets the same answer.
std::string QueryKey(const std::string& release, const report::DpParams& dp, int threshold,
                     const store::FactSources& sources) {
  return fmt::format("{}|{}|epsilon={:.17g}|delta={:.17g}|suppress={}|sources={}", release,
                     dp.mechanism, dp.epsilon, dp.mechanism == "gaussian" ? dp.delta : 0.0,
                     threshold, SourcesKey(sources));
}

std::string RepeatedNote(Timestamp first) {
  return fmt::format(
      "The same question was answered on {}: this is that answer again, and no privacy "
      "budget was spent now.",
      FormatTimestamp(first));
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

Result<double> ReportService::SpendBudget(store::Transaction& tx, const Actor& actor,
                                          std::optional<int> year, double epsilon) const {
  const double budget = app_.config().dp_epsilon_budget;
  const double share = app_.config().dp_epsilon_per_analyst;
  const std::string for_year = year ? std::to_string(*year) : std::string("all years");
  TRY(double spent, Spent(tx, year));
  constexpr double kSlack = 1e-9;  // sums of decimal ε values are not exact
  if (spent + epsilon > budget + kSlack) {
    return Fail(ErrorCode::kConflict, "privacy_budget_exhausted",
                fmt::format("this release would spend ε = {:g}, but only {:g} of the privacy "
                            "budget of {:g} for {} is left (statistics.dp_epsilon_budget)",
                            epsilon, std::max(0.0, budget - spent), budget, for_year),
                "dp_epsilon");
  }
  if (share > 0 && !actor.IsSystem()) {
    double own = 0;
    if (year) {
      TRY(double of_year, tx.Reports().DpEpsilonSpent(BudgetKey(year), actor.user_id));
      TRY(double of_all, tx.Reports().DpEpsilonSpent(BudgetKey(std::nullopt), actor.user_id));
      own = of_year + of_all;
    } else {
      TRY(own, tx.Reports().DpEpsilonSpent("", actor.user_id));
    }
    if (own + epsilon > share + kSlack)
      return Fail(ErrorCode::kConflict, "privacy_budget_exhausted",
                  fmt::format("this release would spend ε = {:g}, but only {:g} of your share "
                              "of {:g} of the privacy budget for {} is left "
                              "(statistics.dp_epsilon_per_analyst)",
                              epsilon, std::max(0.0, share - own), share, for_year),
                  "dp_epsilon");
  }
  return spent;
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
  TRY(auto lang, report::ParseReportLanguage(request.lang, "lang"));
  TRY(auto sources, ParseSources(request.source));
  TRY(int threshold, Threshold(actor, request.suppress));
  if (request.dp) TRY_STATUS(report::ValidateDp(*request.dp, "dp_epsilon"));
  report::RandomSource* random = nullptr;
  if (request.dp) {
    TRY(random, Random());
  }

  report::ReportParams params;
  params.year = *request.year;
  params.sources = sources;
  params.threshold = threshold;
  params.context = Context();
  params.dp = request.dp;
  params.now = app_.Now();

  TRY(auto tx, app_.Store().Begin(true));
  TRY(params.batches, tx->Reports().ListImports());
  const std::string release = BudgetKey(request.year) + "report:" + request.name;
  const std::string query =
      request.dp ? QueryKey(release, *request.dp, threshold, sources) : std::string();
  std::optional<report::Report> kept;
  if (request.dp) {
    TRY(auto earlier, tx->Reports().FindDpRelease(query));
    if (earlier) {
      TRY(kept, report::ParseReportRelease(earlier->answer));
      kept->dp->repeated = true;
      kept->dp->released_at = earlier->at;
      kept->notes.push_back(RepeatedNote(earlier->at));
    }
  }
  report::Report rep;
  if (kept) {
    rep = std::move(*kept);
  } else {
    double spent = 0;
    if (request.dp) {
      TRY(spent, SpendBudget(*tx, actor, request.year, request.dp->epsilon));
    }
    TRY(rep, report::RunNamedReport(request.name, *tx, params, random));
    if (request.dp) {
      rep.dp->epsilon_spent_before = spent;
      TRY_STATUS(tx->Reports().InsertDpRelease({app_.Now(), actor.user_id, release,
                                                request.dp->mechanism, request.dp->epsilon,
                                                rep.dp->delta, query,
                                                report::SerializeRelease(rep)}));
    }
  }
  TRY(std::string body, report::RenderReport(rep, format, lang));
  const bool repeated = rep.dp && rep.dp->repeated;
  Json details = {{"year", *request.year},
                  {"sources", rep.sources},
                  {"repeated_release", repeated},
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
  out.file_name = fmt::format("{}-{}{}.{}", request.name, *request.year,
                              lang == domain::Language::kEn
                                  ? std::string()
                                  : "-" + std::string(report::LanguageCode(lang)),
                              report::FileExtension(format));
  out.linkage_applied = rep.linkage.applied;
  out.suppression = rep.suppression;
  out.sources = rep.sources;
  out.repeated_release = repeated;
  return out;
}

Result<RenderedReport> ReportService::Counts(const Actor& actor, const CountsRequest& request) {
  TRY_STATUS(RequireStatistics(actor));
  TRY(auto dims, report::ParseDimensions(request.by, "by"));
  TRY_STATUS(CheckYear(request.year, false));
  TRY(auto format, report::ParseFormat(request.format, "format", false));
  TRY(auto lang, report::ParseReportLanguage(request.lang, "lang"));
  TRY(auto sources, ParseSources(request.source));
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
  std::string by;
  for (auto d : dims) by += (by.empty() ? "" : ",") + std::string(report::DimensionName(d));
  const std::string release = BudgetKey(request.year) + "counts:" + by;
  const std::string query =
      request.dp ? QueryKey(release, *request.dp, threshold, sources) : std::string();
  std::optional<report::CountTable> kept;
  if (request.dp) {
    TRY(auto earlier, tx->Reports().FindDpRelease(query));
    if (earlier) {
      TRY(kept, report::ParseCountsRelease(earlier->answer));
      kept->dp->repeated = true;
      kept->dp->released_at = earlier->at;
      kept->notes.push_back(RepeatedNote(earlier->at));
    }
  }
  report::CountTable table;
  if (kept) {
    table = std::move(*kept);
  } else {
    double spent = 0;
    if (request.dp) {
      TRY(spent, SpendBudget(*tx, actor, request.year, request.dp->epsilon));
    }
    TRY(auto facts, tx->Reports().CaseFacts(request.year, sources));
    TRY(table, report::CountBy(facts, options, random));
    table.year = request.year;
    table.generated_at = app_.Now();
    table.sources = report::SourceNames(sources);
    TRY(auto batches, tx->Reports().ListImports());
    table.notes.push_back(report::SourcesNote(sources, batches));
    TRY(table.linkage, report::LinkageOf(*tx));
    if (request.dp) {
      table.dp->epsilon_spent_before = spent;
      TRY_STATUS(tx->Reports().InsertDpRelease({app_.Now(), actor.user_id, release,
                                                request.dp->mechanism, request.dp->epsilon,
                                                table.dp->delta, query,
                                                report::SerializeRelease(table)}));
    }
  }
  const bool repeated = table.dp && table.dp->repeated;
  TRY(std::string body, report::RenderCounts(table, format, lang));
  Json details = {{"by", by},
                  {"year", request.year ? Json(*request.year) : Json(nullptr)},
                  {"sources", table.sources},
                  {"repeated_release", repeated},
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
  out.file_name = fmt::format("counts.{}", report::FileExtension(format));
  out.linkage_applied = table.linkage.applied;
  out.suppression = table.suppression;
  out.sources = table.sources;
  out.repeated_release = repeated;
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
  const int configured = app_.config().suppression_threshold;
  if (k < configured && actor.role == domain::Role::kAnalyst && !IsSystem(actor))
    return Fail(ErrorCode::kForbidden, "suppression_required",
                fmt::format("exports for analysts are k-anonymous with k at least the configured "
                            "suppression threshold ({})",
                            configured),
                "k");
  TRY(auto tx, app_.Store().Begin(true));
  // Only Haven's own cases: imported records are CTDC's already.
  TRY(auto facts, tx->Reports().CaseFacts(std::nullopt, store::FactSources::HavenOnly()));
  report::CtdcExportOptions options;
  options.k = k;
  options.own_country = app_.config().country_code;
  TRY(auto exported, report::ExportCtdc(facts, options));
  Json details = {{"k", k},
                  {"persons", exported.input},
                  {"records", exported.records},
                  {"generalised", exported.generalised},
                  {"suppressed", exported.suppressed},
                  {"information_loss", exported.information_loss}};
  TRY_STATUS(app_.Audit(*tx, actor, "ctdc.export", "ctdc_export", "", details.dump()));
  TRY_STATUS(tx->Commit());
  CtdcExportSummary out;
  out.csv = std::move(exported.csv);
  out.k = k;
  out.input = exported.input;
  out.records = exported.records;
  out.generalised = exported.generalised;
  out.suppressed = exported.suppressed;
  out.fields = std::move(exported.fields);
  out.information_loss = exported.information_loss;
  return out;
}

Result<std::vector<store::ImportBatch>> ReportService::ListImports(const Actor& actor) {
  TRY_STATUS(Require(actor.role, Permission::kImportData));
  TRY(auto tx, app_.Store().Begin(false));
  return tx->Reports().ListImports();
}

Result<std::int64_t> ReportService::RemoveImport(const Actor& actor, Id batch) {
  TRY_STATUS(Require(actor.role, Permission::kImportData));
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto batches, tx->Reports().ListImports());
  std::string source;
  for (const auto& b : batches)
    if (b.id == batch) source = b.source;
  TRY(std::int64_t removed, tx->Reports().RemoveImport(batch, app_.Now()));
  Json details = {{"source", source}, {"records_removed", removed}};
  TRY_STATUS(app_.Audit(*tx, actor, "import.remove", "import_batch", std::to_string(batch),
                        details.dump()));
  TRY_STATUS(tx->Commit());
  return removed;
}

Result<PrivacyBudget> ReportService::Budget(const Actor& actor, std::optional<int> year) {
  TRY_STATUS(RequireStatistics(actor));
  TRY_STATUS(CheckYear(year, false));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto releases, tx->Reports().ListDpReleases());
  auto key_of = [](const std::string& release) { return release.substr(0, release.find(':')); };
  std::vector<std::string> keys;
  if (year) {
    keys.push_back(std::to_string(*year));
  } else {
    bool all = false;
    for (const auto& r : releases) {
      std::string k = key_of(r.release);
      if (k == "all") all = true;
      else if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
    std::sort(keys.begin(), keys.end());
    if (all) keys.emplace_back("all");
  }
  PrivacyBudget out;
  out.budget = app_.config().dp_epsilon_budget;
  out.per_analyst = app_.config().dp_epsilon_per_analyst;
  std::map<Id, std::string> names;
  for (const auto& key : keys) {
    YearBudget y;
    y.year = key;
    y.budget = out.budget;
    std::map<Id, BudgetUse> by;
    for (const auto& r : releases) {
      const std::string k = key_of(r.release);
      // As Spent(): a year's budget pays for its own releases and those over all years;
      // the budget over all years for every release.
      if (key != "all" && k != key && k != "all") continue;
      y.spent += r.epsilon;
      BudgetUse& use = by[r.actor_user_id];
      use.user_id = r.actor_user_id;
      use.spent += r.epsilon;
      ++use.releases;
    }
    y.left = std::max(0.0, y.budget - y.spent);
    for (auto& [id, use] : by) {
      if (!names.count(id)) {
        std::string name = "operator";
        if (id != 0) {
          TRY(auto user, tx->GetUser(id));
          name = user ? user->user.username : "user " + std::to_string(id);
        }
        names[id] = name;
      }
      use.username = names[id];
      y.by.push_back(use);
    }
    std::sort(y.by.begin(), y.by.end(), [](const BudgetUse& a, const BudgetUse& b) {
      return std::tie(b.spent, a.username) < std::tie(a.spent, b.username);
    });
    out.years.push_back(std::move(y));
  }
  return out;
}

}  // namespace haven::app
