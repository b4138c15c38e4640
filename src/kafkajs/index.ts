/**
 * `kafka-napi/kafkajs`: a drop-in for kafkajs 2.2.4 over kafka-napi's engine. The same exported values
 * (test/unit/kafkajs-exports.test.ts compares the lists) and types (test/types/kafkajs.ts compiles kafkajs
 * code against them); what differs, and why, is in docs/kafkajs.md.
 */
export { Kafka } from './kafka';
export { logLevel } from './logger';
export type { LogEntry, Logger, LoggerEntryContent, logCreator } from './logger';
export {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  AssignerProtocol,
  CompressionCodecs,
  CompressionTypes,
  ConfigResourceTypes,
  ConfigSource,
  PartitionAssigners,
  ResourcePatternTypes,
} from './enums';
export { Partitioners } from './partitioners';
export {
  KafkaJSAggregateError,
  KafkaJSAlterPartitionReassignmentsError,
  KafkaJSBrokerNotFound,
  KafkaJSConnectionClosedError,
  KafkaJSConnectionError,
  KafkaJSCreateTopicError,
  KafkaJSDeleteGroupsError,
  KafkaJSDeleteTopicRecordsError,
  KafkaJSError,
  KafkaJSFetcherRebalanceError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSInvalidLongError,
  KafkaJSInvalidVarIntError,
  KafkaJSInvariantViolation,
  KafkaJSLockTimeout,
  KafkaJSMemberIdRequired,
  KafkaJSMetadataNotLoaded,
  KafkaJSNoBrokerAvailableError,
  KafkaJSNonRetriableError,
  KafkaJSNotImplemented,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSOffsetOutOfRange,
  KafkaJSPartialMessageError,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
  KafkaJSServerDoesNotSupportApiKey,
  KafkaJSStaleTopicMetadataAssignment,
  KafkaJSTimeout,
  KafkaJSTopicMetadataNotLoaded,
  KafkaJSUnsupportedMagicByteInMessageSet,
} from './errors';
export type * from './types';
export type { KafkaJSConsumerConfig } from './consumer';
