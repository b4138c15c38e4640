// kafkajs 2.x (pure JS). It has no linger batching: throughput comes from sending arrays of messages,
// so the runner sends chunks (the harness's tuned chunk and window) with as many requests in flight, its
// documented fast path.
// Per-record cases: send({ messages: [m] }) per record, and eachMessage.
'use strict';
const { Kafka, CompressionTypes, logLevel } = require('kafkajs');

const CODECS = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP };

function kafka(job) {
  return new Kafka({ clientId: 'bench', brokers: job.brokers.split(','), logLevel: logLevel.NOTHING });
}

exports.prepare = async (job, tools) => {
  if (job.kind === 'consume') return undefined;
  if (!(job.compression in CODECS)) throw new Error(`UNSUPPORTED: kafkajs has no built-in ${job.compression} codec`);
  const producer = kafka(job).producer({
    idempotent: job.idempotent,
    maxInFlightRequests: job.idempotent ? 1 : tools.window,
  });
  await producer.connect();
  return { producer };
};

exports.teardown = async (prepared) => {
  if (prepared && prepared.producer) await prepared.producer.disconnect();
};

const acks = (job) => (job.acks === 'all' ? -1 : job.acks);

exports.produce = async (job, tools, { producer }) => {
  const value = tools.payload(job.size, job.compressible);
  if (job.perRecord) {
    const send = () =>
      producer.send({
        topic: job.topic,
        acks: acks(job),
        compression: CODECS[job.compression],
        messages: [{ value: Buffer.from(value) }],
      });
    // One request per record runs at ~5k msg/s here: 50,000 records (several seconds) measure the rate
    // without a million-record case taking minutes per repetition.
    return { messages: await tools.perRecord(Math.min(job.messages, 50_000), send) };
  }
  const messages = Array.from({ length: tools.chunk }, () => ({ value }));
  const delivered = await tools.windowed(job.messages, tools.chunk, tools.window, (n) =>
    producer.send({
      topic: job.topic,
      acks: acks(job),
      compression: CODECS[job.compression],
      messages: job.freshPayload
        ? Array.from({ length: n }, () => ({ value: Buffer.from(value) }))
        : n === tools.chunk
          ? messages
          : messages.slice(0, n),
    }),
  );
  return { messages: delivered };
};

exports.consume = async (job, tools) => {
  if (job.mode === 'assign') throw new Error('UNSUPPORTED: kafkajs has no manual partition assignment');
  const consumer = kafka(job).consumer({ groupId: job.groupId, maxBytes: 64 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: job.topic, fromBeginning: true });
  let count = 0;
  let bytes = 0;
  let startedAt;
  let endedAt;
  await new Promise((resolve, reject) => {
    consumer
      .run(
        job.perRecord
          ? {
              autoCommit: false,
              eachMessage: async ({ message }) => {
                startedAt ??= tools.now();
                bytes += message.value.length;
                if (++count === job.messages) {
                  endedAt = tools.now();
                  resolve();
                }
              },
            }
          : {
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                startedAt ??= tools.now();
                count += batch.messages.length;
                for (const m of batch.messages) bytes += m.value.length;
                if (count >= job.messages) {
                  endedAt ??= tools.now();
                  resolve();
                }
              },
            },
      )
      .catch(reject);
  });
  await consumer.disconnect();
  return { messages: count, bytes, startedAt, endedAt };
};

exports.sendLatency = async (job, tools, { producer }) => {
  const value = tools.payload(job.size, false);
  const send = () => producer.send({ topic: job.topic, acks: acks(job), messages: [{ value }] });
  return { latencyMs: await tools.sequential(job.messages, send) };
};
