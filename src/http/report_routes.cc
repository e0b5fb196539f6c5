// Routes of the report area: the list of named reports, counts over any
// dimensions, and named reports in JSON, CSV or XLSX. Every handler parses,
// calls one ReportService use case and renders.

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "app/reports.h"
#include "http/support.h"
#include "report/dimensions.h"

namespace haven::http {
namespace {

using Req = httplib::Request;
using Res = httplib::Response;
using Ctx = RequestContext;

Result<std::optional<int>> OptionalInt(const Req& req, const std::string& name, int min, int max) {
  if (!req.has_param(name)) return std::optional<int>();
  TRY(int v, IntParam(req, name, 0, min, max));
  return std::optional(v);
}

// ?dp_epsilon=&dp_mechanism=&dp_delta= : a differentially private release when given.
Result<std::optional<report::DpParams>> DpParams(const Req& req) {
  if (!req.has_param("dp_epsilon")) {
    if (req.has_param("dp_mechanism") || req.has_param("dp_delta"))
      return Invalid("dp_epsilon", "is required with dp_mechanism or dp_delta");
    return std::optional<report::DpParams>();
  }
  auto number = [&](const std::string& name) -> Result<double> {
    std::string v = req.get_param_value(name);
    double out = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(out))
      return Invalid(name, "must be a number");
    return out;
  };
  report::DpParams p;
  TRY(p.epsilon, number("dp_epsilon"));
  if (req.has_param("dp_mechanism")) p.mechanism = req.get_param_value("dp_mechanism");
  if (req.has_param("dp_delta")) {
    TRY(p.delta, number("dp_delta"));
  }
  TRY_STATUS(report::ValidateDp(p, "dp_epsilon"));
  return std::optional(p);
}

void SetRendered(Res& res, const app::RenderedReport& r) {
  res.status = 200;
  res.set_header("X-Haven-Linkage-Applied", r.linkage_applied ? "true" : "false");
  res.set_header("X-Haven-Suppression-Threshold", std::to_string(r.suppression.threshold));
  std::string sources;
  for (const auto& s : r.sources) sources += (sources.empty() ? "" : ",") + s;
  res.set_header("X-Haven-Sources", sources);
  if (r.repeated_release) res.set_header("X-Haven-Release", "repeated");
  if (r.format != report::Format::kJson)
    res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", r.file_name));
  res.set_content(r.body, std::string(report::ContentType(r.format)));
}

Status ListReports(app::App& app, const Req&, Res& res, const Ctx& ctx) {
  app::ReportService service(app);
  TRY(auto reports, service.List(ctx.Actor()));
  Json items = Json::array();
  for (const auto& r : reports)
    items.push_back({{"name", r.name}, {"title", r.title}, {"description", r.description}});
  Json dims = Json::array();
  for (int d = 0; d <= static_cast<int>(report::Dimension::kAgeSex); ++d)
    dims.push_back(std::string(report::DimensionName(static_cast<report::Dimension>(d))));
  SetJson(res, 200, {{"reports", items}, {"counts", {{"dimensions", dims}}}});
  return {};
}

Status Counts(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  app::CountsRequest r;
  r.by = req.get_param_value("by");
  if (req.has_param("source")) r.source = req.get_param_value("source");
  if (req.has_param("lang")) r.lang = req.get_param_value("lang");
  TRY(r.year, OptionalInt(req, "year", 1900, 2200));
  TRY(r.suppress, OptionalInt(req, "suppress", 0, 1000));
  if (req.has_param("format")) r.format = req.get_param_value("format");
  TRY(r.dp, DpParams(req));
  app::ReportService service(app);
  TRY(auto rendered, service.Counts(ctx.Actor(), r));
  SetRendered(res, rendered);
  return {};
}

Status NamedReport(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  app::ReportRequest r;
  r.name = req.matches[1];
  if (req.has_param("source")) r.source = req.get_param_value("source");
  if (req.has_param("lang")) r.lang = req.get_param_value("lang");
  TRY(r.year, OptionalInt(req, "year", 1900, 2200));
  TRY(r.suppress, OptionalInt(req, "suppress", 0, 1000));
  if (req.has_param("format")) r.format = req.get_param_value("format");
  TRY(r.dp, DpParams(req));
  app::ReportService service(app);
  TRY(auto rendered, service.Run(ctx.Actor(), r));
  SetRendered(res, rendered);
  return {};
}

Status PrivacyBudget(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto year, OptionalInt(req, "year", 1900, 2200));
  app::ReportService service(app);
  TRY(auto budget, service.Budget(ctx.Actor(), year));
  Json years = Json::array();
  for (const auto& y : budget.years) {
    Json by = Json::array();
    for (const auto& u : y.by)
      by.push_back({{"user_id", u.user_id},
                    {"username", u.username},
                    {"spent", u.spent},
                    {"releases", u.releases},
                    {"left", budget.per_analyst > 0 && u.user_id != 0
                                 ? Json(std::max(0.0, budget.per_analyst - u.spent))
                                 : Json(nullptr)}});
    years.push_back({{"year", y.year == "all" ? Json("all") : Json(std::stoi(y.year))},
                     {"budget", y.budget},
                     {"spent", y.spent},
                     {"left", y.left},
                     {"by", by}});
  }
  SetJson(res, 200,
          {{"budget", budget.budget},
           {"per_analyst", budget.per_analyst > 0 ? Json(budget.per_analyst) : Json(nullptr)},
           {"years", years}});
  return {};
}

