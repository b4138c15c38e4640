// The one way work reaches the JS thread from another thread (librdkafka's, the task pool's, a client's
// own worker): a Node-API thread-safe function carrying Completions, with wake-ups coalesced, the event
// loop's reference counted, and the environment's cleanup hook. Every native object that finishes work off
// the JS thread composes one: Handle (producer, consumer, admin), ShareCore, MockCluster.
//
// The rules it keeps, so that its users need not (docs/threads.md "Lifetimes"):
// - The target outlives every queued call: the thread-safe function's finalizer owns a reference to it.
// - An idle pump does not keep the event loop alive: Ref/Unref count outstanding work, and the loop is
//   held exactly while the count is not zero.
// - A completion posted once the environment is gone is destroyed without running: never leaked, never
//   run against a dead environment.
// - The cleanup hook is registered after the thread-safe function, so at environment teardown it runs
//   first (Node runs hooks in reverse order): the target stops every thread that posts before Node
//   finalizes the pump. Once the pump is released, the hook has nothing left to stop.
#pragma once

#include <napi.h>

#include <atomic>
#include <functional>
#include <memory>

#include "errors.h"

namespace kafka_napi {

// Work finished on another thread, delivered to (and destroyed on) the JS thread; destroyed unrun when
// the environment is gone.
class Completion {
 public:
  virtual ~Completion() = default;
  virtual void Complete(Napi::Env env) = 0;
};

// The one way native code settles a napi promise from another thread: resolves with a value built on the
// JS thread (none: undefined), or rejects with a KafkaError.
class PromiseCompletion : public Completion {
 public:
  using Build = std::function<Napi::Value(Napi::Env)>;
  PromiseCompletion(Napi::Promise::Deferred deferred, ErrorInfo error, Build build)
      : deferred_(deferred), error_(std::move(error)), build_(std::move(build)) {}
  PromiseCompletion(Napi::Promise::Deferred deferred, rd_kafka_resp_err_t err, std::string message, Build build)
      : PromiseCompletion(deferred, ErrorInfo(err, std::move(message)), std::move(build)) {}
  void Complete(Napi::Env env) override;

 private:
  Napi::Promise::Deferred deferred_;
  ErrorInfo error_;
  Build build_;
};

// Hands a JS exception caught in native code to Node's uncaught-exception handling.
void ReportUncaught(Napi::Env env, const Napi::Error& error);

// What a pump serves; every method runs on the JS thread.
class PumpTarget {
 public:
  virtual ~PumpTarget() = default;
  // A wake-up (Pump::Wake), coalesced: one call however many wake-ups arrived since the last.
  virtual void OnWake(Napi::Env env) {}
  // Outstanding work began (true) or ended (false).
  virtual void OnBusy(bool busy) {}
  // The environment (process exit, a terminated worker) is going away and the pump was not released:
  // stop, synchronously, every thread that could still post.
  virtual void OnEnvTeardown() = 0;
};

class Pump {
 public:
  Pump() = default;
  Pump(const Pump&) = delete;
  Pump& operator=(const Pump&) = delete;

  // JS thread, once. `target` owns this pump (the pump is a member of it). Throws when Node-API refuses.
  void Start(Napi::Env env, const char* name, std::shared_ptr<PumpTarget> target);

  // Any thread. Wake: one OnWake soon, coalesced. Post: `completion` runs on the JS thread (taken over;
  // destroyed unrun if the environment is gone). Neither blocks: the queue is unbounded.
  void Wake();
  void Post(Completion* completion);

  // JS thread: hold the event loop (and OnBusy(true)) while the count of outstanding work is not zero.
  // No-ops once released.
  void Ref(Napi::Env env);
  void Unref(Napi::Env env);
  // JS thread: drops every reference taken (OnBusy(false) if any was), e.g. when the target has closed.
  void Idle(Napi::Env env);

  // The thread that makes the last post, after it: nothing may be posted afterwards. Already queued
  // completions still run; then the pump is finalized and drops its reference to the target. Idempotent,
  // and a no-op once the pump was finalized (at environment teardown).
  void Release();

 private:
  static void CallJs(Napi::Env env, Napi::Function unused, Pump* pump, Completion* data);
  static void OnEnvCleanup(void* arg);
  using Tsfn = Napi::TypedThreadSafeFunction<Pump, Completion, &Pump::CallJs>;

  Tsfn tsfn_;
  PumpTarget* target_ = nullptr;  // kept alive by the finalizer's reference
  std::atomic<bool> wake_pending_{false};
  std::atomic<bool> released_{false};
  int refs_ = 0;               // JS thread only
  bool cleanup_hook_ = false;  // JS thread only
};

}  // namespace kafka_napi
