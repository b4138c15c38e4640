/**
 * kafkajs's Admin over kafka-napi's KafkaAdmin: kafkajs's argument checks and messages, result shapes
 * (offsets as strings, kafkajs's numeric enums, `errorCode` fields) and errors (KafkaJS* classes).
 *
 * Like kafkajs, every call works without `connect()`: the first call creates the native client, and
 * `connect()` additionally checks that the cluster answers. `disconnect()` closes the client; a later call
 * opens a new one.
 *
 * Where the engine differs from kafkajs's (docs/kafkajs.md lists these):
 * - setOffsets / resetOffsets commit with the Admin API (OffsetCommit as a simple group) instead of
 *   running a throwaway consumer: -1 / -2 (latest / earliest) are resolved to the partition's offsets first,
 *   so the group's committed offsets are real offsets where kafkajs commits the -1 / -2 sentinels; and a
 *   group created this way lists with protocolType '' (kafkajs's consumer makes it 'consumer').
 * - alterConfigs replaces a resource's dynamic configs as kafkajs's (legacy AlterConfigs) does, done as a
 *   DescribeConfigs then one IncrementalAlterConfigs (SET the entries given, DELETE the resource's other
 *   dynamic configs): two requests, so a change someone else makes between them is replaced too.
 * - describeGroups rebuilds memberAssignment from the member's assigned partitions (version 0, no
 *   userData) and memberMetadata from the topics of that assignment: the brokers' raw bytes are not
 *   available through librdkafka.
 * - replicaAssignment (createTopics), assignments (createPartitions), partition reassignments and
 *   BROKER_LOGGER configs throw KafkaJSNotImplemented: KafkaAdmin does not offer them.
 */
import { KafkaAdmin } from '../admin';
import { kafkaError, type KafkaError } from '../core/errors';
import type {
  AclBinding,
  AclBindingFilter,
  ConfigEntry as NapiConfigEntry,
  ConfigResource,
  ConsumerGroupDescription,
  GroupPartitionOffset,
} from '../admin/types';
import type { AclOperationFilter, AclPermissionFilter, PatternTypeFilter, ResourceTypeFilter } from '../admin/enums';
import type { TopicPartition, TopicPartitionOffset } from '../core/types';
import { OFFSET_INVALID } from '../core/validate';
import type { ClientContext } from './connection';
import {
  AssignerProtocol,
  type AclOperationTypes,
  type AclPermissionTypes,
  type AclResourceTypes,
  type ConfigResourceTypes,
  type ConfigSource,
  type ResourcePatternTypes,
} from './enums';
import {
  KafkaJSAggregateError,
  KafkaJSBrokerNotFound,
  KafkaJSCreateTopicError,
  KafkaJSDeleteGroupsError,
  KafkaJSDeleteTopicRecordsError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNotImplemented,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  toKafkaJSError,
} from './errors';
import { ADMIN_EVENTS, Instrumentation } from './instrumentation';
import type { Logger } from './logger';
import { ownMembers } from './members';
import type {
  AclEntry,
  AclFilter,
  Admin,
  AdminConfig,
  ConfigEntries,
  ConsumerGroupState,
  DeleteAclResponse,
  DeleteGroupsResult,
  DescribeAclResource,
  DescribeAclResponse,
  DescribeConfigResponse,
  FetchOffsetsPartition,
  GroupDescription,
  GroupDescriptions,
  GroupOverview,
  IResourceConfig,
  ITopicConfig,
  ITopicMetadata,
  ITopicPartitionConfig,
  KafkaJSDeleteTopicRecordsErrorPartition,
  ListPartitionReassignmentsResponse,
  PartitionMetadata,
  PartitionReassignment,
  ResourceConfigQuery,
  SeekEntry,
  TopicPartitions,
} from './types';

/** kafkajs's defaults for the timeouts it sends with topic and partition requests. */
const DEFAULT_TOPIC_TIMEOUT_MS = 5000;
/** Kafka's LEADER_NOT_AVAILABLE: what a metadata response says for a partition without a leader. */
const LEADER_NOT_AVAILABLE = 5;

// kafkajs's numeric enums <-> KafkaAdmin's names. Kafka numbers both the same way (librdkafka's
// CLUSTER resource is its BROKER, 4); DELEGATION_TOKEN has no librdkafka counterpart.
const ACL_RESOURCE_NAMES: Readonly<Record<number, ResourceTypeFilter>> = {
  1: 'any',
  2: 'topic',
  3: 'group',
  4: 'broker',
  5: 'transactionalId',
};
const PATTERN_NAMES: Readonly<Record<number, PatternTypeFilter>> = {
  1: 'any',
  2: 'match',
  3: 'literal',
  4: 'prefixed',
};
const OPERATION_NAMES: Readonly<Record<number, AclOperationFilter>> = {
  1: 'any',
  2: 'all',
  3: 'read',
  4: 'write',
  5: 'create',
  6: 'delete',
  7: 'alter',
  8: 'describe',
  9: 'clusterAction',
  10: 'describeConfigs',
  11: 'alterConfigs',
  12: 'idempotentWrite',
};
const PERMISSION_NAMES: Readonly<Record<number, AclPermissionFilter>> = { 1: 'any', 2: 'deny', 3: 'allow' };

/** Kafka's ConfigSource numbers (DescribeConfigsResponse), which kafkajs's ConfigSource also uses. */
const CONFIG_SOURCE_NUMBERS: Readonly<Record<string, number>> = {
  UNKNOWN_CONFIG: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  GROUP_CONFIG: 8,
};

/** The config resources kafkajs can name that librdkafka's config calls take. */
const CONFIG_RESOURCE_NAMES: Readonly<Record<number, 'topic' | 'broker'>> = { 2: 'topic', 4: 'broker' };
const CONFIG_RESOURCE_NUMBERS = { topic: 2, broker: 4, group: 0, transactionalId: 0 } as const;
/**
 * The source of the configs a legacy AlterConfigs replaces: a topic's own, or one broker's (the
 * cluster-wide broker defaults are a different resource, the broker named '').
 */
const DYNAMIC_SOURCE = { topic: 'DYNAMIC_TOPIC_CONFIG', broker: 'DYNAMIC_BROKER_CONFIG' } as const;

