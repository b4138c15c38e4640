/**
 * `npm run broker`: starts one Kafka node in the foreground, prints its bootstrap address, and stops it on
 * Ctrl-C / SIGTERM. `npm run broker -- --nodes 3` starts the 3-node cluster.
 */
import { startKafka } from './kafka';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--nodes');
  const nodes = i > 0 && process.argv[i + 1] === '3' ? 3 : 1;
  const cluster = await startKafka({ nodes, profile: process.argv.includes('--bench') ? 'bench' : 'test' });
  console.log(`Kafka ${cluster.kafkaVersion}: ${nodes} node(s) ready in ${cluster.startMs} ms`);
  console.log(`KAFKA_BOOTSTRAP_SERVERS=${cluster.bootstrapServers}`);
  const stop = (): void => {
    void cluster.stop().then(() => process.exit(0));
  };
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
