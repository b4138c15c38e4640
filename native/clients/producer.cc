#include "producer.h"

#include <memory>
#include <vector>

#include "../core/args.h"
#include "../core/events.h"
#include "../core/owned.h"
#include "../core/topic_partitions.h"
#include "consumer.h"

namespace kafka_napi {

namespace {

// Payloads at least this large are referenced instead of copied: the JS layer keeps the Buffer alive
// until its delivery report arrives. Below it a copy is cheaper than the bookkeeping.
constexpr size_t kZeroCopyThreshold = size_t{16} * 1024;

struct Bytes {
  const void* data = nullptr;
  size_t size = 0;
  bool present = false;
};

// Hot path (once per message inside produce): one napi_get_buffer_info call for the usual Buffer; the
// type checks run only when that fails. Node-addon-api's IsUndefined/IsNull/IsBuffer/Length would be five
// separate Node-API calls per message.
Bytes BufferArg(Napi::Value value, const char* what) {
  Bytes b;
  void* data = nullptr;
  if (napi_get_buffer_info(value.Env(), value, &data, &b.size) != napi_ok) {
    if (value.IsUndefined() || value.IsNull()) return b;
    throw Napi::TypeError::New(value.Env(), std::string(what) + " must be a Buffer or null");
  }
  // An empty Buffer may have no data pointer, and librdkafka reads a NULL pointer as a null value.
  static const char kEmpty[1] = {0};
  b.data = b.size > 0 ? static_cast<const void*>(data) : kEmpty;
  b.present = true;
  return b;
}

}  // namespace

Napi::Function Producer::Init(Napi::Env env) {
  std::vector<PropertyDescriptor> methods = {
      InstanceMethod<&Producer::Produce>("produce"),
      InstanceMethod<&Producer::Poll>("poll"),
      InstanceMethod<&Producer::Flush>("flush"),
      InstanceMethod<&Producer::OutqLen>("outqLen"),
      InstanceMethod<&Producer::PurgeQueued>("purgeQueued"),
      InstanceMethod<&Producer::InitTransactions>("initTransactions"),
      InstanceMethod<&Producer::BeginTransaction>("beginTransaction"),
      InstanceMethod<&Producer::CommitTransaction>("commitTransaction"),
      InstanceMethod<&Producer::AbortTransaction>("abortTransaction"),
      InstanceMethod<&Producer::SendOffsetsToTransaction>("sendOffsetsToTransaction"),
      // JS drops its reference to a payload librdkafka copied as soon as produce() returns.
      StaticValue("zeroCopyThreshold", Napi::Number::New(env, static_cast<double>(kZeroCopyThreshold))),
  };
  AddCommonMethods(methods);
  return DefineClass(env, "Producer", methods);
}

// new Producer(properties, wake)
Producer::Producer(const Napi::CallbackInfo& info) : ClientWrap<Producer>(info) {
  CreateHandle(info, RD_KAFKA_PRODUCER, RD_KAFKA_EVENT_DR);
}

Producer::~Producer() { CloseCollected(); }

Handle::BeforeDestroy Producer::BeforeDestroy() {
  // Destroyed on the close thread, before rd_kafka_destroy (which they would otherwise keep waiting).
  auto topics = std::make_shared<std::vector<TopicPtr>>();
  for (auto& entry : topics_) topics->push_back(std::move(entry.second));
  topics_.clear();
  return [topics](rd_kafka_t*) {
    topics->clear();
    return Handle::DestroyPlan{};
  };
}

void Producer::ReleaseForTeardown() {
  // Queued and in-flight messages reference their partitions (and through them the broker threads):
  // nobody is left to receive their delivery reports, so drop them.
  rd_kafka_purge(handle_->rk(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT | RD_KAFKA_PURGE_F_NON_BLOCKING);
  topics_.clear();
}

rd_kafka_topic_t* Producer::Topic(const std::string& name) {
  auto it = topics_.find(name);
  if (it != topics_.end()) return it->second.get();
  TopicPtr rkt(rd_kafka_topic_new(handle_->rk(), name.c_str(), nullptr));
  if (!rkt) ThrowKafkaError(Env(), ErrorInfo(rd_kafka_last_error(), "invalid topic '" + name + "'"));
  return topics_.emplace(name, std::move(rkt)).first->second.get();
}

namespace {

// One record of a produce call, read and checked before anything of the call is enqueued.
struct OutRecord {
  Bytes value;
  Bytes key;
  int32_t partition = RD_KAFKA_PARTITION_UA;
  int64_t timestamp = 0;  // 0: none (librdkafka stamps the record)
  HeadersPtr headers;     // owned until rd_kafka_produceva accepts the record
  bool copy = true;
};

// A headers entry: null/undefined (none) or a flat [name, Buffer|null, name, Buffer|null, ...] list.
HeadersPtr HeadersArg(Napi::Env env, Napi::Value entry) {
  if (entry.IsUndefined() || entry.IsNull()) return nullptr;
  if (!entry.IsArray()) throw Napi::TypeError::New(env, "headers must be an array or null");
  Napi::Array flat = entry.As<Napi::Array>();
  uint32_t len = flat.Length();
  if (len % 2 != 0) throw Napi::TypeError::New(env, "headers must hold name/value pairs");
  HeadersPtr headers(rd_kafka_headers_new(len / 2));
  for (uint32_t j = 0; j < len; j += 2) {
    Napi::Value name_value = flat.Get(j);
    if (!name_value.IsString()) throw Napi::TypeError::New(env, "header name must be a string");
    std::string name = name_value.As<Napi::String>().Utf8Value();
    Bytes hv = BufferArg(flat.Get(j + 1), "header value");
    rd_kafka_header_add(headers.get(), name.data(), static_cast<ssize_t>(name.size()), hv.present ? hv.data : nullptr,
                        static_cast<ssize_t>(hv.size));
  }
  return headers;
}

// Reads every record of a produce call. Everything that can throw (a wrong type, a terminating
// environment) happens here, before the first record is enqueued: the caller reads a throw as "nothing
// of this call was taken".
std::vector<OutRecord> ReadRecords(Napi::Env env, const Napi::CallbackInfo& info, uint32_t count) {
  auto absent = [](const Napi::Value& v) { return v.IsUndefined() || v.IsNull(); };
  Napi::Array values = info[1].As<Napi::Array>();
  Napi::Array keys = absent(info[2]) ? Napi::Array() : ArrayArg(info[2], "keys");
  Napi::Int32Array partitions;
  if (!absent(info[3])) {
    CheckTypedArray(info[3], napi_int32_array, "partitions");
    partitions = info[3].As<Napi::Int32Array>();
    if (partitions.ElementLength() < count) throw Napi::RangeError::New(env, "partitions array too short");
  }
  Napi::Float64Array timestamps;
  if (!absent(info[4])) {
    CheckTypedArray(info[4], napi_float64_array, "timestamps");
    timestamps = info[4].As<Napi::Float64Array>();
    if (timestamps.ElementLength() < count) throw Napi::RangeError::New(env, "timestamps array too short");
  }
  Napi::Array headers = absent(info[5]) ? Napi::Array() : ArrayArg(info[5], "headers");

  std::vector<OutRecord> records(count);
  for (uint32_t i = 0; i < count; i++) {
    OutRecord& r = records[i];
    r.value = BufferArg(values.Get(i), "value");
    if (!keys.IsEmpty()) r.key = BufferArg(keys.Get(i), "key");
    if (!partitions.IsEmpty()) r.partition = partitions[i];
    if (!timestamps.IsEmpty() && timestamps[i] > 0) {
      // A double beyond int64 cast to it is undefined behaviour; JS checked these already.
      if (!(timestamps[i] <= 9007199254740991.0)) throw Napi::RangeError::New(env, "timestamp must be a safe integer");
      r.timestamp = static_cast<int64_t>(timestamps[i]);
    }
    if (!headers.IsEmpty()) r.headers = HeadersArg(env, headers.Get(i));
    r.copy = !(r.value.size >= kZeroCopyThreshold && r.key.size < kZeroCopyThreshold);
  }
  return records;
}

// Enqueues `records` in order until librdkafka's queue is full; returns how many were taken and fills
// errors[i] for those. Takes no Node-API value, so nothing in here throws: whatever it enqueued is
// reported back.
//
// Plain records (no partition, headers or timestamp, copied payloads: the usual case) go to librdkafka in
// runs through rd_kafka_produce_batch, which reads the clock and takes the topic lock once per run instead
// of once per message. Any other record goes through rd_kafka_produceva on its own. Both stop at the first
// _QUEUE_FULL (produce_batch fails every later message of its run with it), so what is taken is always a
// prefix, in order.
uint32_t Enqueue(rd_kafka_t* rk, rd_kafka_topic_t* rkt, std::vector<OutRecord>& records, double first_id,
                 int32_t* errors) {
  uint32_t count = static_cast<uint32_t>(records.size());
  std::vector<rd_kafka_message_t> run;
  run.reserve(count);
  uint32_t i = 0;
  bool full = false;
  auto flush_run = [&]() {
    if (run.empty()) return;
    uint32_t first = i - static_cast<uint32_t>(run.size());
    rd_kafka_produce_batch(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_PARTITION, run.data(),
                           static_cast<int>(run.size()));
    for (size_t k = 0; k < run.size(); k++) {
      if (run[k].err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        i = first + static_cast<uint32_t>(k);  // the caller retries from here after deliveries
        full = true;
        break;
      }
      errors[first + k] = run[k].err;
    }
    run.clear();
  };
  for (; i < count && !full; i++) {
    OutRecord& r = records[i];
    void* opaque = reinterpret_cast<void*>(static_cast<uintptr_t>(first_id + i));
    // Only unpartitioned records: rd_kafka_produce_batch leaks a message from the queue count when it fails
    // one for an unknown partition (rd_kafka_outq_len stays 1, so flush(-1) and close() waited for ever);
    // rd_kafka_produceva accounts for it correctly.
    if (!r.timestamp && !r.headers && r.copy && r.partition == RD_KAFKA_PARTITION_UA) {
      rd_kafka_message_t m{};
      m.payload = const_cast<void*>(r.value.data);
      m.len = r.value.size;
      m.key = const_cast<void*>(r.key.data);
      m.key_len = r.key.size;
      m.partition = r.partition;
      m._private = opaque;
      run.push_back(m);
      continue;
    }
    flush_run();
    if (full) break;

    rd_kafka_vu_t vus[8];
    size_t n = 0;
    vus[n].vtype = RD_KAFKA_VTYPE_RKT;
    vus[n++].u.rkt = rkt;
    vus[n].vtype = RD_KAFKA_VTYPE_VALUE;
    vus[n].u.mem.ptr = const_cast<void*>(r.value.data);
    vus[n++].u.mem.size = r.value.size;
    if (r.key.present) {
      vus[n].vtype = RD_KAFKA_VTYPE_KEY;
      vus[n].u.mem.ptr = const_cast<void*>(r.key.data);
      vus[n++].u.mem.size = r.key.size;
    }
    vus[n].vtype = RD_KAFKA_VTYPE_PARTITION;
    vus[n++].u.i32 = r.partition;
    if (r.timestamp) {
      vus[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
      vus[n++].u.i64 = r.timestamp;
    }
    if (r.headers) {
      vus[n].vtype = RD_KAFKA_VTYPE_HEADERS;
      vus[n++].u.headers = r.headers.get();
    }
    vus[n].vtype = RD_KAFKA_VTYPE_OPAQUE;
    vus[n++].u.ptr = opaque;
    vus[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vus[n++].u.i32 = r.copy ? RD_KAFKA_MSG_F_COPY : 0;

    ErrorPtr error(rd_kafka_produceva(rk, vus, n));
    if (!error) {
      (void)r.headers.release();  // librdkafka owns the headers once it accepted the record
      errors[i] = 0;
      continue;
    }
    rd_kafka_resp_err_t code = rd_kafka_error_code(error.get());
    if (code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      full = true;
      break;
    }
    errors[i] = code;
  }
  if (!full) flush_run();
  return i;
}

}  // namespace

// produce(topic, values[], keys[]|null, partitions Int32Array|null, timestamps Float64Array|null,
//         headers (Array<flat [name, Buffer, ...]>|null)[]|null, firstId, errors Int32Array,
//         expedite boolean?) -> queued
// Enqueues messages in order until librdkafka's queue is full; returns how many were taken. errors[i]
// receives an immediate per-message failure (0 when enqueued); message i gets opaque id firstId + i.
// With `expedite`, what was enqueued leaves without waiting for linger.ms (rd_kafka_producer_expedite,
// patch 0006): the caller hands over whole batches it will wait for.
// Throws (TypeError, RangeError, KafkaError) only when nothing of the call was enqueued.
Napi::Value Producer::Produce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "topic must be a string");
  if (!info[1].IsArray()) throw Napi::TypeError::New(env, "values must be an array");
  if (!info[6].IsNumber()) throw Napi::TypeError::New(env, "firstId must be a number");
  CheckTypedArray(info[7], napi_int32_array, "errors");
  rd_kafka_topic_t* rkt = Topic(info[0].As<Napi::String>().Utf8Value());
  double first_id = info[6].As<Napi::Number>().DoubleValue();
  Napi::Int32Array errors = info[7].As<Napi::Int32Array>();
  uint32_t count = info[1].As<Napi::Array>().Length();
  if (errors.ElementLength() < count) throw Napi::RangeError::New(env, "errors array too short");
  std::vector<OutRecord> records = ReadRecords(env, info, count);
  bool expedite = info.Length() > 8 && info[8].IsBoolean() && info[8].As<Napi::Boolean>().Value();
  uint32_t taken = Enqueue(handle_->rk(), rkt, records, first_id, errors.Data());
#ifdef RD_KAFKA_HAS_PRODUCER_EXPEDITE
  if (expedite && taken > 0) rd_kafka_producer_expedite(handle_->rk());
#else
  (void)expedite;  // a system librdkafka without patch 0006: the records linger for linger.ms
#endif
  return Napi::Number::New(env, taken);
}

// poll(maxReports) -> { count, ids, errors, partitions, offsets, timestamps, logStartOffsets, events, more }
// Non-blocking: drains what is ready now. `more` says the cap was hit and reports remain.
Napi::Value Producer::Poll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  Napi::Array events = Napi::Array::New(env);
  size_t cap = static_cast<size_t>(IntegerArg(info[0], "maxReports", 0, 1000000, 100000));
  std::vector<double> ids, offsets, timestamps, log_start_offsets;
  std::vector<int32_t> errors, partitions;
  bool more = false;
  if (handle_ && handle_->open()) {
    std::vector<const rd_kafka_message_t*> msgs;
    while (ids.size() < cap) {
      EventPtr owned = PollEvent(main_queue_);
      if (!owned) break;
      rd_kafka_event_t* ev = owned.get();
      if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_DR) {
        msgs.resize(rd_kafka_event_message_count(ev));
        size_t n = rd_kafka_event_message_array(ev, msgs.data(), msgs.size());
        for (size_t k = 0; k < n; k++) {
          const rd_kafka_message_t* m = msgs[k];
          rd_kafka_timestamp_type_t tstype;
          ids.push_back(static_cast<double>(reinterpret_cast<uintptr_t>(m->_private)));
          errors.push_back(m->err);
          partitions.push_back(m->partition);
          // librdkafka reports RD_KAFKA_OFFSET_INVALID (-1001) for a record acknowledged without an
          // offset (acks=0, or an idempotent retry the broker answered DUPLICATE_SEQUENCE_NUMBER: written
          // before, offset not returned). Users get -1, as Java's RecordMetadata reports it.
          offsets.push_back(m->offset < 0 ? -1.0 : static_cast<double>(m->offset));
          timestamps.push_back(static_cast<double>(rd_kafka_message_timestamp(m, &tstype)));
#ifdef RD_KAFKA_HAS_MESSAGE_LOG_START_OFFSET
          log_start_offsets.push_back(static_cast<double>(rd_kafka_message_log_start_offset(m)));
#else
          log_start_offsets.push_back(-1.0);  // a system librdkafka without patch 0008
#endif
        }
      } else {
        AppendClientEvent(env, handle_->rk(), ev, events);
      }
    }
    more = ids.size() >= cap;
  }
  size_t count = ids.size();
  auto f64 = [&](const std::vector<double>& v) {
    auto arr = Napi::Float64Array::New(env, count);
    std::copy(v.begin(), v.end(), arr.Data());
    return arr;
  };
  auto i32 = [&](const std::vector<int32_t>& v) {
    auto arr = Napi::Int32Array::New(env, count);
    std::copy(v.begin(), v.end(), arr.Data());
    return arr;
  };
  result.Set("count", Napi::Number::New(env, static_cast<double>(count)));
  result.Set("ids", f64(ids));
  result.Set("errors", i32(errors));
  result.Set("partitions", i32(partitions));
  result.Set("offsets", f64(offsets));
  result.Set("timestamps", f64(timestamps));
  result.Set("logStartOffsets", f64(log_start_offsets));
  result.Set("events", events);
  result.Set("more", Napi::Boolean::New(env, more));
  return result;
}

