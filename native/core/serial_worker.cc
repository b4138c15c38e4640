#include "serial_worker.h"

#include <utility>

namespace kafka_napi {

SerialWorker::~SerialWorker() {
  if (thread_.joinable()) thread_.detach();
}

bool SerialWorker::Post(Job job) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->stopping) return false;
  state_->jobs.push_back(std::move(job));
  if (!thread_.joinable()) {
    thread_ = std::thread([state = state_] { Run(state); });
  } else {
    state_->wakeup.notify_one();
  }
  return true;
}

bool SerialWorker::HasWaiting() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return !state_->jobs.empty();
}

void SerialWorker::Stop(bool discard) {
  std::deque<Job> dropped;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
    if (discard) dropped.swap(state_->jobs);
  }
  state_->wakeup.notify_one();
  // `dropped` goes here, outside the lock: a job's captures may take locks of their own.
}

void SerialWorker::Join() {
  if (thread_.joinable()) thread_.join();
}

void SerialWorker::Run(const std::shared_ptr<State>& state) {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(state->mutex);
      state->wakeup.wait(lock, [&] { return state->stopping || !state->jobs.empty(); });
      if (state->jobs.empty()) return;  // stopped and idle
      job = std::move(state->jobs.front());
      state->jobs.pop_front();
    }
    job();
  }
}

}  // namespace kafka_napi
