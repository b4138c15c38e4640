#include "admin_results.h"

#include <string>

#include "../core/args.h"
#include "../core/errors.h"
#include "../core/topic_partitions.h"

namespace kafka_napi {

namespace {

// Sets `error` on `item` when `error` is set: items without one succeeded.
void SetError(Napi::Env env, Napi::Object item, const rd_kafka_error_t* error) {
  if (error && rd_kafka_error_code(error)) {
    item.Set("error", MakeKafkaError(env, rd_kafka_error_code(error), OrEmpty(rd_kafka_error_string(error))));
  }
}

Napi::Value StringOrNull(Napi::Env env, const char* s) {
  return s ? Napi::Value(Napi::String::New(env, s)) : env.Null();
}

template <typename T>
Napi::Array ToArray(Napi::Env env, size_t count, T each) {
  Napi::Array out = Napi::Array::New(env, count);
  for (size_t i = 0; i < count; i++) out.Set(static_cast<uint32_t>(i), each(i));
  return out;
}

Napi::Value NodeToJs(Napi::Env env, const rd_kafka_Node_t* node) {
  if (!node) return env.Null();
  Napi::Object b = Napi::Object::New(env);
  b.Set("id", rd_kafka_Node_id(node));
  b.Set("host", OrEmpty(rd_kafka_Node_host(node)));
  b.Set("port", rd_kafka_Node_port(node));
  const char* rack = rd_kafka_Node_rack(node);
  b.Set("rack", StringOrNull(env, rack));
  return b;
}

// Authorized operations: null when not asked for (or not returned), else the AclOperation values.
Napi::Value Operations(Napi::Env env, const rd_kafka_AclOperation_t* ops, size_t count) {
  if (!ops) return env.Null();
  return ToArray(env, count, [&](size_t i) { return Napi::Number::New(env, ops[i]); });
}

Napi::Array TopicResults(Napi::Env env, const rd_kafka_topic_result_t** results, size_t count) {
  return ToArray(env, count, [&](size_t i) {
    Napi::Object r = Napi::Object::New(env);
    r.Set("name", OrEmpty(rd_kafka_topic_result_name(results[i])));
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err) r.Set("error", MakeKafkaError(env, err, OrEmpty(rd_kafka_topic_result_error_string(results[i]))));
    return r;
  });
}

Napi::Array GroupResults(Napi::Env env, const rd_kafka_group_result_t** results, size_t count) {
  return ToArray(env, count, [&](size_t i) {
    Napi::Object r = Napi::Object::New(env);
    r.Set("groupId", OrEmpty(rd_kafka_group_result_name(results[i])));
    SetError(env, r, rd_kafka_group_result_error(results[i]));
    const rd_kafka_topic_partition_list_t* list = rd_kafka_group_result_partitions(results[i]);
    r.Set("partitions", list ? Napi::Value(ListToJs(env, list)) : env.Null());
    return r;
  });
}

Napi::Array PartitionResults(Napi::Env env, const rd_kafka_topic_partition_result_t** results, size_t count) {
  return ToArray(env, count, [&](size_t i) {
    Napi::Object r = Napi::Object::New(env);
    const rd_kafka_topic_partition_t* tp = rd_kafka_topic_partition_result_partition(results[i]);
    r.Set("topic", OrEmpty(tp ? tp->topic : nullptr));
    r.Set("partition", tp ? tp->partition : -1);
    SetError(env, r, rd_kafka_topic_partition_result_error(results[i]));
    return r;
  });
}

Napi::Object Binding(Napi::Env env, const rd_kafka_AclBinding_t* acl) {
  Napi::Object b = Napi::Object::New(env);
  b.Set("resourceType", static_cast<int>(rd_kafka_AclBinding_restype(acl)));
  b.Set("name", OrEmpty(rd_kafka_AclBinding_name(acl)));
  b.Set("patternType", static_cast<int>(rd_kafka_AclBinding_resource_pattern_type(acl)));
  b.Set("principal", OrEmpty(rd_kafka_AclBinding_principal(acl)));
  b.Set("host", OrEmpty(rd_kafka_AclBinding_host(acl)));
  b.Set("operation", static_cast<int>(rd_kafka_AclBinding_operation(acl)));
  b.Set("permission", static_cast<int>(rd_kafka_AclBinding_permission_type(acl)));
  return b;
}

Napi::Array Bindings(Napi::Env env, const rd_kafka_AclBinding_t** acls, size_t count) {
  return ToArray(env, count, [&](size_t i) { return Binding(env, acls[i]); });
}

Napi::Object ConfigEntry(Napi::Env env, const rd_kafka_ConfigEntry_t* entry, bool with_synonyms) {
  Napi::Object c = Napi::Object::New(env);
  c.Set("name", OrEmpty(rd_kafka_ConfigEntry_name(entry)));
  c.Set("value", StringOrNull(env, rd_kafka_ConfigEntry_value(entry)));
  c.Set("source", static_cast<int>(rd_kafka_ConfigEntry_source(entry)));
  if (!with_synonyms) return c;
  c.Set("isReadOnly", rd_kafka_ConfigEntry_is_read_only(entry) != 0);
  c.Set("isDefault", rd_kafka_ConfigEntry_is_default(entry) != 0);
  c.Set("isSensitive", rd_kafka_ConfigEntry_is_sensitive(entry) != 0);
  size_t count = 0;
  const rd_kafka_ConfigEntry_t** synonyms = rd_kafka_ConfigEntry_synonyms(entry, &count);
  c.Set("synonyms", ToArray(env, synonyms ? count : 0, [&](size_t i) { return ConfigEntry(env, synonyms[i], false); }));
  return c;
}

Napi::Array Resources(Napi::Env env, const rd_kafka_ConfigResource_t** resources, size_t count, bool configs) {
  return ToArray(env, count, [&](size_t i) {
    const rd_kafka_ConfigResource_t* res = resources[i];
    Napi::Object r = Napi::Object::New(env);
    r.Set("type", static_cast<int>(rd_kafka_ConfigResource_type(res)));
    r.Set("name", OrEmpty(rd_kafka_ConfigResource_name(res)));
    rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(res);
    if (err) r.Set("error", MakeKafkaError(env, err, OrEmpty(rd_kafka_ConfigResource_error_string(res))));
    if (configs) {
      size_t n = 0;
      const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(res, &n);
      r.Set("configs", ToArray(env, entries ? n : 0, [&](size_t j) { return ConfigEntry(env, entries[j], true); }));
    }
    return r;
  });
}

Napi::Object ClusterToJs(Napi::Env env, const rd_kafka_DescribeCluster_result_t* res) {
  Napi::Object cluster = Napi::Object::New(env);
  cluster.Set("clusterId", StringOrNull(env, rd_kafka_DescribeCluster_result_cluster_id(res)));
  cluster.Set("controller", NodeToJs(env, rd_kafka_DescribeCluster_result_controller(res)));
  size_t count = 0;
  const rd_kafka_Node_t** nodes = rd_kafka_DescribeCluster_result_nodes(res, &count);
  cluster.Set("brokers", ToArray(env, count, [&](size_t i) { return NodeToJs(env, nodes[i]); }));
  const rd_kafka_AclOperation_t* ops = rd_kafka_DescribeCluster_result_authorized_operations(res, &count);
  cluster.Set("authorizedOperations", Operations(env, ops, count));
  return cluster;
}

Napi::Array NodeIds(Napi::Env env, const rd_kafka_Node_t** nodes, size_t count) {
  return ToArray(env, count, [&](size_t i) { return Napi::Number::New(env, rd_kafka_Node_id(nodes[i])); });
}

Napi::Object TopicDescription(Napi::Env env, const rd_kafka_TopicDescription_t* desc) {
  Napi::Object t = Napi::Object::New(env);
  t.Set("name", OrEmpty(rd_kafka_TopicDescription_name(desc)));
  SetError(env, t, rd_kafka_TopicDescription_error(desc));
  const rd_kafka_Uuid_t* id = rd_kafka_TopicDescription_topic_id(desc);
  t.Set("topicId", StringOrNull(env, id ? rd_kafka_Uuid_base64str(id) : nullptr));
  t.Set("isInternal", rd_kafka_TopicDescription_is_internal(desc) != 0);
  size_t count = 0;
  const rd_kafka_TopicPartitionInfo_t** parts = rd_kafka_TopicDescription_partitions(desc, &count);
  t.Set("partitions", ToArray(env, parts ? count : 0, [&](size_t i) {
          const rd_kafka_TopicPartitionInfo_t* p = parts[i];
          Napi::Object o = Napi::Object::New(env);
          o.Set("partition", rd_kafka_TopicPartitionInfo_partition(p));
          const rd_kafka_Node_t* leader = rd_kafka_TopicPartitionInfo_leader(p);
          o.Set("leader", leader ? rd_kafka_Node_id(leader) : -1);
          size_t n = 0;
          const rd_kafka_Node_t** replicas = rd_kafka_TopicPartitionInfo_replicas(p, &n);
          o.Set("replicas", NodeIds(env, replicas, replicas ? n : 0));
          const rd_kafka_Node_t** isr = rd_kafka_TopicPartitionInfo_isr(p, &n);
          o.Set("isr", NodeIds(env, isr, isr ? n : 0));
          return o;
        }));
  const rd_kafka_AclOperation_t* ops = rd_kafka_TopicDescription_authorized_operations(desc, &count);
  t.Set("authorizedOperations", Operations(env, ops, count));
  return t;
}

Napi::Value Assignment(Napi::Env env, const rd_kafka_MemberAssignment_t* assignment) {
  if (!assignment) return env.Null();
  return ListToJs(env, rd_kafka_MemberAssignment_partitions(assignment));
}

Napi::Object GroupDescription(Napi::Env env, const rd_kafka_ConsumerGroupDescription_t* desc) {
  Napi::Object g = Napi::Object::New(env);
  g.Set("groupId", OrEmpty(rd_kafka_ConsumerGroupDescription_group_id(desc)));
  SetError(env, g, rd_kafka_ConsumerGroupDescription_error(desc));
  g.Set("isSimple", rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(desc) != 0);
  g.Set("partitionAssignor", OrEmpty(rd_kafka_ConsumerGroupDescription_partition_assignor(desc)));
  g.Set("state", static_cast<int>(rd_kafka_ConsumerGroupDescription_state(desc)));
  g.Set("type", static_cast<int>(rd_kafka_ConsumerGroupDescription_type(desc)));
  g.Set("coordinator", NodeToJs(env, rd_kafka_ConsumerGroupDescription_coordinator(desc)));
  size_t members = rd_kafka_ConsumerGroupDescription_member_count(desc);
  g.Set("members", ToArray(env, members, [&](size_t i) {
          const rd_kafka_MemberDescription_t* m = rd_kafka_ConsumerGroupDescription_member(desc, i);
          Napi::Object o = Napi::Object::New(env);
          o.Set("memberId", OrEmpty(rd_kafka_MemberDescription_consumer_id(m)));
          o.Set("clientId", OrEmpty(rd_kafka_MemberDescription_client_id(m)));
          o.Set("host", OrEmpty(rd_kafka_MemberDescription_host(m)));
          o.Set("groupInstanceId", StringOrNull(env, rd_kafka_MemberDescription_group_instance_id(m)));
          o.Set("assignment", Assignment(env, rd_kafka_MemberDescription_assignment(m)));
          o.Set("targetAssignment", Assignment(env, rd_kafka_MemberDescription_target_assignment(m)));
          return o;
        }));
  size_t count = 0;
  const rd_kafka_AclOperation_t* ops = rd_kafka_ConsumerGroupDescription_authorized_operations(desc, &count);
  g.Set("authorizedOperations", Operations(env, ops, count));
  return g;
}

// Topics, partitions and the cluster. Returns false for another event type.
bool TopicResultToJs(Napi::Env env, rd_kafka_event_t* ev, Napi::Object r) {
  size_t count = 0;
  switch (rd_kafka_event_type(ev)) {
    case RD_KAFKA_EVENT_CREATETOPICS_RESULT: {
      auto res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &count);
      r.Set("topics", TopicResults(env, res, count));
      return true;
    }
    case RD_KAFKA_EVENT_DELETETOPICS_RESULT: {
      auto res = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev), &count);
      r.Set("topics", TopicResults(env, res, count));
      return true;
    }
    case RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT: {
      auto res = rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(ev), &count);
      r.Set("topics", TopicResults(env, res, count));
      return true;
    }
    case RD_KAFKA_EVENT_DESCRIBETOPICS_RESULT: {
      auto res = rd_kafka_DescribeTopics_result_topics(rd_kafka_event_DescribeTopics_result(ev), &count);
      r.Set("descriptions", ToArray(env, count, [&](size_t i) { return TopicDescription(env, res[i]); }));
      return true;
    }
    case RD_KAFKA_EVENT_DESCRIBECLUSTER_RESULT: {
      const rd_kafka_DescribeCluster_result_t* res = rd_kafka_event_DescribeCluster_result(ev);
      if (res) r.Set("cluster", ClusterToJs(env, res));
      return true;
    }
    case RD_KAFKA_EVENT_ELECTLEADERS_RESULT: {
      auto res = rd_kafka_ElectLeaders_result_partitions(rd_kafka_event_ElectLeaders_result(ev), &count);
      r.Set("partitions", PartitionResults(env, res, count));
      return true;
    }
    default:
      return false;
  }
}

