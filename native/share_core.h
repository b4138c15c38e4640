// The share consumer's core, shared by the JS-side wrapper (share_consumer.cc) and the worker thread
// that owns the librdkafka handle (share_worker.cc): the commands JS queues, the results and events the
// worker posts back, and the thread-safe function they cross by.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "errors.h"
#include "owned.h"
#include "topic_partitions.h"

namespace kafka_napi {

class ShareConsumer;
struct ShareCore;

using MessagesPtr = Owned<rd_kafka_messages_t, rd_kafka_messages_destroy>;

// Acknowledgements as they cross: topics, then per ack [topic index, partition, type] and an offset.
struct Acks {
  std::vector<std::string> topics;
  std::vector<int32_t> ints;
  std::vector<double> offsets;
};

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

// librdkafka's callbacks for the share consumer's conf (logs, errors, statistics; the token refresh only
// when the application provides the OAUTHBEARER token).
void SetShareCallbacks(rd_kafka_conf_t* conf, bool token_refresh);

// The worker: owns rkshare from creation to destroy and serves the commands in order.
void ShareWork(std::shared_ptr<ShareCore> core);

}  // namespace kafka_napi
