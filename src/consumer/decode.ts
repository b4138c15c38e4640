/**
 * From a raw record to what the application gets: deserialized key and value, or the error librdkafka
 * delivered in the record's place.
 */
import { causeDetail, errorFromErrno, kafkaError, type KafkaError } from '../core/errors';
import type { Deserializer } from '../core/serde';
import type { ConsumerRecord } from '../core/types';
import type { RawRecord } from './batch';

/** Errors delivered in place of messages that do not stop consumption: they are logged. */
const TRANSIENT_CONSUMER_ERRORS = new Set([
  'UNKNOWN_TOPIC_OR_PART',
  '_PARTITION_EOF',
  '_TRANSPORT',
  '_ALL_BROKERS_DOWN',
]);

/**
 * The error librdkafka delivered in place of a message, or undefined (after logging it) when consuming
 * goes on regardless. With autoOffsetReset 'error' the application asked not to be guessed for: a
 * subscribed topic that does not exist is raised instead of waited for. Patterns (librdkafka's '^'
 * prefix) that match nothing yet are still only logged.
 */
export function recordError(
  raw: RawRecord,
  errno: number,
  strictTopics: boolean,
  warn: (message: string) => void,
): KafkaError | undefined {
  const error = errorFromErrno(errno, raw.value ? raw.value.toString('utf8') : undefined);
  if (raw.topic) error.topic = raw.topic;
  if (raw.partition >= 0) error.partition = raw.partition;
  const strictUnknownTopic = strictTopics && error.code === 'UNKNOWN_TOPIC_OR_PART' && !raw.topic.startsWith('^');
  if (TRANSIENT_CONSUMER_ERRORS.has(error.code) && !strictUnknownTopic) {
    warn(`${raw.topic}: ${error.message} (${error.code})`);
    return undefined;
  }
  return error;
}

/**
 * Applies the deserializers in place; a throwing one becomes a KafkaError naming the record. A deserializer
 * that answered with a Promise makes this a Promise of the record (rejecting with that KafkaError).
 */
export function deserialize<K, V>(
  raw: RawRecord,
  keyDeserializer: Deserializer<K> | undefined,
  valueDeserializer: Deserializer<V> | undefined,
): ConsumerRecord<K, V> | Promise<ConsumerRecord<K, V>> {
  const record = raw as unknown as ConsumerRecord<K, V>;
  let deferred = false;
  if (keyDeserializer) {
    try {
      record.key = keyDeserializer(raw.key, raw.topic, raw.headers) as K;
    } catch (err) {
      throw recordFailure('_KEY_DESERIALIZATION', raw, err);
    }
    deferred = (record.key as unknown) instanceof Promise;
  }
  if (valueDeserializer) {
    try {
      record.value = valueDeserializer(raw.value, raw.topic, raw.headers) as V;
    } catch (err) {
      throw recordFailure('_VALUE_DESERIALIZATION', raw, err);
    }
    deferred ||= (record.value as unknown) instanceof Promise;
  }
  return deferred ? settleLater(record, raw) : record;
}

/** Waits for the deserializers that answered with a Promise; the record's fields become their results. */
async function settleLater<K, V>(record: ConsumerRecord<K, V>, raw: RawRecord): Promise<ConsumerRecord<K, V>> {
  try {
    record.key = await record.key;
  } catch (err) {
    throw recordFailure('_KEY_DESERIALIZATION', raw, err);
  }
  try {
    record.value = await record.value;
  } catch (err) {
    throw recordFailure('_VALUE_DESERIALIZATION', raw, err);
  }
  return record;
}

function recordFailure(
  code: '_KEY_DESERIALIZATION' | '_VALUE_DESERIALIZATION',
  raw: RawRecord,
  cause: unknown,
): KafkaError {
  const which = code === '_KEY_DESERIALIZATION' ? 'keyDeserializer' : 'valueDeserializer';
  const error = kafkaError(
    code,
    `${which} failed for ${raw.topic}[${raw.partition}] at offset ${raw.offset}${causeDetail(cause)}`,
    { cause },
  );
  error.topic = raw.topic;
  error.partition = raw.partition;
  error.offset = raw.offset;
  return error;
}
