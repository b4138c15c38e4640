// Native admin client. Admin requests are asynchronous in librdkafka: each is sent with a request id
// as opaque, its result event lands on a private queue, and `poll` hands every ready result to JS
// (admin_results.h). Requests are built in admin_requests.cc; enums cross as librdkafka's integer values
// (src/admin/enums.ts names them).
#pragma once

#include <napi.h>

#include "../core/client.h"

namespace kafka_napi {

class Admin : public ClientWrap<Admin> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Admin(const Napi::CallbackInfo& info);
  ~Admin() override;

  // Topics and cluster
  Napi::Value CreateTopics(const Napi::CallbackInfo& info);
  Napi::Value DeleteTopics(const Napi::CallbackInfo& info);
  Napi::Value CreatePartitions(const Napi::CallbackInfo& info);
  Napi::Value DescribeTopics(const Napi::CallbackInfo& info);
  Napi::Value DescribeCluster(const Napi::CallbackInfo& info);
  Napi::Value ElectLeaders(const Napi::CallbackInfo& info);
  // Groups
  Napi::Value ListConsumerGroups(const Napi::CallbackInfo& info);
  Napi::Value DescribeConsumerGroups(const Napi::CallbackInfo& info);
  Napi::Value DeleteConsumerGroups(const Napi::CallbackInfo& info);
  Napi::Value ListConsumerGroupOffsets(const Napi::CallbackInfo& info);
  Napi::Value AlterConsumerGroupOffsets(const Napi::CallbackInfo& info);
  Napi::Value DeleteConsumerGroupOffsets(const Napi::CallbackInfo& info);
  // Configs, records, offsets
  Napi::Value DescribeConfigs(const Napi::CallbackInfo& info);
  Napi::Value IncrementalAlterConfigs(const Napi::CallbackInfo& info);
  Napi::Value DeleteRecords(const Napi::CallbackInfo& info);
  Napi::Value ListOffsets(const Napi::CallbackInfo& info);
  // Security
  Napi::Value CreateAcls(const Napi::CallbackInfo& info);
  Napi::Value DescribeAcls(const Napi::CallbackInfo& info);
  Napi::Value DeleteAcls(const Napi::CallbackInfo& info);
  Napi::Value DescribeUserScramCredentials(const Napi::CallbackInfo& info);
  Napi::Value AlterUserScramCredentials(const Napi::CallbackInfo& info);

  Napi::Value Poll(const Napi::CallbackInfo& info);

 private:
  // Options of one request: its id (the result event's opaque) and timeout; the operation timeout too
  // for requests the controller completes asynchronously (topics, partitions, records, elections).
  // `broker`: a broker id to send the request to instead of the controller (-1: the controller).
  AdminOptionsPtr Options(Napi::Env env, rd_kafka_admin_op_t op, double request_id, Napi::Value timeout_ms,
                          bool validate_only = false, int32_t broker = -1);

  rd_kafka_queue_t* results_ = nullptr;
};

}  // namespace kafka_napi
