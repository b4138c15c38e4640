#!/usr/bin/env bash
# Builds the addon against the installed Node's own headers (never downloaded):
#   scripts/node-gyp.sh build      -> build/Release/kafka_napi.node (node-gyp rebuild)
#   scripts/node-gyp.sh prebuild   -> prebuilds/linux-x64/kafka-napi.node (prebuildify --napi --strip)
set -euo pipefail
cd "$(dirname "$0")/.."
nodedir=$(node -p "require('path').resolve(process.execPath, '..', '..')")
if [ ! -f "$nodedir/include/node/node_api.h" ]; then
  echo "Node headers not found under $nodedir/include/node; install Node with its headers (e.g. the nodejs package)" >&2
  exit 1
fi
# node-gyp (also when prebuildify spawns it) reads nodedir from npm's environment.
export npm_config_nodedir="$nodedir"
bash scripts/build-librdkafka.sh
case "${1:-build}" in
  build) exec npx node-gyp rebuild --nodedir="$nodedir" ;;
  prebuild) exec npx prebuildify --napi --strip --target "node@$(node -p process.versions.node)" ;;
  *) echo "usage: $0 build|prebuild" >&2; exit 2 ;;
esac
