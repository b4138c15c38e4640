/** Topic-partition lists in the columnar form that crosses the native boundary. */
import type { NativeTopicPartitions } from '../native/addon';
import type { TopicPartition, TopicPartitionOffset } from './types';
import { OFFSET_INVALID } from './validate';

export function toColumns(list: Array<TopicPartition & { offset?: number }>): {
  topics: string[];
  partitions: Int32Array;
  offsets: Float64Array;
} {
  const topics = new Array<string>(list.length);
  const partitions = new Int32Array(list.length);
  const offsets = new Float64Array(list.length);
  list.forEach((tp, i) => {
    if (typeof tp !== 'object' || tp === null || typeof tp.topic !== 'string' || !Number.isInteger(tp.partition)) {
      throw new TypeError(`entry ${i} must be { topic: string, partition: integer }`);
    }
    topics[i] = tp.topic;
    partitions[i] = tp.partition;
    // -1001 is librdkafka's RD_KAFKA_OFFSET_INVALID: "use the committed or reset position".
    offsets[i] = tp.offset ?? OFFSET_INVALID;
  });
  return { topics, partitions, offsets };
}

export function fromColumns(cols: NativeTopicPartitions): TopicPartitionOffset[] {
  return cols.topics.map((topic, i) => ({ topic, partition: cols.partitions[i], offset: cols.offsets[i] }));
}
