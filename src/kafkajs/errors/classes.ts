/**
 * kafkajs 2.2.4's error classes, with kafkajs's constructor signatures, names, `retriable` defaults, extra
 * properties and class hierarchy (code written against kafkajs catches with `instanceof` and reads
 * `retriable`, `type`, `code`).
 *
 * Fields are `declare`d and assigned in the constructors in kafkajs's order: a class field would be defined
 * (enumerable, undefined) before the constructor body runs, changing which keys an error has and their
 * order, which shows in logs and `JSON.stringify`.
 */
import type {
  DeleteGroupsResult,
  KafkaJSConnectionErrorMetadata,
  KafkaJSDeleteGroupsErrorGroups,
  KafkaJSDeleteTopicRecordsErrorPartition,
  KafkaJSDeleteTopicRecordsErrorTopic,
  KafkaJSErrorMetadata,
  KafkaJSNumberOfRetriesExceededMetadata,
  KafkaJSOffsetOutOfRangeMetadata,
  KafkaJSRequestTimeoutErrorMetadata,
  KafkaJSServerDoesNotSupportApiKeyMetadata,
  KafkaJSStaleTopicMetadataAssignmentMetadata,
  KafkaJSTopicMetadataNotLoadedMetadata,
} from '../types';

/** What kafkajs's constructors take as `e`: a message, an Error, or an entry of the protocol error table. */
type ErrorInput = Error | string;

/** kafkajs passes `{ cause }` through to KafkaJSError from most constructors; so do we. */
interface WithCause {
  cause?: Error;
}

/** kafkajs takes `e.message || e`: the message of an Error (or table entry), or the string itself. */
function messageOf(e: ErrorInput | undefined): string {
  if (e === undefined || e === null) return '';
  if (typeof e === 'string') return e;
  return e.message || String(e);
}

/** A property kafkajs reads off `e` when it is an object (helpUrl, type, code, retriable). */
function field(e: ErrorInput | undefined, key: string): unknown {
  return typeof e === 'object' && e !== null ? (e as unknown as Record<string, unknown>)[key] : undefined;
}

/**
 * Each subclass renames the error after its parent's constructor ran, as kafkajs does (the parent's name is
 * briefly visible, e.g. in KafkaJSNumberOfRetriesExceeded's stack). `name` is readonly in kafkajs's types;
 * seen as a plain Error it is writable.
 */
function rename(error: Error, name: string): void {
  error.name = name;
}

export class KafkaJSError extends Error {
  declare readonly message: string;
  declare readonly name: string;
  declare readonly retriable: boolean;
  declare readonly helpUrl?: string;
  declare readonly cause?: Error;

  /** Retriable unless `retriable: false`: kafkajs's retry loop retries a KafkaJSError by default. */
  constructor(e?: ErrorInput, { retriable = true, cause }: KafkaJSErrorMetadata & WithCause = {}) {
    super(messageOf(e), { cause });
    Error.captureStackTrace(this, new.target);
    this.message = messageOf(e);
    this.name = 'KafkaJSError';
    this.retriable = retriable;
    this.helpUrl = field(e, 'helpUrl') as string | undefined;
    this.cause = cause;
  }
}

export class KafkaJSNonRetriableError extends KafkaJSError {
  constructor(e?: ErrorInput, { cause }: WithCause = {}) {
    super(e, { retriable: false, cause });
    rename(this, 'KafkaJSNonRetriableError');
  }
}

/** One entry of kafkajs's protocol error table (the `e` KafkaJSProtocolError is usually built from). */
export interface ProtocolErrorEntry {
  type: string;
  code: number;
  retriable: boolean;
  message: string;
  helpUrl?: string;
}

/** A Kafka protocol error code in a response: `type` and `code` as kafkajs names them. */
export class KafkaJSProtocolError extends KafkaJSError {
  declare readonly type: string;
  declare readonly code: number;

  /** Retriable as the table entry says; an Error or string without the flag is retriable. */
  constructor(e?: ErrorInput | ProtocolErrorEntry, { retriable }: { retriable?: boolean } = {}) {
    super(e as ErrorInput, { retriable: retriable ?? (field(e as ErrorInput, 'retriable') as boolean | undefined) });
    this.type = field(e as ErrorInput, 'type') as string;
    this.code = field(e as ErrorInput, 'code') as number;
    rename(this, 'KafkaJSProtocolError');
  }
}

export class KafkaJSOffsetOutOfRange extends KafkaJSProtocolError {
  declare readonly topic: string;
  declare readonly partition: number;

  constructor(
    e?: ErrorInput | ProtocolErrorEntry,
    { topic, partition }: Partial<KafkaJSOffsetOutOfRangeMetadata> = {},
  ) {
    super(e);
    this.topic = topic as string;
    this.partition = partition as number;
    rename(this, 'KafkaJSOffsetOutOfRange');
  }
}

