/** KafkaShareConsumer's options, their checks and their librdkafka properties. */
import { COMMON_OPTIONS, isFunction, oneOf, toRdkafka, type OptionTable, ranged } from '../core/config';
import type { NativeConfig } from '../native/addon';
import type { Deserializer } from '../core/serde';
import type { CommonOptions, ConsumerRecord } from '../core/types';

/**
 * 'implicit' (default): every record handed to the application is accepted at the next poll, commit or
 * close unless the application acknowledged it otherwise. 'explicit': the application acknowledges every
 * record before it polls again.
 */
export type AcknowledgementMode = 'implicit' | 'explicit';

/** accept: processed; release: not processed, deliver again (to any member); reject: never deliver again. */
export type AcknowledgeType = 'accept' | 'release' | 'reject';

/**
 * How the broker acquires (locks) records for this member's fetches (KIP-1206, as the Java client's
 * `share.acquire.mode`). 'record_limit' (default): at most `maxPollRecords`. 'batch_optimized': up to
 * `maxPollRecords` rounded up to whole producer batches, so one large batch can lock far more records to
 * one member than it will process while the other members wait.
 */
export type ShareAcquireMode = 'record_limit' | 'batch_optimized';

/** A KafkaShareConsumer's options; `rdkafka` passes any librdkafka property through. */
export interface ShareConsumerOptions<K = Buffer, V = Buffer> extends CommonOptions {
  /** The share group (required). Lock duration, delivery limit and offset reset are the group's configs. */
  groupId: string;
  acknowledgementMode?: AcknowledgementMode;
  /**
   * Records the broker acquires per fetch, and so the most a poll returns (librdkafka's
   * max.poll.records). Default 500. Records fetched are locked for this member until acknowledged or
   * until the group's lock duration runs out: keep it near what is processed per lock. A hard bound on
   * brokers with ShareFetch v2 (Apache Kafka 4.2+) in the default `acquireMode`; older brokers round it
   * up to whole producer batches.
   */
  maxPollRecords?: number;
  /** Default 'record_limit': see ShareAcquireMode. */
  acquireMode?: ShareAcquireMode;
  keyDeserializer?: Deserializer<K>;
  valueDeserializer?: Deserializer<V>;
}

/** A record of a share group: a consumer record and how many times it has been delivered (1 the first time). */
export type ShareRecord<K = Buffer, V = Buffer> = ConsumerRecord<K, V> & { deliveryCount: number };

/** One partition's outcome of a commit: `error` when the broker refused its acknowledgements. */
export interface ShareCommitResult {
  topic: string;
  partition: number;
  error?: Error;
}

/** The share consumer's poll() options. */
export interface SharePollOptions {
  /** How long to wait for records when none are ready. Default 1000 ms; 0 returns at once. */
  timeoutMs?: number;
  /** Default: maxPollRecords. */
  maxRecords?: number;
}

function isNonEmpty(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`option '${name}' must be a non-empty string`);
}

const SHARE_OPTIONS: OptionTable = {
  ...COMMON_OPTIONS,
  groupId: { property: 'group.id', check: isNonEmpty },
  acknowledgementMode: { check: oneOf(['implicit', 'explicit']) },
  maxPollRecords: ranged('max.poll.records', { max: 1_000_000 }),
  acquireMode: { property: 'share.acquire.mode', check: oneOf(['record_limit', 'batch_optimized']) },
  keyDeserializer: { check: isFunction },
  valueDeserializer: { check: isFunction },
};

/** librdkafka properties for share consumer options (exported for tests and tools). */
export function shareConsumerConfig(options: ShareConsumerOptions<unknown, unknown>): NativeConfig {
  const config = toRdkafka(
    {
      kind: 'KafkaShareConsumer',
      table: SHARE_OPTIONS,
      // The implicit mode is ours (src/share/share-consumer.ts): librdkafka's would accept records this
      // client fetched but has not handed to the application yet.
      forced: { 'share.acknowledgement.mode': 'explicit' },
    },
    options,
  );
  if (config['group.id'] === undefined) throw new TypeError(`option 'groupId' is required for KafkaShareConsumer`);
  // maxPollRecords bounds what the broker locks to this member, not only what a poll returns
  // (librdkafka's own default is batch_optimized: scripts/deps/patches/librdkafka/0004).
  config['share.acquire.mode'] ??= 'record_limit';
  return config;
}
