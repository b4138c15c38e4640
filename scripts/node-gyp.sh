#!/usr/bin/env bash
# Builds the addon:
#   scripts/node-gyp.sh build      -> build/Release/kafka_napi.node: a fast development build with the
#                                     system g++ (node-gyp, the installed Node's own headers) against the
#                                     pinned static deps in deps/linux-x64
#   scripts/node-gyp.sh prebuild   -> prebuilds/linux-x64/kafka-napi.glibc.node: the portable build that
#                                     ships (zig, glibc 2.28 floor, static libc++; scripts/deps/prebuild.sh)
# node-gyp-build loads build/Release in preference to prebuilds/ when both exist.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-build}" in
  build)
    nodedir=$(node -p "require('path').resolve(process.execPath, '..', '..')")
    if [ ! -f "$nodedir/include/node/node_api.h" ]; then
      echo "Node headers not found under $nodedir/include/node; install Node with its headers (e.g. the nodejs package)" >&2
      exit 1
    fi
    bash scripts/deps/build-deps.sh linux-x64
    export npm_config_nodedir="$nodedir"
    exec npx node-gyp rebuild --nodedir="$nodedir"
    ;;
  prebuild) exec bash scripts/deps/prebuild.sh linux-x64 ;;
  *) echo "usage: $0 build|prebuild" >&2; exit 2 ;;
esac
