/** Types shared by the producer, consumer and admin APIs. */
import type { SaslOptions, SslOptions } from './security';
import type { RdKafkaStats } from './stats';

/** A partition of a topic. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** A partition and an offset in it. */
export interface TopicPartitionOffset extends TopicPartition {
  /** Kafka's "next offset to read" when committing. */
  offset: number;
}

/** A partition as cluster metadata describes it: broker ids, leader -1 when it has none. */
export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/** Where a sent record was written: its partition, offset and timestamp. */
export interface RecordMetadata {
  topic: string;
  partition: number;
  /**
   * Where the record was written, or -1 when the broker acknowledged it without saying: with `acks: 0`,
   * and for an idempotent retry of a batch the broker had already written (DUPLICATE_SEQUENCE_NUMBER).
   */
  offset: number;
  timestamp: number;
  /**
   * The partition's first offset (records before it were deleted or expired), as the broker reported it
   * with the acknowledgement; -1 when it did not (acks: 0).
   */
  logStartOffset: number;
}

/**
 * Header input: a plain object, or ordered pairs (repeated names allowed). Values are UTF-8 strings or
 * bytes; `null` (or `undefined`) is a null header value, distinct from an empty one.
 */
export type HeaderValue = string | Buffer | Uint8Array | null | undefined;
/** Record headers as send() takes them: an object, or [name, value] pairs (which may repeat a name). */
export type HeadersInput = Record<string, HeaderValue> | Array<[string, HeaderValue]>;

/** A record as a consumer hands it out, key and value deserialized. */
export interface ConsumerRecord<K = Buffer, V = Buffer> {
  topic: string;
  partition: number;
  offset: number;
  key: K | null;
  value: V | null;
  /** A null value is a header sent with a null value (not an empty one). */
  headers: Array<[string, Buffer | null]>;
  timestamp: number;
  timestampType: 'create' | 'log-append' | 'none';
  leaderEpoch?: number;
}

/** Receives librdkafka's log lines (and client errors that are not tied to one call). */
export interface Logger {
  /** Error-level lines, and client errors not tied to one call. */
  error?(message: string, meta?: Record<string, unknown>): void;
  /** Warning-level lines. */
  warn?(message: string, meta?: Record<string, unknown>): void;
  /** Informational lines. */
  info?(message: string, meta?: Record<string, unknown>): void;
  /** Debug lines (librdkafka's `debug` property turns them on). */
  debug?(message: string, meta?: Record<string, unknown>): void;
}

/** Raw librdkafka properties (CONFIGURATION.md names), applied last. */
export type RdkafkaProperties = Record<string, string | number | boolean>;

/** The options every client takes: brokers, client id, security, logging, statistics, raw librdkafka properties. */
export interface CommonOptions {
  /** 'host:port', a comma-separated list, or an array of them. */
  bootstrapServers: string | string[];
  clientId?: string;
  rdkafka?: RdkafkaProperties;
  logger?: Logger;
  /** librdkafka statistics every statsIntervalMs, parsed. */
  onStats?: (stats: RdKafkaStats) => void;
  statsIntervalMs?: number;
  /** TLS: `true` for the system trust store, or CA/client certificates in memory (docs/security.md). */
  ssl?: boolean | SslOptions;
  /** SASL authentication: PLAIN, SCRAM-SHA-256/512 or OAUTHBEARER with a token provider. */
  sasl?: SaslOptions;
}
