// The admin requests: each reads its arguments (the TS layer validated them; these are the backstop),
// builds librdkafka's request objects — owned until the call, which copies them — and sends the request
// with its id as opaque. Results arrive on the admin's queue (admin_results.cc).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../core/args.h"
#include "../core/bounds.h"
#include "../core/errors.h"
#include "../core/owned.h"
#include "../core/topic_partitions.h"
#include "admin.h"

namespace kafka_napi {

namespace {

// librdkafka's request builders return NULL for arguments they refuse (an empty name, say); passed on, that
// NULL crashes the request (describeConfigs of a broker named "" is a SIGSEGV): refused here instead.
template <typename T>
T* Made(Napi::Env env, T* made, const char* what) {
  if (!made) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, std::string("invalid ") + what));
  return made;
}

// An rd_kafka_error_t returned by an options setter or request builder: thrown as a KafkaError.
void ThrowIfError(Napi::Env env, rd_kafka_error_t* error) {
  ErrorInfo info = ErrorInfo::FromError(error);
  if (!info.ok()) ThrowKafkaError(env, info);
}

// Sets one of the boolean AdminOptions librdkafka reports through an rd_kafka_error_t.
void SetFlag(Napi::Env env, rd_kafka_AdminOptions_t* options,
             rd_kafka_error_t* (*setter)(rd_kafka_AdminOptions_t*, int), const Napi::Value& value) {
  if (value.ToBoolean().Value()) ThrowIfError(env, setter(options, 1));
}

std::vector<std::string> Strings(const Napi::Value& value, const char* name) {
  Napi::Array array = ArrayArg(value, name);
  std::vector<std::string> out;
  out.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(StringArg(array.Get(i), name, kMaxNameLength));
  return out;
}

std::vector<const char*> Pointers(const std::vector<std::string>& strings) {
  std::vector<const char*> out;
  out.reserve(strings.size());
  for (const std::string& s : strings) out.push_back(s.c_str());
  return out;
}

template <typename T>
T EnumArg(const Napi::Value& value, const char* name, int max) {
  return static_cast<T>(IntegerArg(value, name, 0, max, 0));
}

// A partition list, or nullptr for `null` topics (meaning "all" where librdkafka allows it).
PartitionListPtr OptionalList(Napi::Env env, const Napi::Value& topics, const Napi::Value& partitions,
                              const Napi::Value& offsets) {
  if (topics.IsNull() || topics.IsUndefined()) return nullptr;
  return ListFromJs(env, topics, partitions, offsets);
}

// {resourceType, name, patternType, principal, host, operation, permission}: a binding, or a filter
// (where the strings may be null: any).
AclBindingPtr AclFromJs(Napi::Env env, const Napi::Value& value, bool filter) {
  Napi::Object acl = ObjectArg(value, filter ? "filter" : "acl");
  auto optional = [&](const char* key) -> std::string {
    Napi::Value v = acl.Get(key);
    return v.IsNull() || v.IsUndefined() ? std::string() : StringArg(v, key, kMaxNameLength);
  };
  auto has = [&](const char* key) { return !acl.Get(key).IsNull() && !acl.Get(key).IsUndefined(); };
  std::string name = optional("name"), principal = optional("principal"), host = optional("host");
  auto restype = EnumArg<rd_kafka_ResourceType_t>(acl.Get("resourceType"), "resourceType", RD_KAFKA_RESOURCE__CNT - 1);
  auto pattern = EnumArg<rd_kafka_ResourcePatternType_t>(acl.Get("patternType"), "patternType",
                                                         RD_KAFKA_RESOURCE_PATTERN_TYPE__CNT - 1);
  auto operation = EnumArg<rd_kafka_AclOperation_t>(acl.Get("operation"), "operation", RD_KAFKA_ACL_OPERATION__CNT - 1);
  auto permission =
      EnumArg<rd_kafka_AclPermissionType_t>(acl.Get("permission"), "permission", RD_KAFKA_ACL_PERMISSION_TYPE__CNT - 1);
  char errstr[512] = {0};
  rd_kafka_AclBinding_t* made =
      filter
          ? rd_kafka_AclBindingFilter_new(
                restype, has("name") ? name.c_str() : nullptr, pattern, has("principal") ? principal.c_str() : nullptr,
                has("host") ? host.c_str() : nullptr, operation, permission, errstr, sizeof(errstr))
          : rd_kafka_AclBinding_new(restype, name.c_str(), pattern, principal.c_str(), host.c_str(), operation,
                                    permission, errstr, sizeof(errstr));
  if (!made) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
  return AclBindingPtr(made);
}