export class KafkaJSMemberIdRequired extends KafkaJSProtocolError {
  declare readonly memberId: string;

  constructor(e?: ErrorInput | ProtocolErrorEntry, { memberId }: { memberId?: string } = {}) {
    super(e);
    this.memberId = memberId as string;
    rename(this, 'KafkaJSMemberIdRequired');
  }
}

/** kafkajs's retry loop gave up: `cause` is the last error, and the stack ends with its stack. */
export class KafkaJSNumberOfRetriesExceeded extends KafkaJSNonRetriableError {
  declare readonly stack: string;
  declare readonly retryCount: number;
  declare readonly retryTime: number;

  constructor(e?: ErrorInput, { retryCount, retryTime }: Partial<KafkaJSNumberOfRetriesExceededMetadata> = {}) {
    super(e, { cause: typeof e === 'object' ? e : undefined });
    // Written before the rename, as kafkajs does: the first line names KafkaJSNonRetriableError.
    this.stack = `${this.name}\n  Caused by: ${typeof e === 'object' ? e.stack : undefined}`;
    this.retryCount = retryCount as number;
    this.retryTime = retryTime as number;
    rename(this, 'KafkaJSNumberOfRetriesExceeded');
  }
}

export class KafkaJSConnectionError extends KafkaJSError {
  declare readonly broker: string;
  /** kafkajs: the socket's error code ('ECONNREFUSED'); from toKafkaJSError, librdkafka's ('_TRANSPORT'). */
  declare readonly code?: string;

  constructor(e?: ErrorInput, { broker, code }: KafkaJSConnectionErrorMetadata = {}) {
    super(e);
    this.broker = broker as string;
    this.code = code;
    rename(this, 'KafkaJSConnectionError');
  }
}

export class KafkaJSConnectionClosedError extends KafkaJSConnectionError {
  declare readonly host: string;
  declare readonly port: number;

  constructor(e?: ErrorInput, { host, port }: { host?: string; port?: number } = {}) {
    super(e, { broker: `${host}:${port}` });
    this.host = host as string;
    this.port = port as number;
    rename(this, 'KafkaJSConnectionClosedError');
  }
}

export class KafkaJSRequestTimeoutError extends KafkaJSError {
  declare readonly broker: string;
  declare readonly correlationId: number;
  declare readonly createdAt: number;
  declare readonly sentAt: number;
  declare readonly pendingDuration: number;

  constructor(
    e?: ErrorInput,
    { broker, correlationId, createdAt, sentAt, pendingDuration }: Partial<KafkaJSRequestTimeoutErrorMetadata> = {},
  ) {
    super(e);
    this.broker = broker as string;
    this.correlationId = correlationId as number;
    this.createdAt = createdAt as number;
    this.sentAt = sentAt as number;
    this.pendingDuration = pendingDuration as number;
    rename(this, 'KafkaJSRequestTimeoutError');
  }
}

export class KafkaJSMetadataNotLoaded extends KafkaJSError {
  constructor(e?: ErrorInput, metadata?: KafkaJSErrorMetadata & WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSMetadataNotLoaded');
  }
}

export class KafkaJSTopicMetadataNotLoaded extends KafkaJSMetadataNotLoaded {
  declare readonly topic: string;

  constructor(e?: ErrorInput, { topic }: Partial<KafkaJSTopicMetadataNotLoadedMetadata> = {}) {
    super(e);
    this.topic = topic as string;
    rename(this, 'KafkaJSTopicMetadataNotLoaded');
  }
}

export class KafkaJSStaleTopicMetadataAssignment extends KafkaJSError {
  declare readonly topic: string;
  /** kafkajs's declarations say `number`; what it stores is what its metadata argument carries. */
  declare readonly unknownPartitions: KafkaJSStaleTopicMetadataAssignmentMetadata['unknownPartitions'];

  constructor(e?: ErrorInput, { topic, unknownPartitions }: Partial<KafkaJSStaleTopicMetadataAssignmentMetadata> = {}) {
    super(e);
    this.topic = topic as string;
    this.unknownPartitions = unknownPartitions as KafkaJSStaleTopicMetadataAssignmentMetadata['unknownPartitions'];
    rename(this, 'KafkaJSStaleTopicMetadataAssignment');
  }
}

export class KafkaJSDeleteGroupsError extends KafkaJSError {
  declare readonly groups: DeleteGroupsResult[];

  constructor(e?: ErrorInput, groups: KafkaJSDeleteGroupsErrorGroups[] | DeleteGroupsResult[] = []) {
    super(e);
    this.groups = groups as DeleteGroupsResult[];
    rename(this, 'KafkaJSDeleteGroupsError');
  }
}

export class KafkaJSServerDoesNotSupportApiKey extends KafkaJSNonRetriableError {
  declare readonly apiKey: number;
  declare readonly apiName: string;

