// The share consumer's core, shared by the JS-side wrapper (share_consumer.cc) and the worker thread
// that owns the librdkafka handle (share_worker.cc): the commands JS queues, the results and events the
// worker posts back, and the thread-safe function they cross by.
#pragma once

#include <librdkafka/rdkafka.h>
#include <napi.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "../core/errors.h"
#include "../core/owned.h"
#include "../core/pump.h"
#include "../core/serial_worker.h"
#include "../core/topic_partitions.h"

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

// What the worker hands back to the JS thread: the result of a command, settled through the owner's
// settle callback by id. A result with records is in ShareCore::in_flight from its post until it is
// destroyed (run or not).
struct ShareResult : Completion {
  ShareResult(std::shared_ptr<ShareCore> c, CommandKind k, uint64_t i, ErrorInfo e = {})
      : core(std::move(c)), kind(k), id(i), error(std::move(e)) {}
  ~ShareResult() override;
  void Complete(Napi::Env env) override;

  std::shared_ptr<ShareCore> core;
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

struct ShareCore : PumpTarget, std::enable_shared_from_this<ShareCore> {
  rd_kafka_share_t* rkshare = nullptr;
  std::atomic<rd_kafka_t*> rk{nullptr};  // learnt from librdkafka's first callback (for the client name)
  // Its one thread reference belongs to the worker, which releases it when it ends.
  Pump pump;
  ShareConsumer* owner = nullptr;  // JS thread only; null once the wrapper is collected

  // Runs every rd_kafka_share_* call, one command per job, in the order JS asked (ShareSubmit).
  SerialWorker worker;
  std::atomic<bool> stop_now{false};  // environment teardown: a running poll returns at its next slice

  std::mutex mutex;
  std::vector<ShareEvent> events;
  // Results posted with records the JS thread has not taken yet. Their records hold partition references
  // that keep librdkafka's threads (and so rd_kafka_share_destroy) alive: at teardown the JS thread never
  // takes them, so the worker frees them itself before destroying (or destroy would wait forever).
  std::set<ShareResult*> in_flight;

  // PumpTarget (JS thread): a wake-up reaches the wrapper; at environment teardown the worker stops
  // within one poll slice and destroys without leaving the group.
  void OnWake(Napi::Env env) override;
  void OnEnvTeardown() override;

  void Post(ShareResult* result) {
    if (result->messages) {
      std::lock_guard<std::mutex> lock(mutex);
      in_flight.insert(result);
    }
    pump.Post(result);  // destroyed unrun (and so taken) if the environment is gone
  }
  // A result is destroyed (~ShareResult): its records are no longer in flight.
  void Take(ShareResult* result) {
    std::lock_guard<std::mutex> lock(mutex);
    in_flight.erase(result);
  }
  // Environment teardown (JS thread, ShareTeardown): frees the records of results still queued, which
  // the JS thread will never run.
  void DropInFlight() {
    std::lock_guard<std::mutex> lock(mutex);
    for (ShareResult* r : in_flight) r->messages.reset();
    in_flight.clear();
  }
  void AddEvent(ShareEvent event) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      events.push_back(std::move(event));
    }
    pump.Wake();
  }
};

// librdkafka's callbacks for the share consumer's conf (logs, errors, statistics; the token refresh only
// when the application provides the OAUTHBEARER token).
void SetShareCallbacks(rd_kafka_conf_t* conf, bool token_refresh);

// JS thread: queues `command` on the core's worker; false once the worker was stopped (closed). A close
// is the worker's last command: it destroys the handle, then the pump is released.
bool ShareSubmit(const std::shared_ptr<ShareCore>& core, ShareCommand command);

// JS thread, environment teardown: stops the worker (a running poll ends within one slice), then
// destroys the handle without leaving the group and releases the pump.
void ShareTeardown(ShareCore* core);

}  // namespace kafka_napi
