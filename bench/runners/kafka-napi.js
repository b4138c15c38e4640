// kafka-napi, used the way its README recommends for throughput: sendBatch (one native crossing and one
// promise per chunk) and batches() on the consumer; per-record cases (P5, C2): send() per record with a
// fresh Buffer, and `for await` over the consumer.
'use strict';
const path = require('node:path');
const { KafkaConsumer, KafkaProducer } = require(path.join(__dirname, '..', '..', 'dist', 'cjs'));

// Measured on the 2-core bench machine: 1,000-record chunks are as fast as 10,000 and keep each
// synchronous stretch (serialize + one native crossing) around a millisecond.
const CHUNK = 1_000; // records per sendBatch
const WINDOW = 80; // chunks awaiting their delivery reports at once
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
    ...(job.batchSize ? { batchSize: job.batchSize } : {}),
  });
}

exports.prepare = async (job) => {
  if (job.kind === 'consume') return undefined;
  const p = producer(job);
  await p.connect();
  return { producer: p };
};

exports.teardown = async (prepared) => {
  if (prepared && prepared.producer) await prepared.producer.close();
};

exports.produce = async (job, tools, { producer: p }) => {
  const value = tools.payload(job.size, job.compressible);
  if (job.perRecord) {
    return { messages: await tools.perRecord(job.messages, () => p.send(job.topic, Buffer.from(value))) };
  }
  const records = Array.from({ length: CHUNK }, () => ({ value }));
  const delivered = await tools.windowed(job.messages, CHUNK, WINDOW, (n) =>
    p.sendBatch(job.topic, n === CHUNK ? records : records.slice(0, n)),
  );
  return { messages: delivered };
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
  if (job.perRecord) {
    for await (const r of consumer) {
      startedAt ??= tools.now();
      bytes += r.value.length;
      if (++count >= job.messages) break;
    }
  } else {
    for await (const batch of consumer.batches({ maxRecords: BATCH })) {
      startedAt ??= tools.now();
      count += batch.length;
      for (const r of batch) bytes += r.value.length;
      if (count >= job.messages) break;
    }
  }
  const endedAt = tools.now();
  await consumer.close();
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
