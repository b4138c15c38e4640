/** Shared helpers for integration tests: the broker address, fresh topic names, topic creation. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { KafkaAdmin, KafkaConsumer, KafkaProducer, type ConsumerRecord, type ProducerRecord } from '../src';

export function bootstrapServers(): string {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (!servers) throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set: run the suite through jest (global setup)');
  return servers;
}

/**
 * True when the suite's broker is at least `major.minor` (the compatibility matrix runs the core tests
 * on older lines). A broker given by KAFKA_BOOTSTRAP_SERVERS is taken to be the newest unless
 * KAFKA_BROKER_VERSION says otherwise.
 */
export function brokerAtLeast(major: number, minor: number): boolean {
  const version = process.env.KAFKA_BROKER_VERSION;
  if (!version) return true;
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** A pinned input of the native build (scripts/deps/pins.sh), so tests never restate a version. */
export function pin(name: string): string {
  const pins = fs.readFileSync(path.join(__dirname, '..', 'scripts', 'deps', 'pins.sh'), 'utf8');
  const value = new RegExp(`^${name}=(\\S+)$`, 'm').exec(pins)?.[1];
  if (!value) throw new Error(`${name} is not pinned in scripts/deps/pins.sh`);
  return value;
}

/** A topic name no other test (or earlier run against the same broker) uses. */
export function uniqueTopic(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export async function createTopic(name: string, numPartitions = 1, configs?: Record<string, string>): Promise<void> {
  const admin = new KafkaAdmin({ bootstrapServers: bootstrapServers() });
  try {
    await admin.createTopics([{ name, numPartitions, configs }]);
  } finally {
    await admin.close();
  }
}

/**
 * A fresh topic with `numPartitions` partitions holding `count` records (values `<prefix><i>` unless
 * `record` says otherwise); returns its name.
 */
export async function seedTopic(
  prefix: string,
  numPartitions: number,
  count: number,
  record: (i: number) => ProducerRecord<Buffer, Buffer> = (i) => ({ value: `${prefix}${i}` }),
): Promise<string> {
  const topic = uniqueTopic(prefix);
  await createTopic(topic, numPartitions);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  try {
    await producer.sendBatch(
      topic,
      Array.from({ length: count }, (_, i) => record(i)),
    );
  } finally {
    await producer.close();
  }
  return topic;
}

/** Polls `fn` until it returns true or `timeoutMs` passes. */
export async function waitFor(
  fn: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Reads `topic` from the beginning with a fresh group until `count` records arrived, then checks that
 * nothing more comes within `settleMs`. Returns the records in arrival order.
 */
export async function consumeAll(
  topic: string,
  count: number,
  options: {
    isolationLevel?: 'read_committed' | 'read_uncommitted';
    settleMs?: number;
    timeoutMs?: number;
    bootstrapServers?: string;
  } = {},
): Promise<ConsumerRecord[]> {
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: options.bootstrapServers ?? bootstrapServers(),
    groupId: uniqueTopic('reader'),
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    isolationLevel: options.isolationLevel,
  });
  const records: ConsumerRecord[] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  try {
    while (records.length < count && Date.now() < deadline) {
      records.push(...(await consumer.poll({ timeoutMs: 1000 })));
    }
    records.push(...(await consumer.poll({ timeoutMs: options.settleMs ?? 500 })));
  } finally {
    await consumer.close();
  }
  return records;
}

export interface NodeRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process exited. */
  exitedAt: number;
}

/** Runs `node ...args` to completion (SIGKILLed after `timeoutMs`: a hang shows as signal SIGKILL). */
export function runNode(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal, exitedAt: Date.now() });
    });
  });
}
