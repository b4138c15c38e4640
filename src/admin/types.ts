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

export type AdminOptions = CommonOptions;

/** Every call takes a timeout (default 30 s, at most one hour). */
export interface AdminCallOptions {
  timeoutMs?: number;
}

export interface NewTopic {
  name: string;
  /** Default: the broker's num.partitions (-1). */
  numPartitions?: number;
  /** Default: the broker's default.replication.factor (-1). */
  replicationFactor?: number;
  configs?: Record<string, string>;
}

export interface BrokerInfo {
  id: number;
  host: string;
  port: number;
  rack?: string | null;
}

export interface ClusterDescription {
  clusterId: string | null;
  controller: BrokerInfo | null;
  brokers: BrokerInfo[];
  /** Only when asked for with `includeAuthorizedOperations`. */
  authorizedOperations?: AclOperation[];
}

export interface PartitionDescription {
  partition: number;
  /** -1: no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
}

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

export interface ConsumerGroupListing {
  groupId: string;
  isSimple: boolean;
  state: ConsumerGroupState | 'unknown';
  type: ConsumerGroupType | 'unknown';
}

export interface ListConsumerGroupsResult {
  groups: ConsumerGroupListing[];
  /** Brokers that could not be asked (the listing is then partial). */
  errors: KafkaError[];
}

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

export interface ConfigResource {
  type: ResourceType;
  name: string;
}

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: ConfigSource | 'unknown';
}

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

export interface ConfigAlteration {
  name: string;
  /** Default 'set'. 'append'/'subtract' work on list configs (cleanup.policy, ...). */
  op?: AlterConfigOp;
  /** Not used by 'delete' (back to the default). */
  value?: string | number | boolean;
}

export interface AlterConfigsResource extends ConfigResource {
  configs: ConfigAlteration[];
}

export interface AlterConfigsResult extends ConfigResource, ItemResult {}

export interface DeleteRecordsResult extends TopicPartition, ItemResult {
  /** The partition's new beginning offset (low watermark). */
  lowWatermark: number;
}

export type OffsetSpec = 'earliest' | 'latest' | 'maxTimestamp' | { timestamp: number };

export interface ListOffsetsResult extends TopicPartition, ItemResult {
  offset: number;
  /** The record's timestamp for 'maxTimestamp' and timestamp lookups, else -1. */
  timestamp: number;
  leaderEpoch: number | null;
}

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

export interface ScramCredentialInfo {
  mechanism: ScramMechanism | 'unknown';
  iterations: number;
}

export interface UserScramCredentials extends ItemResult {
  user: string;
  credentials: ScramCredentialInfo[];
}

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

export interface ScramDeletion {
  user: string;
  mechanism: ScramMechanism;
}

export interface UserResult extends ItemResult {
  user: string;
}

export type { IsolationLevel };
