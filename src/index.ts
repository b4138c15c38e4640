/**
 * kafka-napi: an Apache Kafka client for Node.js over librdkafka (static, Node-API, prebuilt).
 * @packageDocumentation
 */
import { addon } from './native/addon';

export { KafkaProducer } from './producer';
export type {
  Acks,
  CompressionType,
  PartitionerFunction,
  PartitionerName,
  Payload,
  ProducerOptions,
  ProducerRecord,
  ProducerStreamOptions,
  SendOptions,
} from './producer';
export { KafkaConsumer } from './consumer';
export type {
  AssignmentStrategy,
  AutoOffsetReset,
  ConsumerOptions,
  PollOptions,
  ConsumerStreamOptions,
} from './consumer';
export { KafkaShareConsumer } from './share';
export type {
  AcknowledgeType,
  AcknowledgementMode,
  ShareAcquireMode,
  ShareCommitResult,
  ShareConsumerOptions,
  SharePollOptions,
  ShareRecord,
} from './share';
export { KafkaAdmin } from './admin';
export type * from './admin';
export { KafkaError } from './core/errors';
export { CHANNELS as diagnosticsChannels } from './observe/diagnostics';
export type {
  CommitContext,
  ProcessContext,
  RebalanceContext,
  ReceiveContext,
  SendContext,
} from './observe/diagnostics';
export type { ErrorCode, KafkaErrorInit } from './core/errors';
export { serializers, deserializers } from './core/serde';
export type { Serializer, Deserializer, Serialized, RecordHeaderList } from './core/serde';
export type {
  CommonOptions,
  ConsumerRecord,
  HeadersInput,
  HeaderValue,
  Logger,
  PartitionInfo,
  RdkafkaProperties,
  RecordMetadata,
  TopicPartition,
  TopicPartitionOffset,
} from './core/types';
export type { OauthBearerToken, PemInput, SaslOptions, SslOptions } from './core/security';
export type {
  RdKafkaBrokerStats,
  RdKafkaBrokerTopparStats,
  RdKafkaConsumerGroupStats,
  RdKafkaEosStats,
  RdKafkaFatalStats,
  RdKafkaPartitionStats,
  RdKafkaStats,
  RdKafkaTopicStats,
  RdKafkaWindowStats,
} from './core/stats';

/** Version of the librdkafka linked into the addon, e.g. '2.15.1'. */
export const librdkafkaVersion: string = addon.librdkafkaVersion();

/** librdkafka's builtin.features, e.g. ['gzip', 'snappy', 'ssl', ...]. */
export const features: string[] = addon.features().split(',').filter(Boolean);
