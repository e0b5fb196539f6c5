#pragma once
// The demo instance: generated, plausible data for trying Haven out and for
// demonstrations. Everything goes through the same use cases as real work, so
// the demo's audit log, sealing and codes are real too.

#include <cstdint>

#include "app/app.h"

namespace haven::app {

// The password of every generated demo account. Demo instances only.
inline constexpr const char* kDemoPassword = "haven-demo-2026";

struct DemoOptions {
  // How many persons and cases to generate.
  int cases = 400;
  // Seed of the generator: the same seed gives the same data.
  std::uint32_t seed = 20261128;
  // First year of generated identifications; the last is the current year.
  int first_year = 2019;
};

Status GenerateDemo(App& app, const DemoOptions& options);
// Prints the demo logins (username, role, organisation) to stdout.
void PrintDemoLogins(App& app);

}  // namespace haven::app
