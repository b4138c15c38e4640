/**
 * The fault suite's history checker (test/faults/history.ts) must catch each violation it exists for:
 * histories with one planted defect each, and a clean one that passes.
 */
import { History, violations, type LogEntry } from '../faults/history';

/** p0:0..5 sent and acknowledged at offsets 0..5 of partition 0; the log as written. */
function clean(): { h: History; log: LogEntry[] } {
  const h = new History();
  const log: LogEntry[] = [];
  for (let i = 0; i < 6; i++) {
    const id = `p0:${i}`;
    h.attempt(id);
    h.ack(id, 0, i);
    log.push({ partition: 0, offset: i, id });
  }
  return { h, log };
}

function consumeAll(h: History, log: LogEntry[], consumer = 'c0', generation = 1): void {
  for (const e of log) h.consume(consumer, generation, e.partition, e.offset, e.id);
}

test('a clean history passes every guarantee', () => {
  const { h, log } = clean();
  consumeAll(h, log);
  h.commit('c0', 0, 6);
  expect(violations(h.check(log, 'idempotent'))).toEqual([]);
  expect(violations(h.check(log, 'at-least-once'))).toEqual([]);
  const r = h.check(log, 'at-least-once');
  expect([r.acknowledged, r.consumed, r.failed, r.unresolved, r.redelivered]).toEqual([6, 6, 0, 0, 0]);
});

test('lost: acknowledged but absent from the log', () => {
  const { h, log } = clean();
  const r = h.check(log.slice(0, 5), 'idempotent');
  expect(r.lost).toEqual(['p0:5 acknowledged at p0@5, not in the log']);
  expect(violations(r)).toHaveLength(1);
});

test('lost: in the log but never handed to the group (at-least-once)', () => {
  const { h, log } = clean();
  consumeAll(h, log.slice(0, 4));
  const r = h.check(log, 'at-least-once');
  expect(r.lost).toEqual(['p0:4 never handed to a consumer', 'p0:5 never handed to a consumer']);
});

test('duplicated: one attempt written twice (a retry the broker did not deduplicate)', () => {
  const { h, log } = clean();
  const r = h.check([...log, { partition: 0, offset: 6, id: 'p0:5' }], 'idempotent');
  expect(r.duplicated).toEqual(['p0:5 at p0@5, p0@6']);
  // ... and the second copy is out of send order.
  expect(r.reordered).toHaveLength(1);
});

test('reordered: a producer’s records out of send order within a partition', () => {
  const h = new History();
  const log: LogEntry[] = [
    { partition: 1, offset: 0, id: 'p0:1' },
    { partition: 1, offset: 1, id: 'p0:0' },
    // Another producer and another partition do not count.
    { partition: 1, offset: 2, id: 'p1:0' },
    { partition: 2, offset: 0, id: 'p0:2' },
  ];
  for (const e of log) {
    h.attempt(e.id);
    h.ack(e.id, e.partition, e.offset);
  }
  const r = h.check(log, 'idempotent');
  expect(r.reordered).toEqual(['p1: p0:0@1 after p0:1@0']);
});

test('reordered: a consumer handed offsets backwards without a rebalance; after one it is a redelivery', () => {
  const { h, log } = clean();
  consumeAll(h, log.slice(0, 4), 'c0', 1);
  h.consume('c0', 1, 0, 2, 'p0:2');
  const r = h.check(log, 'at-least-once');
  expect(r.reordered).toEqual(['c0 p0: offset 2 after 3 without a rebalance']);

  const { h: h2, log: log2 } = clean();
  consumeAll(h2, log2.slice(0, 4), 'c0', 1);
  consumeAll(h2, log2.slice(2), 'c0', 2);
  const r2 = h2.check(log2, 'at-least-once');
  expect(violations(r2)).toEqual([]);
  expect(r2.redelivered).toBe(2);
});

test('phantom: never sent, acknowledged at an offset holding another record, handed a record the log lacks', () => {
  const { h, log } = clean();
  const withStranger = [...log, { partition: 0, offset: 6, id: 'p9:0' }];
  expect(h.check(withStranger, 'idempotent').phantom).toEqual(['p9:0 in the log, never sent']);

  const swapped = log.map((e) => (e.offset === 1 ? { ...e, id: 'p0:2' } : e.offset === 2 ? { ...e, id: 'p0:1' } : e));
  const r = h.check(swapped, 'idempotent');
  expect(r.phantom).toEqual([
    'p0:1 acknowledged at p0@1, which holds p0:2',
    'p0:2 acknowledged at p0@2, which holds p0:1',
  ]);

  const h3 = clean().h;
  consumeAll(h3, log);
  h3.consume('c1', 1, 0, 9, 'p0:3');
  expect(h3.check(log, 'at-least-once').phantom).toEqual(['c1 handed p0:3 at p0@9, the log has undefined']);
});

