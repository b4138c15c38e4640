/**
 * The Python client's side of the interop tests: test/interop/python/sr_interop.py run in its venv,
 * records as JSON on stdin and stdout.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const DIR = path.join(__dirname, '..', 'interop', 'python');
export const PYTHON = path.join(DIR, '.venv', 'bin', 'python');

export type Format = 'avro' | 'protobuf' | 'json';

export interface PythonTarget {
  format: Format;
  version: 1 | 2;
  topic: string;
  /** Protobuf: the message type the Python side writes ('User' by default, 'Phone' the nested one). */
  message?: 'User' | 'Phone' | 'Envelope';
}

/** What the Python consumer printed for one record. */
export interface PythonRecord {
  key: string | null;
  value: Record<string, unknown>;
  schemaId: number;
}

function run(args: string[], input: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(DIR, 'sr_interop.py'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(out.split('\n').filter((l) => l.trim() !== ''));
      else reject(new Error(`sr_interop.py ${args.join(' ')} exited ${code}:\n${err.slice(-3000)}`));
    });
    child.stdin.end(input);
  });
}

function common(target: PythonTarget): string[] {
  return [
    '--format',
    target.format,
    '--version',
    String(target.version),
    '--message',
    target.message ?? 'User',
    '--bootstrap',
    process.env.KAFKA_BOOTSTRAP_SERVERS!,
    '--registry',
    process.env.SCHEMA_REGISTRY_URL!,
    '--topic',
    target.topic,
  ];
}

/** The Python producer writes `records` (keyed by their `id`); resolves with the schema ids it wrote. */
export async function pythonProduce(target: PythonTarget, records: object[]): Promise<number[]> {
  const [line] = await run(['produce', ...common(target)], JSON.stringify(records));
  const result = JSON.parse(line) as { produced: number; schemaIds: number[] };
  if (result.produced !== records.length) throw new Error(`Python produced ${result.produced} of ${records.length}`);
  return result.schemaIds;
}

/** The Python consumer reads `count` records from the topic's start. */
export async function pythonConsume(target: PythonTarget, count: number): Promise<PythonRecord[]> {
  const lines = await run(['consume', ...common(target), '--count', String(count), '--timeout', '60'], '');
  return lines.map((l) => JSON.parse(l) as PythonRecord);
}
