#!/usr/bin/env bash
# Builds node-rdkafka, the benchmark's node-rdkafka reference, in place (node_modules/node-rdkafka) when a
# bench run needs it, instead of at `npm ci`: its install script is a multi-minute compile of its bundled
# librdkafka that every `npm ci` of the main package paid, benchmark or not. npm ci installs its files
# with the script blocked (npm 11's default; package.json allowScripts does not allow it), which also
# gives scripts/deps/build-deps.sh the rdkafka_performance.c source it needs.
#   bash bench/peers/node-rdkafka.sh                 build, or restore from the build cache
#   bash bench/peers/node-rdkafka.sh --cached-only   only what is already built or cached; exit 3 if neither
# The build result (the addon and librdkafka's shared libraries it loads by rpath) is cached in the build
# cache of scripts/deps/cache.sh, keyed by this script, the version, the Node ABI and node-gyp's version;
# a restored entry is used only if node-rdkafka then loads. libzstd-dev must be installed (setup.sh does)
# or its librdkafka has no zstd and the bench's zstd row fails for it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../../scripts/deps/cache.sh
. "$root/scripts/deps/cache.sh"

cached_only=no
case ${1:-} in
  --cached-only) cached_only=yes ;;
  '') ;;
  *)
    echo "usage: node-rdkafka.sh [--cached-only]" >&2
    exit 2
    ;;
esac

pkg="$root/node_modules/node-rdkafka"
[ -f "$pkg/package.json" ] || { echo "bench peers: $pkg missing (run npm ci in $root first)" >&2; exit 1; }
version=$(node -p "require('$pkg/package.json').version")
gyp="$root/node_modules/node-gyp/bin/node-gyp.js"
gyp_version=$(node "$gyp" --version)
abi=$(node -p 'process.versions.modules + "-" + process.platform + "-" + process.arch')
key=$(cache_key "node-rdkafka $version node-abi=$abi node-gyp=$gyp_version" "$here/node-rdkafka.sh")
stamp="$pkg/build/.stamp"

loads() {
  (cd "$root" && node -e "require('node-rdkafka')") >/dev/null 2>&1
}

exec 9>"${TMPDIR:-/tmp}/kafka-napi-bench-node-rdkafka.lock"
flock 9

if [ "$(cat "$stamp" 2>/dev/null)" = "$key" ] && loads; then
  exit 0
fi
if cache_restore bench-node-rdkafka "$key" "$pkg/build" && loads; then
  echo "$key" >"$stamp"
  exit 0
fi
if [ $cached_only = yes ]; then
  echo "bench peers: node-rdkafka $version is not built here and not in the build cache" >&2
  exit 3
fi

start=$SECONDS
log="$root/.tmp/node-rdkafka-build.log"
mkdir -p "$(dirname "$log")"
echo "bench peers: building node-rdkafka $version (its bundled librdkafka; log: ${log#"$root/"}) ..."
nodedir=$(node -p "require('path').resolve(process.execPath, '..', '..')")
[ -f "$nodedir/include/node/node.h" ] || { echo "bench peers: no Node headers in $nodedir/include/node" >&2; exit 1; }
rm -rf "$pkg/build"
# nice: the compile must not starve whatever else runs on a small machine.
if ! (cd "$pkg" && nice -n 10 node "$gyp" rebuild --nodedir="$nodedir") >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "bench peers: building node-rdkafka failed (full log: $log)" >&2
  exit 1
fi
if ! loads; then
  (cd "$root" && node -e "require('node-rdkafka')") >&2 || true
  echo "bench peers: node-rdkafka was built but does not load" >&2
  exit 1
fi
echo "bench peers: node-rdkafka $version built in $((SECONDS - start)) s"
# What runs: the addon and the shared librdkafka it finds by rpath ($ORIGIN/../deps). Objects, static
# archives and makefiles are build leftovers (hundreds of MB).
keep=$(mktemp -d)
mkdir -p "$keep/Release" "$keep/deps"
cp -a "$pkg/build/Release/node-librdkafka.node" "$keep/Release/"
cp -a "$pkg/build/deps/"librdkafka*.so* "$keep/deps/"
rm -rf "$pkg/build"
mv "$keep" "$pkg/build"
chmod 755 "$pkg/build"
loads || { echo "bench peers: node-rdkafka no longer loads after pruning its build" >&2; exit 1; }
echo "$key" >"$stamp"
cache_save bench-node-rdkafka "$key" "$pkg/build"
