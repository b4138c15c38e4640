/**
 * kafkajs 2.2.4's error classes, with kafkajs's constructor signatures, names, `retriable` defaults, extra
 * properties and class hierarchy (code written against kafkajs catches with `instanceof` and reads
 * `retriable`, `type`, `code`), plus kafkajs's table of Kafka protocol errors and `toKafkaJSError`, which
 * turns kafka-napi's KafkaError into the class a kafkajs user would catch.
 *
 * Fields are `declare`d and assigned in the constructors in kafkajs's order: a class field would be defined
 * (enumerable, undefined) before the constructor body runs, changing which keys an error has and their
 * order, which shows in logs and `JSON.stringify`.
 */
import type { KafkaError } from '../core/errors';
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
} from './types';

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

/**
 * kafkajs's table of Kafka protocol errors: code, kafkajs's type (Kafka's Java name of 2.2.4's time, which
 * differs from librdkafka's for some codes: 3 is UNKNOWN_TOPIC_OR_PARTITION, not UNKNOWN_TOPIC_OR_PART),
 * whether kafkajs retries it, and kafkajs's message.
 */
// One entry a line, as in a table (prettier would break the long messages over four lines each).
// prettier-ignore
const PROTOCOL_ERROR_TABLE: ReadonlyArray<readonly [code: number, type: string, retriable: boolean, message: string]> = [
  [-1, 'UNKNOWN', false, 'The server experienced an unexpected error when processing the request'],
  [1, 'OFFSET_OUT_OF_RANGE', false, 'The requested offset is not within the range of offsets maintained by the server'],
  [2, 'CORRUPT_MESSAGE', true, 'This message has failed its CRC checksum, exceeds the valid size, or is otherwise corrupt'],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION', true, 'This server does not host this topic-partition'],
  [4, 'INVALID_FETCH_SIZE', false, 'The requested fetch size is invalid'],
  [5, 'LEADER_NOT_AVAILABLE', true, 'There is no leader for this topic-partition as we are in the middle of a leadership election'],
  [6, 'NOT_LEADER_FOR_PARTITION', true, 'This server is not the leader for that topic-partition'],
  [7, 'REQUEST_TIMED_OUT', true, 'The request timed out'],
  [8, 'BROKER_NOT_AVAILABLE', false, 'The broker is not available'],
  [9, 'REPLICA_NOT_AVAILABLE', true, 'The replica is not available for the requested topic-partition'],
  [10, 'MESSAGE_TOO_LARGE', false, 'The request included a message larger than the max message size the server will accept'],
  [11, 'STALE_CONTROLLER_EPOCH', false, 'The controller moved to another broker'],
  [12, 'OFFSET_METADATA_TOO_LARGE', false, 'The metadata field of the offset request was too large'],
  [13, 'NETWORK_EXCEPTION', true, 'The server disconnected before a response was received'],
  [14, 'GROUP_LOAD_IN_PROGRESS', true, "The coordinator is loading and hence can't process requests for this group"],
  [15, 'GROUP_COORDINATOR_NOT_AVAILABLE', true, 'The group coordinator is not available'],
  [16, 'NOT_COORDINATOR_FOR_GROUP', true, 'This is not the correct coordinator for this group'],
  [17, 'INVALID_TOPIC_EXCEPTION', false, 'The request attempted to perform an operation on an invalid topic'],
  [18, 'RECORD_LIST_TOO_LARGE', false, 'The request included message batch larger than the configured segment size on the server'],
  [19, 'NOT_ENOUGH_REPLICAS', true, 'Messages are rejected since there are fewer in-sync replicas than required'],
  [20, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', true, 'Messages are written to the log, but to fewer in-sync replicas than required'],
  [21, 'INVALID_REQUIRED_ACKS', false, 'Produce request specified an invalid value for required acks'],
  [22, 'ILLEGAL_GENERATION', false, 'Specified group generation id is not valid'],
  [23, 'INCONSISTENT_GROUP_PROTOCOL', false, "The group member's supported protocols are incompatible with those of existing members"],
  [24, 'INVALID_GROUP_ID', false, 'The configured groupId is invalid'],
  [25, 'UNKNOWN_MEMBER_ID', false, 'The coordinator is not aware of this member'],
  [26, 'INVALID_SESSION_TIMEOUT', false, 'The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)'],
  [27, 'REBALANCE_IN_PROGRESS', false, 'The group is rebalancing, so a rejoin is needed'],
  [28, 'INVALID_COMMIT_OFFSET_SIZE', false, 'The committing offset data size is not valid'],
  [29, 'TOPIC_AUTHORIZATION_FAILED', false, 'Not authorized to access topics: [Topic authorization failed]'],
  [30, 'GROUP_AUTHORIZATION_FAILED', false, 'Not authorized to access group: Group authorization failed'],
  [31, 'CLUSTER_AUTHORIZATION_FAILED', false, 'Cluster authorization failed'],
  [32, 'INVALID_TIMESTAMP', false, 'The timestamp of the message is out of acceptable range'],
  [33, 'UNSUPPORTED_SASL_MECHANISM', false, 'The broker does not support the requested SASL mechanism'],
  [34, 'ILLEGAL_SASL_STATE', false, 'Request is not valid given the current SASL state'],
  [35, 'UNSUPPORTED_VERSION', false, 'The version of API is not supported'],
  [36, 'TOPIC_ALREADY_EXISTS', false, 'Topic with this name already exists'],
  [37, 'INVALID_PARTITIONS', false, 'Number of partitions is invalid'],
  [38, 'INVALID_REPLICATION_FACTOR', false, 'Replication-factor is invalid'],
  [39, 'INVALID_REPLICA_ASSIGNMENT', false, 'Replica assignment is invalid'],
  [40, 'INVALID_CONFIG', false, 'Configuration is invalid'],
  [41, 'NOT_CONTROLLER', true, 'This is not the correct controller for this cluster'],
  [42, 'INVALID_REQUEST', false, 'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details'],
  [43, 'UNSUPPORTED_FOR_MESSAGE_FORMAT', false, 'The message format version on the broker does not support the request'],
  [44, 'POLICY_VIOLATION', false, 'Request parameters do not satisfy the configured policy'],
  [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER', false, 'The broker received an out of order sequence number'],
  [46, 'DUPLICATE_SEQUENCE_NUMBER', false, 'The broker received a duplicate sequence number'],
  [47, 'INVALID_PRODUCER_EPOCH', false, "Producer attempted an operation with an old epoch. Either there is a newer producer with the same transactionalId, or the producer's transaction has been expired by the broker"],
  [48, 'INVALID_TXN_STATE', false, 'The producer attempted a transactional operation in an invalid state'],
  [49, 'INVALID_PRODUCER_ID_MAPPING', false, 'The producer attempted to use a producer id which is not currently assigned to its transactional id'],
  [50, 'INVALID_TRANSACTION_TIMEOUT', false, 'The transaction timeout is larger than the maximum value allowed by the broker (as configured by max.transaction.timeout.ms)'],
  [51, 'CONCURRENT_TRANSACTIONS', true, 'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing'],
  [52, 'TRANSACTION_COORDINATOR_FENCED', false, 'Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer'],
  [53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false, 'Transactional Id authorization failed'],
  [54, 'SECURITY_DISABLED', false, 'Security features are disabled'],
  [55, 'OPERATION_NOT_ATTEMPTED', false, 'The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest'],
  [56, 'KAFKA_STORAGE_ERROR', true, 'Disk error when trying to access log file on the disk'],
  [57, 'LOG_DIR_NOT_FOUND', false, 'The user-specified log directory is not found in the broker config'],
  [58, 'SASL_AUTHENTICATION_FAILED', false, 'SASL Authentication failed'],
  [59, 'UNKNOWN_PRODUCER_ID', false, "This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception"],
  [60, 'REASSIGNMENT_IN_PROGRESS', false, 'A partition reassignment is in progress'],
  [61, 'DELEGATION_TOKEN_AUTH_DISABLED', false, 'Delegation Token feature is not enabled'],
  [62, 'DELEGATION_TOKEN_NOT_FOUND', false, 'Delegation Token is not found on server'],
  [63, 'DELEGATION_TOKEN_OWNER_MISMATCH', false, 'Specified Principal is not valid Owner/Renewer'],
  [64, 'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED', false, 'Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels'],
  [65, 'DELEGATION_TOKEN_AUTHORIZATION_FAILED', false, 'Delegation Token authorization failed'],
  [66, 'DELEGATION_TOKEN_EXPIRED', false, 'Delegation Token is expired'],
  [67, 'INVALID_PRINCIPAL_TYPE', false, 'Supplied principalType is not supported'],
  [68, 'NON_EMPTY_GROUP', false, 'The group is not empty'],
  [69, 'GROUP_ID_NOT_FOUND', false, 'The group id was not found'],
  [70, 'FETCH_SESSION_ID_NOT_FOUND', true, 'The fetch session ID was not found'],
  [71, 'INVALID_FETCH_SESSION_EPOCH', true, 'The fetch session epoch is invalid'],
  [72, 'LISTENER_NOT_FOUND', true, 'There is no listener on the leader broker that matches the listener on which metadata request was processed'],
  [73, 'TOPIC_DELETION_DISABLED', false, 'Topic deletion is disabled'],
  [74, 'FENCED_LEADER_EPOCH', true, 'The leader epoch in the request is older than the epoch on the broker'],
  [75, 'UNKNOWN_LEADER_EPOCH', true, 'The leader epoch in the request is newer than the epoch on the broker'],
  [76, 'UNSUPPORTED_COMPRESSION_TYPE', false, 'The requesting client does not support the compression type of given partition'],
  [77, 'STALE_BROKER_EPOCH', false, 'Broker epoch has changed'],
  [78, 'OFFSET_NOT_AVAILABLE', true, 'The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing'],
  [79, 'MEMBER_ID_REQUIRED', false, 'The group member needs to have a valid member id before actually entering a consumer group'],
  [80, 'PREFERRED_LEADER_NOT_AVAILABLE', true, 'The preferred leader was not available'],
  [81, 'GROUP_MAX_SIZE_REACHED', false, 'The consumer group has reached its max size. It already has the configured maximum number of members'],
  [82, 'FENCED_INSTANCE_ID', false, 'The broker rejected this static consumer since another consumer with the same group instance id has registered with a different member id'],
  [83, 'ELIGIBLE_LEADERS_NOT_AVAILABLE', true, 'Eligible topic partition leaders are not available'],
  [84, 'ELECTION_NOT_NEEDED', true, 'Leader election not needed for topic partition'],
  [85, 'NO_REASSIGNMENT_IN_PROGRESS', false, 'No partition reassignment is in progress'],
  [86, 'GROUP_SUBSCRIBED_TO_TOPIC', false, 'Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it'],
  [87, 'INVALID_RECORD', false, 'This record has failed the validation on broker and hence be rejected'],
  [88, 'UNSTABLE_OFFSET_COMMIT', true, 'There are unstable offsets that need to be cleared'],
];

const HELP_URLS: Readonly<Record<number, string>> = {
  27: 'https://kafka.js.org/docs/faq#what-does-it-mean-to-get-rebalance-in-progress-errors',
  58: 'https://kafka.js.org/docs/configuration#sasl',
};

/** kafkajs's protocol error entries by code. */
export const PROTOCOL_ERRORS: ReadonlyMap<number, Readonly<ProtocolErrorEntry>> = new Map(
  PROTOCOL_ERROR_TABLE.map(([code, type, retriable, message]) => {
    const entry: ProtocolErrorEntry = { type, code, retriable, message };
    if (HELP_URLS[code] !== undefined) entry.helpUrl = HELP_URLS[code];
    return [code, Object.freeze(entry)];
  }),
);

/** kafkajs's entry for a code it does not know. */
function unknownProtocolError(code: number): ProtocolErrorEntry {
  return { type: 'KAFKAJS_UNKNOWN_ERROR_CODE', code: -99, retriable: false, message: `Unknown error code ${code}` };
}

/** The KafkaJSProtocolError kafkajs creates for an error code in a response (its createErrorFromCode). */
export function createErrorFromCode(code: number): KafkaJSProtocolError {
  return new KafkaJSProtocolError(PROTOCOL_ERRORS.get(code) ?? unknownProtocolError(code));
}

/** kafkajs's test for the errors that mean "rejoin the group" (not exported by kafkajs's index). */
export function isRebalancing(e: unknown): boolean {
  const type = (e as { type?: unknown } | null)?.type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'NOT_COORDINATOR_FOR_GROUP' || type === 'ILLEGAL_GENERATION';
}

/** kafkajs's isKafkaJSError (not exported by kafkajs's index). */
export function isKafkaJSError(e: unknown): e is KafkaJSError {
  return e instanceof KafkaJSError;
}

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
const CONNECTION_CODES = new Set(['_TRANSPORT', '_ALL_BROKERS_DOWN', '_RESOLVE', '_SSL', '_FAIL']);
// Timeouts of requests librdkafka sent (a commit, an admin or transaction call, a produce request within
// the delivery timeout): kafkajs reports a request that timed out as the retriable KafkaJSRequestTimeoutError.
const TIMEOUT_CODES = new Set(['_TIMED_OUT', '_TIMED_OUT_QUEUE', '_MSG_TIMED_OUT']);
// A topic or partition missing from librdkafka's metadata: kafkajs learns the same from the broker's
// UNKNOWN_TOPIC_OR_PARTITION, which is what its users test `type` against.
const UNKNOWN_TOPIC_CODES = new Set(['_UNKNOWN_TOPIC', '_UNKNOWN_PARTITION']);
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
