/**
 * kafkajs's enumerations (CompressionTypes, ConfigResourceTypes, the ACL types, ConfigSource), its codec
 * registry (CompressionCodecs), its partition assigners (PartitionAssigners) and its consumer protocol
 * serializers (AssignerProtocol).
 *
 * The enumerations are plain objects with a same-named type, not TypeScript enums: kafkajs's are plain
 * objects at run time, and a TypeScript enum would add reverse-mapping keys ('0', '2', ...) that
 * `Object.keys`/`Object.entries` over them would list. Member access (`ConfigResourceTypes.TOPIC`), use as
 * a type (`type: ConfigResourceTypes`) and number literals all work as with kafkajs's declarations.
 */
import { gunzip, gzip } from 'node:zlib';

import { KafkaJSNotImplemented } from './errors';
import type {
  Assigner,
  Cluster,
  GroupMember,
  ISerializer,
  MemberAssignment,
  MemberMetadata,
  PartitionAssigner,
} from './types';

/** A const object's values as a type: what a member of a kafkajs enum is. */
type Values<T> = T[keyof T];

export const CompressionTypes = {
  None: 0,
  GZIP: 1,
  Snappy: 2,
  LZ4: 3,
  ZSTD: 4,
} as const;
export type CompressionTypes = Values<typeof CompressionTypes>;

export const ConfigResourceTypes = {
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
} as const;
export type ConfigResourceTypes = Values<typeof ConfigResourceTypes>;

export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;
export type ConfigSource = Values<typeof ConfigSource>;

export const AclResourceTypes = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
} as const;
export type AclResourceTypes = Values<typeof AclResourceTypes>;

export const AclOperationTypes = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
} as const;
export type AclOperationTypes = Values<typeof AclOperationTypes>;

export const AclPermissionTypes = {
  UNKNOWN: 0,
  ANY: 1,
  DENY: 2,
  ALLOW: 3,
} as const;
export type AclPermissionTypes = Values<typeof AclPermissionTypes>;

export const ResourcePatternTypes = {
  UNKNOWN: 0,
  ANY: 1,
  MATCH: 2,
  LITERAL: 3,
  PREFIXED: 4,
} as const;
export type ResourcePatternTypes = Values<typeof ResourcePatternTypes>;

/** kafkajs's codec shape: `compress` takes an encoder (`{ buffer }`), both resolve with the bytes. */
interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const zip = (input: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) => gzip(input, (err, out) => (err ? reject(err) : resolve(out))));
const unzip = (input: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) => gunzip(input, (err, out) => (err ? reject(err) : resolve(out))));

const gzipCodec = (): Codec => ({
  compress: (encoder) => zip(encoder.buffer),
  decompress: unzip,
});

const builtIn = (name: string) => (): never => {
  throw new KafkaJSNotImplemented(
    `${name} compression runs inside librdkafka: choose it with the compression option of send/sendBatch`,
  );
};

/**
 * kafkajs's codec registry. With kafkajs, Snappy, LZ4 and ZSTD need a package assigned here
 * (`CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec`); librdkafka compresses and decompresses all
 * four itself, so such an assignment is accepted and never used, and a program that makes it runs
 * unchanged. Nothing in kafka-napi calls these functions: GZIP's returns a working zlib codec of kafkajs's
 * shape for code that calls it directly; the others throw KafkaJSNotImplemented, as kafkajs's do until a
 * codec is assigned. Values are `() => unknown` where kafkajs says `() => any`: any codec factory can be
 * assigned.
 */
export const CompressionCodecs: {
  [CompressionTypes.GZIP]: () => unknown;
  [CompressionTypes.Snappy]: () => unknown;
  [CompressionTypes.LZ4]: () => unknown;
  [CompressionTypes.ZSTD]: () => unknown;
} = {
  [CompressionTypes.GZIP]: gzipCodec,
  [CompressionTypes.Snappy]: builtIn('Snappy'),
  [CompressionTypes.LZ4]: builtIn('LZ4'),
  [CompressionTypes.ZSTD]: builtIn('ZSTD'),
};

// ---------------------------------------------------------------------------------------------------------
// AssignerProtocol: Kafka's consumer protocol (ConsumerProtocolSubscription / ConsumerProtocolAssignment),
// version 0 fields, big-endian as the rest of the Kafka protocol. Later versions append fields (owned
// partitions, generation, rack) after these; decoding reads the version 0 prefix and ignores the rest, so
// metadata from Java or librdkafka members decodes too.
// ---------------------------------------------------------------------------------------------------------

/** Appends Kafka protocol primitives; buffers are concatenated once at the end. */
class Writer {
  readonly #chunks: Buffer[] = [];

  int16(value: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(value);
    this.#chunks.push(b);
    return this;
  }

  int32(value: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(value);
    this.#chunks.push(b);
    return this;
  }

  /** STRING: int16 byte length then UTF-8; null is length -1. */
  string(value: string | null): this {
    if (value === null || value === undefined) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    this.int16(bytes.length);
    this.#chunks.push(bytes);
    return this;
  }

  /**
   * BYTES: int32 length then the bytes; null is length -1. A non-Buffer is written as its UTF-8 string
   * form, as kafkajs does for userData given as a string.
   */
  bytes(value: Buffer | string | null | undefined): this {
    if (value === null || value === undefined) return this.int32(-1);
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
    this.int32(bytes.length);
    this.#chunks.push(bytes);
    return this;
  }

  /** ARRAY: int32 count then the items. */
  array<T>(items: readonly T[], write: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(item);
    return this;
  }

