#include "admin.h"

#include <memory>
#include <string>
#include <vector>

#include "../core/args.h"
#include "../core/events.h"
#include "../core/owned.h"
#include "admin_results.h"

namespace kafka_napi {

Napi::Function Admin::Init(Napi::Env env) {
  std::vector<PropertyDescriptor> methods = {
      InstanceMethod<&Admin::CreateTopics>("createTopics"),
      InstanceMethod<&Admin::DeleteTopics>("deleteTopics"),
      InstanceMethod<&Admin::CreatePartitions>("createPartitions"),
      InstanceMethod<&Admin::DescribeTopics>("describeTopics"),
      InstanceMethod<&Admin::DescribeCluster>("describeCluster"),
      InstanceMethod<&Admin::ElectLeaders>("electLeaders"),
      InstanceMethod<&Admin::ListConsumerGroups>("listConsumerGroups"),
      InstanceMethod<&Admin::DescribeConsumerGroups>("describeConsumerGroups"),
      InstanceMethod<&Admin::DeleteConsumerGroups>("deleteConsumerGroups"),
      InstanceMethod<&Admin::ListConsumerGroupOffsets>("listConsumerGroupOffsets"),
      InstanceMethod<&Admin::AlterConsumerGroupOffsets>("alterConsumerGroupOffsets"),
      InstanceMethod<&Admin::DeleteConsumerGroupOffsets>("deleteConsumerGroupOffsets"),
      InstanceMethod<&Admin::DescribeConfigs>("describeConfigs"),
      InstanceMethod<&Admin::IncrementalAlterConfigs>("incrementalAlterConfigs"),
      InstanceMethod<&Admin::DeleteRecords>("deleteRecords"),
      InstanceMethod<&Admin::ListOffsets>("listOffsets"),
      InstanceMethod<&Admin::CreateAcls>("createAcls"),
      InstanceMethod<&Admin::DescribeAcls>("describeAcls"),
      InstanceMethod<&Admin::DeleteAcls>("deleteAcls"),
      InstanceMethod<&Admin::DescribeUserScramCredentials>("describeUserScramCredentials"),
      InstanceMethod<&Admin::AlterUserScramCredentials>("alterUserScramCredentials"),
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
                               bool validate_only, int32_t broker) {
  // Read before anything is allocated: a bad value throws. librdkafka takes at most one hour here.
  int timeout = static_cast<int>(IntegerArg(timeout_ms, "timeoutMs", 0, int64_t{3600} * 1000, -1));
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(handle_->rk(), op));
  rd_kafka_AdminOptions_set_opaque(options.get(), reinterpret_cast<void*>(static_cast<uintptr_t>(request_id)));
  char errstr[256];
  auto check = [&](rd_kafka_resp_err_t err) {
    if (err) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
  };
  if (timeout >= 0) {
    check(rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout, errstr, sizeof(errstr)));
    if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS ||
        op == RD_KAFKA_ADMIN_OP_CREATEPARTITIONS || op == RD_KAFKA_ADMIN_OP_DELETERECORDS ||
        op == RD_KAFKA_ADMIN_OP_ELECTLEADERS) {
      // Wait for the controller to finish the operation, not just accept it: callers use the result at once.
      check(rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout, errstr, sizeof(errstr)));
    }
  }
  if (validate_only) check(rd_kafka_AdminOptions_set_validate_only(options.get(), 1, errstr, sizeof(errstr)));
  if (broker >= 0) check(rd_kafka_AdminOptions_set_broker(options.get(), broker, errstr, sizeof(errstr)));
  return options;
}

// poll() -> { results: [{ id, error?, ...the result's fields (admin_results.h) }], events }
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
    r.Set("kind", AdminResultKind(ev));
    rd_kafka_resp_err_t request_error = rd_kafka_event_error(ev);
    if (request_error) {
      const char* message = rd_kafka_event_error_string(ev);
      r.Set("error", MakeKafkaError(env, request_error, OrEmpty(message)));
      // A failed request has no per-item results: librdkafka asserts when asked for them
      // (rd_kafka_DescribeCluster_result_* aborted the process on any failed describeCluster).
      results.Set(results.Length(), r);
      continue;
    }
    AdminResultToJs(env, ev, r);
    results.Set(results.Length(), r);
  }
  return out;
}

}  // namespace kafka_napi
