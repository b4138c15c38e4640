export default async function globalTeardown(): Promise<void> {
  await globalThis.__KAFKA_CLUSTER__?.stop();
  globalThis.__KAFKA_CLUSTER__ = undefined;
}
