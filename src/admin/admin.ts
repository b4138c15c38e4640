/**
 * KafkaAdmin: topic and cluster administration. Requests go out asynchronously through librdkafka's
 * Admin API; results come back on a private queue and are matched to promises by request id. Each call
 * is a function of its area (topics.ts, groups.ts, records.ts, access.ts) run on the client's AdminContext.
 */
import { KafkaClient } from '../client/base';
import { COMMON_OPTIONS, toRdkafka, type OptionTable } from '../core/config';
import { kafkaError, type KafkaError } from '../core/errors';
import {
  addon,
  type NativeAdmin,
  type NativeAdminEvent,
  type NativeAdminResult,
  type NativeAdminResultOf,
} from '../native/addon';
import { PendingRequests } from '../client/pending';
import type { TopicPartition, TopicPartitionOffset } from '../core/types';
import { type ConsumerGroupState, type ConsumerGroupType, type ElectionType, type IsolationLevel } from './enums';
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
import type { AdminContext } from './context';
import * as topicsCalls from './topics';
import * as groupsCalls from './groups';
import * as recordsCalls from './records';
import * as accessCalls from './access';

const ADMIN_OPTIONS: OptionTable = { ...COMMON_OPTIONS };

/**
 * The admin client: topics, partitions, consumer groups and their offsets, configs, records, ACLs and
 * SCRAM users. Every call takes a timeout and rejects with KafkaError when the whole request fails; calls
 * on several items report each item's own error.
 */
