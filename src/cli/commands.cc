#include "cli/commands.h"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "app/assistance.h"
#include "app/audit_checkpoint.h"
#include "app/demo.h"
#include "app/log.h"
#include "app/retention.h"
#include "cli/consent_commands.h"
#include "cli/file_io.h"
#include "cli/key_commands.h"
#include "cli/linkage_commands.h"
#include "cli/report_commands.h"
#include "cli/user_commands.h"
#include "http/server.h"

namespace haven::cli {
namespace {

int Report(const Error& e) { return ReportError(e); }

// Serves until SIGINT or SIGTERM, then shuts down gracefully: the listener
// closes, requests in flight finish, the database is closed cleanly.
int Serve(app::App& app, const std::string& bind, int port) {
  // After an upgrade of the person schema, or with persons registered before linkage
  // keys, the duplicate warning would not see them: make their keys first.
  auto made = app.MakeMissingClks();
  if (!made) return Report(made.error());
  if (*made > 0) spdlog::info("made the linkage keys of {} persons who had none", *made);
  // Free text written before it was sealed (service units and outcomes, deciding bodies).
  auto sealed = app::AssistanceService(app).SealLegacyFreeText();
  if (!sealed) return Report(sealed.error());
  if (*sealed > 0) spdlog::info("sealed the free text of {} records written before", *sealed);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // Blocked in every thread started from here; only the waiter below takes them.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  http::ServerOptions options;
  options.bind = bind.empty() ? app.config().bind : bind;
  options.port = port >= 0 ? port : app.config().port;
  options.threads = app.config().threads;
  options.max_body_bytes = app.config().max_body_bytes;
  if (app.config().Tls()) {
    options.tls_certificate = app.config().TlsCertificatePath();
    options.tls_key = app.config().TlsKeyPath();
  }
  const std::filesystem::path ui_dir =
      app.config().ui_dir.empty() ? std::filesystem::path(HAVEN_UI_DIR)
                                  : app.config().dir / app.config().ui_dir;
  if (auto ui = http::UiAssets::Load(ui_dir)) {
    options.ui = std::make_shared<const http::UiAssets>(std::move(*ui));
  } else {
    spdlog::warn("{}; serving the API only", ui.error().message);
  }
  http::Server server(app, options);
  if (auto st = server.Bind(); !st) return Report(st.error());
  // Signed checkpoints of the audit log in DIR/checkpoints/ ([audit] in haven.toml).
  app::AuditCheckpointTimer checkpoints(app, app.config().audit_checkpoint_every_minutes);
  // Erasure at the end of retention ([retention] in haven.toml), at start and daily.
  app::RetentionTimer retention(app);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server.Stop();
  });
  fmt::print("Haven listening on {}://{}:{}\n", app.config().Tls() ? "https" : "http",
             options.bind, server.port());
  std::fflush(stdout);
  auto st = server.Run();
  // If Run ended on its own, wake the waiter.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  spdlog::info("stopped");
  if (!st) return Report(st.error());
  return 0;
}

// What a linkage run changes (or would change), for `haven link`; the first line is the
// one earlier versions printed.
void PrintLinkageSummary(const app::LinkageSummary& s) {
  auto persons = [](std::int64_t n) { return fmt::format("{} person{}", n, n == 1 ? "" : "s"); };
  fmt::print("  linked {}: {} unique {} (now {}), {} registrations joined with another (now {})\n",
             persons(s.persons), s.clusters, s.clusters == 1 ? "person" : "persons",
             s.clusters_before, s.linked_persons, s.linked_before);
  fmt::print("  persons whose cluster changes: {}\n", s.changed_persons);
  if (s.largest_clusters.empty()) {
    fmt::print("  largest cluster: {} (nobody joined with another)\n", s.LargestCluster());
  } else {
    std::string next;
    for (std::size_t i = 1; i < s.largest_clusters.size(); ++i)
      next += fmt::format("{}{}", i == 1 ? "" : ", ", s.largest_clusters[i]);
    fmt::print("  largest cluster: {} registrations{}\n", s.largest_clusters.front(),
               next.empty() ? "" : " (next: " + next + ")");
  }
  if (s.clks_made > 0) fmt::print("  linkage keys made: {}\n", s.clks_made);
}

