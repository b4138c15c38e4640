/** kafkajs's argument checks of the consumer's calls, with kafkajs's messages. */
import { KafkaJSNonRetriableError } from '../errors';
import type {
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  TopicPartitionOffset,
  TopicPartitionOffsetAndMetadata,
} from '../types';

/** subscribe()'s topics (names and RegExps) and its fromBeginning. */
export function subscriptionArg(subscription: ConsumerSubscribeTopics | ConsumerSubscribeTopic): {
  list: Array<string | RegExp>;
  fromBeginning: boolean;
} {
  const {
    topics,
    topic,
    fromBeginning = false,
  } = (subscription ?? {}) as Partial<ConsumerSubscribeTopics & ConsumerSubscribeTopic>;
  if (!topic && !topics) throw new KafkaJSNonRetriableError('Missing required argument "topics"');
  if (topics != null && !Array.isArray(topics))
    throw new KafkaJSNonRetriableError('Argument "topics" must be an array');
  const list = topics ?? [topic as string | RegExp];
  for (const t of list) {
    if (typeof t !== 'string' && !(t instanceof RegExp)) {
      throw new KafkaJSNonRetriableError(
        `Invalid topic ${String(t)} (${typeof t}), the topic name has to be a String or a RegExp`,
      );
    }
  }
  return { list, fromBeginning };
}

function topicPartitionArg(topic: unknown, partition: unknown): void {
  if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
  if (typeof partition !== 'number' || Number.isNaN(partition)) {
    throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${String(partition)}`);
  }
}

/** A kafkajs offset (a string or number of a long) as a number. Number(null) and Number('') are 0: refused. */
function offsetArg(offset: unknown): number {
  const n = Number(offset);
  if (offset === null || offset === undefined || String(offset).trim() === '' || !Number.isInteger(n)) {
    throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${String(offset)}`);
  }
  return n;
}

/** commitOffsets()'s list: real offsets (no -1 / -2), metadata a string or null. */
export function commitOffsetsArg(
  topicPartitions: TopicPartitionOffsetAndMetadata[],
): Array<{ topic: string; partition: number; offset: number }> {
  return (topicPartitions ?? []).map(({ topic, partition, offset, metadata }) => {
    topicPartitionArg(topic, partition);
    const n = offsetArg(offset);
    if (n < 0) throw new KafkaJSNonRetriableError('Offset must not be a negative number');
    if (metadata != null && typeof metadata !== 'string') {
      throw new KafkaJSNonRetriableError(
        `Invalid offset metadata, expected string or null, received ${String(metadata)}`,
      );
    }
    return { topic, partition, offset: n };
  });
}

/** seek()'s offset: a real one, or -1 / -2 (kafkajs's end and beginning). */
export function seekArg({ topic, partition, offset }: TopicPartitionOffset): number {
  topicPartitionArg(topic, partition);
  const n = offsetArg(offset);
  if (n < 0 && n !== -1 && n !== -2) throw new KafkaJSNonRetriableError('Offset must not be a negative number');
  return n;
}

/** pause() / resume()'s argument: topics with an optional list of partitions. */
export function pauseArg(topics: Array<{ topic: string; partitions?: number[] }>, call: string): void {
  if (!Array.isArray(topics)) throw new KafkaJSNonRetriableError(`${call}() takes an array of { topic, partitions? }`);
  for (const t of topics) {
    if (!t || !t.topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(t?.topic ?? t)}`);
    if (
      t.partitions !== undefined &&
      (!Array.isArray(t.partitions) || t.partitions.some((p) => Number.isNaN(Number(p))))
    ) {
      throw new KafkaJSNonRetriableError(
        `Array of valid partitions required to ${call} specific partitions instead of ${String(t.partitions)}`,
      );
    }
  }
}
