#include "admin.h"

#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "events.h"
#include "owned.h"

namespace kafka_napi {

namespace {

Napi::Array TopicResults(Napi::Env env, const rd_kafka_topic_result_t** results, size_t count) {
  Napi::Array out = Napi::Array::New(env, count);
  for (size_t i = 0; i < count; i++) {
    Napi::Object r = Napi::Object::New(env);
    r.Set("name", OrEmpty(rd_kafka_topic_result_name(results[i])));
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err) {
      const char* msg = rd_kafka_topic_result_error_string(results[i]);
      r.Set("error", MakeKafkaError(env, err, msg ? msg : ""));
    }
    out.Set(static_cast<uint32_t>(i), r);
  }
  return out;
}

Napi::Object NodeToJs(Napi::Env env, const rd_kafka_Node_t* node) {
  Napi::Object b = Napi::Object::New(env);
  b.Set("id", rd_kafka_Node_id(node));
  b.Set("host", OrEmpty(rd_kafka_Node_host(node)));
  b.Set("port", rd_kafka_Node_port(node));
  return b;
}

}  // namespace

Napi::Function Admin::Init(Napi::Env env) {
  std::vector<PropertyDescriptor> methods = {
      InstanceMethod<&Admin::CreateTopics>("createTopics"),
      InstanceMethod<&Admin::DeleteTopics>("deleteTopics"),
      InstanceMethod<&Admin::DescribeCluster>("describeCluster"),
      InstanceMethod<&Admin::Poll>("poll"),
  };
  AddCommonMethods(methods);
  return DefineClass(env, "Admin", methods);
}

// new Admin(properties, wake)
Admin::Admin(const Napi::CallbackInfo& info) : ClientWrap<Admin>(info) {
  CreateHandle(info, RD_KAFKA_PRODUCER, 0);
  results_ = handle_->WatchQueue(QueuePtr(rd_kafka_queue_new(handle_->rk())));
}

Admin::~Admin() { CloseCollected(); }

AdminOptionsPtr Admin::Options(Napi::Env env, rd_kafka_admin_op_t op, double request_id, Napi::Value timeout_ms,
                               bool validate_only) {
  // Read before anything is allocated: a bad value throws. librdkafka takes at most one hour here.
  int timeout = static_cast<int>(IntegerArg(timeout_ms, "timeoutMs", 0, 3600 * 1000, -1));
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(handle_->rk(), op));
  rd_kafka_AdminOptions_set_opaque(options.get(), reinterpret_cast<void*>(static_cast<uintptr_t>(request_id)));
  char errstr[256];
  auto check = [&](rd_kafka_resp_err_t err) {
    if (err) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
  };
  if (timeout >= 0) {
    check(rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout, errstr, sizeof(errstr)));
    if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS) {
      // Wait for the controller to finish the operation, not just accept it: tests use topics at once.
      check(rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout, errstr, sizeof(errstr)));
    }
  }
  if (validate_only) check(rd_kafka_AdminOptions_set_validate_only(options.get(), 1, errstr, sizeof(errstr)));
  return options;
}

// createTopics(requestId, [{name, numPartitions, replicationFactor, configs: [k, v, ...]}], validateOnly,
//              timeoutMs)
Napi::Value Admin::CreateTopics(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  Napi::Array specs = ArrayArg(info[1], "topics");
  // Owned throughout: any argument below (and Options) may throw half-way through the list.
  std::vector<NewTopicPtr> owned;
  std::vector<rd_kafka_NewTopic_t*> topics;
  char errstr[512];
  for (uint32_t i = 0; i < specs.Length(); i++) {
    Napi::Object spec = ObjectArg(specs.Get(i), "topics[i]");
    std::string name = StringArg(spec.Get("name"), "topic name", 249);
    int partitions = static_cast<int>(IntegerArg(spec.Get("numPartitions"), "numPartitions", -1, INT32_MAX, -1));
    int replication = static_cast<int>(IntegerArg(spec.Get("replicationFactor"), "replicationFactor", -1, 32767, -1));
    NewTopicPtr created(rd_kafka_NewTopic_new(name.c_str(), partitions, replication, errstr, sizeof(errstr)));
    if (!created) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
    rd_kafka_NewTopic_t* topic = created.get();
    owned.push_back(std::move(created));
    topics.push_back(topic);
    Napi::Value config_value = spec.Get("configs");
    Napi::Array configs = config_value.IsUndefined() ? Napi::Array::New(env) : ArrayArg(config_value, "configs");
    for (uint32_t j = 0; j + 1 < configs.Length(); j += 2) {
      std::string key = StringArg(configs.Get(j), "topic config name", 256);
      std::string value = StringArg(configs.Get(j + 1), "topic config value", kMaxConfigValueLength);
      rd_kafka_resp_err_t err = rd_kafka_NewTopic_set_config(topic, key.c_str(), value.c_str());
      if (err) ThrowKafkaError(env, ErrorInfo(err, "invalid topic config " + key));
    }
  }
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_CREATETOPICS, id, info[3], info[2].ToBoolean().Value());
  rd_kafka_CreateTopics(handle_->rk(), topics.data(), topics.size(), options.get(), results_);
  return env.Undefined();
}

