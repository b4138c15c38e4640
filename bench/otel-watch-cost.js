// What the look for a late OpenTelemetry provider costs (src/observe/otel/telemetry.ts watchTelemetry, run at
// each client wake-up): per call, with @opentelemetry/api installed and no provider (the look runs), and
// with both providers found (one boolean read); then how many wake-ups a producer and a consumer make per
// record against a real broker, counted by wrapping the function the clients call.
//   node bench/otel-watch-cost.js <bootstrapServers>   (docs/internals/performance-journal.md "OpenTelemetry overhead")
'use strict';
const telemetry = require('../dist/cjs/observe/otel/telemetry');
const { KafkaProducer, KafkaConsumer } = require('../dist/cjs');

const bootstrapServers = process.argv[2] ?? process.env.KAFKA_BOOTSTRAP_SERVERS;
const N = 2_000_000;

function perCall(label) {
  const watch = telemetry.watchTelemetry;
  for (let i = 0; i < 100_000; i++) watch();
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) watch();
  const ns = Number(process.hrtime.bigint() - t) / N;
  console.log(`${label}: ${ns.toFixed(1)} ns per wake-up`);
  return ns;
}

(async () => {
  telemetry.telemetryWantsStats(); // what a client's constructor does: looks once, starts watching
  const looking = perCall('installed, no provider (looks at every wake-up)');

  // Wake-ups per record on the real data paths: count the clients' calls.
  let wakes = 0;
  const original = telemetry.watchTelemetry;
  telemetry.watchTelemetry = () => {
    wakes++;
    original();
  };
  const topic = `otel-watch-${process.pid}`;
  const records = 200_000;
  const producer = new KafkaProducer({ bootstrapServers, lingerMs: 5 });
  const value = Buffer.alloc(100);
  const batch = Array.from({ length: 10_000 }, () => ({ value }));
  wakes = 0;
  for (let i = 0; i < records / batch.length; i++) await producer.sendBatch(topic, batch);
  const producerWakes = wakes;
  await producer.close();
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers,
    groupId: topic,
    autoOffsetReset: 'earliest',
    logger: {},
  });
  let consumed = 0;
  wakes = 0;
  while (consumed < records) consumed += (await consumer.poll({ timeoutMs: 1000, maxRecords: 10_000 })).length;
  const consumerWakes = wakes;
  await consumer.close();
  telemetry.watchTelemetry = original;
  for (const [side, w] of [
    ['producer', producerWakes],
    ['consumer', consumerWakes],
  ]) {
    console.log(
      `${side}: ${w} wake-ups for ${records} records (${(records / w).toFixed(0)} records each): ` +
        `${((looking * w) / records).toFixed(2)} ns per record while looking`,
    );
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
