/**
 * Native produce() is all-or-nothing about its arguments: src/producer.ts reads a throw as "nothing of
 * this call was taken", so a record enqueued before a later record's bad argument threw would be
 * delivered and also rejected to the application. Called directly, as only a bug in src/ could.
 */
import { KafkaError } from '../../src/core/errors';
import { addon, type NativeProducer } from '../../src/native/addon';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

const wake = (): void => undefined;

function producer(): NativeProducer {
  return new addon.Producer({ 'bootstrap.servers': bootstrapServers(), 'client.id': 'native-produce-test' }, wake);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

// Offsets of every delivery report until `count` have arrived (flush makes librdkafka send at once).
async function deliveries(p: NativeProducer, count: number): Promise<number[]> {
  const offsets: number[] = [];
  const deadline = Date.now() + 20_000;
  while (offsets.length < count && Date.now() < deadline) {
    await p.flush(1000).catch(() => undefined);
    const reports = p.poll(1000);
    for (let i = 0; i < reports.count; i++) {
      expect(reports.errors[i]).toBe(0);
      offsets.push(reports.offsets[i]);
    }
  }
  return offsets;
}

const v = (s: string): Buffer => Buffer.from(s);

// Each run has a valid record first (one that goes through rd_kafka_produce_batch, then one through
// rd_kafka_produceva) and a later record whose argument is bad.
test.each<[string, Array<Array<string | Buffer | null> | null>, Array<Buffer | null>, RegExp]>([
  ['header name not a string', [null, [42 as never, v('x')]], [v('a'), v('b')], /header name must be a string/],
  [
    'header value not a Buffer',
    [
      ['h', v('1')],
      ['h', 'text'],
    ],
    [v('a'), v('b')],
    /header value must be a Buffer/,
  ],
  ['header list not an array', [['h', v('1')], 'h' as never], [v('a'), v('b')], /headers must be an array/],
  ['value not a Buffer', [['h', v('1')], null], [v('a'), 'b' as never], /value must be a Buffer/],
])(
  'a run whose later record has a bad argument (%s) throws and enqueues nothing',
  async (_, headers, values, message) => {
    const topic = uniqueTopic('native-produce');
    await createTopic(topic);
    const p = producer();
    try {
      const errors = new Int32Array(values.length);
      const error = thrown(() => p.produce(topic, values, null, null, null, headers, 1, errors)) as Error;
      expect(error?.name).toBe('TypeError');
      expect(error.message).toMatch(message);
      expect(p.outqLen()).toBe(0);
      // The topic is fresh: a record from the refused run would have taken offset 0.
      expect(p.produce(topic, [v('after')], null, null, null, null, 100, new Int32Array(1))).toBe(1);
      expect(await deliveries(p, 1)).toEqual([0]);
    } finally {
      await p.close();
    }
  },
);

test('a headers argument that is neither an array nor null is refused', async () => {
  const p = producer();
  try {
    const errors = new Int32Array(2);
    // Not produced anywhere: the run is refused before anything is enqueued.
    const error = thrown(() =>
      p.produce('never-created', [v('a'), v('b')], null, null, null, 'h' as never, 1, errors),
    ) as Error;
    expect(error?.name).toBe('TypeError');
    expect(p.outqLen()).toBe(0);
  } finally {
    await p.close();
  }
});

test('a closed producer throws _DESTROY from produce', async () => {
  const p = producer();
  await p.close();
  const error = thrown(() => p.produce('t', [v('a')], null, null, null, null, 1, new Int32Array(1)));
  expect(error).toBeInstanceOf(KafkaError);
  expect(error).toMatchObject({ code: '_DESTROY' });
});
