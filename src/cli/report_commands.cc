#include "cli/report_commands.h"
#include "cli/file_io.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/app.h"
#include "app/reports.h"
#include "report/dimensions.h"
#include "report/named_reports.h"

namespace haven::cli {
namespace {

int ExitCodeFor(const Error& e) {
  switch (e.code) {
    case ErrorCode::kValidation: return 2;
    case ErrorCode::kConflict: return 3;
    case ErrorCode::kNotFound: return 4;
    default: return 1;
  }
}

using cli::Die;  // the message overload, beside the Error one below

[[noreturn]] void Die(const Error& e) {
  // Internal details stay out of the terminal as they stay out of HTTP responses.
  std::string message = e.code == ErrorCode::kInternal ? "an internal error occurred: " + e.message
                                                       : e.message;
  std::string where = e.field.empty() ? "" : fmt::format(" ({})", e.field);
  Die(message + where, ExitCodeFor(e));
}

std::unique_ptr<app::App> OpenInstance(const std::string& dir) {
  auto opened = app::App::Open(app::ResolveDir(dir));
  if (!opened) Die(opened.error());
  return std::move(*opened);
}



// A one-line progress bar on stderr, only when stderr is a terminal.
class ProgressBar {
 public:
  ProgressBar() : enabled_(isatty(STDERR_FILENO) == 1) {}
  ~ProgressBar() { Finish(); }
  void Update(std::string_view phase, std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    constexpr int kWidth = 30;
    int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * kWidth);
    int percent = static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total));
    std::fprintf(stderr, "\r%-8.*s [%-*s] %3d%%", static_cast<int>(phase.size()), phase.data(), kWidth,
                 std::string(static_cast<std::size_t>(filled), '#').c_str(), percent);
    std::fflush(stderr);
    shown_ = true;
  }
  void Finish() {
    if (shown_) std::fprintf(stderr, "\n");
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

struct ReportArgs {
  std::string dir;
  std::string name;
  std::optional<int> year;
  std::string format;
  std::string out;
  std::string by;
  std::string source = "haven";
  std::string lang = "en";
  std::optional<int> suppress;
  std::optional<double> dp_epsilon;
  std::string dp_mechanism = "laplace";
  double dp_delta = 1e-6;
};

// Without --format, a person at a terminal gets a table to read, a script JSON (CSV for counts).
bool ToTerminal(const ReportArgs& args) { return args.out.empty() && isatty(STDOUT_FILENO) == 1; }

void Emit(const app::RenderedReport& r, const std::string& out) {
  if (out.empty()) {
    if (r.format == report::Format::kXlsx || r.format == report::Format::kPdf)
      Die(fmt::format("{} report needs --out FILE",
                      r.format == report::Format::kPdf ? "a PDF" : "an XLSX"),
          2);
    std::fwrite(r.body.data(), 1, r.body.size(), stdout);
    std::fflush(stdout);
    return;
  }
  WriteAtomically(out, r.body);
  std::fprintf(stderr, "haven: wrote %s (linkage %s; %d cells hidden at threshold %d)\n",
               out.c_str(), r.linkage_applied ? "applied" : "not applied",
               r.suppression.primary + r.suppression.secondary, r.suppression.threshold);
}

void RunReport(const ReportArgs& args) {
  std::optional<report::DpParams> dp;
  if (args.dp_epsilon) dp = report::DpParams{args.dp_mechanism, *args.dp_epsilon, args.dp_delta};
  auto instance = OpenInstance(args.dir);
  app::ReportService service(*instance);
  const app::Actor actor = app::Actor::System("cli");

  if (args.name == "list") {
    auto list = service.List(actor);
    if (!list) Die(list.error());
    for (const auto& r : *list) fmt::print("{:<8} {}\n", r.name, r.title);
    fmt::print("{:<8} {}\n", "counts",
               "Persons by any dimensions (--by " + report::DimensionNames() + ")");
    return;
  }
  if (args.name == "counts") {
    app::CountsRequest r;
    r.by = args.by;
    if (r.by.empty()) Die("report counts needs --by DIM[,DIM…]: " + report::DimensionNames(), 2);
    r.year = args.year;
    r.source = args.source;
    r.lang = args.lang;
    r.format = !args.format.empty() ? args.format : ToTerminal(args) ? "text" : "csv";
    r.suppress = args.suppress;
    r.dp = dp;
    auto rendered = service.Counts(actor, r);
    if (!rendered) Die(rendered.error());
    Emit(*rendered, args.out);
    return;
  }
  if (!args.by.empty()) Die("--by belongs to `haven report counts`", 2);
  app::ReportRequest r;
  r.name = args.name;
  r.year = args.year;
  r.source = args.source;
  r.lang = args.lang;
  r.format = !args.format.empty() ? args.format : ToTerminal(args) ? "text" : "json";
  r.suppress = args.suppress;
  r.dp = dp;
  auto rendered = service.Run(actor, r);
  if (!rendered) Die(rendered.error());
  Emit(*rendered, args.out);
}

struct ImportArgs {
  std::string dir;
  std::string file;
  std::string rejects;
};

void RunImport(const ImportArgs& args) {
  std::string content = ReadWholeFile(args.file);
  auto instance = OpenInstance(args.dir);
  app::ReportService service(*instance);
  ProgressBar bar;
  auto summary = service.ImportCtdc(
      app::Actor::System("cli"), content,
      [&](std::string_view phase, std::size_t done, std::size_t total) { bar.Update(phase, done, total); });
  bar.Finish();
  if (!summary) Die(summary.error());
  std::string rejects_path = args.rejects;
  if (rejects_path.empty() && summary->rejected > 0) {
    // The input may sit in a read-only folder; the instance folder is ours.
    rejects_path = (instance->config().dir /
                    fmt::format("ctdc-rejects-{}.csv", FormatTimestamp(instance->Now())))
                       .string();
    for (char& c : rejects_path)
      if (c == ':') c = '-';
  }
  if (!rejects_path.empty()) WriteAtomically(rejects_path, summary->rejects_csv);
  fmt::print("read {}, imported {} ({} new, {} already present), rejected {}\n", summary->read,
             summary->imported, summary->added, summary->already_present, summary->rejected);
  if (!rejects_path.empty()) fmt::print("rejected rows (line and reason): {}\n", rejects_path);
}

struct ImportBatchArgs {
  std::string dir;
  std::int64_t batch = 0;
};

void RunImportList(const ImportBatchArgs& args) {
  auto instance = OpenInstance(args.dir);
  app::ReportService service(*instance);
  auto batches = service.ListImports(app::Actor::System("cli"));
  if (!batches) Die(batches.error());
  if (batches->empty()) {
    fmt::print("no import batches\n");
    return;
  }
  fmt::print("{:>5}  {:<6}  {:<20}  {:>8}  {:>8}  {:>8}  {:>8}  {:<20}  {}\n", "batch", "source",
             "imported at", "read", "added", "rejected", "counted", "removed at", "file digest");
  for (const auto& b : *batches)
    fmt::print("{:>5}  {:<6}  {:<20}  {:>8}  {:>8}  {:>8}  {:>8}  {:<20}  {}\n", b.id, b.source,
               FormatTimestamp(b.at), b.read, b.added, b.rejected, b.records,
               b.removed_at ? FormatTimestamp(*b.removed_at) : "-", b.file_digest.substr(0, 16));
}

void RunImportRemove(const ImportBatchArgs& args) {
  auto instance = OpenInstance(args.dir);
  app::ReportService service(*instance);
  auto removed = service.RemoveImport(app::Actor::System("cli"), args.batch);
  if (!removed) Die(removed.error());
  fmt::print("removed import batch {}: {} records no longer counted\n", args.batch, *removed);
}

struct ExportArgs {
  std::string dir;
  std::string out;
  int k = 11;
};

void RunExport(const ExportArgs& args) {
  auto instance = OpenInstance(args.dir);
  app::ReportService service(*instance);
  auto exported = service.ExportCtdc(app::Actor::System("cli"), args.k);
  if (!exported) Die(exported.error());
  WriteAtomically(args.out, exported->csv);
  fmt::print(
      "exported {} of {} persons with k = {}: {} records generalised, {} suppressed; wrote {}\n",
      exported->records, exported->input, exported->k, exported->generalised,
      exported->suppressed, args.out);
  fmt::print("{:<24} {:>8} {:>12} {:>8} {:>13}\n", "field", "exact", "generalised", "blanked",
             "not recorded");
  for (const auto& f : exported->fields)
    fmt::print("{:<24} {:>8} {:>12} {:>8} {:>13}\n", f.field, f.exact, f.generalised, f.blanked,
               f.not_recorded);
  fmt::print("information loss {:.3f} (0: nothing lost, 1: every recorded value blanked)\n",
             exported->information_loss);
}

CLI::App* SubcommandOf(CLI::App& parent, const std::string& name, const std::string& help) {
  try {
    return parent.get_subcommand(name);
  } catch (const CLI::OptionNotFound&) {
    CLI::App* sub = parent.add_subcommand(name, help);
    sub->require_subcommand(1);
    return sub;
  }
}

}  // namespace

