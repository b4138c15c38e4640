'use strict';
// Tells binding.gyp where librdkafka comes from when the addon is built from source
// (`npx kafka-napi build`, `npm run build:native`):
//   1. the pinned static build of a checkout, deps/<platform>-<arch>/ (scripts/deps/build-deps.sh), else
//   2. a system librdkafka found with pkg-config (brew/apt/vcpkg), at least MIN_VERSION.
// KAFKA_NAPI_LIBRDKAFKA=pinned|system forces one. Usage: node native/gyp-deps.js cflags|libs|defines|source
// ssl.servername (native/core/servername.cc) calls OpenSSL itself: with a system librdkafka it needs libcrypto's
// pkg-config file too, else it is compiled out (the option then fails with _NOT_IMPLEMENTED).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// The oldest librdkafka whose API the addon compiles against.
const MIN_VERSION = '2.14.2';
const root = path.join(__dirname, '..');
// KAFKA_NAPI_PINNED_DIR: another prefix laid out the same way (scripts/sanitize.sh: an ASan librdkafka).
const pinned = process.env.KAFKA_NAPI_PINNED_DIR || path.join(root, 'deps', `${process.platform}-${process.arch}`);
const pinnedLibs = ['librdkafka.a', 'libssl.a', 'libcrypto.a', 'libzstd.a', 'libz.a'];

function fail(message) {
  process.stderr.write(`kafka-napi build: ${message}\n`);
  process.exit(1);
}

function pkgConfig(...args) {
  return execFileSync('pkg-config', args, { encoding: 'utf8' }).trim();
}

function source() {
  const forced = process.env.KAFKA_NAPI_LIBRDKAFKA;
  if (forced && forced !== 'pinned' && forced !== 'system')
    fail(`KAFKA_NAPI_LIBRDKAFKA must be pinned or system, not ${forced}`);
  const havePinned = pinnedLibs.every((lib) => fs.existsSync(path.join(pinned, 'lib', lib)));
  if (forced === 'pinned' || (!forced && havePinned)) {
    if (!havePinned)
      fail(`no pinned build in ${pinned} (run: bash scripts/deps/build-deps.sh ${path.basename(pinned)})`);
    return 'pinned';
  }
  try {
    pkgConfig('--exists', 'rdkafka');
  } catch {
    fail(
      'librdkafka not found: install librdkafka >= ' +
        MIN_VERSION +
        ' with its pkg-config file (macOS: brew install librdkafka pkg-config; ' +
        'Debian/Ubuntu: a librdkafka-dev of that version) or set PKG_CONFIG_PATH to its lib/pkgconfig',
    );
  }
  try {
    pkgConfig(`--atleast-version=${MIN_VERSION}`, 'rdkafka');
  } catch {
    fail(`librdkafka ${pkgConfig('--modversion', 'rdkafka')} found by pkg-config; kafka-napi needs >= ${MIN_VERSION}`);
  }
  return 'system';
}

function hasLibcrypto() {
  try {
    pkgConfig('--exists', 'libcrypto');
    return true;
  } catch {
    return false;
  }
}

const what = process.argv[2];
const from = source();
const crypto = from === 'system' && hasLibcrypto();
const out =
  what === 'source'
    ? [from]
    : what === 'defines'
      ? from === 'pinned' || crypto
        ? []
        : ['KAFKA_NAPI_NO_OPENSSL_HEADERS']
      : from === 'pinned'
        ? what === 'cflags'
          ? [path.join(pinned, 'include')]
          : pinnedLibs.map((lib) => path.join(pinned, 'lib', lib))
        : what === 'cflags'
          ? pkgConfig('--cflags-only-I', 'rdkafka')
              .split(/\s+/)
              .filter(Boolean)
              .map((flag) => flag.slice(2))
              // the addon includes <librdkafka/rdkafka.h>: add the parent of pkg-config's include dir
              .flatMap((dir) => [dir, path.dirname(dir)])
          : [
              ...pkgConfig('--libs', 'rdkafka').split(/\s+/),
              ...(crypto ? pkgConfig('--libs', 'libcrypto').split(/\s+/) : []),
            ].filter(Boolean);
process.stdout.write(out.join('\n') + '\n');
