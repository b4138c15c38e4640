/**
 * The argument contract at every public method: wrong types are TypeError, out-of-range values RangeError,
 * each naming the argument, thrown before anything reaches librdkafka. No broker is contacted (librdkafka
 * connects lazily; nothing here gets as far as a request).
 */
import { KafkaAdmin, KafkaConsumer, KafkaError, KafkaProducer, KafkaShareConsumer, serializers } from '../../src';
import { addon } from '../../src/native/addon';

const bootstrapServers = '127.0.0.1:1';

// Values that wrapped through Int32Array / Int32Value or were accepted without a check.
const BAD_INTEGERS = [2 ** 32 + 1, 2 ** 32, 2 ** 31, 2 ** 53, -5, 1.5, NaN, Infinity, -Infinity];
const BAD_TIMEOUTS = [2 ** 31, 2 ** 32, 2 ** 53, NaN, 1.5, -2];

let producer: KafkaProducer;
let consumer: KafkaConsumer;
let admin: KafkaAdmin;

beforeAll(() => {
  producer = new KafkaProducer({ bootstrapServers });
  consumer = new KafkaConsumer(undefined, { bootstrapServers, groupId: 'arguments-test' });
  admin = new KafkaAdmin({ bootstrapServers });
});

afterAll(async () => {
  await Promise.all([producer.close(0), consumer.close(), admin.close()]);
});

/** The error a call raises, thrown synchronously or as a rejection. */
async function errorOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('the call succeeded');
}

async function expectArgumentError(call: () => unknown, Class: typeof TypeError | typeof RangeError, name: RegExp) {
  const error = await errorOf(call);
  expect(error).toBeInstanceOf(Class);
  expect((error as Error).message).toMatch(name);
}

describe('partitions are int32, never wrapped', () => {
  test.each(BAD_INTEGERS)('partition %p', async (partition) => {
    const tp = { topic: 't', partition };
    await expectArgumentError(() => consumer.commit([{ ...tp, offset: 7 }]), RangeError, /offsets\[0\]\.partition/);
    await expectArgumentError(() => consumer.seek({ ...tp, offset: 0 }), RangeError, /partition/);
    await expectArgumentError(() => consumer.position([tp]), RangeError, /partitions\[0\]\.partition/);
    await expectArgumentError(() => consumer.committed([tp]), RangeError, /partitions\[0\]\.partition/);
    await expectArgumentError(() => consumer.assign([tp]), RangeError, /partitions\[0\]\.partition/);
    await expectArgumentError(() => consumer.pause([tp]), RangeError, /partitions\[0\]\.partition/);
    await expectArgumentError(() => consumer.resume([tp]), RangeError, /partitions\[0\]\.partition/);
    await expectArgumentError(() => consumer.endOffsets([tp]), RangeError, /partitions\[0\]\.partition/);
    await expectArgumentError(
      () => consumer.offsetsForTimes([{ ...tp, timestamp: 0 }]),
      RangeError,
      /partitions\[0\]\.partition/,
    );
    await expectArgumentError(() => producer.send('t', 'v', { partition }), RangeError, /partition/);
  });

  test('a partition that is not a number is a TypeError', async () => {
    await expectArgumentError(
      () => consumer.position([{ topic: 't', partition: '1' as never }]),
      TypeError,
      /partition/,
    );
  });

  test.each([2 ** 32 + 3, 2 ** 53, 0, -2, 1.5])('createTopics numPartitions %p', async (numPartitions) => {
    await expectArgumentError(
      () => admin.createTopics([{ name: 't', numPartitions }]),
      RangeError,
      /topics\[0\]\.numPartitions/,
    );
  });

  test('createTopics replicationFactor is an int16', async () => {
    await expectArgumentError(
      () => admin.createTopics([{ name: 't', replicationFactor: 32_768 }]),
      RangeError,
      /replicationFactor/,
    );
  });
});

