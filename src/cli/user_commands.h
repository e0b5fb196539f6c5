#pragma once
// The account and organisation commands of the `haven` command line, for the operator
// on the server (the actor is the system; the audit log names the operating-system
// account that ran them):
//
//   haven user add --username U --role R --organization-id N [--password P]
//   haven user list [--organization-id N] [--role R] [--inactive]
//   haven user disable|enable|unlock|reset-password --username U
//   haven org list
//
// `reset-password` prints a one-time password the user replaces at her next sign-in.
// Errors are `haven: error: …` on stderr with the exit status of the error's kind.

#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace haven::app {
class App;
}

namespace haven::cli {

struct AccountCommands;

// Adds `user …` and `org list`; `dir` receives --dir.
std::shared_ptr<AccountCommands> AddAccountCommands(CLI::App& cli, std::string& dir);
// Runs the command that was parsed, if it is one of these; its exit status.
std::optional<int> RunAccountCommand(const AccountCommands& commands, app::App& instance);

}  // namespace haven::cli
