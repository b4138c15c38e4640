#include "mock_cluster.h"

#include <string>
#include <vector>

#include "../core/args.h"
#include "../core/bounds.h"
#include "../core/errors.h"
#include "../core/owned.h"

namespace kafka_napi {

namespace {

// Arguments are checked in TS (src/testing/mock-cluster.ts) with messages naming them; these checks keep
// a wrong call from reaching librdkafka, bounded to what its mock takes (int32 ids, int16 API keys and
// versions, names of at most Kafka's lengths).

int64_t RequiredInt(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t min, int64_t max) {
  if (info[i].IsUndefined())
    throw Napi::TypeError::New(info.Env(), std::string("MockCluster: ") + name + " is required");
  return IntegerArg(info[i], name, min, max, 0);
}

int32_t IdArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  return static_cast<int32_t>(RequiredInt(info, i, name, INT32_MIN, INT32_MAX));
}

int16_t ApiArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  return static_cast<int16_t>(RequiredInt(info, i, name, -1, INT16_MAX));
}

std::vector<rd_kafka_resp_err_t> ErrorsArg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsArray()) throw Napi::TypeError::New(info.Env(), "MockCluster: expected an array");
  Napi::Array array = info[i].As<Napi::Array>();
  std::vector<rd_kafka_resp_err_t> errors;
  for (uint32_t k = 0; k < array.Length(); k++) {
    Napi::Value v = array.Get(k);
    if (!v.IsNumber()) throw Napi::TypeError::New(info.Env(), "MockCluster: expected error numbers");
    errors.push_back(static_cast<rd_kafka_resp_err_t>(v.As<Napi::Number>().Int32Value()));
  }
  return errors;
}

Napi::Value Check(Napi::Env env, rd_kafka_resp_err_t err, const char* what) {
  if (err) ThrowKafkaError(env, ErrorInfo(err, std::string(what) + ": " + rd_kafka_err2str(err)));
  return env.Undefined();
}

}  // namespace

Napi::Function MockCluster::Init(Napi::Env env) {
  return DefineClass(env, "MockCluster",
                     {
                         InstanceMethod<&MockCluster::Bootstraps>("bootstraps"),
                         InstanceMethod<&MockCluster::CreateTopic>("createTopic"),
                         InstanceMethod<&MockCluster::DeleteTopic>("deleteTopic"),
                         InstanceMethod<&MockCluster::SetBrokerDown>("setBrokerDown"),
                         InstanceMethod<&MockCluster::SetBrokerUp>("setBrokerUp"),
                         InstanceMethod<&MockCluster::SetRtt>("setRtt"),
                         InstanceMethod<&MockCluster::SetPartitionLeader>("setPartitionLeader"),
                         InstanceMethod<&MockCluster::SetPartitionFollower>("setPartitionFollower"),
                         InstanceMethod<&MockCluster::SetCoordinator>("setCoordinator"),
                         InstanceMethod<&MockCluster::PushRequestErrors>("pushRequestErrors"),
                         InstanceMethod<&MockCluster::PushBrokerRequestErrors>("pushBrokerRequestErrors"),
                         InstanceMethod<&MockCluster::ClearRequestErrors>("clearRequestErrors"),
                         InstanceMethod<&MockCluster::SetApiVersion>("setApiVersion"),
                         InstanceMethod<&MockCluster::StartRequestTracking>("startRequestTracking"),
                         InstanceMethod<&MockCluster::Requests>("requests"),
                         InstanceMethod<&MockCluster::Stop>("stop"),
                     });
}

MockCore::~MockCore() { Destroy(); }

void MockCore::Destroy() {
  if (mcluster) rd_kafka_mock_cluster_destroy(mcluster);
  if (rk) rd_kafka_destroy(rk);
  mcluster = nullptr;
  rk = nullptr;
}

// The environment goes (a terminated worker, process exit) before stop() finished or was called: the
// mock's threads stop here, before Node finalizes the pump.
void MockCore::OnEnvTeardown() {
  stopper.Join();  // a stop() under way finishes first
  Destroy();
}

