/**
 * The native boundary's own checks (native/core/args.h), called directly as only a bug in src/ could: a wrong
 * type is a TypeError naming the argument — never a generic Error, never an abort.
 */
import { addon } from '../../src/native/addon';

const config = { 'bootstrap.servers': '127.0.0.1:1', 'client.id': 'native-args-test' };
const wake = (): void => undefined;

test('admin createTopics/deleteTopics: non-array lists, non-object specs, non-numeric ids', async () => {
  const admin = new addon.Admin(config, wake);
  try {
    const call = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const spec = { name: 't', numPartitions: 1, replicationFactor: 1, configs: [] as string[] };
    const cases: Array<[() => unknown, RegExp]> = [
      [() => admin.createTopics(1, 'topics' as never, false, 1000), /topics must be an array/],
      [() => admin.createTopics(1, [42] as never, false, 1000), /topics\[i\] must be an object/],
      [() => admin.createTopics(1, [{ ...spec, configs: 'x' }] as never, false, 1000), /configs must be an array/],
      [() => admin.createTopics('one' as never, [spec], false, 1000), /requestId must be a number/],
      [() => admin.createTopics(-1, [spec], false, 1000), /requestId must be an integer/],
      [() => admin.deleteTopics(1, 't' as never, 1000), /names must be an array/],
    ];
    for (const [fn, message] of cases) {
      // Compared by name: errors made in native code belong to Node's realm, not jest's sandbox.
      const error = call(fn) as Error;
      expect(['TypeError', 'RangeError']).toContain(error?.name);
      expect(error.message).toMatch(message);
    }
  } finally {
    await admin.close();
  }
});

test('consumer commit: typed arrays of the right element type only', async () => {
  const consumer = new addon.Consumer({ ...config, 'group.id': 'g' }, wake);
  try {
    const commit = (partitions: unknown, offsets: unknown): unknown => {
      try {
        consumer.commit(1, ['t'], partitions as Int32Array, offsets as Float64Array);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    expect(commit(Float64Array.of(0), Float64Array.of(1))).toMatchObject({
      name: 'TypeError',
      message: expect.stringMatching(/partitions must be a Int32Array/),
    });
    expect(commit(Int32Array.of(0), Int32Array.of(1))).toMatchObject({
      name: 'TypeError',
      message: expect.stringMatching(/offsets must be a Float64Array/),
    });
    expect(() => consumer.commit('x' as never, null, null as never, null as never)).toThrow(
      expect.objectContaining({ name: 'TypeError', message: 'requestId must be a number' }),
    );
  } finally {
    await consumer.close();
  }
});

test('config resources librdkafka refuses to build (empty names) are _INVALID_ARG, never a NULL request', async () => {
  // describeConfigs of a broker named '' was a SIGSEGV (rd_kafka_ConfigResource_new returns NULL).
  const admin = new addon.Admin(config, wake);
  try {
    const cases: Array<() => unknown> = [
      () => admin.describeConfigs(1, [{ type: 4, name: '' }], 1000),
      () => admin.incrementalAlterConfigs(2, [{ type: 2, name: '', ops: [] }], false, 1000),
    ];
    for (const fn of cases) {
      let error: (Error & { code?: string }) | undefined;
      try {
        fn();
      } catch (err) {
        error = err as Error & { code?: string };
      }
      // KafkaError once src/index.ts registered the class; this test loads the addon alone.
      expect(['KafkaError', 'Error']).toContain(error?.name);
      expect(error?.code).toBe('_INVALID_ARG');
    }
  } finally {
    await admin.close();
  }
});
