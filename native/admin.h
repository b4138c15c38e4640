// Native admin client. Admin requests are asynchronous in librdkafka: each is sent with a request id
// as opaque, its result event lands on a private queue, and `poll` hands every ready result to JS.
#pragma once

#include <napi.h>

#include "client.h"

namespace kafka_napi {

class Admin : public ClientWrap<Admin> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Admin(const Napi::CallbackInfo& info);
  ~Admin() override;

  Napi::Value CreateTopics(const Napi::CallbackInfo& info);
  Napi::Value DeleteTopics(const Napi::CallbackInfo& info);
  Napi::Value DescribeCluster(const Napi::CallbackInfo& info);
  Napi::Value Poll(const Napi::CallbackInfo& info);

 private:
  AdminOptionsPtr Options(Napi::Env env, rd_kafka_admin_op_t op, double request_id, Napi::Value timeout_ms,
                          bool validate_only = false);

  rd_kafka_queue_t* results_ = nullptr;
};

}  // namespace kafka_napi
