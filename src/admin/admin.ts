/**
 * KafkaAdmin: topic and cluster administration. Requests go out asynchronously through librdkafka's
 * Admin API; results come back on a private queue and are matched to promises by request id.
 */
import { KafkaClient } from '../client/base';
import { COMMON_OPTIONS, toRdkafka, type OptionTable } from '../core/config';
import { kafkaError, type KafkaError } from '../core/errors';
import { addon, type NativeAdmin, type NativeAdminResult } from '../native/addon';
import { PendingRequests } from '../client/pending';
import type { TopicPartition, TopicPartitionOffset } from '../core/types';
import {
  arrayArg,
  integerArg,
  isPlainObject,
  MAX_PARTITION,
  optionsArg,
  plainObjectArg,
  show,
  topicArg,
  topicPartitionsArg,
  typeName,
} from '../core/validate';
import {
  aclBinding,
  broker,
  configEntry,
  groupDescription,
  operations,
  partitionOffsets,
  topicDescription,
  withError,
} from './convert';
import {
  ACL_OPERATIONS,
  ACL_PERMISSIONS,
  ALTER_CONFIG_OPS,
  ELECTION_TYPES,
  GROUP_STATES,
  GROUP_TYPES,
  ISOLATION_LEVELS,
  OFFSET_SPECS,
  PATTERN_TYPES,
  RESOURCE_TYPES,
  SCRAM_MECHANISMS,
  type ConsumerGroupState,
  type ConsumerGroupType,
  type ElectionType,
  type IsolationLevel,
} from './enums';
import type {
  AclBinding,
  AclBindingFilter,
  AdminCallOptions,
  AdminOptions,
  AlterConfigsResource,
  AlterConfigsResult,
  ClusterDescription,
  ConfigResource,
  ConfigResourceResult,
  ConsumerGroupDescription,
  DeleteAclsResult,
  DeleteRecordsResult,
  GroupPartitionOffset,
  GroupResult,
  ItemResult,
  ListConsumerGroupsResult,
  ListOffsetsResult,
  NewTopic,
  OffsetSpec,
  PartitionResult,
  ScramDeletion,
  ScramUpsertion,
  TopicDescription,
  TopicResult,
  UserResult,
  UserScramCredentials,
} from './types';

const ADMIN_OPTIONS: OptionTable = { ...COMMON_OPTIONS };
const DEFAULT_TIMEOUT_MS = 30_000;
/** librdkafka's Admin API takes request timeouts of at most one hour. */
const MAX_ADMIN_TIMEOUT_MS = 3_600_000;

/** The `timeoutMs` of an admin call's options: an integer in [0, 1 hour]. */
function adminTimeout(options: Record<string, unknown>): number {
  const value = options.timeoutMs;
  return value === undefined ? DEFAULT_TIMEOUT_MS : integerArg(value, 'timeoutMs', 0, MAX_ADMIN_TIMEOUT_MS);
}

/** numPartitions / replicationFactor: a positive integer, or -1 for the broker's default. */
function countArg(value: unknown, name: string, max: number): number {
  if (value === undefined || value === -1) return -1;
  return integerArg(value, name, 1, max);
}

/** Longest SCRAM password alterUserScramCredentials accepts (see there). */
const MAX_SCRAM_PASSWORD_BYTES = 1024;

export class KafkaAdmin extends KafkaClient<NativeAdmin> {
  readonly #pending = new PendingRequests<NativeAdminResult>(() => this.setBusy(this.#pending.size > 0));

  constructor(options: AdminOptions) {
    const config = toRdkafka({ kind: 'KafkaAdmin', table: ADMIN_OPTIONS }, options);
    super('KafkaAdmin', options, (wake) => new addon.Admin(config, wake));
  }

