#include "consumer.h"

#include <chrono>
#include <cstring>
#include <vector>

#include "../core/args.h"
#include "../core/bounds.h"
#include "../core/events.h"
#include "../core/owned.h"
#include "../core/record_layout.h"
#include "../core/topic_partitions.h"

namespace kafka_napi {

namespace {

// Identifies native consumer objects: sendOffsetsToTransaction unwraps one handed in from JS.
constexpr napi_type_tag kConsumerTypeTag = {0x6b61666b612d6e61ULL, 0x70692d636f6e7375ULL};

}  // namespace

Napi::Function Consumer::Init(Napi::Env env) {
  std::vector<PropertyDescriptor> methods = {
      InstanceMethod<&Consumer::Subscribe>("subscribe"),
      InstanceMethod<&Consumer::Unsubscribe>("unsubscribe"),
      InstanceMethod<&Consumer::Assign>("assign"),
      InstanceMethod<&Consumer::Assignment>("assignment"),
      InstanceMethod<&Consumer::Consume>("consume"),
      InstanceMethod<&Consumer::PollEvents>("pollEvents"),
      InstanceMethod<&Consumer::StoreOffsets>("storeOffsets"),
      InstanceMethod<&Consumer::Commit>("commit"),
      InstanceMethod<&Consumer::Committed>("committed"),
      InstanceMethod<&Consumer::RebalanceDone>("rebalanceDone"),
      InstanceMethod<&Consumer::Seek>("seek"),
      InstanceMethod<&Consumer::Pause>("pause"),
      InstanceMethod<&Consumer::Resume>("resume"),
      InstanceMethod<&Consumer::Position>("position"),
      InstanceMethod<&Consumer::Watermarks>("watermarks"),
      InstanceMethod<&Consumer::CachedHighWatermarks>("cachedHighWatermarks"),
      InstanceMethod<&Consumer::MemberId>("memberId"),
      InstanceMethod<&Consumer::OffsetsForTimes>("offsetsForTimes"),
      InstanceMethod<&Consumer::CloseAsync>("closeAsync"),
      InstanceMethod<&Consumer::IsClosed>("isClosed"),
  };
  AddCommonMethods(methods);
  return DefineClass(env, "Consumer", methods);
}

// new Consumer(properties, wake)
Consumer::Consumer(const Napi::CallbackInfo& info) : ClientWrap<Consumer>(info) {
  auto rebalance = std::make_shared<RebalanceState>();
  rebalance_ = rebalance.get();
  CreateHandle(info, RD_KAFKA_CONSUMER, 0, [this](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_rebalance_cb(conf, &Consumer::OnRebalance);
    // Until librdkafka reports a protocol (it says "NONE" before a KIP-848 member first subscribed, and
    // nothing once the group terminates), the configuration decides: an eager rd_kafka_assign() on a
    // cooperative group is refused or, for KIP-848, never answered.
    char value[512];
    size_t size = sizeof(value);
    bool kip848 = rd_kafka_conf_get(conf, "group.protocol", value, &size) == RD_KAFKA_CONF_OK &&
                  std::strcmp(value, "consumer") == 0;
    size = sizeof(value);
    bool cooperative_only =
        rd_kafka_conf_get(conf, "partition.assignment.strategy", value, &size) == RD_KAFKA_CONF_OK &&
        std::strcmp(value, "cooperative-sticky") == 0;
    rebalance_->cooperative = kip848 || cooperative_only;
    rd_kafka_conf_set_opaque(conf, rebalance_);
  });
  handle_->Attach(rebalance);
  Napi::Env env = info.Env();
  napi_type_tag_object(env, info.This(), &kConsumerTypeTag);
  rd_kafka_t* rk = handle_->rk();
  // Messages and group events stay on the consumer queue; the main queue (errors, stats, logs) is not
  // forwarded to it, so client events are delivered even while the application is not consuming.
  QueuePtr consumer_queue(rd_kafka_queue_get_consumer(rk));
  if (consumer_queue) consumer_queue_ = handle_->WatchQueue(std::move(consumer_queue));
  commit_queue_ = handle_->WatchQueue(QueuePtr(rd_kafka_queue_new(rk)));
}

Consumer::~Consumer() { CloseCollected(); }

GroupMetadataPtr Consumer::GroupMetadata(Napi::Env env, Napi::Object object) {
  bool is_consumer = false;
  napi_check_object_type_tag(env, object, &kConsumerTypeTag, &is_consumer);
  if (!is_consumer) throw Napi::TypeError::New(env, "consumer must be a KafkaConsumer");
  Consumer* consumer = Unwrap(object);
  consumer->CheckOpen(env);
  // rd_kafka_consumer_group_metadata waits on the JS thread for the group's own queue, which stops being
  // served once the consumer started closing: the request would never be answered (the API fuzz froze
  // the event loop here with sendOffsetsToTransaction right after the consumer's close()).
  consumer->ThrowIfClosing(env);
  return OwnGroupMetadata(rd_kafka_consumer_group_metadata(consumer->handle_->rk()));
}

// subscribe(topics: string[])
Napi::Value Consumer::Subscribe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  if (!info[0].IsArray()) throw Napi::TypeError::New(env, "topics must be an array of strings");
  Napi::Array topics = info[0].As<Napi::Array>();
  PartitionListPtr list = OwnList(rd_kafka_topic_partition_list_new(static_cast<int>(topics.Length())));
  for (uint32_t i = 0; i < topics.Length(); i++) {
    // Patterns are compiled by librdkafka's recursive regex engine: bounded (bounds.h).
    std::string topic = StringArg(topics.Get(i), "topic", kMaxNameLength);
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  rd_kafka_resp_err_t err = rd_kafka_subscribe(handle_->rk(), list.get());
  if (err) ThrowKafkaError(env, ErrorInfo(err));
  return env.Undefined();
}

Napi::Value Consumer::Unsubscribe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  rd_kafka_resp_err_t err = rd_kafka_unsubscribe(handle_->rk());
  if (err) ThrowKafkaError(env, ErrorInfo(err));
  return env.Undefined();
}

