/** Starts the real Kafka broker the suite runs against, unless KAFKA_BOOTSTRAP_SERVERS names one. */
import { startKafka, type KafkaCluster } from './broker/kafka';

declare global {
  var __KAFKA_CLUSTER__: KafkaCluster | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.KAFKA_BOOTSTRAP_SERVERS) {
    console.log(`\nusing Kafka at ${process.env.KAFKA_BOOTSTRAP_SERVERS}`);
    return;
  }
  const cluster = await startKafka({ nodes: 1 });
  globalThis.__KAFKA_CLUSTER__ = cluster;
  // Test workers are forked after global setup and inherit this.
  process.env.KAFKA_BOOTSTRAP_SERVERS = cluster.bootstrapServers;
  process.env.KAFKA_NAPI_HARNESS_BROKER = '1';
  console.log(`\nKafka ${cluster.kafkaVersion} broker started in ${cluster.startMs} ms at ${cluster.bootstrapServers}`);
}
