#pragma once
// Counting events per key over a sliding window, in memory: login failures per
// client, person look-ups per user. Bounded: when more than `max_keys` keys are
// tracked, the keys whose events have all expired are dropped first, then the
// oldest, so a flood of new keys cannot grow memory without bound.
// Thread-safe.

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "common/clock.h"

namespace haven::app {

class SlidingWindowLimiter {
 public:
  SlidingWindowLimiter(int max_events, std::chrono::seconds window, std::size_t max_keys = 10000)
      : max_events_(max_events), window_(window), max_keys_(max_keys) {}

  // Whether another event of `key` is within the limit now.
  bool Allow(const std::string& key, Timestamp now) {
    std::lock_guard lock(mu_);
    auto it = events_.find(key);
    if (it == events_.end()) return max_events_ > 0;
    Expire(it->second, now);
    return static_cast<int>(it->second.size()) < max_events_;
  }

  void Record(const std::string& key, Timestamp now) {
    std::lock_guard lock(mu_);
    if (events_.size() >= max_keys_ && !events_.contains(key)) Shrink(now);
    events_[key].push_back(now);
  }

  // Allow and, when allowed, record: one event that counts against the limit.
  bool Take(const std::string& key, Timestamp now) {
    if (!Allow(key, now)) return false;
    Record(key, now);
    return true;
  }

 private:
  void Expire(std::deque<Timestamp>& q, Timestamp now) {
    while (!q.empty() && q.front() <= now - window_) q.pop_front();
  }
  // REQUIRES: mu_ held.
  void Shrink(Timestamp now) {
    for (auto it = events_.begin(); it != events_.end();) {
      Expire(it->second, now);
      it = it->second.empty() ? events_.erase(it) : std::next(it);
    }
    while (events_.size() >= max_keys_) {
      auto oldest = events_.begin();
      for (auto it = events_.begin(); it != events_.end(); ++it)
        if (it->second.back() < oldest->second.back()) oldest = it;
      events_.erase(oldest);
    }
  }

  const int max_events_;
  const std::chrono::seconds window_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::map<std::string, std::deque<Timestamp>> events_;  // GUARDED_BY(mu_)
};

}  // namespace haven::app
