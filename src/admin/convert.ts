/** Native admin results (native/clients/admin_results.cc) to the public types: enums named, errors typed. */
import { kafkaError, nativeCode, type KafkaError } from '../core/errors';
import type {
  NativeAclBinding,
  NativeGroupDescription,
  NativeTopicDescription,
  NativeConfigEntry,
  NativeNode,
  NativeTopicPartitions,
} from '../native/addon';
import type { TopicPartition } from '../core/types';
import {
  ACL_OPERATIONS,
  ACL_PERMISSIONS,
  CONFIG_SOURCES,
  GROUP_STATES,
  GROUP_TYPES,
  PATTERN_TYPES,
  RESOURCE_TYPES,
  type AclOperation,
  type AclPermission,
  type PatternType,
  type ResourceType,
} from './enums';
import type {
  AclBinding,
  BrokerInfo,
  ConfigEntry,
  ConsumerGroupDescription,
  GroupPartitionOffset,
  TopicDescription,
} from './types';

/** `error` only when set: items without one succeeded. */
export function withError<T extends object>(item: T, error: Error | undefined): T & { error?: KafkaError } {
  return error ? { ...item, error: error as KafkaError } : item;
}

export function broker(node: NativeNode): BrokerInfo {
  return { id: node.id, host: node.host, port: node.port, rack: node.rack };
}

/** Authorized operations: present only when the broker returned them (asked for). */
export function operations(ops: number[] | null | undefined): { authorizedOperations?: AclOperation[] } {
  if (!ops) return {};
  return { authorizedOperations: ops.map((o) => ACL_OPERATIONS.fromNative(o) as AclOperation) };
}

export function topicDescription(d: NativeTopicDescription): TopicDescription & { error?: KafkaError } {
  return withError(
    {
      name: d.name,
      topicId: d.topicId,
      isInternal: d.isInternal,
      partitions: d.partitions.slice().sort((a, b) => a.partition - b.partition),
      ...operations(d.authorizedOperations),
    },
    d.error,
  );
}

function partitionsOf(list: NativeTopicPartitions | null | undefined): TopicPartition[] {
  if (!list) return [];
  return list.topics.map((topic, i) => ({ topic, partition: list.partitions[i] }));
}

export function groupDescription(g: NativeGroupDescription): ConsumerGroupDescription {
  return withError(
    {
      groupId: g.groupId,
      isSimple: g.isSimple,
      state: GROUP_STATES.fromNative(g.state),
      type: GROUP_TYPES.fromNative(g.type),
      protocol: g.partitionAssignor,
      coordinator: g.coordinator ? broker(g.coordinator) : null,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.host,
        groupInstanceId: m.groupInstanceId,
        assignment: partitionsOf(m.assignment),
        targetAssignment: m.targetAssignment ? partitionsOf(m.targetAssignment) : null,
      })),
      ...operations(g.authorizedOperations),
    },
    g.error,
  );
}

/** Partition lists with librdkafka error names per entry, as offsets with per-item errors. */
export function partitionOffsets(list: NativeTopicPartitions | null | undefined): GroupPartitionOffset[] {
  if (!list) return [];
  return list.topics.map((topic, i) => {
    const name = list.errors[i];
    const item = { topic, partition: list.partitions[i], offset: list.offsets[i] };
    return name ? { ...item, error: kafkaError(nativeCode(name), `${topic}[${item.partition}]: ${name}`) } : item;
  });
}

export function aclBinding(b: NativeAclBinding): AclBinding {
  return {
    resourceType: RESOURCE_TYPES.fromNative(b.resourceType) as ResourceType,
    name: b.name ?? '',
    patternType: PATTERN_TYPES.fromNative(b.patternType) as PatternType,
    principal: b.principal ?? '',
    host: b.host ?? '',
    operation: ACL_OPERATIONS.fromNative(b.operation) as AclOperation,
    permission: ACL_PERMISSIONS.fromNative(b.permission) as AclPermission,
  };
}

export function configEntry(c: NativeConfigEntry): ConfigEntry {
  return {
    name: c.name,
    value: c.value,
    source: CONFIG_SOURCES.fromNative(c.source),
    isReadOnly: c.isReadOnly,
    isDefault: c.isDefault,
    isSensitive: c.isSensitive,
    synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: CONFIG_SOURCES.fromNative(s.source) })),
  };
}
