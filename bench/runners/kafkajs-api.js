// The K scenarios (issue 29): ONE piece of kafkajs-API code, as kafkajs users write it, run on three
// engines: kafkajs itself, kafka-napi/kafkajs, and @confluentinc/kafka-javascript's KafkaJS layer (CKJS,
// a bench peer: bench/peers/install.sh). Only the construction differs (ENGINES below); connect, send,
// subscribe, run and disconnect are the same lines for all three, with each engine's defaults.
// - K1 (produceAwaited): `await producer.send({ topic, messages })`, 1,000 fresh 100 B messages per call,
//   one call after another.
// - K2 (consume): `consumer.run({ eachBatch })` or `consumer.run({ eachMessage })` (perRecord) over a
//   prefilled topic, timed from the first message to the last.
'use strict';
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const PEERS = path.join(__dirname, '..', 'peers');

/** kafkajs's own construction: kafka-napi/kafkajs takes it unchanged. */
function kafkajsStyle({ Kafka, logLevel }) {
  return {
    kafka: (job) => new Kafka({ clientId: 'bench', brokers: job.brokers.split(','), logLevel: logLevel.NOTHING }),
    producer: (kafka) => kafka.producer(),
    consumer: (kafka, job) => kafka.consumer({ groupId: job.groupId }),
    subscription: (job) => ({ topic: job.topic, fromBeginning: true }),
  };
}

const ENGINES = {
  kafkajs: () => kafkajsStyle(require('kafkajs')),
  'kafka-napi/kafkajs': () => kafkajsStyle(require(path.join(ROOT, 'dist', 'cjs', 'kafkajs'))),
  // CKJS's differences are all in the construction: kafkajs options inside `kafkaJS: {}`, and
  // fromBeginning per consumer instead of per subscribe() (acks and compression would be per producer;
  // K1 uses the defaults: acks -1, no compression).
  ckjs: () => {
    const { Kafka, logLevel } = require(require.resolve('@confluentinc/kafka-javascript', { paths: [PEERS] })).KafkaJS;
    return {
      kafka: (job) =>
        new Kafka({ kafkaJS: { clientId: 'bench', brokers: job.brokers.split(','), logLevel: logLevel.NOTHING } }),
      producer: (kafka) => kafka.producer(),
      consumer: (kafka, job) => kafka.consumer({ kafkaJS: { groupId: job.groupId, fromBeginning: true } }),
      subscription: (job) => ({ topic: job.topic }),
    };
  },
};

function engine(tools) {
  const load = ENGINES[tools.client];
  if (!load) throw new Error(`kafkajs-api.js: no engine '${tools.client}' (one of ${Object.keys(ENGINES).join(', ')})`);
  return load();
}

exports.prepare = async (job, tools) => {
  if (job.kind !== 'produceAwaited') return undefined;
  const e = engine(tools);
  const producer = e.producer(e.kafka(job));
  await producer.connect();
  return { producer };
};

exports.teardown = async (prepared) => {
  if (prepared && prepared.producer) await prepared.producer.disconnect();
};

exports.produceAwaited = async (job, tools, { producer }) => {
  const value = tools.payload(job.size, job.compressible);
  let sent = 0;
  while (sent < job.messages) {
    const n = Math.min(tools.chunk, job.messages - sent);
    const messages = [];
    for (let i = 0; i < n; i++) messages.push({ value: Buffer.from(value) });
    await producer.send({ topic: job.topic, messages });
    sent += n;
  }
  return { messages: sent };
};

exports.consume = async (job, tools) => {
  const e = engine(tools);
  const consumer = e.consumer(e.kafka(job), job);
  await consumer.connect();
  await consumer.subscribe(e.subscription(job));
  let count = 0;
  let bytes = 0;
  let startedAt;
  let endedAt;
  await new Promise((resolve, reject) => {
    const eachMessage = async ({ message }) => {
      startedAt ??= tools.now();
      bytes += message.value.length;
      if (++count === job.messages) {
        endedAt = tools.now();
        resolve();
      }
    };
    const eachBatch = async ({ batch }) => {
      startedAt ??= tools.now();
      count += batch.messages.length;
      for (const m of batch.messages) bytes += m.value.length;
      if (count >= job.messages) {
        endedAt ??= tools.now();
        resolve();
      }
    };
    consumer.run(job.perRecord ? { eachMessage } : { eachBatch }).catch(reject);
  });
  await consumer.disconnect();
  return { messages: count, bytes, startedAt, endedAt };
};