const GROUP_STATES: Readonly<Record<string, ConsumerGroupState>> = {
  preparingRebalance: 'PreparingRebalance',
  completingRebalance: 'CompletingRebalance',
  stable: 'Stable',
  dead: 'Dead',
  empty: 'Empty',
};

type DescribedGroup = GroupDescription & { errorCode: number };

export class KafkaJSAdmin implements Admin {
  declare readonly events: typeof ADMIN_EVENTS;
  readonly #context: ClientContext;
  readonly #config: AdminConfig;
  readonly #logger: Logger;
  readonly #instrumentation = new Instrumentation(ADMIN_EVENTS);
  #engine: Promise<KafkaAdmin> | undefined;

  constructor(context: ClientContext, config: AdminConfig = {}) {
    this.#context = context;
    this.#config = config;
    this.#logger = context.logger.namespace('Admin');
    // prettier-ignore
    ownMembers(this, [
      'connect', 'disconnect', 'listTopics', 'createTopics', 'deleteTopics', 'createPartitions',
      'fetchTopicMetadata', 'describeCluster', 'events', 'fetchOffsets', 'fetchTopicOffsets',
      'fetchTopicOffsetsByTimestamp', 'setOffsets', 'resetOffsets', 'describeConfigs', 'alterConfigs', 'on',
      'logger', 'listGroups', 'describeGroups', 'deleteGroups', 'describeAcls', 'deleteAcls', 'createAcls',
      'deleteTopicRecords', 'alterPartitionReassignments', 'listPartitionReassignments',
    ], { events: ADMIN_EVENTS });
  }

  logger(): Logger {
    return this.#logger;
  }

  on(eventName: string, listener: (event: never) => void): () => void {
    return this.#instrumentation.on(eventName, listener as (event: unknown) => void);
  }