// assign(topics, partitions, offsets) or assign(null) to clear the assignment
Napi::Value Consumer::Assign(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  PartitionListPtr list = info[0].IsNull() ? nullptr : ListFromJs(env, info[0], info[1], info[2]);
  rd_kafka_resp_err_t err = rd_kafka_assign(handle_->rk(), list.get());
  if (err) ThrowKafkaError(env, ErrorInfo(err));
  return env.Undefined();
}

// rd_kafka_assignment (like rd_kafka_consumer_group_metadata) waits on the calling thread for the group's
// own queue, which is no longer served once the consumer started closing: asked then, it never returns.
void Consumer::ThrowIfClosing(Napi::Env env) const {
  if (rebalance_->close_started) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__DESTROY, "the consumer is closing"));
}

Napi::Value Consumer::Assignment(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  ThrowIfClosing(env);
  rd_kafka_topic_partition_list_t* raw = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_assignment(handle_->rk(), &raw);
  PartitionListPtr list = OwnList(raw);  // ListToJs may throw (a terminating environment)
  if (err) ThrowKafkaError(env, ErrorInfo(err));
  return ListToJs(env, list.get());
}

// consume(maxRecords) -> undefined when nothing is ready, else
// { count, slab: Buffer, ints: Int32Array, numbers: Float64Array, headers: Int32Array, topics: string[] }
Napi::Value Consumer::Consume(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  size_t max = static_cast<size_t>(IntegerArg(info[0], "maxRecords", 0, 1000000, 500));
  if (max == 0 || !consumer_queue_) return env.Undefined();
  // A rebalance handed to JS is still running its callbacks: librdkafka waits for rebalanceDone.
  if (rebalance_->pending_kind != RD_KAFKA_RESP_ERR_NO_ERROR) return env.Undefined();
  MessageBatch msgs(batch_slots_, max);
  rebalance_->in_consume = true;
  ssize_t n = rd_kafka_consume_batch_queue(consumer_queue_, 0, msgs.data(), max);
  rebalance_->in_consume = false;
  msgs.Filled(n);
  Napi::Value rebalance = env.Undefined();
  if (rebalance_->pending_kind != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Napi::Object r = ListToJs(env, rebalance_->pending.get());
    r.Set("kind", rebalance_->pending_kind == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ? "assign" : "revoke");
    r.Set("protocol", rebalance_->cooperative ? "COOPERATIVE" : "EAGER");
    rebalance = r;
  }
  if (n <= 0) {
    if (rebalance.IsUndefined()) return env.Undefined();
    Napi::Object out = Napi::Object::New(env);
    out.Set("count", 0);
    out.Set("rebalance", rebalance);
    return out;
  }

  Napi::Object out = EncodeRecords(env, msgs.data(), msgs.size());
  out.Set("rebalance", rebalance);
  return out;
}

