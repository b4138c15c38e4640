#include "share_consumer.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "allocator.h"
#include "args.h"
#include "conf.h"
#include "errors.h"
#include "owned.h"
#include "record_layout.h"
#include "topic_partitions.h"

namespace kafka_napi {

namespace {

// The longest a poll blocks the worker in one call: a close (or a command queued behind a long poll)
// waits at most this long, since librdkafka's share poll cannot be woken.
constexpr int kPollSliceMs = 100;

using MessagesPtr = Owned<rd_kafka_messages_t, rd_kafka_messages_destroy>;

// Acknowledgements as they cross: topics, then per ack [topic index, partition, type] and an offset.
struct Acks {
  std::vector<std::string> topics;
  std::vector<int32_t> ints;
  std::vector<double> offsets;
};

}  // namespace

enum class CommandKind { kSubscribe, kUnsubscribe, kPoll, kCommit, kClose, kSetToken, kSetTokenFailure };

struct ShareCommand {
  explicit ShareCommand(CommandKind k = CommandKind::kPoll) : kind(k) {}
  CommandKind kind;
  uint64_t id = 0;  // 0: nobody waits for the result
  int timeout_ms = 0;
  std::vector<std::string> strings;  // topics; token value, principal, then extensions
  int64_t number = 0;                // token lifetime
  Acks acks;
};

// What the worker hands back to the JS thread; data of the thread-safe function (nullptr: a wake-up).
struct ShareResult {
  CommandKind kind;
  uint64_t id = 0;
  ErrorInfo error;
  MessagesPtr messages;
  PartitionListPtr partitions;
};

// One client event, gathered from librdkafka's callbacks until JS drains them.
struct ShareEvent {
  enum Type { kError, kStats, kLog, kTokenRefresh } type;
  ErrorInfo error;
  std::string text;  // statistics JSON, log line
  std::string facility;
  int level = 0;
};

void ShareCallJs(Napi::Env env, Napi::Function unused, ShareCore* core, ShareResult* result);
using SharePump = Napi::TypedThreadSafeFunction<ShareCore, ShareResult, &ShareCallJs>;

struct ShareCore {
  rd_kafka_share_t* rkshare = nullptr;
  std::atomic<rd_kafka_t*> rk{nullptr};  // learnt from librdkafka's first callback (for the client name)
  SharePump pump;
  ShareConsumer* owner = nullptr;  // JS thread only; null once the wrapper is collected
  napi_env env = nullptr;
  bool cleanup_hook = false;  // JS thread only

  std::mutex mutex;
  std::condition_variable wakeup;
  std::deque<ShareCommand> commands;
  std::vector<ShareEvent> events;
  bool stop_now = false;   // environment teardown: destroy without leaving the group
  bool finished = false;   // the worker is done with rkshare and has released the pump
  bool pump_gone = false;  // JS thread only: the pump was finalized (Ref/Unref would touch freed memory)
  // Results posted with records the JS thread has not taken yet. Their records hold partition references
  // that keep librdkafka's threads (and so rd_kafka_share_destroy) alive: at teardown the JS thread never
  // takes them, so the worker frees them itself before destroying (or destroy would wait forever).
  std::set<ShareResult*> in_flight;
  std::condition_variable finished_cv;
  std::atomic<bool> wake_pending{false};

  void Post(ShareResult* result) {
    if (result && result->messages) {
      std::lock_guard<std::mutex> lock(mutex);
      in_flight.insert(result);
    }
    if (pump.NonBlockingCall(result) != napi_ok) {  // the environment is gone
      if (result) {
        std::lock_guard<std::mutex> lock(mutex);
        in_flight.erase(result);
      }
      delete result;
    }
  }
  // The JS thread takes a result: from now on its records are the JS thread's to free.
  void Take(ShareResult* result) {
    std::lock_guard<std::mutex> lock(mutex);
    in_flight.erase(result);
  }
  // Teardown (worker): frees the records of results the JS thread will never take.
  void DropInFlight() {
    std::lock_guard<std::mutex> lock(mutex);
    for (ShareResult* r : in_flight) r->messages.reset();
    in_flight.clear();
  }
  void Wake() {
    if (!wake_pending.exchange(true)) Post(nullptr);
  }
  void AddEvent(ShareEvent event) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      events.push_back(std::move(event));
    }
    Wake();
  }
};