describe('offsets and timestamps', () => {
  test.each([NaN, -5, 1.5, 2 ** 53])('commit offset %p is a RangeError', async (offset) => {
    await expectArgumentError(() => consumer.commit([{ topic: 't', partition: 0, offset }]), RangeError, /offset/);
  });

  test('commit offset "12" is a TypeError, a missing one too', async () => {
    await expectArgumentError(
      () => consumer.commit([{ topic: 't', partition: 0, offset: '12' as never }]),
      TypeError,
      /offsets\[0\]\.offset/,
    );
    await expectArgumentError(
      () => consumer.commit([{ topic: 't', partition: 0 } as never]),
      TypeError,
      /offsets\[0\]\.offset/,
    );
  });

  test('offsetsForTimes with a NaN or negative timestamp is a RangeError', async () => {
    for (const timestamp of [NaN, -1]) {
      await expectArgumentError(
        () => consumer.offsetsForTimes([{ topic: 't', partition: 0, timestamp }]),
        RangeError,
        /partitions\[0\]\.timestamp/,
      );
    }
  });

  test('seek accepts the logical offsets -1 (end) and -2 (beginning) only', async () => {
    await expectArgumentError(() => consumer.seek({ topic: 't', partition: 0, offset: -3 }), RangeError, /offset/);
  });

  test.each([NaN, -1, 1.5])('send timestamp %p is a RangeError', async (timestamp) => {
    await expectArgumentError(() => producer.send('t', 'v', { timestamp }), RangeError, /timestamp/);
  });
});

describe('timeouts: integers in [0, 2**31 - 1]; -1 / Infinity only where waiting for ever is meaningful', () => {
  test.each(BAD_TIMEOUTS)('timeout %p', async (timeoutMs) => {
    const tp = [{ topic: 't', partition: 0 }];
    await expectArgumentError(() => producer.partitionsFor('t', timeoutMs), RangeError, /timeoutMs/);
    await expectArgumentError(() => producer.connect(timeoutMs), RangeError, /timeoutMs/);
    await expectArgumentError(() => producer.flush(timeoutMs), RangeError, /timeoutMs/);
    await expectArgumentError(() => consumer.poll({ timeoutMs }), RangeError, /timeoutMs/);
    await expectArgumentError(() => consumer.batches({ timeoutMs }), RangeError, /timeoutMs/);
    await expectArgumentError(() => consumer.committed(tp, timeoutMs), RangeError, /timeoutMs/);
    await expectArgumentError(() => consumer.endOffsets(tp, timeoutMs), RangeError, /timeoutMs/);
    await expectArgumentError(() => admin.describeCluster({ timeoutMs }), RangeError, /timeoutMs/);
    await expectArgumentError(() => admin.listTopics({ timeoutMs }), RangeError, /timeoutMs/);
  });

  test('calls that block a client thread take no infinite timeout', async () => {
    for (const timeoutMs of [-1, Infinity]) {
      await expectArgumentError(() => producer.partitionsFor('t', timeoutMs), RangeError, /timeoutMs/);
      await expectArgumentError(
        () => consumer.committed([{ topic: 't', partition: 0 }], timeoutMs),
        RangeError,
        /timeoutMs/,
      );
    }
  });

  test("admin requests take at most librdkafka's one hour", async () => {
    await expectArgumentError(() => admin.describeCluster({ timeoutMs: 3_600_001 }), RangeError, /timeoutMs/);
  });

  test('a timeout that is not a number is a TypeError', async () => {
    await expectArgumentError(() => consumer.poll({ timeoutMs: '10' as never }), TypeError, /timeoutMs/);
  });

  test('poll with Infinity parks without a Node timer (no TimeoutOverflowWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): number => warnings.push(w.name);
    process.on('warning', onWarning);
    const c = new KafkaConsumer(undefined, { bootstrapServers });
    const pending = c.poll({ timeoutMs: Infinity }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await c.close();
    expect(await pending).toBeInstanceOf(KafkaError);
    process.off('warning', onWarning);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});

describe('plain-object options refuse Buffers, typed arrays, Maps and class instances', () => {
  class Options {
    bootstrapServers = bootstrapServers;
  }
  const notPlain = [Buffer.from('hi'), new Uint8Array(4), new Map([['bootstrapServers', 'x']]), new Options(), []];

  test.each(notPlain.map((v) => [v.constructor.name, v]))('%s', async (_name, value) => {
    await expectArgumentError(() => new KafkaProducer(value as never), TypeError, /plain object/);
    await expectArgumentError(() => new KafkaConsumer(undefined, value as never), TypeError, /plain object/);
    await expectArgumentError(() => new KafkaAdmin(value as never), TypeError, /plain object/);
    await expectArgumentError(
      () => new KafkaProducer({ bootstrapServers, rdkafka: value as never }),
      TypeError,
      /rdkafka/,
    );
    // Header pairs come as an array, so [] is valid headers.
    if (!Array.isArray(value)) {
      await expectArgumentError(() => producer.send('t', 'v', { headers: value as never }), TypeError, /headers/);
    }
    await expectArgumentError(() => producer.send('t', 'v', value as never), TypeError, /options/);
    await expectArgumentError(() => producer.sendBatch('t', [value as never]), TypeError, /records\[0\]/);
    await expectArgumentError(() => consumer.poll(value as never), TypeError, /options/);
    await expectArgumentError(() => admin.createTopics([value as never]), TypeError, /topics\[0\]/);
  });

  test('a 10 MB Buffer as headers is refused at once (it used to be walked byte by byte)', async () => {
    await expectArgumentError(
      () => producer.send('t', 'v', { headers: Buffer.alloc(10 << 20) as never }),
      TypeError,
      /headers/,
    );
    // "At once" counted, not timed (it was < 1 s): a Proxy of the same Buffer counts the bytes read.
    let bytesRead = 0;
    const counted = new Proxy(Buffer.alloc(10 << 20), {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key)) bytesRead++;
        return Reflect.get(target, key) as unknown;
      },
    });
    await expectArgumentError(() => producer.send('t', 'v', { headers: counted as never }), TypeError, /headers/);
    expect(bytesRead).toBe(0);
  });
});