// Consumer groups and their offsets. Returns false for another event type.
bool GroupResultToJs(Napi::Env env, rd_kafka_event_t* ev, Napi::Object r) {
  size_t count = 0;
  switch (rd_kafka_event_type(ev)) {
    case RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT: {
      const rd_kafka_ListConsumerGroups_result_t* res = rd_kafka_event_ListConsumerGroups_result(ev);
      auto valid = rd_kafka_ListConsumerGroups_result_valid(res, &count);
      r.Set("groups", ToArray(env, count, [&](size_t i) {
              Napi::Object g = Napi::Object::New(env);
              g.Set("groupId", OrEmpty(rd_kafka_ConsumerGroupListing_group_id(valid[i])));
              g.Set("isSimple", rd_kafka_ConsumerGroupListing_is_simple_consumer_group(valid[i]) != 0);
              g.Set("state", static_cast<int>(rd_kafka_ConsumerGroupListing_state(valid[i])));
              g.Set("type", static_cast<int>(rd_kafka_ConsumerGroupListing_type(valid[i])));
              return g;
            }));
      auto errors = rd_kafka_ListConsumerGroups_result_errors(res, &count);
      r.Set("errors", ToArray(env, count, [&](size_t i) {
              return MakeKafkaError(env, rd_kafka_error_code(errors[i]), OrEmpty(rd_kafka_error_string(errors[i])));
            }));
      return true;
    }
    case RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT: {
      auto res =
          rd_kafka_DescribeConsumerGroups_result_groups(rd_kafka_event_DescribeConsumerGroups_result(ev), &count);
      r.Set("groups", ToArray(env, count, [&](size_t i) { return GroupDescription(env, res[i]); }));
      return true;
    }
    case RD_KAFKA_EVENT_DELETEGROUPS_RESULT: {
      auto res = rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(ev), &count);
      r.Set("groupResults", GroupResults(env, res, count));
      return true;
    }
    case RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT: {
      auto res =
          rd_kafka_ListConsumerGroupOffsets_result_groups(rd_kafka_event_ListConsumerGroupOffsets_result(ev), &count);
      r.Set("groupResults", GroupResults(env, res, count));
      return true;
    }
    case RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT: {
      auto res =
          rd_kafka_AlterConsumerGroupOffsets_result_groups(rd_kafka_event_AlterConsumerGroupOffsets_result(ev), &count);
      r.Set("groupResults", GroupResults(env, res, count));
      return true;
    }
    case RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT: {
      auto res = rd_kafka_DeleteConsumerGroupOffsets_result_groups(rd_kafka_event_DeleteConsumerGroupOffsets_result(ev),
                                                                   &count);
      r.Set("groupResults", GroupResults(env, res, count));
      return true;
    }
    default:
      return false;
  }
}

