#include "cli/user_commands.h"

#include <cstdio>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/app.h"
#include "app/second_factor.h"
#include "cli/file_io.h"
#include "privacy/crypto.h"

namespace haven::cli {

struct AccountCommands {
  CLI::App* add = nullptr;
  CLI::App* list = nullptr;
  CLI::App* disable = nullptr;
  CLI::App* enable = nullptr;
  CLI::App* unlock = nullptr;
  CLI::App* reset = nullptr;
  CLI::App* reset_second_factor = nullptr;
  CLI::App* org_list = nullptr;
  app::NewUser new_user;
  std::string role;
  std::string username;
  std::int64_t organization_id = 0;
  bool inactive = false;
};

namespace {

Result<domain::Role> RoleOf(const std::string& name) {
  auto role = domain::ParseEnum<domain::Role>(name);
  if (!role)
    return Invalid("--role", "must be one of " + domain::AllowedNames<domain::Role>());
  return *role;
}

// Every account the query selects, all pages.
Result<std::vector<domain::User>> AllUsers(app::App& instance, app::UserQuery q) {
  std::vector<domain::User> out;
  q.page.limit = 200;
  while (true) {
    TRY(auto page, instance.ListUsers(app::Actor::System("cli"), q));
    out.insert(out.end(), page.items.begin(), page.items.end());
    if (!page.next_cursor) break;
    q.page.cursor = *page.next_cursor;
  }
  return out;
}

Result<domain::User> UserNamed(app::App& instance, const std::string& username) {
  TRY(auto users, AllUsers(instance, {}));
  for (const auto& u : users)
    if (u.username == username) return u;
  return Fail(ErrorCode::kNotFound, "not_found", fmt::format("no user {}", username),
              "--username");
}

Result<std::map<domain::Id, domain::Organization>> Organizations(app::App& instance) {
  std::map<domain::Id, domain::Organization> out;
  app::PageRequest p;
  p.limit = 200;
  while (true) {
    TRY(auto page, instance.ListOrganizations(app::Actor::System("cli"), p));
    for (auto& o : page.items) out[o.id] = o;
    if (!page.next_cursor) break;
    p.cursor = *page.next_cursor;
  }
  return out;
}

Result<int> Run(const AccountCommands& c, app::App& instance) {
  const app::Actor cli = app::Actor::System("cli");
  if (*c.add) {
    app::NewUser u = c.new_user;
    TRY(u.role, RoleOf(c.role));
    const bool generated = u.password.empty();
    if (generated) u.password = privacy::RandomPassword();
    TRY(auto created, instance.CreateUser(cli, u));
    fmt::print("Created user {} (id {})\n", created.username, created.id);
    if (generated) fmt::print("Password: {}\n", u.password);
    return 0;
  }
  if (*c.list) {
    app::UserQuery q;
    if (c.organization_id) q.organization_id = c.organization_id;
    if (!c.role.empty()) {
      TRY(q.role, RoleOf(c.role));
    }
    if (c.inactive) q.active = false;
    TRY(auto users, AllUsers(instance, q));
    TRY(auto orgs, Organizations(instance));
    fmt::print("{:<6} {:<24} {:<16} {:<8} {}\n", "id", "username", "role", "active",
               "organisation");
    for (const auto& u : users)
      fmt::print("{:<6} {:<24} {:<16} {:<8} {} ({})\n", u.id, u.username, domain::Name(u.role),
                 u.active ? "yes" : "no",
                 orgs.contains(u.organization_id) ? orgs[u.organization_id].name : "?",
                 u.organization_id);
    return 0;
  }
  if (*c.org_list) {
    TRY(auto orgs, Organizations(instance));
    fmt::print("{:<6} {:<28} {:<8} {:<8} {}\n", "id", "kind", "region", "active", "name");
    for (const auto& [id, o] : orgs)
      fmt::print("{:<6} {:<28} {:<8} {:<8} {}\n", id, domain::Name(o.kind),
                 o.region.value_or("-"), o.active ? "yes" : "no", o.name);
    return 0;
  }
  TRY(auto user, UserNamed(instance, c.username));
  if (*c.disable || *c.enable) {
    app::App::UserChange change;
    change.active = static_cast<bool>(*c.enable);
    TRY(auto u, instance.UpdateUser(cli, user.id, change));
    fmt::print("User {} is {} (signed out everywhere)\n", u.username,
               u.active ? "enabled" : "disabled");
    return 0;
  }
  if (*c.unlock) {
    TRY(auto u, instance.UnlockUser(cli, user.id));
    fmt::print("User {} is unlocked\n", u.username);
    return 0;
  }
  if (*c.reset) {
    TRY(auto reset, instance.ResetPassword(cli, user.id));
    fmt::print("One-time password for {}: {}\n", reset.user.username, reset.one_time_password);
    fmt::print("She chooses her own at the next sign-in; it is shown only now.\n");
    return 0;
  }
  if (*c.reset_second_factor) {
    TRY_STATUS(app::SecondFactors(instance).Reset(cli, user.id));
    fmt::print("User {} has no second factor now (signed out everywhere); she signs in with her "
               "password{}.\n",
               user.username,
               instance.config().SecondFactorRequired(user.role)
                   ? " and must enrol a new authenticator app before anything else"
                   : "");
    return 0;
  }
  return 0;
}

}  // namespace

std::shared_ptr<AccountCommands> AddAccountCommands(CLI::App& cli, std::string& dir) {
  auto c = std::make_shared<AccountCommands>();
  auto add_dir = [&](CLI::App* sub) {
    sub->add_option("--dir", dir, "instance folder (default: $HAVEN_DIR, else ./haven-data)");
  };
  auto* user = cli.add_subcommand("user", "user accounts");
  user->require_subcommand(1);
  c->add = user->add_subcommand("add", "create a user account");
  add_dir(c->add);
  c->add->add_option("--username", c->new_user.username, "login name")->required();
  c->add->add_option("--role", c->role, domain::AllowedNames<domain::Role>())->required();
  c->add->add_option("--organization-id", c->new_user.organization_id,
                     "organisation (see `haven org list`)")
      ->required();
  c->add->add_option("--password", c->new_user.password,
                     "password (at least 12 characters); generated and printed when omitted");

  c->list = user->add_subcommand("list", "list the accounts");
  add_dir(c->list);
  c->list->add_option("--organization-id", c->organization_id, "only this organisation's");
  c->list->add_option("--role", c->role, "only this role");
  c->list->add_flag("--inactive", c->inactive, "only disabled accounts");

  struct Step {
    CLI::App** slot;
    const char* name;
    const char* help;
  };
  for (const Step& s : {Step{&c->disable, "disable", "disable an account (signed out at once)"},
                        Step{&c->enable, "enable", "enable a disabled account"},
                        Step{&c->unlock, "unlock", "lift a lock-out after failed sign-ins"},
                        Step{&c->reset, "reset-password",
                             "give a one-time password, to be changed at the next sign-in"}}) {
    *s.slot = user->add_subcommand(s.name, s.help);
    add_dir(*s.slot);
    (*s.slot)->add_option("--username", c->username, "the account")->required();
  }
  // The operator's way back in for a user who lost her phone, on the server itself.
  c->reset_second_factor = user->add_subcommand(
      "reset-second-factor",
      "remove a user's second factor (lost phone); she signs in with her password and enrols "
      "again");
  add_dir(c->reset_second_factor);
  c->reset_second_factor->add_option("username,--username", c->username, "the account")
      ->required();

  auto* org = cli.add_subcommand("org", "organisations");
  org->require_subcommand(1);
  c->org_list = org->add_subcommand("list", "list the organisations and their ids");
  add_dir(c->org_list);
  return c;
}

std::optional<int> RunAccountCommand(const AccountCommands& c, app::App& instance) {
  const bool ours = *c.add || *c.list || *c.disable || *c.enable || *c.unlock || *c.reset ||
                    *c.reset_second_factor || *c.org_list;
  if (!ours) return std::nullopt;
  auto r = Run(c, instance);
  if (!r) return ReportError(r.error());
  return *r;
}

}  // namespace haven::cli