// new MockCluster(brokers)
MockCluster::MockCluster(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MockCluster>(info) {
  Napi::Env env = info.Env();
  int brokers = static_cast<int>(RequiredInt(info, 0, "brokers", 1, 64));
  char errstr[512];
  ConfPtr conf(rd_kafka_conf_new());
  // The host client only keeps the mock's books: quiet, and never connecting anywhere.
  rd_kafka_conf_set(conf.get(), "log_level", "3", nullptr, 0);
  auto core = std::make_shared<MockCore>();
  core->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), errstr, sizeof(errstr));
  if (!core->rk) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__FAIL, std::string("MockCluster: ") + errstr));
  (void)conf.release();  // rd_kafka_new took it
  core->mcluster = rd_kafka_mock_cluster_new(core->rk, brokers);
  if (!core->mcluster) {
    ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__FAIL, "MockCluster: could not start the mock brokers"));
  }
  core->pump.Start(env, "kafka-napi mock cluster", core);
  core_ = core;
}

// Collected without stop(): the threads still go (synchronously here; they stop within milliseconds).
MockCluster::~MockCluster() {
  if (!core_ || stopped_) return;
  core_->Destroy();
  core_->pump.Release();
}

rd_kafka_mock_cluster_t* MockCluster::Cluster(Napi::Env env) const {
  if (stopped_) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__DESTROY, "MockCluster is stopped"));
  return core_->mcluster;
}

Napi::Value MockCluster::Bootstraps(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), rd_kafka_mock_cluster_bootstraps(Cluster(info.Env())));
}

// createTopic(name, partitions, replicationFactor)
Napi::Value MockCluster::CreateTopic(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  return Check(info.Env(),
               rd_kafka_mock_topic_create(c, StringArg(info[0], "name", kMaxTopicLength).c_str(),
                                          IdArg(info, 1, "partitions"), IdArg(info, 2, "replicationFactor")),
               "createTopic");
}

Napi::Value MockCluster::DeleteTopic(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  return Check(info.Env(), rd_kafka_mock_topic_delete(c, StringArg(info[0], "name", kMaxTopicLength).c_str()),
               "deleteTopic");
}

Napi::Value MockCluster::SetBrokerDown(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  return Check(info.Env(), rd_kafka_mock_broker_set_down(c, IdArg(info, 0, "brokerId")), "setBrokerDown");
}

Napi::Value MockCluster::SetBrokerUp(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  return Check(info.Env(), rd_kafka_mock_broker_set_up(c, IdArg(info, 0, "brokerId")), "setBrokerUp");
}

// setRtt(brokerId, ms): every response of that broker is delayed by ms.
Napi::Value MockCluster::SetRtt(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  return Check(info.Env(), rd_kafka_mock_broker_set_rtt(c, IdArg(info, 0, "brokerId"), IdArg(info, 1, "ms")), "setRtt");
}

// setPartitionLeader(topic, partition, brokerId); -1: no leader.
Napi::Value MockCluster::SetPartitionLeader(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  return Check(info.Env(),
               rd_kafka_mock_partition_set_leader(c, StringArg(info[0], "topic", kMaxTopicLength).c_str(),
                                                  IdArg(info, 1, "partition"), IdArg(info, 2, "brokerId")),
               "setPartitionLeader");
}

// setPartitionFollower(topic, partition, brokerId): the replica consumers fetch from (KIP-392).
Napi::Value MockCluster::SetPartitionFollower(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  return Check(info.Env(),
               rd_kafka_mock_partition_set_follower(c, StringArg(info[0], "topic", kMaxTopicLength).c_str(),
                                                    IdArg(info, 1, "partition"), IdArg(info, 2, "brokerId")),
               "setPartitionFollower");
}

// setCoordinator(keyType 'group' | 'transaction', key, brokerId)
Napi::Value MockCluster::SetCoordinator(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  return Check(
      info.Env(),
      rd_kafka_mock_coordinator_set(c, StringArg(info[0], "keyType", 16).c_str(),
                                    StringArg(info[1], "key", kMaxNameLength).c_str(), IdArg(info, 2, "brokerId")),
      "setCoordinator");
}

// pushRequestErrors(apiKey, errnos[]): the next requests of that type, on any broker, fail with these.
Napi::Value MockCluster::PushRequestErrors(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  int16_t api_key = ApiArg(info, 0, "apiKey");
  std::vector<rd_kafka_resp_err_t> errors = ErrorsArg(info, 1);
  rd_kafka_mock_push_request_errors_array(c, api_key, errors.size(), errors.data());
  return info.Env().Undefined();
}

