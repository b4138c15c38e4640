/** The native admin client's interface (native/clients/admin_requests.cc) and its results (native/clients/admin_results.cc). */
import type { NativeClient, NativeEvent, NativeTopicPartitions } from './client-types';

/** A broker as admin results describe it. */
export interface NativeNode {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

/** Per-partition errors are librdkafka error names ('' = none). */
export type NativeTopicPartitionResults = NativeTopicPartitions;

export interface NativeAclBinding {
  resourceType: number;
  name: string | null;
  patternType: number;
  principal: string | null;
  host: string | null;
  operation: number;
  permission: number;
}

export interface NativeConfigEntry {
  name: string;
  value: string | null;
  source: number;
  isReadOnly: boolean;
  isDefault: boolean;
  isSensitive: boolean;
  synonyms: Array<{ name: string; value: string | null; source: number }>;
}

export type NativeTopicResult = { name: string; error?: Error };
export type NativeGroupResult = { groupId: string; error?: Error; partitions: NativeTopicPartitionResults | null };
type ConfigResourceItem = { type: number; name: string; error?: Error; configs?: NativeConfigEntry[] };
type UserItem = { user: string; error?: Error; credentials?: Array<{ mechanism: number; iterations: number }> };

export interface NativeTopicDescription {
  name: string;
  error?: Error;
  topicId: string | null;
  isInternal: boolean;
  partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }>;
  authorizedOperations: number[] | null;
}

export interface NativeGroupDescription {
  groupId: string;
  error?: Error;
  isSimple: boolean;
  state: number;
  type: number;
  partitionAssignor: string;
  coordinator: NativeNode | null;
  members: Array<{
    memberId: string;
    clientId: string;
    host: string;
    groupInstanceId: string | null;
    assignment: NativeTopicPartitionResults | null;
    targetAssignment: NativeTopicPartitionResults | null;
  }>;
  authorizedOperations: number[] | null;
}

export interface NativeClusterDescription {
  clusterId: string | null;
  controller: NativeNode | null;
  brokers: NativeNode[];
  authorizedOperations: number[] | null;
}

/** Each admin request's per-item results, by the NativeAdmin method that sends it. */
interface NativeAdminResults {
  createTopics: { topics: NativeTopicResult[] };
  deleteTopics: { topics: NativeTopicResult[] };
  createPartitions: { topics: NativeTopicResult[] };
  describeTopics: { descriptions: NativeTopicDescription[] };
  describeCluster: { cluster?: NativeClusterDescription };
  electLeaders: { partitions: Array<{ topic: string; partition: number; error?: Error }> };
  listConsumerGroups: {
    groups: Array<{ groupId: string; isSimple: boolean; state: number; type: number }>;
    errors: Error[];
  };
  describeConsumerGroups: { groups: NativeGroupDescription[] };
  deleteConsumerGroups: { groupResults: NativeGroupResult[] };
  listConsumerGroupOffsets: { groupResults: NativeGroupResult[] };
  alterConsumerGroupOffsets: { groupResults: NativeGroupResult[] };
  deleteConsumerGroupOffsets: { groupResults: NativeGroupResult[] };
  describeConfigs: { resources: ConfigResourceItem[] };
  incrementalAlterConfigs: { resources: ConfigResourceItem[] };
  deleteRecords: { offsets: NativeTopicPartitionResults };
  listOffsets: {
    infos: Array<{
      topic: string;
      partition: number;
      offset: number;
      timestamp: number;
      leaderEpoch: number;
      error?: Error;
    }>;
  };
  createAcls: { acls: Array<{ error?: Error }> };
  describeAcls: { bindings: NativeAclBinding[] };
  deleteAcls: { acls: Array<{ error?: Error; bindings: NativeAclBinding[] }> };
  describeUserScramCredentials: { users: UserItem[] };
  alterUserScramCredentials: { users: UserItem[] };
}

/** The successful result of the request `kind` (native/clients/admin_results.cc). */
export type NativeAdminResultOf<K extends keyof NativeAdminResults> = { id: number; kind: K } & NativeAdminResults[K];

