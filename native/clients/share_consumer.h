// Native share consumer (KIP-932 share groups) over librdkafka's rd_kafka_share_* API.
//
// librdkafka's share consumer handle must never be used from two threads at once, and its poll blocks
// with no way to wake it. So the handle lives on ONE worker thread of its own, which runs every
// rd_kafka_share_* call in the order JS asked for them: subscribe, poll (in slices, so a close is never
// stuck behind a long poll), acknowledgements, commit, close. JS never blocks and never waits on the libuv
// threadpool; results come back through a thread-safe function as settled promises, a poll's records as
// ONE batch in the consumer's layout (record_layout.h) plus each record's delivery count.
//
// Acknowledgements cross with the next poll, commit or close (one crossing per batch, not per record) and
// are applied on the worker just before that call, with rd_kafka_share_acknowledge_offset. librdkafka is
// always in explicit mode: src/share/share-consumer.ts implements the implicit mode by accepting what it
// handed to the application, so records it still buffers are never accepted unseen.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>

namespace kafka_napi {

struct ShareCore;

class ShareConsumer : public Napi::ObjectWrap<ShareConsumer> {
 public:
  static Napi::Function Init(Napi::Env env);
  // new ShareConsumer(properties, wake, settle). Calls that wait (subscribe, unsubscribe, poll, commit,
  // close) return a call id; their result comes back through settle(id, rejected, value) on the JS thread.
  // Not napi promises: a promise pending when a worker thread is terminated would leak its napi_deferred
  // (it can no longer be settled), while JS-side promises go with the isolate.
  explicit ShareConsumer(const Napi::CallbackInfo& info);
  ~ShareConsumer() override;

  // subscribe(topics: string[]): id -> void; unsubscribe(): id -> void
  Napi::Value Subscribe(const Napi::CallbackInfo& info);
  Napi::Value Unsubscribe(const Napi::CallbackInfo& info);
  // poll(timeoutMs, acks | null): id -> batch | undefined
  Napi::Value Poll(const Napi::CallbackInfo& info);
  // commit(timeoutMs, acks | null): id -> { topics, partitions, offsets, errors } | undefined
  Napi::Value Commit(const Napi::CallbackInfo& info);
  // close(acks | null): id -> void, once the handle is destroyed (0 when already closing).
  Napi::Value Close(const Napi::CallbackInfo& info);
  // pollEvents(): client events (errors, statistics, logs, token refresh requests) gathered so far.
  Napi::Value PollEvents(const Napi::CallbackInfo& info);
  Napi::Value Ref(const Napi::CallbackInfo& info);
  Napi::Value Unref(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value SetOauthBearerToken(const Napi::CallbackInfo& info);
  Napi::Value SetOauthBearerTokenFailure(const Napi::CallbackInfo& info);

  // Called on the JS thread by the worker's thread-safe function.
  void OnWake(Napi::Env env);
  void Settle(Napi::Env env, uint64_t id, Napi::Value value, bool rejected);

 private:
  Napi::Value Submit(Napi::Env env, struct ShareCommand command);

  std::shared_ptr<ShareCore> core_;
  std::string name_;
  Napi::FunctionReference wake_;    // weak: the JS client owns the callback
  Napi::FunctionReference settle_;  // strong: see the constructor
  uint64_t next_id_ = 1;
  bool closing_ = false;
};

}  // namespace kafka_napi
