/** Serializers turn application values into bytes on send; deserializers do the reverse on consume. */

/** What a serializer produces: bytes, a string (sent UTF-8 encoded), or null for no value. */
export type Serialized = Buffer | string | null;

/** A record's headers as a consumer receives them: [name, value] pairs in the order they were sent. */
export type RecordHeaderList = ReadonlyArray<readonly [string, Buffer | null]>;

/**
 * Turns a record's key or value into bytes. It may return a Promise when it cannot answer at once (a
 * schema registry lookup on a cold cache): the record then waits for it, and the records sent after it
 * wait behind it, so per-partition order stays the order of the calls. Synchronous results cost nothing
 * extra; a rejection fails the record (or its whole sendBatch) with `_KEY_SERIALIZATION` /
 * `_VALUE_SERIALIZATION`.
 */
export type Serializer<T> = (value: T, topic: string) => Serialized | Promise<Serialized>;

/**
 * Turns a record's key or value bytes (null for none) into the type the application reads. `headers` are
 * the record's headers (a schema id may travel there). It may return a Promise when it cannot answer at
 * once (an unknown schema id): the consumer then hands out nothing after that record until it settles.
 */
export type Deserializer<T> = (data: Buffer | null, topic: string, headers: RecordHeaderList) => T | Promise<T>;

/** Ready-made serializers: UTF-8 strings, JSON, and Buffers as they are. */
export const serializers = {
  /** UTF-8 encodes strings (anything else is a TypeError: Buffer.from would copy an array-like's "length"). */
  string: ((value: string | null) => {
    if (value === null) return null;
    if (typeof value !== 'string') throw new TypeError(`serializers.string takes a string, got ${typeof value}`);
    return Buffer.from(value, 'utf8');
  }) as Serializer<string | null>,
  /** JSON.stringify, UTF-8 encoded. */
  json: ((value: unknown) =>
    value === null ? null : Buffer.from(JSON.stringify(value), 'utf8')) as Serializer<unknown>,
  /** Passes Buffers through. */
  buffer: ((value: Buffer | null) => value) as Serializer<Buffer | null>,
};

/** Ready-made deserializers: UTF-8 strings, JSON, and the bytes as a Buffer. */
export const deserializers = {
  string: ((data: Buffer | null) => (data === null ? null : data.toString('utf8'))) as Deserializer<string | null>,
  json: ((data: Buffer | null) =>
    data === null ? null : (JSON.parse(data.toString('utf8')) as unknown)) as Deserializer<unknown>,
  buffer: ((data: Buffer | null) => data) as Deserializer<Buffer | null>,
};

/** Bytes for librdkafka: Buffers as they are, strings UTF-8 encoded, null/undefined as null. */
export function toBytes(value: unknown, what: string, hint: string): Buffer | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`${what} must be a Buffer, string or null, got ${typeof value}${hint}`);
}