// `haven link runs`: one line a run, newest (the one in force) first.
int ListLinkageRuns(app::App& app, const app::Actor& actor) {
  auto runs = app.ListLinkageRuns(actor);
  if (!runs) return Report(runs.error());
  if (runs->empty()) {
    fmt::print("No linkage run has been saved yet (haven link --apply).\n");
    return 0;
  }
  auto known = [](const std::optional<std::int64_t>& v) {
    return v ? std::to_string(*v) : std::string("?");
  };
  auto line = [](std::string text) {
    text.erase(text.find_last_not_of(' ') + 1);
    fmt::print("{}\n", text);
  };
  line(fmt::format("{:>4}  {:<20}  {:>9}  {:>7}  {:>7}  {:>6}  {:>7}  {:<6}  {:<8}", "run", "at",
                   "threshold", "persons", "unique", "joined", "largest", "forced", "restored"));
  for (const auto& info : *runs) {
    const auto& r = info.run;
    std::string note = info.current ? "in force" : "";
    if (!r.clusters_kept) note += std::string(note.empty() ? "" : ", ") + "clusters not kept";
    line(fmt::format("{:>4}  {:<20}  {:>9.2f}  {:>7}  {:>7}  {:>6}  {:>7}  {:<6}  {:<8}  {}", r.id,
                     FormatTimestamp(r.at), r.threshold, r.persons, r.clusters,
                     known(r.linked_persons), known(r.largest_cluster), r.forced ? "yes" : "no",
                     r.restored_from ? "from " + std::to_string(*r.restored_from) : "", note));
  }
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  // Everything Haven writes (database, keyring, logs) is for its owner only.
  umask(077);
  // One JSON object a line on stderr, every field escaped (app/log.h).
  app::InstallJsonLog();

  CLI::App cli{"Haven: case management and national referral for counter-trafficking work"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", "haven 0.1");
  std::string dir_flag;
  auto add_dir = [&](CLI::App* sub) {
    sub->add_option("--dir", dir_flag,
                    "instance folder (default: $HAVEN_DIR, else ./haven-data)");
  };

  // init
  auto* init = cli.add_subcommand("init", "create a new instance: config, keyring, database, admin");
  add_dir(init);
  std::string admin_password;
  init->add_option("--admin-password", admin_password,
                   "password of the first user `admin` (at least 12 characters); generated and "
                   "printed when omitted");

  // serve
  auto* serve = cli.add_subcommand("serve", "serve the API over HTTP until SIGINT/SIGTERM");
  add_dir(serve);
  int port = -1;
  std::string bind;
  serve->add_option("--port", port, "port to listen on (default from haven.toml; 0: any free)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--bind", bind, "address to listen on (default from haven.toml)");

  // demo
  auto* demo = cli.add_subcommand(
      "demo", "create a demo instance with generated data (first use), then serve it");
  add_dir(demo);
  demo->add_option("--port", port, "port to listen on (default 8080; 0: any free)")
      ->check(CLI::Range(0, 65535));
  demo->add_option("--bind", bind, "address to listen on (default 127.0.0.1)");
  int demo_cases = 400;
  demo->add_option("--cases", demo_cases, "number of generated cases")->check(CLI::Range(0, 1000000));
  bool no_serve = false;
  demo->add_flag("--no-serve", no_serve, "generate the data, then exit");

  // audit
  auto* audit = cli.add_subcommand("audit", "the audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "walk the hash chain, and check that the log extends each --checkpoint; "
                "non-zero exit when broken");
  add_dir(verify);
  std::vector<std::string> verify_checkpoints;
  verify->add_option("--checkpoint", verify_checkpoints,
                     "a checkpoint this instance signed (haven audit checkpoint); repeatable");
  auto* checkpoint = audit->add_subcommand(
      "checkpoint", "sign the current head of the audit log, for an oversight body to keep");
  add_dir(checkpoint);
  std::string checkpoint_out;
  checkpoint->add_option("--out", checkpoint_out, "file to write (default: standard output)");

  auto accounts = AddAccountCommands(cli, dir_flag);
  auto key_commands = AddKeyCommands(cli, dir_flag);

  // link: all persons of the instance, previewed unless --apply; `link runs` and `link
  // restore` for the kept runs; `link clks` (linkage_commands.cc) links files.
  auto* link = cli.add_subcommand(
      "link",
      "link the persons of an instance across organisations: shows what a run would change, "
      "saves it with --apply (or files: link clks)");
  add_dir(link);
  double link_threshold = 0;
  link->add_option("--threshold", link_threshold,
                   "Dice similarity from which two registrations are one person "
                   "(default: linkage.link_threshold in haven.toml)")
      ->check(CLI::Range(0.0, 1.0));
  bool link_apply = false, link_force = false;
  link->add_flag("--apply", link_apply,
                 "save the run: its clusters become the ones statistics count (without it, "
                 "nothing is saved)");
  link->add_flag("--force", link_force,
                 "with --apply: save a run over the guard rails of [linkage] in haven.toml "
                 "(max_joined_share, max_cluster_size)");
  auto* link_runs = link->add_subcommand("runs", "list the saved linkage runs");
  add_dir(link_runs);
  auto* link_restore = link->add_subcommand(
      "restore", "make a saved run's clusters the ones in force again (as a new run)");
  add_dir(link_restore);
  std::int64_t restore_run = 0;
  link_restore->add_option("RUN", restore_run, "the run's number (see `haven link runs`)")
      ->required();

  AddLinkageCommands(cli);
  AddReportCommands(cli);
  AddConsentCommands(cli);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  // The standalone linkage commands run inside parse: they need no instance.
  if (LinkageCommandRan(cli)) return 0;
  if (ReportCommandRan(cli)) return 0;
  std::filesystem::path dir = app::ResolveDir(dir_flag);

  if (*init) {
    auto r = app::App::Init(dir, admin_password);
    if (!r) return Report(r.error());
    fmt::print("Created a Haven instance in {}\n", dir.string());
    fmt::print("Keyring: {} (mode 0600; back it up separately from the database)\n",
               r->app->config().KeyringPath().string());
    if (!r->admin_password.empty())
      fmt::print("User: admin\nPassword: {}\n", r->admin_password);
    return 0;
  }

  if (*demo) {
    std::unique_ptr<app::App> instance;
    if (!std::filesystem::exists(dir / "haven.toml")) {
      fmt::print("Creating a demo instance in {} ...\n", dir.string());
      std::fflush(stdout);
      // A demo is tried in a browser with the printed passwords: no role must enrol an
      // authenticator app first ([security] second_factor_required_for = []).
      app::Config demo_config;
      demo_config.second_factor_required_for.clear();
      auto r = app::App::Init(dir, app::kDemoPassword, nullptr, demo_config);
      if (!r) return Report(r.error());
      instance = std::move(r->app);
      app::DemoOptions options;
      options.cases = demo_cases;
      auto st = app::GenerateDemo(*instance, options);
      if (!st) return Report(st.error());
    } else {
      auto r = app::App::Open(dir);
      if (!r) return Report(r.error());
      instance = std::move(*r);
    }
    app::PrintDemoLogins(*instance);
    if (no_serve) return 0;
    return Serve(*instance, bind, port);
  }

  // Tests move time forward through a file; never set in production.
  std::unique_ptr<Clock> clock;
  if (const char* clock_file = std::getenv("HAVEN_TEST_CLOCK_FILE")) {
    spdlog::warn("TEST CLOCK: HAVEN_TEST_CLOCK_FILE is set, the time is read from {}; this is "
                 "for tests only, never for a real instance",
                 clock_file);
    clock = std::make_unique<FileClock>(clock_file);
  }
  auto opened = app::App::Open(dir, std::move(clock));
  if (!opened) return Report(opened.error());
  app::App& instance = **opened;

  if (*serve) return Serve(instance, bind, port);

  if (*link) {
    const app::Actor actor = app::Actor::System("cli");
    if (link->got_subcommand(link_runs)) return ListLinkageRuns(instance, actor);
    if (link->got_subcommand(link_restore)) {
      auto restored = instance.RestoreLinkageRun(actor, restore_run);
      if (!restored) return Report(restored.error());
      fmt::print("Restored linkage run {} as run {}: its clusters are the ones in force.\n",
                 restore_run, restored->run.run.id);
      PrintLinkageSummary(restored->summary);
      return 0;
    }
    if (link_force && !link_apply) {
      return Report(Error{ErrorCode::kValidation, "invalid_field",
                          "--force saves nothing without --apply", "--force"});
    }
    double threshold = link_threshold > 0 ? link_threshold : instance.config().link_threshold;
    bool tty = isatty(STDERR_FILENO);
    auto progress = [&](double v) {
      if (!tty) return;
      int width = 40, filled = static_cast<int>(v * width);
      fmt::print(stderr, "\rlinking [{}{}] {:3.0f}%", std::string(filled, '#'),
                 std::string(width - filled, ' '), v * 100);
      if (v >= 1.0) fmt::print(stderr, "\n");
    };
    auto proposal = instance.ProposeLinkage(actor, threshold, progress);
    if (!proposal) return Report(proposal.error());
    if (!link_apply) {
      fmt::print("Preview of linkage at threshold {:.2f}: nothing saved (--apply saves it).\n",
                 threshold);
      PrintLinkageSummary(proposal->summary);
      if (!proposal->limits_broken.empty()) {
        fmt::print("WARNING: over the guard rails of [linkage] in haven.toml; --apply refuses "
                   "it without --force:\n");
        for (const auto& b : proposal->limits_broken) fmt::print("  {}\n", b);
      }
      return 0;
    }
    auto applied = instance.ApplyLinkage(actor, *proposal, link_force);
    if (!applied) {
      fmt::print("Linkage at threshold {:.2f}: NOT saved.\n", threshold);
      PrintLinkageSummary(proposal->summary);
      std::fflush(stdout);
      int status = Report(applied.error());
      if (applied.error().reason == "linkage_limits")
        fmt::print(stderr, "haven: give --force with --apply to save it anyway\n");
      return status;
    }
    fmt::print("Saved linkage run {} at threshold {:.2f}{}: its clusters are the ones in force",
               applied->run.run.id, threshold,
               applied->run.run.forced ? ", over the guard rails (--force)" : "");
    if (applied->previous_run)
      fmt::print(" (`haven link restore {}` brings back the earlier ones)", *applied->previous_run);
    fmt::print(".\n");
    PrintLinkageSummary(applied->summary);
    return 0;
  }

  if (*verify) {
    auto v = instance.VerifyAudit();
    if (!v) return Report(v.error());
    int status = 0;
    if (!v->intact) {
      fmt::print(stderr, "audit log BROKEN at entry {}: {}\n", v->first_broken_seq, v->problem);
      status = 5;
    } else {
      fmt::print("audit log intact: {} entries, head {}\n", v->entries, v->head_hash);
    }
    for (const auto& file : verify_checkpoints) {
      auto parsed = domain::Json::parse(ReadWholeFile(file, "checkpoint"), nullptr, false);
      auto check = app::CheckAuditCheckpoint(instance, parsed, file);
      if (!check) return Report(check.error());
      if (!check->holds) {
        fmt::print(stderr, "audit log does NOT extend checkpoint {}: {}\n", file, check->problem);
        status = 5;
      } else {
        fmt::print("checkpoint {}: entry {} signed at {} is in the log\n", file, check->seq,
                   check->at);
      }
    }
    return status;
  }

  if (*checkpoint) {
    auto c = app::SignAuditHead(instance);
    if (!c) return Report(c.error());
    const std::string text = app::CheckpointJson(*c).dump(2) + "\n";
    if (checkpoint_out.empty()) {
      fmt::print("{}", text);
    } else {
      WriteAtomically(checkpoint_out, text);
      fmt::print("checkpoint of entry {} (head {}) written to {}\n", c->seq, c->head_hash,
                 checkpoint_out);
    }
    return 0;
  }

  if (auto status = RunAccountCommand(*accounts, instance)) return *status;
  if (auto status = RunKeyCommand(*key_commands, instance)) return *status;
  return 0;
}

}  // namespace haven::cli
