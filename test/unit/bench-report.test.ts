import * as fs from 'node:fs';
import * as path from 'node:path';

import { chartSvg } from '../../bench/chart';
import { markdown, summarize, type BenchResults } from '../../bench/report';

// A small results document in the shape bench/cli.ts writes: two repetitions plus a warm-up (rep 0).
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'bench-results.json'), 'utf8'),
) as BenchResults;

test('summary: medians over repetitions (warm-up excluded), ratio to C paired per repetition', () => {
  const p1 = summarize(fixture).get('P1-6p')!;
  const napi = p1.get('kafka-napi')!;
  expect(napi.rate!.median).toBe(900_000); // median of 800k and 1M; the 5M warm-up is ignored
  expect(napi.rate!.min).toBe(800_000);
  expect(napi.rate!.max).toBe(1_000_000);
  // Paired: 800k/1M = 0.8 (rep 1), 1M/1.25M = 0.8 (rep 2).
  expect(napi.ratioToC!.median).toBeCloseTo(0.8, 6);
  expect(p1.get('kafkajs')!.errors).toBe(1);
  expect(summarize(fixture).get('C1-assign')!.get('kafkajs')!.unsupported).toMatch(/manual/);
});

test('markdown report: throughput with ratios, n/a, failures, latency and resource tables', () => {
  const md = markdown(fixture);
  expect(md).toContain('| P1-6p: produce 100 B, acks=1, 6 partitions | 900k (0.80×) | 1.13M |');
  expect(md).toContain('n/a');
  expect(md).toContain('(1 failed)');
  expect(md).toContain('### L1');
  expect(md).toContain('0.40 / 0.90 / 1.20');
  expect(md).toMatch(/\| P1-6p \| kafka-napi \| 1\.10 \(1\.10×\) \|/);
  expect(md).toContain('### Failed runs');
});

test('chart: an SVG with one bar per client and case, labelled with msgs/s and ratio to C', () => {
  const svg = chartSvg(fixture);
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trim().endsWith('</svg>')).toBe(true);
  // P1-6p: kafka-napi, C, kafkajs (one good rep); C1-assign: kafka-napi, C (kafkajs n/a).
  expect(svg.match(/<rect x="300"/g)).toHaveLength(5);
  expect(svg).toContain('900k msg/s (0.80× C)');
  expect(svg).toContain('1.13M msg/s');
  expect(svg).not.toContain('NaN');
});