// Configs, records and offsets. Returns false for another event type.
bool RecordResultToJs(Napi::Env env, rd_kafka_event_t* ev, Napi::Object r) {
  size_t count = 0;
  switch (rd_kafka_event_type(ev)) {
    case RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT: {
      auto res = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &count);
      r.Set("resources", Resources(env, res, count, true));
      return true;
    }
    case RD_KAFKA_EVENT_INCREMENTALALTERCONFIGS_RESULT: {
      auto res =
          rd_kafka_IncrementalAlterConfigs_result_resources(rd_kafka_event_IncrementalAlterConfigs_result(ev), &count);
      r.Set("resources", Resources(env, res, count, false));
      return true;
    }
    case RD_KAFKA_EVENT_DELETERECORDS_RESULT: {
      const rd_kafka_topic_partition_list_t* offsets =
          rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(ev));
      r.Set("offsets", ListToJs(env, offsets));
      return true;
    }
    case RD_KAFKA_EVENT_LISTOFFSETS_RESULT: {
      auto infos = rd_kafka_ListOffsets_result_infos(rd_kafka_event_ListOffsets_result(ev), &count);
      r.Set("infos", ToArray(env, count, [&](size_t i) {
              const rd_kafka_topic_partition_t* tp = rd_kafka_ListOffsetsResultInfo_topic_partition(infos[i]);
              Napi::Object o = Napi::Object::New(env);
              o.Set("topic", OrEmpty(tp->topic));
              o.Set("partition", tp->partition);
              o.Set("offset", static_cast<double>(tp->offset));
              o.Set("timestamp", static_cast<double>(rd_kafka_ListOffsetsResultInfo_timestamp(infos[i])));
              o.Set("leaderEpoch", rd_kafka_topic_partition_get_leader_epoch(tp));
              if (tp->err) o.Set("error", MakeKafkaError(env, tp->err));
              return o;
            }));
      return true;
    }
    default:
      return false;
  }
}

