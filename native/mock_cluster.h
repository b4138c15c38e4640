// librdkafka's in-process mock cluster (rdkafka_mock.h), for `kafka-napi/testing`: brokers on loopback
// ports, served by a thread of the host client, with fault injection. The setters only queue an operation
// to the mock's thread and wait for it (microseconds), so they are synchronous; stop() joins threads and
// runs on a thread of its own.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <napi.h>

namespace kafka_napi {

class MockCluster : public Napi::ObjectWrap<MockCluster> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit MockCluster(const Napi::CallbackInfo& info);
  ~MockCluster() override;

 private:
  Napi::Value Bootstraps(const Napi::CallbackInfo& info);
  Napi::Value CreateTopic(const Napi::CallbackInfo& info);
  Napi::Value DeleteTopic(const Napi::CallbackInfo& info);
  Napi::Value SetBrokerDown(const Napi::CallbackInfo& info);
  Napi::Value SetBrokerUp(const Napi::CallbackInfo& info);
  Napi::Value SetRtt(const Napi::CallbackInfo& info);
  Napi::Value SetPartitionLeader(const Napi::CallbackInfo& info);
  Napi::Value SetPartitionFollower(const Napi::CallbackInfo& info);
  Napi::Value SetCoordinator(const Napi::CallbackInfo& info);
  Napi::Value PushRequestErrors(const Napi::CallbackInfo& info);
  Napi::Value PushBrokerRequestErrors(const Napi::CallbackInfo& info);
  Napi::Value ClearRequestErrors(const Napi::CallbackInfo& info);
  Napi::Value SetApiVersion(const Napi::CallbackInfo& info);
  Napi::Value StartRequestTracking(const Napi::CallbackInfo& info);
  Napi::Value Requests(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);

  // Throws a KafkaError (code _DESTROY) once stopped.
  rd_kafka_mock_cluster_t* Cluster(Napi::Env env) const;

  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* mcluster_ = nullptr;
};

}  // namespace kafka_napi
