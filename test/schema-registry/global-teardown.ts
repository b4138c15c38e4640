/** Stops what test/schema-registry/global-setup.ts started. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all([globalThis.__KAFKA_CLUSTER__?.stop(), globalThis.__SCHEMA_REGISTRY__?.stop()]);
  globalThis.__KAFKA_CLUSTER__ = undefined;
  globalThis.__SCHEMA_REGISTRY__ = undefined;
}