namespace {

ShareCore* CoreOf(const rd_kafka_t* rk) {
  auto* core = static_cast<ShareCore*>(rd_kafka_opaque(rk));
  if (core) core->rk.store(const_cast<rd_kafka_t*>(rk));
  return core;
}

// librdkafka's callbacks: logs come from any of its threads, the others from inside the worker's calls.
void OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  ShareCore* core = CoreOf(rk);
  if (!core) return;
  ShareEvent event{ShareEvent::kLog, {}, OrEmpty(message), OrEmpty(facility), level};
  core->AddEvent(std::move(event));
}

void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  ShareCore* core = CoreOf(rk);
  if (!core) return;
  ErrorInfo info(static_cast<rd_kafka_resp_err_t>(err), OrEmpty(reason));
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char cause[512];
    info.code = rd_kafka_fatal_error(rk, cause, sizeof(cause));
    info.message = cause;
    info.fatal = true;
  }
  core->AddEvent(ShareEvent{ShareEvent::kError, info, "", "", 0});
}

int OnStats(rd_kafka_t* rk, char* json, size_t len, void* opaque) {
  ShareCore* core = CoreOf(rk);
  if (core) core->AddEvent(ShareEvent{ShareEvent::kStats, {}, std::string(json, len), "", 0});
  return 0;  // librdkafka frees the JSON
}

void OnTokenRefresh(rd_kafka_t* rk, const char* config, void* opaque) {
  // sasl.oauthbearer.config is not passed on: it may carry a secret, and the provider is a closure.
  ShareCore* core = CoreOf(rk);
  if (core) core->AddEvent(ShareEvent{ShareEvent::kTokenRefresh, {}, "", "", 0});
}

rd_kafka_share_AcknowledgeType_t AckType(int32_t type) {
  switch (type) {
    case 2:
      return RD_KAFKA_SHARE_ACKNOWLEDGE_TYPE_RELEASE;
    case 3:
      return RD_KAFKA_SHARE_ACKNOWLEDGE_TYPE_REJECT;
    default:
      return RD_KAFKA_SHARE_ACKNOWLEDGE_TYPE_ACCEPT;
  }
}

// Applies acknowledgements on the worker; the first refusal is returned (the others still apply).
ErrorInfo ApplyAcks(rd_kafka_share_t* rkshare, const Acks& acks) {
  ErrorInfo first;
  for (size_t i = 0; i < acks.offsets.size(); i++) {
    const std::string& topic = acks.topics[static_cast<size_t>(acks.ints[i * 3])];
    int32_t partition = acks.ints[i * 3 + 1];
    auto offset = static_cast<int64_t>(acks.offsets[i]);
    rd_kafka_resp_err_t err =
        rd_kafka_share_acknowledge_offset(rkshare, topic.c_str(), partition, offset, AckType(acks.ints[i * 3 + 2]));
    if (err && first.ok()) {
      first = ErrorInfo(err, std::string("acknowledging ") + topic + "[" + std::to_string(partition) + "] offset " +
                                 std::to_string(offset) + ": " + rd_kafka_err2str(err));
    }
  }
  return first;
}

// Returns true when the worker should stop polling now: a command waits behind the poll, or teardown.
bool Interrupted(ShareCore* core) {
  std::lock_guard<std::mutex> lock(core->mutex);
  return core->stop_now || !core->commands.empty();
}

