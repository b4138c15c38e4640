/**
 * src/core/stats.ts against real reports: every key an idempotent producer and a group consumer report is
 * declared in the matching interface, and every field declared non-optional is reported. The declarations
 * are read from the source with the TypeScript compiler API, so the check follows the file as it is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

import { KafkaConsumer, KafkaProducer, type RdKafkaStats } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic, waitFor } from '../helpers';

const STATS_SOURCE = path.join(__dirname, '..', '..', 'src', 'core', 'stats.ts');
const ROOT = 'RdKafkaStats';
const RECORDS = 10;

type Shape =
  | { kind: 'interface'; name: string }
  | { kind: 'record'; value: Shape }
  | { kind: 'array'; element: Shape }
  | { kind: 'primitive'; json: 'number' | 'string' | 'boolean' };

interface Property {
  optional: boolean;
  shape: Shape;
}

type Declarations = Map<string, Map<string, Property>>;

/** Interface name → its properties. Type aliases in the file are inlined; other syntax fails loudly. */
function readDeclarations(file: string): Declarations {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const aliases = new Map<string, ts.TypeNode>();
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement.type);
  }

  const shapeOf = (node: ts.TypeNode): Shape => {
    if (ts.isParenthesizedTypeNode(node)) return shapeOf(node.type);
    if (ts.isArrayTypeNode(node)) return { kind: 'array', element: shapeOf(node.elementType) };
    if (node.kind === ts.SyntaxKind.NumberKeyword) return { kind: 'primitive', json: 'number' };
    if (node.kind === ts.SyntaxKind.StringKeyword) return { kind: 'primitive', json: 'string' };
    if (node.kind === ts.SyntaxKind.BooleanKeyword) return { kind: 'primitive', json: 'boolean' };
    if (ts.isLiteralTypeNode(node)) {
      if (ts.isStringLiteral(node.literal)) return { kind: 'primitive', json: 'string' };
      if (ts.isNumericLiteral(node.literal)) return { kind: 'primitive', json: 'number' };
      if (node.literal.kind === ts.SyntaxKind.TrueKeyword || node.literal.kind === ts.SyntaxKind.FalseKeyword) {
        return { kind: 'primitive', json: 'boolean' };
      }
    }
    if (ts.isUnionTypeNode(node)) {
      const members = node.types.map(shapeOf);
      const first = JSON.stringify(members[0]);
      if (members.every((m) => JSON.stringify(m) === first)) return members[0];
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(source);
      const args = node.typeArguments ?? [];
      if (name === 'Record' && args.length === 2) return { kind: 'record', value: shapeOf(args[1]) };
      if (name === 'Array' && args.length === 1) return { kind: 'array', element: shapeOf(args[0]) };
      const alias = aliases.get(name);
      if (alias) return shapeOf(alias);
      if (args.length === 0) return { kind: 'interface', name };
    }
    throw new Error(`src/core/stats.ts: the test cannot read the type \`${node.getText(source)}\``);
  };

  const declarations: Declarations = new Map();
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    if (statement.heritageClauses)
      throw new Error(`src/core/stats.ts: ${statement.name.text} extends: not supported here`);
    const properties = new Map<string, Property>();
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !member.type) {
        throw new Error(`src/core/stats.ts: ${statement.name.text} has a member other than a typed property`);
      }
      const name = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(source);
      properties.set(name, { optional: member.questionToken !== undefined, shape: shapeOf(member.type) });
    }
    declarations.set(statement.name.text, properties);
  }
  return declarations;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Problems of `value` against `shape`, one line per path (`brokers.*.rtt.p99_99`: `*` stands for every
 * key of a map), so one line covers all brokers or partitions. `visited` collects the interfaces checked.
 */
function check(
  value: unknown,
  shape: Shape,
  at: string,
  declarations: Declarations,
  problems: Set<string>,
  visited: Set<string>,
): void {
  const child = (key: string) => (at ? `${at}.${key}` : key);
  switch (shape.kind) {
    case 'primitive':
      if (typeof value !== shape.json) problems.add(`${at}: declared ${shape.json}, reported ${JSON.stringify(value)}`);
      return;
    case 'array':
      if (!Array.isArray(value)) problems.add(`${at}: declared an array, reported ${JSON.stringify(value)}`);
      else for (const v of value) check(v, shape.element, `${at}[]`, declarations, problems, visited);
      return;
    case 'record':
      if (!isObject(value)) problems.add(`${at}: declared a map, reported ${JSON.stringify(value)}`);
      else for (const v of Object.values(value)) check(v, shape.value, child('*'), declarations, problems, visited);
      return;
    case 'interface': {
      const properties = declarations.get(shape.name);
      if (!properties) {
        problems.add(`${at}: its type ${shape.name} is not an interface in src/core/stats.ts`);
        return;
      }
      if (!isObject(value)) {
        problems.add(`${at}: declared ${shape.name}, reported ${JSON.stringify(value)}`);
        return;
      }
      visited.add(shape.name);
      for (const [key, v] of Object.entries(value)) {
        const property = properties.get(key);
        if (property) check(v, property.shape, child(key), declarations, problems, visited);
        else problems.add(`${child(key)}: reported, not declared in ${shape.name}`);
      }
      for (const [key, property] of properties) {
        if (!property.optional && !(key in value))
          problems.add(`${child(key)}: required in ${shape.name}, not reported`);
      }
    }
  }
}

