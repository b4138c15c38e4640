#!/usr/bin/env bash
# Everything a fresh Debian/Ubuntu machine needs, in one command: system packages, npm dependencies,
# the pinned static librdkafka, the addon (prebuilt into prebuilds/), the TypeScript build and the
# Kafka broker jars for the test/bench harness. Safe to re-run: every step is cached.
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

# Build tools, static TLS/compression libraries, Java + Maven for the broker, the archive keyring for
# fetching librdkafka's source.
packages=(g++ make python3 pkg-config libssl-dev libzstd-dev zlib1g-dev openjdk-17-jdk-headless maven
  debian-archive-keyring ca-certificates clang-format)
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
# node-rdkafka (a benchmark reference, allowed in package.json's allowScripts) compiles at install: its
# node-gyp must use the installed Node's headers, never download them.
npm_config_nodedir="$(node -p "require('path').resolve(process.execPath, '..', '..')")"
export npm_config_nodedir
timed "npm ci" npm ci --no-audit --no-fund

step "librdkafka (pinned, static)"
timed "librdkafka" bash scripts/build-librdkafka.sh

step "native addon -> prebuilds/linux-x64 (prebuildify --napi --strip) and TypeScript -> dist/"
timed "addon + TypeScript" npm run prebuild --silent

step "Kafka broker jars (Maven Central, cached in test/broker/.cache)"
timed "kafka jars" npx tsx -e "require('./test/broker/kafka').ensureKafkaJars()"

echo
echo "setup complete: try 'npm run example' (starts its own broker) or 'npm test'"
