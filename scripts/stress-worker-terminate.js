// Reproducer for the known worker.terminate() hang (docs/threads.md, "Known issue"): terminates 30
// workers whose producer sends in a tight loop and whose consumer iterates. Not part of the test suite
// because it can hang. Usage: KAFKA_BOOTSTRAP_SERVERS=host:port timeout 120 node scripts/stress-worker-terminate.js
'use strict';
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const dist = path.join(__dirname, '..', 'dist', 'cjs');
const code = `
  const { KafkaConsumer, KafkaProducer } = require(${JSON.stringify(dist)});
  const { workerData } = require('node:worker_threads');
  const p = new KafkaProducer({ bootstrapServers: workerData.bs, lingerMs: 0 });
  const c = new KafkaConsumer('stress-topic', { bootstrapServers: workerData.bs, groupId: 'stress-' + Math.random(), autoOffsetReset: 'earliest' });
  (async () => { for (let i = 0; ; i++) await p.send('stress-topic', 'x' + i).catch(() => {}); })();
  (async () => { for await (const r of c) void r; })().catch(() => {});
`;

(async () => {
  for (let i = 0; i < 30; i++) {
    const worker = new Worker(code, { eval: true, workerData: { bs: process.env.KAFKA_BOOTSTRAP_SERVERS } });
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 400));
    await worker.terminate();
  }
  console.log('survived 30 terminations');
})();
