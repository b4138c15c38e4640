/**
 * The integration project's global setup: checks that the addon the suite loads is not older than
 * native/ (a stale build would test old code), then starts the real Kafka broker the suite runs against,
 * unless KAFKA_BOOTSTRAP_SERVERS names one.
 * dist/ is rebuilt by the test command itself (package.json "test").
 */
import { checkAddonFresh } from './addon-fresh';
import { startKafka, type KafkaCluster } from './broker/kafka';

declare global {
  var __KAFKA_CLUSTER__: KafkaCluster | undefined;
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