  /** Opens the client and checks the cluster answers (a metadata request, as kafkajs's connect makes). */
  async connect(): Promise<void> {
    try {
      const admin = await this.#admin();
      await admin.listTopics({ includeInternal: true, timeoutMs: this.#context.connectBudgetMs(this.#config.retry) });
    } catch (err) {
      // kafkajs's failed connect leaves nothing connected: a client left open would keep reconnecting.
      await this.#close();
      throw this.#error(err);
    }
    this.#instrumentation.emit(ADMIN_EVENTS.CONNECT);
  }

  /** Closes the client (pending calls reject); DISCONNECT is emitted whether or not one was open. */
  async disconnect(): Promise<void> {
    await this.#close();
    this.#instrumentation.emit(ADMIN_EVENTS.DISCONNECT);
  }

  /** Every topic, internal ones (`__consumer_offsets`...) included, as kafkajs lists them. */
  async listTopics(): Promise<string[]> {
    return this.#run((admin) => admin.listTopics({ includeInternal: true }));
  }

  /**
   * Resolves true when every topic was created, false when some already existed and the others were
   * created. Any other failure rejects with KafkaJSAggregateError of one KafkaJSCreateTopicError per
   * failed topic (those that existed included). The engine always waits for the new topics' leaders
   * (within `timeout`), whatever `waitForLeaders` says; with validateOnly nothing is created or waited for.
   */
  async createTopics({
    topics,
    validateOnly,
    timeout,
  }: {
    validateOnly?: boolean;
    waitForLeaders?: boolean;
    timeout?: number;
    topics: ITopicConfig[];
  }): Promise<boolean> {
    if (!topics || !Array.isArray(topics)) {
      throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`);
    }
    if (topics.some((t) => typeof t?.topic !== 'string')) {
      throw new KafkaJSNonRetriableError('Invalid topics array, the topic names have to be a valid string');
    }
    if (new Set(topics.map((t) => t.topic)).size < topics.length) {
      throw new KafkaJSNonRetriableError('Invalid topics array, it cannot have multiple entries for the same topic');
    }
    for (const { topic, configEntries } of topics) checkConfigEntries(topic, configEntries);
    for (const { topic, replicaAssignment } of topics) {
      if (replicaAssignment != null && (!Array.isArray(replicaAssignment) || replicaAssignment.length > 0)) {
        throw new KafkaJSNotImplemented(
          `replicaAssignment (topic "${topic}") is not supported: create the topic with numPartitions and replicationFactor and let the controller place the replicas`,
        );
      }
    }
    const options = { validateOnly: validateOnly === true, timeoutMs: timeout ?? DEFAULT_TOPIC_TIMEOUT_MS };
    return this.#run(async (admin) => {
      // One request per topic: KafkaAdmin.createTopics rejects with the first topic's error, and kafkajs
      // reports every topic's (and creates the others when one already exists).
      const outcomes = await Promise.all(
        topics.map(({ topic, numPartitions, replicationFactor, configEntries }) =>
          admin
            .createTopics(
              [
                {
                  name: topic,
                  numPartitions,
                  replicationFactor,
                  configs: Object.fromEntries((configEntries ?? []).map((e) => [e.name, e.value])),
                },
              ],
              options,
            )
            .then(
              () => undefined,
              (err: unknown) => ({ topic, error: this.#error(err) }),
            ),
        ),
      );
      const failed = outcomes.filter((o) => o !== undefined);
      if (failed.length === 0) return true;
      // kafkajs collects the protocol errors of the response; anything else (a timeout, a lost
      // connection) failed the request as a whole and rejects as itself.
      const other = failed.find((f) => !(f.error instanceof KafkaJSProtocolError));
      if (other) throw other.error;
      const errors = failed.map((f) => new KafkaJSCreateTopicError(f.error as KafkaJSProtocolError, f.topic));
      if (errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS')) return false;
      throw new KafkaJSAggregateError('Topic creation errors', errors);
    });
  }

  /**
   * Deletes topics; an unknown topic is retried (its metadata may be stale) and, still unknown, rejects
   * with KafkaJSNumberOfRetriesExceeded as kafkajs does.
   */
  async deleteTopics({ topics, timeout }: { topics: string[]; timeout?: number }): Promise<void> {
    if (!topics || !Array.isArray(topics)) {
      throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`);
    }
    if (topics.some((t) => typeof t !== 'string')) {
      throw new KafkaJSNonRetriableError('Invalid topics array, the names must be a valid string');
    }
    const timeoutMs = timeout ?? DEFAULT_TOPIC_TIMEOUT_MS;
    await this.#retry(
      'delete topics',
      () =>
        this.#run((admin) => admin.deleteTopics(topics, { timeoutMs })).catch((err: unknown) => {
          if ((err as { type?: unknown }).type === 'REQUEST_TIMED_OUT') {
            this.#logger.error(
              'Could not delete topics, check if "delete.topic.enable" is set to "true" (the default value is "false") or increase the timeout',
              { error: (err as Error).message },
            );
          }
          throw err;
        }),
      (e) => hasType(e, 'NOT_CONTROLLER', 'UNKNOWN_TOPIC_OR_PARTITION'),
    );
  }

  /**
   * Grows topics to `count` partitions. Resolves true (kafkajs's declared type; its implementation resolves
   * undefined); the first topic that fails rejects with its protocol error.
   */
  async createPartitions({
    topicPartitions,
    validateOnly,
    timeout,
  }: {
    validateOnly?: boolean;
    timeout?: number;
    topicPartitions: ITopicPartitionConfig[];
  }): Promise<boolean> {
    if (!topicPartitions || !Array.isArray(topicPartitions)) {
      throw new KafkaJSNonRetriableError(`Invalid topic partitions array ${String(topicPartitions)}`);
    }
    if (topicPartitions.length === 0) throw new KafkaJSNonRetriableError('Empty topic partitions array');
    if (topicPartitions.some((t) => typeof t?.topic !== 'string')) {
      throw new KafkaJSNonRetriableError('Invalid topic partitions array, the topic names have to be a valid string');
    }
    if (new Set(topicPartitions.map((t) => t.topic)).size < topicPartitions.length) {
      throw new KafkaJSNonRetriableError(
        'Invalid topic partitions array, it cannot have multiple entries for the same topic',
      );
    }
    for (const { topic, assignments } of topicPartitions) {
      if (assignments != null && (!Array.isArray(assignments) || assignments.length > 0)) {
        throw new KafkaJSNotImplemented(
          `assignments (topic "${topic}") are not supported: give the count only and let the controller place the new partitions' replicas`,
        );
      }
    }
    return this.#run(async (admin) => {
      const results = await admin.createPartitions(
        topicPartitions.map(({ topic, count }) => ({ topic, totalCount: count })),
        { validateOnly: validateOnly === true, timeoutMs: timeout ?? DEFAULT_TOPIC_TIMEOUT_MS },
      );
      const failed = results.find((r) => r.error);
      if (failed?.error) throw failed.error;
      // kafkajs resolves nothing here (its declarations say boolean).
      return undefined as unknown as boolean;
    });
  }

  /**
   * Partition metadata of the topics given, or of every topic. offlineReplicas: the replicas on brokers
   * the cluster does not list as live (what a metadata response reports).
   */
  async fetchTopicMetadata({ topics = [] }: { topics?: string[] } = { topics: [] }): Promise<{
    topics: Array<ITopicMetadata>;
  }> {
    if (topics) {
      for (const topic of topics) {
        if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
      }
    }
    return this.#run(async (admin) => {
      const names = topics && topics.length > 0 ? topics : await admin.listTopics({ includeInternal: true });
      if (names.length === 0) return { topics: [] };
      const [described, cluster] = await Promise.all([admin.describeTopics(names), admin.describeCluster()]);
      const live = new Set(cluster.brokers.map((b) => b.id));
      const failed = described.find((d) => d.error);
      if (failed?.error) throw failed.error;
      return {
        topics: described.map((d) => ({
          name: d.name,
          partitions: d.partitions.map((p): PartitionMetadata => ({
            partitionErrorCode: p.leader < 0 ? LEADER_NOT_AVAILABLE : 0,
            partitionId: p.partition,
            leader: p.leader,
            replicas: p.replicas,
            isr: p.isr,
            offlineReplicas: p.replicas.filter((r) => !live.has(r)),
          })),
        })),
      };
    });
  }

  /** Each partition's high watermark (`offset` and `high`) and log start offset (`low`), as strings. */
  async fetchTopicOffsets(topic: string): Promise<Array<SeekEntry & { high: string; low: string }>> {
    if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    return this.#retry(
      'fetch topic offsets',
      () => this.#run((admin) => topicOffsets(admin, topic)),
      (e) => hasType(e, 'UNKNOWN_TOPIC_OR_PARTITION'),
    );
  }

  /**
   * Each partition's offset of the first record at or after `timestamp`; the high watermark where there is
   * none, or when no timestamp is given.
   */
  async fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number): Promise<Array<SeekEntry>> {
    if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    return this.#retry(
      'fetch topic offsets by timestamp',
      () =>
        this.#run(async (admin) => {
          const tps = await partitionsOf(admin, topic);
          const [high, found] = await Promise.all([
            listOffsets(admin, tps, 'latest'),
            timestamp == null ? undefined : listOffsets(admin, tps, timestampSpec(timestamp)),
          ]);
          return tps.map(({ partition }) => {
            const at = found?.get(partition);
            return { partition, offset: String(at !== undefined && at >= 0 ? at : high.get(partition)) };
          });
        }),
      (e) => hasType(e, 'UNKNOWN_TOPIC_OR_PARTITION'),
    );
  }

  /**
   * A group's committed offsets: for every partition of the topics given ('-1' where nothing is
   * committed), or without topics for every partition it has committed. `metadata` is null: KafkaAdmin
   * does not return the commit's metadata string. resolveOffsets commits, in place of -1 / -2, the high
   * watermark / log start offset (the group must have no running member, as with setOffsets).
   */
  async fetchOffsets({
    groupId,
    topics,
    resolveOffsets = false,
  }: {
    groupId: string;
    topics?: string[];
    resolveOffsets?: boolean;
  }): Promise<Array<{ topic: string; partitions: FetchOffsetsPartition[] }>> {
    if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`);
    const names = topics ?? [];
    if (!Array.isArray(names)) throw new KafkaJSNonRetriableError('Expected topics array to be set');
    return this.#run(async (admin) => {
      let committed: GroupPartitionOffset[];
      if (names.length > 0) {
        const tps = (await Promise.all(names.map((t) => partitionsOf(admin, t)))).flat();
        committed = await admin.listConsumerGroupOffsets(groupId, tps);
      } else {
        committed = await admin.listConsumerGroupOffsets(groupId);
      }
      const failed = committed.find((c) => c.error);
      if (failed?.error) throw failed.error;
      const byTopic = new Map<string, Array<{ partition: number; offset: number }>>();
      for (const name of names) byTopic.set(name, []);
      for (const { topic, partition, offset } of committed) {
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push({ partition, offset: offset === OFFSET_INVALID ? -1 : offset });
      }
      const result = [...byTopic].map(([topic, partitions]) => ({
        topic,
        partitions: partitions.sort((a, b) => a.partition - b.partition),
      }));
      if (resolveOffsets) {
        for (const { topic, partitions } of result) {
          const resolved = await resolveLogical(
            admin,
            partitions.map(({ partition, offset }) => ({ topic, partition, offset })),
          );
          await this.#commit(admin, groupId, resolved);
          resolved.forEach((r, i) => (partitions[i].offset = r.offset));
        }
      }
      return result.map(({ topic, partitions }) => ({
        topic,
        partitions: partitions.map(({ partition, offset }) => ({ partition, offset: String(offset), metadata: null })),
      }));
    });
  }

  /**
   * Commits offsets for a group that has no running member (KafkaJSNonRetriableError otherwise, as
   * kafkajs). '-1' / '-2' commit the partition's high watermark / log start offset.
   */
  async setOffsets({
    groupId,
    topic,
    partitions,
  }: {
    groupId: string;
    topic: string;
    partitions: SeekEntry[];
  }): Promise<void> {
    if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`);
    if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    if (!partitions || partitions.length === 0) throw new KafkaJSNonRetriableError('Invalid partitions');
    const entries = partitions.map(({ partition, offset }) => ({ topic, partition, offset: offsetArg(offset) }));
    await this.#run(async (admin) => this.#commit(admin, groupId, await resolveLogical(admin, entries)));
  }

  /** Commits every partition of `topic` at its log start offset (earliest) or high watermark (default). */
  async resetOffsets({
    groupId,
    topic,
    earliest = false,
  }: {
    groupId: string;
    topic: string;
    earliest: boolean;
  }): Promise<void> {
    if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`);
    if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    await this.#run(async (admin) => {
      const tps = await partitionsOf(admin, topic);
      await this.#commit(
        admin,
        groupId,
        await resolveLogical(
          admin,
          tps.map((tp) => ({ ...tp, offset: earliest ? -2 : -1 })),
        ),
      );
    });
  }

  async describeCluster(): Promise<{
    brokers: Array<{ nodeId: number; host: string; port: number }>;
    controller: number | null;
    clusterId: string;
  }> {
    return this.#run(async (admin) => {
      const cluster = await admin.describeCluster();
      return {
        brokers: cluster.brokers.map(({ id, host, port }) => ({ nodeId: id, host, port })),
        controller: cluster.controller ? cluster.controller.id : null,
        // kafkajs passes the broker's value through: null from a broker too old to have cluster ids.
        clusterId: cluster.clusterId as string,
      };
    });
  }

  /**
   * Configs of topics and brokers (configNames: only those), with synonyms when includeSynonyms. The
   * first resource that fails rejects with its protocol error, as kafkajs.
   */
  async describeConfigs({
    resources,
    includeSynonyms,
  }: {
    resources: ResourceConfigQuery[];
    includeSynonyms: boolean;
  }): Promise<DescribeConfigResponse> {
    checkResources(resources);
    const invalidConfigs = resources.find((r) => !Array.isArray(r.configNames) && r.configNames != null);
    if (invalidConfigs) {
      throw new KafkaJSNonRetriableError(
        `Invalid resource configNames ${String(invalidConfigs.configNames)}: ${JSON.stringify(invalidConfigs)}`,
      );
    }
    const specs = resources.map(configResource);
    return this.#run(async (admin) => {
      const results = await admin.describeConfigs(specs);
      const failed = results.find((r) => r.error);
      if (failed?.error) throw failed.error;
      return {
        resources: results.map((r) => {
          const only = resources.find(
            (q) => CONFIG_RESOURCE_NAMES[q.type] === r.type && q.name === r.name,
          )?.configNames;
          const wanted = only && only.length > 0 ? new Set(only) : undefined;
          return {
            errorCode: 0,
            errorMessage: '',
            resourceType: CONFIG_RESOURCE_NUMBERS[r.type] as ConfigResourceTypes,
            resourceName: r.name,
            configEntries: r.configs
              .filter((c) => !wanted || wanted.has(c.name))
              .map((c) => configEntries(c, includeSynonyms === true)),
          };
        }),
        // kafkajs resolves `{ resources }` alone (its declarations add a throttleTime it never sets).
      } as DescribeConfigResponse;
    });
  }

  /**
   * Sets each resource's configs to exactly the entries given: the resource's other dynamic configs go
   * back to their defaults, as with kafkajs's (legacy, replacing) AlterConfigs. See the file comment.
   */
  async alterConfigs({ validateOnly, resources }: { validateOnly: boolean; resources: IResourceConfig[] }): Promise<{
    resources: Array<{
      errorCode: number;
      errorMessage: string | null;
      resourceType: ConfigResourceTypes;
      resourceName: string;
    }>;
  }> {
    checkResources(resources);
    const invalidConfigs = resources.find((r) => !Array.isArray(r.configEntries));
    if (invalidConfigs) {
      throw new KafkaJSNonRetriableError(
        `Invalid resource configEntries ${String(invalidConfigs.configEntries)}: ${JSON.stringify(invalidConfigs)}`,
      );
    }
    const invalidValue = resources.find((r) =>
      r.configEntries.some((e) => typeof e?.name !== 'string' || typeof e?.value !== 'string'),
    );
    if (invalidValue) {
      throw new KafkaJSNonRetriableError(`Invalid resource config value: ${JSON.stringify(invalidValue)}`);
    }
    const specs = resources.map(configResource);
    return this.#run(async (admin) => {
      const current = await admin.describeConfigs(specs);
      const missing = current.find((r) => r.error);
      if (missing?.error) throw missing.error;
      const changes = specs.map((spec, i) => {
        const given = resources[i].configEntries;
        const named = new Set(given.map((e) => e.name));
        const dynamic = DYNAMIC_SOURCE[spec.type as 'topic' | 'broker'];
        const stale = (current.find((r) => r.type === spec.type && r.name === spec.name)?.configs ?? []).filter(
          (c) => c.source === dynamic && !named.has(c.name),
        );
        return {
          ...spec,
          configs: [
            ...given.map((e) => ({ name: e.name, op: 'set' as const, value: e.value })),
            ...stale.map((c) => ({ name: c.name, op: 'delete' as const })),
          ],
        };
      });
      const results = await admin.incrementalAlterConfigs(changes, { validateOnly: validateOnly === true });
      const failed = results.find((r) => r.error);
      if (failed?.error) throw failed.error;
      return {
        resources: results.map((r) => ({
          errorCode: 0,
          errorMessage: null,
          resourceType: CONFIG_RESOURCE_NUMBERS[r.type] as ConfigResourceTypes,
          resourceName: r.name,
        })),
      };
    });
  }

  /**
   * Every group the brokers know. protocolType: '' for a group that only stores offsets (a "simple"
   * group), else 'consumer' (librdkafka does not report other protocol types, such as Connect's).
   */
  async listGroups(): Promise<{ groups: GroupOverview[] }> {
    return this.#run(async (admin) => {
      const { groups, errors } = await admin.listConsumerGroups();
      // A broker that could not be asked: kafkajs's listing asks each broker and fails with it.
      if (errors.length > 0) throw errors[0];
      return { groups: groups.map((g) => ({ groupId: g.groupId, protocolType: g.isSimple ? '' : 'consumer' })) };
    });
  }

  /**
   * Groups with their state, protocol and members. A group that does not exist is described as kafkajs
   * sees it: state 'Dead', no members, protocolType ''.
   */
  async describeGroups(groupIds: string[]): Promise<GroupDescriptions> {
    if (!groupIds || !Array.isArray(groupIds)) {
      throw new KafkaJSNonRetriableError(`Invalid groupIds array ${String(groupIds)}`);
    }
    if (groupIds.length === 0) return { groups: [] };
    // kafkajs retries each coordinator's DescribeGroups on any retriable error (a coordinator loading).
    const groups = await this.#retry(
      'describe groups',
      () => this.#run(async (admin) => (await admin.describeConsumerGroups(groupIds)).map(describedGroup)),
      (e) => (e as KafkaJSError).retriable === true,
    );
    return { groups };
  }

  /**
   * Deletes groups; resolves `[{ groupId, errorCode: 0 }]` when all were deleted. Otherwise the others
   * are still deleted and it rejects with KafkaJSDeleteGroupsError listing the failed groups.
   */
  async deleteGroups(groupIds: string[]): Promise<DeleteGroupsResult[]> {
    if (!groupIds || !Array.isArray(groupIds)) {
      throw new KafkaJSNonRetriableError(`Invalid groupIds array ${String(groupIds)}`);
    }
    const invalid = groupIds.find((g) => typeof g !== 'string');
    if (invalid !== undefined) {
      throw new KafkaJSNonRetriableError(`Invalid groupId name: ${JSON.stringify(invalid)}`);
    }
    if (groupIds.length === 0) return [];
    return this.#run(async (admin) => {
      const results = await admin.deleteConsumerGroups(groupIds);
      const failed = results.flatMap(({ groupId, error }) => {
        if (!error) return [];
        const converted = this.#error(error) as KafkaJSError;
        return [{ groupId, errorCode: errorCodeOf(converted), error: converted as KafkaJSProtocolError }];
      });
      if (failed.length > 0) throw new KafkaJSDeleteGroupsError('Error in DeleteGroups', failed);
      return results.map(({ groupId }) => ({ groupId, errorCode: 0 }));
    });
  }

  /** Deletes the records before each `offset` ('-1': all of them). Failed partitions reject together. */
  async deleteTopicRecords({ topic, partitions }: { topic: string; partitions: SeekEntry[] }): Promise<void> {
    if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic "${String(topic)}"`);
    if (!partitions || partitions.length === 0) throw new KafkaJSNonRetriableError('Invalid partitions');
    let pending = partitions.map(({ partition, offset }) => ({ partition, offset, value: offsetArg(offset) }));
    await this.#retry(
      'delete topic records',
      () =>
        this.#run(async (admin) => {
          const noLeader = () =>
            new KafkaJSBrokerNotFound('Could not find the leader for the partition', { retriable: false });
          let results: Array<{ partition: number; error?: KafkaError }>;
          try {
            results = await admin.deleteRecords(
              pending.map(({ partition, value }) => ({ topic, partition, offset: value })),
            );
          } catch (err) {
            // librdkafka fails the whole request (_NOENT) when none of the partitions has a leader it knows
            // of; kafkajs reports each such partition.
            if ((err as KafkaError).code !== '_NOENT') throw err;
            results = pending.map(({ partition }) => ({ partition, error: kafkaError('_UNKNOWN_PARTITION', '') }));
          }
          const failed: KafkaJSDeleteTopicRecordsErrorPartition[] = [];
          for (const r of results) {
            if (!r.error) continue;
            // kafkajs finds no leader for a partition the topic does not have, and says so.
            const error = r.error.code === '_UNKNOWN_PARTITION' ? noLeader() : (this.#error(r.error) as KafkaJSError);
            const offset = pending.find((p) => p.partition === r.partition)?.offset ?? '';
            failed.push({ partition: r.partition, offset, error });
          }
          if (failed.length === 0) return;
          // A retry sends only what failed, as kafkajs re-sends only to the brokers that failed.
          pending = pending.filter((p) => failed.some((f) => f.partition === p.partition));
          throw new KafkaJSDeleteTopicRecordsError({ topic, partitions: failed });
        }),
      (e) => (e as KafkaJSError).retriable === true,
    );
  }

  /** Creates ACL bindings; resolves true, or rejects with the first binding's protocol error. */
  async createAcls({ acl }: { acl: AclEntry[] }): Promise<boolean> {
    if (!acl || !Array.isArray(acl)) throw new KafkaJSNonRetriableError(`Invalid ACL array ${String(acl)}`);
    if (acl.length === 0) throw new KafkaJSNonRetriableError('Empty ACL array');
    checkAclStrings(acl, 'Invalid ACL array', false);
    checkAclTypes(acl);
    const bindings = acl.map((a) => aclFilter(a) as AclBinding);
    return this.#run(async (admin) => {
      const results = await admin.createAcls(bindings);
      const failed = results.find((r) => r.error);
      if (failed?.error) throw failed.error;
      return true;
    });
  }

  /** The bindings matching the filter, grouped by resource as kafkajs's response is. */
  async describeAcls(filter: AclFilter): Promise<DescribeAclResponse> {
    const f = (filter ?? {}) as Partial<AclFilter>;
    for (const [key, label] of [
      ['principal', 'principal'],
      ['host', 'host'],
      ['resourceName', 'resourceName'],
    ] as const) {
      if (typeof f[key] !== 'string' && typeof f[key] !== 'undefined') {
        throw new KafkaJSNonRetriableError(`Invalid ${label}, the ${label} have to be a valid string`);
      }
    }
    // kafkajs accepts any value of its enums here, UNKNOWN (0) included.
    if (!within(12)(f.operation)) throw new KafkaJSNonRetriableError(`Invalid operation type ${String(f.operation)}`);
    if (!within(4)(f.resourcePatternType)) {
      throw new KafkaJSNonRetriableError(`Invalid resource pattern filter type ${String(f.resourcePatternType)}`);
    }
    if (!within(3)(f.permissionType)) {
      throw new KafkaJSNonRetriableError(`Invalid permission type ${String(f.permissionType)}`);
    }
    if (!within(6)(f.resourceType))
      throw new KafkaJSNonRetriableError(`Invalid resource type ${String(f.resourceType)}`);
    const spec = aclFilter(f as AclFilter);
    return this.#run(async (admin) => {
      const bindings = await admin.describeAcls(spec);
      const resources = new Map<string, DescribeAclResource>();
      for (const b of bindings) {
        const key = `${b.resourceType}\0${b.patternType}\0${b.name}`;
        let resource = resources.get(key);
        if (!resource) {
          resource = {
            resourceType: aclNumber(ACL_RESOURCE_NAMES, b.resourceType) as AclResourceTypes,
            resourceName: b.name,
            resourcePatternType: aclNumber(PATTERN_NAMES, b.patternType) as ResourcePatternTypes,
            acls: [],
          };
          resources.set(key, resource);
        }
        resource.acls.push({
          principal: b.principal,
          host: b.host,
          operation: aclNumber(OPERATION_NAMES, b.operation) as AclOperationTypes,
          permissionType: aclNumber(PERMISSION_NAMES, b.permission) as AclPermissionTypes,
        });
      }
      // kafkajs resolves `{ resources }` alone (its declarations add fields it never sets).
      return { resources: [...resources.values()] } as DescribeAclResponse;
    });
  }

  /** Deletes the bindings each filter matches; one filterResponse per filter with what it deleted. */
  async deleteAcls({ filters }: { filters: AclFilter[] }): Promise<DeleteAclResponse> {
    if (!filters || !Array.isArray(filters)) {
      throw new KafkaJSNonRetriableError(`Invalid ACL Filter array ${String(filters)}`);
    }
    if (filters.length === 0) throw new KafkaJSNonRetriableError('Empty ACL Filter array');
    checkAclStrings(filters, 'Invalid ACL Filter array', true);
    checkAclTypes(filters);
    const specs = filters.map(aclFilter);
    return this.#run(async (admin) => {
      const results = await admin.deleteAcls(specs);
      const failed = results.find((r) => r.error);
      if (failed?.error) throw failed.error;
      // kafkajs resolves `{ filterResponses }` alone, each entry as Kafka's response has it.
      return {
        filterResponses: results.map((r) => ({
          errorCode: 0,
          errorMessage: null,
          matchingAcls: r.deleted.map((b) => ({
            errorCode: 0,
            errorMessage: null,
            resourceType: aclNumber(ACL_RESOURCE_NAMES, b.resourceType) as AclResourceTypes,
            resourceName: b.name,
            resourcePatternType: aclNumber(PATTERN_NAMES, b.patternType) as ResourcePatternTypes,
            principal: b.principal,
            host: b.host,
            operation: aclNumber(OPERATION_NAMES, b.operation) as AclOperationTypes,
            permissionType: aclNumber(PERMISSION_NAMES, b.permission) as AclPermissionTypes,
          })),
        })),
      } as unknown as DeleteAclResponse;
    });
  }

  /** librdkafka has no AlterPartitionReassignments call. */
  async alterPartitionReassignments(_request: { topics: PartitionReassignment[]; timeout?: number }): Promise<void> {
    throw new KafkaJSNotImplemented(
      'alterPartitionReassignments is not supported: librdkafka has no partition reassignment API (use kafka-reassign-partitions.sh or the Java Admin client)',
    );
  }

  /** librdkafka has no ListPartitionReassignments call. */
  async listPartitionReassignments(_request: {
    topics?: TopicPartitions[];
    timeout?: number;
  }): Promise<ListPartitionReassignmentsResponse> {
    throw new KafkaJSNotImplemented(
      'listPartitionReassignments is not supported: librdkafka has no partition reassignment API (use kafka-reassign-partitions.sh --verify or the Java Admin client)',
    );
  }

  /** The native client, created at the first call (kafkajs connects lazily too). */
  #admin(): Promise<KafkaAdmin> {
    if (!this.#engine) {
      const engine = this.#context.options('Admin', this.#config.retry).then((options) => new KafkaAdmin(options));
      this.#engine = engine;
      // Brokers that could not be resolved: the next call tries again.
      engine.catch(() => {
        if (this.#engine === engine) this.#engine = undefined;
      });
    }
    return this.#engine;
  }

  async #close(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    const admin = await engine?.catch(() => undefined);
    await admin?.close();
  }

  /** Runs a call on the client; whatever it throws rejects as a KafkaJS error. */
  async #run<T>(call: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
    try {
      return await call(await this.#admin());
    } catch (err) {
      throw this.#error(err);
    }
  }

  /**
   * KafkaAdmin's errors as kafkajs's. Its argument checks (TypeError, RangeError) catch what kafkajs leaves
   * to the broker to refuse; kafkajs's callers see KafkaJS errors only, so those are non-retriable ones.
   */
  #error(err: unknown): Error {
    if (err instanceof TypeError || err instanceof RangeError) {
      return new KafkaJSNonRetriableError(err.message, { cause: err });
    }
    return toKafkaJSError(err);
  }

  /**
   * kafkajs's retry loop for the errors a call retries (`retryOn`): up to `retries` more attempts, waiting
   * a randomized, exponentially growing time; then KafkaJSNumberOfRetriesExceeded with the last error.
   * Other errors reject as they are.
   */
  async #retry<T>(what: string, call: () => Promise<T>, retryOn: (e: Error) => boolean): Promise<T> {
    const options = this.#context.retry(this.#config.retry);
    const { factor, multiplier, maxRetryTime, retries } = options;
    const randomize = (time: number): number => {
      const delta = factor * time;
      return Math.ceil(time - delta + Math.random() * 2 * delta);
    };
    let retryTime = randomize(options.initialRetryTime);
    for (let retryCount = 0; ; retryCount++) {
      try {
        return await call();
      } catch (err) {
        const e = err as Error;
        if (!retryOn(e)) throw e;
        if (retryCount >= retries) throw new KafkaJSNumberOfRetriesExceeded(e, { retryCount, retryTime });
        this.#logger.warn(`Could not ${what}`, { error: e.message, retryCount, retryTime });
        await new Promise((resolve) => setTimeout(resolve, retryTime));
        retryTime = Math.min(randomize(retryTime) * multiplier, maxRetryTime);
      }
    }
  }

  /**
   * Commits offsets for a group, refusing (as kafkajs does) while it has running members: Kafka would
   * refuse the commit of a non-member anyway, with a less telling error (UNKNOWN_MEMBER_ID).
   */
  async #commit(admin: KafkaAdmin, groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    const [group] = await admin.describeConsumerGroups([groupId]);
    const state = group ? describedGroup(group).state : 'Dead';
    if (state !== 'Empty' && state !== 'Dead') {
      throw new KafkaJSNonRetriableError(`The consumer group must have no running instances, current state: ${state}`);
    }
    if (offsets.length === 0) return;
    const results = await admin.alterConsumerGroupOffsets(groupId, offsets);
    const failed = results.find((r) => r.error);
    if (failed?.error) throw failed.error;
  }
}

