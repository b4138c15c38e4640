/**
 * KafkaError: the only error type the library creates for broker, librdkafka and client-state failures.
 * Argument mistakes are TypeError/RangeError.
 */
import { addon } from '../native/addon';
import type { ErrorCode } from './error-codes';

export type { ErrorCode } from './error-codes';

/** What a KafkaError is made of: its code, librdkafka's number and flags, and a cause. */
export interface KafkaErrorInit {
  /** librdkafka's error name without the RD_KAFKA_RESP_ERR_ prefix, e.g. 'UNKNOWN_TOPIC_OR_PART'. */
  code: ErrorCode;
  errno?: number;
  retriable?: boolean;
  fatal?: boolean;
  abortable?: boolean;
  cause?: unknown;
}

/**
 * Every error kafka-napi reports about Kafka: a librdkafka or broker error `code` (typed: see ErrorCode),
 * whether retrying may succeed, whether the client is unusable (fatal), and whether a transaction must be
 * aborted.
 */
export class KafkaError extends Error {
  readonly code: ErrorCode;
  readonly errno: number;
  readonly retriable: boolean;
  readonly fatal: boolean;
  readonly abortable: boolean;
  /** Set for errors about one record (e.g. deserialization) or one topic. */
  topic?: string;
  partition?: number;
  offset?: number;
  /**
   * KafkaAdmin.createTopics / deleteTopics: every topic's outcome, when one failed (this error is the
   * first failure's).
   */
  results?: Array<{ name: string; error?: KafkaError }>;

  constructor(message: string, init: KafkaErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'KafkaError';
    this.code = init.code;
    this.errno = init.errno ?? codeToErrno(init.code);
    this.retriable = init.retriable ?? RETRIABLE.has(this.code);
    this.fatal = init.fatal ?? false;
    this.abortable = init.abortable ?? false;
  }
}

// The addon constructs it with librdkafka's error names, which are ErrorCode values.
addon.setErrorClass(KafkaError as unknown as Parameters<typeof addon.setErrorClass>[0]);

const byErrno = new Map<number, { name: string; description: string }>();
const byName = new Map<string, number>();
for (const [errno, name, description] of addon.errorCodes()) {
  byErrno.set(errno, { name, description });
  byName.set(name, errno);
}

// Broker errors Kafka marks retriable, and librdkafka's local errors for the same transient states;
// librdkafka's rd_kafka_error_t carries the flag only for some calls. _WAIT_COORD is a commit that found
// no coordinator within session.timeout.ms: the local form of COORDINATOR_NOT_AVAILABLE.
const RETRIABLE = new Set<ErrorCode>([
  'REQUEST_TIMED_OUT',
  'NOT_LEADER_FOR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'UNKNOWN_TOPIC_OR_PART',
  '_TRANSPORT',
  '_TIMED_OUT',
  '_MSG_TIMED_OUT',
  '_QUEUE_FULL',
  '_ALL_BROKERS_DOWN',
  '_WAIT_COORD',
]);

/** librdkafka's error number for a code name (KafkaError.code); -1 if it has none. */
export function codeToErrno(code: string): number {
  return byName.get(code) ?? -1;
}

/** KafkaError for a librdkafka error number, with librdkafka's description unless a message is given. */
export function errorFromErrno(errno: number, message?: string, extra?: Partial<KafkaErrorInit>): KafkaError {
  const info = byErrno.get(errno);
  const code = (info?.name ?? `ERR_${errno}`) as ErrorCode;
  return new KafkaError(message ?? info?.description ?? code, { ...extra, code, errno });
}

/**
 * An error name the addon reported (a per-item error of a result): librdkafka's, so an ErrorCode
 * (test/unit/error-codes.test.ts checks the generated union against the addon's table).
 */
export function nativeCode(name: string): ErrorCode {
  return name as ErrorCode;
}

/** KafkaError for a code name such as '_DESTROY'. */
export function kafkaError(code: ErrorCode, message: string, extra?: Partial<KafkaErrorInit>): KafkaError {
  return new KafkaError(message, { ...extra, code });
}

/**
 * `: <the cause's message>` for a wrapping error's message (a serializer's own words say what was wrong;
 * the wrapper says where), or nothing when the cause is not an Error.
 */
export function causeDetail(cause: unknown): string {
  return cause instanceof Error && cause.message !== '' ? `: ${cause.message}` : '';
}

/** Rejection used for every call made on, or pending at, a closed client. */
export function destroyedError(what: string): KafkaError {
  return kafkaError('_DESTROY', `${what} is closed`);
}