// A list of bindings (or filters), owned by `owned` until the request has copied them.
std::vector<rd_kafka_AclBinding_t*> AclsFromJs(Napi::Env env, const Napi::Value& value, const char* name, bool filter,
                                               std::vector<AclBindingPtr>& owned) {
  Napi::Array specs = ArrayArg(value, name);
  std::vector<rd_kafka_AclBinding_t*> out;
  for (uint32_t i = 0; i < specs.Length(); i++) {
    owned.push_back(AclFromJs(env, specs.Get(i), filter));
    out.push_back(owned.back().get());
  }
  return out;
}

}  // namespace

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
    std::string name = StringArg(spec.Get("name"), "topic name", kMaxTopicLength);
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
    std::string name = StringArg(names.Get(i), "topic name", kMaxTopicLength);
    owned.emplace_back(Made(env, rd_kafka_DeleteTopic_new(name.c_str()), "topic name"));
    topics.push_back(owned.back().get());
  }
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DELETETOPICS, id, info[2]);
  rd_kafka_DeleteTopics(handle_->rk(), topics.data(), topics.size(), options.get(), results_);
  return env.Undefined();
}

// createPartitions(requestId, [{topic, totalCount}], validateOnly, timeoutMs)
Napi::Value Admin::CreatePartitions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  Napi::Array specs = ArrayArg(info[1], "topics");
  std::vector<NewPartitionsPtr> owned;
  std::vector<rd_kafka_NewPartitions_t*> parts;
  char errstr[512] = {0};
  for (uint32_t i = 0; i < specs.Length(); i++) {
    Napi::Object spec = ObjectArg(specs.Get(i), "topics[i]");
    std::string topic = StringArg(spec.Get("topic"), "topic", kMaxTopicLength);
    auto total = static_cast<size_t>(IntegerArg(spec.Get("totalCount"), "totalCount", 1, INT32_MAX, 1));
    NewPartitionsPtr made(rd_kafka_NewPartitions_new(topic.c_str(), total, errstr, sizeof(errstr)));
    if (!made) ThrowKafkaError(env, ErrorInfo(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr));
    parts.push_back(made.get());
    owned.push_back(std::move(made));
  }
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, id, info[3], info[2].ToBoolean());
  rd_kafka_CreatePartitions(handle_->rk(), parts.data(), parts.size(), options.get(), results_);
  return env.Undefined();
}

// describeTopics(requestId, names[], includeAuthorizedOperations, timeoutMs, brokerId)
// librdkafka sends it to the controller unless told otherwise, and waits for a controller it believes in
// even while that broker is down: JS names a broker that just answered (see src/admin/topics.ts).
Napi::Value Admin::DescribeTopics(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::vector<std::string> names = Strings(info[1], "names");
  std::vector<const char*> pointers = Pointers(names);
  auto broker = static_cast<int32_t>(IntegerArg(info[4], "brokerId", -1, INT32_MAX, -1));
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DESCRIBETOPICS, id, info[3], false, broker);
  SetFlag(env, options.get(), rd_kafka_AdminOptions_set_include_authorized_operations, info[2]);
  TopicCollectionPtr topics(rd_kafka_TopicCollection_of_topic_names(pointers.data(), pointers.size()));
  rd_kafka_DescribeTopics(handle_->rk(), topics.get(), options.get(), results_);
  return env.Undefined();
}

