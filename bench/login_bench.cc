// Login timing (issue #14): a wrong password for an unknown username must cost what it
// costs for a known one (one Argon2id, interactive limits), or the answer's time tells
// which usernames exist. Run: build/login_bench; the two times should be close.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>

#include "app/app.h"

namespace {

using haven::app::App;

App& BenchApp() {
  static std::unique_ptr<App> app = [] {
    auto dir = std::filesystem::temp_directory_path() /
               ("haven-login-bench-" + std::to_string(std::random_device{}()));
    auto r = App::Init(dir, "login-bench-admin-password");
    if (!r) std::abort();
    return std::move(r->app);
  }();
  return *app;
}

// A different client each time, so that the per-client throttle never answers instead.
std::string NextClient() {
  static int n = 0;
  ++n;
  return "10." + std::to_string(n / 65536 % 256) + "." + std::to_string(n / 256 % 256) + "." +
         std::to_string(n % 256);
}

void BM_LoginUnknownUser(benchmark::State& state) {
  App& app = BenchApp();
  for (auto _ : state) {
    auto r = app.Login("nobody-here", "a-wrong-password", NextClient(), "bench");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_LoginUnknownUser)->Unit(benchmark::kMillisecond)->Iterations(10);

// After five failures the account is locked; Argon2id still runs before that is looked at.
void BM_LoginKnownUserWrongPassword(benchmark::State& state) {
  App& app = BenchApp();
  for (auto _ : state) {
    auto r = app.Login("admin", "a-wrong-password", NextClient(), "bench");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_LoginKnownUserWrongPassword)->Unit(benchmark::kMillisecond)->Iterations(10);

}  // namespace

BENCHMARK_MAIN();