// pushBrokerRequestErrors(brokerId, apiKey, errnos[], rttsMs[]): on one broker, each with a delay.
Napi::Value MockCluster::PushBrokerRequestErrors(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  int32_t broker = IdArg(info, 0, "brokerId");
  int16_t api_key = ApiArg(info, 1, "apiKey");
  std::vector<rd_kafka_resp_err_t> errors = ErrorsArg(info, 2);
  std::vector<rd_kafka_resp_err_t> rtts = ErrorsArg(info, 3);  // plain numbers, same conversion
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  for (size_t k = 0; k < errors.size() && !err; k++) {
    int rtt = k < rtts.size() ? static_cast<int>(rtts[k]) : 0;
    err = rd_kafka_mock_broker_push_request_error_rtts(c, broker, api_key, 1, errors[k], rtt);
  }
  return Check(info.Env(), err, "pushBrokerRequestErrors");
}

Napi::Value MockCluster::ClearRequestErrors(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  rd_kafka_mock_clear_request_errors(c, ApiArg(info, 0, "apiKey"));
  return info.Env().Undefined();
}

// setApiVersion(apiKey, min, max); -1, -1: the API is not supported at all.
Napi::Value MockCluster::SetApiVersion(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  return Check(
      info.Env(),
      rd_kafka_mock_set_apiversion(c, ApiArg(info, 0, "apiKey"), ApiArg(info, 1, "min"), ApiArg(info, 2, "max")),
      "setApiVersion");
}

Napi::Value MockCluster::StartRequestTracking(const Napi::CallbackInfo& info) {
  auto* c = Cluster(info.Env());
  rd_kafka_mock_start_request_tracking(c);
  return info.Env().Undefined();
}

// requests(clear): [brokerId, apiKey, timestamp µs] for every request since tracking started.
Napi::Value MockCluster::Requests(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* c = Cluster(env);
  size_t count = 0;
  rd_kafka_mock_request_t** requests = rd_kafka_mock_get_requests(c, &count);
  Napi::Array out = Napi::Array::New(env, count);
  for (size_t k = 0; k < count; k++) {
    Napi::Array row = Napi::Array::New(env, 3);
    row.Set(0u, Napi::Number::New(env, rd_kafka_mock_request_id(requests[k])));
    row.Set(1u, Napi::Number::New(env, rd_kafka_mock_request_api_key(requests[k])));
    row.Set(2u, Napi::Number::New(env, static_cast<double>(rd_kafka_mock_request_timestamp(requests[k]))));
    out.Set(static_cast<uint32_t>(k), row);
  }
  rd_kafka_mock_request_destroy_array(requests, count);
  if (info[0].IsBoolean() && info[0].As<Napi::Boolean>().Value()) rd_kafka_mock_clear_requests(c);
  return out;
}

// stop(): resolves once the mock brokers and their host client are gone. Idempotent.
Napi::Value MockCluster::Stop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto deferred = Napi::Promise::Deferred::New(env);
  if (stopped_) {
    deferred.Resolve(env.Undefined());
    return deferred.Promise();
  }
  stopped_ = true;
  class Stopped : public PromiseCompletion {
   public:
    Stopped(MockCore* core, Napi::Promise::Deferred deferred)
        : PromiseCompletion(deferred, ErrorInfo(), nullptr), core_(core) {}
    void Complete(Napi::Env env) override {
      core_->stopper.Join();  // it has posted; only its exit remains
      PromiseCompletion::Complete(env);
      core_->pump.Idle(env);
      core_->pump.Release();
    }

   private:
    MockCore* core_;  // kept alive by the pump until it is finalized
  };
  // Joining the mock's and the host client's threads blocks: not on the JS thread, and not on the libuv
  // pool either. The loop stays alive until the promise has settled.
  core_->pump.Ref(env);
  core_->stopper.Post([core = core_.get(), done = new Stopped(core_.get(), deferred)]() {
    core->Destroy();
    core->pump.Post(done);
  });
  core_->stopper.Stop(false);  // its only job
  return deferred.Promise();
}

}  // namespace kafka_napi