/** kafkajs's checks of createTopics' configEntries. */
function checkConfigEntries(topic: string, configEntries: unknown): void {
  if (configEntries == null) return;
  if (!Array.isArray(configEntries)) {
    throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}", must be an array`);
  }
  configEntries.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) {
      throw new KafkaJSNonRetriableError(
        `Invalid configEntries for topic "${topic}". Entry ${index} must be an object`,
      );
    }
    for (const property of ['name', 'value']) {
      if (!Object.hasOwn(entry, property) || typeof (entry as Record<string, unknown>)[property] !== 'string') {
        throw new KafkaJSNonRetriableError(
          `Invalid configEntries for topic "${topic}". Entry ${index} must have a valid "${property}" property`,
        );
      }
    }
  });
}

/** kafkajs's checks shared by describeConfigs and alterConfigs. */
function checkResources(resources: Array<{ type: number; name: string }>): void {
  if (!resources || !Array.isArray(resources)) {
    throw new KafkaJSNonRetriableError(`Invalid resources array ${String(resources)}`);
  }
  if (resources.length === 0) throw new KafkaJSNonRetriableError('Resources array cannot be empty');
  const invalidType = resources.find((r) => ![0, 2, 4, 8].includes(r?.type));
  if (invalidType) {
    throw new KafkaJSNonRetriableError(
      `Invalid resource type ${String(invalidType?.type)}: ${JSON.stringify(invalidType)}`,
    );
  }
  const invalidName = resources.find((r) => !r.name || typeof r.name !== 'string');
  if (invalidName) {
    throw new KafkaJSNonRetriableError(
      `Invalid resource name ${String(invalidName.name)}: ${JSON.stringify(invalidName)}`,
    );
  }
}

