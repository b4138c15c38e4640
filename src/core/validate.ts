/**
 * Argument checks for every public method, in one place: the native layer takes int32 partitions,
 * int32 timeouts and bounded strings, so anything outside those ranges must be rejected here with a
 * TypeError/RangeError naming the argument. Otherwise it wraps (partition 2**32 + 1 became partition 1
 * through an Int32Array) or reaches librdkafka code that copies strings onto the stack.
 */
import { kafkaError } from './errors';
import { MAX_NAME_LENGTH, MAX_TOPIC_LENGTH } from './bounds';

/** Longest timeout a native call or a Node timer takes: int32 milliseconds (about 24.8 days). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** RD_KAFKA_OFFSET_INVALID: "use the committed or reset position" / "none committed". */
export const OFFSET_INVALID = -1001;
/** librdkafka's logical offsets: the partition's first record, and past its last. */
export const OFFSET_BEGINNING = -2;
export const OFFSET_END = -1;
/** Kafka partition ids and counts are int32. */
export const MAX_PARTITION = 2 ** 31 - 1;
/**
 * Longest subscription pattern. librdkafka compiles patterns with a recursive matcher; real patterns are
 * a few dozen characters.
 */
export const MAX_PATTERN_LENGTH = MAX_NAME_LENGTH;
export { MAX_TOPIC_LENGTH };

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Buffer.isBuffer(value)) return 'Buffer';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    const ctor = proto?.constructor?.name;
    return ctor && ctor !== 'Object' ? ctor : 'object';
  }
  return typeof value;
}

/** Shown in messages: strings quoted and cut short (a 10 MB argument must not become a 10 MB message). */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return typeName(value);
}

/**
 * A plain object (`{...}` or `Object.create(null)`). Buffers, typed arrays, Maps, arrays and class
 * instances are refused: walking their keys sends garbage (a Buffer's bytes became header pairs) and,
 * for a 100 MB Buffer, stalls the event loop for a minute.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function plainObjectArg(value: unknown, name: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new TypeError(`${name} must be a plain object, got ${typeName(value)}`);
  return value;
}

/** `value` when given, else `{}`; anything but a plain object is a TypeError. */
export function optionsArg(value: unknown, name = 'options'): Record<string, unknown> {
  return value === undefined ? {} : plainObjectArg(value, name);
}

export function arrayArg(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array, got ${typeName(value)}`);
  return value;
}

export function integerArg(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${show(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${show(value)}`);
  }
  return value;
}

/**
 * A timeout in milliseconds: an integer in [0, 2**31 - 1]. Where waiting forever is meaningful
 * (`infinite`), -1 and Infinity mean "no timeout" and come back as -1. 0 means "do not wait": a call
 * that needs a broker round trip then fails at once with _TIMED_OUT.
 */
export function timeoutArg(value: unknown, name: string, fallback: number, infinite = false): number {
  if (value === undefined) return fallback;
  if (infinite && (value === -1 || value === Infinity)) return -1;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of milliseconds, got ${show(value)}`);
  if (!Number.isInteger(value) || value < 0 || value > MAX_TIMEOUT_MS) {
    const range = `an integer in [0, ${MAX_TIMEOUT_MS}]${infinite ? ', or -1 / Infinity for no timeout' : ''}`;
    throw new RangeError(`${name} must be ${range}, got ${show(value)}`);
  }
  return value;
}

export function partitionArg(value: unknown, name: string): number {
  return integerArg(value, name, 0, MAX_PARTITION);
}

/**
 * Topic names: Kafka's rules (1-249 characters from [a-zA-Z0-9._-], not '.' or '..'). A name the broker
 * would refuse fails here at once, as the broker's TOPIC_EXCEPTION, instead of after a timeout.
 */
export function topicArg(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string, got ${show(value)}`);
  }
  if (!isLegalTopicName(value)) {
    throw kafkaError(
      'TOPIC_EXCEPTION',
      `invalid topic name ${show(value)}: 1-${MAX_TOPIC_LENGTH} characters from [a-zA-Z0-9._-], not '.' or '..'`,
    );
  }
  return value;
}

export function isLegalTopicName(topic: string): boolean {
  return topic.length <= MAX_TOPIC_LENGTH && topic !== '.' && topic !== '..' && /^[a-zA-Z0-9._-]+$/.test(topic);
}

/** What the offset of a topic-partition entry may be, per call. */
export type OffsetRule =
  /** A real offset: Kafka's "next offset to read" (commit), >= 0. */
  | 'absolute'
  /** >= 0, or -2 (beginning) / -1 (end): seek and assign. */
  | 'logical'
  /** A timestamp in ms since the epoch, >= 0 (offsetsForTimes). */
  | 'timestamp';

export interface Columns {
  topics: string[];
  partitions: Int32Array;
  offsets: Float64Array;
}

/**
 * Validates a list of `{ topic, partition[, offset] }` and turns it into the columns that cross the
 * native boundary. `field` names the property holding the offset (`offset` or `timestamp`); without a
 * rule offsets are not read. Every entry is checked before anything is sent.
 */
export function topicPartitionsArg(
  value: unknown,
  name: string,
  rule?: OffsetRule,
  options: { field?: string; offsetRequired?: boolean } = {},
): Columns {
  const list = arrayArg(value, name);
  const n = list.length;
  const topics = new Array<string>(n);
  const partitions = new Int32Array(n);
  const offsets = new Float64Array(n);
  const field = options.field ?? 'offset';
  for (let i = 0; i < n; i++) {
    const entry = list[i];
    const at = `${name}[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || ArrayBuffer.isView(entry)) {
      throw new TypeError(`${at} must be { topic, partition${rule ? `, ${field}` : ''} }, got ${typeName(entry)}`);
    }
    const tp = entry as Record<string, unknown>;
    topics[i] = topicArg(tp.topic, `${at}.topic`);
    partitions[i] = partitionArg(tp.partition, `${at}.partition`);
    const offset = rule ? tp[field] : undefined;
    if (offset === undefined) {
      if (rule && options.offsetRequired) throw new TypeError(`${at}.${field} must be a number, got undefined`);
      offsets[i] = OFFSET_INVALID;
      continue;
    }
    if (rule === 'logical' && (offset === -1 || offset === -2)) offsets[i] = offset;
    else offsets[i] = integerArg(offset, `${at}.${field}`, 0, Number.MAX_SAFE_INTEGER);
  }
  return { topics, partitions, offsets };
}