// describeCluster(requestId, includeAuthorizedOperations, timeoutMs)
Napi::Value Admin::DescribeCluster(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DESCRIBECLUSTER, id, info[2]);
  SetFlag(env, options.get(), rd_kafka_AdminOptions_set_include_authorized_operations, info[1]);
  rd_kafka_DescribeCluster(handle_->rk(), options.get(), results_);
  return env.Undefined();
}

// electLeaders(requestId, type (0 preferred, 1 unclean), topics | null, partitions, timeoutMs)
Napi::Value Admin::ElectLeaders(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  auto type = EnumArg<rd_kafka_ElectionType_t>(info[1], "type", RD_KAFKA_ELECTION_TYPE_UNCLEAN);
  PartitionListPtr list = OptionalList(env, info[2], info[3], Napi::Value());
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_ELECTLEADERS, id, info[4]);
  ElectLeadersPtr request(Made(env, rd_kafka_ElectLeaders_new(type, list.get()), "election"));
  rd_kafka_ElectLeaders(handle_->rk(), request.get(), options.get(), results_);
  return env.Undefined();
}

// listConsumerGroups(requestId, states: number[], types: number[], timeoutMs)
Napi::Value Admin::ListConsumerGroups(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  Napi::Array state_values = ArrayArg(info[1], "states");
  Napi::Array type_values = ArrayArg(info[2], "types");
  std::vector<rd_kafka_consumer_group_state_t> states;
  for (uint32_t i = 0; i < state_values.Length(); i++) {
    states.push_back(EnumArg<rd_kafka_consumer_group_state_t>(state_values.Get(i), "states",
                                                              RD_KAFKA_CONSUMER_GROUP_STATE__CNT - 1));
  }
  std::vector<rd_kafka_consumer_group_type_t> types;
  for (uint32_t i = 0; i < type_values.Length(); i++) {
    types.push_back(
        EnumArg<rd_kafka_consumer_group_type_t>(type_values.Get(i), "types", RD_KAFKA_CONSUMER_GROUP_TYPE__CNT - 1));
  }
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, id, info[3]);
  if (!states.empty()) {
    ThrowIfError(env,
                 rd_kafka_AdminOptions_set_match_consumer_group_states(options.get(), states.data(), states.size()));
  }
  if (!types.empty()) {
    ThrowIfError(env, rd_kafka_AdminOptions_set_match_consumer_group_types(options.get(), types.data(), types.size()));
  }
  rd_kafka_ListConsumerGroups(handle_->rk(), options.get(), results_);
  return env.Undefined();
}

// describeConsumerGroups(requestId, groupIds[], includeAuthorizedOperations, timeoutMs)
Napi::Value Admin::DescribeConsumerGroups(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::vector<std::string> groups = Strings(info[1], "groupIds");
  std::vector<const char*> pointers = Pointers(groups);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, id, info[3]);
  SetFlag(env, options.get(), rd_kafka_AdminOptions_set_include_authorized_operations, info[2]);
  rd_kafka_DescribeConsumerGroups(handle_->rk(), pointers.data(), pointers.size(), options.get(), results_);
  return env.Undefined();
}

// deleteConsumerGroups(requestId, groupIds[], timeoutMs)
Napi::Value Admin::DeleteConsumerGroups(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::vector<std::string> groups = Strings(info[1], "groupIds");
  std::vector<DeleteGroupPtr> owned;
  std::vector<rd_kafka_DeleteGroup_t*> requests;
  for (const std::string& group : groups) {
    owned.emplace_back(Made(env, rd_kafka_DeleteGroup_new(group.c_str()), "group id"));
    requests.push_back(owned.back().get());
  }
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DELETEGROUPS, id, info[2]);
  rd_kafka_DeleteGroups(handle_->rk(), requests.data(), requests.size(), options.get(), results_);
  return env.Undefined();
}

