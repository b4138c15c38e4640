/** Broker queries about partitions: committed offsets, watermarks, offsets by timestamp. */
import type { NativeConsumer } from '../native/addon';
import { fromColumns } from '../core/topic-partitions';
import type { TopicPartition, TopicPartitionOffset } from '../core/types';
import { timeoutArg, topicPartitionsArg } from '../core/validate';

/** Default wait for an answer. */
const QUERY_TIMEOUT_MS = 10_000;

export async function committedOffsets(
  native: NativeConsumer,
  partitions: TopicPartition[],
  timeoutMs: number | undefined,
): Promise<TopicPartitionOffset[]> {
  const cols = topicPartitionsArg(partitions, 'partitions');
  const timeout = timeoutArg(timeoutMs, 'timeoutMs', QUERY_TIMEOUT_MS);
  if (cols.topics.length === 0) return [];
  return fromColumns(await native.committed(cols.topics, cols.partitions, timeout));
}

/** The low ('low': earliest) or high ('high': end) watermark per partition. */
export async function watermarkOffsets(
  native: NativeConsumer,
  partitions: TopicPartition[],
  timeoutMs: number | undefined,
  which: 'low' | 'high',
): Promise<TopicPartitionOffset[]> {
  const cols = topicPartitionsArg(partitions, 'partitions');
  const timeout = timeoutArg(timeoutMs, 'timeoutMs', QUERY_TIMEOUT_MS);
  if (cols.topics.length === 0) return [];
  const w = await native.watermarks(cols.topics, cols.partitions, timeout);
  const offsets = w[which];
  return w.topics.map((topic, i) => ({ topic, partition: w.partitions[i], offset: offsets[i] }));
}

export async function offsetsForTimes(
  native: NativeConsumer,
  partitions: Array<TopicPartition & { timestamp: number }>,
  timeoutMs: number | undefined,
): Promise<TopicPartitionOffset[]> {
  const cols = topicPartitionsArg(partitions, 'partitions', 'timestamp', { field: 'timestamp', offsetRequired: true });
  const timeout = timeoutArg(timeoutMs, 'timeoutMs', QUERY_TIMEOUT_MS);
  if (cols.topics.length === 0) return [];
  return fromColumns(await native.offsetsForTimes(cols.topics, cols.partitions, cols.offsets, timeout));
}