void AddReportCommands(CLI::App& app) {
  auto rargs = std::make_shared<ReportArgs>();
  std::string names;
  for (const auto& r : report::NamedReports()) names += std::string(r.name) + ", ";
  CLI::App* rep = app.add_subcommand(
      "report", "Statistics: named partner reports (" + names + "…) and counts by any dimension");
  rep->add_option("NAME", rargs->name,
                  "list, counts, or a report name (" + names.substr(0, names.size() - 2) + ")")
      ->required();
  rep->add_option("--dir", rargs->dir, "instance folder (default: $HAVEN_DIR, else ./haven-data)");
  rep->add_option("--year", rargs->year, "year of identification (required for named reports)");
  rep->add_option("--format", rargs->format,
                  "json, csv, xlsx, pdf or text (default: text on a terminal, else json; counts: "
                  "json, csv or text, default text on a terminal, else csv)");
  rep->add_option("--lang", rargs->lang, "az, en or ru: the language of titles, labels and notes")
      ->capture_default_str();
  rep->add_option("--out", rargs->out, "write to this file instead of standard output");
  rep->add_option("--by", rargs->by, "counts: dimensions, comma-separated: " + report::DimensionNames());
  rep->add_option("--source", rargs->source,
                  "whose records: haven (Haven's own cases), ctdc (imported records) or "
                  "haven,ctdc")
      ->capture_default_str();
  rep->add_option("--suppress", rargs->suppress,
                  "hide counts below N (default: suppression_threshold of haven.toml; 0: none)");
  rep->add_option("--dp-epsilon", rargs->dp_epsilon,
                  "a differentially private release with this privacy budget (0 < epsilon <= 10)");
  rep->add_option("--dp-mechanism", rargs->dp_mechanism, "laplace or gaussian")->capture_default_str();
  rep->add_option("--dp-delta", rargs->dp_delta, "delta of the Gaussian mechanism")->capture_default_str();
  rep->callback([rargs] { RunReport(*rargs); });

  auto iargs = std::make_shared<ImportArgs>();
  CLI::App* import = SubcommandOf(app, "import", "Import data from partners");
  CLI::App* import_ctdc = import->add_subcommand(
      "ctdc", "Import a CTDC case-level file (semicolon-separated, as CTDC publishes it)");
  import_ctdc->add_option("FILE", iargs->file, "the CTDC file")->required();
  import_ctdc->add_option("--dir", iargs->dir, "instance folder (default: $HAVEN_DIR, else ./haven-data)");
  import_ctdc->add_option("--rejects", iargs->rejects,
                          "where to write the rejected rows with line and reason (default: in the "
                          "instance folder, when there are any)");
  import_ctdc->callback([iargs] { RunImport(*iargs); });
  auto bargs = std::make_shared<ImportBatchArgs>();
  CLI::App* import_list = import->add_subcommand("list", "List the import batches");
  import_list->add_option("--dir", bargs->dir, "instance folder (default: $HAVEN_DIR, else ./haven-data)");
  import_list->callback([bargs] { RunImportList(*bargs); });
  CLI::App* import_remove = import->add_subcommand(
      "remove", "Take the records an import batch added out of every figure");
  import_remove->add_option("BATCH", bargs->batch, "the batch number, as `haven import list` shows")
      ->required();
  import_remove->add_option("--dir", bargs->dir, "instance folder (default: $HAVEN_DIR, else ./haven-data)");
  import_remove->callback([bargs] { RunImportRemove(*bargs); });

  auto eargs = std::make_shared<ExportArgs>();
  CLI::App* exp = SubcommandOf(app, "export", "Export data for partners");
  CLI::App* export_ctdc = exp->add_subcommand(
      "ctdc", "Export persons in CTDC's case-level format, k-anonymised");
  export_ctdc->add_option("--out", eargs->out, "the file to write")->required();
  export_ctdc->add_option("--k", eargs->k,
                          "every combination of quasi-identifiers occurs at least k times (>= 2)")
      ->capture_default_str();
  export_ctdc->add_option("--dir", eargs->dir, "instance folder (default: $HAVEN_DIR, else ./haven-data)");
  export_ctdc->callback([eargs] { RunExport(*eargs); });
}

bool ReportCommandRan(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    if (sub->get_name() == "report") return true;
    if ((sub->get_name() == "import" || sub->get_name() == "export") && sub->got_subcommand("ctdc"))
      return true;
    if (sub->get_name() == "import" && (sub->got_subcommand("list") || sub->got_subcommand("remove")))
      return true;
  }
  return false;
}

}  // namespace haven::cli
