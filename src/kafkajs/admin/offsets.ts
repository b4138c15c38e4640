/**
 * kafkajs Admin calls on offsets: topic offsets (by time too), a group's committed offsets and setting
 * them, and deleting records. kafkajs's offsets are strings of an int64.
 */
import { KafkaAdmin } from '../../admin';
import { kafkaError, type KafkaError } from '../../core/errors';
import type { GroupPartitionOffset } from '../../admin/types';
import type { TopicPartition, TopicPartitionOffset } from '../../core/types';
import { OFFSET_INVALID } from '../../core/validate';
import {
  KafkaJSBrokerNotFound,
  KafkaJSDeleteTopicRecordsError,
  KafkaJSError,
  KafkaJSNonRetriableError,
} from '../errors';
import type { FetchOffsetsPartition, KafkaJSDeleteTopicRecordsErrorPartition, SeekEntry } from '../types';
import { hasType, type AdminSession } from './session';

/** Each partition's high watermark (`offset` and `high`) and log start offset (`low`), as strings. */
export async function fetchTopicOffsets(
  session: AdminSession,
  topic: string,
): Promise<Array<SeekEntry & { high: string; low: string }>> {
  if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
  return session.retry(
    'fetch topic offsets',
    () => session.run((admin) => topicOffsets(admin, topic)),
    (e) => hasType(e, 'UNKNOWN_TOPIC_OR_PARTITION'),
  );
}

/**
 * Each partition's offset of the first record at or after `timestamp`; the high watermark where there is
 * none, or when no timestamp is given.
 */
export async function fetchTopicOffsetsByTimestamp(
  session: AdminSession,
  topic: string,
  timestamp?: number,
): Promise<Array<SeekEntry>> {
  if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
  return session.retry(
    'fetch topic offsets by timestamp',
    () =>
      session.run(async (admin) => {
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
export async function fetchOffsets(
  session: AdminSession,
  {
    groupId,
    topics,
    resolveOffsets = false,
  }: {
    groupId: string;
    topics?: string[];
    resolveOffsets?: boolean;
  },
): Promise<Array<{ topic: string; partitions: FetchOffsetsPartition[] }>> {
  if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`);
  const names = topics ?? [];
  if (!Array.isArray(names)) throw new KafkaJSNonRetriableError('Expected topics array to be set');
  return session.run(async (admin) => {
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
        await session.commit(admin, groupId, resolved);
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
export async function setOffsets(
  session: AdminSession,
  {
    groupId,
    topic,
    partitions,
  }: {
    groupId: string;
    topic: string;
    partitions: SeekEntry[];
  },
): Promise<void> {
  if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`);
  if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
  if (!partitions || partitions.length === 0) throw new KafkaJSNonRetriableError('Invalid partitions');
  const entries = partitions.map(({ partition, offset }) => ({ topic, partition, offset: offsetArg(offset) }));
  await session.run(async (admin) => session.commit(admin, groupId, await resolveLogical(admin, entries)));
}

/** Commits every partition of `topic` at its log start offset (earliest) or high watermark (default). */
export async function resetOffsets(
  session: AdminSession,
  {
    groupId,
    topic,
    earliest = false,
  }: {
    groupId: string;
    topic: string;
    earliest: boolean;
  },
): Promise<void> {
  if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`);
  if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
  await session.run(async (admin) => {
    const tps = await partitionsOf(admin, topic);
    await session.commit(
      admin,
      groupId,
      await resolveLogical(
        admin,
        tps.map((tp) => ({ ...tp, offset: earliest ? -2 : -1 })),
      ),
    );
  });
}

/** Deletes the records before each `offset` ('-1': all of them). Failed partitions reject together. */
export async function deleteTopicRecords(
  session: AdminSession,
  { topic, partitions }: { topic: string; partitions: SeekEntry[] },
): Promise<void> {
  if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic "${String(topic)}"`);
  if (!partitions || partitions.length === 0) throw new KafkaJSNonRetriableError('Invalid partitions');
  let pending = partitions.map(({ partition, offset }) => ({ partition, offset, value: offsetArg(offset) }));
  await session.retry(
    'delete topic records',
    () =>
      session.run(async (admin) => {
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
          const error = r.error.code === '_UNKNOWN_PARTITION' ? noLeader() : (session.error(r.error) as KafkaJSError);
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