ShareResult* Run(ShareCore* core, ShareCommand& command) {
  auto* result = new ShareResult{command.kind, command.id, {}, nullptr, nullptr};
  rd_kafka_share_t* rkshare = core->rkshare;
  switch (command.kind) {
    case CommandKind::kSubscribe: {
      PartitionListPtr list = OwnList(rd_kafka_topic_partition_list_new(static_cast<int>(command.strings.size())));
      for (const std::string& topic : command.strings) {
        rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
      }
      rd_kafka_resp_err_t err = rd_kafka_share_subscribe(rkshare, list.get());
      if (err) result->error = ErrorInfo(err, std::string("subscribe: ") + rd_kafka_err2str(err));
      break;
    }
    case CommandKind::kUnsubscribe: {
      rd_kafka_resp_err_t err = rd_kafka_share_unsubscribe(rkshare);
      if (err) result->error = ErrorInfo(err, std::string("unsubscribe: ") + rd_kafka_err2str(err));
      break;
    }
    case CommandKind::kPoll: {
      result->error = ApplyAcks(rkshare, command.acks);
      if (!result->error.ok()) break;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(command.timeout_ms);
      for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        int slice = static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(left.count(), kPollSliceMs)));
        rd_kafka_messages_t* batch = nullptr;
        rd_kafka_error_t* error = rd_kafka_share_poll(rkshare, slice, &batch);
        if (error) {
          result->error = ErrorInfo::FromError(error);
          rd_kafka_messages_destroy(batch);
          break;
        }
        if (batch && rd_kafka_messages_count(batch) > 0) {
          result->messages.reset(batch);
          break;
        }
        rd_kafka_messages_destroy(batch);
        if (slice == 0 || std::chrono::steady_clock::now() >= deadline || Interrupted(core)) break;
      }
      break;
    }
    case CommandKind::kCommit: {
      result->error = ApplyAcks(rkshare, command.acks);
      rd_kafka_topic_partition_list_t* partitions = nullptr;
      rd_kafka_error_t* error = rd_kafka_share_commit_sync(rkshare, command.timeout_ms, &partitions);
      result->partitions.reset(partitions);
      if (error) result->error = ErrorInfo::FromError(error);
      break;
    }
    case CommandKind::kSetToken: {
      std::vector<const char*> extensions;
      for (size_t i = 2; i < command.strings.size(); i++) extensions.push_back(command.strings[i].c_str());
      char errstr[512] = "";
      rd_kafka_resp_err_t err = rd_kafka_share_oauthbearer_set_token(
          rkshare, command.strings[0].c_str(), command.number, command.strings[1].c_str(),
          extensions.empty() ? nullptr : extensions.data(), extensions.size(), errstr, sizeof(errstr));
      if (err)
        core->AddEvent(ShareEvent{ShareEvent::kError,
                                  ErrorInfo(err, std::string("OAUTHBEARER token refused: ") + errstr), "", "", 0});
      break;
    }
    case CommandKind::kSetTokenFailure:
      rd_kafka_share_oauthbearer_set_token_failure(rkshare, command.strings[0].c_str());
      break;
    case CommandKind::kClose: {
      // Close sends what was acknowledged and leaves the group, bounded by librdkafka (socket.timeout.ms).
      ErrorInfo acked = ApplyAcks(rkshare, command.acks);
      rd_kafka_error_t* error = rd_kafka_share_consumer_close(rkshare);
      result->error = error ? ErrorInfo::FromError(error) : acked;
      break;
    }
  }
  return result;
}

