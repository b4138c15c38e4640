// kafka-napi/kafkajs's partitioners against kafkajs 2.2.4's own (a devDependency): keyed messages land on
// the same partition for thousands of random keys, keyless ones round-robin over available partitions.
import { randomBytes } from 'node:crypto';

import { Partitioners, isJavaCompatible, legacyMurmur2, murmur2 } from '../../src/kafkajs/partitioners';
import type { ICustomPartitioner, Message, PartitionMetadata } from '../../src/kafkajs/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajs = require('kafkajs') as { Partitioners: Record<keyof typeof Partitioners, ICustomPartitioner> };

function partitions(count: number, down: number[] = []): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: down.includes(partitionId) ? -1 : 1,
    replicas: [1],
    isr: [1],
  }));
}

/** Keys of every length 0..40 (all tails, partial words), as Buffers and as strings (ASCII and not). */
function randomKeys(n: number): Array<Buffer | string> {
  const keys: Array<Buffer | string> = [];
  for (let i = 0; i < n; i++) {
    const bytes = randomBytes(i % 41);
    if (i % 3 === 0) keys.push(bytes);
    else if (i % 3 === 1) keys.push(bytes.toString('hex').slice(0, i % 41));
    else keys.push(`ключ-${bytes.toString('base64')}-🔑`);
  }
  return keys;
}

test('Kafka’s murmur2 reference values (from the Java client’s tests)', () => {
  // org.apache.kafka.common.utils.UtilsTest#testMurmur2
  const cases: Array<[string, number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [key, hash] of cases) expect([key, murmur2(Buffer.from(key))]).toEqual([key, hash]);
});

test.each(['DefaultPartitioner', 'JavaCompatiblePartitioner', 'LegacyPartitioner'] as const)(
  '%s: keyed messages land where kafkajs puts them',
  (name) => {
    const ours = Partitioners[name]();
    const theirs = kafkajs.Partitioners[name]();
    const keys = randomKeys(5000);
    const differing: Array<[Buffer | string, number, number, number]> = [];
    keys.forEach((key, i) => {
      const count = 1 + (i % 64);
      // Some partitions without a leader: a keyed message ignores availability.
      const partitionMetadata = partitions(count, i % 5 === 0 ? [0, count - 1] : []);
      const message: Message = { key, value: 'v' };
      const args = { topic: 't', partitionMetadata, message };
      const [a, b] = [ours(args), theirs(args)];
      if (a !== b) differing.push([key, count, a, b]);
    });
    expect(differing).toEqual([]);
  },
);

test('the two murmur2 variants differ (what LegacyPartitioner is kept for)', () => {
  const keys = randomKeys(200).map((k) => (Buffer.isBuffer(k) ? k : Buffer.from(k)));
  expect(keys.filter((k) => murmur2(k) !== legacyMurmur2(k)).length).toBeGreaterThan(100);
});

test.each(['DefaultPartitioner', 'LegacyPartitioner'] as const)(
  '%s: an explicit partition wins; keyless messages round-robin over partitions with a leader',
  (name) => {
    const partition = Partitioners[name]();
    const metadata = partitions(6, [1, 4]);
    expect(
      partition({ topic: 't', partitionMetadata: metadata, message: { key: 'k', value: null, partition: 4 } }),
    ).toBe(4);
    const seen = Array.from({ length: 40 }, () =>
      partition({ topic: 't', partitionMetadata: metadata, message: { value: 'v' } }),
    );
    const available = [0, 2, 3, 5];
    expect(new Set(seen)).toEqual(new Set(available));
    // Consecutive messages take consecutive available partitions.
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]).toBe(available[(available.indexOf(seen[i - 1]) + 1) % available.length]);
    }
    // With no leader anywhere, every partition is used in turn.
    const none = partitions(3, [0, 1, 2]);
    const anyOf = Array.from({ length: 9 }, () =>
      partition({ topic: 'u', partitionMetadata: none, message: { value: 'v', key: null } }),
    );
    expect(new Set(anyOf)).toEqual(new Set([0, 1, 2]));
  },
);

test('isJavaCompatible: the default (and its deprecated alias) can be left to librdkafka’s murmur2_random', () => {
  expect(isJavaCompatible(Partitioners.DefaultPartitioner)).toBe(true);
  expect(isJavaCompatible(Partitioners.JavaCompatiblePartitioner)).toBe(true);
  expect(isJavaCompatible(Partitioners.LegacyPartitioner)).toBe(false);
  expect(isJavaCompatible(() => () => 0)).toBe(false);
});
