/**
 * Runs one job with one client in its own process and returns what it measured. Node clients run in
 * bench/runners/harness.js; the C reference is librdkafka's own `rdkafka_performance` built from the same
 * pinned source; the Java reference is Kafka's ProducerPerformance / ConsumerPerformance from the jars the
 * broker runs from. Process CPU of the native references comes from bash's `times` (children's user+sys).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureKafkaJars } from '../test/broker/kafka';
import { ensureNode, PLATFORMATIC_NODE_VERSION } from './node-runtime';
import { KAFKAJS_API_CLIENTS, type ClientName, type Job } from './plan';

export interface LatencyPercentiles {
  p50: number;
  p99: number;
  p999?: number;
  max?: number;
  count?: number;
}

export interface RunResult {
  messages?: number;
  elapsedMs?: number;
  /** Messages per second (acknowledged for producers). */
  rate?: number;
  cpuUs?: number;
  cpuUsPerMsg?: number;
  eventLoopDelayMs?: { p50: number; p99: number; max: number };
  rssPeakBytes?: number;
  latencyMs?: LatencyPercentiles;
  /** Topic size on the broker's disk after the run (compression scenarios). */
  logBytes?: number;
  node?: string;
  unsupported?: string;
  error?: string;
}

const ROOT = path.join(__dirname, '..');
const RDKAFKA_PERFORMANCE = path.join(ROOT, 'deps', 'linux-x64', 'bin', 'rdkafka_performance');
/** The same text the Node runners use for compressible payloads (bench/runners/harness.js). */
const COMPRESSIBLE = '{"user":"u-00042","event":"page_view","path":"/products/42","ua":"Mozilla/5.0"}';
const RUNNER_MODULES: Partial<Record<ClientName, string>> = {
  'kafka-napi': 'kafka-napi.js',
  kafkajs: 'kafkajs.js',
  'node-rdkafka': 'node-rdkafka.js',
  platformatic: 'platformatic.js',
  'kafka-napi/kafkajs': 'kafkajs-api.js',
  ckjs: 'kafkajs-api.js',
};
const JOB_TIMEOUT_MS = 10 * 60_000;

interface Exec {
  stdout: string;
  stderr: string;
  code: number | null;
}

function exec(command: string, args: string[], timeoutMs = JOB_TIMEOUT_MS): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

/** Runs `command args` under bash and returns its output plus the CPU its process tree used (µs). */
async function execTimed(command: string, args: string[]): Promise<Exec & { cpuUs: number }> {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = await exec('bash', ['-c', `${quoted}; status=$?; times >&2; exit $status`]);
  // `times` prints shell then children "user system" lines, e.g. "0m1.234s 0m0.056s".
  const lines = r.stderr.trim().split('\n');
  const children = lines[lines.length - 1].match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/);
  const seconds = children
    ? Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])
    : NaN;
  return { ...r, cpuUs: seconds * 1e6 };
}

function percentilesOf(valuesMs: number[]): LatencyPercentiles | undefined {
  if (valuesMs.length === 0) return undefined;
  const v = [...valuesMs].sort((a, b) => a - b);
  const at = (q: number): number => v[Math.min(v.length - 1, Math.floor(q * v.length))];
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: v[v.length - 1], count: v.length };
}

async function runNode(client: ClientName, job: Job): Promise<RunResult> {
  const node = client === 'platformatic' ? ensureNode(PLATFORMATIC_NODE_VERSION) : process.execPath;
  const harness = path.join(__dirname, 'runners', 'harness.js');
  // K scenarios: every kafkajs-API client runs the one kafkajs-API runner, told which engine it is.
  const file =
    job.api === 'kafkajs' && KAFKAJS_API_CLIENTS.includes(client) ? 'kafkajs-api.js' : RUNNER_MODULES[client]!;
  const module = path.join(__dirname, 'runners', file);
  const r = await exec(node, [harness, module, JSON.stringify(job), client]);
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { error: `no result (exit ${r.code}): ${r.stderr.slice(-2000)}` };
  return JSON.parse(line.slice(7)) as RunResult;
}

/** Last row of rdkafka_performance's `-u` table, by column name. */
function lastTableRow(stdout: string): Record<string, number> | undefined {
  const rows = stdout.split('\n').filter((l) => l.startsWith('|'));
  const header = rows.find((l) => l.includes('elapsed'));
  const last = rows.filter((l) => !l.includes('elapsed')).pop();
  if (!header || !last) return undefined;
  const names = header.split('|').map((s) => s.trim());
  const values = last.split('|').map((s) => Number(s.trim()));
  return Object.fromEntries(names.map((n, i) => [n, values[i]]).filter(([n]) => n));
}

