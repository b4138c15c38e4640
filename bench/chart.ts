/**
 * bench/results/latest.svg: one group of horizontal bars per throughput case, one bar per client
 * (msgs/s, scaled to the fastest client of that case), labelled with the rate and the ratio to C.
 * Plain SVG text, no dependency, so it renders on GitHub and in any browser.
 */
import { formatRate, summarize, type BenchResults } from './report';
import { CLIENT_LABELS, type ClientName } from './plan';

const COLORS: Record<ClientName, string> = {
  'kafka-napi': '#2b7bb9',
  c: '#555555',
  java: '#b07aa1',
  'node-rdkafka': '#f28e2b',
  kafkajs: '#e15759',
  platformatic: '#59a14f',
  'kafka-napi/kafkajs': '#76b7e5',
  ckjs: '#9c755f',
};

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chartSvg(results: BenchResults): string {
  const summary = summarize(results);
  const cases = results.cases.filter((c) => c.metric === 'throughput');
  const width = 900;
  const labelWidth = 300;
  const barArea = width - labelWidth - 150;
  const barHeight = 14;
  const gap = 10;
  const out: string[] = [];
  let y = 40;
  for (const c of cases) {
    const row = summary.get(c.id)!;
    const bars = c.clients
      .map((client) => ({ client, cell: row.get(client)! }))
      .filter(({ cell }) => cell.rate && !cell.unsupported);
    if (bars.length === 0) continue;
    const max = Math.max(...bars.map((b) => b.cell.rate!.median));
    out.push(`<text x="10" y="${y + 12}" font-weight="bold">${escape(`${c.id}: ${c.title}`)}</text>`);
    y += 20;
    for (const { client, cell } of bars) {
      const w = Math.max(1, (cell.rate!.median / max) * barArea);
      const ratio = cell.ratioToC ? ` (${cell.ratioToC.median.toFixed(2)}× C)` : '';
      out.push(
        `<text x="${labelWidth - 8}" y="${y + barHeight - 3}" text-anchor="end">${escape(CLIENT_LABELS[client])}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${COLORS[client]}"/>`,
        `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + barHeight - 3}">${escape(`${formatRate(cell.rate!.median)} msg/s${ratio}`)}</text>`,
      );
      y += barHeight + 4;
    }
    y += gap;
  }
  const { meta } = results;
  const title = `kafka-napi bench: msgs/s per client (median of ${meta.repetitions}), Kafka ${meta.kafka}, librdkafka ${meta.librdkafka}, Node ${meta.node}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
