// Native high-level consumer. `consume` drains up to N ready messages without blocking and returns them
// as ONE Buffer slab (keys, values, header bytes) plus typed arrays of metadata; JS builds records lazily.
#pragma once

#include <napi.h>

#include <vector>

#include "../core/client.h"

namespace kafka_napi {

class Consumer : public ClientWrap<Consumer> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Consumer(const Napi::CallbackInfo& info);
  ~Consumer() override;

  Napi::Value Subscribe(const Napi::CallbackInfo& info);
  Napi::Value Unsubscribe(const Napi::CallbackInfo& info);
  Napi::Value Assign(const Napi::CallbackInfo& info);
  Napi::Value Assignment(const Napi::CallbackInfo& info);
  Napi::Value Consume(const Napi::CallbackInfo& info);
  Napi::Value PollEvents(const Napi::CallbackInfo& info);
  Napi::Value StoreOffsets(const Napi::CallbackInfo& info);
  Napi::Value Commit(const Napi::CallbackInfo& info);
  Napi::Value Committed(const Napi::CallbackInfo& info);
  Napi::Value RebalanceDone(const Napi::CallbackInfo& info);
  Napi::Value Seek(const Napi::CallbackInfo& info);
  Napi::Value Pause(const Napi::CallbackInfo& info);
  Napi::Value Resume(const Napi::CallbackInfo& info);
  Napi::Value PauseOrResume(const Napi::CallbackInfo& info, bool pause);
  Napi::Value Position(const Napi::CallbackInfo& info);
  Napi::Value Watermarks(const Napi::CallbackInfo& info);
  Napi::Value CachedHighWatermarks(const Napi::CallbackInfo& info);
  Napi::Value MemberId(const Napi::CallbackInfo& info);
  Napi::Value OffsetsForTimes(const Napi::CallbackInfo& info);
  Napi::Value CloseAsync(const Napi::CallbackInfo& info);
  Napi::Value IsClosed(const Napi::CallbackInfo& info);

  // Group metadata of the consumer wrapped by `object` (for transactions). Throws TypeError when
  // `object` is not a native consumer, KafkaError when it is closed.
  static GroupMetadataPtr GroupMetadata(Napi::Env env, Napi::Object object);

 protected:
  Handle::BeforeDestroy BeforeDestroy() override;
  void ReleaseForTeardown() override;

 private:
  // _DESTROY once close() began: the group's queue no longer answers the calls that wait on it.
  void ThrowIfClosing(Napi::Env env) const;
  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                          void* opaque);
  // Destroys everything left in the consumer queue (see consumer_group.cc). Any thread; before rd_kafka_destroy.
  static void DrainConsumerQueue(rd_kafka_t* rk);

  // Applies an assignment change the way librdkafka would without a callback.
  // `cooperative` is the protocol last seen: rd_kafka_rebalance_protocol() returns NULL once the group is
  // terminating (its op queue no longer answers), which is exactly when close serves the final revoke.
  // The error is returned owned: callers that cannot report it just let it go.
  static ErrorPtr ApplyRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t kind,
                                 const rd_kafka_topic_partition_list_t* partitions, bool cooperative);
  // Before leaving the group: librdkafka postpones a subscribe() made while a rebalance is in progress
  // and, if the consumer closes meanwhile, applies it during termination and then asserts
  // (!rkcg_subscription) in rd_kafka_destroy. An unsubscribe() replaces any postponed subscribe.
  static void DropSubscription(rd_kafka_t* rk);

  // Rebalance hand-over state, reached by librdkafka's rebalance callback through its opaque. Owned by
  // the Handle so it outlives rd_kafka_t even when this wrapper is collected first.
  struct RebalanceState {
    // Set only while Consume runs on the JS thread: a rebalance served there is handed to JS; one
    // served anywhere else (destroy on the close thread) is applied directly.
    bool in_consume = false;
    // A rebalance JS has been told about and not yet finished (rebalanceDone).
    rd_kafka_resp_err_t pending_kind = RD_KAFKA_RESP_ERR_NO_ERROR;
    PartitionListPtr pending;
    // The rebalance protocol librdkafka reported last (see Cooperative()).
    bool cooperative = false;
    // closeAsync() ran: JS served the close already (written on the JS thread before the close thread starts).
    bool close_started = false;
    // Closing (closeAsync or the close thread): librdkafka is no longer asked for the protocol.
    bool closing = false;
    // The pending list holds references to librdkafka's partitions, and through them to its broker
    // threads: it must be gone before rd_kafka_destroy, which otherwise waits for those threads forever.
    void Release() {
      pending.reset();
      pending_kind = RD_KAFKA_RESP_ERR_NO_ERROR;
    }
  };

  // Asks librdkafka for the group's rebalance protocol, remembering the answer in `state`; falls back to
  // the last answer when librdkafka has none (NULL: no group, or the group is terminating).
  static bool Cooperative(rd_kafka_t* rk, RebalanceState* state);
  // Leaves the group (bounded; see consumer_group.cc) on the close thread; returns extra destroy flags.
  static Handle::DestroyPlan LeaveGroup(rd_kafka_t* rk, RebalanceState* state);
  static bool ServeLeave(rd_kafka_t* rk, rd_kafka_queue_t* close_queue, bool cooperative, int wait_ms);

  rd_kafka_queue_t* consumer_queue_ = nullptr;
  // Commit results (RD_KAFKA_EVENT_OFFSET_COMMIT, opaque = request id): commits never block a thread.
  rd_kafka_queue_t* commit_queue_ = nullptr;
  RebalanceState* rebalance_ = nullptr;
  // The array consume() hands librdkafka, kept between calls (see MessageBatch).
  std::vector<rd_kafka_message_t*> batch_slots_;
};

}  // namespace kafka_napi
