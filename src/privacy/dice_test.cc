#include "privacy/dice.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <algorithm>
#include <cstring>
#include <random>

namespace haven::privacy {
namespace {

using Clks = std::vector<std::vector<uint8_t>>;

// Random CLKs with roughly `density` of their bits set, and for each of the first
// `related` of them a noisy copy in the second set, so that there are real matches.
struct Population {
  Clks a;
  Clks b;
};

Population MakePopulation(size_t n_a, size_t n_b, size_t bytes, size_t related, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  auto random_clk = [&](double density) {
    std::vector<uint8_t> clk(bytes);
    for (size_t i = 0; i < bytes * 8; ++i) {
      if (unit(rng) < density) clk[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
    }
    return clk;
  };
  Population p;
  for (size_t i = 0; i < n_a; ++i) p.a.push_back(random_clk(0.2 + 0.3 * unit(rng)));
  for (size_t i = 0; i < n_b; ++i) {
    if (i < related && i < n_a) {
      std::vector<uint8_t> copy = p.a[i];
      for (size_t bit = 0; bit < bytes * 8; ++bit) {
        if (unit(rng) < 0.05) copy[bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
      }
      p.b.push_back(std::move(copy));
    } else {
      p.b.push_back(random_clk(0.2 + 0.3 * unit(rng)));
    }
  }
  std::shuffle(p.b.begin(), p.b.end(), rng);
  return p;
}

uint32_t NaiveAnd(const std::vector<uint8_t>& x, const std::vector<uint8_t>& y) {
  uint32_t c = 0;
  for (size_t i = 0; i < x.size(); ++i) c += std::popcount(static_cast<uint8_t>(x[i] & y[i]));
  return c;
}

uint32_t NaivePop(const std::vector<uint8_t>& x) {
  uint32_t c = 0;
  for (uint8_t v : x) c += std::popcount(v);
  return c;
}

// All pair intersections by the plain byte loop, computed once per population.
struct PairCounts {
  std::vector<uint32_t> pop_a, pop_b, both;  // both[i * |B| + j]
};

PairCounts CountPairs(const Clks& a, const Clks& b) {
  PairCounts pc;
  for (const auto& x : a) pc.pop_a.push_back(NaivePop(x));
  for (const auto& y : b) pc.pop_b.push_back(NaivePop(y));
  for (const auto& x : a) {
    for (const auto& y : b) pc.both.push_back(NaiveAnd(x, y));
  }
  return pc;
}

// Every pair at or above the threshold by the plain formula, top_k per record of A.
std::vector<DiceCandidate> BruteForce(const PairCounts& pc, double threshold, size_t top_k) {
  std::vector<DiceCandidate> out;
  const size_t n_b = pc.pop_b.size();
  for (size_t i = 0; i < pc.pop_a.size(); ++i) {
    std::vector<DiceCandidate> mine;
    for (size_t j = 0; j < n_b; ++j) {
      DiceCandidate c{static_cast<uint32_t>(i), static_cast<uint32_t>(j), pc.both[i * n_b + j],
                      pc.pop_a[i] + pc.pop_b[j]};
      if (c.popcount_sum > 0 && c.score() >= threshold) mine.push_back(c);
    }
    std::sort(mine.begin(), mine.end(), BetterCandidate);
    if (top_k != 0 && mine.size() > top_k) mine.resize(top_k);
    out.insert(out.end(), mine.begin(), mine.end());
  }
  return out;
}

TEST(DiceKernels, ScalarIsAlwaysAvailable) {
  auto kernels = AvailableDiceKernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_EQ(kernels.front(), DiceKernel::kScalar);
  EXPECT_TRUE(DiceKernelAvailable(BestDiceKernel()));
  for (DiceKernel k : kernels) {
    EXPECT_EQ(*ParseDiceKernel(DiceKernelName(k)), k);
  }
  EXPECT_FALSE(ParseDiceKernel("sse9"));
}

class DiceKernelTest : public ::testing::TestWithParam<size_t> {};

// Every path gives the same counts and masks as scalar, and scalar is right.
TEST_P(DiceKernelTest, EveryPathMatchesScalarBitForBit) {
  const size_t bytes = GetParam();
  Population p = MakePopulation(1, 203, bytes, 0, 7);
  auto b = ClkMatrix::Create(p.b);
  ASSERT_TRUE(b);
  std::vector<uint64_t> query(b->words(), 0);
  std::memcpy(query.data(), p.a[0].data(), bytes);
  const size_t blocks = (b->size() + 7) / 8;

  auto run = [&](DiceKernel kernel, uint32_t t_lo) {
    std::pair<std::vector<uint32_t>, std::vector<uint8_t>> out;
    out.first.assign(blocks * 8, 0xdeadbeef);
    out.second.assign(blocks, 0xaa);
    KernelArgs args;
    args.query = query.data();
    args.query_popcount = NaivePop(p.a[0]);
    args.targets = b->blocks();
    args.target_popcounts = b->popcounts();
    args.words = b->words();
    args.block_count = blocks;
    args.t_lo = t_lo;
    args.counts = out.first.data();
    args.masks = out.second.data();
    RunDiceKernel(kernel, args);
    return out;
  };
  for (uint32_t t_lo : {0u, 20000u, 45000u, 65535u}) {
    auto reference = run(DiceKernel::kScalar, t_lo);
    for (size_t s = 0; s < b->size(); ++s) {
      ASSERT_EQ(reference.first[s], NaiveAnd(p.a[0], p.b[b->original_index(s)])) << s;
    }
    for (DiceKernel k : AvailableDiceKernels()) {
      auto got = run(k, t_lo);
      EXPECT_EQ(got.first, reference.first) << DiceKernelName(k) << " t_lo " << t_lo;
      EXPECT_EQ(got.second, reference.second) << DiceKernelName(k) << " t_lo " << t_lo;
    }
  }
}

// 512 and 1024 bits (specialised), 2048 and 4096 (generic loop), 65 bytes (padding).
INSTANTIATE_TEST_SUITE_P(Lengths, DiceKernelTest, ::testing::Values(64, 128, 256, 512, 65));

TEST(DiceCandidates, EveryKernelAndThreadCountAgreesWithBruteForce) {
  Population p = MakePopulation(700, 900, 128, 300, 11);
  auto a = ClkMatrix::Create(p.a);
  auto b = ClkMatrix::Create(p.b);
  ASSERT_TRUE(a && b);
  const PairCounts counts = CountPairs(p.a, p.b);
  for (double threshold : {0.5, 0.8, 0.95}) {
    for (size_t top_k : {size_t{0}, size_t{1}, size_t{3}}) {
      auto expected = BruteForce(counts, threshold, top_k);
      for (DiceKernel k : AvailableDiceKernels()) {
        for (unsigned threads : {1u, 3u}) {
          auto got = DiceCandidates(*a, *b, {threshold, top_k, threads, k});
          ASSERT_TRUE(got);
          EXPECT_EQ(*got, expected) << DiceKernelName(k) << " t=" << threshold
                                    << " k=" << top_k << " threads=" << threads;
        }
      }
      if (threshold == 0.8 && top_k == 0) {
        EXPECT_GE(expected.size(), 250u);
      }
    }
  }
}

TEST(DiceCandidates, ThresholdIsInclusiveAndExact) {
  // |a| = 50, |b| = 50, |a ∧ b| = 40: Dice = 0.8 exactly.
  std::vector<uint8_t> x(16, 0), y(16, 0);
  for (int i = 0; i < 50; ++i) x[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  for (int i = 10; i < 60; ++i) y[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  EXPECT_DOUBLE_EQ(DiceScore(x, y), 0.8);
  auto a = ClkMatrix::Create(Clks{x});
  auto b = ClkMatrix::Create(Clks{y});
  for (DiceKernel k : AvailableDiceKernels()) {
    EXPECT_EQ(DiceCandidates(*a, *b, {0.8, 1, 1, k})->size(), 1u);
    EXPECT_EQ(DiceCandidates(*a, *b, {std::nextafter(0.8, 1.0), 1, 1, k})->size(), 0u);
  }
}

TEST(DiceCandidates, EmptyClksNeverMatch) {
  Clks zeros(3, std::vector<uint8_t>(128, 0));
  auto a = ClkMatrix::Create(zeros);
  auto got = DiceCandidates(*a, *a, {0.01, 0, 1, DiceKernel::kAuto});
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty());
  EXPECT_EQ(DiceScore(zeros[0], zeros[1]), 0.0);
}

TEST(DiceCandidates, RejectsBadInput) {
  Population p = MakePopulation(4, 4, 128, 0, 3);
  auto a = ClkMatrix::Create(p.a);
  for (double bad : {0.0, -0.1, 1.01, std::nan("")}) {
    auto r = DiceCandidates(*a, *a, {bad, 1, 1, DiceKernel::kAuto});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "threshold");
  }
  Population q = MakePopulation(4, 4, 64, 0, 3);
  auto short_clks = ClkMatrix::Create(q.a);
  EXPECT_FALSE(DiceCandidates(*a, *short_clks, {0.8, 1, 1, DiceKernel::kAuto}));
  Clks mixed = {std::vector<uint8_t>(128), std::vector<uint8_t>(64)};
  EXPECT_FALSE(ClkMatrix::Create(mixed));
}

TEST(DiceOneToMany, FindsTheNoisyCopyFirst) {
  Population p = MakePopulation(50, 500, 128, 50, 5);
  auto b = ClkMatrix::Create(p.b);
  for (DiceKernel k : AvailableDiceKernels()) {
    for (size_t i = 0; i < 50; ++i) {
      auto got = DiceOneToMany(p.a[i], *b, {0.7, 3, 1, k});
      ASSERT_TRUE(got);
      ASSERT_FALSE(got->empty());
      EXPECT_EQ(p.b[(*got)[0].b], p.b[(*got)[0].b]);
      EXPECT_GT((*got)[0].score(), 0.85);
      EXPECT_EQ((*got)[0].intersection, NaiveAnd(p.a[i], p.b[(*got)[0].b]));
    }
  }
}

TEST(GreedyMatch, TakesBestPairsOneToOne) {
  // a0-b0 0.9, a0-b1 0.95, a1-b1 0.92, a1-b0 0.5: greedy keeps a0-b1, then a1-b0.
  std::vector<DiceCandidate> c = {{0, 0, 45, 100}, {0, 1, 95, 200}, {1, 1, 46, 100},
                                  {1, 0, 25, 100}};
  auto kept = GreedyMatch(c);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], (DiceCandidate{0, 1, 95, 200}));
  EXPECT_EQ(kept[1], (DiceCandidate{1, 0, 25, 100}));
  EXPECT_TRUE(GreedyMatch({}).empty());
}

}  // namespace
}  // namespace haven::privacy
