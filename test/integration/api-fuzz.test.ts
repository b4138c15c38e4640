/**
 * Seeded random fuzz of the public API (fixtures/api-fuzz-child.js): each seed runs in a child process of
 * its own for a fixed budget, building clients from random options and calling random methods with random
 * arguments. It fails on a signal (SIGSEGV/SIGABRT), a hang (a call, or the process after closing every
 * client), a frozen event loop, an error that is not TypeError/RangeError/KafkaError, an unhandled
 * rejection or an uncaught exception.
 *
 * Seeds: KAFKA_NAPI_FUZZ_SEED (default below) and the next RUNS - 1. Replay one seed by hand with the
 * command printed in a failure (same seed = same call sequence; the budget only decides where it stops).
 * KAFKA_NAPI_FUZZ_RUNS and KAFKA_NAPI_FUZZ_BUDGET_MS make longer local runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bootstrapServers, runNode, seedTopic, type NodeRun } from '../helpers';

const FIXTURE = path.join(__dirname, 'fixtures', 'api-fuzz-child.js');
const DIST = path.join(__dirname, '..', '..', 'dist', 'cjs', 'index.js');

const BASE_SEED = process.env.KAFKA_NAPI_FUZZ_SEED ? Number(process.env.KAFKA_NAPI_FUZZ_SEED) >>> 0 : 20_251_130;
const RUNS = Number(process.env.KAFKA_NAPI_FUZZ_RUNS ?? 4);
const PARALLEL = 2;
const BUDGET_MS = Number(process.env.KAFKA_NAPI_FUZZ_BUDGET_MS ?? 20_000);
/**
 * Calls a seed must make. The child calls on past its budget until it made them (for at most 4 times the
 * budget, MIN_CALLS_CAP in the child), so a slow machine takes longer instead of failing; fewer means
 * calls themselves stalled. (The child used to stop at the budget, and a loaded machine could fall short.)
 */
const MIN_CALLS = Math.min(300, Math.floor(BUDGET_MS / 50));
/** The child calls for up to 4 budgets, closes everything within 27 s after, then must exit within 20 s. */
const CHILD_KILL_MS = 4 * BUDGET_MS + 60_000;
/** After its result line the child must be gone within this long. */
const EXIT_AFTER_RESULT_MS = 20_000;

const seeds = Array.from({ length: RUNS }, (_, i) => (BASE_SEED + i) >>> 0);

interface Violation {
  kind: string;
  method?: string;
  call: string;
  detail: string;
  count: number;
  recent?: string[];
}
interface FuzzResult {
  seed: number;
  calls: number;
  clients: number;
  violations: Violation[];
  suspicious?: Violation[];
  notes?: string[];
  pendingAtExit?: number;
  frozen?: boolean;
  printedAt: number;
}

let topic = '';
const totals = { calls: 0, clients: 0, seeds: 0 };

afterAll(() => {
  console.log(
    `api-fuzz total: ${totals.calls} calls, ${totals.clients} clients, ${totals.seeds} of ${RUNS} seeds clean`,
  );
});
const runs = new Map<number, Promise<NodeRun | Error>>();

/** Runs `tasks` with at most `limit` at a time; each result is available as soon as it is done. */
function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Array<Promise<T>> {
  const gates: Array<() => void> = [];
  let running = 0;
  const release = (): void => {
    running--;
    gates.shift()?.();
  };
  return tasks.map(async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => gates.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  });
}

beforeAll(async () => {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build:ts\` first`);
  topic = await seedTopic('fuzz', 3, 100, (i) => ({ key: `k${i % 7}`, value: `v${i}`, headers: { i: String(i) } }));
  console.log(`api-fuzz: seeds ${seeds.join(', ')} (KAFKA_NAPI_FUZZ_SEED=${BASE_SEED}), ${BUDGET_MS} ms each`);
  const tasks = seeds.map(
    (seed) => () =>
      runNode(
        [
          '--expose-gc',
          '--no-warnings',
          FIXTURE,
          String(seed),
          bootstrapServers(),
          topic,
          String(BUDGET_MS),
          String(MIN_CALLS),
        ],
        { timeoutMs: CHILD_KILL_MS },
      ).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
  );
  pool(tasks, PARALLEL).forEach((run, i) => runs.set(seeds[i], run));
}, 60_000);

function tail(text: string, lines: number): string {
  return text
    .split('\n')
    .slice(-lines)
    .map((l) => (l.length > 400 ? `${l.slice(0, 400)}...` : l))
    .join('\n');
}

function parseResult(stdout: string): FuzzResult | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"seed"'));
  if (!line) return undefined;
  try {
    return JSON.parse(line) as FuzzResult;
  } catch {
    return undefined;
  }
}

function describeViolation(v: Violation): string {
  const times = v.count > 1 ? ` (x${v.count})` : '';
  const recent = v.recent?.length ? `\n      last calls:\n        ${v.recent.slice(-8).join('\n        ')}` : '';
  return `  - ${v.kind}${times}: ${v.call}\n      ${v.detail}${recent}`;
}

test.each(seeds)(
  'seed %d: no crash, hang, freeze, unhandled rejection or non-contract error',
  async (seed) => {
    const run = await runs.get(seed)!;
    if (run instanceof Error) throw run;
    const result = parseResult(run.stdout);
    const problems: string[] = [];
    if (run.signal !== null) {
      problems.push(
        run.signal === 'SIGKILL'
          ? `killed by SIGKILL (${result?.frozen ? 'the watchdog: event loop frozen' : `still running after ${CHILD_KILL_MS} ms: hang`})`
          : `died of ${run.signal}`,
      );
    }
    if (run.code !== 0 && run.code !== null) {
      problems.push(run.code === 3 ? 'did not exit by itself after closing every client' : `exit code ${run.code}`);
    }
    if (!result) problems.push('no result line on stdout');
    else {
      if (result.violations.length > 0) problems.push(`${result.violations.length} distinct violation(s)`);
      if (!result.frozen && run.signal === null && result.calls < MIN_CALLS) {
        problems.push(`only ${result.calls} calls (< ${MIN_CALLS})`);
      }
      if (!result.pendingAtExit && run.exitedAt - result.printedAt > EXIT_AFTER_RESULT_MS) {
        problems.push(`exited ${run.exitedAt - result.printedAt} ms after its result line: something kept it alive`);
      }
      for (const s of result.suspicious ?? [])
        console.warn(`api-fuzz seed ${seed} suspicious:\n${describeViolation(s)}`);
      for (const n of result.notes ?? []) console.warn(`api-fuzz seed ${seed} note: ${n}`);
    }
    if (problems.length > 0) {
      const replay = `node ${path.relative(process.cwd(), FIXTURE)} ${seed} ${bootstrapServers()} ${topic} ${BUDGET_MS} ${MIN_CALLS}`;
      throw new Error(
        [
          `api-fuzz seed ${seed}: ${problems.join('; ')}`,
          `signal ${run.signal}, exit code ${run.code}, ${result ? `${result.calls} calls, ${result.clients} clients` : 'no result'}`,
          ...(result?.violations ?? []).slice(0, 12).map(describeViolation),
          `replay: ${replay}`,
          `--- stderr tail (seed ${seed}):`,
          tail(run.stderr, 60),
        ].join('\n'),
      );
    }
    console.log(`api-fuzz seed ${seed}: ${result!.calls} calls, ${result!.clients} clients, no violation`);
    totals.calls += result!.calls;
    totals.clients += result!.clients;
    totals.seeds++;
  },
  2 * CHILD_KILL_MS + 30_000,
);
