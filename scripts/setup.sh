#!/usr/bin/env bash
# Everything a fresh Debian/Ubuntu machine needs, in one command: system packages, npm dependencies,
# the pinned toolchain (zig) and static dependencies (OpenSSL, zstd, zlib, librdkafka), the host's portable
# addon (prebuilds/linux-x64, glibc), the TypeScript build and the Kafka broker jars for the test/bench harness.
# The other platforms' prebuilds (linux-arm64, musl) are built by the step that needs them, `npm run
# test:platforms` (or `npm run prebuild:all` before `npm run packages`): the development loop and
# `npm test` load only the host's. Safe to re-run: every step is cached.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
timed() {
  local label=$1
  shift
  local start=$SECONDS
  "$@"
  echo "--- $label: $((SECONDS - start)) s"
}

# Build tools (perl for OpenSSL's Configure, pip for zig, cargo to fetch the C sources vendored in crates,
# binutils for the symbol checks, patch for scripts/deps/patches/), Java + Maven for the broker, and
# libzstd-dev for node-rdkafka (a benchmark reference the bench compiles on first use,
# bench/peers/node-rdkafka.sh: without it its librdkafka has no zstd and the bench's P2-zstd row fails).
packages=(g++ make perl python3 pkg-config binutils patch openjdk-17-jdk-headless maven ca-certificates clang-format clang-tidy libzstd-dev)
python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
command -v cargo >/dev/null || packages+=(cargo)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing system packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

step "npm dependencies"
# Nothing compiles here: no dependency's install script is allowed (package.json allowScripts), and the
# benchmark's natively built peers are built by the bench when a run needs them (bench/peers/).
timed "npm ci" npm ci --no-audit --no-fund

step "zig, pinned sources, static OpenSSL/zstd/zlib/librdkafka for linux-x64 (cached in deps/)"
timed "static deps" bash scripts/deps/build-deps.sh linux-x64

step "portable addon -> prebuilds/linux-x64 (zig, glibc 2.28 floor, static libc++) and TypeScript -> dist/"
timed "addon + TypeScript" npm run prebuild --silent

step "Kafka broker jars (Maven Central, cached in test/broker/.cache)"
timed "kafka jars" npx tsx -e "require('./test/broker/kafka').ensureKafkaJars()"

echo
echo "setup complete: try 'npm run example' (starts its own broker) or 'npm test'"
