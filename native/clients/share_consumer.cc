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

#include "../core/allocator.h"
#include "../core/args.h"
#include "../core/bounds.h"
#include "../core/conf.h"
#include "../core/errors.h"
#include "../core/owned.h"
#include "../core/record_layout.h"
#include "../core/topic_partitions.h"
#include "share_core.h"

namespace kafka_napi {

namespace {

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
  for (uint32_t i = 0; i < topics.Length(); i++)
    acks.topics.push_back(StringArg(topics.Get(i), "topic", kMaxTopicLength));
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

ShareResult::~ShareResult() { core->Take(this); }

// JS thread: settles the call `id` through the wrapper's settle callback (id 0: nobody waits).
void ShareResult::Complete(Napi::Env env) {
  ShareConsumer* owner = core->owner;
  if (!owner || id == 0) return;
  try {
    if (!error.ok()) {
      owner->Settle(env, id, MakeKafkaError(env, error), true);
    } else if (kind == CommandKind::kPoll && messages) {
      owner->Settle(env, id, EncodeBatch(env, messages.get()), false);
    } else if (kind == CommandKind::kCommit && partitions) {
      owner->Settle(env, id, ListToJs(env, partitions.get()), false);
    } else {
      owner->Settle(env, id, env.Undefined(), false);
    }
  } catch (const Napi::Error& e) {
    owner->Settle(env, id, e.Value(), true);
  }
}

void ShareCore::OnWake(Napi::Env env) {
  if (owner) owner->OnWake(env);
}

void ShareCore::OnEnvTeardown() {
  owner = nullptr;
  ShareTeardown(this);
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
  ConfPtr conf = BuildConf(env, info[0], &servername);
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
  char mechanism[64];
  size_t size = sizeof(mechanism);
  bool token_refresh = false;
  if (rd_kafka_conf_get(conf.get(), "sasl.oauthbearer.method", mechanism, &size) == RD_KAFKA_CONF_OK &&
      std::strcmp(mechanism, "default") == 0) {
    // Only without librdkafka's built-in OIDC: then the token comes from the application's provider.
    char configured[8] = "";
    size_t csize = sizeof(configured);
    rd_kafka_conf_get(conf.get(), "enable.sasl.oauthbearer.unsecure.jwt", configured, &csize);
    token_refresh = std::strcmp(configured, "false") == 0;
  }
  SetShareCallbacks(conf.get(), token_refresh);
  // The pump exists before the client: librdkafka logs (and so wakes JS) while it is being created.
  core->pump.Start(env, "kafka-napi share consumer", core);
  rd_kafka_share_t* rkshare = rd_kafka_share_consumer_new(conf.get(), errstr, sizeof(errstr));
  if (!rkshare) {
    core->pump.Release();
    ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
  }
  (void)conf.release();  // librdkafka owns it now
  core->rkshare = rkshare;
  rd_kafka_t* rk = core->rk.load();
  name_ = rk ? rd_kafka_name(rk) : "share-consumer";
  core->owner = this;
  wake_ = Napi::Weak(info[1].As<Napi::Function>());
  // Strong: the callback reaches only the promises of calls out (src/share/native-calls.ts), and through
  // them the client. That keeps a consumer whose only reference is its own pending poll alive mid-call;
  // with no call out it roots nothing.
  settle_ = Napi::Persistent(info[2].As<Napi::Function>());
  core_ = core;
}

ShareConsumer::~ShareConsumer() {
  if (!core_) return;
  core_->owner = nullptr;
  // Garbage-collected without close(): the worker closes it in the background (the TS layer warns).
  if (!closing_) ShareSubmit(core_, ShareCommand(CommandKind::kClose));
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
  // Refused only once the worker was stopped: by a close (refused above) or the environment's teardown.
  if (!ShareSubmit(core_, std::move(command)))
    ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__DESTROY, "the share consumer is closed"));
  return Napi::Number::New(env, static_cast<double>(id));
}

Napi::Value ShareConsumer::Subscribe(const Napi::CallbackInfo& info) {
  ShareCommand command(CommandKind::kSubscribe);
  Napi::Array topics = ArrayArg(info[0], "topics");
  for (uint32_t i = 0; i < topics.Length(); i++)
    command.strings.push_back(StringArg(topics.Get(i), "topic", kMaxTopicLength));
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
  if (core_) core_->pump.Ref(info.Env());
  return info.Env().Undefined();
}

Napi::Value ShareConsumer::Unref(const Napi::CallbackInfo& info) {
  if (core_) core_->pump.Unref(info.Env());
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
  if (!closing_) ShareSubmit(core_, std::move(command));
  return info.Env().Undefined();
}

Napi::Value ShareConsumer::SetOauthBearerTokenFailure(const Napi::CallbackInfo& info) {
  ShareCommand command(CommandKind::kSetTokenFailure);
  std::string message = StringArg(info[0], "message", kMaxConfigValueLength);
  command.strings.push_back(message.empty() ? "token provider failed" : message);
  if (!closing_) ShareSubmit(core_, std::move(command));
  return info.Env().Undefined();
}

}  // namespace kafka_napi
