// Terminates workers whose producer sends in a tight loop and whose consumer iterates, at random moments.
// It used to hang in rd_kafka_destroy (docs/threads.md): run it under a timeout. The suite runs it from
// test/integration/worker-threads.test.ts. Usage:
//   KAFKA_BOOTSTRAP_SERVERS=host:port [TOPIC=name] [TERMINATIONS=30] timeout 120 node scripts/stress-worker-terminate.js
'use strict';
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const dist = path.join(__dirname, '..', 'dist', 'cjs');
const code = `
  const { KafkaConsumer, KafkaProducer } = require(${JSON.stringify(dist)});
  const { workerData } = require('node:worker_threads');
  const p = new KafkaProducer({ bootstrapServers: workerData.bs, lingerMs: 0 });
  const c = new KafkaConsumer(workerData.topic, { bootstrapServers: workerData.bs, groupId: 'stress-' + Math.random(), autoOffsetReset: 'earliest' });
  (async () => { for (let i = 0; ; i++) await p.send(workerData.topic, 'x' + i).catch(() => {}); })();
  (async () => { for await (const r of c) void r; })().catch(() => {});
`;

(async () => {
  const terminations = Number(process.env.TERMINATIONS || 30);
  const topic = process.env.TOPIC || 'stress-topic';
  for (let i = 0; i < terminations; i++) {
    const worker = new Worker(code, { eval: true, workerData: { bs: process.env.KAFKA_BOOTSTRAP_SERVERS, topic } });
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 400));
    await worker.terminate();
  }
  console.log(`survived ${terminations} terminations`);
})();
