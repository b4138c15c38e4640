import { PendingRequests } from '../../src/client/pending';

test('requests settle by id, once; size and onChange follow', async () => {
  const sizes: number[] = [];
  const p: PendingRequests<string> = new PendingRequests<string>(() => sizes.push(p.size));
  const ids: number[] = [];
  const a = p.start((id) => ids.push(id));
  const b = p.start((id) => ids.push(id));
  expect(ids).toEqual([1, 2]);
  expect(p.size).toBe(2);
  expect(p.settle(2, undefined, 'two')).toBe(true);
  expect(p.settle(2, undefined, 'again')).toBe(false);
  expect(p.settle(1, new Error('boom'), '')).toBe(true);
  await expect(b).resolves.toBe('two');
  await expect(a).rejects.toThrow('boom');
  expect(p.size).toBe(0);
  expect(sizes).toEqual([1, 2, 1, 0]);
});

test('a throwing send rejects and registers nothing', async () => {
  const p = new PendingRequests<void>();
  await expect(
    p.start(() => {
      throw new TypeError('bad');
    }),
  ).rejects.toThrow(TypeError);
  expect(p.size).toBe(0);
});

test('timeouts reject with their error and ignore a late answer; rejectAll clears timers', async () => {
  jest.useFakeTimers();
  try {
    const p = new PendingRequests<number>();
    let id = 0;
    const slow = p.start(
      (i) => (id = i),
      1000,
      () => new Error('timed out'),
    );
    const other = p.start(
      () => undefined,
      5000,
      () => new Error('never'),
    );
    jest.advanceTimersByTime(1000);
    await expect(slow).rejects.toThrow('timed out');
    expect(p.settle(id, undefined, 7)).toBe(false);
    p.rejectAll(new Error('closed'));
    await expect(other).rejects.toThrow('closed');
    expect(jest.getTimerCount()).toBe(0);
  } finally {
    jest.useRealTimers();
  }
});