// Destroys the handle on the worker. librdkafka refuses (and keeps the instance) only when called from
// one of its own callbacks or with a commit callback pending, neither of which can happen here; if it
// ever does, the core is kept alive for good, because librdkafka's threads still call back into it.
void Destroy(const std::shared_ptr<ShareCore>& core, int flags) {
  rd_kafka_error_t* error = rd_kafka_share_destroy_flags(core->rkshare, flags);
  if (error) {
    std::fprintf(stderr, "kafka-napi: share consumer not destroyed: %s\n", rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
    new std::shared_ptr<ShareCore>(core);  // deliberately leaked: see above
  }
  core->rkshare = nullptr;
}

// The worker: owns rkshare from creation to destroy and serves the commands in order.
void Work(std::shared_ptr<ShareCore> core) {
  for (;;) {
    ShareCommand command;
    {
      std::unique_lock<std::mutex> lock(core->mutex);
      core->wakeup.wait(lock, [&] { return core->stop_now || !core->commands.empty(); });
      if (core->stop_now) break;
      command = std::move(core->commands.front());
      core->commands.pop_front();
    }
    ShareResult* result = Run(core.get(), command);
    if (command.kind == CommandKind::kClose) {
      Destroy(core, 0);
      ReturnFreedMemory();  // this worker thread, not the JS thread, walks the arenas
      // Commands queued after close() (JS refuses them, but a race with a finalizer is possible).
      std::deque<ShareCommand> left;
      {
        std::lock_guard<std::mutex> lock(core->mutex);
        left.swap(core->commands);
      }
      for (ShareCommand& c : left) {
        core->Post(new ShareResult{c.kind, c.id, ErrorInfo(RD_KAFKA_RESP_ERR__DESTROY, "the share consumer is closed"),
                                   nullptr, nullptr});
      }
      core->Post(result);
      break;
    }
    core->Post(result);
  }
  if (core->rkshare) {
    // Environment teardown: no time to leave the group politely; the broker expires the member. The
    // JS thread is blocked in OnEnvCleanup and will never take the results still queued.
    core->DropInFlight();
    Destroy(core, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  }
  // Released before `finished` is set: once OnEnvCleanup returns, Node may delete the pump.
  core->pump.Release();
  {
    std::lock_guard<std::mutex> lock(core->mutex);
    core->finished = true;
  }
  core->finished_cv.notify_all();
}

void OnEnvCleanup(void* arg) {
  auto* core = static_cast<ShareCore*>(arg);
  core->cleanup_hook = false;
  core->owner = nullptr;
  std::unique_lock<std::mutex> lock(core->mutex);
  core->stop_now = true;
  core->wakeup.notify_all();
  // Bounded: the worker notices within one poll slice, then destroys without leaving the group.
  core->finished_cv.wait(lock, [&] { return core->finished; });
}

Napi::Object EncodeBatch(Napi::Env env, rd_kafka_messages_t* messages) {
  size_t count = rd_kafka_messages_count(messages);
  std::vector<rd_kafka_message_t*> list(count);
  for (size_t i = 0; i < count; i++) list[i] = rd_kafka_messages_get(messages, i);
  Napi::Object out = EncodeRecords(env, list.data(), count);
  auto deliveries = Napi::Int32Array::New(env, count);
  for (size_t i = 0; i < count; i++) deliveries[i] = rd_kafka_message_delivery_count(list[i]);
  out.Set("deliveryCounts", deliveries);
  return out;
}

Acks AcksArg(Napi::Env env, const Napi::Value& value) {
  Acks acks;
  if (value.IsNull() || value.IsUndefined()) return acks;
  Napi::Array parts = ArrayArg(value, "acks");
  Napi::Array topics = ArrayArg(parts.Get(0u), "acks topics");
  CheckTypedArray(parts.Get(1u), napi_int32_array, "acks ints");
  CheckTypedArray(parts.Get(2u), napi_float64_array, "acks offsets");
  for (uint32_t i = 0; i < topics.Length(); i++) acks.topics.push_back(StringArg(topics.Get(i), "topic", 249));
  auto ints = parts.Get(1u).As<Napi::Int32Array>();
  auto offsets = parts.Get(2u).As<Napi::Float64Array>();
  if (ints.ElementLength() != offsets.ElementLength() * 3) {
    throw Napi::RangeError::New(env, "acks: 3 ints per offset expected");
  }
  for (size_t i = 0; i < offsets.ElementLength(); i++) {
    if (ints[i * 3] < 0 || static_cast<size_t>(ints[i * 3]) >= acks.topics.size()) {
      throw Napi::RangeError::New(env, "acks: topic index out of range");
    }
  }
  acks.ints.assign(ints.Data(), ints.Data() + ints.ElementLength());
  acks.offsets.assign(offsets.Data(), offsets.Data() + offsets.ElementLength());
  return acks;
}

}  // namespace

// JS thread: a wake-up (events ready) or a result to settle.
void ShareCallJs(Napi::Env env, Napi::Function unused, ShareCore* core, ShareResult* data) {
  std::unique_ptr<ShareResult> result(data);
  if (result) core->Take(result.get());
  if (!env) return;  // the environment is being torn down
  if (!result) {
    core->wake_pending.store(false);
    if (core->owner) core->owner->OnWake(env);
    return;
  }
  ShareConsumer* owner = core->owner;
  if (!owner || result->id == 0) return;
  try {
    if (!result->error.ok()) {
      owner->Settle(env, result->id, MakeKafkaError(env, result->error), true);
    } else if (result->kind == CommandKind::kPoll && result->messages) {
      owner->Settle(env, result->id, EncodeBatch(env, result->messages.get()), false);
    } else if (result->kind == CommandKind::kCommit && result->partitions) {
      owner->Settle(env, result->id, ListToJs(env, result->partitions.get()), false);
    } else {
      owner->Settle(env, result->id, env.Undefined(), false);
    }
  } catch (const Napi::Error& e) {
    owner->Settle(env, result->id, e.Value(), true);
  }
}

Napi::Function ShareConsumer::Init(Napi::Env env) {
  return DefineClass(env, "ShareConsumer",
                     {
                         InstanceMethod<&ShareConsumer::Subscribe>("subscribe"),
                         InstanceMethod<&ShareConsumer::Unsubscribe>("unsubscribe"),
                         InstanceMethod<&ShareConsumer::Poll>("poll"),
                         InstanceMethod<&ShareConsumer::Commit>("commit"),
                         InstanceMethod<&ShareConsumer::Close>("close"),
                         InstanceMethod<&ShareConsumer::PollEvents>("pollEvents"),
                         InstanceMethod<&ShareConsumer::Ref>("ref"),
                         InstanceMethod<&ShareConsumer::Unref>("unref"),
                         InstanceMethod<&ShareConsumer::Name>("name"),
                         InstanceMethod<&ShareConsumer::SetOauthBearerToken>("setOauthBearerToken"),
                         InstanceMethod<&ShareConsumer::SetOauthBearerTokenFailure>("setOauthBearerTokenFailure"),
                     });
}

ShareConsumer::ShareConsumer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ShareConsumer>(info) {
  Napi::Env env = info.Env();
  if (!info[1].IsFunction()) throw Napi::TypeError::New(env, "wake callback must be a function");
  if (!info[2].IsFunction()) throw Napi::TypeError::New(env, "settle callback must be a function");
  std::string servername;
  ConfPtr conf(BuildConf(env, info[0], &servername));
  if (!servername.empty()) {
    ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED,
                                   "ssl.servername is not supported by the share consumer yet"));
  }
  auto core = std::make_shared<ShareCore>();
  char errstr[512];
  // librdkafka is always in explicit mode: see share_consumer.h.
  if (rd_kafka_conf_set(conf.get(), "share.acknowledgement.mode", "explicit", errstr, sizeof(errstr)) !=
      RD_KAFKA_CONF_OK) {
    ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
  }
  rd_kafka_conf_set_opaque(conf.get(), core.get());
  rd_kafka_conf_set_log_cb(conf.get(), &OnLog);
  rd_kafka_conf_set_error_cb(conf.get(), &OnError);
  rd_kafka_conf_set_stats_cb(conf.get(), &OnStats);
  char mechanism[64];
  size_t size = sizeof(mechanism);
  if (rd_kafka_conf_get(conf.get(), "sasl.oauthbearer.method", mechanism, &size) == RD_KAFKA_CONF_OK &&
      std::strcmp(mechanism, "default") == 0) {
    // Only without librdkafka's built-in OIDC: then the token comes from the application's provider.
    char configured[8] = "";
    size_t csize = sizeof(configured);
    rd_kafka_conf_get(conf.get(), "enable.sasl.oauthbearer.unsecure.jwt", configured, &csize);
    if (std::strcmp(configured, "false") == 0) {
      rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf.get(), &OnTokenRefresh);
    }
  }
  // The pump exists before the client: librdkafka logs (and so wakes JS) while it is being created.
  // Its one thread reference belongs to the worker, which releases it when it ends.
  auto* context = new std::shared_ptr<ShareCore>(core);
  core->pump = SharePump::New(
      env, Napi::Function(), "kafka-napi share consumer", 0, 1, core.get(),
      [](Napi::Env env, std::shared_ptr<ShareCore>* owned, ShareCore* core) {
        // The worker released the pump, so it is done: the cleanup hook has nothing left to wait for.
        // (Removed here, not at close's result: the worker still used the pump after posting it.)
        core->pump_gone = true;
        if (core->cleanup_hook && env) napi_remove_env_cleanup_hook(env, &OnEnvCleanup, core);
        core->cleanup_hook = false;
        delete owned;
      },
      context);
  core->pump.Unref(env);
  rd_kafka_share_t* rkshare = rd_kafka_share_consumer_new(conf.get(), errstr, sizeof(errstr));
  if (!rkshare) {
    core->pump.Release();
    ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
  }
  conf.release();  // librdkafka owns it now
  core->rkshare = rkshare;
  rd_kafka_t* rk = core->rk.load();
  name_ = rk ? rd_kafka_name(rk) : "share-consumer";
  core->owner = this;
  core->env = env;
  napi_add_env_cleanup_hook(env, &OnEnvCleanup, core.get());
  core->cleanup_hook = true;
  wake_ = Napi::Weak(info[1].As<Napi::Function>());
  // Strong: the callback reaches only the promises of calls out (src/share/native-calls.ts), and through
  // them the client. That keeps a consumer whose only reference is its own pending poll alive mid-call
  // (a napi promise did that before); with no call out it roots nothing.
  settle_ = Napi::Persistent(info[2].As<Napi::Function>());
  core_ = core;
  std::thread(Work, core).detach();
}

