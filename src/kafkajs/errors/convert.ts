/** `toKafkaJSError`: kafka-napi's KafkaError as the class a kafkajs user would catch. */
import type { ErrorCode, KafkaError } from '../../core/errors';
import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSMemberIdRequired,
  KafkaJSNonRetriableError,
  KafkaJSNotImplemented,
  KafkaJSOffsetOutOfRange,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
  KafkaJSServerDoesNotSupportApiKey,
  type ProtocolErrorEntry,
} from './classes';
import { PROTOCOL_ERRORS } from './protocol';

/**
 * Recognised by shape rather than `instanceof`: this module then loads without the native addon (the
 * enums and errors are usable on their own), and a KafkaError from another copy of kafka-napi converts too.
 */
function isKafkaError(err: unknown): err is KafkaError {
  if (!(err instanceof Error) || err.name !== 'KafkaError') return false;
  const e = err as Partial<KafkaError>;
  return typeof e.code === 'string' && typeof e.errno === 'number' && typeof e.retriable === 'boolean';
}

/** librdkafka's local (client-side) errors are numbered -200..-100; broker errors are Kafka's codes. */
const LOCAL_ERRNO_MAX = -100;

// librdkafka's local errors with a kafkajs counterpart; the rest keep librdkafka's message and flag.
const CONNECTION_CODES = new Set<ErrorCode>(['_TRANSPORT', '_ALL_BROKERS_DOWN', '_RESOLVE', '_SSL', '_FAIL']);
// Timeouts of requests librdkafka sent (a commit, an admin or transaction call, a produce request within
// the delivery timeout): kafkajs reports a request that timed out as the retriable KafkaJSRequestTimeoutError.
const TIMEOUT_CODES = new Set<ErrorCode>(['_TIMED_OUT', '_TIMED_OUT_QUEUE', '_MSG_TIMED_OUT']);
// A topic or partition missing from librdkafka's metadata: kafkajs learns the same from the broker's
// UNKNOWN_TOPIC_OR_PARTITION, which is what its users test `type` against.
const UNKNOWN_TOPIC_CODES = new Set<ErrorCode>(['_UNKNOWN_TOPIC', '_UNKNOWN_PARTITION']);
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const OFFSET_OUT_OF_RANGE = 1;
const SASL_AUTHENTICATION_FAILED = 58;
const MEMBER_ID_REQUIRED = 79;

/** `host:port` at the start of a librdkafka broker message ("127.0.0.1:9092/1: Connect to ... failed"). */
function brokerOf(message: string): string | undefined {
  return /^(?:[a-z_]+:\/\/)?([^\s/]+:\d+)\//i.exec(message)?.[1];
}

/** The kafkajs error for a Kafka error code; codes kafkajs 2.2.4 predates keep Kafka's own name. */
function fromBrokerCode(err: KafkaError): KafkaJSError {
  const code = err.errno;
  const entry = PROTOCOL_ERRORS.get(code);
  if (code === SASL_AUTHENTICATION_FAILED) {
    return new KafkaJSSASLAuthenticationError(`SASL authentication failed: ${err.message}`, { cause: err });
  }
  let error: KafkaJSProtocolError;
  if (entry === undefined) {
    // kafkajs would say KAFKAJS_UNKNOWN_ERROR_CODE / -99 for a code newer than it; Kafka's name (librdkafka
    // uses Kafka's names for these) and the real code say what happened.
    error = new KafkaJSProtocolError(
      { type: err.code, code, retriable: err.retriable, message: err.message },
      { retriable: err.retriable },
    );
  } else if (code === OFFSET_OUT_OF_RANGE) {
    error = new KafkaJSOffsetOutOfRange(entry, { topic: err.topic, partition: err.partition });
  } else if (code === MEMBER_ID_REQUIRED) {
    error = new KafkaJSMemberIdRequired(entry);
  } else {
    error = new KafkaJSProtocolError(entry);
  }
  setCause(error, err);
  return error;
}

