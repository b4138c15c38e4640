/**
 * Starts what the schema registry suite talks to: a real Kafka broker (unless KAFKA_BOOTSTRAP_SERVERS
 * names one) and a real Apicurio Registry (unless SCHEMA_REGISTRY_URL names a Confluent-compatible one),
 * and checks that the Python client the interop tests run is installed (test/interop/python/setup.sh).
 */
import * as fs from 'node:fs';

import { checkAddonFresh } from '../addon-fresh';
import { startKafka, type KafkaCluster } from '../broker/kafka';
import { startRegistry, type SchemaRegistryServer } from '../registry/apicurio';
import { PYTHON } from './python';

declare global {
  var __KAFKA_CLUSTER__: KafkaCluster | undefined;
  var __SCHEMA_REGISTRY__: SchemaRegistryServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  checkAddonFresh();
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`${PYTHON} is missing: run 'bash test/interop/python/setup.sh' (scripts/setup.sh does)`);
  }
  // Both JVMs start at once: each takes seconds, mostly waiting.
  const [cluster, registry] = await Promise.all([
    process.env.KAFKA_BOOTSTRAP_SERVERS ? undefined : startKafka({ nodes: 1 }),
    process.env.SCHEMA_REGISTRY_URL ? undefined : startRegistry(),
  ]);
  if (cluster) {
    globalThis.__KAFKA_CLUSTER__ = cluster;
    process.env.KAFKA_BOOTSTRAP_SERVERS = cluster.bootstrapServers;
    process.env.KAFKA_BROKER_VERSION = cluster.kafkaVersion;
    console.log(`\nKafka ${cluster.kafkaVersion} started in ${cluster.startMs} ms at ${cluster.bootstrapServers}`);
  }
  if (registry) {
    globalThis.__SCHEMA_REGISTRY__ = registry;
    process.env.SCHEMA_REGISTRY_URL = registry.url;
    console.log(`Apicurio Registry ${registry.version} started in ${registry.startMs} ms at ${registry.url}`);
  }
}