// Haven's own cases in CTDC's case-level layout, k-anonymous: the file (CSV, as CTDC
// publishes it), or with format=json what was kept and lost, with the file.
Status CtdcExport(app::App& app, const Req& req, Res& res, const Ctx& ctx) {
  TRY(auto k, OptionalInt(req, "k", 2, 1000));
  std::string format = req.has_param("format") ? req.get_param_value("format") : "csv";
  if (format != "csv" && format != "json") return Invalid("format", "must be csv or json");
  app::ReportService service(app);
  TRY(auto e, service.ExportCtdc(ctx.Actor(), k.value_or(11)));
  res.set_header("X-Haven-K", std::to_string(e.k));
  res.set_header("X-Haven-Records", std::to_string(e.records));
  res.set_header("X-Haven-Suppressed", std::to_string(e.suppressed));
  res.set_header("X-Haven-Information-Loss", fmt::format("{:.4f}", e.information_loss));
  if (format == "csv") {
    res.status = 200;
    res.set_header("Content-Disposition", fmt::format("attachment; filename=\"ctdc-k{}.csv\"", e.k));
    res.set_content(e.csv, "text/csv; charset=utf-8");
    return {};
  }
  Json fields = Json::array();
  for (const auto& f : e.fields)
    fields.push_back({{"field", f.field},
                      {"exact", f.exact},
                      {"generalised", f.generalised},
                      {"blanked", f.blanked},
                      {"not_recorded", f.not_recorded}});
  SetJson(res, 200,
          {{"k", e.k},
           {"persons", e.input},
           {"records", e.records},
           {"generalised", e.generalised},
           {"suppressed", e.suppressed},
           {"information_loss", e.information_loss},
           {"fields", fields},
           {"csv", e.csv}});
  return {};
}

}  // namespace

// /counts and /privacy-budget come before /{name}: httplib tries routes in the order registered.
std::vector<Route> ReportRoutes() {
  return {
      {"GET", "/api/v1/reports", false, ListReports},
      {"GET", "/api/v1/reports/counts", false, Counts, {"by", "year", "source", "lang", "format", "suppress", "dp_epsilon", "dp_mechanism", "dp_delta"}},
      {"GET", "/api/v1/reports/privacy-budget", false, PrivacyBudget, {"year"}},
      {"GET", "/api/v1/exports/ctdc", false, CtdcExport, {"k", "format"}},
      {"GET", "/api/v1/reports/{name}", false, NamedReport, {"year", "source", "lang", "format", "suppress", "dp_epsilon", "dp_mechanism", "dp_delta"}},
  };
}

}  // namespace haven::http