// deleteTopics(requestId, names[], timeoutMs)
Napi::Value Admin::DeleteTopics(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  Napi::Array names = ArrayArg(info[1], "names");
  // Owned throughout: a bad name or timeout below throws half-way through.
  std::vector<DeleteTopicPtr> owned;
  std::vector<rd_kafka_DeleteTopic_t*> topics;
  for (uint32_t i = 0; i < names.Length(); i++) {
    std::string name = StringArg(names.Get(i), "topic name", 249);
    owned.emplace_back(rd_kafka_DeleteTopic_new(name.c_str()));
    topics.push_back(owned.back().get());
  }
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DELETETOPICS, id, info[2]);
  rd_kafka_DeleteTopics(handle_->rk(), topics.data(), topics.size(), options.get(), results_);
  return env.Undefined();
}

// describeCluster(requestId, timeoutMs)
Napi::Value Admin::DescribeCluster(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DESCRIBECLUSTER, id, info[1]);
  rd_kafka_DescribeCluster(handle_->rk(), options.get(), results_);
  return env.Undefined();
}

// poll() -> { results: [{ id, error?, topics?, cluster? }], events }
Napi::Value Admin::Poll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  Napi::Array results = Napi::Array::New(env);
  Napi::Array events = Napi::Array::New(env);
  out.Set("results", results);
  out.Set("events", events);
  if (!handle_ || !handle_->open()) return out;
  for (EventPtr ev; (ev = PollEvent(main_queue_));) AppendClientEvent(env, handle_->rk(), ev.get(), events);
  for (EventPtr owned; (owned = PollEvent(results_));) {
    rd_kafka_event_t* ev = owned.get();
    Napi::Object r = Napi::Object::New(env);
    r.Set("id", static_cast<double>(reinterpret_cast<uintptr_t>(rd_kafka_event_opaque(ev))));
    rd_kafka_resp_err_t request_error = rd_kafka_event_error(ev);
    if (request_error) {
      const char* message = rd_kafka_event_error_string(ev);
      r.Set("error", MakeKafkaError(env, request_error, OrEmpty(message)));
      // A failed request has no per-item results: librdkafka asserts when asked for them
      // (rd_kafka_DescribeCluster_result_* aborted the process on any failed describeCluster).
      results.Set(results.Length(), r);
      continue;
    }
    size_t count = 0;
    switch (rd_kafka_event_type(ev)) {
      case RD_KAFKA_EVENT_CREATETOPICS_RESULT: {
        auto res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &count);
        r.Set("topics", TopicResults(env, res, count));
        break;
      }
      case RD_KAFKA_EVENT_DELETETOPICS_RESULT: {
        auto res = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev), &count);
        r.Set("topics", TopicResults(env, res, count));
        break;
      }
      case RD_KAFKA_EVENT_DESCRIBECLUSTER_RESULT: {
        const rd_kafka_DescribeCluster_result_t* res = rd_kafka_event_DescribeCluster_result(ev);
        if (!res) break;
        Napi::Object cluster = Napi::Object::New(env);
        const char* cluster_id = rd_kafka_DescribeCluster_result_cluster_id(res);
        cluster.Set("clusterId", cluster_id ? Napi::Value(Napi::String::New(env, cluster_id)) : env.Null());
        const rd_kafka_Node_t* controller = rd_kafka_DescribeCluster_result_controller(res);
        cluster.Set("controller", controller ? Napi::Value(NodeToJs(env, controller)) : env.Null());
        const rd_kafka_Node_t** nodes = rd_kafka_DescribeCluster_result_nodes(res, &count);
        Napi::Array brokers = Napi::Array::New(env, count);
        for (size_t i = 0; i < count; i++) brokers.Set(static_cast<uint32_t>(i), NodeToJs(env, nodes[i]));
        cluster.Set("brokers", brokers);
        r.Set("cluster", cluster);
        break;
      }
      default:
        break;
    }
    results.Set(results.Length(), r);
  }
  return out;
}

}  // namespace kafka_napi