// listConsumerGroupOffsets(requestId, groupId, topics | null, partitions, requireStable, timeoutMs)
Napi::Value Admin::ListConsumerGroupOffsets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::string group = StringArg(info[1], "groupId", kMaxNameLength);
  PartitionListPtr list = OptionalList(env, info[2], info[3], Napi::Value());
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, id, info[5]);
  SetFlag(env, options.get(), rd_kafka_AdminOptions_set_require_stable_offsets, info[4]);
  ListGroupOffsetsPtr request(Made(env, rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), list.get()), "group id"));
  rd_kafka_ListConsumerGroupOffsets_t* requests[] = {request.get()};
  rd_kafka_ListConsumerGroupOffsets(handle_->rk(), requests, 1, options.get(), results_);
  return env.Undefined();
}

// alterConsumerGroupOffsets(requestId, groupId, topics, partitions, offsets, timeoutMs)
Napi::Value Admin::AlterConsumerGroupOffsets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::string group = StringArg(info[1], "groupId", kMaxNameLength);
  PartitionListPtr list = ListFromJs(env, info[2], info[3], info[4]);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, id, info[5]);
  AlterGroupOffsetsPtr request(
      Made(env, rd_kafka_AlterConsumerGroupOffsets_new(group.c_str(), list.get()), "group id"));
  rd_kafka_AlterConsumerGroupOffsets_t* requests[] = {request.get()};
  rd_kafka_AlterConsumerGroupOffsets(handle_->rk(), requests, 1, options.get(), results_);
  return env.Undefined();
}

// deleteConsumerGroupOffsets(requestId, groupId, topics, partitions, timeoutMs)
Napi::Value Admin::DeleteConsumerGroupOffsets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::string group = StringArg(info[1], "groupId", kMaxNameLength);
  PartitionListPtr list = ListFromJs(env, info[2], info[3], Napi::Value());
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, id, info[4]);
  DeleteGroupOffsetsPtr request(
      Made(env, rd_kafka_DeleteConsumerGroupOffsets_new(group.c_str(), list.get()), "group id"));
  rd_kafka_DeleteConsumerGroupOffsets_t* requests[] = {request.get()};
  rd_kafka_DeleteConsumerGroupOffsets(handle_->rk(), requests, 1, options.get(), results_);
  return env.Undefined();
}

namespace {

// [{type, name, ops?: [{name, op, value}]}]: config resources, with incremental alterations when asked.
std::vector<ConfigResourcePtr> ResourcesFromJs(Napi::Env env, const Napi::Value& value, bool with_ops) {
  Napi::Array specs = ArrayArg(value, "resources");
  std::vector<ConfigResourcePtr> out;
  for (uint32_t i = 0; i < specs.Length(); i++) {
    Napi::Object spec = ObjectArg(specs.Get(i), "resources[i]");
    auto type = EnumArg<rd_kafka_ResourceType_t>(spec.Get("type"), "type", RD_KAFKA_RESOURCE__CNT - 1);
    std::string name = StringArg(spec.Get("name"), "name", kMaxNameLength);
    out.emplace_back(Made(env, rd_kafka_ConfigResource_new(type, name.c_str()), "config resource"));
    if (!with_ops) continue;
    Napi::Array ops = ArrayArg(spec.Get("ops"), "ops");
    for (uint32_t j = 0; j < ops.Length(); j++) {
      Napi::Object op = ObjectArg(ops.Get(j), "ops[i]");
      std::string key = StringArg(op.Get("name"), "config name", 256);
      auto op_type = EnumArg<rd_kafka_AlterConfigOpType_t>(op.Get("op"), "op", RD_KAFKA_ALTER_CONFIG_OP_TYPE__CNT - 1);
      Napi::Value v = op.Get("value");
      std::string config_value =
          v.IsNull() || v.IsUndefined() ? std::string() : StringArg(v, "config value", kMaxConfigValueLength);
      ThrowIfError(env, rd_kafka_ConfigResource_add_incremental_config(
                            out.back().get(), key.c_str(), op_type,
                            v.IsNull() || v.IsUndefined() ? nullptr : config_value.c_str()));
    }
  }
  return out;
}

std::vector<rd_kafka_ConfigResource_t*> Borrowed(const std::vector<ConfigResourcePtr>& owned) {
  std::vector<rd_kafka_ConfigResource_t*> out;
  out.reserve(owned.size());
  for (const ConfigResourcePtr& r : owned) out.push_back(r.get());
  return out;
}

}  // namespace

