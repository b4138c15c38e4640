import { spawn } from 'node:child_process';
import * as path from 'node:path';

import { KafkaProducer } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

const N = 400;

function run(
  args: string[],
  mode: string,
  killAfter?: number,
): Promise<{ processed: string[]; started: string[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'commit-worker.js'), ...args], {
      env: { ...process.env, MODE: mode },
    });
    const processed: string[] = [];
    const started: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('P ')) processed.push(line.slice(2));
        if (line.startsWith('S ')) started.push(line.slice(2));
        if (killAfter !== undefined && processed.length === killAfter) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`worker failed (${code}): ${stderr}`));
      else resolve({ processed, started, signal });
    });
  });
}

async function seed(): Promise<string> {
  const topic = uniqueTopic('ccrash');
  await createTopic(topic, 3);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.sendBatch(
    topic,
    Array.from({ length: N }, (_, i) => ({ key: String(i), value: String(i) })),
  );
  await producer.close();
  return topic;
}

function tally(values: string[]): { missing: number; duplicated: number } {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return {
    missing: Array.from({ length: N }, (_, i) => String(i)).filter((v) => !counts.has(v)).length,
    duplicated: [...counts.values()].filter((c) => c > 1).length,
  };
}

test('auto-commit off, SIGKILL mid-batch: restart re-delivers every uncommitted record and loses none', async () => {
  const topic = await seed();
  const args = [bootstrapServers(), topic, uniqueTopic('g')];
  const first = await run(args, 'batch', 110); // killed 10 records into a batch of 25
  expect(first.signal).toBe('SIGKILL');
  const second = await run(args, 'batch');
  const all = [...first.processed, ...second.processed];
  const { missing, duplicated } = tally(all);
  console.log(
    `at-least-once: first run ${first.processed.length}, second ${second.processed.length}, missing ${missing}, re-delivered ${duplicated}`,
  );
  expect(missing).toBe(0);
  expect(duplicated).toBeGreaterThan(0); // the uncommitted tail came back
  expect(duplicated).toBeLessThanOrEqual(25); // at most the batch that was in progress
}, 120_000);

test('commit after each record, SIGKILL at any point: nothing acknowledged is re-delivered, nothing is lost', async () => {
  const topic = await seed();
  const args = [bootstrapServers(), topic, uniqueTopic('g')];
  // The kill is sent when the test has read that many acknowledgements; the worker runs on meanwhile,
  // so the kill lands wherever it is: between records, before or during a commit.
  const first = await run(args, 'record', 100 + Math.floor(Math.random() * 200));
  expect(first.signal).toBe('SIGKILL');
  const second = await run(args, 'record');
  // At most the record the worker was on when killed: its commit may or may not have reached the group.
  const inFlight = first.started.filter((v) => !first.processed.includes(v));
  expect(inFlight.length).toBeLessThanOrEqual(1);
  const acknowledged = new Set(first.processed);
  const redelivered = second.processed.filter((v) => acknowledged.has(v));
  const { missing, duplicated } = tally([...first.processed, ...second.processed, ...inFlight]);
  console.log(
    `per-record commit: first ${first.processed.length} (+${inFlight.length} in flight at the kill), ` +
      `second ${second.processed.length}, missing ${missing}, acknowledged-then-redelivered ${redelivered.length}`,
  );
  expect(redelivered).toEqual([]);
  expect(missing).toBe(0);
  // The in-flight record counts twice only if it came back: then exactly it, exactly once more.
  expect(duplicated).toBe(inFlight.filter((v) => second.processed.includes(v)).length);
}, 120_000);
