/**
 * Prints the fault table of docs/internals/reliability-journal.md from .tmp/faults/results.jsonl (the latest row of each
 * fault, as `npm run test:faults` appended them): `npx tsx test/faults/report.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Row {
  at: string;
  fault: string;
  guarantee: string;
  acknowledged: number;
  lost: number;
  duplicated: number;
  reordered: number;
  phantom: number;
  failed: number;
  inCommittedTransactions?: number;
  consumed: number;
  redelivered: number;
  faultMs?: number;
  stallAcksMs?: number;
  stallConsumedMs?: number;
  recoverMs?: number;
  caughtUpMs?: number;
  errors: Record<string, number>;
}

const file = path.join(__dirname, '..', '..', '.tmp', 'faults', 'results.jsonl');
const latest = new Map<string, Row>();
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (!line) continue;
  const row = JSON.parse(line) as Row;
  latest.set(row.fault, row);
}

const s = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
const errors = (e: Record<string, number>) =>
  Object.entries(e)
    .map(([k, n]) => `${k.replace(/^KafkaError:/, '')} ×${n}`)
    .join(', ') || '—';

console.log(
  '| fault | guarantee checked | acknowledged | lost | dup | reordered | phantom | failed sends | longest stall (acks / consumed) | recovered after | group caught up after | errors surfaced |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of latest.values()) {
  const acked =
    r.guarantee === 'exactly-once' ? `${r.inCommittedTransactions ?? r.acknowledged} (committed)` : `${r.acknowledged}`;
  console.log(
    `| ${r.fault} | ${r.guarantee} | ${acked} | ${r.lost} | ${r.duplicated} | ${r.reordered} | ${r.phantom} | ${r.failed} | ` +
      `${s(r.stallAcksMs)} / ${r.guarantee === 'exactly-once' ? '—' : s(r.stallConsumedMs)} | ${s(r.recoverMs)} | ${s(r.caughtUpMs)} | ${errors(r.errors)} |`,
  );
}