  done(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

/** Reads Kafka protocol primitives; reading past the end throws RangeError (a truncated buffer). */
class Reader {
  #offset = 0;

  constructor(private readonly buffer: Buffer) {}

  canRead(bytes: number): boolean {
    return this.buffer.length - this.#offset >= bytes;
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.#offset);
    this.#offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  #slice(length: number): Buffer {
    if (!this.canRead(length)) throw new RangeError(`need ${length} bytes at offset ${this.#offset}`);
    const slice = this.buffer.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return slice;
  }

  string(): string | null {
    const length = this.int16();
    return length === -1 ? null : this.#slice(length).toString('utf8');
  }

  /** A view into the decoded buffer, not a copy (as kafkajs returns it). */
  bytes(): Buffer | null {
    const length = this.int32();
    return length === -1 ? null : this.#slice(length);
  }

  /** A null array (-1) reads as empty. */
  array<T>(read: () => T): T[] {
    const length = this.int32();
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(read());
    return items;
  }
}

const MemberMetadataSerializer: ISerializer<MemberMetadata> = {
  /** version, topics, userData (empty when not given). */
  encode({ version, topics, userData = Buffer.alloc(0) }: MemberMetadata): Buffer {
    const w = new Writer().int16(version);
    w.array(topics, (topic) => w.string(topic));
    return w.bytes(userData).done();
  },

  decode(buffer: Buffer): MemberMetadata {
    const r = new Reader(buffer);
    return {
      version: r.int16(),
      topics: r.array(() => r.string() as string),
      userData: r.bytes() as Buffer,
    };
  },
};

const MemberAssignmentSerializer: ISerializer<MemberAssignment> = {
  /** version, then each topic of `assignment` (in key order) with its partitions, then userData. */
  encode({ version, assignment, userData = Buffer.alloc(0) }: MemberAssignment): Buffer {
    const w = new Writer().int16(version);
    w.array(Object.keys(assignment), (topic) => {
      w.string(topic);
      w.array(assignment[topic], (partition) => w.int32(partition));
    });
    return w.bytes(userData).done();
  },

  /** null for an empty buffer: what a member assigned nothing receives. */
  decode(buffer: Buffer): MemberAssignment | null {
    const r = new Reader(buffer);
    if (!r.canRead(2)) return null;
    const version = r.int16();
    const assignment: MemberAssignment['assignment'] = {};
    const topics = r.array(() => ({ topic: r.string() as string, partitions: r.array(() => r.int32()) }));
    for (const { topic, partitions } of topics) assignment[topic] = partitions;
    return { version, assignment, userData: r.bytes() as Buffer };
  },
};

export const AssignerProtocol: {
  MemberMetadata: ISerializer<MemberMetadata>;
  MemberAssignment: ISerializer<MemberAssignment>;
} = {
  MemberMetadata: MemberMetadataSerializer,
  MemberAssignment: MemberAssignmentSerializer,
};

// ---------------------------------------------------------------------------------------------------------
// PartitionAssigners
// ---------------------------------------------------------------------------------------------------------

/**
 * The librdkafka assignment strategy (partition.assignment.strategy) an assigner stands for. librdkafka
 * runs the group protocol and assigns in C, so a consumer maps the assigners it is given to these names
 * and cannot run a JS assigner of the application's own.
 */
const LIBRDKAFKA_STRATEGY = Symbol('kafka-napi.librdkafkaStrategy');

type MarkedAssigner = PartitionAssigner & { [LIBRDKAFKA_STRATEGY]?: string };

/**
 * kafkajs's round-robin assigner, usable as kafkajs's is (`assign` and `protocol` work given a cluster),
 * and marked so that a consumer configured with it uses librdkafka's 'roundrobin' strategy. Its protocol
 * name is kafkajs's 'RoundRobinAssigner'; librdkafka's members announce 'roundrobin', so kafkajs and
 * kafka-napi consumers cannot share a group at the same time.
 */
const roundRobin: MarkedAssigner = ({ cluster }: { cluster: Cluster }): Assigner => ({
  name: 'RoundRobinAssigner',
  version: 0,

  /** Every partition of the topics in order, dealt to the members sorted by id. */
  async assign({ members, topics }: { members: GroupMember[]; topics: string[] }) {
    const memberIds = members.map(({ memberId }) => memberId).sort();
    const byMember = new Map<string, Record<string, number[]>>();
    let i = 0;
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const memberId = memberIds[i++ % memberIds.length];
        let assignment = byMember.get(memberId);
        if (!assignment) byMember.set(memberId, (assignment = Object.create(null) as Record<string, number[]>));
        (assignment[topic] ??= []).push(partitionId);
      }
    }
    return [...byMember].map(([memberId, assignment]) => ({
      memberId,
      memberAssignment: MemberAssignmentSerializer.encode({ version: 0, assignment, userData: Buffer.alloc(0) }),
    }));
  },

  protocol({ topics }: { topics: string[] }) {
    return {
      name: 'RoundRobinAssigner',
      metadata: MemberMetadataSerializer.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});
roundRobin[LIBRDKAFKA_STRATEGY] = 'roundrobin';

export const PartitionAssigners: { roundRobin: PartitionAssigner } = { roundRobin };

/** librdkafka's strategy name for one of PartitionAssigners' values; undefined for any other assigner. */
export function librdkafkaAssignor(assigner: PartitionAssigner): string | undefined {
  return typeof assigner === 'function' ? (assigner as MarkedAssigner)[LIBRDKAFKA_STRATEGY] : undefined;
}