ShareConsumer::~ShareConsumer() {
  if (!core_) return;
  core_->owner = nullptr;
  // Garbage-collected without close(): the worker closes it in the background (the TS layer warns).
  if (!closing_) {
    std::lock_guard<std::mutex> lock(core_->mutex);
    core_->commands.emplace_back(CommandKind::kClose);
    core_->wakeup.notify_all();
  }
}

void ShareConsumer::OnWake(Napi::Env env) {
  if (wake_.IsEmpty()) return;
  Napi::Value fn = wake_.Value();
  if (fn.IsFunction()) fn.As<Napi::Function>().Call({});
}

void ShareConsumer::Settle(Napi::Env env, uint64_t id, Napi::Value value, bool rejected) {
  if (settle_.IsEmpty()) return;
  Napi::Value fn = settle_.Value();
  if (fn.IsFunction()) {
    fn.As<Napi::Function>().Call(
        {Napi::Number::New(env, static_cast<double>(id)), Napi::Boolean::New(env, rejected), value});
  }
}

Napi::Value ShareConsumer::Submit(Napi::Env env, ShareCommand command) {
  if (closing_) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__DESTROY, "the share consumer is closed"));
  command.id = next_id_++;
  uint64_t id = command.id;
  if (command.kind == CommandKind::kClose) closing_ = true;
  {
    std::lock_guard<std::mutex> lock(core_->mutex);
    core_->commands.push_back(std::move(command));
  }
  core_->wakeup.notify_all();
  return Napi::Number::New(env, static_cast<double>(id));
}