/** A kafkajs config resource as KafkaAdmin names it; librdkafka cannot address broker loggers. */
function configResource({ type, name }: { type: number; name: string }): ConfigResource {
  const resourceType = CONFIG_RESOURCE_NAMES[type];
  if (resourceType === undefined) {
    throw new KafkaJSNotImplemented(
      `config resource type ${type} is not supported: librdkafka describes and alters the configs of topics (ConfigResourceTypes.TOPIC) and brokers (ConfigResourceTypes.BROKER)`,
    );
  }
  return { type: resourceType, name };
}

function configEntries(c: NapiConfigEntry, includeSynonyms: boolean): ConfigEntries {
  return {
    configName: c.name,
    // Sensitive values come back null from Kafka, which kafkajs passes through.
    configValue: c.value as string,
    readOnly: c.isReadOnly,
    isDefault: c.isDefault,
    configSource: (CONFIG_SOURCE_NUMBERS[c.source] ?? 0) as ConfigSource,
    isSensitive: c.isSensitive,
    configSynonyms: includeSynonyms
      ? c.synonyms.map((s) => ({
          configName: s.name,
          configValue: s.value as string,
          configSource: (CONFIG_SOURCE_NUMBERS[s.source] ?? 0) as ConfigSource,
        }))
      : [],
  };
}

