/**
 * A record on its way out: serialized in JS (key, value, headers as the flat list native takes) and tied
 * to the promise that settles when librdkafka reports its delivery.
 */
import { causeDetail, kafkaError, type KafkaError } from '../core/errors';
import { toBytes, type Serializer } from '../core/serde';
import type { HeaderValue, RecordMetadata } from '../core/types';
import { isPlainObject, show, typeName } from '../core/validate';
import type { Payload, SendOptions } from './options';

/** Records of one sendBatch, settling one promise when the last of them is reported. */
export class DeliveryGroup {
  readonly results: RecordMetadata[];
  remaining: number;
  error: KafkaError | undefined;

  constructor(
    readonly topic: string,
    size: number,
    private readonly resolve: (value: RecordMetadata[]) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.results = new Array<RecordMetadata>(size);
    this.remaining = size;
  }

  settle(
    index: number,
    error: KafkaError | undefined,
    partition: number,
    offset: number,
    timestamp: number,
    logStartOffset: number,
  ): void {
    if (error) this.error ??= error;
    else this.results[index] = { topic: this.topic, partition, offset, timestamp, logStartOffset };
    if (--this.remaining === 0) {
      if (this.error) this.reject(this.error);
      else this.resolve(this.results);
    }
  }
}

type Resolve = (metadata: RecordMetadata) => void;
type Reject = (error: Error) => void;
let capturedResolve: Resolve | undefined;
let capturedReject: Reject | undefined;
// One executor for every send(): a closure per call was one more object per record (send() per record
// is where the producer's garbage comes from: docs/performance.md, P5).
const capture = (resolve: Resolve, reject: Reject): void => {
  capturedResolve = resolve;
  capturedReject = reject;
};

/**
 * A serialized record waiting in the outbox, then in flight. It settles either its own promise (send())
 * or its place in a DeliveryGroup (sendBatch), so a single send costs one object besides its promise.
 */
export class Outgoing {
  #resolve: Resolve | undefined;
  #reject: Reject | undefined;
  /** Set while a serializer's Promise is outstanding: what fails the record when it settles, if anything. */
  pending: Promise<KafkaError | undefined> | undefined = undefined;

  constructor(
    readonly topic: string,
    /** Dropped once librdkafka copied it (see dropCopied): the Buffer can then be collected young. */
    public value: Buffer | null,
    public key: Buffer | null,
    public partition: number,
    public timestamp: number,
    public headers: Array<string | Buffer | null> | null,
    private readonly group: DeliveryGroup | undefined,
    private readonly index: number,
  ) {}

  /** The promise of a single send(), settled by settle(). */
  promise(): Promise<RecordMetadata> {
    const promise = new Promise<RecordMetadata>(capture);
    this.#resolve = capturedResolve;
    this.#reject = capturedReject;
    return promise;
  }

  settle(
    error: KafkaError | undefined,
    partition: number,
    offset: number,
    timestamp: number,
    logStartOffset = -1,
  ): void {
    if (this.group) this.group.settle(this.index, error, partition, offset, timestamp, logStartOffset);
    else if (error) this.#reject!(error);
    else this.#resolve!({ topic: this.topic, partition, offset, timestamp, logStartOffset });
  }

  /** Fails the record: it was not delivered (no partition, offset or timestamp to report). */
  fail(error: KafkaError): void {
    this.settle(error, -1, -1, -1);
  }

  /** librdkafka copies keys, headers and values below `zeroCopyThreshold`: nothing needs them any more. */
  dropCopied(zeroCopyThreshold: number): void {
    this.key = null;
    this.headers = null;
    if (this.value !== null && this.value.length < zeroCopyThreshold) this.value = null;
  }
}

/**
 * Serializes a record: of a send() (no group), or record `index` of a sendBatch `group`. A failing
 * serializer is a KafkaError, a wrong type a TypeError. A serializer that returned a Promise leaves the
 * record's `pending` set: its bytes are filled in when the Promise settles.
 */
