import { InFlightRuns } from '../../src/client/in-flight';

test('InFlightRuns: runs of consecutive ids, out-of-order takes, gaps for records that failed at once', () => {
  const f = new InFlightRuns<string>();
  f.add(1, ['a', 'b', 'c']);
  f.add(4, ['d', undefined, 'f']); // id 5 failed at once: never in flight
  f.add(7, [undefined]); // nothing in flight: no run
  expect(f.size).toBe(5);
  expect(f.take(5)).toBeUndefined();
  expect(f.take(6)).toBe('f');
  expect(f.take(2)).toBe('b');
  expect(f.take(2)).toBeUndefined(); // a report is settled once
  expect(f.take(99)).toBeUndefined();
  expect(f.size).toBe(3);
  expect(f.takeAll().sort()).toEqual(['a', 'c', 'd']);
  expect(f.size).toBe(0);
});

test('InFlightRuns: thousands of runs drain in any order and leave nothing behind', () => {
  const f = new InFlightRuns<number>();
  let id = 1;
  const ids: number[] = [];
  for (let r = 0; r < 2000; r++) {
    const n = 1 + (r % 7);
    f.add(
      id,
      Array.from({ length: n }, (_, i) => id + i),
    );
    for (let i = 0; i < n; i++) ids.push(id + i);
    id += n;
  }
  // Reverse order within blocks of 100: the oldest run is not always the answer.
  const order: number[] = [];
  for (let b = 0; b < ids.length; b += 100) order.push(...ids.slice(b, b + 100).reverse());
  const seen = new Set<number>();
  for (const x of order) {
    expect(f.take(x)).toBe(x);
    seen.add(x);
  }
  expect(seen.size).toBe(ids.length);
  expect(f.size).toBe(0);
  expect(f.takeAll()).toEqual([]);
});
