#include "topic_partitions.h"

#include <cmath>
#include <string>

#include "args.h"
#include "bounds.h"
#include "owned.h"

namespace kafka_napi {

namespace {
// Topic names are at most kMaxTopicLength characters; subscription patterns get more room.
constexpr size_t kMaxTopicArgLength = kMaxNameLength;
constexpr uint32_t kMaxListLength = 10 * 1000 * 1000;
}  // namespace

PartitionListPtr ListFromJs(Napi::Env env, Napi::Value topics, Napi::Value partitions, Napi::Value offsets) {
  if (!topics.IsArray()) throw Napi::TypeError::New(env, "topics must be an array");
  CheckTypedArray(partitions, napi_int32_array, "partitions");
  if (!offsets.IsUndefined() && !offsets.IsNull()) CheckTypedArray(offsets, napi_float64_array, "offsets");
  Napi::Array t = topics.As<Napi::Array>();
  Napi::Int32Array p = partitions.As<Napi::Int32Array>();
  Napi::Float64Array o = offsets.IsTypedArray() ? offsets.As<Napi::Float64Array>() : Napi::Float64Array();
  uint32_t n = t.Length();
  if (p.ElementLength() < n || (!o.IsEmpty() && o.ElementLength() < n)) {
    throw Napi::RangeError::New(env, "topic-partition arrays differ in length");
  }
  if (n > kMaxListLength) throw Napi::RangeError::New(env, "too many topic-partitions");
  // A bad entry throws half-way through.
  PartitionListPtr list = OwnList(rd_kafka_topic_partition_list_new(static_cast<int>(n)));
  for (uint32_t i = 0; i < n; i++) {
    std::string topic = StringArg(t.Get(i), "topic", kMaxTopicArgLength);
    rd_kafka_topic_partition_t* tp = rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p[i]);
    if (o.IsEmpty()) continue;
    double offset = o[i];
    // A NaN or out-of-range double cast to int64 is undefined behaviour; JS checked these already.
    if (!(offset >= -1e15 && offset <= 9007199254740991.0) || std::trunc(offset) != offset) {
      throw Napi::RangeError::New(env, "offset must be a safe integer");
    }
    tp->offset = static_cast<int64_t>(offset);
  }
  return list;
}

Napi::Object ListToJs(Napi::Env env, const rd_kafka_topic_partition_list_t* list) {
  int n = list ? list->cnt : 0;
  Napi::Array topics = Napi::Array::New(env, n);
  Napi::Int32Array partitions = Napi::Int32Array::New(env, n);
  Napi::Float64Array offsets = Napi::Float64Array::New(env, n);
  Napi::Array errors = Napi::Array::New(env, n);
  for (int i = 0; i < n; i++) {
    const rd_kafka_topic_partition_t& tp = list->elems[i];
    topics.Set(static_cast<uint32_t>(i), tp.topic);
    partitions[i] = tp.partition;
    offsets[i] = static_cast<double>(tp.offset);
    errors.Set(static_cast<uint32_t>(i), tp.err ? rd_kafka_err2name(tp.err) : "");
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("topics", topics);
  out.Set("partitions", partitions);
  out.Set("offsets", offsets);
  out.Set("errors", errors);
  return out;
}

}  // namespace kafka_napi
