// One thread of a client's own that runs jobs in the order they were posted: what a client does off the
// JS thread that cannot be cut into task-pool slices (task_pool.h) — a Handle's close and destroy, every
// call of a share consumer (librdkafka's share handle must be used from one thread), a mock cluster's
// stop. Its results go back through the client's Pump (pump.h).
//
// The thread starts with the first job (most clients need it once, to close) and ends once stopped and
// idle. A job that runs long cuts itself into slices and checks HasWaiting() between them, so that a job
// posted behind it (a close behind a long poll) waits at most one slice.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace kafka_napi {

class SerialWorker {
 public:
  using Job = std::function<void()>;

  SerialWorker() = default;
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;
  // A thread still running is detached, never joined here: the owner may be destroyed on that thread
  // (its last job holding the last reference). The thread keeps what it uses (State) alive itself.
  ~SerialWorker();

  // Any thread. Runs `job` after every job posted before it; false (and `job` dropped unrun) once stopped.
  bool Post(Job job);
  // Any thread: jobs wait behind the one running now.
  bool HasWaiting();
  // Any thread: no job is taken any more; the thread ends after the job running now, and after the jobs
  // waiting unless `discard` (then they are destroyed unrun).
  void Stop(bool discard);
  // Waits for the thread to end (after Stop). Never from a job.
  void Join();

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable wakeup;
    std::deque<Job> jobs;
    bool stopping = false;
  };
  static void Run(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::thread thread_;  // touched only by the owner's thread(s) that post, stop and join
};

}  // namespace kafka_napi