async function runC(job: Job): Promise<RunResult> {
  const common = ['-b', job.brokers, '-t', job.topic, '-u'];
  if (job.kind === 'produce') {
    const args = ['-P', ...common, '-s', String(job.size), '-c', String(job.messages), '-D'];
    args.push('-a', job.acks === 'all' ? '-1' : String(job.acks), '-z', job.compression);
    args.push('-X', `linger.ms=${job.lingerMs}`, '-X', `enable.idempotence=${job.idempotent}`);
    if (job.batchSize) args.push('-X', `batch.size=${job.batchSize}`);
    if (job.compressible) args.push('-m', COMPRESSIBLE);
    const r = await execTimed(RDKAFKA_PERFORMANCE, args);
    const row = lastTableRow(r.stdout);
    if (r.code !== 0 || !row) return { error: `rdkafka_performance failed (${r.code}): ${r.stderr.slice(-2000)}` };
    const delivered = row.dr - row.dr_err;
    return {
      messages: delivered,
      elapsedMs: row.elapsed,
      rate: delivered / (row.elapsed / 1000),
      cpuUs: r.cpuUs,
      cpuUsPerMsg: r.cpuUs / delivered,
    };
  }
  if (job.kind === 'consume') {
    const args = ['-C', ...common, '-c', String(job.messages), '-o', 'beginning'];
    if (job.mode === 'assign') for (let p = 0; p < job.partitions; p++) args.push('-p', String(p));
    else args.push('-G', job.groupId!, '-X', 'auto.offset.reset=earliest');
    const r = await execTimed(RDKAFKA_PERFORMANCE, args);
    const row = lastTableRow(r.stdout);
    if (r.code !== 0 || !row) return { error: `rdkafka_performance failed (${r.code}): ${r.stderr.slice(-2000)}` };
    return {
      messages: row.msgs,
      elapsedMs: row.elapsed,
      rate: row.msgs / (row.elapsed / 1000),
      cpuUs: r.cpuUs,
      cpuUsPerMsg: r.cpuUs / row.msgs,
    };
  }
  if (job.kind === 'sendLatency') {
    // Per-message produce -> delivery report latency (µs per line), at 1,000 msg/s so sends do not queue.
    const file = path.join(os.tmpdir(), `kafka-napi-bench-lat-${process.pid}.txt`);
    const args = ['-P', ...common, '-s', String(job.size), '-c', String(job.messages), '-l', '-A', file, '-r', '1000'];
    args.push('-a', job.acks === 'all' ? '-1' : String(job.acks), '-X', 'linger.ms=0');
    const r = await execTimed(RDKAFKA_PERFORMANCE, args);
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
    fs.rmSync(file, { force: true });
    const latencyMs = percentilesOf(lines.map((l) => Number(l) / 1000).filter((x) => Number.isFinite(x)));
    if (r.code !== 0 || !latencyMs)
      return { error: `rdkafka_performance failed (${r.code}): ${r.stderr.slice(-2000)}` };
    return { messages: latencyMs.count, latencyMs, cpuUs: r.cpuUs };
  }
  return { unsupported: 'not measured with rdkafka_performance' };
}

function javaArgs(main: string): string[] {
  const lib = ensureKafkaJars();
  return ['-Xms1g', '-Xmx1g', '-XX:+UseG1GC', '-cp', `${lib}/*`, main];
}

async function runJava(job: Job): Promise<RunResult> {
  if (job.kind === 'produce' || job.kind === 'sendLatency') {
    const latencyRun = job.kind === 'sendLatency';
    const props = [
      `bootstrap.servers=${job.brokers}`,
      `acks=${job.acks === 'all' ? 'all' : job.acks}`,
      `linger.ms=${job.lingerMs}`,
      `compression.type=${job.compression}`,
      `enable.idempotence=${job.idempotent}`,
      ...(job.batchSize ? [`batch.size=${job.batchSize}`] : []),
    ];
    const args = [...javaArgs('org.apache.kafka.tools.ProducerPerformance'), '--topic', job.topic];
    args.push('--num-records', String(job.messages), '--throughput', latencyRun ? '1000' : '-1');
    let payloadFile: string | undefined;
    if (job.compressible) {
      payloadFile = path.join(os.tmpdir(), `kafka-napi-bench-payload-${process.pid}.txt`);
      fs.writeFileSync(
        payloadFile,
        COMPRESSIBLE.repeat(Math.ceil(job.size / COMPRESSIBLE.length)).slice(0, job.size) + '\n',
      );
      args.push('--payload-file', payloadFile);
    } else {
      args.push('--record-size', String(job.size));
    }
    args.push('--producer-props', ...props);
    const r = await execTimed('java', args);
    if (payloadFile) fs.rmSync(payloadFile, { force: true });
    const m = r.stdout.match(
      /(\d+) records sent, ([\d.]+) records\/sec .*?, ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th/,
    );
    if (r.code !== 0 || !m)
      return { error: `ProducerPerformance failed (${r.code}): ${(r.stdout + r.stderr).slice(-2000)}` };
    const messages = Number(m[1]);
    const latencyMs = { p50: Number(m[5]), p99: Number(m[7]), p999: Number(m[8]), max: Number(m[4]), count: messages };
    // Its CPU includes JVM start-up and JIT: reported, not compared.
    return {
      messages,
      rate: Number(m[2]),
      cpuUs: r.cpuUs,
      cpuUsPerMsg: r.cpuUs / messages,
      ...(latencyRun ? { latencyMs } : {}),
    };
  }
  if (job.kind === 'consume' && job.mode !== 'assign') {
    const args = [...javaArgs('org.apache.kafka.tools.ConsumerPerformance'), '--bootstrap-server', job.brokers];
    args.push('--topic', job.topic, '--messages', String(job.messages), '--group', job.groupId!, '--timeout', '60000');
    const r = await execTimed('java', args);
    // CSV: ..., data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    const row = r.stdout
      .trim()
      .split('\n')
      .filter((l) => /^\d{4}-/.test(l))
      .pop();
    if (r.code !== 0 || !row)
      return { error: `ConsumerPerformance failed (${r.code}): ${(r.stdout + r.stderr).slice(-2000)}` };
    const cols = row.split(',').map((s) => s.trim());
    const messages = Number(cols[4]);
    return {
      messages,
      elapsedMs: Number(cols[7]),
      rate: Number(cols[9]),
      cpuUs: r.cpuUs,
      cpuUsPerMsg: r.cpuUs / messages,
    };
  }
  return { unsupported: 'no Java tool for this job' };
}

export async function runClient(client: ClientName, job: Job): Promise<RunResult> {
  try {
    if (client === 'c') return await runC(job);
    if (client === 'java') return await runJava(job);
    return await runNode(client, job);
  } catch (err) {
    return { error: String(err instanceof Error ? err.stack : err) };
  }
}
