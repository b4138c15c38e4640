/**
 * Records a JS partitioner holds back until their topic's partition count is known live in the
 * producer's outbox. When one topic's count cannot be had, its records fail and the others stay: with
 * hundreds of thousands of them that must not exceed V8's argument limit (a spread did, ending in an
 * unhandled rejection and records that never settled). No broker: the address is unreachable.
 */
import * as path from 'node:path';

import { runNode } from '../helpers';

test('a failed partition count fails its own records only, however large the outbox', async () => {
  const dist = JSON.stringify(path.join(__dirname, '..', '..', 'dist', 'cjs'));
  const script = `
    const { KafkaProducer } = require(${dist});
    process.on('unhandledRejection', (e) => { console.log('UNHANDLED ' + (e && e.message)); process.exit(3); });
    (async () => {
      const producer = new KafkaProducer({
        bootstrapServers: '127.0.0.1:1', partitioner: (key, count) => 0, deliveryTimeoutMs: 1500,
        logger: { error() {}, warn() {}, info() {}, debug() {} },
      });
      // First topic's count fetch starts first, so it fails while the second's 400,000 records wait.
      const first = producer.send('first-topic', 'x').then(() => 'ok', (e) => e.code);
      const value = Buffer.from('v');
      const many = producer.sendBatch('second-topic', Array.from({ length: 400000 }, () => ({ value })))
        .then(() => 'ok', (e) => e.code);
      console.log(JSON.stringify({ first: await first, many: await many }));
      await producer.close(1000).catch(() => {});
    })().catch((e) => { console.log('FAILED ' + e.message); process.exit(2); });
  `;
  const run = await runNode(['-e', script], { timeoutMs: 60_000 });
  expect(run.stdout).not.toMatch(/UNHANDLED|FAILED/);
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { first: string; many: string };
  // Both fail (nothing is reachable), each with its own metadata error, and nothing is left pending.
  expect(result.first).not.toBe('ok');
  expect(result.many).not.toBe('ok');
  expect(run.code).toBe(0);
}, 90_000);
