/**
 * `npm run bench [-- --quick] [--scenario P1,C1] [--client kafka-napi,c] [--reps N] [--messages N]`
 *
 * Starts the project's own Kafka broker (benchmark JVM flags) unless KAFKA_BOOTSTRAP_SERVERS is set,
 * runs every case for every client (a warm-up pass, then repetitions interleaved across clients, each
 * on a fresh topic), and writes bench/results/<timestamp>.json plus latest.{json,md,svg}.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { KafkaAdmin, librdkafkaVersion } from '../src';
import { kafkaVersion, startKafka, topicLogSizes, type KafkaCluster } from '../test/broker/kafka';
import { chartSvg } from './chart';
import { runClient, type RunResult } from './clients';
import { ensureNode, PLATFORMATIC_NODE_VERSION } from './node-runtime';
import { buildPlan, CLIENT_LABELS, CLIENTS, type Case, type ClientName, type Job } from './plan';
import { Progress } from './progress';
import { formatRate, markdown, type BenchResults, type BenchRun } from './report';

interface Args {
  quick: boolean;
  reps?: number;
  messages?: number;
  scenarios: string[];
  clients: string[];
  out: string;
}

const USAGE = `usage: npm run bench [-- options]

  --quick              CI smoke run: 100,000 messages per case, 1 repetition
  --scenario LIST      cases to run, by scenario or case id: P1,P2,P3,P4,P5,C1,C2,K1,K2,Q1,T1,L1 or e.g. P1-6p
  --client LIST        clients to run: ${CLIENTS.join(', ')}
  --reps N             repetitions per case (default 5; --quick: 1)
  --messages N         messages per throughput case (default 1,000,000)
  --out DIR            where results go (default bench/results)
  --help               this text

Starts its own Kafka broker unless KAFKA_BOOTSTRAP_SERVERS names one. Writes <timestamp>.json and
latest.{json,md,svg} to the output directory. Scenarios are described in docs/performance.md.
The K scenarios' CKJS client (ckjs) is built from source by bench/peers/install.sh the first time a run
selects it (minutes; cached after); --quick uses it only when already built or cached. node-rdkafka is
built in place by bench/peers/node-rdkafka.sh the first time a run selects it (minutes; cached after),
--quick included: npm ci installs it without compiling it.`;

/** A usage error: printed with the usage text, without a stack trace. */
class UsageError extends Error {}

