#pragma once
// The `haven` command line: a thin client of `app` (and of `http` for serve).

namespace haven::cli {

// Runs the program; returns the process exit code.
int Main(int argc, char** argv);

}  // namespace haven::cli
