#!/usr/bin/env node
'use strict';
// kafka-napi's command line. Today one command:
//   npx kafka-napi build   build the addon from source into <package>/build/Release, for a platform
//                          without a prebuilt binary (macOS, Windows, other libcs) or to link a
//                          system librdkafka; kafka-napi then loads it in preference to its
//                          platform package.
// librdkafka comes from pkg-config (or a checkout's pinned deps/; see native/gyp-deps.js).
const os = require('node:os');
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

// The published package carries its gyp file as native/kafka-napi.gyp, not binding.gyp: a package with a
// binding.gyp at its root gets an implicit `node-gyp rebuild` install script from yarn (and from npm or
// pnpm when gypfile is not false), which would compile from source, or fail without a compiler, on
// every install. The build puts it where node-gyp looks for the length of the build only.
function withBindingGyp(buildFn) {
  const target = path.join(root, 'binding.gyp');
  if (fs.existsSync(target)) return buildFn();
  fs.copyFileSync(path.join(root, 'native', 'kafka-napi.gyp'), target);
  try {
    return buildFn();
  } finally {
    fs.rmSync(target, { force: true });
  }
}

// node-addon-api's headers are needed only to build, so the package lists them as an optional peer
// dependency (installed by nobody by default) rather than a dependency every install would download.
// From the application when it has them, else fetched once into a cache directory, as node-gyp is.
function nodeAddonApiPath() {
  try {
    require.resolve('node-addon-api', { paths: [root, process.cwd()] });
    return null;
  } catch {
    const range = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).peerDependencies[
      'node-addon-api'
    ];
    const dir = path.join(os.tmpdir(), 'kafka-napi-build-deps');
    process.stdout.write(`kafka-napi build: fetching node-addon-api@${range} (build headers) into ${dir}\n`);
    const status = run(
      process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--prefix', dir, `node-addon-api@${range}`],
      { shell: process.platform === 'win32' },
    );
    if (status !== 0) {
      process.stderr.write('kafka-napi build: could not fetch node-addon-api (see above)\n');
      process.exit(status);
    }
    return path.join(dir, 'node_modules');
  }
}

function build() {
  const addonApi = nodeAddonApiPath();
  if (addonApi) process.env.NODE_PATH = [addonApi, process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  // Use the running Node's own headers when it ships them (no download); else node-gyp fetches them.
  const nodedir = path.resolve(process.execPath, '..', '..');
  const haveHeaders = fs.existsSync(path.join(nodedir, 'include', 'node', 'node_api.h'));
  const gypArgs = ['rebuild', ...(haveHeaders ? [`--nodedir=${nodedir}`] : []), ...rest];
  const status = withBindingGyp(() => {
    let nodeGyp;
    try {
      nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [root, process.cwd()] });
    } catch {
      // node-gyp is not a dependency of the package: take the registry's, like npm's own rebuild does.
      return run(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--yes', 'node-gyp@11', ...gypArgs], {
        shell: process.platform === 'win32',
      });
    }
    return run(process.execPath, [nodeGyp, ...gypArgs]);
  });
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