// pollEvents(max) -> client events (errors, stats, logs) from the main queue. Bounded so a flood of log
// lines cannot starve the event loop; a full result means more are ready and the caller must come back
// (librdkafka will not signal a queue that never became empty).
Napi::Value Consumer::PollEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array events = Napi::Array::New(env);
  if (!handle_ || !handle_->open()) return events;
  uint32_t max = static_cast<uint32_t>(IntegerArg(info[0], "max", 0, 1000000, 10000));
  // Commit results first: they are few and someone awaits each of them.
  for (EventPtr owned; (owned = PollEvent(commit_queue_));) {
    rd_kafka_event_t* ev = owned.get();
    Napi::Object item = Napi::Object::New(env);
    item.Set("type", "commit");
    item.Set("id", static_cast<double>(reinterpret_cast<uintptr_t>(rd_kafka_event_opaque(ev))));
    rd_kafka_resp_err_t err = rd_kafka_event_error(ev);
    std::string message = err ? OrEmpty(rd_kafka_event_error_string(ev)) : "";
    const rd_kafka_topic_partition_list_t* list = rd_kafka_event_topic_partition_list(ev);
    for (int i = 0; !err && list && i < list->cnt; i++) {
      if (list->elems[i].err) {
        err = list->elems[i].err;
        message = std::string("commit failed for ") + list->elems[i].topic + "[" +
                  std::to_string(list->elems[i].partition) + "]: " + rd_kafka_err2str(err);
      }
    }
    // Nothing consumed since the last commit is not a failure.
    if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) item.Set("error", MakeKafkaError(env, err, message));
    events.Set(events.Length(), item);
  }
  for (uint32_t i = 0; i < max; i++) {
    EventPtr ev = PollEvent(main_queue_);
    if (!ev) break;
    AppendClientEvent(env, handle_->rk(), ev.get(), events);
  }
  return events;
}

// storeOffsets(topics, partitions, offsets): offsets of records handed to the application (next offset
// to read), for auto-commit and commit().
Napi::Value Consumer::StoreOffsets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  PartitionListPtr list = ListFromJs(env, info[0], info[1], info[2]);
  rd_kafka_resp_err_t err = rd_kafka_offsets_store(handle_->rk(), list.get());
  // _STATE: a partition was revoked meanwhile; its records will be re-delivered to the new owner.
  if (err && err != RD_KAFKA_RESP_ERR__STATE) ThrowKafkaError(env, ErrorInfo(err));
  return env.Undefined();
}

