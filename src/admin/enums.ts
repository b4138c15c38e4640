/**
 * The admin API's enums as string unions, and their librdkafka integer values (rdkafka.h): the native
 * layer passes the integers both ways, so a value librdkafka adds later shows up as 'unknown' here
 * instead of breaking a switch.
 */
import { show } from '../core/validate';

/** One enum's names and their librdkafka integer values. */
export interface EnumTable<T extends string> {
  /** The integer of `value`; a RangeError naming the argument `name` when it is not one of `allowed`. */
  toNative: (value: unknown, name: string, allowed?: readonly T[]) => number;
  /** The name of a librdkafka integer; 'unknown' for one this version does not know. */
  fromNative: (code: number) => T | 'unknown';
  /** Every name, in declaration order. */
  names: T[];
}

function table<T extends string>(values: Record<T, number>): EnumTable<T> {
  const names = Object.keys(values) as T[];
  const byCode = new Map<number, T>(names.map((n) => [values[n], n]));
  return {
    names,
    toNative(value, name, allowed = names) {
      if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
        throw new RangeError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(value)}`);
      }
      return values[value as T];
    },
    fromNative: (code) => byCode.get(code) ?? 'unknown',
  };
}

/** What an ACL or a config applies to. */
export type ResourceType = 'topic' | 'group' | 'broker' | 'transactionalId';
/** A resource type in an ACL filter: 'any' matches every type. */
export type ResourceTypeFilter = ResourceType | 'any';
/** ResourceTypeFilter names and librdkafka's RD_KAFKA_RESOURCE_* values. */
export const RESOURCE_TYPES = table<ResourceTypeFilter>({
  any: 1,
  topic: 2,
  group: 3,
  broker: 4,
  transactionalId: 5,
});

/** How an ACL binding's resource name matches: exactly, or as a prefix. */
export type PatternType = 'literal' | 'prefixed';
/** In filters: 'match' finds the literal, prefixed and wildcard bindings that apply to a name. */
export type PatternTypeFilter = PatternType | 'any' | 'match';
/** PatternTypeFilter names and librdkafka's RD_KAFKA_RESOURCE_PATTERN_* values. */
export const PATTERN_TYPES = table<PatternTypeFilter>({ any: 1, match: 2, literal: 3, prefixed: 4 });

/** The operation an ACL allows or denies. */
export type AclOperation =
  | 'all'
  | 'read'
  | 'write'
  | 'create'
  | 'delete'
  | 'alter'
  | 'describe'
  | 'clusterAction'
  | 'describeConfigs'
  | 'alterConfigs'
  | 'idempotentWrite';
/** An operation in an ACL filter: 'any' matches every operation. */
export type AclOperationFilter = AclOperation | 'any';
/** AclOperationFilter names and librdkafka's RD_KAFKA_ACL_OPERATION_* values. */
export const ACL_OPERATIONS = table<AclOperationFilter>({
  any: 1,
  all: 2,
  read: 3,
  write: 4,
  create: 5,
  delete: 6,
  alter: 7,
  describe: 8,
  clusterAction: 9,
  describeConfigs: 10,
  alterConfigs: 11,
  idempotentWrite: 12,
});

/** Whether an ACL allows or denies its operation. */
export type AclPermission = 'allow' | 'deny';
/** A permission in an ACL filter: 'any' matches both. */
export type AclPermissionFilter = AclPermission | 'any';
/** AclPermissionFilter names and librdkafka's RD_KAFKA_ACL_PERMISSION_TYPE_* values. */
export const ACL_PERMISSIONS = table<AclPermissionFilter>({ any: 1, deny: 2, allow: 3 });

/** Kafka's own names (DescribeConfigsResponse), as kafka-python and the Java client print them. */
export type ConfigSource =
  | 'UNKNOWN_CONFIG'
  | 'DYNAMIC_TOPIC_CONFIG'
  | 'DYNAMIC_BROKER_CONFIG'
  | 'DYNAMIC_DEFAULT_BROKER_CONFIG'
  | 'STATIC_BROKER_CONFIG'
  | 'DEFAULT_CONFIG'
  | 'GROUP_CONFIG';
/** ConfigSource names and Kafka's (and librdkafka's RD_KAFKA_CONFIG_SOURCE_*) values. */
export const CONFIG_SOURCES = table<ConfigSource>({
  UNKNOWN_CONFIG: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  GROUP_CONFIG: 8,
});

/** What incrementalAlterConfigs does to a config: set it, delete it (back to the default), or append to / subtract from a list. */
export type AlterConfigOp = 'set' | 'delete' | 'append' | 'subtract';
/** AlterConfigOp names and librdkafka's RD_KAFKA_ALTER_CONFIG_OP_TYPE_* values. */
export const ALTER_CONFIG_OPS = table<AlterConfigOp>({ set: 0, delete: 1, append: 2, subtract: 3 });

/** A consumer group's state, as the group coordinator reports it. */
export type ConsumerGroupState = 'preparingRebalance' | 'completingRebalance' | 'stable' | 'dead' | 'empty';
/** ConsumerGroupState names and librdkafka's RD_KAFKA_CONSUMER_GROUP_STATE_* values. */
export const GROUP_STATES = table<ConsumerGroupState>({
  preparingRebalance: 1,
  completingRebalance: 2,
  stable: 3,
  dead: 4,
  empty: 5,
});

/** 'consumer': the KIP-848 protocol; 'classic': the original one. (librdkafka 2.15 knows no share groups.) */
export type ConsumerGroupType = 'consumer' | 'classic';
/** ConsumerGroupType names and librdkafka's RD_KAFKA_CONSUMER_GROUP_TYPE_* values. */
export const GROUP_TYPES = table<ConsumerGroupType>({ consumer: 1, classic: 2 });

/** The SASL/SCRAM mechanisms a user's credentials can be stored for. */
export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
/** ScramMechanism names and librdkafka's RD_KAFKA_SCRAM_MECHANISM_* values. */
export const SCRAM_MECHANISMS = table<ScramMechanism>({ 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 });

/** Whether offsets lookups (and reads) see records of open or aborted transactions. */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';
/** IsolationLevel names and librdkafka's RD_KAFKA_ISOLATION_LEVEL_* values. */
export const ISOLATION_LEVELS = table<IsolationLevel>({ read_uncommitted: 0, read_committed: 1 });

/** Which replica electLeaders makes leader: the preferred one, or any (unclean: may lose records). */
export type ElectionType = 'preferred' | 'unclean';
/** ElectionType names and librdkafka's RD_KAFKA_ELECTION_TYPE_* values. */
export const ELECTION_TYPES = table<ElectionType>({ preferred: 0, unclean: 1 });

/** RD_KAFKA_OFFSET_SPEC_*: what listOffsets looks up when not a timestamp. */
export const OFFSET_SPECS = { earliest: -2, latest: -1, maxTimestamp: -3 } as const;
