/**
 * `tsx test/registry/cli.ts`: starts the schema registry (Apicurio, Confluent-compatible API) in the
 * foreground, prints its URL, and stops it on Ctrl-C / SIGTERM.
 */
import { startRegistry } from './apicurio';

async function main(): Promise<void> {
  const registry = await startRegistry();
  console.log(`Apicurio Registry ${registry.version}: ready in ${registry.startMs} ms (pid ${registry.pid})`);
  console.log(`SCHEMA_REGISTRY_URL=${registry.url}`);
  const stop = (): void => {
    void registry.stop().then(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // The harness's own handlers SIGKILL the JVM; stop() ends it gracefully instead. process.listeners()
    // leaves out tsx's relay handler, which must stay: without it tsx SIGKILLs this process mid-stop.
    for (const listener of process.listeners(signal)) process.off(signal, listener);
    process.once(signal, stop);
  }
  setInterval(() => {}, 1 << 30);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
