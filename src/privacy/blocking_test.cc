#include "privacy/blocking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace haven::privacy {
namespace {

constexpr size_t kBytes = 128;  // 1024-bit CLKs

// Two sets of random CLKs where the first `related` records of A have a copy in B with
// 2–12 % of their bits flipped (Dice from about 0.97 down to about 0.75), shuffled.
struct Sets {
  std::vector<uint8_t> a;
  std::vector<uint8_t> b;
  ClkRows rows_a() const { return {a, kBytes}; }
  ClkRows rows_b() const { return {b, kBytes}; }
};

Sets MakeSets(size_t n_a, size_t n_b, size_t related, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  auto random_clk = [&] {
    std::vector<uint8_t> clk(kBytes);
    const double density = 0.38 + 0.14 * unit(rng);
    for (size_t i = 0; i < kBytes * 8; ++i) {
      if (unit(rng) < density) clk[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
    }
    return clk;
  };
  std::vector<std::vector<uint8_t>> a, b;
  for (size_t i = 0; i < n_a; ++i) a.push_back(random_clk());
  for (size_t i = 0; i < n_b; ++i) {
    if (i < related) {
      std::vector<uint8_t> copy = a[i];
      const double flip = 0.02 + 0.10 * unit(rng);
      for (size_t bit = 0; bit < kBytes * 8; ++bit) {
        if (unit(rng) < flip) copy[bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
      }
      b.push_back(std::move(copy));
    } else {
      b.push_back(random_clk());
    }
  }
  std::shuffle(b.begin(), b.end(), rng);
  Sets s;
  for (auto& v : a) s.a.insert(s.a.end(), v.begin(), v.end());
  for (auto& v : b) s.b.insert(s.b.end(), v.begin(), v.end());
  return s;
}

std::vector<DiceCandidate> Exhaustive(const Sets& s, const DiceOptions& options) {
  auto ma = ClkMatrix::Create(s.a, kBytes);
  auto mb = ClkMatrix::Create(s.b, kBytes);
  EXPECT_TRUE(ma && mb);
  auto all = DiceCandidates(*ma, *mb, options);
  EXPECT_TRUE(all);
  return all.value_or(std::vector<DiceCandidate>{});
}

TEST(LshBlocking, FindsAlmostEveryPairAndNothingElse) {
  const Sets s = MakeSets(4000, 5000, 1500, 7);
  DiceOptions options;
  options.threshold = 0.7;
  options.top_k = 0;
  options.threads = 2;
  const auto exact = Exhaustive(s, options);
  ASSERT_GE(exact.size(), 1500u);

  LshOptions lsh;
  lsh.window = 64;  // small, so that blocking has to work for its recall
  BlockingStats stats;
  auto blocked = LshDiceCandidates(s.rows_a(), s.rows_b(), options, lsh, &stats);
  ASSERT_TRUE(blocked) << blocked.error().message;
  EXPECT_GT(stats.tables, 1u);
  EXPECT_LT(stats.comparisons, uint64_t{4000} * 5000) << "blocking must save comparisons";

  // Every pair found is a true candidate with exactly the exhaustive counts.
  for (const auto& c : *blocked) {
    auto it = std::find_if(exact.begin(), exact.end(),
                           [&](const DiceCandidate& e) { return e.a == c.a && e.b == c.b; });
    ASSERT_NE(it, exact.end());
    EXPECT_EQ(*it, c);
  }
  const double recall = static_cast<double>(blocked->size()) / static_cast<double>(exact.size());
  EXPECT_GE(recall, 0.97) << blocked->size() << " of " << exact.size();
}

TEST(LshBlocking, ResultDoesNotDependOnThreadsOrKernel) {
  const Sets s = MakeSets(1500, 1500, 600, 11);
  DiceOptions options;
  options.threshold = 0.75;
  options.top_k = 3;
  LshOptions lsh;
  lsh.window = 32;
  lsh.tables = 12;
  std::vector<DiceCandidate> reference;
  for (DiceKernel kernel : AvailableDiceKernels()) {
    for (unsigned threads : {1u, 2u, 3u}) {
      options.kernel = kernel;
      options.threads = threads;
      auto r = LshDiceCandidates(s.rows_a(), s.rows_b(), options, lsh);
      ASSERT_TRUE(r);
      if (reference.empty()) reference = *r;
      EXPECT_EQ(*r, reference) << DiceKernelName(kernel) << " " << threads;
    }
  }
  EXPECT_FALSE(reference.empty());
  // Sorted by a, best first, at most top_k each.
  for (size_t i = 1; i < reference.size(); ++i) {
    const auto& x = reference[i - 1];
    const auto& y = reference[i];
    EXPECT_TRUE(x.a < y.a || (x.a == y.a && BetterCandidate(x, y)));
  }
}

TEST(LshBlocking, WindowHoldingAllOfBIsExhaustive) {
  const Sets s = MakeSets(300, 200, 100, 3);
  DiceOptions options;
  options.threshold = 0.5;
  options.top_k = 4;
  LshOptions lsh;  // window 256 >= |B|: one table, every pair compared
  BlockingStats stats;
  auto r = LshDiceCandidates(s.rows_a(), s.rows_b(), options, lsh, &stats);
  ASSERT_TRUE(r);
  EXPECT_EQ(stats.tables, 1u);
  EXPECT_EQ(*r, Exhaustive(s, options));
}

TEST(LshBlocking, TablesGrowWithSizeAndThreshold) {
  LshOptions lsh;
  const size_t small = LshTablesFor(1000, 1000, 1024, 470, 470, 0.8, lsh);
  const size_t large = LshTablesFor(1000000, 1000000, 1024, 470, 470, 0.8, lsh);
  const size_t loose = LshTablesFor(1000000, 1000000, 1024, 470, 470, 0.7, lsh);
  EXPECT_LE(small, large);
  EXPECT_LT(large, loose);
  EXPECT_EQ(LshTablesFor(1000, 200, 1024, 470, 470, 0.8, lsh), 1u);
}

TEST(LshBlocking, RejectsBadOptions) {
  const Sets s = MakeSets(20, 20, 5, 1);
  DiceOptions options;
  LshOptions lsh;
  lsh.window = 12;
  EXPECT_FALSE(LshDiceCandidates(s.rows_a(), s.rows_b(), options, lsh));
  lsh.window = 64;
  options.threshold = 0;
  EXPECT_FALSE(LshDiceCandidates(s.rows_a(), s.rows_b(), options, lsh));
  options.threshold = 0.8;
  std::vector<uint8_t> shorter(64 * 3);
  EXPECT_FALSE(LshDiceCandidates(s.rows_a(), ClkRows{shorter, 64}, options, lsh));
  EXPECT_TRUE(LshDiceCandidates(s.rows_a(), ClkRows{{}, kBytes}, options, lsh));
  EXPECT_TRUE(ParseBlockingMethod("lsh"));
  EXPECT_FALSE(ParseBlockingMethod("sometimes"));
}

TEST(LinkOneToOne, AutoChoosesBySizeAndPairsOneToOne) {
  const Sets s = MakeSets(500, 500, 200, 5);
  LinkageOptions options;
  options.dice.threshold = 0.7;
  auto exhaustive = LinkOneToOne(s.rows_a(), s.rows_b(), options);
  ASSERT_TRUE(exhaustive);
  EXPECT_EQ(exhaustive->method_used, BlockingMethod::kNone);
  options.exhaustive_max_pairs = 1000;  // now 500 × 500 counts as large
  options.lsh.window = 128;
  auto blocked = LinkOneToOne(s.rows_a(), s.rows_b(), options);
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->method_used, BlockingMethod::kLsh);
  EXPECT_GE(blocked->pairs.size(), 195u);
  EXPECT_EQ(blocked->pairs, exhaustive->pairs);
}

}  // namespace
}  // namespace haven::privacy
