/**
 * Warns when a client is garbage-collected without close(). The native side then closes it in the
 * background; the warning points at the leak.
 */
const registry = new FinalizationRegistry<string>((kind) => {
  process.emitWarning(
    `${kind} was garbage-collected without close(); it was closed in the background. Call close() (or use \`await using\`).`,
    { code: 'KAFKA_NAPI_UNCLOSED' },
  );
});

export function trackUnclosed(client: object, kind: string): void {
  registry.register(client, kind, client);
}

export function untrackUnclosed(client: object): void {
  registry.unregister(client);
}
