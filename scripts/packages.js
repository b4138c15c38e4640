#!/usr/bin/env node
// Stages and packs what gets published (`npm run packages`), one npm package per platform the way esbuild,
// @swc/core and napi-rs packages ship:
//   <out>/kafka-napi/            TypeScript build, loader, CLI and native sources; no binary. Its
//                                optionalDependencies name every platform package at this exact version,
//                                and npm installs only the one whose os/cpu/libc match the machine.
//   <out>/<suffix>/              @kafka-napi/<suffix>: one prebuilt kafka-napi.node with os, cpu and libc.
//   <out>/*.tgz                  `npm pack` of each; publish the platform packages first (CONTRIBUTING.md).
// The checkout's own package.json is private: publishing it would ship no binary and no optional
// dependencies. The file lists come from `npm pack --dry-run` of the checkout, so package.json "files"
// stays the one list. Prints a JSON summary (name, tarball, sizes, files) as its last line.
//   node scripts/packages.js [--out dir] [--only suffix,...]
//     --out    default dist-npm; needs dist/ and every prebuild
//     --only   packs kafka-napi and only these platform packages (a test's shortcut: kafka-napi's
//              manifest still names every platform package)
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = path.resolve(outArg >= 0 ? args[outArg + 1] : path.join(root, 'dist-npm'));
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : null;

function fail(message) {
  process.stderr.write(`packages: ${message}\n`);
  process.exit(1);
}

const addonFileJs = path.join(root, 'dist', 'cjs', 'native', 'addon-file.js');
if (!fs.existsSync(addonFileJs)) fail('no dist/: run `npm run build:ts` first');
// The loader's own table of platforms: what it looks up is what gets published.
const { PLATFORM_TARGETS, PLATFORM_SCOPE, PLATFORM_BINARY, prebuildFile } = require(addonFileJs);

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const { version } = manifest;

function npmPack(dir) {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }),
  );
  return {
    name: packed.name,
    version: packed.version,
    tarball: path.join(out, packed.filename),
    size: packed.size,
    unpackedSize: packed.unpackedSize,
    files: packed.files.map((f) => f.path).sort(),
  };
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

// ------------------------------------------------------------------------------ platform packages
const summary = [];
const optionalDependencies = {};
for (const target of PLATFORM_TARGETS) {
  optionalDependencies[`${PLATFORM_SCOPE}/${target.suffix}`] = version;
  if (only && !only.has(target.suffix)) continue;
  const binary = prebuildFile(root, target.platform, target.arch, target.libc);
  if (!fs.existsSync(binary))
    fail(`no ${path.relative(root, binary)}: run \`npm run prebuild:all\` (it builds every prebuild)`);
  const name = `${PLATFORM_SCOPE}/${target.suffix}`;
  const dir = path.join(out, target.suffix);
  fs.mkdirSync(dir);
  fs.copyFileSync(binary, path.join(dir, PLATFORM_BINARY));
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
  const libc = target.libc === 'glibc' ? 'glibc >= 2.28' : target.libc === 'musl' ? 'musl >= 1.2' : null;
  const what = `${target.platform}-${target.arch}${libc ? ` (${libc})` : ''}`;
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    `# ${name}\n\nThe prebuilt native addon of kafka-napi for ${what}: ` +
      'librdkafka, OpenSSL, zstd and zlib linked in, loaded through Node-API (Node >= 20, Bun, Deno).\n\n' +
      `Do not install it directly: \`npm install kafka-napi\` installs it as an optional dependency on ${what}.\n`,
  );
  writeJson(path.join(dir, 'package.json'), {
    name,
    version,
    description: `kafka-napi's native addon for ${what}`,
    license: manifest.license,
    ...(manifest.repository ? { repository: manifest.repository } : {}),
    os: [target.platform],
    cpu: [target.arch],
    ...(target.libc ? { libc: [target.libc] } : {}),
    main: PLATFORM_BINARY,
    files: [PLATFORM_BINARY],
    engines: manifest.engines,
    // Yarn's Plug'n'Play cannot dlopen a file inside a zip: this asks it to unpack the package.
    preferUnplugged: true,
  });
  summary.push(npmPack(dir));
}

// ---------------------------------------------------------------------------------------- kafka-napi
const [listed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' }));
const main = path.join(out, 'kafka-napi');
// binding.gyp ships as native/kafka-napi.gyp: at the root it would make yarn (and pnpm or npm, where
// gypfile is not honoured) run `node-gyp rebuild` on install. `npx kafka-napi build` puts it back.
const renamed = { 'binding.gyp': 'native/kafka-napi.gyp' };
for (const { path: file } of listed.files) {
  if (file === 'package.json') continue;
  if (file.endsWith('.node')) fail(`package.json "files" brings in a binary (${file}): binaries ship per platform`);
  const target = path.join(main, renamed[file] ?? file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(root, file), target);
}
const published = {
  ...manifest,
  files: manifest.files.map((f) => renamed[f] ?? f),
  optionalDependencies,
};
for (const key of ['private', 'scripts', 'devDependencies', 'allowScripts']) delete published[key];
writeJson(path.join(main, 'package.json'), published);
summary.unshift(npmPack(main));

for (const p of summary) {
  process.stderr.write(
    `${p.name}@${p.version}: ${path.basename(p.tarball)}, ${p.size} bytes packed, ${p.unpackedSize} unpacked\n`,
  );
}
process.stdout.write(`${JSON.stringify(summary)}\n`);
