// Dice comparisons per second for 1024-bit CLKs on every CPU path Haven has, next to a
// plain scalar loop (row-major CLKs, hardware popcount, one division per pair) as the
// baseline, all in the same run. Results and the machine go into bench/RESULTS.md.
//
//   BM_Kernel/<path>           the kernel alone: one query against 256 targets (32 KiB,
//                              L1-resident, the tile size DiceCandidates uses)
//   BM_PlainScalarLoop         the baseline
//   BM_AllPairs/<path>/threads DiceCandidates on 20,000 × 20,000 CLKs at threshold 0.8,
//                              length filter and top-k included; "pairs/s" counts all
//                              20,000² pairs, so it shows what the filter saves.

#include <benchmark/benchmark.h>

#include <bit>
#include <cstring>
#include <random>
#include <vector>

#include "privacy/dice.h"

namespace haven::privacy {
namespace {

constexpr size_t kClkBytes = 128;  // 1024 bits
constexpr size_t kTargets = 256;   // the same for the kernels and the baseline

// CLKs whose popcounts spread like real ones (clkhash vectors: mean ~465 of 1024).
std::vector<std::vector<uint8_t>> RandomClks(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> density(0.45, 0.04);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<std::vector<uint8_t>> clks(n, std::vector<uint8_t>(kClkBytes));
  for (auto& clk : clks) {
    double d = density(rng);
    for (size_t i = 0; i < kClkBytes * 8; ++i) {
      if (unit(rng) < d) clk[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
    }
  }
  return clks;
}

void BM_Kernel(benchmark::State& state) {
  const auto kernel = static_cast<DiceKernel>(state.range(0));
  if (!DiceKernelAvailable(kernel)) {
    state.SkipWithError("kernel not available on this CPU");
    return;
  }
  auto clks = RandomClks(kTargets + 1, 1);
  auto targets = ClkMatrix::Create(std::span(clks).subspan(1));
  std::vector<uint64_t> query(16);
  std::memcpy(query.data(), clks[0].data(), kClkBytes);
  std::vector<uint32_t> counts(kTargets);
  std::vector<uint8_t> masks(kTargets / 8);
  KernelArgs args;
  args.query = query.data();
  args.query_popcount = 460;
  args.targets = targets->blocks();
  args.target_popcounts = targets->popcounts();
  args.words = 16;
  args.block_count = kTargets / 8;
  args.t_lo = 52428;  // 0.8
  args.counts = counts.data();
  args.masks = masks.data();
  for (auto _ : state) {
    RunDiceKernel(kernel, args);
    benchmark::DoNotOptimize(counts.data());
    benchmark::DoNotOptimize(masks.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kTargets));
  state.SetLabel(std::string(DiceKernelName(kernel)));
}
BENCHMARK(BM_Kernel)
    ->Arg(static_cast<int>(DiceKernel::kScalar))
    ->Arg(static_cast<int>(DiceKernel::kAvx2))
    ->Arg(static_cast<int>(DiceKernel::kAvx512));

// What a straightforward implementation does: for each pair, AND and POPCNT word by
// word, then the Dice quotient and a comparison.
__attribute__((target("popcnt"), noinline)) size_t PlainLoop(const uint64_t* query,
                                                             const uint64_t* rows, size_t n,
                                                             double threshold) {
  uint32_t pa = 0;
  for (size_t w = 0; w < 16; ++w) pa += static_cast<uint32_t>(std::popcount(query[w]));
  size_t hits = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t* row = rows + 16 * i;
    uint32_t both = 0;
    uint32_t pb = 0;
    for (size_t w = 0; w < 16; ++w) {
      both += static_cast<uint32_t>(std::popcount(query[w] & row[w]));
      pb += static_cast<uint32_t>(std::popcount(row[w]));
    }
    if (2.0 * both / (pa + pb) >= threshold) ++hits;
  }
  return hits;
}

void BM_PlainScalarLoop(benchmark::State& state) {
  auto clks = RandomClks(kTargets + 1, 1);
  std::vector<uint64_t> rows(kTargets * 16);
  for (size_t i = 0; i < kTargets; ++i) std::memcpy(&rows[16 * i], clks[i + 1].data(), kClkBytes);
  std::vector<uint64_t> query(16);
  std::memcpy(query.data(), clks[0].data(), kClkBytes);
  for (auto _ : state) {
    benchmark::DoNotOptimize(PlainLoop(query.data(), rows.data(), kTargets, 0.8));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kTargets));
  state.SetLabel("plain scalar loop");
}
BENCHMARK(BM_PlainScalarLoop);

void BM_AllPairs(benchmark::State& state) {
  const auto kernel = static_cast<DiceKernel>(state.range(0));
  if (!DiceKernelAvailable(kernel)) {
    state.SkipWithError("kernel not available on this CPU");
    return;
  }
  constexpr size_t kN = 20000;
  static const auto a_clks = RandomClks(kN, 2);
  static const auto b_clks = RandomClks(kN, 3);
  static auto a = ClkMatrix::Create(a_clks);
  static auto b = ClkMatrix::Create(b_clks);
  DiceOptions options{0.8, 10, static_cast<unsigned>(state.range(1)), kernel};
  for (auto _ : state) {
    auto result = DiceCandidates(*a, *b, options);
    benchmark::DoNotOptimize(result);
  }
  state.counters["pairs/s"] = benchmark::Counter(static_cast<double>(kN) * kN * state.iterations(),
                                                 benchmark::Counter::kIsRate);
  state.SetLabel(std::string(DiceKernelName(kernel)));
}
BENCHMARK(BM_AllPairs)
    ->Args({static_cast<int>(DiceKernel::kScalar), 1})
    ->Args({static_cast<int>(DiceKernel::kAvx2), 1})
    ->Args({static_cast<int>(DiceKernel::kAvx512), 1})
    ->Args({static_cast<int>(DiceKernel::kScalar), 2})
    ->Args({static_cast<int>(DiceKernel::kAvx512), 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace haven::privacy

BENCHMARK_MAIN();