test('acknowledged without an offset (-1, a DUPLICATE_SEQUENCE_NUMBER answer): checked by id and partition', () => {
  const { h, log } = clean();
  h.ack('p0:3', 0, -1); // the retry's answer replaces the offset the first attempt never reported
  const r = h.check(log, 'idempotent');
  expect(violations(r)).toEqual([]);
  expect(r.acknowledgedWithoutOffset).toBe(1);

  h.ack('p0:4', 2, -1); // claims a partition the record is not in
  expect(h.check(log, 'idempotent').phantom).toEqual(['p0:4 acknowledged at p2 (no offset), in the log elsewhere']);
  expect(
    h.check(
      log.filter((e) => e.id !== 'p0:3'),
      'idempotent',
    ).lost,
  ).toEqual(['p0:3 acknowledged at p0@-1, not in the log']);
});

test('commits ahead of what the consumer was handed', () => {
  const { h, log } = clean();
  consumeAll(h, log.slice(0, 3));
  h.commit('c0', 0, 3);
  h.commit('c0', 0, 5);
  expect(h.check(log, 'at-least-once').commitsAhead).toEqual(['c0 committed p0@5, handed up to 2']);
});

test('exactly-once: committed transactions exactly once, aborted ones never visible', () => {
  const h = new History();
  const committed = ['t0:0', 't0:1'];
  const aborted = ['t0:2', 't0:3'];
  for (const id of [...committed, ...aborted]) h.attempt(id);
  committed.forEach((id, i) => h.ack(id, 0, i));
  aborted.forEach((id, i) => h.ack(id, 0, 2 + i));
  h.transaction(committed, 'committed');
  h.transaction(aborted, 'aborted');
  // read_committed: the aborted records are acknowledged but not readable: not lost.
  const good: LogEntry[] = committed.map((id, offset) => ({ partition: 0, offset, id }));
  const ok = h.check(good, 'exactly-once');
  expect(violations(ok)).toEqual([]);
  expect([ok.inCommitted, ok.inAborted, ok.failed, ok.unresolved]).toEqual([2, 2, 0, 0]);

  const leaked = h.check([...good, { partition: 0, offset: 2, id: 't0:2' }], 'exactly-once');
  expect(leaked.phantom).toEqual(['t0:2 from an aborted transaction']);
  const missing = h.check(good.slice(1), 'exactly-once');
  expect(missing.lost).toEqual([
    't0:0 acknowledged at p0@0, not in the log',
    't0:0 committed in a transaction, not in the log',
  ]);
});

test('failed and unresolved sends are counted, errors by class and code', () => {
  const h = new History();
  h.attempt('p0:0');
  h.attempt('p0:1');
  h.fail('p0:0', Object.assign(new Error('x'), { name: 'KafkaError', code: '_MSG_TIMED_OUT' }));
  h.error(new TypeError('bad'));
  const r = h.check([], 'idempotent');
  expect([r.failed, r.unresolved]).toEqual([1, 1]);
  expect(r.errors).toEqual({ 'KafkaError:_MSG_TIMED_OUT': 1, TypeError: 1 });
});

test('exactly-once: a transaction of unknown outcome must be all or nothing', () => {
  const h = new History();
  const ids = ['t0:0', 't0:1', 't0:2'];
  for (const id of ids) h.attempt(id);
  ids.forEach((id, i) => h.ack(id, 0, i));
  h.transaction(ids, 'unknown');
  const all: LogEntry[] = ids.map((id, offset) => ({ partition: 0, offset, id }));
  expect(violations(h.check(all, 'exactly-once'))).toEqual([]);
  expect(violations(h.check([], 'exactly-once'))).toEqual([]);
  const r = h.check(all.slice(0, 2), 'exactly-once');
  expect(r.phantom).toEqual(['transaction t0:0..: 2 of its 3 acknowledged records in the log']);
  expect([r.inUnknown, r.failed, r.unresolved]).toEqual([3, 0, 0]);
});