Napi::Value ShareConsumer::Subscribe(const Napi::CallbackInfo& info) {
  ShareCommand command(CommandKind::kSubscribe);
  Napi::Array topics = ArrayArg(info[0], "topics");
  for (uint32_t i = 0; i < topics.Length(); i++) command.strings.push_back(StringArg(topics.Get(i), "topic", 249));
  return Submit(info.Env(), std::move(command));
}

Napi::Value ShareConsumer::Unsubscribe(const Napi::CallbackInfo& info) {
  return Submit(info.Env(), ShareCommand(CommandKind::kUnsubscribe));
}

Napi::Value ShareConsumer::Poll(const Napi::CallbackInfo& info) {
  ShareCommand command(CommandKind::kPoll);
  command.timeout_ms = TimeoutArg(info[0], "timeoutMs", 1000);
  if (command.timeout_ms < 0) command.timeout_ms = INT32_MAX;
  command.acks = AcksArg(info.Env(), info[1]);
  return Submit(info.Env(), std::move(command));
}

Napi::Value ShareConsumer::Commit(const Napi::CallbackInfo& info) {
  ShareCommand command(CommandKind::kCommit);
  command.timeout_ms = TimeoutArg(info[0], "timeoutMs", 30000);
  command.acks = AcksArg(info.Env(), info[1]);
  return Submit(info.Env(), std::move(command));
}

