// kafka-napi, used the way its README recommends for throughput: sendBatch (one native crossing and one
// promise per chunk) and batches() on the consumer; per-record cases (P5, C2): send() per record with a
// fresh Buffer, and `for await` over the consumer; T1: the two Node streams in a pipeline(); K1: the
// kafkajs-API K1 work through kafka-napi's own API (an awaited sendBatch of fresh records at a time).
'use strict';
const path = require('node:path');
const { Transform } = require('node:stream');
const { pipeline } = require('node:stream/promises');
// Before the client library: OpenTelemetry is looked for when a client is created (bench/otel-noop.js).
if (process.env.KAFKA_NAPI_BENCH_OTEL === 'noop') require('../otel-noop.js');
const { KafkaAdmin, KafkaConsumer, KafkaProducer, KafkaShareConsumer } = require(
  path.join(__dirname, '..', '..', 'dist', 'cjs'),
);

// Batches of 2,000 records: 10,000 kept so many records alive across scavenges that GC took a quarter of
// the consumer's time, and each batch held the event loop for 25-60 ms.
const BATCH = 2_000;

function producer(job) {
  return new KafkaProducer({
    bootstrapServers: job.brokers,
    acks: job.acks === 'all' ? 'all' : job.acks,
    enableIdempotence: job.idempotent,
    compressionType: job.compression,
    lingerMs: job.lingerMs,
    expedite: job.expedite === true,
    ...(job.batchSize ? { batchSize: job.batchSize } : {}),
  });
}

async function admin(job, fn) {
  const a = new KafkaAdmin({ bootstrapServers: job.brokers });
  try {
    await fn(a);
  } finally {
    await a.close();
  }
}

exports.prepare = async (job) => {
  if (job.kind === 'consume') return undefined;
  const p = producer(job);
  await p.connect();
  if (job.kind !== 'pipeline') return { producer: p };
  const output = `${job.topic}-out`;
  await admin(job, (a) => a.createTopics([{ name: output, numPartitions: job.partitions }]));
  return { producer: p, output, job };
};

exports.teardown = async (prepared) => {
  if (prepared && prepared.producer) await prepared.producer.close();
  if (prepared && prepared.output) await admin(prepared.job, (a) => a.deleteTopics([prepared.output]));
};

// Copies the topic through Node streams: a record-by-record transform between the consumer's Readable
// and the producer's Writable, timed from the first record read to the last one acknowledged.
exports.pipeline = async (job, tools, { producer: p, output }) => {
  const consumer = new KafkaConsumer(job.topic, {
    bootstrapServers: job.brokers,
    groupId: job.groupId,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    maxPollRecords: BATCH,
  });
  let count = 0;
  let startedAt;
  const copy = new Transform({
    objectMode: true,
    transform(record, _encoding, callback) {
      startedAt ??= tools.now();
      // The consumer's stream ends when it closes: after the last record of the topic.
      if (++count === job.messages) void consumer.close();
      callback(null, { key: record.key, value: record.value });
    },
  });
  await pipeline(consumer.stream(), copy, p.stream(output));
  return { messages: count, startedAt, endedAt: tools.now() };
};

exports.produce = async (job, tools, { producer: p }) => {
  const value = tools.payload(job.size, job.compressible);
  if (job.perRecord) {
    return { messages: await tools.perRecord(job.messages, () => p.send(job.topic, Buffer.from(value))) };
  }
  const records = Array.from({ length: tools.chunk }, () => ({ value }));
  const delivered = await tools.windowed(job.messages, tools.chunk, tools.window, (n) =>
    p.sendBatch(
      job.topic,
      job.freshPayload
        ? Array.from({ length: n }, () => ({ value: Buffer.from(value) }))
        : n === tools.chunk
          ? records
          : records.slice(0, n),
    ),
  );
  return { messages: delivered };
};

// K1's work without the kafkajs layer: one awaited sendBatch of `chunk` fresh records after another.
exports.produceAwaited = async (job, tools, { producer: p }) => {
  const value = tools.payload(job.size, job.compressible);
  let sent = 0;
  while (sent < job.messages) {
    const n = Math.min(tools.chunk, job.messages - sent);
    const records = [];
    for (let i = 0; i < n; i++) records.push({ value: Buffer.from(value) });
    await p.sendBatch(job.topic, records);
    sent += n;
  }
  return { messages: sent };
};