function problemsOf(reports: RdKafkaStats[], declarations: Declarations, visited = new Set<string>()): string[] {
  const problems = new Set<string>();
  for (const report of reports) check(report, { kind: 'interface', name: ROOT }, '', declarations, problems, visited);
  return [...problems].sort();
}

test('statistics reported by a producer and a group consumer match the types in src/core/stats.ts', async () => {
  const declarations = readDeclarations(STATS_SOURCE);
  const topic = uniqueTopic('stats');
  await createTopic(topic, 2);

  const producerReports: RdKafkaStats[] = [];
  const producer = new KafkaProducer({
    bootstrapServers: bootstrapServers(),
    enableIdempotence: true, // for `eos`
    statsIntervalMs: 500,
    onStats: (s) => producerReports.push(s),
  });
  try {
    await Promise.all(Array.from({ length: RECORDS }, (_, i) => producer.send(topic, `v${i}`)));
    await waitFor(
      () => producerReports.some((r) => r.txmsgs >= RECORDS),
      15_000,
      'a producer report counting the sent records',
    );
  } finally {
    await producer.close();
  }

  const consumerReports: RdKafkaStats[] = [];
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('g'),
    autoOffsetReset: 'earliest',
    statsIntervalMs: 500,
    onStats: (s) => consumerReports.push(s),
  });
  try {
    let received = 0;
    const deadline = Date.now() + 30_000;
    while (received < RECORDS && Date.now() < deadline) received += (await consumer.poll({ timeoutMs: 1000 })).length;
    expect(received).toBe(RECORDS);
    await waitFor(
      () => consumerReports.some((r) => r.rxmsgs >= RECORDS && (r.cgrp?.assignment_size ?? 0) > 0),
      15_000,
      'a consumer report counting the consumed records with an assignment',
    );
  } finally {
    await consumer.close();
  }

  // The reports hold what the check is meant to cover.
  const produced = producerReports.find((r) => r.txmsgs >= RECORDS)!;
  expect(produced.type).toBe('producer');
  expect(produced.eos).toBeDefined();
  expect(Object.keys(produced.topics[topic].partitions).sort()).toEqual(['-1', '0', '1']);
  expect(Object.values(produced.brokers).some((b) => b.nodeid >= 0 && Object.keys(b.toppars).length > 0)).toBe(true);
  const consumed = consumerReports.find((r) => r.rxmsgs >= RECORDS && (r.cgrp?.assignment_size ?? 0) > 0)!;
  expect(consumed.type).toBe('consumer');
  expect(consumed.cgrp?.assignment_size).toBe(2);
  expect(Object.values(consumed.topics[topic].partitions).some((p) => p.rxmsgs > 0)).toBe(true);

  const visited = new Set<string>();
  expect(problemsOf([...producerReports, ...consumerReports], declarations, visited)).toEqual([]);
  // Only a fatal error brings `fatal`: every other interface was held against a real report.
  expect([...declarations.keys()].filter((name) => !visited.has(name))).toEqual(['RdKafkaFatalStats']);

  // The check fails when the types drift from the reports: a field taken out, a required one that never comes.
  const drifted: Declarations = new Map([...declarations].map(([name, props]) => [name, new Map(props)]));
  drifted.get('RdKafkaWindowStats')!.delete('p99_99');
  drifted
    .get('RdKafkaEosStats')!
    .set('not_reported', { optional: false, shape: { kind: 'primitive', json: 'number' } });
  const drift = problemsOf(producerReports, drifted);
  expect(drift).toContain('brokers.*.rtt.p99_99: reported, not declared in RdKafkaWindowStats');
  expect(drift).toContain('topics.*.batchsize.p99_99: reported, not declared in RdKafkaWindowStats');
  expect(drift).toContain('eos.not_reported: required in RdKafkaEosStats, not reported');
});
