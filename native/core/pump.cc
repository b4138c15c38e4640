#include "pump.h"

namespace kafka_napi {

void PromiseCompletion::Complete(Napi::Env env) {
  Napi::HandleScope scope(env);
  if (!error_.ok()) {
    deferred_.Reject(MakeKafkaError(env, error_));
    return;
  }
  try {
    deferred_.Resolve(build_ ? build_(env) : env.Undefined());
  } catch (const Napi::Error& e) {
    deferred_.Reject(e.Value());
  }
}

void ReportUncaught(Napi::Env env, const Napi::Error& error) {
  Napi::Value value = error.Value();
  if (!value.IsEmpty()) napi_fatal_exception(env, value);
}

void Pump::Start(Napi::Env env, const char* name, std::shared_ptr<PumpTarget> target) {
  target_ = target.get();
  auto* keep = new std::shared_ptr<PumpTarget>(std::move(target));
  try {
    tsfn_ = Tsfn::New(
        env, name, 0, 1, this,
        [](Napi::Env env, std::shared_ptr<PumpTarget>* keep, Pump* pump) {
          // Queued calls have all run: the target no longer needs the hook, and may go with `keep`
          // (and this pump with it).
          pump->released_ = true;
          if (pump->cleanup_hook_ && env) napi_remove_env_cleanup_hook(env, &Pump::OnEnvCleanup, pump);
          pump->cleanup_hook_ = false;
          delete keep;
        },
        keep);
  } catch (...) {
    delete keep;
    throw;
  }
  // An idle target must not keep the process alive; Ref() is taken while work is outstanding.
  tsfn_.Unref(env);
  napi_add_env_cleanup_hook(env, &Pump::OnEnvCleanup, this);
  cleanup_hook_ = true;
}

// librdkafka calls this under a queue's lock: it only flips a flag and, on its false -> true edge, queues
// one call. The flag is cleared on the JS thread before OnWake, so what arrives during a drain schedules
// another wake-up.
void Pump::Wake() {
  if (!wake_pending_.exchange(true, std::memory_order_acq_rel) && tsfn_.NonBlockingCall(nullptr) != napi_ok) {
    wake_pending_.store(false, std::memory_order_release);  // the environment is gone
  }
}

void Pump::Post(Completion* completion) {
  if (tsfn_.NonBlockingCall(completion) != napi_ok) delete completion;  // the environment is gone
}

// Called by Node from C: no C++ exception may leave it (that would be std::terminate, which takes the
// whole process down, workers included). A JS exception is reported the way Node reports one thrown by
// any callback; while an environment is terminating (worker.terminate()) calls fail and are dropped.
void Pump::CallJs(Napi::Env env, Napi::Function, Pump* pump, Completion* data) {
  std::unique_ptr<Completion> completion(data);
  if (env == nullptr) return;  // the pump is being finalized at teardown: undelivered work is dropped
  try {
    if (completion) {
      completion->Complete(env);
    } else {
      pump->wake_pending_.store(false, std::memory_order_release);
      pump->target_->OnWake(env);
    }
  } catch (const Napi::Error& error) {
    ReportUncaught(env, error);
  } catch (...) {
  }
}

void Pump::Ref(Napi::Env env) {
  if (released_) return;
  if (refs_++ == 0) {
    tsfn_.Ref(env);
    target_->OnBusy(true);
  }
}

void Pump::Unref(Napi::Env env) {
  if (released_ || refs_ == 0) return;
  if (--refs_ == 0) {
    tsfn_.Unref(env);
    target_->OnBusy(false);
  }
}

void Pump::Idle(Napi::Env env) {
  if (released_ || refs_ == 0) return;
  refs_ = 0;
  tsfn_.Unref(env);
  target_->OnBusy(false);
}

// Once only, and never after the finalizer ran (environment teardown finalizes the pump first, and a
// wrapper's finalizer may release it afterwards): the thread-safe function is freed by then.
void Pump::Release() {
  if (!released_.exchange(true)) tsfn_.Release();
}

void Pump::OnEnvCleanup(void* arg) {
  auto* pump = static_cast<Pump*>(arg);
  pump->cleanup_hook_ = false;
  if (!pump->released_) pump->target_->OnEnvTeardown();
}

}  // namespace kafka_napi