/** A group as kafkajs's DescribeGroups response gives it (with its `errorCode`, 0). */
function describedGroup(g: ConsumerGroupDescription): DescribedGroup {
  if (g.error) {
    // Newer brokers answer GROUP_ID_NOT_FOUND where those kafkajs's DescribeGroups version talks to
    // describe the group as Dead.
    if (g.error.code !== 'GROUP_ID_NOT_FOUND') throw g.error;
    return { errorCode: 0, groupId: g.groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
  }
  return {
    errorCode: 0,
    groupId: g.groupId,
    state: GROUP_STATES[g.state] ?? 'Unknown',
    protocolType: g.isSimple ? '' : 'consumer',
    protocol: g.protocol,
    members: g.members.map((m) => {
      const assignment: Record<string, number[]> = {};
      for (const { topic, partition } of m.assignment) (assignment[topic] ??= []).push(partition);
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.host,
        memberMetadata: AssignerProtocol.MemberMetadata.encode({
          version: 0,
          topics: Object.keys(assignment),
          userData: Buffer.alloc(0),
        }),
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment,
          userData: Buffer.alloc(0),
        }),
      };
    }),
  };
}

/** A topic's partitions, ascending; an unknown topic rejects (UNKNOWN_TOPIC_OR_PARTITION). */
async function partitionsOf(admin: KafkaAdmin, topic: string): Promise<TopicPartition[]> {
  const [described] = await admin.describeTopics([topic]);
  if (described.error) throw described.error;
  return described.partitions.map(({ partition }) => ({ topic, partition }));
}