export function serializeRecord<K, V>(
  serializers: { keySerializer?: Serializer<K>; valueSerializer?: Serializer<V> },
  topic: string,
  value: Payload<V> | null,
  options: SendOptions<K>,
  group: DeliveryGroup | undefined,
  index: number,
  extraHeaders?: FlatHeaders,
): Outgoing {
  const { keySerializer, valueSerializer } = serializers;
  let valueOut: unknown = value;
  if (valueSerializer && value !== null && value !== undefined) {
    try {
      valueOut = valueSerializer(value as V, topic);
    } catch (err) {
      throw serializerFailure('value', topic, err);
    }
  }
  const valueBytes = valueOut instanceof Promise ? null : fieldBytes(valueOut, 'value', valueSerializer, topic);
  const key = options.key;
  let keyOut: unknown = null;
  if (key !== undefined && key !== null) {
    keyOut = key;
    if (keySerializer) {
      try {
        keyOut = keySerializer(key as K, topic);
      } catch (err) {
        throw serializerFailure('key', topic, err);
      }
    }
  }
  const keyBytes = keyOut instanceof Promise ? null : fieldBytes(keyOut, 'key', keySerializer, topic);
  let partition = -1;
  if (options.partition !== undefined) {
    if (typeof options.partition !== 'number')
      throw new TypeError(`partition must be a number, got ${show(options.partition)}`);
    if (!Number.isInteger(options.partition) || options.partition < 0 || options.partition > 0x7fffffff) {
      throw new RangeError(`partition must be an integer in [0, 2147483647], got ${show(options.partition)}`);
    }
    partition = options.partition;
  }
  let timestamp = 0;
  if (options.timestamp !== undefined) {
    if (typeof options.timestamp !== 'number') {
      throw new TypeError(`timestamp must be a number of milliseconds since the epoch, got ${show(options.timestamp)}`);
    }
    if (!Number.isInteger(options.timestamp) || options.timestamp < 0) {
      throw new RangeError(
        `timestamp must be a non-negative integer (ms since the epoch), got ${show(options.timestamp)}`,
      );
    }
    timestamp = options.timestamp;
  }
  let headers = options.headers === undefined ? null : flattenHeaders(options.headers);
  // Headers a diagnostics subscriber added for the whole call (trace context), after the record's own. A
  // name the record already carries is left out: a record the application propagated by hand keeps its
  // one `traceparent` instead of gaining a second that consumers would have to choose between.
  if (extraHeaders !== undefined && extraHeaders.length > 0) {
    headers = headers === null ? extraHeaders : headers.concat(notIn(headers, extraHeaders));
  }
  const outgoing = new Outgoing(topic, valueBytes, keyBytes, partition, timestamp, headers, group, index);
  if (valueOut instanceof Promise || keyOut instanceof Promise) {
    outgoing.pending = settleLater(outgoing, topic, valueOut, keyOut, valueSerializer, keySerializer);
  }
  return outgoing;
}

/** A serializer's (or the caller's) result as bytes: a wrong type is a TypeError without a serializer. */
function fieldBytes(
  out: unknown,
  what: 'key' | 'value',
  serializer: Serializer<never> | undefined,
  topic: string,
): Buffer | null {
  try {
    return toBytes(
      out,
      what,
      serializer ? ` from ${what}Serializer` : ` (configure ${what}Serializer for other types)`,
    );
  } catch (err) {
    if (err instanceof TypeError && !serializer) throw err;
    throw serializerFailure(what, topic, err);
  }
}

function serializerFailure(what: 'key' | 'value', topic: string, cause: unknown): KafkaError {
  const code = what === 'key' ? '_KEY_SERIALIZATION' : '_VALUE_SERIALIZATION';
  return kafkaError(code, `${what}Serializer failed for topic '${topic}'${causeDetail(cause)}`, { cause });
}

/**
 * Waits for the serializers that answered with a Promise and fills in the record's bytes. Never rejects
 * (nobody might be listening yet): it resolves with the error that fails the record, or undefined.
 */
