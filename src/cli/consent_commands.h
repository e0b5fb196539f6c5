#pragma once
// The consent-receipt commands of the `haven` command line:
//
//   haven consent verify RECEIPT.json [--public-key BASE64]
//
// `verify` needs no instance: a person, a court or a partner can check a receipt
// with the instance's public key alone. It prints `valid: signed by key KEY_ID`
// (exit 0) or `invalid: PROBLEM` (exit 1) on standard output; a file that cannot be
// read or is not JSON is `haven: error: …` on stderr with exit 2.
//
// Like the linkage and report commands it runs in its CLI11 callback inside
// App::parse. It ends parse by exception whatever the outcome — CLI::Success when
// valid, CLI::RuntimeError otherwise — so a main that goes on after parse to open an
// instance never reaches that point, and `return cli.exit(e)` gives the status.

namespace CLI {
class App;
}

namespace haven::cli {

// Adds `consent` (looked up first, created when missing) and `consent verify`.
void AddConsentCommands(CLI::App& app);

}  // namespace haven::cli
