/**
 * Results of a bench run: the JSON document (every repetition, with the machine and versions), its
 * summary (median with min/max per case and client, median ratio to the C reference paired by
 * repetition), and the markdown tables printed at the end and written to bench/results/latest.md.
 */
import type { RunResult } from './clients';
import { CLIENT_LABELS, type Case, type ClientName } from './plan';
import { pairedRatios, spread, type Spread } from './stats';

export interface BenchMeta {
  startedAt: string;
  finishedAt?: string;
  quick: boolean;
  repetitions: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; kernel: string };
  node: string;
  platformaticNode?: string;
  librdkafka: string;
  kafka: string;
  gitSha: string;
  broker: string;
  versions: Partial<Record<ClientName, string>>;
}

export interface BenchRun {
  caseId: string;
  client: ClientName;
  /** 0 = warm-up (excluded from the summary). */
  rep: number;
  result: RunResult;
}

export interface BenchResults {
  meta: BenchMeta;
  cases: Case[];
  runs: BenchRun[];
}

export interface CellSummary {
  rate?: Spread;
  ratioToC?: Spread;
  cpuUsPerMsg?: Spread;
  eventLoopDelayP99Ms?: Spread;
  eventLoopDelayMaxMs?: Spread;
  rssPeakMiB?: Spread;
  latencyP50Ms?: Spread;
  latencyP99Ms?: Spread;
  latencyP999Ms?: Spread;
  logBytes?: Spread;
  unsupported?: string;
  errors: number;
}

export function summarize(results: BenchResults): Map<string, Map<ClientName, CellSummary>> {
  const out = new Map<string, Map<ClientName, CellSummary>>();
  for (const c of results.cases) {
    const row = new Map<ClientName, CellSummary>();
    const runsOf = (client: ClientName): BenchRun[] =>
      results.runs.filter((r) => r.caseId === c.id && r.client === client && r.rep > 0);
    const ratesByRep = (client: ClientName): Map<number, number> =>
      new Map(
        runsOf(client).flatMap((r) =>
          r.result.rate !== undefined ? [[r.rep, r.result.rate] as [number, number]] : [],
        ),
      );
    const cRates = ratesByRep('c');
    for (const client of c.clients) {
      const runs = runsOf(client);
      const ok = runs.map((r) => r.result).filter((r) => !r.error && !r.unsupported);
      const pick = (f: (r: RunResult) => number | undefined): Spread | undefined =>
        spread(ok.map(f).filter((x): x is number => x !== undefined));
      row.set(client, {
        rate: c.metric === 'throughput' ? pick((r) => r.rate) : undefined,
        ratioToC:
          c.metric === 'throughput' && client !== 'c' ? spread(pairedRatios(ratesByRep(client), cRates)) : undefined,
        cpuUsPerMsg: pick((r) => r.cpuUsPerMsg),
        eventLoopDelayP99Ms: pick((r) => r.eventLoopDelayMs?.p99),
        eventLoopDelayMaxMs: pick((r) => r.eventLoopDelayMs?.max),
        rssPeakMiB: pick((r) => (r.rssPeakBytes !== undefined ? r.rssPeakBytes / 2 ** 20 : undefined)),
        latencyP50Ms: pick((r) => r.latencyMs?.p50),
        latencyP99Ms: pick((r) => r.latencyMs?.p99),
        latencyP999Ms: pick((r) => r.latencyMs?.p999),
        logBytes: pick((r) => r.logBytes),
        unsupported: runs.find((r) => r.result.unsupported)?.result.unsupported,
        errors: runs.filter((r) => r.result.error).length,
      });
    }
    out.set(c.id, row);
  }
  return out;
}

/** One client's msgs/s in one case, by repetition (failed runs have none; the warm-up is left out). */
function ratesByRep(results: BenchResults, caseId: string, client: ClientName): Map<number, number> {
  return new Map(
    results.runs
      .filter((r) => r.caseId === caseId && r.client === client && r.rep > 0 && r.result.rate !== undefined)
      .map((r) => [r.rep, r.result.rate!] as [number, number]),
  );
}

/**
 * K scenarios: the kafka-napi case of another scenario each K case is also compared with (issue 29: K1
 * with P1, K2 with C2 and C1). P1-6p keeps 80 batches in flight where K1 awaits each call, so that ratio
 * is the pattern's, not the layer's; the K row's own kafka-napi client does K's exact work.
 */
const K_REFERENCE_CASES: Record<string, string> = { K1: 'P1-6p', 'K2-batch': 'C1-subscribe', 'K2-each': 'C2-each' };

