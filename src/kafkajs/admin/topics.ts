/** kafkajs Admin calls on topics: create, delete, grow, and their metadata. */
import {
  KafkaJSAggregateError,
  KafkaJSCreateTopicError,
  KafkaJSNonRetriableError,
  KafkaJSNotImplemented,
  KafkaJSProtocolError,
} from '../errors';
import type { ITopicConfig, ITopicMetadata, ITopicPartitionConfig, PartitionMetadata } from '../types';
import { hasType, type AdminSession } from './session';

/** kafkajs's defaults for the timeouts it sends with topic and partition requests. */
const DEFAULT_TOPIC_TIMEOUT_MS = 5000;

/** Kafka's LEADER_NOT_AVAILABLE: what a metadata response says for a partition without a leader. */
const LEADER_NOT_AVAILABLE = 5;

/**
 * Resolves true when every topic was created, false when some already existed and the others were
 * created. Any other failure rejects with KafkaJSAggregateError of one KafkaJSCreateTopicError per
 * failed topic (those that existed included). The engine always waits for the new topics' leaders
 * (within `timeout`), whatever `waitForLeaders` says; with validateOnly nothing is created or waited for.
 */
export async function createTopics(
  session: AdminSession,
  {
    topics,
    validateOnly,
    timeout,
  }: {
    validateOnly?: boolean;
    waitForLeaders?: boolean;
    timeout?: number;
    topics: ITopicConfig[];
  },
): Promise<boolean> {
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
  return session.run(async (admin) => {
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
            (err: unknown) => ({ topic, error: session.error(err) }),
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
export async function deleteTopics(
  session: AdminSession,
  { topics, timeout }: { topics: string[]; timeout?: number },
): Promise<void> {
  if (!topics || !Array.isArray(topics)) {
    throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`);
  }
  if (topics.some((t) => typeof t !== 'string')) {
    throw new KafkaJSNonRetriableError('Invalid topics array, the names must be a valid string');
  }
  const timeoutMs = timeout ?? DEFAULT_TOPIC_TIMEOUT_MS;
  await session.retry(
    'delete topics',
    () =>
      session
        .run((admin) => admin.deleteTopics(topics, { timeoutMs }))
        .catch((err: unknown) => {
          if ((err as { type?: unknown }).type === 'REQUEST_TIMED_OUT') {
            session.logger.error(
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
export async function createPartitions(
  session: AdminSession,
  {
    topicPartitions,
    validateOnly,
    timeout,
  }: {
    validateOnly?: boolean;
    timeout?: number;
    topicPartitions: ITopicPartitionConfig[];
  },
): Promise<boolean> {
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
  return session.run(async (admin) => {
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
export async function fetchTopicMetadata(
  session: AdminSession,
  { topics = [] }: { topics?: string[] } = { topics: [] },
): Promise<{
  topics: Array<ITopicMetadata>;
}> {
  if (topics) {
    for (const topic of topics) {
      if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    }
  }
  return session.run(async (admin) => {
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