// describeConfigs(requestId, [{type, name}], timeoutMs)
Napi::Value Admin::DescribeConfigs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::vector<ConfigResourcePtr> owned = ResourcesFromJs(env, info[1], false);
  std::vector<rd_kafka_ConfigResource_t*> resources = Borrowed(owned);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, id, info[2]);
  rd_kafka_DescribeConfigs(handle_->rk(), resources.data(), resources.size(), options.get(), results_);
  return env.Undefined();
}

// incrementalAlterConfigs(requestId, [{type, name, ops: [{name, op, value}]}], validateOnly, timeoutMs)
Napi::Value Admin::IncrementalAlterConfigs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::vector<ConfigResourcePtr> owned = ResourcesFromJs(env, info[1], true);
  std::vector<rd_kafka_ConfigResource_t*> resources = Borrowed(owned);
  AdminOptionsPtr options =
      Options(env, RD_KAFKA_ADMIN_OP_INCREMENTALALTERCONFIGS, id, info[3], info[2].ToBoolean().Value());
  rd_kafka_IncrementalAlterConfigs(handle_->rk(), resources.data(), resources.size(), options.get(), results_);
  return env.Undefined();
}

// deleteRecords(requestId, topics, partitions, offsets (records before each go), timeoutMs)
Napi::Value Admin::DeleteRecords(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  PartitionListPtr list = ListFromJs(env, info[1], info[2], info[3]);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DELETERECORDS, id, info[4]);
  DeleteRecordsPtr request(Made(env, rd_kafka_DeleteRecords_new(list.get()), "offsets"));
  rd_kafka_DeleteRecords_t* requests[] = {request.get()};
  rd_kafka_DeleteRecords(handle_->rk(), requests, 1, options.get(), results_);
  return env.Undefined();
}

// listOffsets(requestId, topics, partitions, specs (OffsetSpec or a timestamp, as offsets), isolation,
//             timeoutMs)
Napi::Value Admin::ListOffsets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  PartitionListPtr list = ListFromJs(env, info[1], info[2], info[3]);
  auto isolation =
      EnumArg<rd_kafka_IsolationLevel_t>(info[4], "isolationLevel", RD_KAFKA_ISOLATION_LEVEL_READ_COMMITTED);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_LISTOFFSETS, id, info[5]);
  ThrowIfError(env, rd_kafka_AdminOptions_set_isolation_level(options.get(), isolation));
  rd_kafka_ListOffsets(handle_->rk(), list.get(), options.get(), results_);
  return env.Undefined();
}

// createAcls(requestId, bindings[], timeoutMs)
Napi::Value Admin::CreateAcls(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::vector<AclBindingPtr> owned;
  std::vector<rd_kafka_AclBinding_t*> acls = AclsFromJs(env, info[1], "acls", false, owned);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_CREATEACLS, id, info[2]);
  rd_kafka_CreateAcls(handle_->rk(), acls.data(), acls.size(), options.get(), results_);
  return env.Undefined();
}

// describeAcls(requestId, filter, timeoutMs)
Napi::Value Admin::DescribeAcls(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  AclBindingPtr filter = AclFromJs(env, info[1], true);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DESCRIBEACLS, id, info[2]);
  rd_kafka_DescribeAcls(handle_->rk(), filter.get(), options.get(), results_);
  return env.Undefined();
}

