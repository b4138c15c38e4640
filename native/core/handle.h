// One librdkafka client instance (rd_kafka_t) and everything that must outlive the JS object wrapping it:
// the pump to the JS thread (pump.h), off-thread tasks, and the ordered shutdown.
//
// Threads: librdkafka's own threads only ever touch the pump's `Wake()` (an atomic flag + one
// thread-safe-function call). Blocking librdkafka calls run off the JS thread and never on the libuv threadpool:
// metadata, committed, flush and the like in slices on the process's small task pool (task_pool.h); close
// and destroy on the client's serial worker (serial_worker.h); a transaction call on a thread of its own
// (librdkafka answers a second transactional call made while one runs at once, with an error: queued
// behind it, the second would wait instead). Their results come back to the JS thread through the
// pump as `Completion`s.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "errors.h"
#include "owned.h"
#include "pump.h"
#include "serial_worker.h"

namespace kafka_napi {

// Implemented by the JS-facing wrapper; called on the JS thread.
class HandleOwner {
 public:
  virtual ~HandleOwner() = default;
  virtual void OnWake(Napi::Env env) = 0;
  // Pending work exists (true) or not (false): the owner keeps itself and its callback alive meanwhile.
  virtual void SetStrong(bool strong) = 0;
  // Environment teardown: librdkafka references the owner holds (topic handles) that must be released
  // before rd_kafka_destroy can finish. Runs on the JS thread, just before the destroy.
  virtual void ReleaseForTeardown() {}
};

// What blocking work run for a promise produced: an error to reject it with, or (error ok) how to build
// the value it resolves with on the JS thread (none: undefined).
struct TaskResult {
  ErrorInfo error;
  PromiseCompletion::Build build;
};

class Handle;

// A blocking librdkafka call cut into slices, one per step of a pool task: Run() makes one call of at most
// Handle::kTaskSliceMs and says whether the call is finished — it answered with a code not in `retry_on`,
// the timeout (counted from construction, so time spent queued counts; -1: none) ran out, or the client
// started closing (_DESTROY). close() waits for running tasks: without slices it waited out the whole
// timeout of a pending flush(-1) or metadata request (the client then never closed).
class Slices {
 public:
  Slices(int timeout_ms, std::initializer_list<rd_kafka_resp_err_t> retry_on);
  bool Run(const Handle& handle, const std::function<rd_kafka_resp_err_t(int slice_ms)>& call);
  rd_kafka_resp_err_t err() const { return err_; }
  // The same kind of call again (the next partition, say), with the whole timeout from now.
  void Restart();

 private:
  int timeout_ms_;
  std::chrono::steady_clock::time_point deadline_;
  bool unlimited_;
  std::vector<rd_kafka_resp_err_t> retry_on_;
  rd_kafka_resp_err_t err_ = RD_KAFKA_RESP_ERR_NO_ERROR;
};

class Handle : public PumpTarget, public std::enable_shared_from_this<Handle> {
 public:
  // A client that cannot be destroyed yet (a consumer whose group is still leaving, its coordinator
  // unreachable): called on a detached thread once close() has resolved; returns true when destroying is
  // safe (rd_kafka_destroy then runs on that thread), false when it never became so (the client is then
  // abandoned, see DestroyPlan::abandon). Must not touch anything of the JS side: it may outlive the environment.
  using Linger = std::function<bool(rd_kafka_t* rk)>;
  // What runs on the close thread just before rd_kafka_destroy decides: extra rd_kafka_destroy_flags
  // flags, abandoning the client (rd_kafka_destroy would never return: it joins a librdkafka thread that
  // waits for a group that cannot terminate; the client is left to its threads), or a Linger to finish
  // later.
  struct DestroyPlan {
    int flags = 0;
    bool abandon = false;
    Linger linger;
  };
  using BeforeDestroy = std::function<DestroyPlan(rd_kafka_t* rk)>;

  // Process-wide counts of clients whose destroy did not happen at close: still lingering (Linger), and
  // in total lingered, destroyed after lingering, abandoned. What tests and the soak read.
  struct CloseStats {
    int lingering;
    double lingered;
    double destroyedAfterLinger;
    double abandoned;
  };
  static CloseStats GetCloseStats();

  using PromiseWork = std::function<TaskResult(rd_kafka_t* rk)>;
  // One step of a pool task: blocks at most about kTaskSliceMs (use Slices) and returns the result, or
  // nothing while more steps are needed. Called again on the same object (state may live in a mutable
  // lambda), always on one thread at a time.
  using PromiseStep = std::function<std::optional<TaskResult>(rd_kafka_t* rk)>;
  static constexpr int kTaskSliceMs = 500;