function positiveInteger(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a positive integer, got '${raw}'`);
  return n;
}

function parseArgs(argv: string[]): Args | undefined {
  const args: Args = { quick: false, scenarios: [], clients: [], out: path.join(__dirname, 'results') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return undefined;
    else if (a === '--quick') args.quick = true;
    else if (a === '--reps') args.reps = positiveInteger(a, value());
    else if (a === '--messages') args.messages = positiveInteger(a, value());
    else if (a === '--scenario') args.scenarios.push(...value().split(','));
    else if (a === '--client') args.clients.push(...value().split(','));
    else if (a === '--out') args.out = path.resolve(value());
    else throw new UsageError(`unknown argument ${a}`);
  }
  for (const c of args.clients) {
    if (!CLIENTS.includes(c as ClientName)) throw new UsageError(`unknown client ${c}; one of ${CLIENTS.join(', ')}`);
  }
  return args;
}

function packageVersion(name: string, from = path.join(__dirname, '..')): string | undefined {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [from] });
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

const PEERS = path.join(__dirname, 'peers');

/**
 * CKJS is a bench peer (bench/peers/): installed, restored from the build cache or built from source
 * (minutes) by bench/peers/install.sh, only when a selected case runs it; `--quick` never compiles it.
 */
function ckjsAvailability(quick: boolean): string | undefined {
  const script = path.join(PEERS, 'install.sh');
  // Its few lines go to stderr as they come, with the bench's progress lines (a cold build takes minutes).
  const r = spawnSync('bash', [script, ...(quick ? ['--cached-only'] : [])], { stdio: ['ignore', 2, 2] });
  if (r.status === 0) return undefined;
  if (r.status === 3 && quick) {
    return '--quick builds no bench peer and bench/peers has no CKJS build (bash bench/peers/install.sh builds it once, in minutes)';
  }
  return `bench/peers/install.sh failed (exit ${r.status ?? r.signal})`;
}

/** Clients that cannot run here are skipped with the reason, never silently. */
function availability(wanted: Set<ClientName>, quick: boolean): Map<ClientName, string> {
  const missing = new Map<ClientName, string>();
  if (
    wanted.has('kafka-napi/kafkajs') &&
    !fs.existsSync(path.join(__dirname, '..', 'dist', 'cjs', 'kafkajs', 'index.js'))
  ) {
    missing.set('kafka-napi/kafkajs', 'dist/cjs/kafkajs not built (npm run build:ts)');
  }
  if (wanted.has('ckjs')) {
    const why = ckjsAvailability(quick);
    if (why) missing.set('ckjs', why);
  }
  if (!fs.existsSync(path.join(__dirname, '..', 'deps', 'linux-x64', 'bin', 'rdkafka_performance'))) {
    missing.set('c', 'deps/linux-x64/bin/rdkafka_performance not built (run npm run deps)');
  }
  if (wanted.has('node-rdkafka')) {
    // Built (or restored from the build cache) by bench/peers/node-rdkafka.sh, never by npm ci: a cold
    // build takes minutes, so its few lines go to stderr as they come.
    const r = spawnSync('bash', [path.join(PEERS, 'node-rdkafka.sh')], { stdio: ['ignore', 2, 2] });
    if (r.status !== 0)
      missing.set('node-rdkafka', `bench/peers/node-rdkafka.sh failed (exit ${r.status ?? r.signal})`);
  }
  if (!packageVersion('kafkajs')) missing.set('kafkajs', 'kafkajs is not installed');
  try {
    ensureNode(PLATFORMATIC_NODE_VERSION);
  } catch (err) {
    missing.set('platformatic', `Node ${PLATFORMATIC_NODE_VERSION} unavailable: ${String(err).split('\n')[0]}`);
  }
  return missing;
}

function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: __dirname, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.log(USAGE);
    return;
  }
  const reps = args.reps ?? (args.quick ? 1 : 5);
  const progress = new Progress();
  const selected = buildPlan({
    quick: args.quick,
    messages: args.messages,
    scenarios: args.scenarios,
    clients: args.clients,
  });
  const missing = availability(new Set(selected.flatMap((c) => c.clients)), args.quick);
  for (const [client, why] of missing) progress.log(`skipping ${CLIENT_LABELS[client]}: ${why}`);
  const plan = selected
    .map((c) => ({ ...c, clients: c.clients.filter((client) => !missing.has(client)) }))
    .filter((c) => c.clients.length > 0);
  if (plan.length === 0) throw new UsageError('nothing to run: no case matches --scenario/--client');

  let cluster: KafkaCluster | undefined;
  let brokers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (!brokers) {
    progress.log('starting Kafka (benchmark JVM flags)...');
    cluster = await startKafka({ nodes: 1, profile: 'bench' });
    brokers = cluster.bootstrapServers;
    progress.log(`Kafka ${cluster.kafkaVersion} ready at ${brokers} in ${cluster.startMs} ms`);
  }
  const stop = async (): Promise<void> => {
    if (cluster) await cluster.stop();
    cluster = undefined;
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));

  const cpus = os.cpus();
  const results: BenchResults = {
    meta: {
      startedAt: new Date().toISOString(),
      quick: args.quick,
      repetitions: reps,
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        kernel: os.release(),
      },
      node: process.version,
      platformaticNode: missing.has('platformatic') ? undefined : `v${PLATFORMATIC_NODE_VERSION}`,
      librdkafka: librdkafkaVersion,
      kafka: kafkaVersion(),
      gitSha: gitSha(),
      broker: process.env.KAFKA_BOOTSTRAP_SERVERS ? 'KAFKA_BOOTSTRAP_SERVERS' : 'own, 1 node, -Xmx1g G1',
      versions: {
        'kafka-napi':
          packageVersion('kafka-napi') ??
          (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
            .version,
        kafkajs: packageVersion('kafkajs'),
        'node-rdkafka': packageVersion('node-rdkafka'),
        platformatic: packageVersion('@platformatic/kafka'),
        ckjs: missing.has('ckjs') ? undefined : packageVersion('@confluentinc/kafka-javascript', PEERS),
        c: librdkafkaVersion,
        java: kafkaVersion(),
      },
    },
    cases: plan,
    runs: [],
  };

  const admin = new KafkaAdmin({ bootstrapServers: brokers });
  let topicSeq = 0;
  const stamp = Date.now().toString(36);
  const newTopic = async (partitions: number): Promise<string> => {
    const name = `bench-${stamp}-${++topicSeq}`;
    await admin.createTopics([{ name, numPartitions: partitions }]);
    return name;
  };
  const total = plan.reduce((n, c) => n + c.clients.length, 0) * reps;
  let done = 0;

  const runOne = async (c: Case, client: ClientName, rep: number, job: Job): Promise<RunResult> => {
    const label = `${c.id} · ${CLIENT_LABELS[client]} · ${rep === 0 ? 'warm-up' : `rep ${rep}/${reps}`}`;
    progress.status(`[${done}/${total}] ${label} ...`);
    const result = await runClient(client, job);
    const run: BenchRun = { caseId: c.id, client, rep, result };
    results.runs.push(run);
    if (rep > 0) done++;
    const what = result.unsupported
      ? `n/a (${result.unsupported})`
      : result.error
        ? `FAILED: ${result.error.split('\n')[0].slice(0, 160)}`
        : c.metric === 'latency'
          ? `p50 ${result.latencyMs?.p50.toFixed(2)} ms, p99 ${result.latencyMs?.p99.toFixed(2)} ms`
          : `${formatRate(result.rate ?? 0)} msg/s`;
    progress.done(`[${done}/${total}] ${label}: ${what}`);
    return result;
  };

  /** Fills a consumer case's topic with the C producer (fastest; the content is what matters). */
  const prefill = async (c: Case): Promise<string> => {
    const topic = await newTopic(c.job.partitions);
    progress.status(`filling ${topic} with ${c.job.messages} messages for ${c.id} ...`);
    const r = await runClient('c', { ...c.job, kind: 'produce', brokers: brokers!, topic });
    if (r.error || r.messages !== c.job.messages)
      throw new Error(`prefill of ${topic} failed: ${r.error ?? `${r.messages} delivered`}`);
    return topic;
  };

  const runCase = async (c: Case, rep: number, clients: ClientName[], messages?: number): Promise<void> => {
    const job = { ...c.job, messages: messages ?? c.job.messages };
    const shared = c.prefill ? await prefill({ ...c, job }) : undefined;
    const logTopics: Array<{ run: RunResult; topic: string }> = [];
    const created: string[] = shared ? [shared] : [];
    for (const client of clients) {
      const topic = shared ?? (await newTopic(job.partitions));
      if (!shared) created.push(topic);
      const groupId = `${topic}-${client}`;
      const result = await runOne(c, client, rep, { ...job, brokers: brokers!, topic, groupId } as Job);
      if (c.logSize && !result.error && !result.unsupported) logTopics.push({ run: result, topic });
    }
    if (logTopics.length && rep > 0) {
      const sizes = topicLogSizes(
        brokers!,
        logTopics.map((l) => l.topic),
      );
      for (const l of logTopics) l.run.logBytes = sizes[l.topic];
    }
    // 1M x 100 B per topic adds up over a full run: every topic goes once measured.
    await admin.deleteTopics(created).catch((err: unknown) => progress.log(`deleting topics: ${String(err)}`));
  };

  try {
    // Warm-up: every client once on a small job (JIT, page cache, broker), excluded from results: P1-6p
    // where the client runs it, else the first producing case it runs (K1 for the kafkajs-API clients).
    const warmGroups = new Map<Case, ClientName[]>();
    for (const client of new Set(plan.flatMap((c) => c.clients))) {
      const mine = plan.filter((c) => c.clients.includes(client));
      const warm =
        mine.find((c) => c.id === 'P1-6p') ??
        mine.find((c) => c.job.kind === 'produce' || c.job.kind === 'produceAwaited') ??
        mine[0];
      warmGroups.set(warm, [...(warmGroups.get(warm) ?? []), client]);
    }
    for (const [warm, clients] of warmGroups) {
      await runCase({ ...warm, clients }, 0, clients, Math.min(warm.job.messages, args.quick ? 20_000 : 100_000));
    }
    for (let rep = 1; rep <= reps; rep++) {
      for (const c of plan) {
        // Rotate the order every repetition so no client always runs first (or right after a prefill).
        const k = (rep - 1) % c.clients.length;
        await runCase(c, rep, [...c.clients.slice(k), ...c.clients.slice(0, k)]);
      }
    }
  } finally {
    await admin.close();
    await stop();
  }

  results.meta.finishedAt = new Date().toISOString();
  fs.mkdirSync(args.out, { recursive: true });
  const file = path.join(args.out, `${results.meta.startedAt.replace(/[:.]/g, '-')}.json`);
  const json = JSON.stringify(results, null, 2) + '\n';
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(args.out, 'latest.json'), json);
  const md = markdown(results);
  fs.writeFileSync(path.join(args.out, 'latest.md'), md);
  fs.writeFileSync(path.join(args.out, 'latest.svg'), chartSvg(results));
  process.stdout.write(
    `\n${md}\nresults: ${path.relative(process.cwd(), file)}, latest.md, latest.svg in ${path.relative(process.cwd(), args.out)}\n`,
  );
  const failed = results.runs.filter((r) => r.result.error).length;
  if (failed) process.stdout.write(`${failed} run(s) failed: see the JSON\n`);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
  else console.error(err);
  process.exit(err instanceof UsageError ? 2 : 1);
});
