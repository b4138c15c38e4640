/**
 * `npm run example -- <name> [<name> ...]`: runs examples/<name>.ts in order against
 * KAFKA_BOOTSTRAP_SERVERS, or against a broker this script starts (and stops) itself.
 * With no name it runs them all.
 */
import * as path from 'node:path';

import { startKafka, type KafkaCluster } from '../test/broker/kafka';

const ALL = [
  'simple-producer',
  'advanced-producer',
  'simple-consumer',
  'manual-commit-consumer',
  'worker-threads-consumer',
  'admin',
  'share-consumer',
];

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  let cluster: KafkaCluster | undefined;
  let servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (!servers) {
    cluster = await startKafka();
    servers = cluster.bootstrapServers;
    console.log(`started Kafka ${cluster.kafkaVersion} at ${servers} in ${cluster.startMs} ms`);
  }
  try {
    for (const name of names.length > 0 ? names : ALL) {
      console.log(`\n=== examples/${name}.ts ===`);
      const mod = (await import(path.join(__dirname, '..', 'examples', `${name}.ts`))) as {
        main: (bootstrapServers: string) => Promise<void>;
      };
      await mod.main(servers);
    }
  } finally {
    await cluster?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
