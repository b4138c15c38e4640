/**
 * The scenarios of `npm run bench`, expanded into cases: one fresh topic and one measurement per client
 * per repetition. Numbers are the defaults; `--quick` shrinks them for a CI smoke run and
 * `--messages` overrides the message counts.
 */

export type ClientName =
  'kafka-napi' | 'c' | 'java' | 'node-rdkafka' | 'kafkajs' | 'platformatic' | 'kafka-napi/kafkajs' | 'ckjs';
export const CLIENTS: ClientName[] = [
  'kafka-napi',
  'c',
  'node-rdkafka',
  'kafkajs',
  'platformatic',
  'java',
  'kafka-napi/kafkajs',
  'ckjs',
];
export const CLIENT_LABELS: Record<ClientName, string> = {
  'kafka-napi': 'kafka-napi',
  c: 'C librdkafka',
  java: 'Java client',
  'node-rdkafka': 'node-rdkafka',
  kafkajs: 'kafkajs',
  platformatic: '@platformatic/kafka',
  'kafka-napi/kafkajs': 'kafka-napi/kafkajs',
  ckjs: 'CKJS KafkaJS',
};
/**
 * The engines of the K scenarios: the same kafkajs-API code (bench/runners/kafkajs-api.js) on kafkajs,
 * on kafka-napi/kafkajs and on @confluentinc/kafka-javascript's KafkaJS layer (CKJS, a bench peer built
 * by bench/peers/install.sh). kafka-napi/kafkajs and CKJS run only in the K scenarios.
 */
export const KAFKAJS_API_CLIENTS: ClientName[] = ['kafka-napi/kafkajs', 'kafkajs', 'ckjs'];

export type JobKind =
  'produce' | 'produceAwaited' | 'consume' | 'shareConsume' | 'sendLatency' | 'endToEnd' | 'pipeline';

/** What a client runner receives (bench/runners/harness.js and the C/Java command builders). */
export interface Job {
  kind: JobKind;
  brokers: string;
  topic: string;
  partitions: number;
  messages: number;
  size: number;
  compressible: boolean;
  acks: 1 | 'all';
  idempotent: boolean;
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  lingerMs: number;
  /** The producer's `expedite` option (K1: the layer's setting). */
  expedite?: boolean;
  batchSize?: number;
  groupId?: string;
  mode?: 'subscribe' | 'assign';
  /** endToEnd: messages per second, scheduled open loop. */
  rate?: number;
  /**
   * The way people write it (P5, C2): one call per record (a fresh payload Buffer each for producers) and
   * each client's own per-message iteration for consumers. Without it, each client's tuned batch path.
   * C and Java measure the same job either way: their tools already produce and consume per record.
   */
  perRecord?: boolean;
  /** Tuned batches, but a fresh payload Buffer per record instead of one shared Buffer (P5-batch). */
  freshPayload?: boolean;
  /** shareConsume: members of the share group, in one process. */
  members?: number;
  /**
   * K scenarios: the kafkajs-API clients run bench/runners/kafkajs-api.js (one code, their engine picked
   * by name); kafka-napi runs the same job through its own API, to show what the layer costs.
   */
  api?: 'kafkajs';
}

export interface Case {
  id: string;
  scenario: 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'C1' | 'C2' | 'K1' | 'K2' | 'Q1' | 'T1' | 'L1';
  title: string;
  /** Job template; brokers, topic and groupId are filled per run. */
  job: Omit<Job, 'brokers' | 'topic'>;
  /** 'throughput': msgs/s is the headline; 'latency': percentiles are. */
  metric: 'throughput' | 'latency';
  /** Consumer cases read a topic filled beforehand. */
  prefill?: boolean;
  /** Record the topic's size on the broker's disk (compression). */
  logSize?: boolean;
  clients: ClientName[];
}

export interface PlanOptions {
  quick: boolean;
  messages?: number;
  scenarios?: string[];
  clients?: string[];
}

