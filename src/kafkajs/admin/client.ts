/**
 * kafkajs's Admin over kafka-napi's KafkaAdmin: kafkajs's argument checks and messages, result shapes
 * (offsets as strings, kafkajs's numeric enums, `errorCode` fields) and errors (KafkaJS* classes).
 *
 * Like kafkajs, every call works without `connect()`: the first call creates the native client, and
 * `connect()` additionally checks that the cluster answers. `disconnect()` closes the client; a later call
 * opens a new one.
 *
 * Each call is a function of its area (topics, offsets, configs, groups, acls: the files beside this
 * one, with kafkajs's behaviour documented there) run on the Admin's AdminSession.
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
import type { ClientContext } from '../connection';
import { KafkaJSNotImplemented } from '../errors';
import { ADMIN_EVENTS, Instrumentation } from '../instrumentation';
import type { Logger } from '../logger';
import { ownMembers } from '../members';
import type {
  Admin,
  AdminConfig,
  ListPartitionReassignmentsResponse,
  PartitionReassignment,
  TopicPartitions,
} from '../types';
import * as topics from './topics';
import * as offsets from './offsets';
import * as configs from './configs';
import * as groups from './groups';
import * as acls from './acls';
import { AdminSession } from './session';

export class KafkaJSAdmin implements Admin {
  declare readonly events: typeof ADMIN_EVENTS;
  readonly #logger: Logger;
  readonly #session: AdminSession;
  readonly #instrumentation = new Instrumentation(ADMIN_EVENTS);

  constructor(context: ClientContext, config: AdminConfig = {}) {
    this.#logger = context.logger.namespace('Admin');
    this.#session = new AdminSession(context, config, this.#logger);
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
      await this.#session.ping();
    } catch (err) {
      // kafkajs's failed connect leaves nothing connected: a client left open would keep reconnecting.
      await this.#session.close();
      throw this.#session.error(err);
    }
    this.#instrumentation.emit(ADMIN_EVENTS.CONNECT);
  }

  /** Closes the client (pending calls reject); DISCONNECT is emitted whether or not one was open. */
  async disconnect(): Promise<void> {
    await this.#session.close();
    this.#instrumentation.emit(ADMIN_EVENTS.DISCONNECT);
  }

  /** Every topic, internal ones (`__consumer_offsets`...) included, as kafkajs lists them. */
  async listTopics(): Promise<string[]> {
    return this.#session.run((admin) => admin.listTopics({ includeInternal: true }));
  }

  createTopics(...args: Parameters<Admin['createTopics']>): ReturnType<Admin['createTopics']> {
    return topics.createTopics(this.#session, ...args);
  }

  deleteTopics(...args: Parameters<Admin['deleteTopics']>): ReturnType<Admin['deleteTopics']> {
    return topics.deleteTopics(this.#session, ...args);
  }

  createPartitions(...args: Parameters<Admin['createPartitions']>): ReturnType<Admin['createPartitions']> {
    return topics.createPartitions(this.#session, ...args);
  }

  fetchTopicMetadata(...args: Parameters<Admin['fetchTopicMetadata']>): ReturnType<Admin['fetchTopicMetadata']> {
    return topics.fetchTopicMetadata(this.#session, ...args);
  }

  fetchTopicOffsets(...args: Parameters<Admin['fetchTopicOffsets']>): ReturnType<Admin['fetchTopicOffsets']> {
    return offsets.fetchTopicOffsets(this.#session, ...args);
  }

  fetchTopicOffsetsByTimestamp(
    ...args: Parameters<Admin['fetchTopicOffsetsByTimestamp']>
  ): ReturnType<Admin['fetchTopicOffsetsByTimestamp']> {
    return offsets.fetchTopicOffsetsByTimestamp(this.#session, ...args);
  }

  fetchOffsets(...args: Parameters<Admin['fetchOffsets']>): ReturnType<Admin['fetchOffsets']> {
    return offsets.fetchOffsets(this.#session, ...args);
  }

  setOffsets(...args: Parameters<Admin['setOffsets']>): ReturnType<Admin['setOffsets']> {
    return offsets.setOffsets(this.#session, ...args);
  }

  resetOffsets(...args: Parameters<Admin['resetOffsets']>): ReturnType<Admin['resetOffsets']> {
    return offsets.resetOffsets(this.#session, ...args);
  }

  deleteTopicRecords(...args: Parameters<Admin['deleteTopicRecords']>): ReturnType<Admin['deleteTopicRecords']> {
    return offsets.deleteTopicRecords(this.#session, ...args);
  }

  describeConfigs(...args: Parameters<Admin['describeConfigs']>): ReturnType<Admin['describeConfigs']> {
    return configs.describeConfigs(this.#session, ...args);
  }

  alterConfigs(...args: Parameters<Admin['alterConfigs']>): ReturnType<Admin['alterConfigs']> {
    return configs.alterConfigs(this.#session, ...args);
  }

  describeCluster(...args: Parameters<Admin['describeCluster']>): ReturnType<Admin['describeCluster']> {
    return groups.describeCluster(this.#session, ...args);
  }

  listGroups(...args: Parameters<Admin['listGroups']>): ReturnType<Admin['listGroups']> {
    return groups.listGroups(this.#session, ...args);
  }

  describeGroups(...args: Parameters<Admin['describeGroups']>): ReturnType<Admin['describeGroups']> {
    return groups.describeGroups(this.#session, ...args);
  }

  deleteGroups(...args: Parameters<Admin['deleteGroups']>): ReturnType<Admin['deleteGroups']> {
    return groups.deleteGroups(this.#session, ...args);
  }

  createAcls(...args: Parameters<Admin['createAcls']>): ReturnType<Admin['createAcls']> {
    return acls.createAcls(this.#session, ...args);
  }

  describeAcls(...args: Parameters<Admin['describeAcls']>): ReturnType<Admin['describeAcls']> {
    return acls.describeAcls(this.#session, ...args);
  }

  deleteAcls(...args: Parameters<Admin['deleteAcls']>): ReturnType<Admin['deleteAcls']> {
    return acls.deleteAcls(this.#session, ...args);
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
}