  /**
   * Creates topics; resolves when the controller has created them all and every partition has a leader.
   * When any topic fails, rejects with the first failure, whose `results` hold every topic's outcome.
   */
  async createTopics(topics: NewTopic[], options?: { validateOnly?: boolean; timeoutMs?: number }): Promise<void> {
    this.checkUsable();
    // Array.from: a sparse array's holes become undefined (and a TypeError) instead of being skipped.
    const specs = Array.from(arrayArg(topics, 'topics'), (t, i) => {
      if (!isPlainObject(t)) throw new TypeError(`topics[${i}] must be a plain object, got ${typeName(t)}`);
      const configs = t.configs ?? {};
      if (!isPlainObject(configs)) {
        throw new TypeError(`topics[${i}].configs must be a plain object, got ${typeName(configs)}`);
      }
      return {
        name: topicArg(t.name, `topics[${i}].name`),
        numPartitions: countArg(t.numPartitions, `topics[${i}].numPartitions`, MAX_PARTITION),
        // Kafka's replication factor is an int16.
        replicationFactor: countArg(t.replicationFactor, `topics[${i}].replicationFactor`, 32_767),
        configs: Object.entries(configs).flatMap(([k, v]) => {
          if (!['string', 'number', 'boolean'].includes(typeof v)) {
            throw new TypeError(`topics[${i}].configs['${k}'] must be a string, got ${typeName(v)}`);
          }
          return [k, String(v)];
        }),
      };
    });
    const opts = optionsArg(options);
    const timeoutMs = adminTimeout(opts);
    if (opts.validateOnly !== undefined && typeof opts.validateOnly !== 'boolean') {
      throw new TypeError(`validateOnly must be a boolean, got ${typeName(opts.validateOnly)}`);
    }
    const validateOnly = opts.validateOnly === true;
    if (specs.length === 0) return;
    const deadline = Date.now() + timeoutMs;
    const result = await this.#call((id) => this.native.createTopics(id, specs, validateOnly, timeoutMs));
    throwFirstTopicError(result);
    if (!validateOnly)
      await this.#awaitLeaders(
        specs.map((s) => s.name),
        deadline,
      );
  }

  /**
   * The controller has created the topics, but brokers learn of them asynchronously: wait until the
   * metadata this client sees lists every partition with a leader, so the topics are usable at once.
   */
  async #awaitLeaders(names: string[], deadline: number): Promise<void> {
    for (;;) {
      const md = await this.auth.guard(
        this.native.metadata(null, Math.min(MAX_ADMIN_TIMEOUT_MS, Math.max(1000, deadline - Date.now()))),
      );
      const ready = names.every((name) => {
        const t = md.topics.find((x) => x.name === name);
        return (
          t !== undefined &&
          t.error === 'NO_ERROR' &&
          t.partitions.length > 0 &&
          t.partitions.every((p) => p.leader >= 0)
        );
      });
      if (ready) return;
      if (Date.now() > deadline) {
        throw kafkaError('_TIMED_OUT', `topics created but not all partitions have a leader yet: ${names.join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Deletes topics; when any fails, rejects with the first failure, whose `results` hold every topic's outcome. */
  async deleteTopics(names: string[], options?: { timeoutMs?: number }): Promise<void> {
    this.checkUsable();
    const list = Array.from(arrayArg(names, 'names'), (n, i) => topicArg(n, `names[${i}]`));
    const timeoutMs = adminTimeout(optionsArg(options));
    if (list.length === 0) return;
    const result = await this.#call((id) => this.native.deleteTopics(id, list, timeoutMs));
    throwFirstTopicError(result);
  }

  /** Names of the cluster's topics, sorted; internal ones (`__consumer_offsets`...) only with includeInternal. */
  async listTopics(options?: AdminCallOptions & { includeInternal?: boolean }): Promise<string[]> {
    this.checkUsable();
    const opts = optionsArg(options);
    const includeInternal = booleanOption(opts, 'includeInternal');
    const md = await this.auth.guard(this.native.metadata(null, adminTimeout(opts)));
    return md.topics
      .map((t) => t.name)
      .filter((n) => includeInternal || !n.startsWith('__'))
      .sort();
  }

  /**
   * Partitions (leader, replicas, in-sync replicas), topic id and, with includeAuthorizedOperations, what
   * this principal may do. One item per name; an unknown topic is an item with `error`.
   */
  async describeTopics(
    names: string[],
    options?: AdminCallOptions & { includeAuthorizedOperations?: boolean },
  ): Promise<Array<TopicDescription & ItemResult>> {
    this.checkUsable();
    const list = Array.from(arrayArg(names, 'names'), (n, i) => topicArg(n, `names[${i}]`));
    const opts = optionsArg(options);
    const timeoutMs = adminTimeout(opts);
    const authorized = booleanOption(opts, 'includeAuthorizedOperations');
    if (list.length === 0) return [];
    // librdkafka sends DescribeTopics to the controller it last heard of and, while that broker is down,
    // waits for it until the timeout — exactly when users look at their topics (a broker just died).
    // A metadata request goes to any live broker: the request follows to the broker that answered it.
    const deadline = Date.now() + timeoutMs;
    // (All topics: asking for one by name could auto-create it.)
    const md = await this.auth.guard(this.native.metadata(null, timeoutMs));
    const left = Math.max(0, deadline - Date.now());
    const result = await this.#call((id) => this.native.describeTopics(id, list, authorized, left, md.origBrokerId));
    const byName = new Map((result.descriptions ?? []).map((d) => [d.name, topicDescription(d)]));
    return list.map(
      (name) =>
        byName.get(name) ?? {
          name,
          partitions: [],
          error: kafkaError('UNKNOWN_TOPIC_OR_PART', `no result for ${name}`),
        },
    );
  }

  async describeCluster(
    options?: AdminCallOptions & { includeAuthorizedOperations?: boolean },
  ): Promise<ClusterDescription> {
    this.checkUsable();
    const opts = optionsArg(options);
    const timeoutMs = adminTimeout(opts);
    const authorized = booleanOption(opts, 'includeAuthorizedOperations');
    const result = await this.#call((id) => this.native.describeCluster(id, authorized, timeoutMs));
    const cluster = result.cluster;
    if (!cluster) throw kafkaError('_FAIL', 'describeCluster returned no result');
    return {
      clusterId: cluster.clusterId,
      controller: cluster.controller ? broker(cluster.controller) : null,
      brokers: cluster.brokers.map(broker),
      ...operations(cluster.authorizedOperations),
    };
  }

  /**
   * Grows a topic to `totalCount` partitions (Kafka never shrinks one). With a list, one item per topic;
   * with one topic, rejects on its failure.
   */
  async createPartitions(
    topic: string,
    totalCount: number,
    options?: AdminCallOptions & { validateOnly?: boolean },
  ): Promise<void>;
  async createPartitions(
    topics: Array<{ topic: string; totalCount: number }>,
    options?: AdminCallOptions & { validateOnly?: boolean },
  ): Promise<TopicResult[]>;
  async createPartitions(
    first: string | Array<{ topic: string; totalCount: number }>,
    second?: number | (AdminCallOptions & { validateOnly?: boolean }),
    third?: AdminCallOptions & { validateOnly?: boolean },
  ): Promise<void | TopicResult[]> {
    this.checkUsable();
    const single = !Array.isArray(first);
    const specs = single
      ? [{ topic: topicArg(first, 'topic'), totalCount: integerArg(second, 'totalCount', 1, MAX_PARTITION) }]
      : Array.from(first, (t, i) => {
          const spec = plainObjectArg(t, `topics[${i}]`);
          return {
            topic: topicArg(spec.topic, `topics[${i}].topic`),
            totalCount: integerArg(spec.totalCount, `topics[${i}].totalCount`, 1, MAX_PARTITION),
          };
        });
    const opts = optionsArg(single ? third : second);
    const timeoutMs = adminTimeout(opts);
    const validateOnly = booleanOption(opts, 'validateOnly');
    if (specs.length === 0) return [];
    const result = await this.#call((id) => this.native.createPartitions(id, specs, validateOnly, timeoutMs));
    const items = (result.topics ?? []).map((t) => withError({ name: t.name }, t.error));
    if (!single) return items;
    if (items[0]?.error) throw items[0].error;
  }

  /**
   * Elects leaders: 'preferred' moves leadership back to each partition's first replica (after a broker
   * came back), 'unclean' lets an out-of-sync replica lead a partition that has no leader. Without
   * partitions, every partition of the cluster. Partitions already led by their preferred replica come
   * back with ELECTION_NOT_NEEDED.
   */
  async electLeaders(
    type: ElectionType,
    partitions?: TopicPartition[] | null,
    options?: AdminCallOptions,
  ): Promise<PartitionResult[]> {
    this.checkUsable();
    const electionType = ELECTION_TYPES.toNative(type, 'type');
    const cols = partitions == null ? null : topicPartitionsArg(partitions, 'partitions');
    const timeoutMs = adminTimeout(optionsArg(options));
    const result = await this.#call((id) =>
      this.native.electLeaders(id, electionType, cols?.topics ?? null, cols?.partitions ?? null, timeoutMs),
    );
    return (result.partitions ?? []).map((p) => withError({ topic: p.topic, partition: p.partition }, p.error));
  }

  /** Every group the brokers know, optionally only those in some states or of some types. */
  async listConsumerGroups(
    options?: AdminCallOptions & { states?: ConsumerGroupState[]; types?: ConsumerGroupType[] },
  ): Promise<ListConsumerGroupsResult> {
    this.checkUsable();
    const opts = optionsArg(options);
    const states = Array.from(arrayArg(opts.states ?? [], 'states'), (s, i) =>
      GROUP_STATES.toNative(s, `states[${i}]`),
    );
    const types = Array.from(arrayArg(opts.types ?? [], 'types'), (t, i) => GROUP_TYPES.toNative(t, `types[${i}]`));
    const timeoutMs = adminTimeout(opts);
    const result = await this.#call((id) => this.native.listConsumerGroups(id, states, types, timeoutMs));
    return {
      groups: (result.groups ?? [])
        .map((g) => ({
          groupId: g.groupId,
          isSimple: g.isSimple,
          state: GROUP_STATES.fromNative(g.state),
          type: GROUP_TYPES.fromNative(g.type),
        }))
        .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0)),
      errors: (result.errors ?? []) as KafkaError[],
    };
  }

  /** Members, their assignments, state, protocol and coordinator: one item per group id. */
  async describeConsumerGroups(
    groupIds: string[],
    options?: AdminCallOptions & { includeAuthorizedOperations?: boolean },
  ): Promise<ConsumerGroupDescription[]> {
    this.checkUsable();
    const ids = groupIdsArg(groupIds, 'groupIds');
    const opts = optionsArg(options);
    const timeoutMs = adminTimeout(opts);
    const authorized = booleanOption(opts, 'includeAuthorizedOperations');
    if (ids.length === 0) return [];
    const result = await this.#call((id) => this.native.describeConsumerGroups(id, ids, authorized, timeoutMs));
    return inRequestOrder(result.groups ?? [], ids, (g) => g.groupId).map(groupDescription);
  }

  /** Deletes groups (each must be empty: no active member). One item per group id. */
  async deleteConsumerGroups(groupIds: string[], options?: AdminCallOptions): Promise<GroupResult[]> {
    this.checkUsable();
    const ids = groupIdsArg(groupIds, 'groupIds');
    const timeoutMs = adminTimeout(optionsArg(options));
    if (ids.length === 0) return [];
    const result = await this.#call((id) => this.native.deleteConsumerGroups(id, ids, timeoutMs));
    return inRequestOrder(result.groupResults ?? [], ids, (g) => g.groupId).map((g) =>
      withError({ groupId: g.groupId }, g.error),
    );
  }

  /**
   * The group's committed offsets (all its partitions, or those given). With `withLag`, each partition's
   * lag: its latest offset minus the committed one (null where nothing is committed).
   */
  async listConsumerGroupOffsets(
    groupId: string,
    partitions?: TopicPartition[] | null,
    options?: AdminCallOptions & { requireStable?: boolean; withLag?: boolean },
  ): Promise<GroupPartitionOffset[]> {
    this.checkUsable();
    const group = groupIdArg(groupId, 'groupId');
    const cols = partitions == null ? null : topicPartitionsArg(partitions, 'partitions');
    const opts = optionsArg(options);
    const timeoutMs = adminTimeout(opts);
    const requireStable = booleanOption(opts, 'requireStable');
    const withLag = booleanOption(opts, 'withLag');
    if (cols && cols.topics.length === 0) return [];
    const result = await this.#call((id) =>
      this.native.listConsumerGroupOffsets(
        id,
        group,
        cols?.topics ?? null,
        cols?.partitions ?? null,
        requireStable,
        timeoutMs,
      ),
    );
    const offsets = this.#groupItems(result);
    if (!withLag || offsets.length === 0) return offsets;
    const ends = await this.listOffsets(offsets, 'latest', { timeoutMs });
    const end = new Map(ends.map((e) => [`${e.topic}\0${e.partition}`, e]));
    return offsets.map((o) => {
      const e = end.get(`${o.topic}\0${o.partition}`);
      if (!e || e.error || o.error) return { ...o, lag: null };
      return { ...o, lag: o.offset < 0 ? null : Math.max(0, e.offset - o.offset) };
    });
  }

  /**
   * Sets a group's committed offsets (the next record each partition's consumer reads). The group must
   * have no active member (Kafka refuses otherwise). One item per partition.
   */
  async alterConsumerGroupOffsets(
    groupId: string,
    offsets: TopicPartitionOffset[],
    options?: AdminCallOptions,
  ): Promise<GroupPartitionOffset[]> {
    this.checkUsable();
    const group = groupIdArg(groupId, 'groupId');
    const cols = topicPartitionsArg(offsets, 'offsets', 'absolute', { offsetRequired: true });
    const timeoutMs = adminTimeout(optionsArg(options));
    if (cols.topics.length === 0) return [];
    const result = await this.#call((id) =>
      this.native.alterConsumerGroupOffsets(id, group, cols.topics, cols.partitions, cols.offsets, timeoutMs),
    );
    return this.#groupItems(result);
  }

  /** Forgets a group's committed offsets for some partitions. One item per partition. */
  async deleteConsumerGroupOffsets(
    groupId: string,
    partitions: TopicPartition[],
    options?: AdminCallOptions,
  ): Promise<PartitionResult[]> {
    this.checkUsable();
    const group = groupIdArg(groupId, 'groupId');
    const cols = topicPartitionsArg(partitions, 'partitions');
    const timeoutMs = adminTimeout(optionsArg(options));
    if (cols.topics.length === 0) return [];
    const result = await this.#call((id) =>
      this.native.deleteConsumerGroupOffsets(id, group, cols.topics, cols.partitions, timeoutMs),
    );
    return this.#groupItems(result).map(({ topic, partition, error }) => withError({ topic, partition }, error));
  }

  /** A single group's result: its error rejects, its partitions become items. */
  #groupItems(result: NativeAdminResult): GroupPartitionOffset[] {
    const group = result.groupResults?.[0];
    if (!group) throw kafkaError('_FAIL', 'no group in the result');
    if (group.error) throw group.error;
    return partitionOffsets(group.partitions);
  }

  /** Every config of each resource, with its source, flags and synonyms. One item per resource. */
  async describeConfigs(resources: ConfigResource[], options?: AdminCallOptions): Promise<ConfigResourceResult[]> {
    this.checkUsable();
    const specs = Array.from(arrayArg(resources, 'resources'), (r, i) => resourceArg(r, `resources[${i}]`));
    const timeoutMs = adminTimeout(optionsArg(options));
    if (specs.length === 0) return [];
    const result = await this.#call((id) => this.native.describeConfigs(id, specs, timeoutMs));
    return (result.resources ?? []).map((r) =>
      withError(
        {
          type: RESOURCE_TYPES.fromNative(r.type) as ConfigResource['type'],
          name: r.name,
          configs: (r.configs ?? []).map(configEntry),
        },
        r.error,
      ),
    );
  }

  /**
   * Changes only the configs named (set, delete back to the default, append to / subtract from a list);
   * the others keep their values. One item per resource.
   */
  async incrementalAlterConfigs(
    resources: AlterConfigsResource[],
    options?: AdminCallOptions & { validateOnly?: boolean },
  ): Promise<AlterConfigsResult[]> {
    this.checkUsable();
    const specs = Array.from(arrayArg(resources, 'resources'), (r, i) => {
      const at = `resources[${i}]`;
      const { type, name } = resourceArg(r, at);
      const configs = arrayArg((r as { configs?: unknown }).configs, `${at}.configs`);
      const ops = Array.from(configs, (c, j) => {
        const entry = plainObjectArg(c, `${at}.configs[${j}]`);
        const op = ALTER_CONFIG_OPS.toNative(entry.op ?? 'set', `${at}.configs[${j}].op`);
        const value = entry.value;
        if (
          op !== ALTER_CONFIG_OPS.toNative('delete', 'op') &&
          !['string', 'number', 'boolean'].includes(typeof value)
        ) {
          throw new TypeError(`${at}.configs[${j}].value must be a string, number or boolean, got ${typeName(value)}`);
        }
        if (typeof entry.name !== 'string' || entry.name === '') {
          throw new TypeError(`${at}.configs[${j}].name must be a non-empty string, got ${show(entry.name)}`);
        }
        return { name: entry.name, op, value: value === undefined || value === null ? null : String(value) };
      });
      return { type, name, ops };
    });
    const opts = optionsArg(options);
    const timeoutMs = adminTimeout(opts);
    const validateOnly = booleanOption(opts, 'validateOnly');
    if (specs.length === 0) return [];
    const result = await this.#call((id) => this.native.incrementalAlterConfigs(id, specs, validateOnly, timeoutMs));
    return (result.resources ?? []).map((r) =>
      withError({ type: RESOURCE_TYPES.fromNative(r.type) as ConfigResource['type'], name: r.name }, r.error),
    );
  }

  /**
   * Deletes every record before `offset` in each partition (-1: up to the partition's end). Each item has
   * the partition's new beginning offset.
   */
  async deleteRecords(offsets: TopicPartitionOffset[], options?: AdminCallOptions): Promise<DeleteRecordsResult[]> {
    this.checkUsable();
    const list = arrayArg(offsets, 'offsets');
    const cols = topicPartitionsArg(
      list.map((o) => (isPlainObject(o) && o.offset === -1 ? { ...o, offset: 0 } : o)),
      'offsets',
      'absolute',
      { offsetRequired: true },
    );
    list.forEach((o, i) => {
      if (isPlainObject(o) && o.offset === -1) cols.offsets[i] = -1;
    });
    const timeoutMs = adminTimeout(optionsArg(options));
    if (cols.topics.length === 0) return [];
    const result = await this.#call((id) =>
      this.native.deleteRecords(id, cols.topics, cols.partitions, cols.offsets, timeoutMs),
    );
    return partitionOffsets(result.offsets).map(({ topic, partition, offset, error }) =>
      withError({ topic, partition, lowWatermark: offset }, error),
    );
  }

  /**
   * Offsets by position or time: 'earliest', 'latest', 'maxTimestamp' (the record with the largest
   * timestamp) or `{ timestamp }` (the first record at or after it; offset -1 when there is none).
   * isolationLevel 'read_committed' (default) stops 'latest' at the last stable offset.
   */
  async listOffsets(
    partitions: TopicPartition[],
    spec: OffsetSpec = 'latest',
    options?: AdminCallOptions & { isolationLevel?: IsolationLevel },
  ): Promise<ListOffsetsResult[]> {
    this.checkUsable();
    const cols = topicPartitionsArg(partitions, 'partitions');
    let value: number;
    if (typeof spec === 'string' && spec in OFFSET_SPECS) value = OFFSET_SPECS[spec as keyof typeof OFFSET_SPECS];
    else if (isPlainObject(spec)) value = integerArg(spec.timestamp, 'spec.timestamp', 0, Number.MAX_SAFE_INTEGER);
    else throw new RangeError(`spec must be 'earliest', 'latest', 'maxTimestamp' or { timestamp }, got ${show(spec)}`);
    cols.offsets.fill(value);
    const opts = optionsArg(options);
    const isolation = ISOLATION_LEVELS.toNative(opts.isolationLevel ?? 'read_committed', 'isolationLevel');
    const timeoutMs = adminTimeout(opts);
    if (cols.topics.length === 0) return [];
    const result = await this.#call((id) =>
      this.native.listOffsets(id, cols.topics, cols.partitions, cols.offsets, isolation, timeoutMs),
    );
    return (result.infos ?? []).map((i) =>
      withError(
        {
          topic: i.topic,
          partition: i.partition,
          offset: i.offset,
          timestamp: i.timestamp,
          leaderEpoch: i.leaderEpoch >= 0 ? i.leaderEpoch : null,
        },
        i.error,
      ),
    );
  }

  /** Creates ACL bindings; one item per binding, in order. Needs an authorizer on the brokers. */
  async createAcls(acls: AclBinding[], options?: AdminCallOptions): Promise<ItemResult[]> {
    this.checkUsable();
    const specs = Array.from(arrayArg(acls, 'acls'), (a, i) => aclArg(a, `acls[${i}]`, false));
    const timeoutMs = adminTimeout(optionsArg(options));
    if (specs.length === 0) return [];
    const result = await this.#call((id) => this.native.createAcls(id, specs, timeoutMs));
    return (result.acls ?? []).map((a) => withError({}, a.error));
  }

  /** The bindings a filter matches (fields left out match anything). */
  async describeAcls(filter: AclBindingFilter = {}, options?: AdminCallOptions): Promise<AclBinding[]> {
    this.checkUsable();
    const spec = aclArg(filter, 'filter', true);
    const timeoutMs = adminTimeout(optionsArg(options));
    const result = await this.#call((id) => this.native.describeAcls(id, spec, timeoutMs));
    return (result.bindings ?? []).map(aclBinding);
  }

  /** Deletes the bindings each filter matches; one item per filter, with what it deleted. */
  async deleteAcls(filters: AclBindingFilter[], options?: AdminCallOptions): Promise<DeleteAclsResult[]> {
    this.checkUsable();
    const specs = Array.from(arrayArg(filters, 'filters'), (f, i) => aclArg(f, `filters[${i}]`, true));
    const timeoutMs = adminTimeout(optionsArg(options));
    if (specs.length === 0) return [];
    const result = await this.#call((id) => this.native.deleteAcls(id, specs, timeoutMs));
    return (result.acls ?? []).map((a) => withError({ deleted: (a.bindings ?? []).map(aclBinding) }, a.error));
  }

  /** SCRAM credentials (mechanism and iterations, never the secret) of some users, or of all. */
  async describeUserScramCredentials(
    users?: string[] | null,
    options?: AdminCallOptions,
  ): Promise<UserScramCredentials[]> {
    this.checkUsable();
    const names = users == null ? [] : groupIdsArg(users, 'users');
    const timeoutMs = adminTimeout(optionsArg(options));
    const result = await this.#call((id) => this.native.describeUserScramCredentials(id, names, timeoutMs));
    return inRequestOrder(result.users ?? [], names, (u) => u.user).map((u) =>
      withError(
        {
          user: u.user,
          credentials: (u.credentials ?? []).map((c) => ({
            mechanism: SCRAM_MECHANISMS.fromNative(c.mechanism),
            iterations: c.iterations,
          })),
        },
        u.error,
      ),
    );
  }

  /** Creates or replaces (upsertions) and removes (deletions) SCRAM credentials; one item per user. */
  async alterUserScramCredentials(
    upsertions: ScramUpsertion[],
    deletions: ScramDeletion[] = [],
    options?: AdminCallOptions,
  ): Promise<UserResult[]> {
    this.checkUsable();
    const ups = Array.from(arrayArg(upsertions, 'upsertions'), (u, i) => {
      const at = `upsertions[${i}]`;
      const spec = plainObjectArg(u, at);
      const password = spec.password;
      if (typeof password !== 'string' && !Buffer.isBuffer(password)) {
        throw new TypeError(`${at}.password must be a string or Buffer, got ${typeName(password)}`);
      }
      // librdkafka derives the salted password (PBKDF2) on the client's own thread, hashing a password
      // longer than the hash's block on every iteration: a 2 MiB one stalled the client, and its close(),
      // for 22 s (found by the API fuzz). 1 KiB costs about a tenth of a second at 16,384 iterations.
      if (Buffer.byteLength(password) > MAX_SCRAM_PASSWORD_BYTES) {
        throw new RangeError(
          `${at}.password must be at most ${MAX_SCRAM_PASSWORD_BYTES} bytes, got ${Buffer.byteLength(password)}`,
        );
      }
      if (spec.salt !== undefined && !Buffer.isBuffer(spec.salt)) {
        throw new TypeError(`${at}.salt must be a Buffer, got ${typeName(spec.salt)}`);
      }
      return {
        user: groupIdArg(spec.user, `${at}.user`),
        mechanism: SCRAM_MECHANISMS.toNative(spec.mechanism, `${at}.mechanism`),
        iterations: spec.iterations === undefined ? 8192 : integerArg(spec.iterations, `${at}.iterations`, 4096, 16384),
        password: Buffer.isBuffer(password) ? password : Buffer.from(password),
        ...(spec.salt ? { salt: spec.salt as Buffer } : {}),
      };
    });
    const dels = Array.from(arrayArg(deletions, 'deletions'), (d, i) => {
      const spec = plainObjectArg(d, `deletions[${i}]`);
      return {
        user: groupIdArg(spec.user, `deletions[${i}].user`),
        mechanism: SCRAM_MECHANISMS.toNative(spec.mechanism, `deletions[${i}].mechanism`),
      };
    });
    const timeoutMs = adminTimeout(optionsArg(options));
    const all = [...ups, ...dels];
    if (all.length === 0) return [];
    const result = await this.#call((id) => this.native.alterUserScramCredentials(id, all, timeoutMs));
    return (result.users ?? []).map((u) => withError({ user: u.user }, u.error));
  }

  /** Rejects pending requests with _DESTROY and destroys the client. Idempotent. */
  close(): Promise<void> {
    return this.closeOnce(async () => {
      this.#pending.rejectAll(this.destroyedError());
      await this.native.close();
    });
  }

  /** Requests waiting for a broker that refuses us fail now (src/client/auth-failure.ts); their results are dropped. @internal */
  protected override onAuthFailure(error: KafkaError): void {
    this.auth.trip(error);
    this.#pending.rejectAll(error);
  }

  /** Sends a request; its result (or librdkafka's _TIMED_OUT at the request's timeout) settles it. */
  #call(send: (id: number) => void): Promise<NativeAdminResult> {
    try {
      this.checkUsable();
      return this.#pending.start(send);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /** @internal */
  protected override onWake(): void {
    const { results, events } = this.native.poll();
    this.dispatch(events);
    for (const r of results) {
      if (this.#pending.settle(r.id, r.error, r) && !r.error) this.auth.clear();
    }
  }
}

/** Per-item results in the order their names were asked for (brokers answer in any order). */
function inRequestOrder<T>(items: T[], names: string[], nameOf: (item: T) => string): T[] {
  if (names.length === 0) return items;
  const rank = new Map(names.map((n, i) => [n, i]));
  const at = (item: T): number => rank.get(nameOf(item)) ?? names.length;
  return items.slice().sort((a, b) => at(a) - at(b));
}

function booleanOption(options: Record<string, unknown>, name: string): boolean {
  const value = options[name];
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${name} must be a boolean, got ${typeName(value)}`);
  }
  return value === true;
}

