/**
 * Checks that the addon the suite loads is not older than native/ (a stale build would test old code),
 * then starts the real Kafka broker the suite runs against, unless KAFKA_BOOTSTRAP_SERVERS names one.
 * dist/ is rebuilt by the test command itself (package.json "test").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { addonFile } from '../src/addon-file';
import { startKafka, type KafkaCluster } from './broker/kafka';

declare global {
  var __KAFKA_CLUSTER__: KafkaCluster | undefined;
}

export function checkAddonFresh(): void {
  const root = path.join(__dirname, '..');
  const addon = addonFile(root);
  const built = fs.statSync(addon).mtimeMs;
  const dir = path.join(root, 'native');
  const newer = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).mtimeMs > built);
  if (newer.length > 0) {
    throw new Error(
      `${path.relative(root, addon)} is older than native/${newer.join(', native/')}: rebuild it ` +
        '(npm run build:native for build/Release, npm run prebuild for prebuilds/) before testing',
    );
  }
}

export default async function globalSetup(): Promise<void> {
  checkAddonFresh();
  if (process.env.KAFKA_BOOTSTRAP_SERVERS) {
    console.log(`\nusing Kafka at ${process.env.KAFKA_BOOTSTRAP_SERVERS}`);
    return;
  }
  const cluster = await startKafka({ nodes: 1 });
  globalThis.__KAFKA_CLUSTER__ = cluster;
  // Test workers are forked after global setup and inherit this.
  process.env.KAFKA_BOOTSTRAP_SERVERS = cluster.bootstrapServers;
  // What tests of features some broker lines lack ask (test/helpers.ts brokerAtLeast).
  process.env.KAFKA_BROKER_VERSION = cluster.kafkaVersion;
  console.log(`\nKafka ${cluster.kafkaVersion} broker started in ${cluster.startMs} ms at ${cluster.bootstrapServers}`);
}
