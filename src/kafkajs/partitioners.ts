/**
 * kafkajs's partitioners. Each is a factory (`createPartitioner` in the producer config) returning
 * `({ topic, partitionMetadata, message }) => partition`:
 * - a message with a partition keeps it;
 * - a keyed message goes to `toPositive(murmur2(key)) % partitionCount`, over all partitions, available
 *   or not, so a key keeps its partition while a leader is down;
 * - a keyless message goes round-robin over the partitions that have a leader (per topic, from a random
 *   start), or over all of them when none has.
 * DefaultPartitioner's murmur2 is the Java client's (32-bit), so keys land where Java producers (and
 * librdkafka's murmur2 partitioners) put them. LegacyPartitioner reproduces kafkajs 1.x's murmur2, which
 * multiplies in floating point and so lands elsewhere: programs that need kafkajs 1.x's placement choose
 * it, as with kafkajs.
 */
import { randomBytes } from 'node:crypto';

import type { DefaultPartitioner as DefaultPartitionerType, ICustomPartitioner, PartitionerArgs } from './types';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Java's Utils.toPositive: clears the sign bit (not Math.abs, whose result differs for negatives). */
const toPositive = (x: number): number => x & 0x7fffffff;

/** The key's bytes: a Buffer as is, anything else as the UTF-8 of its string form (kafkajs's rule). */
function keyBytes(key: Buffer | string): Buffer {
  return Buffer.isBuffer(key) ? key : Buffer.from(String(key));
}

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2): 32-bit arithmetic, little-endian words. */
export function murmur2(data: Buffer): number {
  const length = data.length;
  let h = SEED ^ length;
  const words = length >>> 2;
  for (let i = 0; i < words; i++) {
    let k = data.readInt32LE(i * 4);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = words * 4;
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data[tail + 2] << 16;
    if (rest >= 2) h ^= data[tail + 1] << 8;
    h ^= data[tail];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

/**
 * kafkajs 1.x's murmur2, kept bit for bit for LegacyPartitioner. It differs from Kafka's in two ways that
 * decide where keys land:
 * - products are JS numbers (doubles), not 32-bit integers: a product above 2^53 loses low bits before
 *   the next XOR truncates it to 32 bits;
 * - the word loop runs while `i < length / 4`, so a trailing partial word is also mixed in as a word
 *   (missing bytes read as 0) before the tail bytes are mixed in again.
 */
export function legacyMurmur2(data: Buffer): number {
  const length = data.length;
  const byte = (i: number): number => (i < length ? data[i] : 0);
  let h = SEED ^ length;
  const words = Math.ceil(length / 4);
  for (let i = 0; i < words; i++) {
    const i4 = i * 4;
    let k = byte(i4) + (byte(i4 + 1) << 8) + (byte(i4 + 2) << 16) + (byte(i4 + 3) << 24);
    k *= M;
    k ^= k >>> 24;
    k *= M;
    h *= M;
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest > 0) {
    if (rest === 3) h ^= data[tail + 2] << 16;
    if (rest >= 2) h ^= data[tail + 1] << 8;
    h ^= data[tail];
    h *= M;
  }
  h ^= h >>> 13;
  h *= M;
  h ^= h >>> 15;
  return h;
}

/** A partitioner factory over a murmur2 variant; each partitioner keeps its own round-robin counters. */
function partitionerWith(hash: (data: Buffer) => number): ICustomPartitioner {
  return () => {
    const counters = new Map<string, number>();
    // Each topic's round robin starts at a random point, so producers started together spread out.
    const next = (topic: string): number => {
      const value = (counters.get(topic) ?? randomBytes(4).readUInt32BE(0)) + 1;
      counters.set(topic, value);
      return toPositive(value);
    };
    return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
      if (message.partition !== null && message.partition !== undefined) return message.partition;
      const count = partitionMetadata.length;
      if (message.key !== null && message.key !== undefined) return toPositive(hash(keyBytes(message.key))) % count;
      const available = partitionMetadata.filter((p) => p.leader >= 0);
      if (available.length > 0) return available[next(topic) % available.length].partitionId;
      return next(topic) % count;
    };
  };
}

const DefaultPartitioner: DefaultPartitionerType = partitionerWith(murmur2);
const LegacyPartitioner: ICustomPartitioner = partitionerWith(legacyMurmur2);

export const Partitioners: {
  DefaultPartitioner: ICustomPartitioner;
  LegacyPartitioner: ICustomPartitioner;
  /** @deprecated Use DefaultPartitioner instead: kafkajs 2.0 renamed it and made it the default. */
  JavaCompatiblePartitioner: ICustomPartitioner;
} = {
  DefaultPartitioner,
  LegacyPartitioner,
  JavaCompatiblePartitioner: DefaultPartitioner,
};

/**
 * True for DefaultPartitioner (= JavaCompatiblePartitioner): its keyed placement is librdkafka's
 * 'murmur2_random', so a producer can leave partitioning to librdkafka and run no JS per message. Keyless
 * messages then follow librdkafka's sticky partitioning instead of round-robin: both spread records over
 * the partitions, neither promises an order.
 */
export function isJavaCompatible(createPartitioner: ICustomPartitioner): boolean {
  return createPartitioner === DefaultPartitioner;
}
