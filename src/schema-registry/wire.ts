/**
 * The Confluent Schema Registry wire format, as the Java, Go, Python and .NET serdes write and read it:
 * byte 0 is the magic byte, 0 followed by the schema id as a 4-byte big-endian integer, or 1 followed by
 * the schema's 16-byte GUID; then, for Protobuf only, the message indexes (the path to the message type
 * within its .proto file, as zig-zag varints: a count, then each index, with `[0]` shortened to a single 0
 * byte); then the encoded data. The id may instead travel in the `__key_schema_id` / `__value_schema_id`
 * header (the same 5 or 17 bytes), the payload then starting with what follows them.
 */
import type { RecordHeaderList } from '../core/serde';

export const MAGIC_ID = 0;
export const MAGIC_GUID = 1;
const ID_PREFIX = 5;
const GUID_PREFIX = 17;

/** Where a payload's schema is named, and where its data (message indexes included) begins. */
export interface Framing {
  /** The schema id, or -1 when the schema is named by `guid`. */
  readonly id: number;
  readonly guid: string | undefined;
  /** Offset in the payload of what follows the schema id. */
  readonly offset: number;
}

/** Thrown for bytes that are not in the wire format: the caller attaches topic and role. */
export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

/** The id header of a key or a value. */
export function idHeaderName(isKey: boolean): string {
  return isKey ? '__key_schema_id' : '__value_schema_id';
}

/** The 5-byte prefix: magic 0 and the id. */
export function idPrefix(id: number): Buffer {
  const prefix = Buffer.allocUnsafe(ID_PREFIX);
  prefix[0] = MAGIC_ID;
  prefix.writeUInt32BE(id, 1);
  return prefix;
}

/**
 * Prefix, message indexes and data in one Buffer. `data` is copied once: the encoders return their own
 * buffers, and one allocation for the whole record costs less than a list of parts would later.
 */
export function frame(id: number, indexes: Buffer | undefined, data: Uint8Array): Buffer {
  const indexLength = indexes === undefined ? 0 : indexes.length;
  const out = Buffer.allocUnsafe(ID_PREFIX + indexLength + data.length);
  out[0] = MAGIC_ID;
  out.writeUInt32BE(id, 1);
  if (indexes !== undefined) indexes.copy(out, ID_PREFIX);
  out.set(data, ID_PREFIX + indexLength);
  return out;
}

/**
 * Reads the schema's name: from the id header when the record carries one (newer serializers may put it
 * there), else from the payload's own prefix.
 */
export function readFraming(payload: Buffer, headers: RecordHeaderList | undefined, headerName: string): Framing {
  if (headers !== undefined && headers.length > 0) {
    for (let i = headers.length - 1; i >= 0; i--) {
      const [name, value] = headers[i];
      if (name === headerName && value !== null) {
        const inHeader = readPrefix(value, `header ${headerName}`);
        return { id: inHeader.id, guid: inHeader.guid, offset: 0 };
      }
    }
  }
  return readPrefix(payload, 'payload');
}

function readPrefix(bytes: Buffer, where: string): Framing {
  if (bytes.length === 0) throw new WireFormatError(`${where} is empty: no magic byte`);
  const magic = bytes[0];
  if (magic === MAGIC_ID) {
    if (bytes.length < ID_PREFIX)
      throw new WireFormatError(`${where} is ${bytes.length} bytes, shorter than its schema id`);
    return { id: bytes.readUInt32BE(1), guid: undefined, offset: ID_PREFIX };
  }
  if (magic === MAGIC_GUID) {
    if (bytes.length < GUID_PREFIX)
      throw new WireFormatError(`${where} is ${bytes.length} bytes, shorter than its GUID`);
    return { id: -1, guid: formatGuid(bytes.subarray(1, GUID_PREFIX)), offset: GUID_PREFIX };
  }
  throw new WireFormatError(
    `${where} starts with byte ${magic}, not a schema registry magic byte (0 or 1): not written by a schema registry serializer`,
  );
}

/** A GUID's 16 bytes as the registry spells it: 8-4-4-4-12 lower-case hex digits. */
function formatGuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Protobuf message indexes as written after the prefix; `[0]`, the first top-level type, is one 0 byte. */
export function writeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const bytes: number[] = [];
  writeZigZag(bytes, indexes.length);
  for (const index of indexes) writeZigZag(bytes, index);
  return Buffer.from(bytes);
}

/** Reads message indexes at `offset`; returns them and the offset of the data after them. */
export function readMessageIndexes(payload: Buffer, offset: number): { indexes: number[]; offset: number } {
  const at = { offset };
  const count = readZigZag(payload, at);
  if (count === 0) return { indexes: [0], offset: at.offset };
  if (count < 0 || count > 100) throw new WireFormatError(`invalid Protobuf message index count ${count}`);
  const indexes = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const index = readZigZag(payload, at);
    if (index < 0) throw new WireFormatError(`invalid Protobuf message index ${index}`);
    indexes[i] = index;
  }
  return { indexes, offset: at.offset };
}

function writeZigZag(out: number[], n: number): void {
  let v = n >= 0 ? n * 2 : -n * 2 - 1;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function readZigZag(bytes: Buffer, at: { offset: number }): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 5; i++) {
    if (at.offset >= bytes.length) throw new WireFormatError('payload ends inside a Protobuf message index');
    const b = bytes[at.offset++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    scale *= 128;
  }
  throw new WireFormatError('Protobuf message index varint longer than 5 bytes');
}