describe('headers', () => {
  test.each([1, true, {}, Symbol('s')])('header value %p is a TypeError', async (value) => {
    await expectArgumentError(
      () => producer.send('t', 'v', { headers: { h: value as never } }),
      TypeError,
      /header 'h'/,
    );
  });

  test('header pairs must be [string, value]', async () => {
    await expectArgumentError(
      () => producer.send('t', 'v', { headers: [['a', 'b', 'c']] as never }),
      TypeError,
      /headers\[0\]/,
    );
    await expectArgumentError(
      () => producer.send('t', 'v', { headers: [[1, 'b']] as never }),
      TypeError,
      /headers\[0\]/,
    );
  });
});

describe('empty lists and missing assignments', () => {
  test('subscribe([]) is a RangeError pointing at unsubscribe()', async () => {
    await expectArgumentError(() => consumer.subscribe([]), RangeError, /unsubscribe/);
  });

  test('createTopics([]), deleteTopics([]), offsetsForTimes([]), committed([]) do nothing and resolve', async () => {
    await expect(admin.createTopics([])).resolves.toBeUndefined();
    await expect(admin.deleteTopics([])).resolves.toBeUndefined();
    await expect(consumer.offsetsForTimes([])).resolves.toEqual([]);
    await expect(consumer.committed([])).resolves.toEqual([]);
    await expect(consumer.endOffsets([])).resolves.toEqual([]);
  });

  test('seekToBeginning/seekToEnd with nothing assigned do nothing', () => {
    expect(consumer.assignment()).toEqual([]);
    expect(() => consumer.seekToBeginning()).not.toThrow();
    expect(() => consumer.seekToEnd()).not.toThrow();
  });

  test('batches() rejects maxRecords 0, -1 and non-integers when called', () => {
    for (const maxRecords of [0, -1, 1.5]) expect(() => consumer.batches({ maxRecords })).toThrow(RangeError);
    expect(() => consumer.batches({ maxRecords: '5' as never })).toThrow(TypeError);
  });
});

describe('topics', () => {
  test('a name Kafka would refuse fails at once as TOPIC_EXCEPTION, everywhere', async () => {
    for (const topic of ['a b', '.', 'x'.repeat(250), '^regex-as-string']) {
      for (const call of [
        () => producer.send(topic, 'v'),
        () => consumer.subscribe(topic),
        () => consumer.position([{ topic, partition: 0 }]),
        () => admin.createTopics([{ name: topic }]),
        () => admin.deleteTopics([topic]),
      ]) {
        const error = await errorOf(call);
        expect(error).toBeInstanceOf(KafkaError);
        expect((error as KafkaError).code).toBe('TOPIC_EXCEPTION');
      }
    }
  });

  test('a subscription pattern is bounded', () => {
    expect(() => consumer.subscribe(new RegExp('a'.repeat(5000)))).toThrow(RangeError);
  });
});

