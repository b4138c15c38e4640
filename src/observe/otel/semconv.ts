/**
 * OpenTelemetry semantic-convention names this library emits, from `@opentelemetry/semantic-conventions`
 * 1.45 (its `incubating` entry point: messaging conventions are still "development"). Copied rather than
 * imported, as that package asks of instrumentations for incubating names (they may change in a minor
 * release) and because its incubating module is megabytes to load for a few strings.
 * test/unit/otel-semconv.test.ts checks every value against the package.
 */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const MESSAGING_SYSTEM_VALUE_KAFKA = 'kafka';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_VALUE_RECEIVE = 'receive';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
export const MESSAGING_OPERATION_TYPE_VALUE_SETTLE = 'settle';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_CLIENT_ID = 'messaging.client.id';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const ATTR_KAFKA_OFFSET = 'kafka.offset';
export const ATTR_KAFKA_MESSAGE_KEY = 'kafka.message.key';
export const ATTR_KAFKA_MESSAGE_TOMBSTONE = 'kafka.message.tombstone';
/** Deprecated in 1.45 for `kafka.offset`; still what most backends' Kafka views read, so both are set. */
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';
/** Deprecated in 1.45 for `kafka.message.key`; set alongside it, like ATTR_MESSAGING_KAFKA_OFFSET. */
export const ATTR_MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const ATTR_ERROR_TYPE = 'error.type';

export const METRIC_MESSAGING_CLIENT_SENT_MESSAGES = 'messaging.client.sent.messages';
export const METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES = 'messaging.client.consumed.messages';
export const METRIC_MESSAGING_CLIENT_OPERATION_DURATION = 'messaging.client.operation.duration';
/**
 * Not a semantic convention (none exists for consumer lag yet): librdkafka's `consumer_lag` per assigned
 * partition, from its statistics. Named in the `kafka.*` namespace the conventions moved Kafka names to.
 */
export const METRIC_KAFKA_CONSUMER_LAG = 'kafka.consumer.lag';
