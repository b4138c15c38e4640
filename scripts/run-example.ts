/**
 * `npm run example -- <name> [<name> ...]`: runs examples/<name>.ts in order against
 * KAFKA_BOOTSTRAP_SERVERS, or against a broker this script starts (and stops) itself; examples that need a
 * schema registry get an Apicurio Registry the same way, unless SCHEMA_REGISTRY_URL names one.
 * With no name it runs them all.
 */
import * as path from 'node:path';

import { startKafka, type KafkaCluster } from '../test/broker/kafka';
import { startRegistry, type SchemaRegistryServer } from '../test/registry/apicurio';

const ALL = [
  'simple-producer',
  'advanced-producer',
  'simple-consumer',
  'manual-commit-consumer',
  'worker-threads-consumer',
  'admin',
  'share-consumer',
  'schema-registry',
];
/** Examples that need a schema registry: one is started for them unless SCHEMA_REGISTRY_URL names one. */
const NEED_REGISTRY = new Set(['schema-registry']);

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  let cluster: KafkaCluster | undefined;
  let servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (!servers) {
    cluster = await startKafka();
    servers = cluster.bootstrapServers;
    console.log(`started Kafka ${cluster.kafkaVersion} at ${servers} in ${cluster.startMs} ms`);
  }
  const chosen = names.length > 0 ? names : ALL;
  let registry: SchemaRegistryServer | undefined;
  try {
    if (!process.env.SCHEMA_REGISTRY_URL && chosen.some((n) => NEED_REGISTRY.has(n))) {
      registry = await startRegistry();
      process.env.SCHEMA_REGISTRY_URL = registry.url;
      console.log(`started Apicurio Registry ${registry.version} at ${registry.url} in ${registry.startMs} ms`);
    }
    for (const name of chosen) {
      console.log(`\n=== examples/${name}.ts ===`);
      const mod = (await import(path.join(__dirname, '..', 'examples', `${name}.ts`))) as {
        main: (bootstrapServers: string) => Promise<void>;
      };
      await mod.main(servers);
    }
  } finally {
    await Promise.all([cluster?.stop(), registry?.stop()]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
