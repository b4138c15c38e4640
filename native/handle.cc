#include "handle.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>

#include "allocator.h"
#include "errors.h"
#include "servername.h"
#include "task_pool.h"

namespace kafka_napi {

namespace {

// Marks a completion that must drop the loop reference its task took.
class TaskCompletion : public Completion {
 public:
  TaskCompletion(std::shared_ptr<Handle> handle, std::unique_ptr<Completion> inner)
      : handle_(std::move(handle)), inner_(std::move(inner)) {}
  void Complete(Napi::Env env) override {
    handle_->Unref(env);
    if (inner_) inner_->Complete(env);
  }

 private:
  std::shared_ptr<Handle> handle_;
  std::unique_ptr<Completion> inner_;
};

}  // namespace

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

std::shared_ptr<Handle> Handle::Create(Napi::Env env, rd_kafka_type_t type, ConfPtr conf, HandleOwner* owner,
                                       const std::string& servername) {
  char errstr[512] = {0};
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof(errstr));
  if (!rk) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));  // `conf` is still ours
  conf.release();                                                                    // rd_kafka_new owns it on success
  if (!servername.empty()) RegisterServerName(rk, servername);
  std::shared_ptr<Handle> handle(new Handle());
  handle->rk_ = rk;
  handle->owner_ = owner;
  handle->env_ = env;
  // The pump's finalizer owns one reference, so the Handle outlives every queued pump call.
  auto* self_ref = new std::shared_ptr<Handle>(handle);
  handle->pump_ = Pump::New(
      env, "kafka-napi", 0, 1, handle.get(), [](Napi::Env, std::shared_ptr<Handle>* ref, Handle*) { delete ref; },
      self_ref);
  // An idle client must not keep the process alive; Ref() is taken while work is outstanding.
  handle->pump_.Unref(env);
  // Registered after the pump was created, so it runs before Node finalizes the pump at environment
  // teardown: librdkafka threads (which call Wake) are gone before the pump is.
  napi_add_env_cleanup_hook(env, &Handle::OnEnvCleanup, handle.get());
  handle->cleanup_hook_ = true;
  return handle;
}

Handle::~Handle() {
  // Normally destroyed by Close or the cleanup hook already; this only runs off the JS thread or at exit.
  queues_.clear();  // queue references first: rd_kafka_destroy waits for them
  if (rk_) {
    rd_kafka_destroy(rk_);
    ForgetServerName(rk_);
  }
  if (close_thread_.joinable()) close_thread_.detach();
  attachments_.clear();  // after rd_kafka_destroy: no callback can reach them any more
}

rd_kafka_queue_t* Handle::WatchQueue(QueuePtr owned) {
  rd_kafka_queue_t* queue = owned.get();
  queues_.push_back(std::move(owned));
  rd_kafka_queue_cb_event_enable(queue, &Handle::OnQueueEvent, this);
  // librdkafka signals only the empty -> non-empty transition: whatever arrived before the callback was
  // enabled (logs from rd_kafka_new, say) would otherwise never be signalled. One wake-up drains it.
  Wake();
  return queue;
}

void Handle::OnQueueEvent(rd_kafka_t*, void* opaque) { static_cast<Handle*>(opaque)->Wake(); }

// Called by librdkafka, under the queue's lock, when a watched queue goes from empty to non-empty (and by
// WatchQueue). Consumers of a wake-up must therefore drain a queue until it is empty, or come back to it
// themselves: no further signal arrives while it holds anything. Coalesced into one pending JS call.
void Handle::Wake() {
  if (!wake_pending_.exchange(true, std::memory_order_acq_rel)) pump_.NonBlockingCall(nullptr);
}

void Handle::Post(Completion* completion) {
  if (pump_.BlockingCall(completion) != napi_ok) delete completion;  // environment is gone
}

// Called by Node from C: no C++ exception may leave it (that would be std::terminate, which takes the
// whole process down, workers included). A JS exception is reported the way Node reports one thrown
// by any callback; while an environment is terminating (worker.terminate()) calls fail and are dropped.
void HandleCallJs(Napi::Env env, Napi::Function, Handle* handle, void* data) {
  std::unique_ptr<Completion> completion(static_cast<Completion*>(data));
  if (env == nullptr) return;  // the pump is being finalized at teardown: drop undelivered work
  try {
    if (!completion) {
      // Cleared before draining, so events arriving during the drain schedule another wake-up.
      handle->wake_pending_.store(false, std::memory_order_release);
      if (handle->owner_ && handle->open()) handle->owner_->OnWake(env);
    } else {
      completion->Complete(env);
    }
  } catch (const Napi::Error& error) {
    ReportUncaught(env, error);
  } catch (...) {
  }
}

void ReportUncaught(Napi::Env env, const Napi::Error& error) {
  Napi::Value value = error.Value();
  if (!value.IsEmpty()) napi_fatal_exception(env, value);
}

void Handle::Ref(Napi::Env env) {
  if (refs_++ == 0 && !pump_released_) {
    pump_.Ref(env);
    if (owner_) owner_->SetStrong(true);
  }
}

