// Order and all-or-nothing of batches serialized across event-loop turns (src/producer/send-order.ts).
import { EventLoopTurns } from '../../src/client/turns';
import { kafkaError, type KafkaError } from '../../src/core/errors';
import { Outgoing } from '../../src/producer/records';
import { SendOrder } from '../../src/producer/send-order';

const record = (name: string) => new Outgoing(name, null, null, -1, 0, null, undefined, 0);

/** A serializer slow enough (20 µs a record) that 5,000 records need several turns. */
function slow(prefix: string, failAt = -1) {
  return (i: number): Outgoing => {
    const until = performance.now() + 0.02;
    while (performance.now() < until);
    if (i === failAt) throw new TypeError(`record ${i} is bad`);
    return record(`${prefix}${i}`);
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function settled(order: SendOrder): Promise<void> {
  while (order.busy) await turn();
}

test('small batches and single records go out at once, in call order', () => {
  const out: string[] = [];
  const order = new SendOrder(new EventLoopTurns(() => undefined), (o) => out.push(o.topic));
  order.one(record('a'));
  order.batch(
    3,
    (i) => record(`b${i}`),
    () => undefined,
  );
  order.one(record('c'));
  expect(out).toEqual(['a', 'b0', 'b1', 'b2', 'c']);
  expect(order.busy).toBe(false);
});

test('a large batch is serialized over several turns; what is sent meanwhile waits behind it', async () => {
  const out: string[] = [];
  const order = new SendOrder(new EventLoopTurns(() => undefined), (o) => out.push(o.topic));
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  order.batch(5000, slow('x'), (e) => {
    throw e;
  });
  expect(order.busy).toBe(true);
  expect(out).toEqual([]); // nothing of the batch goes out before all of it is serialized
  order.one(record('after'));
  order.batch(
    2,
    (i) => record(`small${i}`),
    () => undefined,
  );
  await settled(order);
  clearInterval(ticker);
  expect(turns).toBeGreaterThan(2);
  expect(out).toHaveLength(5003);
  expect(out.slice(0, 2)).toEqual(['x0', 'x1']);
  expect(out.slice(4999)).toEqual(['x4999', 'after', 'small0', 'small1']);
});

test('a bad record late in a large batch rejects it whole; later records still go out', async () => {
  const out: string[] = [];
  const errors: Error[] = [];
  const order = new SendOrder(new EventLoopTurns(() => undefined), (o) => out.push(o.topic));
  order.batch(5000, slow('x', 4000), (e) => errors.push(e));
  order.one(record('after'));
  await settled(order);
  expect(errors.map((e) => e.message)).toEqual(['record 4000 is bad']);
  expect(out).toEqual(['after']);
});

test('cancel rejects batches in progress and returns what waited behind them', async () => {
  const out: string[] = [];
  const errors: Error[] = [];
  const order = new SendOrder(new EventLoopTurns(() => undefined), (o) => out.push(o.topic));
  order.batch(5000, slow('x'), (e) => errors.push(e));
  order.one(record('waiting'));
  const dropped = order.cancel(kafkaError('_DESTROY', 'closed'));
  expect(dropped.map((o) => o.topic)).toEqual(['waiting']);
  await turn();
  await turn();
  expect(errors.map((e) => e.message)).toEqual(['closed']);
  expect(order.busy).toBe(false);
  expect(out).toEqual([]);
});

/** A record whose serializer answered with a Promise: settle it with `finish` (an error fails it). */
function deferred(name: string) {
  let finish!: (error?: KafkaError) => void;
  const o = record(name);
  o.pending = new Promise<KafkaError | undefined>((resolve) => (finish = resolve));
  return { o, finish };
}

describe('serializers that answer with a Promise', () => {
  test('a deferred send() holds back what follows it until it settles, then all go in call order', async () => {
    const out: string[] = [];
    const order = new SendOrder(new EventLoopTurns(() => undefined), (o) => out.push(o.topic));
    const first = deferred('first');
    order.one(first.o);
    order.one(record('second'));
    order.batch(
      2,
      (i) => record(`batch${i}`),
      () => undefined,
    );
    await turn();
    expect(out).toEqual([]);
    expect(order.busy).toBe(true);
    first.finish();
    await turn();
    expect(out).toEqual(['first', 'second', 'batch0', 'batch1']);
    expect(order.busy).toBe(false);
  });

  test('a deferred send() that fails rejects only its own record', async () => {
    const out: string[] = [];
    const order = new SendOrder(new EventLoopTurns(() => undefined), (o) => out.push(o.topic));
    const first = deferred('first');
    const failed = first.o.promise();
    order.one(first.o);
    order.one(record('second'));
    first.finish(kafkaError('_VALUE_SERIALIZATION', 'no schema'));
    await expect(failed).rejects.toMatchObject({ code: '_VALUE_SERIALIZATION' });
    expect(out).toEqual(['second']);
  });

  test('a batch with a deferred record is all or nothing', async () => {
    const out: string[] = [];
    const errors: Error[] = [];
    const order = new SendOrder(new EventLoopTurns(() => undefined), (o) => out.push(o.topic));
    const slowOne = deferred('b1');
    order.batch(
      3,
      (i) => (i === 1 ? slowOne.o : record(`b${i}`)),
      (e) => errors.push(e),
    );
    order.one(record('after'));
    slowOne.finish(kafkaError('_VALUE_SERIALIZATION', 'registry down'));
    await turn();
    expect(errors.map((e) => e.message)).toEqual(['registry down']);
    expect(out).toEqual(['after']);
  });

  test('a sliced batch waits for its deferred records after its last slice', async () => {
    const out: string[] = [];
    const order = new SendOrder(new EventLoopTurns(() => undefined), (o) => out.push(o.topic));
    const last = deferred('x4999');
    const serialize = slow('x');
    order.batch(
      5000,
      (i) => (i === 4999 ? last.o : serialize(i)),
      () => undefined,
    );
    for (let i = 0; i < 50 && out.length === 0; i++) await turn();
    expect(out).toEqual([]);
    last.finish();
    await settled(order);
    expect(out).toHaveLength(5000);
    expect(out[4999]).toBe('x4999');
  });

  test('cancel fails a deferred send() that has not settled; its late result is ignored', async () => {
    const out: string[] = [];
    const order = new SendOrder(new EventLoopTurns(() => undefined), (o) => out.push(o.topic));
    const first = deferred('first');
    const promise = first.o.promise();
    order.one(first.o);
    order.cancel(kafkaError('_DESTROY', 'closed'));
    await expect(promise).rejects.toMatchObject({ code: '_DESTROY' });
    first.finish();
    await turn();
    expect(out).toEqual([]);
  });
});
