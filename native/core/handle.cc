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

std::shared_ptr<Handle> Handle::Create(Napi::Env env, rd_kafka_type_t type, ConfPtr conf, HandleOwner* owner,
                                       const std::string& servername) {
  char errstr[512] = {0};
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof(errstr));
  if (!rk) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));  // `conf` is still ours
  (void)conf.release();                                                              // rd_kafka_new owns it on success
  if (!servername.empty()) RegisterServerName(rk, servername);
  std::shared_ptr<Handle> handle(new Handle());
  handle->rk_ = rk;
  handle->owner_ = owner;
  handle->pump_.Start(env, "kafka-napi", handle);
  return handle;
}

Handle::~Handle() {
  // Normally destroyed by Close or the cleanup hook already; this only runs off the JS thread or at exit.
  queues_.clear();  // queue references first: rd_kafka_destroy waits for them
  if (rk_) {
    rd_kafka_destroy(rk_);
    ForgetServerName(rk_);
  }
  attachments_.clear();  // after rd_kafka_destroy: no callback can reach them any more
}

rd_kafka_queue_t* Handle::WatchQueue(QueuePtr owned) {
  rd_kafka_queue_t* queue = owned.get();
  queues_.push_back(std::move(owned));
  rd_kafka_queue_cb_event_enable(queue, &Handle::OnQueueEvent, this);
  // librdkafka signals only the empty -> non-empty transition: whatever arrived before the callback was
  // enabled (logs from rd_kafka_new, say) would otherwise never be signalled. One wake-up drains it.
  pump_.Wake();
  return queue;
}

void Handle::OnQueueEvent(rd_kafka_t*, void* opaque) { static_cast<Handle*>(opaque)->pump_.Wake(); }

// librdkafka signals a watched queue only when it goes from empty to non-empty (and WatchQueue once):
// the owner's drain must therefore empty each queue, or come back to it itself.
void Handle::OnWake(Napi::Env env) {
  if (owner_ && open()) owner_->OnWake(env);
}

void Handle::OnBusy(bool busy) {
  if (owner_) owner_->SetStrong(busy);
}

void Handle::Ref(Napi::Env env) { pump_.Ref(env); }

void Handle::Unref(Napi::Env env) { pump_.Unref(env); }

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
  pump_.Post(new TaskCompletion(shared_from_this(), std::move(completion)));
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
    // close() resolves now; the client is destroyed once its group has finished leaving, so a consumer
    // closed during a coordinator outage longer than the leave wait leaks neither threads nor memory
    // (docs/internals/reliability-journal.md). Nothing here reaches this Handle or
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
  worker_.Post([self = shared_from_this(), before_destroy = std::move(before_destroy), completion]() {
    self->DestroyClient(before_destroy, 0);
    // Before the post: once posted, the JS thread joins the worker (and would wait for the trim).
    ReturnFreedMemory();
    self->pump_.Post(completion);
  });
  worker_.Stop(false);  // the close is its last job
}

void Handle::FinishClose(Napi::Env env) {
  state_ = State::kClosed;
  worker_.Join();  // it has posted; only its exit remains
  pump_.Idle(env);
  pump_.Release();  // once finalized, the pump drops its reference to this Handle
}

// The environment (process exit or a terminated worker) is going away with the client still open or
// closing: finish the shutdown synchronously here, before Node finalizes the pump.
void Handle::OnEnvTeardown() {
  // Topic handles still referenced would keep librdkafka's broker threads (and rd_kafka_destroy) alive.
  if (owner_ && state_ == State::kOpen) owner_->ReleaseForTeardown();
  owner_ = nullptr;
  if (state_ == State::kOpen) {
    state_ = State::kClosing;
    TaskPool::Expedite(this);
    // Leaving the group politely could wait on the network at exit; the group rebalances after the
    // session timeout instead.
    DestroyClient(nullptr, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  } else {
    worker_.Join();  // the close running there finishes first
  }
  state_ = State::kClosed;
}

}  // namespace kafka_napi
