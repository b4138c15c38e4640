/** Public types of KafkaAdmin's calls: options in, typed per-item results out. */
import type { KafkaError } from '../core/errors';
import type { CommonOptions, TopicPartition, TopicPartitionOffset } from '../core/types';
import type {
  AclOperation,
  AclOperationFilter,
  AclPermission,
  AclPermissionFilter,
  AlterConfigOp,
  ConfigSource,
  ConsumerGroupState,
  ConsumerGroupType,
  IsolationLevel,
  PatternType,
  PatternTypeFilter,
  ResourceType,
  ResourceTypeFilter,
  ScramMechanism,
} from './enums';

/** A KafkaAdmin's options: those every client takes. */
export type AdminOptions = CommonOptions;

/** Every call takes a timeout (default 30 s, at most one hour). */
export interface AdminCallOptions {
  timeoutMs?: number;
}

/** A topic for createTopics. */
export interface NewTopic {
  name: string;
  /** Default: the broker's num.partitions (-1). */
  numPartitions?: number;
  /** Default: the broker's default.replication.factor (-1). */
  replicationFactor?: number;
  configs?: Record<string, string>;
}

/** A broker as the cluster's metadata describes it. */
export interface BrokerInfo {
  id: number;
  host: string;
  port: number;
  rack?: string | null;
}

/** describeCluster's answer: the cluster's id, controller and brokers. */
export interface ClusterDescription {
  clusterId: string | null;
  controller: BrokerInfo | null;
  brokers: BrokerInfo[];
  /** Only when asked for with `includeAuthorizedOperations`. */
  authorizedOperations?: AclOperation[];
}

/** One partition of a described topic: its leader, replicas and in-sync replicas (broker ids). */
export interface PartitionDescription {
  partition: number;
  /** -1: no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
}

/** describeTopics' answer for one topic. */
export interface TopicDescription {
  name: string;
  partitions: PartitionDescription[];
  topicId?: string | null;
  isInternal?: boolean;
  /** Only when asked for with `includeAuthorizedOperations`. */
  authorizedOperations?: AclOperation[];
}

/** One item of a call acting on several resources: `error` set when this item failed. */
export interface ItemResult {
  error?: KafkaError;
}

export interface TopicResult extends ItemResult {
  name: string;
}

export interface PartitionResult extends TopicPartition, ItemResult {}

/** One group as listConsumerGroups lists it. */
export interface ConsumerGroupListing {
  groupId: string;
  isSimple: boolean;
  state: ConsumerGroupState | 'unknown';
  type: ConsumerGroupType | 'unknown';
}

/** listConsumerGroups' answer: every group the reachable brokers coordinate. */
export interface ListConsumerGroupsResult {
  groups: ConsumerGroupListing[];
  /** Brokers that could not be asked (the listing is then partial). */
  errors: KafkaError[];
}

/** A member of a described consumer group, with its assignment. */
export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  groupInstanceId: string | null;
  assignment: TopicPartition[];
  /** The KIP-848 target assignment ('consumer' groups), else null. */
  targetAssignment: TopicPartition[] | null;
}

export interface ConsumerGroupDescription extends ItemResult {
  groupId: string;
  isSimple: boolean;
  state: ConsumerGroupState | 'unknown';
  type: ConsumerGroupType | 'unknown';
  /** 'range', 'cooperative-sticky', 'uniform'... ('' when none). */
  protocol: string;
  coordinator: BrokerInfo | null;
  members: GroupMember[];
  authorizedOperations?: AclOperation[];
}

export interface GroupResult extends ItemResult {
  groupId: string;
}

export interface GroupPartitionOffset extends TopicPartitionOffset, ItemResult {
  /** The end offset (latest) minus the committed offset, when asked for with `withLag`; null if none committed. */
  lag?: number | null;
}

/** A resource whose configs are described or altered: a topic or a broker (by id). */
export interface ConfigResource {
  type: ResourceType;
  name: string;
}

/** A config value from one source (describeConfigs lists where each value could come from). */
export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: ConfigSource | 'unknown';
}

/** One config of a described resource, with its effective value and where it comes from. */
export interface ConfigEntry extends ConfigSynonym {
  isReadOnly: boolean;
  isDefault: boolean;
  /** Sensitive values (passwords) come back as null. */
  isSensitive: boolean;
  synonyms: ConfigSynonym[];
}

export interface ConfigResourceResult extends ConfigResource, ItemResult {
  configs: ConfigEntry[];
}

/** One change incrementalAlterConfigs makes to a resource's config. */
export interface ConfigAlteration {
  name: string;
  /** Default 'set'. 'append'/'subtract' work on list configs (cleanup.policy, ...). */
  op?: AlterConfigOp;
  /** Not used by 'delete' (back to the default). */
  value?: string | number | boolean;
}

/** A resource and the config changes to make to it. */
export interface AlterConfigsResource extends ConfigResource {
  configs: ConfigAlteration[];
}

export interface AlterConfigsResult extends ConfigResource, ItemResult {}

export interface DeleteRecordsResult extends TopicPartition, ItemResult {
  /** The partition's new beginning offset (low watermark). */
  lowWatermark: number;
}

/** What listOffsets looks up: the first, the next or the max-timestamp offset, or the first at or after a timestamp (ms). */
export type OffsetSpec = 'earliest' | 'latest' | 'maxTimestamp' | { timestamp: number };

export interface ListOffsetsResult extends TopicPartition, ItemResult {
  offset: number;
  /** The record's timestamp for 'maxTimestamp' and timestamp lookups, else -1. */
  timestamp: number;
  leaderEpoch: number | null;
}

/** An ACL: who (principal, host) may or may not do what (operation) on which resources. */
export interface AclBinding {
  resourceType: ResourceType;
  /** The resource name ('*' with patternType 'literal' for every resource of the type). */
  name: string;
  patternType: PatternType;
  /** 'User:alice' */
  principal: string;
  /** '*' for any host. */
  host: string;
  operation: AclOperation;
  permission: AclPermission;
}

/** Fields left out (or null) match anything. */
export interface AclBindingFilter {
  resourceType?: ResourceTypeFilter;
  name?: string | null;
  patternType?: PatternTypeFilter;
  principal?: string | null;
  host?: string | null;
  operation?: AclOperationFilter;
  permission?: AclPermissionFilter;
}

export interface DeleteAclsResult extends ItemResult {
  /** The bindings the filter matched and that were deleted. */
  deleted: AclBinding[];
}

/** A user's SCRAM credential as described: its mechanism and iteration count (never the secret). */
export interface ScramCredentialInfo {
  mechanism: ScramMechanism | 'unknown';
  iterations: number;
}

export interface UserScramCredentials extends ItemResult {
  user: string;
  credentials: ScramCredentialInfo[];
}

/** Creates or replaces a user's SCRAM credential for one mechanism. */
export interface ScramUpsertion {
  user: string;
  mechanism: ScramMechanism;
  /** At most 1024 bytes: the client derives the salted password on its own thread. */
  password: string | Buffer;
  /** Default 8192 (Kafka accepts 4096..16384). */
  iterations?: number;
  /** Default: random, chosen by librdkafka. */
  salt?: Buffer;
}

/** Deletes a user's SCRAM credential for one mechanism. */
export interface ScramDeletion {
  user: string;
  mechanism: ScramMechanism;
}

export interface UserResult extends ItemResult {
  user: string;
}

export type { IsolationLevel };