// deleteAcls(requestId, filters[], timeoutMs)
Napi::Value Admin::DeleteAcls(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::vector<AclBindingPtr> owned;
  std::vector<rd_kafka_AclBindingFilter_t*> filters = AclsFromJs(env, info[1], "filters", true, owned);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DELETEACLS, id, info[2]);
  rd_kafka_DeleteAcls(handle_->rk(), filters.data(), filters.size(), options.get(), results_);
  return env.Undefined();
}

// describeUserScramCredentials(requestId, users[] (empty: all), timeoutMs)
Napi::Value Admin::DescribeUserScramCredentials(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  std::vector<std::string> users = Strings(info[1], "users");
  std::vector<const char*> pointers = Pointers(users);
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_DESCRIBEUSERSCRAMCREDENTIALS, id, info[2]);
  rd_kafka_DescribeUserScramCredentials(handle_->rk(), pointers.data(), pointers.size(), options.get(), results_);
  return env.Undefined();
}

// alterUserScramCredentials(requestId, [{user, mechanism, iterations, password?: Buffer, salt?: Buffer}],
//                           timeoutMs): an entry without password is a deletion.
Napi::Value Admin::AlterUserScramCredentials(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  double id = RequestIdArg(info[0]);
  Napi::Array specs = ArrayArg(info[1], "alterations");
  std::vector<ScramAlterationPtr> owned;
  std::vector<rd_kafka_UserScramCredentialAlteration_t*> alterations;
  for (uint32_t i = 0; i < specs.Length(); i++) {
    Napi::Object spec = ObjectArg(specs.Get(i), "alterations[i]");
    std::string user = StringArg(spec.Get("user"), "user", kMaxNameLength);
    auto mechanism = static_cast<rd_kafka_ScramMechanism_t>(
        IntegerArg(spec.Get("mechanism"), "mechanism", RD_KAFKA_SCRAM_MECHANISM_SHA_256,
                   RD_KAFKA_SCRAM_MECHANISM_SHA_512, RD_KAFKA_SCRAM_MECHANISM_SHA_256));
    Napi::Value password = spec.Get("password");
    if (password.IsUndefined() || password.IsNull()) {
      owned.emplace_back(
          Made(env, rd_kafka_UserScramCredentialDeletion_new(user.c_str(), mechanism), "SCRAM deletion"));
    } else {
      if (!password.IsBuffer()) throw Napi::TypeError::New(env, "password must be a Buffer");
      auto pw = password.As<Napi::Buffer<unsigned char>>();
      Napi::Value salt_value = spec.Get("salt");
      const unsigned char* salt = nullptr;
      size_t salt_size = 0;
      if (salt_value.IsBuffer()) {
        salt = salt_value.As<Napi::Buffer<unsigned char>>().Data();
        salt_size = salt_value.As<Napi::Buffer<unsigned char>>().Length();
      }
      auto iterations = static_cast<int32_t>(IntegerArg(spec.Get("iterations"), "iterations", kMinScramIterations,
                                                        kMaxScramIterations, kDefaultScramIterations));
      owned.emplace_back(Made(env,
                              rd_kafka_UserScramCredentialUpsertion_new(user.c_str(), mechanism, iterations, pw.Data(),
                                                                        pw.Length(), salt, salt_size),
                              "SCRAM upsertion"));
    }
    alterations.push_back(owned.back().get());
  }
  AdminOptionsPtr options = Options(env, RD_KAFKA_ADMIN_OP_ALTERUSERSCRAMCREDENTIALS, id, info[2]);
  rd_kafka_AlterUserScramCredentials(handle_->rk(), alterations.data(), alterations.size(), options.get(), results_);
  return env.Undefined();
}

}  // namespace kafka_napi