/** kafkajs's constructors for these classes take no cause; the original stays reachable anyway. */
function setCause(error: KafkaJSError, cause: Error): void {
  (error as { cause?: Error }).cause = cause;
}

function fromLocalCode(err: KafkaError): KafkaJSError {
  const { code, message } = err;
  let error: KafkaJSError;
  if (UNKNOWN_TOPIC_CODES.has(code)) {
    const entry = PROTOCOL_ERRORS.get(UNKNOWN_TOPIC_OR_PARTITION) as ProtocolErrorEntry;
    error = new KafkaJSProtocolError(entry);
  } else if (TIMEOUT_CODES.has(code)) {
    error = new KafkaJSRequestTimeoutError(message, { broker: brokerOf(message) });
  } else if (CONNECTION_CODES.has(code)) {
    error = new KafkaJSConnectionError(message, { broker: brokerOf(message), code });
  } else if (code === '_AUTHENTICATION') {
    return new KafkaJSSASLAuthenticationError(message, { cause: err });
  } else if (code === '_NOT_IMPLEMENTED') {
    return new KafkaJSNotImplemented(message, { cause: err });
  } else if (code === '_UNSUPPORTED_FEATURE') {
    error = new KafkaJSServerDoesNotSupportApiKey(message);
  } else if (err.retriable) {
    return new KafkaJSError(message, { retriable: true, cause: err });
  } else {
    return new KafkaJSNonRetriableError(message, { cause: err });
  }
  setCause(error, err);
  return error;
}

/**
 * The kafkajs error a kafkajs user would catch for `err`, with `err` as its `cause`:
 * - a broker error (KafkaError.errno is the Kafka protocol code): KafkaJSProtocolError with kafkajs's
 *   `type`, `code`, `retriable` and message, mapped by number since librdkafka's names differ from
 *   kafkajs's for some codes; OFFSET_OUT_OF_RANGE is KafkaJSOffsetOutOfRange (with the error's topic and
 *   partition), MEMBER_ID_REQUIRED KafkaJSMemberIdRequired, SASL_AUTHENTICATION_FAILED
 *   KafkaJSSASLAuthenticationError;
 * - librdkafka's unknown topic/partition: KafkaJSProtocolError UNKNOWN_TOPIC_OR_PARTITION;
 * - timeouts (_TIMED_OUT, _TIMED_OUT_QUEUE, _MSG_TIMED_OUT): KafkaJSRequestTimeoutError. A wait of the
 *   kafkajs layer's own (kafkajs's waitFor) should throw KafkaJSTimeout itself;
 * - connection failures (_TRANSPORT, _ALL_BROKERS_DOWN, _RESOLVE, _SSL, _FAIL): KafkaJSConnectionError
 *   with `code` set to librdkafka's code and `broker` when the message names one;
 * - _AUTHENTICATION: KafkaJSSASLAuthenticationError; _NOT_IMPLEMENTED: KafkaJSNotImplemented;
 *   _UNSUPPORTED_FEATURE: KafkaJSServerDoesNotSupportApiKey;
 * - any other KafkaError: KafkaJSError when retriable, else KafkaJSNonRetriableError.
 * KafkaJS errors, argument errors (TypeError, RangeError) and any other Error come back as given; a thrown
 * non-Error becomes a KafkaJSNonRetriableError with its string form as message.
 */
export function toKafkaJSError(err: unknown): Error {
  // Something thrown that is not an Error at all (a string from a handler): an Error saying what it was.
  if (!isKafkaError(err)) return err instanceof Error ? err : new KafkaJSNonRetriableError(String(err));
  if (err.errno > LOCAL_ERRNO_MAX && err.errno !== 0 && (err.errno !== -1 || err.code === 'UNKNOWN')) {
    return fromBrokerCode(err);
  }
  return fromLocalCode(err);
}
