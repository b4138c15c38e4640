// Native high-level consumer. `consume` drains up to N ready messages without blocking and returns them
// as ONE Buffer slab (keys, values, header bytes) plus typed arrays of metadata; JS builds records lazily.
#pragma once

#include <napi.h>

#include "client.h"

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

  // Group metadata of the consumer wrapped by `object` (for transactions). Throws TypeError when
  // `object` is not a native consumer, KafkaError when it is closed.
  static rd_kafka_consumer_group_metadata_t* GroupMetadata(Napi::Env env, Napi::Object object);

 protected:
  Handle::BeforeDestroy BeforeDestroy() override;

 private:
  rd_kafka_queue_t* main_queue_ = nullptr;
  rd_kafka_queue_t* consumer_queue_ = nullptr;
};

}  // namespace kafka_napi