// commit(requestId, topics|null, partitions, offsets): sends the commit without blocking anyone; the
// result arrives through pollEvents() as {type:'commit', id, error?}. null = every stored offset.
Napi::Value Consumer::Commit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  PartitionListPtr list = info[1].IsNull() ? nullptr : ListFromJs(env, info[1], info[2], info[3]);
  rd_kafka_resp_err_t err = rd_kafka_commit_queue(handle_->rk(), list.get(), commit_queue_, nullptr,
                                                  reinterpret_cast<void*>(static_cast<uintptr_t>(id)));
  if (err) ThrowKafkaError(env, ErrorInfo(err));
  return env.Undefined();
}

// committed(topics, partitions, timeoutMs): Promise<{topics, partitions, offsets, errors}>
Napi::Value Consumer::Committed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int timeout = TimeoutArg(info[2], "timeoutMs", 10000);
  SharedPartitionList list = ListFromJs(env, info[0], info[1], Napi::Value());
  Handle* h = handle_.get();  // the task thread holds the Handle alive while it runs
  Slices slices(timeout, {RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT});
  return handle_->RunPromiseTask(env, [list, slices, h](rd_kafka_t* rk) mutable -> std::optional<TaskResult> {
    if (!slices.Run(*h, [&](int slice) { return rd_kafka_committed(rk, list.get(), slice); })) return std::nullopt;
    return TaskResult{slices.err(), [list](Napi::Env env) { return ListToJs(env, list.get()); }};
  });
}

namespace {

// First per-partition error of a list, as an exception. _IN_PROGRESS is how an asynchronous seek
// (timeout 0) reports that it started.
void ThrowListError(Napi::Env env, const rd_kafka_topic_partition_list_t* list) {
  for (int i = 0; i < list->cnt; i++) {
    if (list->elems[i].err && list->elems[i].err != RD_KAFKA_RESP_ERR__IN_PROGRESS) {
      ThrowKafkaError(env, ErrorInfo(list->elems[i].err, std::string(list->elems[i].topic) + "[" +
                                                             std::to_string(list->elems[i].partition) +
                                                             "]: " + rd_kafka_err2str(list->elems[i].err)));
    }
  }
}

}  // namespace

// rebalanceDone(): applies the rebalance handed to JS (after the application's callbacks ran).
Napi::Value Consumer::RebalanceDone(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  if (rebalance_->pending_kind == RD_KAFKA_RESP_ERR_NO_ERROR) return env.Undefined();
  if (rebalance_->close_started) {
    // Closing: the group may terminate before librdkafka serves this request, and then it never answers
    // (seen: unassign() after unsubscribe(), then close()). Applied off the JS thread, bounded.
    rd_kafka_resp_err_t kind = rebalance_->pending_kind;
    bool cooperative = rebalance_->cooperative;
    SharedPartitionList list = std::move(rebalance_->pending);
    rebalance_->Release();
    handle_->RunGuarded(
        [kind, cooperative, list](rd_kafka_t* rk) { ApplyRebalance(rk, kind, list.get(), cooperative); }, 2000);
    return env.Undefined();
  }
  ErrorPtr error =
      ApplyRebalance(handle_->rk(), rebalance_->pending_kind, rebalance_->pending.get(), rebalance_->cooperative);
  rebalance_->Release();
  ErrorInfo info_error = ErrorInfo::FromError(error.release());
  if (!info_error.ok()) ThrowKafkaError(env, info_error);
  return env.Undefined();
}

// seek(topics, partitions, offsets): asynchronous in librdkafka (timeout 0); fetching restarts there.
Napi::Value Consumer::Seek(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  PartitionListPtr list = ListFromJs(env, info[0], info[1], info[2]);
  ErrorInfo error = ErrorInfo::FromError(rd_kafka_seek_partitions(handle_->rk(), list.get(), 0));
  if (!error.ok()) ThrowKafkaError(env, error);
  ThrowListError(env, list.get());
  return env.Undefined();
}

Napi::Value Consumer::Pause(const Napi::CallbackInfo& info) { return PauseOrResume(info, true); }

Napi::Value Consumer::Resume(const Napi::CallbackInfo& info) { return PauseOrResume(info, false); }