async function settleLater(
  outgoing: Outgoing,
  topic: string,
  valueOut: unknown,
  keyOut: unknown,
  valueSerializer: Serializer<never> | undefined,
  keySerializer: Serializer<never> | undefined,
): Promise<KafkaError | undefined> {
  try {
    if (valueOut instanceof Promise) outgoing.value = await settledBytes(valueOut, 'value', valueSerializer, topic);
    if (keyOut instanceof Promise) outgoing.key = await settledBytes(keyOut, 'key', keySerializer, topic);
    return undefined;
  } catch (err) {
    return err as KafkaError;
  }
}

/** A serializer's Promise as bytes; rejects with the record's KafkaError. */
async function settledBytes(
  out: Promise<unknown>,
  what: 'key' | 'value',
  serializer: Serializer<never> | undefined,
  topic: string,
): Promise<Buffer | null> {
  let resolved: unknown;
  try {
    resolved = await out;
  } catch (err) {
    throw serializerFailure(what, topic, err);
  }
  return fieldBytes(resolved, what, serializer, topic);
}

/** Records outbox[start, end) as the columns native produce() takes; absent columns are null. */
export function toColumns(outbox: Outgoing[], start: number, end: number) {
  const n = end - start;
  const values = new Array<Buffer | null>(n);
  let keys: Array<Buffer | null> | null = null;
  let partitions: Int32Array | null = null;
  let timestamps: Float64Array | null = null;
  let headers: Array<Array<string | Buffer | null> | null> | null = null;
  for (let i = 0; i < n; i++) {
    const o = outbox[start + i];
    values[i] = o.value;
    if (o.key !== null) (keys ??= new Array<Buffer | null>(n).fill(null))[i] = o.key;
    if (o.partition >= 0) (partitions ??= new Int32Array(n).fill(-1))[i] = o.partition;
    if (o.timestamp > 0) (timestamps ??= new Float64Array(n))[i] = o.timestamp;
    if (o.headers !== null) (headers ??= new Array<Array<string | Buffer | null> | null>(n).fill(null))[i] = o.headers;
  }
  return { values, keys, partitions, timestamps, headers };
}

/** Headers as [name, bytes, name, bytes, ...], the way the native layer takes them. */
export type FlatHeaders = Array<string | Buffer | null>;

/**
 * The headers a diagnostics subscriber added for a whole call, converted once per call rather than once
 * per record (a 2,000-record batch would otherwise encode the same `traceparent` 2,000 times).
 */
export function callHeaders(headers: Record<string, HeaderValue>): FlatHeaders | undefined {
  const flat = flattenHeaders(headers);
  return flat.length > 0 ? flat : undefined;
}

/**
 * The [name, value] pairs of flat `extra` whose name is not in flat `own`. Both are a header or two: a
 * scan, not a Set per record.
 */
function notIn(own: FlatHeaders, extra: FlatHeaders): FlatHeaders {
  const out: FlatHeaders = [];
  for (let i = 0; i < extra.length; i += 2) {
    let taken = false;
    for (let j = 0; j < own.length && !taken; j += 2) taken = own[j] === extra[i];
    if (!taken) out.push(extra[i], extra[i + 1]);
  }
  return out;
}

/** Headers as the flat [name, value, ...] list native takes; null is a null header value. */
function flattenHeaders(headers: unknown): Array<string | Buffer | null> {
  let entries: unknown[];
  if (Array.isArray(headers)) entries = headers;
  else if (isPlainObject(headers)) entries = Object.entries(headers);
  else
    throw new TypeError(`headers must be a plain object or an array of [name, value] pairs, got ${typeName(headers)}`);
  const flat: Array<string | Buffer | null> = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw new TypeError(`headers[${i}] must be a [name, value] pair with a string name`);
    }
    const [name, value] = entry as [string, unknown];
    let bytes: Buffer | null;
    if (value === null || value === undefined) bytes = null;
    else if (Buffer.isBuffer(value)) bytes = value;
    else if (typeof value === 'string') bytes = Buffer.from(value, 'utf8');
    else if (value instanceof Uint8Array) bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    else throw new TypeError(`header '${name}' must be a string, Buffer or null, got ${typeName(value)}`);
    flat.push(name, bytes);
  }
  return flat;
}
