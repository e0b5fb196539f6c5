#pragma once
// Private to src/app: work that `haven serve` does from a thread of its own, once when
// started and then at intervals (audit checkpoints, retention), until it is destroyed.
// Thread-safe: made and destroyed by one thread; `run` runs on the task's thread only.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace haven::app {

class PeriodicTask {
 public:
  // Calls `run` at once and then every `period`. `run` handles (logs) its own failures.
  PeriodicTask(std::chrono::minutes period, std::function<void()> run);
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  // Waits for a run in progress to end.
  ~PeriodicTask();

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace haven::app
