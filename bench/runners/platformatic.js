// @platformatic/kafka 2.x (pure TypeScript, ESM, Node >= 22.22): it runs under a newer Node than the
// system one (see bench/node-runtime.ts). Producer: send() with arrays of messages (the harness's tuned chunk
// and window); consumer: the messages stream of consume(). Per-record cases: send({ messages: [m] }) per
// record; the stream is already per message, so C2 reads it the same way as C1.
'use strict';

let lib;

exports.prepare = async (job) => {
  lib = await import('@platformatic/kafka');
  if (job.kind === 'consume') return undefined;
  const producer = new lib.Producer({
    clientId: 'bench',
    bootstrapBrokers: job.brokers.split(','),
    idempotent: Boolean(job.idempotent),
    acks: job.acks === 'all' ? -1 : job.acks,
    compression: job.compression,
  });
  await producer.metadata({ topics: [job.topic] });
  return { producer };
};

exports.teardown = async (prepared) => {
  if (prepared && prepared.producer) await prepared.producer.close();
};

exports.produce = async (job, tools, { producer }) => {
  const value = tools.payload(job.size, job.compressible);
  if (job.perRecord) {
    const send = () => producer.send({ messages: [{ topic: job.topic, value: Buffer.from(value) }] });
    // One request per record runs at ~7k msg/s here: 50,000 records (several seconds) measure the rate
    // without a million-record case taking minutes per repetition.
    return { messages: await tools.perRecord(Math.min(job.messages, 50_000), send) };
  }
  const messages = Array.from({ length: tools.chunk }, () => ({ topic: job.topic, value }));
  const delivered = await tools.windowed(job.messages, tools.chunk, tools.window, (n) =>
    producer.send({
      messages: job.freshPayload
        ? Array.from({ length: n }, () => ({ topic: job.topic, value: Buffer.from(value) }))
        : n === tools.chunk
          ? messages
          : messages.slice(0, n),
    }),
  );
  return { messages: delivered };
};

exports.consume = async (job, tools) => {
  if (job.mode === 'assign') throw new Error('UNSUPPORTED: no manual assignment without a group in this runner');
  const consumer = new lib.Consumer({
    groupId: job.groupId,
    clientId: 'bench',
    bootstrapBrokers: job.brokers.split(','),
    maxBytes: 64 << 20,
  });
  const stream = await consumer.consume({ topics: [job.topic], mode: 'earliest', autocommit: false });
  let count = 0;
  let bytes = 0;
  let startedAt;
  for await (const message of stream) {
    startedAt ??= tools.now();
    count++;
    bytes += message.value.length;
    if (count >= job.messages) break;
  }
  const endedAt = tools.now();
  await stream.close();
  await consumer.close(true);
  return { messages: count, bytes, startedAt, endedAt };
};

exports.sendLatency = async (job, tools, { producer }) => {
  const value = tools.payload(job.size, false);
  const send = () => producer.send({ messages: [{ topic: job.topic, value }] });
  return { latencyMs: await tools.sequential(job.messages, send) };
};