/** Offsets by partition for one spec; the first partition that fails rejects. */
async function listOffsets(
  admin: KafkaAdmin,
  tps: TopicPartition[],
  spec: 'earliest' | 'latest' | { timestamp: number },
): Promise<Map<number, number>> {
  const results = await admin.listOffsets(tps, spec);
  const failed = results.find((r) => r.error);
  if (failed?.error) throw failed.error;
  return new Map(results.map((r) => [r.partition, r.offset]));
}

async function topicOffsets(
  admin: KafkaAdmin,
  topic: string,
): Promise<Array<SeekEntry & { high: string; low: string }>> {
  const tps = await partitionsOf(admin, topic);
  const [high, low] = await Promise.all([listOffsets(admin, tps, 'latest'), listOffsets(admin, tps, 'earliest')]);
  return tps.map(({ partition }) => {
    const offset = String(high.get(partition));
    return { partition, offset, high: offset, low: String(low.get(partition)) };
  });
}

/** ListOffsets' own sentinels, which kafkajs passes through as timestamps: -1 latest, -2 earliest. */
function timestampSpec(timestamp: number): 'earliest' | 'latest' | { timestamp: number } {
  return timestamp === -1 ? 'latest' : timestamp === -2 ? 'earliest' : { timestamp };
}

/** kafkajs's offsets are strings of an int64; the engine takes safe integers, -1 and -2 (latest, earliest). */
function offsetArg(offset: string | number): number {
  const value = typeof offset === 'string' && offset.trim() !== '' ? Number(offset) : offset;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < -2) {
    throw new KafkaJSNonRetriableError(`Invalid offset ${String(offset)}`);
  }
  return value;
}