void Handle::Unref(Napi::Env env) {
  if (refs_ > 0 && --refs_ == 0 && !pump_released_) {
    pump_.Unref(env);
    if (owner_) owner_->SetStrong(false);
  }
}

bool Handle::TaskStarted(Napi::Env env) {
  if (state_ != State::kOpen) return false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    active_tasks_++;
  }
  Ref(env);
  return true;
}

void Handle::TaskFinished(std::unique_ptr<Completion> completion) {
  Post(new TaskCompletion(shared_from_this(), std::move(completion)));
  std::lock_guard<std::mutex> lock(mutex_);
  if (--active_tasks_ == 0) tasks_idle_.notify_all();
}

namespace {

Napi::Promise Refuse(Napi::Env env, Napi::Promise::Deferred deferred) {
  deferred.Reject(MakeKafkaError(env, RD_KAFKA_RESP_ERR__DESTROY, "client is closed"));
  return deferred.Promise();
}

}  // namespace

Napi::Promise Handle::RunPromiseTask(Napi::Env env, PromiseStep step) {
  auto deferred = Napi::Promise::Deferred::New(env);
  if (!TaskStarted(env)) return Refuse(env, deferred);
  TaskPool::Submit(
      [self = shared_from_this(), deferred, step = std::move(step)]() mutable -> bool {
        std::optional<TaskResult> result;
        if (!self->open()) {
          result = TaskResult{ErrorInfo(RD_KAFKA_RESP_ERR__DESTROY, "client is closed"), nullptr};
        } else {
          try {
            result = step(self->rk_);
          } catch (const std::exception& e) {  // std::bad_alloc: a pool thread must not end the process
            result = TaskResult{ErrorInfo(RD_KAFKA_RESP_ERR__FAIL, e.what()), nullptr};
          }
        }
        if (!result) return false;
        // What the step holds (a topic handle, say) goes before the task counts as done: close() destroys
        // the client then, and librdkafka waits for every reference to its objects.
        step = nullptr;
        self->TaskFinished(
            std::make_unique<PromiseCompletion>(deferred, std::move(result->error), std::move(result->build)));
        return true;
      },
      this);
  return deferred.Promise();
}

Napi::Promise Handle::RunDedicatedTask(Napi::Env env, PromiseWork work) {
  auto deferred = Napi::Promise::Deferred::New(env);
  if (!TaskStarted(env)) return Refuse(env, deferred);
  std::thread([self = shared_from_this(), deferred, work = std::move(work)]() mutable {
    TaskResult result = work(self->rk_);
    work = nullptr;  // as in RunPromiseTask
    self->TaskFinished(std::make_unique<PromiseCompletion>(deferred, std::move(result.error), std::move(result.build)));
  }).detach();
  return deferred.Promise();
}

Slices::Slices(int timeout_ms, std::initializer_list<rd_kafka_resp_err_t> retry_on)
    : timeout_ms_(timeout_ms), unlimited_(timeout_ms < 0), retry_on_(retry_on) {
  Restart();
}

void Slices::Restart() {
  deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_ < 0 ? 0 : timeout_ms_);
  err_ = RD_KAFKA_RESP_ERR_NO_ERROR;
}

bool Slices::Run(const Handle& handle, const std::function<rd_kafka_resp_err_t(int slice_ms)>& call) {
  using Clock = std::chrono::steady_clock;
  if (!handle.open()) {
    err_ = RD_KAFKA_RESP_ERR__DESTROY;
    return true;
  }
  int slice = Handle::kTaskSliceMs;
  if (!unlimited_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
    slice = static_cast<int>(std::max<long long>(0, std::min<long long>(left, Handle::kTaskSliceMs)));
  }
  err_ = call(slice);
  bool retry = std::find(retry_on_.begin(), retry_on_.end(), err_) != retry_on_.end();
  return !retry || (!unlimited_ && Clock::now() >= deadline_);
}

void Handle::RunGuarded(std::function<void(rd_kafka_t* rk)> call, int wait_ms) {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    guarded_calls_++;
  }
  std::thread([self = shared_from_this(), call = std::move(call), done, rk = rk_]() {
    call(rk);
    done->set_value();
    std::lock_guard<std::mutex> lock(self->mutex_);
    if (--self->guarded_calls_ == 0) self->guarded_idle_.notify_all();
  }).detach();
  finished.wait_for(std::chrono::milliseconds(wait_ms));
}

void Handle::WaitForTasks() {
  std::unique_lock<std::mutex> lock(mutex_);
  tasks_idle_.wait(lock, [this] { return active_tasks_ == 0; });
}

namespace {
std::atomic<int> lingering{0};
std::atomic<uint64_t> lingered{0};
std::atomic<uint64_t> destroyed_after_linger{0};
std::atomic<uint64_t> abandoned{0};
}  // namespace

Handle::CloseStats Handle::GetCloseStats() {
  return {lingering.load(), static_cast<double>(lingered.load()), static_cast<double>(destroyed_after_linger.load()),
          static_cast<double>(abandoned.load())};
}

