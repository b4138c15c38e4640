// The JS partitioner without a broker: partition counts come from a fake metadata call.
import type { KafkaError } from '../../src/core/errors';
import type { NativeMetadata } from '../../src/native/addon';
import { JsPartitioner } from '../../src/producer/partitioner';
import { DeliveryGroup, Outgoing } from '../../src/producer/records';

function metadata(topic: string, count: number, error = 'NO_ERROR'): NativeMetadata {
  const partitions = Array.from({ length: count }, (_, partition) => ({
    partition,
    leader: 1,
    replicas: [1],
    isr: [1],
    error: 'NO_ERROR',
  }));
  return { origBrokerId: 1, brokers: [], topics: [{ name: topic, error, partitions }] };
}

function records(topic: string, keys: Array<string | null>, partition = -1) {
  const settled: Array<{ index: number; error?: KafkaError }> = [];
  const group = new DeliveryGroup(
    topic,
    keys.length,
    () => undefined,
    () => undefined,
  );
  group.settle = (index, error) => void settled.push({ index, error });
  const outbox = keys.map(
    (k, index) => new Outgoing(topic, null, k === null ? null : Buffer.from(k), partition, 0, null, group, index),
  );
  return { outbox, settled, group };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('waits for the partition count, then partitions every record without one', async () => {
  const counted: Array<[string, KafkaError | undefined]> = [];
  const asked: string[] = [];
  const p = new JsPartitioner(
    (key, count) => (key ? key.length % count : 0),
    async (topic) => (asked.push(topic), metadata(topic, 3)),
    60_000,
    (topic, error) => counted.push([topic, error]),
  );
  const { outbox } = records('t', ['a', 'bbbb', null]);
  expect(p.apply('t', outbox, 0, 3)).toBeUndefined(); // count unknown: fetched in the background
  expect(p.apply('t', outbox, 0, 3)).toBeUndefined(); // one fetch per topic at a time
  await tick();
  expect(asked).toEqual(['t']);
  expect(counted).toEqual([['t', undefined]]);
  expect(p.apply('t', outbox, 0, 3)).toBe(3);
  expect(outbox.map((o) => o.partition)).toEqual([1, 1, 0]);
});

test('a partitioner that throws or answers out of range fails only that record, which leaves the run', async () => {
  const p = new JsPartitioner(
    (key) => {
      const k = key?.toString();
      if (k === 'throw') throw new Error('no');
      return k === 'big' ? 7 : k === 'half' ? 0.5 : 1;
    },
    async (topic) => metadata(topic, 2),
    60_000,
    () => undefined,
  );
  p.apply('t', [], 0, 0);
  await tick();
  const { outbox, settled, group } = records('t', ['ok', 'throw', 'big', 'half', 'ok2']);
  // An explicit partition is kept as it is.
  outbox.unshift(new Outgoing('t', null, Buffer.from('ok'), 0, 0, null, group, 99));
  expect(p.apply('t', outbox, 0, outbox.length)).toBe(3);
  expect(outbox.map((o) => o.key?.toString())).toEqual(['ok', 'ok', 'ok2']);
  expect(outbox.map((o) => o.partition)).toEqual([0, 1, 1]);
  expect(settled.map((s) => [s.index, s.error?.code])).toEqual([
    [1, '_PARTITIONER'],
    [2, '_PARTITIONER'],
    [3, '_PARTITIONER'],
  ]);
});

test('a topic that never gets a count reports the error; a stale count is kept over a failed refresh', async () => {
  const counted: Array<[string, string | undefined]> = [];
  let fail = true;
  const p = new JsPartitioner(
    () => 0,
    async (topic) => (fail ? metadata(topic, 0, 'TOPIC_AUTHORIZATION_FAILED') : metadata(topic, 1)),
    60_000,
    (topic, error) => counted.push([topic, error?.code]),
  );
  expect(p.apply('denied', [], 0, 0)).toBeUndefined();
  await tick();
  expect(counted).toEqual([['denied', 'TOPIC_AUTHORIZATION_FAILED']]);
  fail = false;
  p.apply('denied', [], 0, 0);
  await tick();
  expect(counted[1]).toEqual(['denied', undefined]);
  expect(p.apply('denied', [], 0, 0)).toBe(0); // the count is known now
});
