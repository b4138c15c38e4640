#include "metadata.h"

#include "errors.h"
#include "owned.h"

namespace kafka_napi {

namespace {

Napi::Array Int32List(Napi::Env env, const int32_t* values, int count) {
  Napi::Array out = Napi::Array::New(env, count);
  for (int i = 0; i < count; i++) out.Set(static_cast<uint32_t>(i), values[i]);
  return out;
}

Napi::Value MetadataToJs(Napi::Env env, const rd_kafka_metadata_t* md) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("origBrokerId", md->orig_broker_id);
  Napi::Array brokers = Napi::Array::New(env, md->broker_cnt);
  for (int i = 0; i < md->broker_cnt; i++) {
    Napi::Object b = Napi::Object::New(env);
    b.Set("id", md->brokers[i].id);
    b.Set("host", md->brokers[i].host);
    b.Set("port", md->brokers[i].port);
    brokers.Set(static_cast<uint32_t>(i), b);
  }
  result.Set("brokers", brokers);
  Napi::Array topics = Napi::Array::New(env, md->topic_cnt);
  for (int i = 0; i < md->topic_cnt; i++) {
    const rd_kafka_metadata_topic_t& t = md->topics[i];
    Napi::Object topic = Napi::Object::New(env);
    topic.Set("name", t.topic);
    topic.Set("error", rd_kafka_err2name(t.err));
    Napi::Array partitions = Napi::Array::New(env, t.partition_cnt);
    for (int p = 0; p < t.partition_cnt; p++) {
      const rd_kafka_metadata_partition_t& mp = t.partitions[p];
      Napi::Object part = Napi::Object::New(env);
      part.Set("partition", mp.id);
      part.Set("leader", mp.leader);
      part.Set("replicas", Int32List(env, mp.replicas, mp.replica_cnt));
      part.Set("isr", Int32List(env, mp.isrs, mp.isr_cnt));
      part.Set("error", rd_kafka_err2name(mp.err));
      partitions.Set(static_cast<uint32_t>(p), part);
    }
    topic.Set("partitions", partitions);
    topics.Set(static_cast<uint32_t>(i), topic);
  }
  result.Set("topics", topics);
  return result;
}

}  // namespace

Napi::Value RequestMetadata(Napi::Env env, const std::shared_ptr<Handle>& handle, const std::string& topic,
                            int timeout_ms) {
  Handle* h = handle.get();  // the task thread holds the Handle alive while it runs
  // Shared: the step must be copyable. The topic handle is made on the task's first step (on a pool
  // thread: rd_kafka_topic_new takes librdkafka's locks) and kept across slices.
  auto rkt = std::make_shared<TopicPtr>();
  Slices slices(timeout_ms, {RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT});
  return handle->RunPromiseTask(env, [topic, rkt, slices, h](rd_kafka_t* rk) mutable -> std::optional<TaskResult> {
    if (!topic.empty() && !*rkt) rkt->reset(rd_kafka_topic_new(rk, topic.c_str(), nullptr));
    const rd_kafka_metadata_t* md = nullptr;
    // _TRANSPORT: no broker came up within the slice; the caller's timeout has not run out yet.
    bool done = slices.Run(*h, [&](int slice) { return rd_kafka_metadata(rk, *rkt ? 0 : 1, rkt->get(), &md, slice); });
    // Turned into JS on the JS thread; shared (the build function must be copyable), and freed even if
    // never delivered.
    std::shared_ptr<const rd_kafka_metadata_t> owned = MetadataPtr(md);
    if (!done) return std::nullopt;
    return TaskResult{slices.err(), [owned](Napi::Env env) { return MetadataToJs(env, owned.get()); }};
  });
}

}  // namespace kafka_napi
