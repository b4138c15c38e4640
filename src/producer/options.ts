/** KafkaProducer's options, their checks and their librdkafka properties. */
import {
  COMMON_OPTIONS,
  isBoolean,
  isFunction,
  isString,
  oneOf,
  toRdkafka,
  type OptionTable,
  ranged,
} from '../core/config';
import type { NativeConfig } from '../native/addon';
import type { Serializer } from '../core/serde';
import type { CommonOptions, HeadersInput } from '../core/types';

/** How many replicas must have a record before it counts as sent: none (0), the leader (1), or all in sync (-1, 'all'). */
export type Acks = 0 | 1 | -1 | 'all';
/** How record batches are compressed on the wire. */
export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
/** Picks a partition in [0, partitionCount) for a record without an explicit partition. */
export type PartitionerFunction = (key: Buffer | null, partitionCount: number, topic: string) => number;

/** librdkafka's partitioners, by name (the key's hash picks the partition; no key: one at random or sticky). */
export type PartitionerName =
  'murmur2_random' | 'murmur2' | 'consistent_random' | 'consistent' | 'random' | 'fnv1a_random';

/** A KafkaProducer's options; `rdkafka` passes any librdkafka property through. */
export interface ProducerOptions<K = Buffer, V = Buffer> extends CommonOptions {
  keySerializer?: Serializer<K>;
  valueSerializer?: Serializer<V>;
  /** Default 'all'. */
  acks?: Acks;
  /** Default 'none'. */
  compressionType?: CompressionType;
  /** Default 5. */
  lingerMs?: number;
  /**
   * Default false. true: the records of each hand-over to librdkafka (all the send / sendBatch calls of
   * one event-loop tick) leave without waiting for `lingerMs`; later records linger as usual. For code
   * that awaits each call before making the next, where lingering only adds latency.
   */
  expedite?: boolean;
  /** Max bytes per partition batch (librdkafka batch.size). */
  batchSize?: number;
  batchNumMessages?: number;
  /** Default true (requires acks 'all'; turned off by default when acks is 0 or 1, as in the Java client). */
  enableIdempotence?: boolean;
  transactionalId?: string;
  /**
   * Default 'murmur2_random' (Java-compatible for keyed records). A function is called on the JS thread
   * for every record without an explicit partition; prefer a built-in on hot paths.
   */
  partitioner?: PartitionerName | PartitionerFunction;
  maxInFlight?: number;
  retries?: number;
  requestTimeoutMs?: number;
  /** How long a record may take, retries included, before its send rejects with _MSG_TIMED_OUT. */
  deliveryTimeoutMs?: number;
  queueBufferingMaxMessages?: number;
  queueBufferingMaxKbytes?: number;
}

/** What send accepts for a key/value of type T: with the default Buffer type, strings too (UTF-8). */
export type Payload<T> = [T] extends [Buffer] ? Buffer | string : T;

/** Where and how send() writes one value: its key, partition, headers and timestamp. */
export interface SendOptions<K> {
  key?: Payload<K> | null;
  partition?: number;
  headers?: HeadersInput;
  /** Milliseconds since the epoch; default now. */
  timestamp?: number;
}

/** One record for sendBatch(). */
export interface ProducerRecord<K, V> extends SendOptions<K> {
  value: Payload<V> | null;
}

const PRODUCER_OPTIONS: OptionTable = {
  ...COMMON_OPTIONS,
  keySerializer: { check: isFunction },
  valueSerializer: { check: isFunction },
  acks: { property: 'acks', check: oneOf([0, 1, -1, 'all']), map: (v: Acks) => (v === 'all' ? -1 : v) },
  compressionType: { property: 'compression.codec', check: oneOf(['none', 'gzip', 'snappy', 'lz4', 'zstd']) },
  lingerMs: ranged('linger.ms'),
  expedite: { check: isBoolean },
  batchSize: ranged('batch.size'),
  batchNumMessages: ranged('batch.num.messages'),
  enableIdempotence: { property: 'enable.idempotence', check: isBoolean },
  transactionalId: { property: 'transactional.id', check: isString },
  partitioner: {
    property: 'partitioner',
    check: (value, name) => {
      if (typeof value !== 'function') {
        oneOf(['murmur2_random', 'murmur2', 'consistent_random', 'consistent', 'random', 'fnv1a_random'])(value, name);
      }
    },
    // A JS partitioner runs in JS; librdkafka keeps its default for the records it never sees unpartitioned.
    map: (v: PartitionerName | PartitionerFunction) => (typeof v === 'function' ? 'murmur2_random' : v),
  },
  maxInFlight: ranged('max.in.flight.requests.per.connection'),
  retries: ranged('retries'),
  requestTimeoutMs: ranged('request.timeout.ms'),
  deliveryTimeoutMs: ranged('delivery.timeout.ms'),
  queueBufferingMaxMessages: ranged('queue.buffering.max.messages'),
  queueBufferingMaxKbytes: ranged('queue.buffering.max.kbytes'),
};

/** librdkafka properties for producer options (exported for tests and tools). */
export function producerConfig(options: ProducerOptions<unknown, unknown>): NativeConfig {
  return toRdkafka(
    {
      kind: 'KafkaProducer',
      table: PRODUCER_OPTIONS,
      defaults: { acks: -1, 'enable.idempotence': true, 'linger.ms': 5, partitioner: 'murmur2_random' },
      derive: (opts, config) => {
        // librdkafka waits topic.metadata.propagation.max.ms (30 s) before declaring a topic missing; past
        // the delivery timeout the record would fail as _MSG_TIMED_OUT instead of UNKNOWN_TOPIC_OR_PART.
        const delivery = opts.deliveryTimeoutMs as number | undefined;
        if (delivery !== undefined && delivery > 0) {
          config['topic.metadata.propagation.max.ms'] = Math.min(30_000, Math.max(1, Math.floor(delivery / 2)));
        }
        // Like the Java client: idempotence needs acks=all, so weaker acks switch it off unless asked for.
        const acks = opts.acks as Acks | undefined;
        if (acks !== undefined && acks !== 'all' && acks !== -1) {
          if (opts.enableIdempotence === true) {
            throw new RangeError(`option 'enableIdempotence' requires acks 'all', got acks ${acks}`);
          }
          config['enable.idempotence'] = false;
        }
      },
    },
    options,
  );
}
