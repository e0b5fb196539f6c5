#pragma once
// Counting events per key over a sliding window, in memory: login failures per
// client, person look-ups per user.
//
// Bounded: at most `max_keys` keys are tracked, in an LRU. A new key beyond that
// evicts the key used least recently, and only that one, so a flood of new keys
// (an attacker with many addresses) can neither grow memory nor wipe the table:
// the key it least wants forgotten, its own busy one, is the most recently used.
// Thread-safe.

#include <chrono>
#include <cstddef>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/clock.h"

namespace haven::app {

// A map of at most `capacity` entries that evicts the least recently used one.
// Find and Touch count as use. Not thread-safe: the owner locks.
template <typename V>
class LruMap {
 public:
  // REQUIRES: capacity >= 1.
  explicit LruMap(std::size_t capacity) : capacity_(capacity) {}

  // The value of `key`, marked as used now; nullptr if absent.
  V* Find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // The value of `key`, created empty (evicting the least recently used entry when
  // full) if absent; marked as used now.
  V& Touch(const std::string& key) {
    if (V* v = Find(key)) return *v;
    if (index_.size() >= capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, V{});
    index_.emplace(key, order_.begin());
    return order_.front().second;
  }

  bool Contains(const std::string& key) const { return index_.contains(key); }
  std::size_t size() const { return index_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  using Entry = std::pair<std::string, V>;
  const std::size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

class SlidingWindowLimiter {
 public:
  SlidingWindowLimiter(int max_events, std::chrono::seconds window, std::size_t max_keys = 10000)
      : max_events_(max_events), window_(window), events_(max_keys) {}

  // Whether another event of `key` is within the limit now.
  bool Allow(const std::string& key, Timestamp now) {
    std::lock_guard lock(mu_);
    auto* q = events_.Find(key);
    if (!q) return max_events_ > 0;
    Expire(*q, now);
    return static_cast<int>(q->size()) < max_events_;
  }

  void Record(const std::string& key, Timestamp now) {
    std::lock_guard lock(mu_);
    auto& q = events_.Touch(key);
    Expire(q, now);
    q.push_back(now);
  }

  // Allow and, when allowed, record: one event that counts against the limit.
  bool Take(const std::string& key, Timestamp now) {
    if (!Allow(key, now)) return false;
    Record(key, now);
    return true;
  }

  // How many keys are tracked (at most max_keys).
  std::size_t TrackedKeys() {
    std::lock_guard lock(mu_);
    return events_.size();
  }

 private:
  void Expire(std::deque<Timestamp>& q, Timestamp now) {
    while (!q.empty() && q.front() <= now - window_) q.pop_front();
  }

  const int max_events_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  LruMap<std::deque<Timestamp>> events_;  // GUARDED_BY(mu_)
};

}  // namespace haven::app
