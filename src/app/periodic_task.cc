#include "app/periodic_task.h"

namespace haven::app {

PeriodicTask::PeriodicTask(std::chrono::minutes period, std::function<void()> run) {
  thread_ = std::thread([this, period, run = std::move(run)] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      run();
      lock.lock();
      wake_.wait_for(lock, period, [this] { return stop_; });
    }
  });
}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace haven::app
