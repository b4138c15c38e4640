#!/usr/bin/env bash
# Installs the benchmark peers pinned by bench/peers/package-lock.json into bench/peers/node_modules and
# builds the one with native code, @confluentinc/kafka-javascript ("CKJS"), from its npm tarball's own
# sources (it bundles librdkafka). The bench runs it when a case with CKJS is selected:
#   bash bench/peers/install.sh                 install, restore or build (a cold build takes minutes)
#   bash bench/peers/install.sh --cached-only   only what is already here or in the build cache; exit 3 if neither
#
# Why not a devDependency of the main package: its install script downloads a prebuilt binary from GitHub
# (unreachable here: only package registries are), and building from source is a multi-minute native
# compile that `npm ci` of the main package must not pay. So: `npm ci --ignore-scripts` here, then
# node-gyp builds the addon against the running Node's own headers (never downloaded). CKJS's default
# static build runs librdkafka's `configure --install-deps --source-deps-only`, which downloads OpenSSL,
# zlib, zstd and curl sources from their sites; CKJS_LINKING=dynamic (its documented source-build switch)
# builds the same bundled librdkafka with plain `configure` instead, against the system's libraries where
# present (nothing is fetched), as a shared library next to the addon (build/deps, found by rpath).
#
# The result is cached in the build cache of scripts/deps/cache.sh, keyed by this script, the lockfile,
# the Node ABI and node-gyp's version; a restored entry is used only if CKJS then loads.
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
    echo "usage: install.sh [--cached-only]" >&2
    exit 2
    ;;
esac

pkg=@confluentinc/kafka-javascript
version=$(node -p "require('$here/package-lock.json').packages['node_modules/$pkg'].version")
gyp="$root/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || { echo "bench peers: $gyp missing (run npm ci in $root first)" >&2; exit 1; }
gyp_version=$(node "$gyp" --version)
abi=$(node -p 'process.versions.modules + "-" + process.platform + "-" + process.arch')
key=$(cache_key "bench-peers node-abi=$abi node-gyp=$gyp_version" "$here/install.sh" "$here/package-lock.json")
modules="$here/node_modules"
stamp="$modules/.stamp"

loads() {
  (cd "$here" && node -e "require('$pkg')") >/dev/null 2>&1
}

# One install at a time (two bench runs, or a bench and a manual install).
exec 9>"${TMPDIR:-/tmp}/kafka-napi-bench-peers.lock"
flock 9

if [ "$(cat "$stamp" 2>/dev/null)" = "$key" ] && loads; then
  exit 0
fi
if cache_restore bench-peers "$key" "$modules" && loads; then
  echo "$key" >"$stamp"
  exit 0
fi
if [ $cached_only = yes ]; then
  echo "bench peers: $pkg $version is not built here and not in the build cache" >&2
  exit 3
fi

start=$SECONDS
log="$modules/.build.log"
echo "bench peers: building $pkg $version from source (librdkafka included; log: ${log#"$root/"}) ..."
rm -rf "$modules"
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
nodedir=$(node -p "require('path').resolve(process.execPath, '..', '..')")
[ -f "$nodedir/include/node/node.h" ] || { echo "bench peers: no Node headers in $nodedir/include/node" >&2; exit 1; }
export npm_config_nodedir=$nodedir
# nice: the compile must not starve whatever else runs on a small machine. One make job: CKJS's gyp
# files name librdkafka's config.h by two paths, so a parallel make looks for it before configure wrote
# it ("No rule to make target ../deps/librdkafka/config.h"); librdkafka's own make runs with -j anyway.
if ! (cd "$modules/$pkg" && CKJS_LINKING=dynamic nice -n 10 node "$gyp" rebuild --nodedir="$nodedir" \
  --jobs=1) >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "bench peers: building $pkg failed (full log: $log)" >&2
  exit 1
fi
# Objects and static archives are not needed at run time: the addon and librdkafka's shared libraries stay.
find "$modules/$pkg/deps/librdkafka" \( -name '*.o' -o -name '*.d' -o -name '*.a' \) -delete
rm -f "$modules/$pkg/build/deps/"*.a
rm -rf "$modules/$pkg/build/Release/obj.target" "$modules/$pkg/build/Release/.deps"
if ! loads; then
  (cd "$here" && node -e "require('$pkg')") >&2 || true
  echo "bench peers: $pkg was built but does not load" >&2
  exit 1
fi
echo "$key" >"$stamp"
echo "bench peers: $pkg $version built in $((SECONDS - start)) s"
cache_save bench-peers "$key" "$modules"
