#include "task_pool.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

namespace kafka_napi {

namespace {

class Pool {
 public:
  void Submit(TaskPool::Step step, const void* tag) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back({std::move(step), tag});
    // Idle threads each take one step; start one more only for steps no idle thread will take.
    if (static_cast<int>(queue_.size()) > idle_ && threads_ < TaskPool::kMaxThreads) {
      threads_++;
      started_++;
      if (threads_ > peak_) peak_ = threads_;
      std::thread([this] { Work(); }).detach();
    } else {
      wake_.notify_one();
    }
  }

  void Expedite(const void* tag) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::stable_partition(queue_.begin(), queue_.end(), [tag](const Queued& q) { return q.tag == tag; });
  }

  TaskPool::Stats Stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return {threads_, peak_, queue_.size(), started_};
  }

 private:
  void Work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (queue_.empty()) {
        idle_++;
        bool woke =
            wake_.wait_for(lock, std::chrono::seconds(TaskPool::kIdleSeconds), [this] { return !queue_.empty(); });
        idle_--;
        if (!woke) {
          threads_--;
          return;
        }
      }
      Queued next = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      bool done = next.step();
      lock.lock();
      // Not finished: behind whatever waits meanwhile; taken straight back when nothing does.
      if (!done) queue_.push_back(std::move(next));
    }
  }

  struct Queued {
    TaskPool::Step step;
    const void* tag;
  };

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Queued> queue_;
  int threads_ = 0;
  int idle_ = 0;
  int peak_ = 0;
  double started_ = 0;
};

// Never destroyed: detached pool threads may still be waiting on it while the process exits (the addon
// is linked with -z nodelete, so its code outlives every environment too).
Pool& Instance() {
  static Pool* pool = new Pool();
  return *pool;
}

}  // namespace

void TaskPool::Submit(Step step, const void* tag) { Instance().Submit(std::move(step), tag); }

void TaskPool::Expedite(const void* tag) { Instance().Expedite(tag); }

TaskPool::Stats TaskPool::GetStats() { return Instance().Stats(); }

}  // namespace kafka_napi
