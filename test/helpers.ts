/** Shared helpers for integration tests: the broker address, fresh topic names, topic creation. */
import { randomBytes } from 'node:crypto';

import { KafkaAdmin } from '../src';

export function bootstrapServers(): string {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (!servers) throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set: run the suite through jest (global setup)');
  return servers;
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
