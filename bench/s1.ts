/**
 * `npm run bench:s1 [-- --seconds N]`: scenario S1, many clients in one process.
 *
 * 64 consumers (4 groups × 16 members, one 16-partition topic per group) and 16 producers sending 2,000
 * msg/s each (spread over the 4 topics) run together for `--seconds` (default 60). Measured, in this
 * process: event-loop delay (p50/p99/max), the latency of a small fs.promises.readFile every 100 ms
 * (against the same probe idle, before any client exists: a slow readFile with a quiet event loop points
 * at the libuv threadpool, one with a busy loop at the loop), OS threads (idle, with the clients, peak),
 * peak RSS, and whether every produced record was consumed exactly once per group.
 * Starts its own broker unless KAFKA_BOOTSTRAP_SERVERS is set. Prints one JSON line and a summary.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import { KafkaAdmin, KafkaConsumer, KafkaProducer } from '../src';
import { startKafka } from '../test/broker/kafka';

const GROUPS = 4;
const MEMBERS = 16;
const PARTITIONS = 16;
const PRODUCERS = 16;
const RATE_PER_PRODUCER = 2_000;

function argSeconds(): number {
  const i = process.argv.indexOf('--seconds');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 60;
  if (!Number.isInteger(n) || n < 1) throw new RangeError('--seconds takes a positive integer');
  return n;
}

function threads(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}

function percentiles(values: number[]): { p50: number; p99: number; max: number } {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/** readFile of a small file every 100 ms for `ms`; returns each call's latency. */
async function readFileProbe(file: string, ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t = performance.now();
    await fs.promises.readFile(file);
    out.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return out;
}

async function main(): Promise<void> {
  const seconds = argSeconds();
  const own = process.env.KAFKA_BOOTSTRAP_SERVERS ? undefined : await startKafka({ nodes: 1, profile: 'bench' });
  const brokers = process.env.KAFKA_BOOTSTRAP_SERVERS ?? own!.bootstrapServers;
  const probeFile = path.join(os.tmpdir(), `kafka-napi-s1-${process.pid}.txt`);
  fs.writeFileSync(probeFile, 'x'.repeat(4096));
  try {
    const idleThreads = threads();
    const idleRead = percentiles(await readFileProbe(probeFile, 5_000));

    const run = Date.now().toString(36);
    const topics = Array.from({ length: GROUPS }, (_, g) => `s1-${run}-${g}`);
    const admin = new KafkaAdmin({ bootstrapServers: brokers });
    await admin.createTopics(topics.map((name) => ({ name, numPartitions: PARTITIONS })));
    await admin.close();

    // A record's value is (producer, sequence) as two uint32: each group marks what it read in one bitmap
    // byte per record, so the measuring costs little CPU and no garbage.
    const maxSeq = (seconds + 5) * RATE_PER_PRODUCER;
    const seen = topics.map(() => Array.from({ length: PRODUCERS }, () => new Uint8Array(maxSeq)));
    const counts = topics.map(() => 0);
    let duplicates = 0;
    const consumers: Array<KafkaConsumer<Buffer, Buffer>> = [];
    const loops: Array<Promise<void>> = [];
    for (let g = 0; g < GROUPS; g++) {
      for (let m = 0; m < MEMBERS; m++) {
        const consumer = new KafkaConsumer(topics[g], {
          bootstrapServers: brokers,
          groupId: `s1-${run}-group-${g}`,
          autoOffsetReset: 'earliest',
        });
        consumers.push(consumer);
        loops.push(
          (async () => {
            for await (const batch of consumer.batches()) {
              for (const r of batch) {
                const bitmap = seen[g][r.value!.readUInt32BE(0)];
                const seq = r.value!.readUInt32BE(4);
                if (bitmap[seq]++ > 0) duplicates++;
                else counts[g]++;
              }
            }
          })(),
        );
      }
    }
    const withConsumers = threads();
    // Let the groups settle before the measured window.
    await new Promise((resolve) => setTimeout(resolve, 10_000));

    const producers = Array.from(
      { length: PRODUCERS },
      () => new KafkaProducer({ bootstrapServers: brokers, acks: 1 }),
    );
    let produced = 0;
    let peakThreads = threads();
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakThreads = Math.max(peakThreads, threads());
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 250);
    const eld = monitorEventLoopDelay({ resolution: 5 });
    eld.enable();
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const end = started + seconds * 1000;
    const sending = producers.map(async (p, i) => {
      const pending: Array<Promise<unknown>> = [];
      // 2,000 msg/s as 20 sends every 10 ms, on schedule.
      for (let tick = 0; performance.now() < end; tick++) {
        const due = started + tick * 10;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        for (let k = 0; k < RATE_PER_PRODUCER / 100; k++) {
          const seq = tick * (RATE_PER_PRODUCER / 100) + k;
          const value = Buffer.allocUnsafe(8);
          value.writeUInt32BE(i, 0);
          value.writeUInt32BE(seq, 4);
          pending.push(p.send(topics[seq % GROUPS], value).then(() => void produced++));
        }
      }
      await Promise.all(pending);
    });
    const reads = readFileProbe(probeFile, seconds * 1000);
    await Promise.all(sending);
    const busyRead = percentiles(await reads);
    eld.disable();
    const elapsed = (performance.now() - started) / 1000;
    const elu = performance.eventLoopUtilization(elu0).utilization;
    const cpu = process.cpuUsage(cpu0);
    const load = os.loadavg()[0];
    // Consumers catch up with the last records.
    const deadline = Date.now() + 30_000;
    const consumedAll = (): boolean => counts.reduce((n, c) => n + c, 0) >= produced;
    while (!consumedAll() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    clearInterval(sampler);
    await Promise.all(producers.map((p) => p.close()));
    await Promise.all(consumers.map((c) => c.close()));
    await Promise.all(loops);
    const result = {
      seconds: Math.round(elapsed),
      produced,
      consumedPerGroup: counts,
      lost: counts.reduce((n, c) => n + Math.max(0, produced / GROUPS - c), 0),
      duplicates,
      eventLoopDelayMs: { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 },
      readFileMs: { idle: idleRead, busy: busyRead },
      threads: { idle: idleThreads, withConsumers, peak: peakThreads },
      rssPeakMiB: Math.round(peakRss / 2 ** 20),
      // The JS thread's busy share, and the process's CPU (all threads) in cores, against the machine's load.
      eventLoopUtilization: Number(elu.toFixed(2)),
      processCpuCores: Number(((cpu.user + cpu.system) / 1e6 / elapsed).toFixed(2)),
      loadAverage1m: Number(load.toFixed(2)),
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
    const f = (x: { p50: number; p99: number; max: number }): string =>
      `${x.p50.toFixed(2)} / ${x.p99.toFixed(1)} / ${x.max.toFixed(1)} ms`;
    console.log(
      [
        `S1: ${result.produced} produced in ${result.seconds} s, consumed per group ${result.consumedPerGroup.join(', ')}, duplicates ${duplicates}`,
        `event-loop delay p50/p99/max ${f(result.eventLoopDelayMs)}`,
        `readFile p50/p99/max idle ${f(idleRead)}, busy ${f(busyRead)}`,
        `threads idle ${idleThreads}, with ${GROUPS * MEMBERS} consumers ${withConsumers}, peak ${peakThreads}; peak RSS ${result.rssPeakMiB} MiB`,
        `event-loop utilization ${result.eventLoopUtilization}, process CPU ${result.processCpuCores} cores, load ${result.loadAverage1m} on ${os.cpus().length} cores`,
      ].join('\n'),
    );
  } finally {
    fs.rmSync(probeFile, { force: true });
    await own?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
