// kafka-napi/kafkajs's enumerations, codec registry, assigners and consumer protocol serializers against
// kafkajs 2.2.4's own (a devDependency).
import { randomBytes } from 'node:crypto';

import * as ours from '../../src/kafkajs/enums';
import { KafkaJSNotImplemented } from '../../src/kafkajs/errors';
import type {
  Cluster,
  ISerializer,
  MemberAssignment,
  MemberMetadata,
  PartitionMetadata,
} from '../../src/kafkajs/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajs = require('kafkajs') as Record<string, unknown> & {
  AssignerProtocol: { MemberMetadata: ISerializer<MemberMetadata>; MemberAssignment: ISerializer<MemberAssignment> };
  PartitionAssigners: typeof ours.PartitionAssigners;
};

test.each([
  'CompressionTypes',
  'ConfigResourceTypes',
  'ConfigSource',
  'AclResourceTypes',
  'AclOperationTypes',
  'AclPermissionTypes',
  'ResourcePatternTypes',
] as const)('%s: the same keys and numbers as kafkajs’s, and nothing else', (name) => {
  expect(Object.entries(ours[name])).toEqual(Object.entries(kafkajs[name] as object));
});

test('CompressionCodecs: kafkajs’s keys, assignable, GZIP usable, the rest built into librdkafka', async () => {
  const codecs = ours.CompressionCodecs;
  expect(Object.keys(codecs)).toEqual(Object.keys(kafkajs.CompressionCodecs as object));
  const gzip = codecs[ours.CompressionTypes.GZIP]() as {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  const data = Buffer.from('hello '.repeat(100));
  const compressed = await gzip.compress({ buffer: data });
  expect(compressed.length).toBeLessThan(data.length);
  expect(await gzip.decompress(compressed)).toEqual(data);
  expect(() => codecs[ours.CompressionTypes.ZSTD]()).toThrow(KafkaJSNotImplemented);

  // What kafkajs programs do to enable Snappy: accepted (and unused: librdkafka compresses).
  const previous = codecs[ours.CompressionTypes.Snappy];
  const snappy = () => ({ compress: async () => Buffer.alloc(0), decompress: async () => Buffer.alloc(0) });
  codecs[ours.CompressionTypes.Snappy] = snappy;
  expect(codecs[ours.CompressionTypes.Snappy]).toBe(snappy);
  codecs[ours.CompressionTypes.Snappy] = previous;
});

describe('AssignerProtocol', () => {
  const theirs = kafkajs.AssignerProtocol;
  const { MemberMetadata, MemberAssignment } = ours.AssignerProtocol;

  const metadataCases: MemberMetadata[] = [
    { version: 0, topics: [], userData: Buffer.alloc(0) },
    { version: 0, topics: ['orders'], userData: Buffer.alloc(0) },
    { version: 1, topics: ['a', 'b', 'tópico-ü', 'x'.repeat(249)], userData: randomBytes(17) },
    { version: 3, topics: ['t'], userData: null as unknown as Buffer },
  ];

  test.each(metadataCases)('MemberMetadata %#: same bytes as kafkajs, and back', (metadata) => {
    const bytes = MemberMetadata.encode(metadata);
    expect(bytes).toEqual(theirs.MemberMetadata.encode(metadata));
    expect(MemberMetadata.decode(bytes)).toEqual(theirs.MemberMetadata.decode(bytes));
    expect(MemberMetadata.decode(bytes)).toEqual(metadata);
  });

  test('MemberMetadata without userData encodes it empty', () => {
    const bytes = MemberMetadata.encode({ version: 0, topics: ['a'] } as MemberMetadata);
    expect(bytes).toEqual(theirs.MemberMetadata.encode({ version: 0, topics: ['a'] } as MemberMetadata));
    expect(MemberMetadata.decode(bytes)?.userData).toEqual(Buffer.alloc(0));
  });

  const assignmentCases: MemberAssignment[] = [
    { version: 0, assignment: {}, userData: Buffer.alloc(0) },
    { version: 0, assignment: { 'topic-A': [0, 2, 4, 6], 'topic-B': [1] }, userData: Buffer.alloc(0) },
    { version: 1, assignment: { t: [2147483647, 0] }, userData: randomBytes(9) },
  ];

  test.each(assignmentCases)('MemberAssignment %#: same bytes as kafkajs, and back', (assignment) => {
    const bytes = MemberAssignment.encode(assignment);
    expect(bytes).toEqual(theirs.MemberAssignment.encode(assignment));
    expect(MemberAssignment.decode(bytes)).toEqual(theirs.MemberAssignment.decode(bytes));
    expect(MemberAssignment.decode(bytes)).toEqual(assignment);
  });

  test('an empty assignment buffer decodes to null, as kafkajs’s', () => {
    expect(MemberAssignment.decode(Buffer.alloc(0))).toBeNull();
    expect(theirs.MemberAssignment.decode(Buffer.alloc(0))).toBeNull();
  });

  test('later protocol versions decode to their version 0 fields', () => {
    // ConsumerProtocolSubscription v1 (as librdkafka and Java send it): owned partitions after userData.
    const v0 = MemberMetadata.encode({ version: 1, topics: ['a'], userData: Buffer.from('u') });
    const owned = Buffer.from([0, 0, 0, 1, 0, 1, 0x61, 0, 0, 0, 1, 0, 0, 0, 3]);
    const v1 = Buffer.concat([v0, owned]);
    expect(MemberMetadata.decode(v1)).toEqual(theirs.MemberMetadata.decode(v1));
    expect(MemberMetadata.decode(v1)).toEqual({ version: 1, topics: ['a'], userData: Buffer.from('u') });
  });

  test('truncated input throws RangeError', () => {
    const bytes = MemberMetadata.encode({ version: 0, topics: ['orders'], userData: Buffer.from('abc') });
    expect(() => MemberMetadata.decode(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
  });
});

describe('PartitionAssigners.roundRobin', () => {
  const metadata = (count: number): PartitionMetadata[] =>
    Array.from({ length: count }, (_, partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
    }));
  const counts: Record<string, number> = { a: 5, b: 2, c: 7 };
  const cluster = { findTopicPartitionMetadata: (topic: string) => metadata(counts[topic]) } as unknown as Cluster;
  const logger = undefined as never;

  test('assigns and announces as kafkajs’s round-robin assigner does', async () => {
    const ourAssigner = ours.PartitionAssigners.roundRobin({ cluster, groupId: 'g', logger });
    const theirAssigner = kafkajs.PartitionAssigners.roundRobin({ cluster, groupId: 'g', logger });
    expect([ourAssigner.name, ourAssigner.version]).toEqual([theirAssigner.name, theirAssigner.version]);
    const members = ['m-3', 'm-1', 'm-2'].map((memberId) => ({ memberId, memberMetadata: Buffer.alloc(0) }));
    const group = { members, topics: ['a', 'b', 'c'] };
    expect(await ourAssigner.assign(group)).toEqual(await theirAssigner.assign(group));
    expect(ourAssigner.protocol({ topics: ['a', 'b'] })).toEqual(theirAssigner.protocol({ topics: ['a', 'b'] }));
  });

  test('stands for librdkafka’s roundrobin strategy; other assigners for none', () => {
    expect(ours.librdkafkaAssignor(ours.PartitionAssigners.roundRobin)).toBe('roundrobin');
    expect(ours.librdkafkaAssignor(kafkajs.PartitionAssigners.roundRobin)).toBeUndefined();
    expect(ours.librdkafkaAssignor(() => ({}) as never)).toBeUndefined();
  });
});