// pause(topics, partitions) / resume(topics, partitions): non-blocking.
Napi::Value Consumer::PauseOrResume(const Napi::CallbackInfo& info, bool pause) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  PartitionListPtr list = ListFromJs(env, info[0], info[1], Napi::Value());
  rd_kafka_resp_err_t err = pause ? rd_kafka_pause_partitions(handle_->rk(), list.get())
                                  : rd_kafka_resume_partitions(handle_->rk(), list.get());
  if (err) ThrowKafkaError(env, ErrorInfo(err));
  ThrowListError(env, list.get());
  return env.Undefined();
}

// position(topics, partitions) -> {topics, partitions, offsets, errors}: librdkafka's fetch position
// (the offset after the last message librdkafka handed over), non-blocking. Only assigned partitions are
// asked: rd_kafka_position creates a topic and a "desired" partition for any other name it is given,
// which stay for the client's life, and a desired partition that is then paused is never freed, not even
// by rd_kafka_destroy (found by scripts/sanitize.sh). Others answer -1001 (no position), as librdkafka
// does for a partition it has not fetched from.
Napi::Value Consumer::Position(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  PartitionListPtr list = ListFromJs(env, info[0], info[1], Napi::Value());
  ThrowIfClosing(env);
  rd_kafka_topic_partition_list_t* raw_assigned = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_assignment(handle_->rk(), &raw_assigned);
  PartitionListPtr assigned = OwnList(raw_assigned);
  if (err) ThrowKafkaError(env, ErrorInfo(err));
  PartitionListPtr asked = OwnList(rd_kafka_topic_partition_list_new(list->cnt));
  for (int i = 0; i < list->cnt; i++) {
    rd_kafka_topic_partition_t& tp = list->elems[i];
    tp.offset = RD_KAFKA_OFFSET_INVALID;
    if (rd_kafka_topic_partition_list_find(assigned.get(), tp.topic, tp.partition)) {
      rd_kafka_topic_partition_list_add(asked.get(), tp.topic, tp.partition);
    }
  }
  err = rd_kafka_position(handle_->rk(), asked.get());
  if (err) ThrowKafkaError(env, ErrorInfo(err));
  for (int i = 0; i < asked->cnt; i++) {
    const rd_kafka_topic_partition_t& a = asked->elems[i];
    rd_kafka_topic_partition_t* tp = rd_kafka_topic_partition_list_find(list.get(), a.topic, a.partition);
    if (tp) {
      tp->offset = a.offset;
      tp->err = a.err;
    }
  }
  return ListToJs(env, list.get());
}

// watermarks(topics, partitions, timeoutMs): Promise<{topics, partitions, low: Float64Array,
// high: Float64Array}> — one broker query per partition, on a task thread.
// memberId(): the member id the group coordinator gave this consumer ('' before it joined or once closed).
Napi::Value Consumer::MemberId(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!handle_ || !handle_->open()) return Napi::String::New(env, "");
  char* id = rd_kafka_memberid(handle_->rk());
  std::string out = id ? id : "";
  if (id) rd_kafka_mem_free(handle_->rk(), id);
  return Napi::String::New(env, out);
}

// cachedHighWatermarks(topics, partitions): Float64Array. The high watermark each partition's last fetch
// response carried (librdkafka's cache; -1 when none came yet): no request, nothing blocks.
Napi::Value Consumer::CachedHighWatermarks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  PartitionListPtr list = ListFromJs(env, info[0], info[1], Napi::Value());
  auto out = Napi::Float64Array::New(env, static_cast<size_t>(list->cnt));
  for (int i = 0; i < list->cnt; i++) {
    int64_t low = -1, high = -1;
    const rd_kafka_topic_partition_t& tp = list->elems[i];
    // librdkafka answers RD_KAFKA_OFFSET_INVALID (-1001) until a fetch response came: -1, as documented.
    if (rd_kafka_get_watermark_offsets(handle_->rk(), tp.topic, tp.partition, &low, &high) !=
            RD_KAFKA_RESP_ERR_NO_ERROR ||
        high < 0) {
      high = -1;
    }
    out[static_cast<size_t>(i)] = static_cast<double>(high);
  }
  return out;
}