// flush(timeoutMs): Promise<void>. rd_kafka_flush blocks (and makes librdkafka send lingering batches
// at once), so it runs on a task thread while the JS thread keeps draining delivery reports.
Napi::Value Producer::Flush(const Napi::CallbackInfo& info) {
  int timeout = TimeoutArg(info[0], "timeoutMs", -1);
  Handle* h = handle_.get();  // the task thread holds the Handle alive while it runs
  Slices slices(timeout, {RD_KAFKA_RESP_ERR__TIMED_OUT});
  return handle_->RunPromiseTask(info.Env(), [slices, h](rd_kafka_t* rk) mutable -> std::optional<TaskResult> {
    if (!slices.Run(*h, [rk](int slice) { return rd_kafka_flush(rk, slice); })) return std::nullopt;
    rd_kafka_resp_err_t err = slices.err();
    return TaskResult{
        ErrorInfo(err, err == RD_KAFKA_RESP_ERR__TIMED_OUT ? "flush timed out with messages in flight" : ""), nullptr};
  });
}

Napi::Value Producer::OutqLen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, handle_ && handle_->open() ? rd_kafka_outq_len(handle_->rk()) : 0);
}

// purgeQueued(): fails every message not yet sent to a broker with _PURGE_QUEUE (their delivery reports
// follow as usual). Used when authentication fails: nothing queued could ever be sent, and waiting
// for message.timeout.ms (5 minutes) is what users saw instead. Non-blocking: broker threads purge
// their own queues asynchronously.
Napi::Value Producer::PurgeQueued(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (handle_ && handle_->open()) {
    rd_kafka_purge(handle_->rk(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_NON_BLOCKING);
  }
  return env.Undefined();
}

Napi::Value Producer::TransactionTask(Napi::Env env, std::function<rd_kafka_error_t*(rd_kafka_t*)> call) {
  return handle_->RunDedicatedTask(env, [call = std::move(call)](rd_kafka_t* rk) -> TaskResult {
    return {ErrorInfo::FromError(call(rk)), nullptr};
  });
}

// initTransactions(timeoutMs): Promise<void>
// In slices on the task pool, so close() never waits out the whole timeout (60 s by default) of an init
// stuck on an unreachable coordinator. librdkafka documents both outcomes of a slice as resumable by
// calling again: a timed-out init goes on where it was, and a retriable error (CONCURRENT_TRANSACTIONS
// while the broker still aborts a previous instance's transaction, as after a producer restart) is
// retried.
Napi::Value Producer::InitTransactions(const Napi::CallbackInfo& info) {
  int timeout = TimeoutArg(info[0], "timeoutMs", -1);
  Handle* h = handle_.get();  // the task thread holds the Handle alive while it runs
  Slices slices(timeout, {RD_KAFKA_RESP_ERR__TIMED_OUT});
  return handle_->RunPromiseTask(info.Env(), [slices, h](rd_kafka_t* rk) mutable -> std::optional<TaskResult> {
    ErrorInfo last;
    bool done = slices.Run(*h, [rk, &last](int slice) {
      last = ErrorInfo::FromError(rd_kafka_init_transactions(rk, slice));
      return last.retriable ? RD_KAFKA_RESP_ERR__TIMED_OUT : last.code;
    });
    if (!done) return std::nullopt;
    if (slices.err() == RD_KAFKA_RESP_ERR__DESTROY && last.ok()) return TaskResult{ErrorInfo(slices.err()), nullptr};
    return TaskResult{last, nullptr};
  });
}

// beginTransaction(): local state change only, so it runs (and throws) synchronously.
Napi::Value Producer::BeginTransaction(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  ErrorInfo error = ErrorInfo::FromError(rd_kafka_begin_transaction(handle_->rk()));
  if (!error.ok()) ThrowKafkaError(env, error);
  return env.Undefined();
}

Napi::Value Producer::CommitTransaction(const Napi::CallbackInfo& info) {
  int timeout = TimeoutArg(info[0], "timeoutMs", -1);
  return TransactionTask(info.Env(), [timeout](rd_kafka_t* rk) { return rd_kafka_commit_transaction(rk, timeout); });
}

Napi::Value Producer::AbortTransaction(const Napi::CallbackInfo& info) {
  int timeout = TimeoutArg(info[0], "timeoutMs", -1);
  return TransactionTask(info.Env(), [timeout](rd_kafka_t* rk) { return rd_kafka_abort_transaction(rk, timeout); });
}

// sendOffsetsToTransaction(topics, partitions, offsets, nativeConsumer | groupId, timeoutMs): Promise<void>
// A consumer gives the group's full metadata (generation and member id: the broker fences a zombie
// member, KIP-447); a group id alone gives only the group, as the kafkajs API passes it.
Napi::Value Producer::SendOffsetsToTransaction(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[3].IsObject() && !info[3].IsString()) {
    throw Napi::TypeError::New(env, "consumer must be a KafkaConsumer or a group id");
  }
  // The group metadata is read on the JS thread (non-blocking) from the consumer's own handle.
  // Owned from here on: the argument checks below throw, and a closing client never runs the task.
  GroupMetadataPtr group =
      info[3].IsString()
          ? OwnGroupMetadata(rd_kafka_consumer_group_metadata_new(StringArg(info[3], "groupId", 65535).c_str()))
          : Consumer::GroupMetadata(env, info[3].As<Napi::Object>());
  SharedPartitionList list = ListFromJs(env, info[0], info[1], info[2]);
  int timeout = TimeoutArg(info[4], "timeoutMs", -1);
  return TransactionTask(env, [list, group, timeout](rd_kafka_t* rk) {
    return rd_kafka_send_offsets_to_transaction(rk, list.get(), group.get(), timeout);
  });
}

}  // namespace kafka_napi
