#pragma once
// The standalone linkage commands, for organisations and partners that exchange CLK
// files rather than sharing a Haven instance:
//
//   haven encode --schema SCHEMA.json|default --secret-file KEYFILE RECORDS.csv --out CLKS.csv
//   haven link clks A.csv B.csv --threshold T --out pairs.csv [--threads N]
//                   [--blocking auto|none|lsh] [--lsh-tables N] [--lsh-window W]
//
// On bad input they print `haven: error: …` to stderr, write nothing, and throw
// CLI::RuntimeError(1) out of App::parse; `return app.exit(e)` in main turns that into
// exit status 1 without printing anything more (CLI11 prints nothing for RuntimeError).

namespace CLI {
class App;
}

namespace haven::cli {

// Adds `encode` and `link clks` to the program. `link` is looked up first and created
// only when missing, so `link --dir DIR` can live on the same subcommand, added before
// or after this call.
//
// The commands run in their callbacks, inside App::parse. A main that dispatches after
// parse must stop when one of them ran:
//   if (LinkageCommandRan(cli)) return 0;
void AddLinkageCommands(CLI::App& app);

// True when `encode` or `link clks` was given (and so has already run successfully,
// since a failure throws out of App::parse).
bool LinkageCommandRan(const CLI::App& app);

}  // namespace haven::cli
