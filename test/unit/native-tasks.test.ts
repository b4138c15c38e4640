/**
 * Every native method that runs blocking work on a task thread returns a promise that settles: once the
 * client's close() has started, the task is refused and the promise rejects with KafkaError _DESTROY
 * (src/core/errors.ts destroyedError uses the same code). A refused task whose promise nobody settled hung its
 * caller for ever. Called directly, as only a bug in src/ could.
 */
import { KafkaError } from '../../src/core/errors';
import { addon } from '../../src/native/addon';

const config = { 'bootstrap.servers': '127.0.0.1:1', 'client.id': 'native-tasks-test' };
const wake = (): void => undefined;

type Outcome = { threw: unknown } | { rejected: unknown } | { resolved: unknown } | 'pending';

// How a call ended: a synchronous throw, a settled promise, or still pending after `ms`.
async function outcome(call: () => Promise<unknown>, ms = 3000): Promise<Outcome> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (err) {
    return { threw: err };
  }
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ resolved: value }),
        (err: unknown) => ({ rejected: err }),
      ),
      pending,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function expectDestroyed(result: Outcome): void {
  expect(result).toEqual({ rejected: expect.any(KafkaError) });
  expect((result as { rejected: KafkaError }).rejected.code).toBe('_DESTROY');
}

test('producer: flush, metadata and transactional calls reject with _DESTROY once close() started', async () => {
  const producer = new addon.Producer(config, wake);
  const closed = producer.close();
  try {
    expectDestroyed(await outcome(() => producer.flush(1000)));
    expectDestroyed(await outcome(() => producer.metadata(null, 1000)));
    expectDestroyed(await outcome(() => producer.initTransactions(1000)));
    expectDestroyed(await outcome(() => producer.commitTransaction(1000)));
    expectDestroyed(await outcome(() => producer.abortTransaction(1000)));
  } finally {
    await closed;
  }
  // And after the close has finished.
  expectDestroyed(await outcome(() => producer.flush(1000)));
});

test('consumer: committed, watermarks, offsetsForTimes and metadata reject with _DESTROY once close() started', async () => {
  const consumer = new addon.Consumer({ ...config, 'group.id': 'native-tasks' }, wake);
  const closed = consumer.close();
  try {
    const partitions = Int32Array.of(0);
    expectDestroyed(await outcome(() => consumer.committed(['t'], partitions, 1000)));
    expectDestroyed(await outcome(() => consumer.watermarks(['t'], partitions, 1000)));
    expectDestroyed(await outcome(() => consumer.offsetsForTimes(['t'], partitions, Float64Array.of(0), 1000)));
    expectDestroyed(await outcome(() => consumer.metadata(null, 1000)));
  } finally {
    await closed;
  }
});

test('committed: a close() that starts while the arguments are read rejects the call instead of hanging it', async () => {
  const consumer = new addon.Consumer({ ...config, 'group.id': 'native-tasks' }, wake);
  let closed: Promise<void> | undefined;
  // The topic list is read after the open check: a getter is the one way JS runs in between.
  const topics: string[] = [];
  Object.defineProperty(topics, 0, {
    enumerable: true,
    get() {
      closed ??= consumer.close();
      return 't';
    },
  });
  try {
    expectDestroyed(await outcome(() => consumer.committed(topics, Int32Array.of(0), 1000)));
  } finally {
    await (closed ?? consumer.close());
  }
});
