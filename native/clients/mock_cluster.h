// librdkafka's in-process mock cluster (rdkafka_mock.h), for `kafka-napi/testing`: brokers on loopback
// ports, served by a thread of the host client, with fault injection. The setters only queue an operation
// to the mock's thread and wait for it (microseconds), so they are synchronous; stop() joins threads and
// runs on a thread of its own, its promise settled through the core's pump (pump.h), which also stops the
// mock at environment teardown.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <napi.h>

#include <memory>

#include "../core/pump.h"
#include "../core/serial_worker.h"

namespace kafka_napi {

// What outlives the JS wrapper: the host client, the mock, the thread stopping them, and the pump.
struct MockCore : PumpTarget {
  rd_kafka_t* rk = nullptr;
  rd_kafka_mock_cluster_t* mcluster = nullptr;
  Pump pump;
  SerialWorker stopper;  // stop(): joins the mock's and the host client's threads

  ~MockCore() override;
  // Destroys the mock, then its host client; once. On the stopper, or on the JS thread when nothing
  // else can run it (collected without stop(), environment teardown).
  void Destroy();
  void OnEnvTeardown() override;
};

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

  std::shared_ptr<MockCore> core_;
  bool stopped_ = false;
};

}  // namespace kafka_napi