  // librdkafka takes `conf` when it creates the client; on failure it is destroyed here. Throws KafkaError
  // when librdkafka refuses to create the client. `servername`: ssl.servername (servername.h), or empty.
  static std::shared_ptr<Handle> Create(Napi::Env env, rd_kafka_type_t type, ConfPtr conf, HandleOwner* owner,
                                        const std::string& servername);
  ~Handle() override;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  // Valid only while open(); the JS thread checks open() before every call.
  rd_kafka_t* rk() const { return rk_; }
  bool open() const { return state_ == State::kOpen; }

  // Wake the JS thread when `queue` goes from empty to non-empty (librdkafka signals only that edge: a
  // drain must empty the queue or revisit it). The handle keeps the queue reference and releases it
  // before destroying the client; the caller gets it back borrowed.
  rd_kafka_queue_t* WatchQueue(QueuePtr queue);

  // Keep the event loop (and the owner) alive while JS has work outstanding. JS thread only.
  void Ref(Napi::Env env);
  void Unref(Napi::Env env);

  // The way a native method runs blocking work: the steps of `step` run on the shared task pool
  // (task_pool.h) and the result settles the returned promise on the JS thread. Once closing has begun no
  // further step runs and the promise rejects with _DESTROY, the code JS uses for a closed client: a
  // promise nobody settles hangs its caller for ever. `step` and what it captures may be destroyed unrun,
  // so it must own what it holds (owned.h).
  Napi::Promise RunPromiseTask(Napi::Env env, PromiseStep step);
  // For a blocking call run as one call (commit, abort and sendOffsets of a transaction): runs `work`
  // once, on a thread of its own.
  Napi::Promise RunDedicatedTask(Napi::Env env, PromiseWork work);
  // For a librdkafka call that may never return: librdkafka drops (without an answer) a request that
  // reaches a consumer group which terminated meanwhile, and its blocking calls wait for ever for that
  // answer. Runs `call` on its own thread and waits up to `wait_ms` for it, so the JS thread never
  // freezes; a call still running when the client is destroyed makes the destroy abandon the client
  // (see DestroyPlan::abandon) rather than free what that call uses. JS thread only.
  void RunGuarded(std::function<void(rd_kafka_t* rk)> call, int wait_ms);

  // Begins the shutdown: no new work is accepted; on the client's worker waits for running tasks, calls
  // `before_destroy` (e.g. rd_kafka_consumer_close), releases watched queues and destroys the client;
  // then `done` runs on the JS thread and the pump is released.
  void Close(Napi::Env env, BeforeDestroy before_destroy, std::unique_ptr<Completion> done);

  // The owner is being garbage-collected.
  void DetachOwner() { owner_ = nullptr; }

  // Keeps `data` alive until the Handle itself goes, i.e. after rd_kafka_destroy: for state that
  // librdkafka callbacks reach through their opaque pointer.
  void Attach(std::shared_ptr<void> data) { attachments_.push_back(std::move(data)); }

 private:
  enum class State { kOpen, kClosing, kClosed };

  // PumpTarget: a wake-up reaches the owner while the client is open; outstanding work keeps the owner
  // strong; environment teardown finishes the shutdown synchronously.
  void OnWake(Napi::Env env) override;
  void OnBusy(bool busy) override;
  void OnEnvTeardown() override;

  Handle() = default;
  // Counts a task in (false, and nothing counted, once closing has begun) and out again; TaskFinished
  // posts its completion to the JS thread. Private: only the Run*Task methods, which answer a refusal.
  [[nodiscard]] bool TaskStarted(Napi::Env env);
  void TaskFinished(std::unique_ptr<Completion> completion);
  static void OnQueueEvent(rd_kafka_t* rk, void* opaque);
  void WaitForTasks();
  void DestroyClient(const BeforeDestroy& before_destroy, int destroy_flags);
  void FinishClose(Napi::Env env);

  rd_kafka_t* rk_ = nullptr;
  std::vector<QueuePtr> queues_;
  Pump pump_;
  std::atomic<State> state_{State::kOpen};
  HandleOwner* owner_ = nullptr;

  std::mutex mutex_;
  std::condition_variable tasks_idle_;
  int active_tasks_ = 0;
  int guarded_calls_ = 0;  // under mutex_
  std::condition_variable guarded_idle_;
  SerialWorker worker_;  // close and destroy
  std::vector<std::shared_ptr<void>> attachments_;
};

}  // namespace kafka_napi
