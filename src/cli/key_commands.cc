#include "cli/key_commands.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/app.h"
#include "app/key_rotation.h"
#include "app/retention.h"
#include "cli/file_io.h"

namespace haven::cli {

struct KeyCommands {
  CLI::App* rotate = nullptr;
  CLI::App* status = nullptr;
  CLI::App* retention_run = nullptr;
};

std::shared_ptr<KeyCommands> AddKeyCommands(CLI::App& cli, std::string& dir) {
  auto c = std::make_shared<KeyCommands>();
  auto add_dir = [&](CLI::App* sub) {
    sub->add_option("--dir", dir, "instance folder (default: $HAVEN_DIR, else ./haven-data)");
  };
  auto* keys = cli.add_subcommand("keys", "master keys of envelope encryption");
  keys->require_subcommand(1);
  c->rotate = keys->add_subcommand(
      "rotate", "a new master key; re-wraps every data key; keeps the old keyring for backups");
  add_dir(c->rotate);
  c->status = keys->add_subcommand("status", "the master keys and the data keys each wraps");
  add_dir(c->status);
  auto* retention = cli.add_subcommand("retention", "erasure at the end of retention");
  retention->require_subcommand(1);
  c->retention_run = retention->add_subcommand(
      "run", "erase the persons due under [retention] erase_after_closure_days");
  add_dir(c->retention_run);
  return c;
}

namespace {

Result<int> Run(const KeyCommands& c, app::App& instance) {
  if (*c.rotate) {
    TRY(auto r, app::RotateMasterKey(instance));
    fmt::print("Master key {} is in force: {} data keys re-wrapped under it.\n",
               r.new_master_key_id, r.rewrapped);
    for (const auto& id : r.retired_master_key_ids) fmt::print("Retired master key {}.\n", id);
    fmt::print("The keyring as it was is kept in {}: store it with the backups made before "
               "now (it opens them), then remove it from this server.\n",
               r.retired_keyring.string());
    return 0;
  }
  if (*c.status) {
    TRY(auto tx, instance.Store().Begin(false));
    TRY(auto current, tx->Keys().CurrentMasterKeyId());
    TRY(auto in_use, tx->Keys().MasterKeysInUse());
    TRY(auto master, instance.WrappingMasterKey(*tx));
    fmt::print("master key wrapping new data keys: {}{}\n", master.id,
               current ? "" : " (the keyring's)");
    for (const auto& [id, n] : in_use) fmt::print("  {}: {} data keys\n", id, n);
    return 0;
  }
  if (*c.retention_run) {
    TRY(auto run, app::RunRetention(instance, app::Actor::System("cli")));
    if (run.erase_after_closure_days <= 0) {
      fmt::print("Retention is off ([retention] erase_after_closure_days = 0): nothing erased.\n");
      return 0;
    }
    fmt::print("Erased {} persons whose cases all closed before {}.\n", run.erased_persons.size(),
               run.closed_before.ToString());
    if (!run.log_truncated)
      fmt::print("The write-ahead log could not be emptied (a reader held it): run again.\n");
    return 0;
  }
  return 0;
}

}  // namespace

std::optional<int> RunKeyCommand(const KeyCommands& c, app::App& instance) {
  if (!*c.rotate && !*c.status && !*c.retention_run) return std::nullopt;
  auto r = Run(c, instance);
  if (!r) return ReportError(r.error());
  return *r;
}

}  // namespace haven::cli
