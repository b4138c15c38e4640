#include "addon.h"

#include <librdkafka/rdkafka.h>

#include <string>

#include "clients/admin.h"
#include "clients/consumer.h"
#include "clients/mock_cluster.h"
#include "clients/producer.h"
#include "clients/share_consumer.h"
#include "core/allocator.h"
#include "core/bounds.h"
#include "core/owned.h"
#include "core/record_layout.h"
#include "core/task_pool.h"

namespace kafka_napi {

const Napi::FunctionReference& KafkaErrorClass(Napi::Env env) {
  static const Napi::FunctionReference kNone;
  Addon* addon = env.GetInstanceData<Addon>();
  return addon ? addon->kafka_error_class : kNone;
}

Addon::Addon(Napi::Env env, Napi::Object exports) {
  DefineAddon(exports, {
                           InstanceMethod<&Addon::SetErrorClass>("setErrorClass"),
                           InstanceMethod<&Addon::LibrdkafkaVersion>("librdkafkaVersion"),
                           InstanceMethod<&Addon::Features>("features"),
                           InstanceMethod<&Addon::ErrorCodes>("errorCodes"),
                           InstanceMethod<&Addon::RecordLayoutMethod>("recordLayout"),
                           InstanceMethod<&Addon::LimitsMethod>("limits"),
                           InstanceMethod<&Addon::TaskPoolStats>("taskPoolStats"),
                           InstanceMethod<&Addon::CloseStats>("closeStats"),
                           InstanceMethod<&Addon::MallocStats>("mallocStats"),
                       });
  exports.Set("Producer", Producer::Init(env));
  exports.Set("Consumer", Consumer::Init(env));
  exports.Set("Admin", Admin::Init(env));
  exports.Set("MockCluster", MockCluster::Init(env));
  exports.Set("ShareConsumer", ShareConsumer::Init(env));
}

Napi::Value Addon::SetErrorClass(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "setErrorClass: expected a constructor");
  kafka_error_class = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value Addon::LibrdkafkaVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), rd_kafka_version_str());
}

Napi::Value Addon::Features(const Napi::CallbackInfo& info) {
  // builtin.features is a read-only property of a default configuration object.
  ConfPtr conf(rd_kafka_conf_new());
  char buf[512];
  size_t size = sizeof(buf);
  std::string features;
  if (rd_kafka_conf_get(conf.get(), "builtin.features", buf, &size) == RD_KAFKA_CONF_OK) features = buf;
  return Napi::String::New(info.Env(), features);
}

// [errno, name, description] for every code librdkafka knows: JS builds its KafkaError table once.
Napi::Value Addon::ErrorCodes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const struct rd_kafka_err_desc* descs;
  size_t count;
  rd_kafka_get_err_descs(&descs, &count);
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (size_t i = 0; i < count; i++) {
    if (!descs[i].name) continue;
    Napi::Array row = Napi::Array::New(env, 3);
    row.Set(0u, Napi::Number::New(env, descs[i].code));
    row.Set(1u, Napi::String::New(env, descs[i].name));
    row.Set(2u, Napi::String::New(env, descs[i].desc ? descs[i].desc : ""));
    out.Set(n++, row);
  }
  return out;
}

Napi::Value Addon::RecordLayoutMethod(const Napi::CallbackInfo& info) { return RecordLayout(info.Env()); }

Napi::Value Addon::LimitsMethod(const Napi::CallbackInfo& info) { return Limits(info.Env()); }

// The shared task pool (task_pool.h), process-wide: what tests and diagnostics read to see it bounded.
Napi::Value Addon::TaskPoolStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TaskPool::Stats stats = TaskPool::GetStats();
  Napi::Object out = Napi::Object::New(env);
  out.Set("threads", stats.threads);
  out.Set("peak", stats.peak);
  out.Set("queued", static_cast<double>(stats.queued));
  out.Set("started", stats.started);
  out.Set("maxThreads", TaskPool::kMaxThreads);
  return out;
}

// Clients whose destroy outlived their close() (handle.h CloseStats): tests and the soak check that a
// close during a network fault neither leaks the client nor leaves it lingering.
Napi::Value Addon::CloseStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Handle::CloseStats stats = Handle::GetCloseStats();
  Napi::Object out = Napi::Object::New(env);
  out.Set("lingering", stats.lingering);
  out.Set("lingered", stats.lingered);
  out.Set("destroyedAfterLinger", stats.destroyedAfterLinger);
  out.Set("abandoned", stats.abandoned);
  return out;
}

// The C allocator's account (allocator.h): the soak tells memory librdkafka's threads still hold (inUse
// grows) from memory freed but kept by the allocator (free grows), which RSS alone cannot.
Napi::Value Addon::MallocStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::optional<AllocatorStats> stats = GetAllocatorStats();
  if (!stats) return env.Null();
  Napi::Object out = Napi::Object::New(env);
  out.Set("inUse", stats->in_use);
  out.Set("free", stats->free);
  out.Set("fromSystem", stats->from_system);
  out.Set("mmapped", stats->mmapped);
  return out;
}

}  // namespace kafka_napi

using kafka_napi::Addon;
NODE_API_ADDON(Addon)
