/** Serializers turn application values into bytes on send; deserializers do the reverse on consume. */

export type Serializer<T> = (value: T, topic: string) => Buffer | string | null;
/** Turns a record's key or value bytes (null for none) into the type the application reads. */
export type Deserializer<T> = (data: Buffer | null, topic: string) => T;

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
