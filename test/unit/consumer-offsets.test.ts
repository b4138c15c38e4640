// Offset bookkeeping and partition filtering of the consumer, without a broker (src/consumer/).
import { ConsumedOffsets } from '../../src/consumer/offsets';
import { PartitionFilter } from '../../src/consumer/partition-filter';

const rec = (topic: string, partition: number, offset: number) => ({ topic, partition, offset });

function stored(o: ConsumedOffsets): Array<[string, number, number]> | undefined {
  const cols = o.takeToStore();
  return cols && cols.topics.map((t, i) => [t, cols.partitions[i], cols.offsets[i]]);
}

describe('ConsumedOffsets', () => {
  test('records handed out are consumed only once the application comes back', () => {
    const o = new ConsumedOffsets();
    o.handedOut([rec('a', 0, 5), rec('a', 0, 6), rec('a', 1, 9)]);
    expect(stored(o)).toBeUndefined(); // still with the application
    o.markConsumed();
    expect(stored(o)).toEqual([
      ['a', 0, 7],
      ['a', 1, 10],
    ]);
    expect(stored(o)).toBeUndefined(); // taken once
  });

  test('runs across calls and partitions keep the highest offset + 1 per partition', () => {
    const o = new ConsumedOffsets();
    o.handedOut([rec('a', 0, 1), rec('b', 0, 4), rec('a', 0, 2)]);
    o.handedOut([rec('a', 0, 3)]); // continues the last run
    o.markConsumed();
    o.handedOut([rec('b', 0, 3)]); // an older offset (after a seek back) does not lower what was consumed
    o.markConsumed();
    expect(stored(o)?.sort()).toEqual([
      ['a', 0, 4],
      ['b', 0, 5],
    ]);
  });

  test('same partition number in two topics are two partitions', () => {
    const o = new ConsumedOffsets();
    o.handedOut([rec('x', 2, 10), rec('y', 2, 20)]);
    o.markConsumed();
    expect(stored(o)).toEqual([
      ['x', 2, 11],
      ['y', 2, 21],
    ]);
  });

  test('one record at a time (the iterator): each is consumed when the next is asked for', () => {
    const o = new ConsumedOffsets();
    for (const r of [rec('a', 0, 1), rec('a', 0, 2), rec('b', 1, 7), rec('a', 0, 3)]) {
      o.markConsumed();
      o.handedOutOne(r.topic, r.partition, r.offset);
    }
    o.markConsumed(); // the application came back after the last one
    expect(stored(o)?.sort()).toEqual([
      ['a', 0, 4],
      ['b', 1, 8],
    ]);
    o.handedOutOne('a', 0, 4);
    expect(stored(o)).toBeUndefined(); // handed out, not consumed yet
    o.handedOut([rec('a', 0, 5), rec('c', 0, 1)]); // the same call: runs continue
    o.markConsumed();
    expect(stored(o)?.sort()).toEqual([
      ['a', 0, 6],
      ['c', 0, 2],
    ]);
  });

  test('marking with nothing handed out stores nothing', () => {
    const o = new ConsumedOffsets();
    o.markConsumed();
    o.handedOut([]);
    o.markConsumed();
    expect(stored(o)).toBeUndefined();
  });
});

describe('PartitionFilter', () => {
  test('inactive until a partition is dropped or paused', () => {
    const f = new PartitionFilter();
    expect(f.active).toBe(false);
    expect(f.admit('t', 0, 1)).toBe(true);
    f.drop('t', 0);
    expect(f.active).toBe(true);
  });

  test('dropped (revoked) partitions lose buffered records until the next drain', () => {
    const f = new PartitionFilter();
    f.drop('t', 0);
    expect(f.admit('t', 0, 5)).toBe(false);
    expect(f.admit('t', 1, 5)).toBe(true);
    expect(f.isDropped('t', 0)).toBe(true);
    f.drained();
    expect(f.admit('t', 0, 6)).toBe(true);
    expect(f.active).toBe(false);
  });

  test('paused partitions hold records back and resume at the first one held back', () => {
    const f = new PartitionFilter();
    f.pause('t', 0);
    f.pause('t', 0); // twice is once
    expect(f.paused()).toEqual([{ topic: 't', partition: 0 }]);
    expect(f.admit('t', 0, 12)).toBe(false);
    expect(f.admit('t', 0, 10)).toBe(false);
    expect(f.admit('t', 0, 11)).toBe(false);
    f.drained(); // a new drain does not un-pause
    expect(f.admit('t', 0, 13)).toBe(false);
    expect(f.resumeAt('t', 0)).toBe(10);
    expect(f.resume('t', 0)).toBe(10);
    expect(f.paused()).toEqual([]);
    expect(f.admit('t', 0, 10)).toBe(true);
  });

  test('a seek while paused wins over the held-back position', () => {
    const f = new PartitionFilter();
    f.pause('t', 0);
    f.admit('t', 0, 10);
    f.sought('t', 0);
    expect(f.resumeAt('t', 0)).toBeUndefined();
    expect(f.resume('t', 0)).toBeUndefined();
    expect(f.isDropped('t', 0)).toBe(true); // records buffered before the seek are stale
  });

  test('a revoked partition forgets its pause', () => {
    const f = new PartitionFilter();
    f.pause('t', 3);
    f.forget('t', 3);
    expect(f.paused()).toEqual([]);
    expect(f.resume('t', 3)).toBeUndefined();
  });
});