export function buildPlan(options: PlanOptions): Case[] {
  const n = options.messages ?? (options.quick ? 100_000 : 1_000_000);
  const base = {
    kind: 'produce' as const,
    partitions: 6,
    messages: n,
    size: 100,
    compressible: false,
    acks: 1 as const,
    idempotent: false,
    compression: 'none' as const,
    lingerMs: 5,
  };
  // The kafkajs-API-only clients run the K scenarios alone.
  const all: ClientName[] = CLIENTS.filter((c) => c !== 'kafka-napi/kafkajs' && c !== 'ckjs');
  const kafkajsApi: ClientName[] = ['kafka-napi', ...KAFKAJS_API_CLIENTS];
  const cases: Case[] = [
    {
      id: 'P1-1p',
      scenario: 'P1',
      title: 'produce 100 B, acks=1, 1 partition',
      job: { ...base, partitions: 1 },
      metric: 'throughput',
      clients: all,
    },
    {
      id: 'P1-6p',
      scenario: 'P1',
      title: 'produce 100 B, acks=1, 6 partitions',
      job: base,
      metric: 'throughput',
      clients: all,
    },
    ...(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const).map((compression) => ({
      id: `P2-${compression}`,
      scenario: 'P2' as const,
      title: `produce compressible 100 B, ${compression}`,
      job: { ...base, compression, compressible: true },
      metric: 'throughput' as const,
      logSize: true,
      clients: all,
    })),
    ...[0, 5, 50].map((lingerMs) => ({
      id: `P3-linger${lingerMs}`,
      scenario: 'P3' as const,
      title: `produce, lingerMs ${lingerMs}`,
      job: { ...base, lingerMs },
      metric: 'throughput' as const,
      // kafkajs has no linger: P3 compares the clients that batch in the background.
      clients: all.filter((c) => c !== 'kafkajs' && c !== 'platformatic'),
    })),
    {
      id: 'P3-linger50-batch1m',
      scenario: 'P3',
      title: 'produce, lingerMs 50, batchSize 1 MiB',
      job: { ...base, lingerMs: 50, batchSize: 1 << 20 },
      metric: 'throughput',
      clients: all.filter((c) => c !== 'kafkajs' && c !== 'platformatic'),
    },
    {
      id: 'P4-idempotent',
      scenario: 'P4',
      title: "produce, acks='all' + idempotence",
      job: { ...base, acks: 'all', idempotent: true },
      metric: 'throughput',
      clients: all,
    },
    {
      id: 'P5-each',
      scenario: 'P5',
      title: 'produce 100 B per record: one send per record, a fresh Buffer each (idiomatic)',
      job: { ...base, perRecord: true },
      metric: 'throughput',
      clients: all,
    },
    {
      id: 'P5-batch',
      scenario: 'P5',
      title: 'produce 100 B in tuned batches, a fresh Buffer per record',
      job: { ...base, freshPayload: true },
      metric: 'throughput',
      clients: all,
    },
    {
      id: 'C1-subscribe',
      scenario: 'C1',
      title: 'consume 100 B from the beginning, group subscribe',
      job: { ...base, kind: 'consume', mode: 'subscribe' },
      metric: 'throughput',
      prefill: true,
      clients: all,
    },
    {
      id: 'C1-assign',
      scenario: 'C1',
      title: 'consume 100 B from the beginning, assign',
      job: { ...base, kind: 'consume', mode: 'assign' },
      metric: 'throughput',
      prefill: true,
      clients: all.filter((c) => c !== 'kafkajs' && c !== 'platformatic' && c !== 'java'),
    },
    {
      id: 'C2-each',
      scenario: 'C2',
      title: "consume 100 B per record: each client's per-message iteration, group subscribe (idiomatic)",
      job: { ...base, kind: 'consume', mode: 'subscribe', perRecord: true },
      metric: 'throughput',
      prefill: true,
      clients: all,
    },
    // kafkajs's API as its users write it, on three engines (issue 29): awaited send() calls of 1,000
    // fresh 100 B messages one after another (acks -1 and no compression: kafkajs's defaults), and
    // consumer.run() with eachBatch / eachMessage (default autoCommit) over a prefilled topic. kafka-napi's
    // row does the same work through its own API (sendBatch with the engine settings the layer uses: acks
    // -1, lingerMs 1, expedite; batches() / for await committing after each 2,000 records, as kafkajs's
    // default autoCommit does), so the difference is the layer.
    {
      id: 'K1',
      scenario: 'K1',
      title: 'kafkajs API: awaited producer.send() of 1,000 fresh 100 B messages, one after another',
      job: {
        ...base,
        kind: 'produceAwaited',
        acks: 'all',
        lingerMs: 1,
        expedite: true,
        freshPayload: true,
        api: 'kafkajs',
      },
      metric: 'throughput',
      clients: kafkajsApi,
    },
    {
      id: 'K2-batch',
      scenario: 'K2',
      title: 'kafkajs API: consumer.run({ eachBatch }) over a prefilled topic',
      job: { ...base, kind: 'consume', mode: 'subscribe', api: 'kafkajs' },
      metric: 'throughput',
      prefill: true,
      clients: kafkajsApi,
    },
    {
      id: 'K2-each',
      scenario: 'K2',
      title: 'kafkajs API: consumer.run({ eachMessage }) over a prefilled topic',
      job: { ...base, kind: 'consume', mode: 'subscribe', perRecord: true, api: 'kafkajs' },
      metric: 'throughput',
      prefill: true,
      clients: kafkajsApi,
    },
    // Share groups (KIP-932) against a consumer group member, all on ONE partition: what a work queue
    // costs, and what more members add where a group could use only one. Only kafka-napi has a share
    // consumer among these clients. Fewer records: the broker locks and acknowledges each one.
    ...[
      { id: 'Q1-group-1', title: 'one partition: 1 consumer group member', kind: 'consume' as const, members: 1 },
      { id: 'Q1-share-1', title: 'one partition: 1 share group member', kind: 'shareConsume' as const, members: 1 },
      { id: 'Q1-share-4', title: 'one partition: 4 share group members', kind: 'shareConsume' as const, members: 4 },
    ].map(({ id, title, kind, members }) => ({
      id,
      scenario: 'Q1' as const,
      title,
      job: { ...base, kind, mode: 'subscribe' as const, partitions: 1, members, messages: Math.ceil(n / 5) },
      metric: 'throughput' as const,
      prefill: true,
      clients: ['kafka-napi' as const],
    })),
    {
      id: 'T1-pipeline',
      scenario: 'T1',
      title: 'copy a topic: pipeline(consumer.stream(), transform, producer.stream())',
      job: { ...base, kind: 'pipeline', mode: 'subscribe' },
      metric: 'throughput',
      prefill: true,
      // Node streams on both ends are kafka-napi's API; the other clients have no equivalent pair.
      clients: ['kafka-napi'],
    },
    {
      id: 'L1-send',
      scenario: 'L1',
      title: 'awaited single send(), lingerMs 0 (C, Java: produce->delivery at 1k msg/s)',
      job: { ...base, kind: 'sendLatency', partitions: 1, messages: options.quick ? 300 : 2000, lingerMs: 0 },
      metric: 'latency',
      clients: all,
    },
    ...[10_000, 50_000].map((rate) => ({
      id: `L1-e2e-${rate / 1000}k`,
      scenario: 'L1' as const,
      title: `end-to-end, open loop at ${rate / 1000}k msg/s`,
      job: {
        ...base,
        kind: 'endToEnd' as const,
        partitions: 1,
        rate,
        messages: rate * (options.quick ? 2 : 10),
        // librdkafka's default: at lingerMs 0 every send is its own request and this 2-core broker saturates.
        lingerMs: 5,
      },
      metric: 'latency' as const,
      clients: ['kafka-napi' as const],
    })),
  ];
  const wantScenario = (c: Case): boolean =>
    !options.scenarios?.length ||
    options.scenarios.some((s) => c.id === s || c.scenario === s || c.id.startsWith(`${s}-`));
  return cases
    .filter(wantScenario)
    .map((c) => ({
      ...c,
      clients: c.clients.filter((name) => !options.clients?.length || options.clients.includes(name)),
    }))
    .filter((c) => c.clients.length > 0);
}
