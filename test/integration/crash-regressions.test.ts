/**
 * Ordinary calls that used to kill the process (SIGABRT/SIGSEGV inside librdkafka) or freeze its event
 * loop, each in a child process of its own (test/integration/fixtures/crash-probe.js): the child must exit
 * 0 with the documented outcome, never by a signal, never by the hang timeout.
 */
import * as path from 'node:path';

import { bootstrapServers, runNode, seedTopic } from '../helpers';

const PROBE = path.join(__dirname, 'fixtures', 'crash-probe.js');
let topic: string;

beforeAll(async () => {
  topic = await seedTopic('crash', 3, 300);
});

async function probe(scenario: string): Promise<string> {
  const run = await runNode([PROBE, scenario, bootstrapServers(), topic], { timeoutMs: 45_000 });
  const detail = `${scenario}: code ${run.code}, signal ${run.signal}\n${run.stderr.slice(-3000)}`;
  expect({ signal: run.signal, code: run.code, detail }).toEqual({ signal: null, code: 0, detail });
  const line = run.stdout.split('\n').find((l) => l.startsWith(`ok ${scenario}`));
  expect(line).toBeDefined();
  return line!.slice(`ok ${scenario} `.length);
}

test('unsubscribe() then subscribe() then close(): no librdkafka assert (was SIGABRT every run)', async () => {
  // Twice, concurrently: it aborted 7 of 7 runs before the fix.
  const results = await Promise.all([probe('resubscribe-close'), probe('resubscribe-close')]);
  expect(results).toEqual(['closed', 'closed']);
}, 100_000);

test('unassign() after unsubscribe() then close(): no NULL rebalance protocol dereference (was SIGSEGV)', async () => {
  const results = await Promise.all([probe('unassign-after-unsubscribe'), probe('unassign-after-unsubscribe')]);
  expect(results).toEqual(['closed', 'closed']);
}, 100_000);

test('unassign() right after unsubscribe(), then close(): the event loop keeps running, close() finishes', async () => {
  expect(await probe('unassign-right-after-unsubscribe')).toBe('closed');
}, 60_000);

test('close() of a cooperative group member right after it joined', async () => {
  expect(await probe('close-after-join')).toBe('closed');
}, 60_000);

test('describeCluster() that fails rejects with KafkaError (librdkafka asserted on the failed result)', async () => {
  // Unreachable cluster, then timeoutMs 0 and 1 against the real broker, then a working call.
  const outcome = (await probe('describe-cluster-fails')).split(',');
  expect(outcome[0]).toMatch(/^KafkaError:/);
  for (const o of outcome.slice(1)) expect(o).toMatch(/^(KafkaError:_TIMED_OUT|resolved)$/);
}, 60_000);

test('group calls on a consumer whose close() began reject or answer instead of freezing the event loop', async () => {
  // sendOffsetsToTransaction froze the loop for ever (API fuzz under scripts/sanitize.sh found it).
  const detail = await probe('group-calls-while-closing');
  expect(detail).toMatch(/^sendOffsetsToTransaction:KafkaError:_DESTROY,assignment:\w+(:\w+)?,position:\w+(:\w+)?$/);
}, 60_000);

test('8 MiB configuration strings are a RangeError, not a stack overflow (was SIGSEGV)', async () => {
  expect(await probe('huge-config-strings')).toBe(Array(7).fill('RangeError').join(','));
}, 60_000);

test('batches({ timeoutMs: 0 }) ends instead of freezing the event loop; bad maxRecords throw', async () => {
  const detail = await probe('batches-timeout-zero');
  expect(detail).toMatch(/^[1-9]\d* records, (RangeError|TypeError)(,(RangeError|TypeError)){3}$/);
}, 60_000);
