#!/usr/bin/env node
'use strict';
// kafka-napi's command line. Today one command:
//   npx kafka-napi build   build the addon from source into <package>/build/Release, for a platform
//                          without a prebuilt binary (macOS, Windows, other libcs) or to link a
//                          system librdkafka; kafka-napi then loads it in preference to prebuilds/.
// librdkafka comes from pkg-config (or a checkout's pinned deps/; see native/gyp-deps.js).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const [command, ...rest] = process.argv.slice(2);

function usage(code) {
  process.stdout.write('usage: kafka-napi build [node-gyp options]\n');
  process.exit(code);
}

function run(cmd, args, options) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function build() {
  // Use the running Node's own headers when it ships them (no download); else node-gyp fetches them.
  const nodedir = path.resolve(process.execPath, '..', '..');
  const haveHeaders = fs.existsSync(path.join(nodedir, 'include', 'node', 'node_api.h'));
  const gypArgs = ['rebuild', ...(haveHeaders ? [`--nodedir=${nodedir}`] : []), ...rest];
  let status;
  try {
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [root, process.cwd()] });
    status = run(process.execPath, [nodeGyp, ...gypArgs]);
  } catch {
    // node-gyp is not a dependency of the package: take the registry's, like npm's own rebuild does.
    status = run(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--yes', 'node-gyp@11', ...gypArgs], {
      shell: process.platform === 'win32',
    });
  }
  if (status !== 0) {
    process.stderr.write('kafka-napi build: node-gyp failed (see above)\n');
    process.exit(status);
  }
  // Prove the result loads before saying so.
  const check = spawnSync(
    process.execPath,
    [
      '-e',
      "const a=require(process.argv[1]);console.log('librdkafka '+a.librdkafkaVersion()+': '+a.features())",
      path.join(root, 'build', 'Release', 'kafka_napi.node'),
    ],
    { encoding: 'utf8' },
  );
  if (check.status !== 0) {
    process.stderr.write(`kafka-napi build: the built addon does not load:\n${check.stderr}`);
    process.exit(1);
  }
  process.stdout.write(`kafka-napi build: build/Release/kafka_napi.node loads (${check.stdout.trim()})\n`);
}

if (command === 'build') build();
else usage(command === undefined || command === '--help' || command === '-h' ? 0 : 2);