Napi::Value ShareConsumer::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (closing_) {
    // Already closing: the first close()'s call is the one that settles (the TS layer keeps it). 0: no
    // call to wait for.
    return Napi::Number::New(env, 0);
  }
  ShareCommand command(CommandKind::kClose);
  command.acks = AcksArg(env, info[0]);
  return Submit(env, std::move(command));
}

Napi::Value ShareConsumer::PollEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<ShareEvent> events;
  {
    std::lock_guard<std::mutex> lock(core_->mutex);
    events.swap(core_->events);
  }
  Napi::Array out = Napi::Array::New(env, events.size());
  for (size_t i = 0; i < events.size(); i++) {
    const ShareEvent& e = events[i];
    Napi::Object item = Napi::Object::New(env);
    switch (e.type) {
      case ShareEvent::kError:
        item.Set("type", "error");
        item.Set("error", MakeKafkaError(env, e.error));
        break;
      case ShareEvent::kStats:
        item.Set("type", "stats");
        item.Set("json", e.text);
        break;
      case ShareEvent::kLog:
        item.Set("type", "log");
        item.Set("level", e.level);
        item.Set("facility", e.facility);
        item.Set("message", e.text);
        break;
      case ShareEvent::kTokenRefresh:
        item.Set("type", "oauthbearer-refresh");
        break;
    }
    out.Set(static_cast<uint32_t>(i), item);
  }
  return out;
}

Napi::Value ShareConsumer::Ref(const Napi::CallbackInfo& info) {
  if (core_ && !core_->pump_gone) core_->pump.Ref(info.Env());
  return info.Env().Undefined();
}

Napi::Value ShareConsumer::Unref(const Napi::CallbackInfo& info) {
  if (core_ && !core_->pump_gone) core_->pump.Unref(info.Env());
  return info.Env().Undefined();
}

Napi::Value ShareConsumer::Name(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), name_); }

Napi::Value ShareConsumer::SetOauthBearerToken(const Napi::CallbackInfo& info) {
  ShareCommand command(CommandKind::kSetToken);
  command.strings.push_back(StringArg(info[0], "token.value", kMaxConfigValueLength));
  command.number = IntegerArg(info[1], "token.lifetimeMs", 1, INT64_MAX, 0);
  command.strings.push_back(StringArg(info[2], "token.principal", 1024));
  if (info[3].IsArray()) {
    Napi::Array list = info[3].As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      command.strings.push_back(StringArg(list.Get(i), "token.extensions", kMaxConfigValueLength));
    }
  }
  if (!closing_) {
    std::lock_guard<std::mutex> lock(core_->mutex);
    core_->commands.push_back(std::move(command));
    core_->wakeup.notify_all();
  }
  return info.Env().Undefined();
}

Napi::Value ShareConsumer::SetOauthBearerTokenFailure(const Napi::CallbackInfo& info) {
  ShareCommand command(CommandKind::kSetTokenFailure);
  std::string message = StringArg(info[0], "message", kMaxConfigValueLength);
  command.strings.push_back(message.empty() ? "token provider failed" : message);
  if (!closing_) {
    std::lock_guard<std::mutex> lock(core_->mutex);
    core_->commands.push_back(std::move(command));
    core_->wakeup.notify_all();
  }
  return info.Env().Undefined();
}

}  // namespace kafka_napi