Napi::Value Consumer::Watermarks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int timeout = TimeoutArg(info[2], "timeoutMs", 10000);
  SharedPartitionList list = ListFromJs(env, info[0], info[1], Napi::Value());
  Handle* h = handle_.get();  // the task thread holds the Handle alive while it runs
  // One partition at a time, each with the whole timeout (as librdkafka's own query does), in slices.
  auto low = std::make_shared<std::vector<double>>();
  auto high = std::make_shared<std::vector<double>>();
  Slices slices(timeout, {RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT});
  return handle_->RunPromiseTask(
      env, [list, h, low, high, slices](rd_kafka_t* rk) mutable -> std::optional<TaskResult> {
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        std::string message;
        size_t i = low->size();
        if (i < static_cast<size_t>(list->cnt)) {
          int64_t lo = -1, hi = -1;
          const rd_kafka_topic_partition_t& tp = list->elems[i];
          if (!slices.Run(*h, [&](int slice) {
                return rd_kafka_query_watermark_offsets(rk, tp.topic, tp.partition, &lo, &hi, slice);
              })) {
            return std::nullopt;
          }
          err = slices.err();
          low->push_back(static_cast<double>(lo));
          high->push_back(static_cast<double>(hi));
          if (err) message = std::string(tp.topic) + ": " + rd_kafka_err2str(err);
          if (!err && low->size() < static_cast<size_t>(list->cnt)) {
            slices.Restart();
            return std::nullopt;
          }
        }
        return TaskResult{ErrorInfo(err, message), [list, low, high](Napi::Env env) {
                            Napi::Object out = ListToJs(env, list.get());
                            auto lo = Napi::Float64Array::New(env, low->size());
                            auto hi = Napi::Float64Array::New(env, high->size());
                            std::copy(low->begin(), low->end(), lo.Data());
                            std::copy(high->begin(), high->end(), hi.Data());
                            out.Set("low", lo);
                            out.Set("high", hi);
                            return Napi::Value(out);
                          }};
      });
}

// offsetsForTimes(topics, partitions, timestamps, timeoutMs): Promise<{topics, partitions, offsets, errors}>
Napi::Value Consumer::OffsetsForTimes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int timeout = TimeoutArg(info[3], "timeoutMs", 10000);
  SharedPartitionList list = ListFromJs(env, info[0], info[1], info[2]);
  Handle* h = handle_.get();  // the task thread holds the Handle alive while it runs
  Slices slices(timeout, {RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT});
  return handle_->RunPromiseTask(env, [list, slices, h](rd_kafka_t* rk) mutable -> std::optional<TaskResult> {
    if (!slices.Run(*h, [&](int slice) { return rd_kafka_offsets_for_times(rk, list.get(), slice); })) {
      return std::nullopt;
    }
    return TaskResult{slices.err(), [list](Napi::Env env) { return ListToJs(env, list.get()); }};
  });
}

// closeAsync(): starts leaving the group without blocking; its rebalance (revocation) is then served
// through consume() like any other, so the application's onPartitionsRevoked runs on the JS thread.
Napi::Value Consumer::CloseAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  DropSubscription(handle_->rk());
  rebalance_->close_started = true;
  rebalance_->closing = true;
  ErrorInfo error = ErrorInfo::FromError(rd_kafka_consumer_close_queue(handle_->rk(), consumer_queue_));
  if (!error.ok()) ThrowKafkaError(env, error);
  return env.Undefined();
}

Napi::Value Consumer::IsClosed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Boolean::New(env, !handle_ || !handle_->open() || rd_kafka_consumer_closed(handle_->rk()));
}

}  // namespace kafka_napi