/** Group ids (and user names): non-empty strings of at most 4 KiB. */
function groupIdArg(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) {
    throw new TypeError(`${name} must be a non-empty string of at most 4096 characters, got ${show(value)}`);
  }
  return value;
}

function groupIdsArg(value: unknown, name: string): string[] {
  return Array.from(arrayArg(value, name), (g, i) => groupIdArg(g, `${name}[${i}]`));
}

function resourceArg(value: unknown, name: string): { type: number; name: string } {
  const spec = plainObjectArg(value, name);
  const type = RESOURCE_TYPES.toNative(spec.type, `${name}.type`, ['topic', 'group', 'broker', 'transactionalId']);
  // A broker is named by its id ('1'); librdkafka refuses an empty name of any type.
  if (typeof spec.name !== 'string' || spec.name === '') {
    throw new TypeError(`${name}.name must be a non-empty string, got ${show(spec.name)}`);
  }
  return { type, name: spec.name };
}

/** A binding (every field required) or a filter (fields left out: any). */
function aclArg(value: unknown, name: string, filter: boolean) {
  const spec = plainObjectArg(value, name);
  const text = (key: string): string | null => {
    const v = spec[key];
    if (filter && (v === undefined || v === null)) return null;
    if (typeof v !== 'string' || v === '')
      throw new TypeError(`${name}.${key} must be a non-empty string, got ${show(v)}`);
    return v;
  };
  const pick = (key: string, fallback: string) => (filter && spec[key] === undefined ? fallback : spec[key]);
  const concrete = <T extends string>(names: T[]) =>
    filter ? names : names.filter((n) => n !== 'any' && n !== 'match');
  return {
    resourceType: RESOURCE_TYPES.toNative(
      pick('resourceType', 'any'),
      `${name}.resourceType`,
      concrete(RESOURCE_TYPES.names),
    ),
    name: text('name'),
    patternType: PATTERN_TYPES.toNative(
      pick('patternType', 'any'),
      `${name}.patternType`,
      concrete(PATTERN_TYPES.names),
    ),
    principal: text('principal'),
    host: filter ? text('host') : typeof spec.host === 'undefined' ? '*' : text('host'),
    operation: ACL_OPERATIONS.toNative(pick('operation', 'any'), `${name}.operation`, concrete(ACL_OPERATIONS.names)),
    permission: ACL_PERMISSIONS.toNative(
      pick('permission', 'any'),
      `${name}.permission`,
      concrete(ACL_PERMISSIONS.names),
    ),
  };
}

/**
 * createTopics / deleteTopics are the rejecting form (as kafka-python's create_topics raises): when any
 * topic failed, the first failure is thrown, and its `results` give every topic's own outcome (the
 * others may have succeeded).
 */
function throwFirstTopicError(result: NativeAdminResult): void {
  if (result.error) throw result.error;
  const failed = result.topics?.find((t) => t.error);
  if (!failed?.error) return;
  const error = failed.error as KafkaError;
  error.topic ??= failed.name;
  error.results = (result.topics ?? []).map((t) =>
    t.error ? { name: t.name, error: t.error as KafkaError } : { name: t.name },
  );
  throw error;
}