describe('configuration strings are bounded (librdkafka copies some onto the stack)', () => {
  const huge = 'x'.repeat(8 << 20);

  test.each([
    ['bootstrapServers', () => new KafkaProducer({ bootstrapServers: huge })],
    ['clientId', () => new KafkaProducer({ bootstrapServers, clientId: huge })],
    ['groupId', () => new KafkaConsumer(undefined, { bootstrapServers, groupId: huge })],
    ['rdkafka.sasl.password', () => new KafkaAdmin({ bootstrapServers, rdkafka: { 'sasl.password': huge } })],
  ])('%s', (name, create) => {
    expect(create).toThrow(RangeError);
    expect(create).toThrow(new RegExp(name.replace(/\./g, '\\.')));
  });

  test('the error message does not carry the value (it could be a secret)', () => {
    try {
      new KafkaAdmin({ bootstrapServers, rdkafka: { 'sasl.password': `secret${huge}` } });
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });

  test('PEM properties may hold whole CA bundles', async () => {
    // librdkafka parses it and refuses it as a certificate: the length itself was accepted.
    const error = await errorOf(
      () =>
        new KafkaProducer({
          bootstrapServers,
          rdkafka: { 'security.protocol': 'ssl', 'ssl.ca.pem': 'x'.repeat(1 << 20) },
        }),
    );
    expect(error).toBeInstanceOf(KafkaError);
  });

  test('the native layer refuses them too (a backstop for anything that skips the TS checks)', () => {
    // Thrown by C++ in the addon's realm, not jest's: compared by name, not instanceof.
    for (const create of [
      () => new addon.Producer({ 'bootstrap.servers': huge }, () => undefined),
      () => new addon.Consumer({ 'group.id': huge }, () => undefined),
    ]) {
      const error = (() => {
        try {
          create();
        } catch (err) {
          return err as Error;
        }
        throw new Error('accepted');
      })();
      expect(error.name).toBe('RangeError');
      expect(error.message).toMatch(/is 8388608 bytes, longer than 65536/);
    }
  });
});

describe('found by the API fuzzer', () => {
  test('sparse arrays: every hole is a TypeError, nothing is silently skipped', async () => {
    // eslint-disable-next-line no-sparse-arrays
    await expectArgumentError(() => producer.sendBatch('t', [, { value: 'x' }] as never), TypeError, /records\[0\]/);
    await expectArgumentError(() => producer.sendBatch('t', new Array(3) as never), TypeError, /records\[0\]/);
    // eslint-disable-next-line no-sparse-arrays
    await expectArgumentError(() => admin.createTopics([, { name: 'x' }] as never), TypeError, /topics\[0\]/);
  });

  test('serializers.string refuses non-strings (an array-like with length 2**32 froze the loop)', () => {
    expect(() => serializers.string({ length: 2 ** 32 } as never, 't')).toThrow(TypeError);
  });

  test("option names are looked up as the table's own properties", () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(
        () =>
          new KafkaProducer(
            Object.fromEntries([
              ['bootstrapServers', bootstrapServers],
              [name, 1],
            ]),
          ),
      ).toThrow(/unknown option/);
    }
  });

  test('assign()/unassign() on a subscribed consumer, and subscribe() on an assigned one, are _STATE errors', async () => {
    // librdkafka aborted the process (assert rktp_started) when assign()/unassign() changed a group-managed
    // assignment.
    const subscribed = new KafkaConsumer('t', { bootstrapServers, groupId: 'arguments-mixed' });
    const assigned = new KafkaConsumer(undefined, { bootstrapServers });
    try {
      for (const call of [() => subscribed.assign([{ topic: 't', partition: 0 }]), () => subscribed.unassign()]) {
        expect(call).toThrow(KafkaError);
        expect(call).toThrow(/unsubscribe\(\) first/);
      }
      assigned.assign([{ topic: 't', partition: 0 }]);
      expect(() => assigned.subscribe('t')).toThrow(/unassign\(\) first/);
      assigned.unassign();
      expect(() => assigned.subscribe('t')).not.toThrow();
    } finally {
      await Promise.all([subscribed.close(), assigned.close()]);
    }
  });
});

describe('promise-returning methods reject, never throw', () => {
  test('KafkaShareConsumer subscribe()/unsubscribe(): a bad argument or a closed consumer is a rejection', async () => {
    const share = new KafkaShareConsumer(undefined, { bootstrapServers, groupId: 'arguments-share' });
    let subscribing: Promise<void> | undefined;
    expect(() => {
      subscribing = share.subscribe(42 as unknown as string);
    }).not.toThrow();
    await expect(subscribing).rejects.toThrow(TypeError);
    await share.close();
    for (const call of [() => share.subscribe('t'), () => share.unsubscribe()]) {
      let pending: Promise<void> | undefined;
      expect(() => {
        pending = call();
      }).not.toThrow();
      await expect(pending).rejects.toMatchObject({ code: '_DESTROY' });
    }
  });
});
