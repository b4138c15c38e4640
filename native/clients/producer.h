// Native producer: one `produce` call enqueues a whole batch; one `poll` call drains every ready delivery
// report (and client event) into typed arrays.
#pragma once

#include <napi.h>

#include <functional>
#include <string>
#include <unordered_map>

#include "../core/client.h"

namespace kafka_napi {

class Producer : public ClientWrap<Producer> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Producer(const Napi::CallbackInfo& info);
  ~Producer() override;

  Napi::Value Produce(const Napi::CallbackInfo& info);
  Napi::Value Poll(const Napi::CallbackInfo& info);
  Napi::Value Flush(const Napi::CallbackInfo& info);
  Napi::Value OutqLen(const Napi::CallbackInfo& info);
  Napi::Value PurgeQueued(const Napi::CallbackInfo& info);
  Napi::Value InitTransactions(const Napi::CallbackInfo& info);
  Napi::Value BeginTransaction(const Napi::CallbackInfo& info);
  Napi::Value CommitTransaction(const Napi::CallbackInfo& info);
  Napi::Value AbortTransaction(const Napi::CallbackInfo& info);
  Napi::Value SendOffsetsToTransaction(const Napi::CallbackInfo& info);

 protected:
  Handle::BeforeDestroy BeforeDestroy() override;
  void ReleaseForTeardown() override;

 private:
  rd_kafka_topic_t* Topic(const std::string& name);
  // Runs a blocking transactional call (returning rd_kafka_error_t*) on a task thread.
  Napi::Value TransactionTask(Napi::Env env, std::function<rd_kafka_error_t*(rd_kafka_t*)> call);

  // Topic handles are created once per name; produce by handle skips librdkafka's per-call name lookup.
  std::unordered_map<std::string, TopicPtr> topics_;
};

}  // namespace kafka_napi
