#pragma once
// The key and retention commands of the `haven` command line, for the operator on the
// server (the actor is the system):
//
//   haven keys rotate --dir DIR      a new master key; every data key re-wrapped under
//                                    it; the old keyring kept as keyring-retired-*.json
//   haven keys status --dir DIR      the master keys and how many data keys each wraps
//   haven retention run --dir DIR    erases who is due under [retention]
//
// A running `haven serve` goes on serving through a rotation. Errors are
// `haven: error: …` on stderr with the exit status of the error's kind.

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

struct KeyCommands;

// Adds `keys rotate`, `keys status` and `retention run`; `dir` receives --dir.
[[nodiscard]] std::shared_ptr<KeyCommands> AddKeyCommands(CLI::App& cli, std::string& dir);
// Runs the command that was parsed, if it is one of these; its exit status.
[[nodiscard]] std::optional<int> RunKeyCommand(const KeyCommands& commands, app::App& instance);

}  // namespace haven::cli