/** -1 / -2 (kafkajs's latest / earliest) become the partition's high watermark / log start offset. */
async function resolveLogical(admin: KafkaAdmin, offsets: TopicPartitionOffset[]): Promise<TopicPartitionOffset[]> {
  const pick = (logical: number) => offsets.filter((o) => o.offset === logical);
  const [latest, earliest] = await Promise.all(
    ([-1, -2] as const).map(async (logical) => {
      const tps = pick(logical);
      if (tps.length === 0) return new Map<string, number>();
      const results = await admin.listOffsets(tps, logical === -1 ? 'latest' : 'earliest');
      const failed = results.find((r) => r.error);
      if (failed?.error) throw failed.error;
      return new Map(results.map((r) => [`${r.topic}\0${r.partition}`, r.offset]));
    }),
  );
  return offsets.map((o) => {
    const table = o.offset === -1 ? latest : o.offset === -2 ? earliest : undefined;
    const offset = table?.get(`${o.topic}\0${o.partition}`);
    return offset === undefined ? o : { ...o, offset };
  });
}

/** kafkajs's string checks of ACL entries (optional fields may be left out of filters). */
function checkAclStrings(list: Array<Partial<AclFilter>>, prefix: string, optional: boolean): void {
  const ok = (v: unknown) => typeof v === 'string' || (optional && v === undefined);
  if (list.some((a) => !ok(a?.principal))) {
    throw new KafkaJSNonRetriableError(`${prefix}, the principals have to be a valid string`);
  }
  if (list.some((a) => !ok(a?.host)))
    throw new KafkaJSNonRetriableError(`${prefix}, the hosts have to be a valid string`);
  if (list.some((a) => !ok(a?.resourceName))) {
    throw new KafkaJSNonRetriableError(`${prefix}, the resourceNames have to be a valid string`);
  }
}

/** A value of one of kafkajs's ACL enums, which number their members 0..max. */
function within(max: number): (n: unknown) => boolean {
  return (n) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
}

/** kafkajs's enum checks of ACL entries and filters. */
function checkAclTypes(list: Array<Partial<AclFilter>>): void {
  const check = (key: keyof AclFilter, label: string, valid: (n: unknown) => boolean) => {
    const invalid = list.find((a) => !valid(a?.[key]));
    if (invalid) {
      throw new KafkaJSNonRetriableError(`Invalid ${label} ${String(invalid?.[key])}: ${JSON.stringify(invalid)}`);
    }
  };
  check('operation', 'operation type', within(12));
  check('resourcePatternType', 'resource pattern type', within(4));
  check('permissionType', 'permission type', within(3));
  check('resourceType', 'resource type', within(6));
}

/** A kafkajs ACL entry or filter as KafkaAdmin takes it. */
function aclFilter(a: Partial<AclFilter>): AclBindingFilter {
  const name = <T extends string>(table: Readonly<Record<number, T>>, value: number | undefined, what: string): T => {
    const found = value === undefined ? undefined : table[value];
    if (found === undefined && value === 6 && what === 'resource type') {
      throw new KafkaJSNotImplemented(
        'ACLs on delegation tokens (AclResourceTypes.DELEGATION_TOKEN) are not supported: librdkafka has no such resource type',
      );
    }
    // UNKNOWN (0): kafkajs sends it and the broker refuses the request; librdkafka cannot encode it.
    if (found === undefined) throw new KafkaJSNonRetriableError(`Invalid ${what} ${String(value)}`);
    return found;
  };
  return {
    resourceType: name(ACL_RESOURCE_NAMES, a.resourceType, 'resource type'),
    name: a.resourceName ?? null,
    patternType: name(PATTERN_NAMES, a.resourcePatternType, 'resource pattern type'),
    principal: a.principal ?? null,
    host: a.host ?? null,
    operation: name(OPERATION_NAMES, a.operation, 'operation'),
    permission: name(PERMISSION_NAMES, a.permissionType, 'permission type'),
  };
}

/** A KafkaAdmin ACL name back to kafkajs's number (0, UNKNOWN, for one it does not know). */
function aclNumber(table: Readonly<Record<number, string>>, value: string): number {
  for (const [n, v] of Object.entries(table)) if (v === value) return Number(n);
  return 0;
}

function hasType(e: unknown, ...types: string[]): boolean {
  const type = (e as { type?: unknown } | null)?.type;
  return typeof type === 'string' && types.includes(type);
}

/** kafkajs's protocol error code of an error; -1 for one that is not a protocol error. */
function errorCodeOf(e: Error): number {
  const code = (e as { code?: unknown }).code;
  return e instanceof KafkaJSProtocolError && typeof code === 'number' ? code : -1;
}
