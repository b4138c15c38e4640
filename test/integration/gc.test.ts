import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

const dist = path.join(__dirname, '..', '..', 'dist', 'cjs');

const SCRIPT = `
const { KafkaProducer, KafkaConsumer, KafkaAdmin } = require(${JSON.stringify(dist)});
const [bootstrapServers, topic] = process.argv.slice(1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function collect() { for (let i = 0; i < 10; i++) { global.gc(); await sleep(30); } }
(async () => {
  // An idle client whose wake-up callback is only weakly held by native code must survive GC.
  const producer = new KafkaProducer({ bootstrapServers });
  await producer.send(topic, 'before-gc');
  await collect();
  const timer = setTimeout(() => { console.log('HANG'); process.exit(3); }, 15000);
  const meta = await producer.send(topic, 'after-gc');
  clearTimeout(timer);
  await producer.close();
  // Abandoned clients: collected, warned about, closed in the background, no crash, no hang at exit.
  (() => {
    new KafkaProducer({ bootstrapServers });
    new KafkaConsumer(topic, { bootstrapServers, groupId: topic + '-gc' });
    new KafkaAdmin({ bootstrapServers });
  })();
  await collect();
  console.log(JSON.stringify({ offset: meta.offset }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

test('GC: idle clients keep working; unclosed clients are collected with a warning, no crash or hang', async () => {
  const topic = uniqueTopic('gc');
  await createTopic(topic, 1);
  const started = Date.now();
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', SCRIPT, bootstrapServers(), topic], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const elapsed = Date.now() - started;
  expect(child.signal).toBeNull();
  expect(child.status).toBe(0);
  expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({ offset: 1 });
  for (const kind of ['KafkaProducer', 'KafkaConsumer', 'KafkaAdmin']) {
    expect(child.stderr).toContain(`${kind} was garbage-collected without close()`);
  }
  expect(elapsed).toBeLessThan(30_000);
});
