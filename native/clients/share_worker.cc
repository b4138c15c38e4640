// The share consumer's worker thread: every rd_kafka_share_* call, in the order JS asked (share_core.h).
#include <librdkafka/rdkafka.h>

#include "../core/allocator.h"
#include "../core/args.h"
#include "share_core.h"

namespace kafka_napi {

namespace {

// The longest a poll blocks the worker in one call: a close (or a command queued behind a long poll)
// waits at most this long, since librdkafka's share poll cannot be woken.
constexpr int kPollSliceMs = 100;

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

// JS sends librdkafka's own numbers (addon.limits().ackTypes); anything else is an accept, as before.
rd_kafka_share_AcknowledgeType_t AckType(int32_t type) {
  switch (type) {
    case RD_KAFKA_SHARE_ACKNOWLEDGE_TYPE_RELEASE:
      return RD_KAFKA_SHARE_ACKNOWLEDGE_TYPE_RELEASE;
    case RD_KAFKA_SHARE_ACKNOWLEDGE_TYPE_REJECT:
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
bool Interrupted(ShareCore* core) { return core->stop_now || core->worker.HasWaiting(); }

ShareResult* Run(const std::shared_ptr<ShareCore>& core, ShareCommand& command) {
  auto* result = new ShareResult(core, command.kind, command.id);
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
        rd_kafka_messages_t* polled = nullptr;
        rd_kafka_error_t* error = rd_kafka_share_poll(rkshare, slice, &polled);
        MessagesPtr batch(polled);  // owned from here, whatever the outcome
        if (error) {
          result->error = ErrorInfo::FromError(error);  // takes and frees `error`
          break;
        }
        if (batch && rd_kafka_messages_count(batch.get()) > 0) {
          result->messages = std::move(batch);
          break;
        }
        if (slice == 0 || std::chrono::steady_clock::now() >= deadline || Interrupted(core.get())) break;
      }
      break;
    }
    case CommandKind::kCommit: {
      result->error = ApplyAcks(rkshare, command.acks);
      rd_kafka_topic_partition_list_t* committed = nullptr;
      rd_kafka_error_t* error = rd_kafka_share_commit_sync(rkshare, command.timeout_ms, &committed);
      result->partitions.reset(committed);                     // owned from here
      if (error) result->error = ErrorInfo::FromError(error);  // takes and frees `error`
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

// One command, on the worker. After the close (or teardown) nothing reaches librdkafka any more: a
// command still queued then is answered with _DESTROY.
void Serve(const std::shared_ptr<ShareCore>& core, ShareCommand& command) {
  if (!core->rkshare || core->stop_now) {
    core->Post(new ShareResult(core, command.kind, command.id,
                               ErrorInfo(RD_KAFKA_RESP_ERR__DESTROY, "the share consumer is closed")));
    return;
  }
  ShareResult* result = Run(core, command);
  if (command.kind == CommandKind::kClose) {
    Destroy(core, 0);
    ReturnFreedMemory();  // this worker thread, not the JS thread, walks the arenas
  }
  core->Post(result);
}

}  // namespace

bool ShareSubmit(const std::shared_ptr<ShareCore>& core, ShareCommand command) {
  bool close = command.kind == CommandKind::kClose;
  if (!core->worker.Post([core, command = std::move(command)]() mutable { Serve(core, command); })) return false;
  if (close) {
    // The last jobs: once the close has posted its result, nothing posts any more.
    core->worker.Post([core] { core->pump.Release(); });
    core->worker.Stop(false);
  }
  return true;
}

void ShareTeardown(ShareCore* core) {
  // No time to leave the group politely; the broker expires the member.
  core->stop_now = true;
  core->worker.Stop(true);
  core->worker.Join();
  if (core->rkshare) {
    // The JS thread is here, in the cleanup hook: it will never take the results still queued.
    core->DropInFlight();
    Destroy(core->shared_from_this(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  }
  core->pump.Release();
}

void SetShareCallbacks(rd_kafka_conf_t* conf, bool token_refresh) {
  rd_kafka_conf_set_log_cb(conf, &OnLog);
  rd_kafka_conf_set_error_cb(conf, &OnError);
  rd_kafka_conf_set_stats_cb(conf, &OnStats);
  if (token_refresh) rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, &OnTokenRefresh);
}

}  // namespace kafka_napi
