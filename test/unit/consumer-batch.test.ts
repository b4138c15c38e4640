import { RecordBatch } from '../../src/consumer/batch';

// Two records as native/clients/consumer.cc lays them out (RecordField / RecordNumber): the first with a leader
// epoch, the second without (-1), both with a key and a value in one slab.
function batch(): RecordBatch {
  const slab = Buffer.from('k1v1k2v2');
  // topic, partition, keyOffset, keyLength, valueOffset, valueLength, timestampType, headerStart, headerCount, error
  const ints = Int32Array.from([0, 3, 0, 2, 2, 2, 1, 0, 0, 0, 0, 4, 4, 2, 6, 2, 2, 0, 0, 0]);
  // offset, timestamp, leaderEpoch
  const numbers = Float64Array.from([10, 1000, 7, 11, 1001, -1]);
  return new RecordBatch({ count: 2, slab, ints, numbers, headers: new Int32Array(0), topics: ['t'] });
}

test('records decode from the columnar batch', () => {
  const b = batch();
  const first = b.shift();
  const second = b.shift();
  expect(first).toMatchObject({ topic: 't', partition: 3, offset: 10, timestamp: 1000, timestampType: 'create' });
  expect([first.key?.toString(), first.value?.toString(), first.leaderEpoch]).toEqual(['k1', 'v1', 7]);
  expect(second).toMatchObject({ partition: 4, offset: 11, timestampType: 'log-append' });
  expect([second.key?.toString(), second.value?.toString(), second.leaderEpoch]).toEqual(['k2', 'v2', undefined]);
  expect(b.remaining).toBe(0);
});

test('every record has the same shape, with or without a leader epoch (one hidden class)', () => {
  const b = batch();
  const first = b.shift();
  const second = b.shift();
  // The same own properties in the same order: an optional field added after construction made records
  // of two shapes, and the consumer's hot paths polymorphic.
  expect(Object.keys(second)).toEqual(Object.keys(first));
});