export function formatRate(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)}M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(rate >= 1e5 ? 0 : 1)}k`;
  return rate.toFixed(0);
}

const fixed = (x: number | undefined, digits = 2): string => (x === undefined ? '–' : x.toFixed(digits));

function cellText(cell: CellSummary | undefined, text: (cell: CellSummary) => string | undefined): string {
  if (!cell) return '';
  if (cell.unsupported) return 'n/a';
  const t = text(cell);
  if (t === undefined) return cell.errors ? `error ×${cell.errors}` : '–';
  return cell.errors ? `${t} (${cell.errors} failed)` : t;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function markdown(results: BenchResults): string {
  const summary = summarize(results);
  const { meta } = results;
  const clientsIn = (cases: Case[]): ClientName[] =>
    (Object.keys(CLIENT_LABELS) as ClientName[]).filter((c) => cases.some((k) => k.clients.includes(c)));
  const parts: string[] = [];
  parts.push(
    `Kafka ${meta.kafka} (1 broker, ${meta.broker}), librdkafka ${meta.librdkafka}, Node ${meta.node}` +
      (meta.platformaticNode ? ` (@platformatic/kafka on Node ${meta.platformaticNode})` : '') +
      `; ${meta.machine.cpus} × ${meta.machine.cpuModel}, ${meta.machine.memoryGiB} GiB; git ${meta.gitSha.slice(0, 10)}; ` +
      `${meta.repetitions} repetition(s)${meta.quick ? ' (--quick)' : ''}, ${meta.startedAt}.`,
  );

  // One section per metric: a row per case, a column per client that ran any of them.
  const section = (
    heading: string,
    cases: Case[],
    firstColumn: [string, (c: Case) => string],
    text: (cell: CellSummary) => string | undefined,
  ): void => {
    if (cases.length === 0) return;
    const clients = clientsIn(cases);
    parts.push(
      `### ${heading}\n\n` +
        table(
          [firstColumn[0], ...clients.map((c) => CLIENT_LABELS[c])],
          cases.map((c) => [
            firstColumn[1](c),
            ...clients.map((client) => cellText(summary.get(c.id)!.get(client), text)),
          ]),
        ),
    );
  };
  const caseColumn: [string, (c: Case) => string] = ['case', (c) => `${c.id}: ${c.title}`];
  section(
    'Throughput (msgs/s, median of repetitions; × = median ratio to C librdkafka, paired per repetition)',
    results.cases.filter((c) => c.metric === 'throughput'),
    caseColumn,
    (cell) =>
      cell.rate
        ? `${formatRate(cell.rate.median)}${cell.ratioToC ? ` (${cell.ratioToC.median.toFixed(2)}×)` : ''}`
        : undefined,
  );
  section(
    'P2: bytes on the broker per codec (topic log size)',
    results.cases.filter((c) => c.logSize),
    ['codec', (c) => c.job.compression],
    (cell) => (cell.logBytes ? `${(cell.logBytes.median / 2 ** 20).toFixed(1)} MiB` : undefined),
  );
  section(
    'L1: latency, ms (p50 / p99 / p99.9, medians of repetitions)',
    results.cases.filter((c) => c.metric === 'latency'),
    caseColumn,
    (cell) =>
      cell.latencyP50Ms
        ? `${fixed(cell.latencyP50Ms.median)} / ${fixed(cell.latencyP99Ms?.median)} / ${fixed(cell.latencyP999Ms?.median)}`
        : undefined,
  );

  // K: kafka-napi/kafkajs's msgs/s divided by each other engine's, paired per repetition (median, min–max).
  const kCases = results.cases.filter((c) => c.scenario === 'K1' || c.scenario === 'K2');
  if (kCases.some((c) => c.clients.includes('kafka-napi/kafkajs'))) {
    const ratio = (a: Map<number, number>, b: Map<number, number>): string => {
      const r = spread(pairedRatios(a, b));
      return r ? `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})` : '–';
    };
    const rows = kCases.map((c) => {
      const layer = ratesByRep(results, c.id, 'kafka-napi/kafkajs');
      const ref = K_REFERENCE_CASES[c.id];
      return [
        `${c.id}`,
        ratio(layer, ratesByRep(results, c.id, 'kafkajs')),
        ratio(layer, ratesByRep(results, c.id, 'ckjs')),
        ratio(layer, ratesByRep(results, c.id, 'kafka-napi')),
        ref && results.cases.some((k) => k.id === ref)
          ? `${ref}: ${ratio(layer, ratesByRep(results, ref, 'kafka-napi'))}`
          : '–',
      ];
    });
    parts.push(
      '### K1/K2: kafka-napi/kafkajs against the other engines (its msgs/s ÷ theirs, median of paired ' +
        'repetitions, min–max)\n\n' +
        table(['case', '÷ kafkajs', '÷ CKJS KafkaJS', '÷ kafka-napi, same work', '÷ kafka-napi, reference case'], rows),
    );
  }

  const resource = results.cases.filter((c) => c.id === 'P1-6p' || c.id === 'C1-subscribe');
  if (resource.length) {
    const rows: string[][] = [];
    for (const c of resource) {
      for (const client of c.clients) {
        const cell = summary.get(c.id)!.get(client)!;
        if (cell.unsupported || !cell.cpuUsPerMsg) continue;
        const cCell = summary.get(c.id)!.get('c');
        const cpuRatio =
          cCell?.cpuUsPerMsg && client !== 'c'
            ? ` (${(cell.cpuUsPerMsg.median / cCell.cpuUsPerMsg.median).toFixed(2)}×)`
            : '';
        rows.push([
          c.id,
          CLIENT_LABELS[client],
          `${fixed(cell.cpuUsPerMsg.median)}${cpuRatio}`,
          cell.eventLoopDelayP99Ms
            ? `${fixed(cell.eventLoopDelayP99Ms.median, 1)} / ${fixed(cell.eventLoopDelayMaxMs?.max, 1)}`
            : '–',
          cell.rssPeakMiB ? fixed(cell.rssPeakMiB.max, 0) : '–',
        ]);
      }
    }
    parts.push(
      '### R1: resources under P1 / C1 (process CPU µs per message incl. all threads, × = ratio to C; ' +
        'event-loop delay p99 median / worst max, ms; peak RSS MiB)\n\n' +
        table(['case', 'client', 'CPU µs/msg', 'event-loop delay p99 / max', 'peak RSS'], rows),
    );
  }

  const failures = results.runs.filter((r) => r.result.error && r.rep > 0);
  if (failures.length) {
    parts.push(
      '### Failed runs\n\n' +
        failures
          .map(
            (f) =>
              `- ${f.caseId} ${CLIENT_LABELS[f.client]} rep ${f.rep}: ${f.result.error!.split('\n')[0].slice(0, 200)}`,
          )
          .join('\n'),
    );
  }
  return parts.join('\n\n') + '\n';
}
