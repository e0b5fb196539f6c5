// The limiter's memory bound: an LRU that forgets one key at a time, never all.

#include "app/rate_limit.h"

#include <gtest/gtest.h>

namespace haven::app {
namespace {

TEST(LruMap, InsertingBeyondCapacityEvictsOnlyTheLeastRecentlyUsed) {
  LruMap<int> lru(3);
  lru.Touch("a") = 1;
  lru.Touch("b") = 2;
  lru.Touch("c") = 3;
  ASSERT_NE(lru.Find("a"), nullptr);  // "a" used again: "b" is now the least recent
  lru.Touch("d") = 4;
  EXPECT_EQ(lru.size(), 3u);
  EXPECT_FALSE(lru.Contains("b"));
  EXPECT_TRUE(lru.Contains("a"));
  EXPECT_TRUE(lru.Contains("c"));
  EXPECT_TRUE(lru.Contains("d"));
  EXPECT_EQ(*lru.Find("a"), 1) << "values survive eviction of others";
}

TEST(SlidingWindowLimiter, AFloodOfNewKeysNeverResetsABusyKey) {
  const std::size_t kKeys = 10000;
  SlidingWindowLimiter limiter(3, std::chrono::seconds(300), kKeys);
  Timestamp now{std::chrono::seconds(1'700'000'000)};
  for (int i = 0; i < 3; ++i) limiter.Record("attacker", now);
  ASSERT_FALSE(limiter.Allow("attacker", now));
  // N+1 other keys, the attacker's own key used in between (every guess checks it).
  for (std::size_t i = 0; i <= kKeys; ++i) {
    limiter.Record("flood-" + std::to_string(i), now);
    if (i % 1000 == 0) {
      EXPECT_FALSE(limiter.Allow("attacker", now));
    }
  }
  EXPECT_EQ(limiter.TrackedKeys(), kKeys) << "bounded, and never cleared";
  EXPECT_FALSE(limiter.Allow("attacker", now)) << "the busy key was never evicted";
  EXPECT_TRUE(limiter.Allow("flood-0", now)) << "the least recent one was (it starts afresh)";
  EXPECT_TRUE(limiter.Allow("attacker", now + std::chrono::seconds(300))) << "window ends";
}

TEST(SlidingWindowLimiter, InsertingNPlusOneKeysEvictsExactlyTheOldest) {
  SlidingWindowLimiter limiter(1, std::chrono::seconds(300), 4);
  Timestamp now{std::chrono::seconds(1'700'000'000)};
  for (auto k : {"k0", "k1", "k2", "k3"}) limiter.Record(k, now);
  limiter.Record("k4", now);
  EXPECT_EQ(limiter.TrackedKeys(), 4u);
  EXPECT_TRUE(limiter.Allow("k0", now)) << "evicted: forgotten";
  for (auto k : {"k1", "k2", "k3", "k4"}) EXPECT_FALSE(limiter.Allow(k, now)) << k;
}

}  // namespace
}  // namespace haven::app