export class KafkaAdmin extends KafkaClient<NativeAdmin> {
  readonly #pending = new PendingRequests<NativeAdminEvent>(() => this.setBusy(this.#pending.size > 0));
  // Initialized after super(): the native client exists by then.
  readonly #ctx: AdminContext = {
    native: this.native,
    checkUsable: () => this.checkUsable(),
    call: (kind, send) => this.#call(kind, send),
    guard: <T>(promise: Promise<T>) => this.auth.guard(promise),
  };

  constructor(options: AdminOptions) {
    const config = toRdkafka({ kind: 'KafkaAdmin', table: ADMIN_OPTIONS }, options);
    super('KafkaAdmin', options, (wake) => new addon.Admin(config, wake));
  }

  /**
   * Creates topics; resolves when the controller has created them all and every partition has a leader.
   * When any topic fails, rejects with the first failure, whose `results` hold every topic's outcome.
   */
  createTopics(topics: NewTopic[], options?: { validateOnly?: boolean; timeoutMs?: number }): Promise<void> {
    return topicsCalls.createTopics(this.#ctx, topics, options);
  }

  /** Deletes topics; when any fails, rejects with the first failure, whose `results` hold every topic's outcome. */
  deleteTopics(names: string[], options?: { timeoutMs?: number }): Promise<void> {
    return topicsCalls.deleteTopics(this.#ctx, names, options);
  }

  /** Names of the cluster's topics, sorted; internal ones (`__consumer_offsets`...) only with includeInternal. */
  listTopics(options?: AdminCallOptions & { includeInternal?: boolean }): Promise<string[]> {
    return topicsCalls.listTopics(this.#ctx, options);
  }

  /**
   * Partitions (leader, replicas, in-sync replicas), topic id and, with includeAuthorizedOperations, what
   * this principal may do. One item per name; an unknown topic is an item with `error`.
   */
  describeTopics(
    names: string[],
    options?: AdminCallOptions & { includeAuthorizedOperations?: boolean },
  ): Promise<Array<TopicDescription & ItemResult>> {
    return topicsCalls.describeTopics(this.#ctx, names, options);
  }

  /** The cluster's id, controller and brokers. */
  describeCluster(options?: AdminCallOptions & { includeAuthorizedOperations?: boolean }): Promise<ClusterDescription> {
    return topicsCalls.describeCluster(this.#ctx, options);
  }

  /**
   * Grows a topic to `totalCount` partitions (Kafka never shrinks one). With a list, one item per topic;
   * with one topic, rejects on its failure.
   */
  createPartitions(
    topic: string,
    totalCount: number,
    options?: AdminCallOptions & { validateOnly?: boolean },
  ): Promise<void>;
  async createPartitions(
    topics: Array<{ topic: string; totalCount: number }>,
    options?: AdminCallOptions & { validateOnly?: boolean },
  ): Promise<TopicResult[]>;
  createPartitions(
    first: string | Array<{ topic: string; totalCount: number }>,
    second?: number | (AdminCallOptions & { validateOnly?: boolean }),
    third?: AdminCallOptions & { validateOnly?: boolean },
  ): Promise<void | TopicResult[]> {
    return topicsCalls.createPartitions(this.#ctx, first, second, third);
  }

  /**
   * Elects leaders: 'preferred' moves leadership back to each partition's first replica (after a broker
   * came back), 'unclean' lets an out-of-sync replica lead a partition that has no leader. Without
   * partitions, every partition of the cluster. Partitions already led by their preferred replica come
   * back with ELECTION_NOT_NEEDED.
   */
  electLeaders(
    type: ElectionType,
    partitions?: TopicPartition[] | null,
    options?: AdminCallOptions,
  ): Promise<PartitionResult[]> {
    return topicsCalls.electLeaders(this.#ctx, type, partitions, options);
  }

  /** Every group the brokers know, optionally only those in some states or of some types. */
  listConsumerGroups(
    options?: AdminCallOptions & { states?: ConsumerGroupState[]; types?: ConsumerGroupType[] },
  ): Promise<ListConsumerGroupsResult> {
    return groupsCalls.listConsumerGroups(this.#ctx, options);
  }

  /** Members, their assignments, state, protocol and coordinator: one item per group id. */
  describeConsumerGroups(
    groupIds: string[],
    options?: AdminCallOptions & { includeAuthorizedOperations?: boolean },
  ): Promise<ConsumerGroupDescription[]> {
    return groupsCalls.describeConsumerGroups(this.#ctx, groupIds, options);
  }

  /** Deletes groups (each must be empty: no active member). One item per group id. */
  deleteConsumerGroups(groupIds: string[], options?: AdminCallOptions): Promise<GroupResult[]> {
    return groupsCalls.deleteConsumerGroups(this.#ctx, groupIds, options);
  }

  /**
   * The group's committed offsets (all its partitions, or those given). With `withLag`, each partition's
   * lag: its latest offset minus the committed one (null where nothing is committed).
   */
  listConsumerGroupOffsets(
    groupId: string,
    partitions?: TopicPartition[] | null,
    options?: AdminCallOptions & { requireStable?: boolean; withLag?: boolean },
  ): Promise<GroupPartitionOffset[]> {
    return groupsCalls.listConsumerGroupOffsets(this.#ctx, groupId, partitions, options);
  }

  /**
   * Sets a group's committed offsets (the next record each partition's consumer reads). The group must
   * have no active member (Kafka refuses otherwise). One item per partition.
   */
  alterConsumerGroupOffsets(
    groupId: string,
    offsets: TopicPartitionOffset[],
    options?: AdminCallOptions,
  ): Promise<GroupPartitionOffset[]> {
    return groupsCalls.alterConsumerGroupOffsets(this.#ctx, groupId, offsets, options);
  }

  /** Forgets a group's committed offsets for some partitions. One item per partition. */
  deleteConsumerGroupOffsets(
    groupId: string,
    partitions: TopicPartition[],
    options?: AdminCallOptions,
  ): Promise<PartitionResult[]> {
    return groupsCalls.deleteConsumerGroupOffsets(this.#ctx, groupId, partitions, options);
  }

  /** Every config of each resource, with its source, flags and synonyms. One item per resource. */
  describeConfigs(resources: ConfigResource[], options?: AdminCallOptions): Promise<ConfigResourceResult[]> {
    return recordsCalls.describeConfigs(this.#ctx, resources, options);
  }

  /**
   * Changes only the configs named (set, delete back to the default, append to / subtract from a list);
   * the others keep their values. One item per resource.
   */
  incrementalAlterConfigs(
    resources: AlterConfigsResource[],
    options?: AdminCallOptions & { validateOnly?: boolean },
  ): Promise<AlterConfigsResult[]> {
    return recordsCalls.incrementalAlterConfigs(this.#ctx, resources, options);
  }

  /**
   * Deletes every record before `offset` in each partition (-1: up to the partition's end). Each item has
   * the partition's new beginning offset.
   */
  deleteRecords(offsets: TopicPartitionOffset[], options?: AdminCallOptions): Promise<DeleteRecordsResult[]> {
    return recordsCalls.deleteRecords(this.#ctx, offsets, options);
  }

  /**
   * Offsets by position or time: 'earliest', 'latest', 'maxTimestamp' (the record with the largest
   * timestamp) or `{ timestamp }` (the first record at or after it; offset -1 when there is none).
   * isolationLevel 'read_committed' (default) stops 'latest' at the last stable offset.
   */
  listOffsets(
    partitions: TopicPartition[],
    spec: OffsetSpec = 'latest',
    options?: AdminCallOptions & { isolationLevel?: IsolationLevel },
  ): Promise<ListOffsetsResult[]> {
    return recordsCalls.listOffsets(this.#ctx, partitions, spec, options);
  }

  /** Creates ACL bindings; one item per binding, in order. Needs an authorizer on the brokers. */
  createAcls(acls: AclBinding[], options?: AdminCallOptions): Promise<ItemResult[]> {
    return accessCalls.createAcls(this.#ctx, acls, options);
  }

  /** The bindings a filter matches (fields left out match anything). */
  describeAcls(filter: AclBindingFilter = {}, options?: AdminCallOptions): Promise<AclBinding[]> {
    return accessCalls.describeAcls(this.#ctx, filter, options);
  }

  /** Deletes the bindings each filter matches; one item per filter, with what it deleted. */
  deleteAcls(filters: AclBindingFilter[], options?: AdminCallOptions): Promise<DeleteAclsResult[]> {
    return accessCalls.deleteAcls(this.#ctx, filters, options);
  }

  /** SCRAM credentials (mechanism and iterations, never the secret) of some users, or of all. */
  describeUserScramCredentials(users?: string[] | null, options?: AdminCallOptions): Promise<UserScramCredentials[]> {
    return accessCalls.describeUserScramCredentials(this.#ctx, users, options);
  }

  /** Creates or replaces (upsertions) and removes (deletions) SCRAM credentials; one item per user. */
  alterUserScramCredentials(
    upsertions: ScramUpsertion[],
    deletions: ScramDeletion[] = [],
    options?: AdminCallOptions,
  ): Promise<UserResult[]> {
    return accessCalls.alterUserScramCredentials(this.#ctx, upsertions, deletions, options);
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
  async #call<K extends NativeAdminResult['kind']>(
    kind: K,
    send: (id: number) => void,
  ): Promise<NativeAdminResultOf<K>> {
    this.checkUsable();
    const result = await this.#pending.start(send);
    // An error event rejects its request (onWake), and the request ids are ours: another kind answering
    // would be a bug here, never a broker's doing.
    if ('error' in result || result.kind !== kind) {
      throw kafkaError('_FAIL', `admin: a ${result.kind} result answered a ${kind} request`);
    }
    return result as NativeAdminResultOf<K>;
  }

  /** @internal */
  protected override onWake(): void {
    const { results, events } = this.native.poll();
    this.dispatch(events);
    for (const r of results) {
      const error = 'error' in r ? r.error : undefined;
      if (this.#pending.settle(r.id, error, r) && !error) this.auth.clear();
    }
  }
}
