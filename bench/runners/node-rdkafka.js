// node-rdkafka 3.x (NAN binding over its own bundled librdkafka): produce() per message with delivery
// reports polled every 10 ms; batch consume(10000) in a loop, its fastest consumer mode. Per-record
// cases: a fresh Buffer per produce(), and flowing mode ('data' per message).
'use strict';
const Kafka = require('node-rdkafka');

function producerConfig(job) {
  return {
    'metadata.broker.list': job.brokers,
    dr_cb: true,
    'linger.ms': job.lingerMs,
    'compression.codec': job.compression,
    'enable.idempotence': Boolean(job.idempotent),
    'queue.buffering.max.messages': 100_000,
    ...(job.batchSize ? { 'batch.size': job.batchSize } : {}),
  };
}

exports.prepare = async (job) => {
  if (job.kind === 'consume') return undefined;
  const producer = new Kafka.Producer(producerConfig(job), {
    'request.required.acks': job.acks === 'all' ? -1 : job.acks,
  });
  await new Promise((resolve, reject) => producer.connect({}, (err) => (err ? reject(err) : resolve())));
  producer.setPollInterval(10);
  return { producer };
};

exports.teardown = async (prepared) => {
  if (prepared && prepared.producer) await new Promise((resolve) => prepared.producer.disconnect(resolve));
};

exports.produce = async (job, tools, { producer }) => {
  const value = tools.payload(job.size, job.compressible);
  let delivered = 0;
  let failed = 0;
  const done = new Promise((resolve) => {
    producer.on('delivery-report', (err) => {
      if (err) failed++;
      else delivered++;
      if (delivered + failed === job.messages) resolve();
    });
  });
  const fresh = job.perRecord || job.freshPayload;
  for (let i = 0; i < job.messages;) {
    try {
      producer.produce(job.topic, null, fresh ? Buffer.from(value) : value, null, Date.now());
      i++;
    } catch (err) {
      if (err.code !== Kafka.CODES.ERRORS.ERR__QUEUE_FULL) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  await done;
  if (failed) throw new Error(`${failed} deliveries failed`);
  return { messages: delivered };
};

exports.consume = async (job, tools) => {
  const consumer = new Kafka.KafkaConsumer(
    { 'metadata.broker.list': job.brokers, 'group.id': job.groupId, 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise((resolve, reject) => consumer.connect({}, (err) => (err ? reject(err) : resolve())));
  if (job.mode === 'assign') {
    consumer.assign(
      Array.from({ length: job.partitions }, (_, partition) => ({ topic: job.topic, partition, offset: 0 })),
    );
  } else {
    consumer.subscribe([job.topic]);
  }
  let count = 0;
  let bytes = 0;
  let startedAt;
  if (job.perRecord) {
    // Flowing mode: one 'data' event per message, its per-message API.
    await new Promise((resolve, reject) => {
      consumer.on('data', (m) => {
        startedAt ??= tools.now();
        bytes += m.value.length;
        if (++count === job.messages) resolve();
      });
      consumer.on('event.error', reject);
      consumer.consume();
    });
    const endedAt = tools.now();
    await new Promise((resolve) => consumer.disconnect(resolve));
    return { messages: count, bytes, startedAt, endedAt };
  }
  consumer.setDefaultConsumeTimeout(100);
  while (count < job.messages) {
    const messages = await new Promise((resolve, reject) =>
      consumer.consume(10_000, (err, m) => (err ? reject(err) : resolve(m))),
    );
    if (messages.length && startedAt === undefined) startedAt = tools.now();
    count += messages.length;
    for (const m of messages) bytes += m.value.length;
  }
  const endedAt = tools.now();
  await new Promise((resolve) => consumer.disconnect(resolve));
  return { messages: count, bytes, startedAt, endedAt };
};

exports.sendLatency = async (job, tools, { producer }) => {
  const value = tools.payload(job.size, false);
  let settle;
  producer.on('delivery-report', (err) => settle(err));
  // The 10 ms poll interval would dominate: poll as fast as the loop allows while waiting.
  producer.setPollInterval(0);
  const send = async () => {
    const delivered = new Promise((resolve, reject) => (settle = (err) => (err ? reject(err) : resolve())));
    producer.produce(job.topic, null, value, null, Date.now());
    const poller = setInterval(() => producer.poll(), 0);
    try {
      await delivered;
    } finally {
      clearInterval(poller);
    }
  };
  return { latencyMs: await tools.sequential(job.messages, send) };
};