// ACLs and SCRAM credentials. Returns false for another event type.
bool AclResultToJs(Napi::Env env, rd_kafka_event_t* ev, Napi::Object r) {
  size_t count = 0;
  switch (rd_kafka_event_type(ev)) {
    case RD_KAFKA_EVENT_CREATEACLS_RESULT: {
      auto res = rd_kafka_CreateAcls_result_acls(rd_kafka_event_CreateAcls_result(ev), &count);
      r.Set("acls", ToArray(env, count, [&](size_t i) {
              Napi::Object o = Napi::Object::New(env);
              SetError(env, o, rd_kafka_acl_result_error(res[i]));
              return o;
            }));
      return true;
    }
    case RD_KAFKA_EVENT_DESCRIBEACLS_RESULT: {
      auto res = rd_kafka_DescribeAcls_result_acls(rd_kafka_event_DescribeAcls_result(ev), &count);
      r.Set("bindings", Bindings(env, res, count));
      return true;
    }
    case RD_KAFKA_EVENT_DELETEACLS_RESULT: {
      auto res = rd_kafka_DeleteAcls_result_responses(rd_kafka_event_DeleteAcls_result(ev), &count);
      r.Set("acls", ToArray(env, count, [&](size_t i) {
              Napi::Object o = Napi::Object::New(env);
              SetError(env, o, rd_kafka_DeleteAcls_result_response_error(res[i]));
              size_t n = 0;
              auto matching = rd_kafka_DeleteAcls_result_response_matching_acls(res[i], &n);
              o.Set("bindings", Bindings(env, matching, matching ? n : 0));
              return o;
            }));
      return true;
    }
    case RD_KAFKA_EVENT_DESCRIBEUSERSCRAMCREDENTIALS_RESULT: {
      auto res = rd_kafka_DescribeUserScramCredentials_result_descriptions(
          rd_kafka_event_DescribeUserScramCredentials_result(ev), &count);
      r.Set("users", ToArray(env, count, [&](size_t i) {
              Napi::Object o = Napi::Object::New(env);
              o.Set("user", OrEmpty(rd_kafka_UserScramCredentialsDescription_user(res[i])));
              SetError(env, o, rd_kafka_UserScramCredentialsDescription_error(res[i]));
              size_t n = rd_kafka_UserScramCredentialsDescription_scramcredentialinfo_count(res[i]);
              o.Set("credentials", ToArray(env, n, [&](size_t j) {
                      const rd_kafka_ScramCredentialInfo_t* info =
                          rd_kafka_UserScramCredentialsDescription_scramcredentialinfo(res[i], j);
                      Napi::Object c = Napi::Object::New(env);
                      c.Set("mechanism", static_cast<int>(rd_kafka_ScramCredentialInfo_mechanism(info)));
                      c.Set("iterations", rd_kafka_ScramCredentialInfo_iterations(info));
                      return c;
                    }));
              return o;
            }));
      return true;
    }
    case RD_KAFKA_EVENT_ALTERUSERSCRAMCREDENTIALS_RESULT: {
      auto res = rd_kafka_AlterUserScramCredentials_result_responses(
          rd_kafka_event_AlterUserScramCredentials_result(ev), &count);
      r.Set("users", ToArray(env, count, [&](size_t i) {
              Napi::Object o = Napi::Object::New(env);
              o.Set("user", OrEmpty(rd_kafka_AlterUserScramCredentials_result_response_user(res[i])));
              SetError(env, o, rd_kafka_AlterUserScramCredentials_result_response_error(res[i]));
              return o;
            }));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

const char* AdminResultKind(rd_kafka_event_t* ev) {
  switch (rd_kafka_event_type(ev)) {
    case RD_KAFKA_EVENT_CREATETOPICS_RESULT:
      return "createTopics";
    case RD_KAFKA_EVENT_DELETETOPICS_RESULT:
      return "deleteTopics";
    case RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT:
      return "createPartitions";
    case RD_KAFKA_EVENT_DESCRIBETOPICS_RESULT:
      return "describeTopics";
    case RD_KAFKA_EVENT_DESCRIBECLUSTER_RESULT:
      return "describeCluster";
    case RD_KAFKA_EVENT_ELECTLEADERS_RESULT:
      return "electLeaders";
    case RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT:
      return "listConsumerGroups";
    case RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT:
      return "describeConsumerGroups";
    case RD_KAFKA_EVENT_DELETEGROUPS_RESULT:
      return "deleteConsumerGroups";
    case RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT:
      return "listConsumerGroupOffsets";
    case RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT:
      return "alterConsumerGroupOffsets";
    case RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT:
      return "deleteConsumerGroupOffsets";
    case RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT:
      return "describeConfigs";
    case RD_KAFKA_EVENT_INCREMENTALALTERCONFIGS_RESULT:
      return "incrementalAlterConfigs";
    case RD_KAFKA_EVENT_DELETERECORDS_RESULT:
      return "deleteRecords";
    case RD_KAFKA_EVENT_LISTOFFSETS_RESULT:
      return "listOffsets";
    case RD_KAFKA_EVENT_CREATEACLS_RESULT:
      return "createAcls";
    case RD_KAFKA_EVENT_DESCRIBEACLS_RESULT:
      return "describeAcls";
    case RD_KAFKA_EVENT_DELETEACLS_RESULT:
      return "deleteAcls";
    case RD_KAFKA_EVENT_DESCRIBEUSERSCRAMCREDENTIALS_RESULT:
      return "describeUserScramCredentials";
    case RD_KAFKA_EVENT_ALTERUSERSCRAMCREDENTIALS_RESULT:
      return "alterUserScramCredentials";
    default:
      return "";
  }
}

void AdminResultToJs(Napi::Env env, rd_kafka_event_t* ev, Napi::Object r) {
  // Each event type fills its fields; any other event leaves `r` as it is.
  if (TopicResultToJs(env, ev, r) || GroupResultToJs(env, ev, r) || RecordResultToJs(env, ev, r)) return;
  AclResultToJs(env, ev, r);
}

}  // namespace kafka_napi