void Handle::DestroyClient(const BeforeDestroy& before_destroy, int destroy_flags) {
  WaitForTasks();  // tasks use rk_: it must outlive them
  bool abandon = false;
  {
    // A guarded call still running after this long will not return: rk_ must then never be freed.
    std::unique_lock<std::mutex> lock(mutex_);
    abandon = !guarded_idle_.wait_for(lock, std::chrono::seconds(3), [this] { return guarded_calls_ == 0; });
  }
  Linger linger;
  if (before_destroy) {
    DestroyPlan plan = before_destroy(rk_);
    destroy_flags |= plan.flags;
    abandon = abandon || plan.abandon;
    linger = std::move(plan.linger);
  }
  for (const QueuePtr& q : queues_) rd_kafka_queue_cb_event_enable(q.get(), nullptr, nullptr);
  queues_.clear();
  rd_kafka_t* rk = rk_;
  rk_ = nullptr;
  if (abandon) {
    abandoned++;
    return;  // its threads may still verify: its server name stays
  }
  if (linger) {
    // close() resolves now; the client is destroyed once its group has finished leaving. Abandoning it
    // right away leaked its threads and memory whenever a consumer closed during a coordinator outage
    // longer than the leave wait (the soak found 3 in 30 minutes). Nothing here reaches this Handle or
    // the JS side, which may be gone by then; at process exit the thread simply stops with the process.
    // What librdkafka's callbacks reach through their opaque pointers (attachments_) must outlive the
    // client, not this Handle: the thread takes it.
    auto keep = std::make_unique<std::vector<std::shared_ptr<void>>>(std::move(attachments_));
    lingering++;
    lingered++;
    std::thread([rk, flags = destroy_flags, linger = std::move(linger), keep = std::move(keep)]() mutable {
      if (!linger(rk)) {
        (void)keep.release();  // abandoned: its threads live on, and may still reach these
        abandoned++;
        lingering--;
        return;
      }
      rd_kafka_destroy_flags(rk, flags);
      ForgetServerName(rk);
      ReturnFreedMemory();
      destroyed_after_linger++;
      lingering--;
    }).detach();
    return;
  }
  // Joins librdkafka's threads: after this nobody calls Wake(). An abandoned or lingering client's
  // threads cannot call it either: every watched queue's callback was disabled above.
  rd_kafka_destroy_flags(rk, destroy_flags);
  ForgetServerName(rk);
}

void Handle::Close(Napi::Env env, BeforeDestroy before_destroy, std::unique_ptr<Completion> done) {
  if (state_ != State::kOpen) return;
  state_ = State::kClosing;
  TaskPool::Expedite(this);  // its queued steps now end at once; the close thread waits for them
  Ref(env);                  // the loop stays alive until the close has finished
  class CloseCompletion : public Completion {
   public:
    CloseCompletion(Handle* handle, std::unique_ptr<Completion> done) : handle_(handle), done_(std::move(done)) {}
    void Complete(Napi::Env env) override {
      handle_->FinishClose(env);
      if (done_) done_->Complete(env);
    }

   private:
    Handle* handle_;  // kept alive by the pump's own reference until the pump is finalized
    std::unique_ptr<Completion> done_;
  };
  auto* completion = new CloseCompletion(this, std::move(done));
  close_thread_ = std::thread([self = shared_from_this(), before_destroy = std::move(before_destroy), completion]() {
    self->DestroyClient(before_destroy, 0);
    // Before the post: once posted, the JS thread joins this thread (and would wait for the trim).
    ReturnFreedMemory();
    self->Post(completion);
  });
}

void Handle::FinishClose(Napi::Env env) {
  state_ = State::kClosed;
  if (close_thread_.joinable()) close_thread_.join();  // it has posted; only its exit remains
  if (cleanup_hook_) {
    napi_remove_env_cleanup_hook(env, &Handle::OnEnvCleanup, this);
    cleanup_hook_ = false;
  }
  if (refs_ > 0 && owner_) owner_->SetStrong(false);
  refs_ = 0;
  pump_released_ = true;
  pump_.Release();  // finalizes the pump, which drops its reference to this Handle
}

// The environment (process exit or a terminated worker) is going away with the client still open or
// closing: finish the shutdown synchronously here, before Node finalizes the pump.
void Handle::OnEnvCleanup(void* arg) {
  auto* handle = static_cast<Handle*>(arg);
  handle->cleanup_hook_ = false;
  // Topic handles still referenced would keep librdkafka's broker threads (and rd_kafka_destroy) alive.
  if (handle->owner_ && handle->state_ == State::kOpen) handle->owner_->ReleaseForTeardown();
  handle->owner_ = nullptr;
  if (handle->state_ == State::kOpen) {
    handle->state_ = State::kClosing;
    TaskPool::Expedite(handle);
    // Leaving the group politely could wait on the network at exit; the group rebalances after the
    // session timeout instead.
    handle->DestroyClient(nullptr, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  } else if (handle->close_thread_.joinable()) {
    handle->close_thread_.join();
  }
  handle->state_ = State::kClosed;
}

}  // namespace kafka_napi