exports.consume = async (job, tools) => {
  const consumer = new KafkaConsumer(job.mode === 'assign' ? undefined : job.topic, {
    bootstrapServers: job.brokers,
    groupId: job.groupId,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    maxPollRecords: BATCH,
  });
  if (job.mode === 'assign') {
    consumer.assign(
      Array.from({ length: job.partitions }, (_, partition) => ({ topic: job.topic, partition, offset: 0 })),
    );
  }
  let count = 0;
  let bytes = 0;
  let startedAt;
  // The K rows (kafkajs's API) commit what was consumed after each batch, as kafkajs's default autoCommit
  // does: here the same work through kafka-napi's own API, one commit in flight at a time (as the layer).
  const commits = job.api === 'kafkajs';
  let committing;
  if (job.perRecord) {
    for await (const r of consumer) {
      startedAt ??= tools.now();
      bytes += r.value.length;
      if (++count >= job.messages) break;
      if (commits && count % BATCH === 0 && !committing) {
        committing = consumer.commit().finally(() => (committing = undefined));
      }
    }
  } else {
    for await (const batch of consumer.batches({ maxRecords: BATCH })) {
      startedAt ??= tools.now();
      count += batch.length;
      for (const r of batch) bytes += r.value.length;
      if (commits && !committing) committing = consumer.commit().finally(() => (committing = undefined));
      if (count >= job.messages) break;
    }
  }
  const endedAt = tools.now();
  await committing;
  await consumer.close();
  return { messages: count, bytes, startedAt, endedAt };
};

// Q1: `members` share consumers in implicit mode (every record handed out is accepted at the next poll),
// polling batches, from the first record any of them gets to the last. The group reads from the start.
exports.shareConsume = async (job, tools) => {
  const admin = new KafkaAdmin({ bootstrapServers: job.brokers });
  await admin.incrementalAlterConfigs([
    { type: 'group', name: job.groupId, configs: [{ name: 'share.auto.offset.reset', value: 'earliest' }] },
  ]);
  await admin.close();
  const members = Array.from(
    { length: job.members ?? 1 },
    () =>
      new KafkaShareConsumer(job.topic, {
        bootstrapServers: job.brokers,
        groupId: job.groupId,
        maxPollRecords: BATCH,
        logger: {},
      }),
  );
  let count = 0;
  let bytes = 0;
  let startedAt;
  let endedAt;
  await Promise.all(
    members.map(async (consumer) => {
      while (count < job.messages) {
        const records = await consumer.poll({ timeoutMs: 500 });
        if (records.length === 0) continue;
        startedAt ??= tools.now();
        count += records.length;
        for (const r of records) bytes += r.value.length;
        if (count >= job.messages) endedAt ??= tools.now();
      }
    }),
  );
  await Promise.all(members.map((m) => m.commit().then(() => m.close())));
  return { messages: count, bytes, startedAt, endedAt };
};

exports.sendLatency = async (job, tools, { producer: p }) => {
  const value = tools.payload(job.size, false);
  return { latencyMs: await tools.sequential(job.messages, () => p.send(job.topic, value)) };
};

exports.endToEnd = async (job, tools, { producer: p }) => {
  const consumer = new KafkaConsumer(undefined, { bootstrapServers: job.brokers, groupId: job.groupId });
  consumer.assign(
    Array.from({ length: job.partitions }, (_, partition) => ({ topic: job.topic, partition, offset: 0 })),
  );
  const latencies = [];
  const done = (async () => {
    for await (const batch of consumer.batches({ maxRecords: BATCH })) {
      const now = tools.now();
      for (const r of batch) latencies.push(now - r.value.readDoubleLE(0));
      if (latencies.length >= job.messages) break;
    }
  })();
  // Let the consumer fetch from the (empty) partitions before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const base = tools.payload(job.size, false);
  const sends = [];
  await tools.openLoop(job.rate, job.messages, (i, scheduled) => {
    const value = Buffer.from(base);
    value.writeDoubleLE(scheduled, 0);
    sends.push(p.send(job.topic, value));
  });
  await Promise.all(sends);
  await done;
  await consumer.close();
  return { latencyMs: tools.percentiles(latencies) };
};