/** One admin request's successful result: `kind` names the request, the other fields are its results. */
export type NativeAdminResult = { [K in keyof NativeAdminResults]: NativeAdminResultOf<K> }[keyof NativeAdminResults];

/** What poll() returns for one request: its result, or the error that failed the whole request. */
export type NativeAdminEvent = NativeAdminResult | { id: number; kind: string; error: Error };

type AdminAclSpec = Omit<NativeAclBinding, 'name' | 'principal' | 'host'> & {
  name?: string | null;
  principal?: string | null;
  host?: string | null;
};

/** Each request's result arrives from poll() with its request id (native/clients/admin_requests.cc). */
export interface NativeAdmin extends NativeClient {
  createTopics(
    requestId: number,
    topics: Array<{ name: string; numPartitions: number; replicationFactor: number; configs: string[] }>,
    validateOnly: boolean,
    timeoutMs: number,
  ): void;
  deleteTopics(requestId: number, names: string[], timeoutMs: number): void;
  createPartitions(
    requestId: number,
    topics: Array<{ topic: string; totalCount: number }>,
    validateOnly: boolean,
    timeoutMs: number,
  ): void;
  describeTopics(
    requestId: number,
    names: string[],
    includeAuthorizedOperations: boolean,
    timeoutMs: number,
    brokerId: number,
  ): void;
  describeCluster(requestId: number, includeAuthorizedOperations: boolean, timeoutMs: number): void;
  electLeaders(
    requestId: number,
    type: number,
    topics: string[] | null,
    partitions: Int32Array | null,
    timeoutMs: number,
  ): void;
  listConsumerGroups(requestId: number, states: number[], types: number[], timeoutMs: number): void;
  describeConsumerGroups(
    requestId: number,
    groupIds: string[],
    includeAuthorizedOperations: boolean,
    timeoutMs: number,
  ): void;
  deleteConsumerGroups(requestId: number, groupIds: string[], timeoutMs: number): void;
  listConsumerGroupOffsets(
    requestId: number,
    groupId: string,
    topics: string[] | null,
    partitions: Int32Array | null,
    requireStable: boolean,
    timeoutMs: number,
  ): void;
  alterConsumerGroupOffsets(
    requestId: number,
    groupId: string,
    topics: string[],
    partitions: Int32Array,
    offsets: Float64Array,
    timeoutMs: number,
  ): void;
  deleteConsumerGroupOffsets(
    requestId: number,
    groupId: string,
    topics: string[],
    partitions: Int32Array,
    timeoutMs: number,
  ): void;
  describeConfigs(requestId: number, resources: Array<{ type: number; name: string }>, timeoutMs: number): void;
  incrementalAlterConfigs(
    requestId: number,
    resources: Array<{ type: number; name: string; ops: Array<{ name: string; op: number; value: string | null }> }>,
    validateOnly: boolean,
    timeoutMs: number,
  ): void;
  deleteRecords(
    requestId: number,
    topics: string[],
    partitions: Int32Array,
    offsets: Float64Array,
    timeoutMs: number,
  ): void;
  listOffsets(
    requestId: number,
    topics: string[],
    partitions: Int32Array,
    specs: Float64Array,
    isolationLevel: number,
    timeoutMs: number,
  ): void;
  createAcls(requestId: number, acls: AdminAclSpec[], timeoutMs: number): void;
  describeAcls(requestId: number, filter: AdminAclSpec, timeoutMs: number): void;
  deleteAcls(requestId: number, filters: AdminAclSpec[], timeoutMs: number): void;
  describeUserScramCredentials(requestId: number, users: string[], timeoutMs: number): void;
  alterUserScramCredentials(
    requestId: number,
    alterations: Array<{ user: string; mechanism: number; iterations?: number; password?: Buffer; salt?: Buffer }>,
    timeoutMs: number,
  ): void;
  poll(): { results: NativeAdminEvent[]; events: NativeEvent[] };
}