  constructor(e?: ErrorInput, { apiKey, apiName }: Partial<KafkaJSServerDoesNotSupportApiKeyMetadata> = {}) {
    super(e);
    this.apiKey = apiKey as number;
    this.apiName = apiName as string;
    rename(this, 'KafkaJSServerDoesNotSupportApiKey');
  }
}

export class KafkaJSBrokerNotFound extends KafkaJSError {
  constructor(e?: ErrorInput, metadata?: KafkaJSErrorMetadata & WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSBrokerNotFound');
  }
}

export class KafkaJSPartialMessageError extends KafkaJSNonRetriableError {
  constructor(e?: ErrorInput, metadata?: WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSPartialMessageError');
  }
}

export class KafkaJSSASLAuthenticationError extends KafkaJSNonRetriableError {
  constructor(e?: ErrorInput, metadata?: WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSSASLAuthenticationError');
  }
}

export class KafkaJSGroupCoordinatorNotFound extends KafkaJSNonRetriableError {
  constructor(e?: ErrorInput, metadata?: WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSGroupCoordinatorNotFound');
  }
}

/** Something kafkajs does that kafka-napi cannot; the message names the alternative. */
export class KafkaJSNotImplemented extends KafkaJSNonRetriableError {
  constructor(e?: ErrorInput, metadata?: WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSNotImplemented');
  }
}

/** A client-side wait ran out (kafkajs's waitFor, e.g. createTopics' waitForLeaders). Not retriable. */
export class KafkaJSTimeout extends KafkaJSNonRetriableError {
  constructor(e?: ErrorInput, metadata?: WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSTimeout');
  }
}

export class KafkaJSLockTimeout extends KafkaJSTimeout {
  constructor(e?: ErrorInput, metadata?: WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSLockTimeout');
  }
}

export class KafkaJSUnsupportedMagicByteInMessageSet extends KafkaJSNonRetriableError {
  constructor(e?: ErrorInput, metadata?: WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSUnsupportedMagicByteInMessageSet');
  }
}

/** deleteTopicRecords failed for some partitions: retriable only if every partition's error is. */
export class KafkaJSDeleteTopicRecordsError extends KafkaJSError {
  declare readonly partitions: KafkaJSDeleteTopicRecordsErrorPartition[];

  constructor({ partitions }: Pick<KafkaJSDeleteTopicRecordsErrorTopic, 'partitions'> & { topic?: string }) {
    const failed = partitions.filter(({ error }) => error != null);
    super('Error while deleting records', { retriable: failed.every(({ error }) => error.retriable === true) });
    rename(this, 'KafkaJSDeleteTopicRecordsError');
    this.partitions = partitions;
  }
}

/** A broken internal assumption: a bug to report (kafkajs links its issue tracker; we have none to link). */
export class KafkaJSInvariantViolation extends KafkaJSNonRetriableError {
  constructor(e?: ErrorInput) {
    super(`Invariant violated: ${messageOf(e)}. This is likely a bug and should be reported.`);
    rename(this, 'KafkaJSInvariantViolation');
  }
}

/** kafkajs names these two KafkaJSNonRetriableError (a slip in kafkajs kept so `name` checks still match). */
export class KafkaJSInvalidVarIntError extends KafkaJSNonRetriableError {
  constructor(e?: ErrorInput, metadata?: WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSNonRetriableError');
  }
}

export class KafkaJSInvalidLongError extends KafkaJSNonRetriableError {
  constructor(e?: ErrorInput, metadata?: WithCause) {
    super(e, metadata);
    rename(this, 'KafkaJSNonRetriableError');
  }
}

export class KafkaJSCreateTopicError extends KafkaJSProtocolError {
  declare readonly topic: string;

  constructor(e?: ErrorInput | ProtocolErrorEntry, topicName?: string) {
    super(e);
    this.topic = topicName as string;
    rename(this, 'KafkaJSCreateTopicError');
  }
}

export class KafkaJSAlterPartitionReassignmentsError extends KafkaJSProtocolError {
  declare readonly topic?: string;
  declare readonly partition?: number;

  constructor(e?: ErrorInput | ProtocolErrorEntry, topic?: string, partition?: number) {
    super(e);
    this.topic = topic;
    this.partition = partition;
    rename(this, 'KafkaJSAlterPartitionReassignmentsError');
  }
}

/** Not a KafkaJSError in kafkajs either: a plain Error carrying several errors. */
export class KafkaJSAggregateError extends Error {
  declare readonly errors: (Error | string)[];

  constructor(message: ErrorInput, errors: (Error | string)[]) {
    super(String(message));
    this.errors = errors;
    this.name = 'KafkaJSAggregateError';
  }
}

/** kafkajs's fetcher uses it internally to stop on a rebalance; a bare Error subclass named 'Error'. */
export class KafkaJSFetcherRebalanceError extends Error {}

export class KafkaJSNoBrokerAvailableError extends KafkaJSError {
  constructor() {
    super('No broker available');
    rename(this, 'KafkaJSNoBrokerAvailableError');
  }
}
