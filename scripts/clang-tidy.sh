#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) over every C++ source of native/, with the flags of the
# from-source build and the pinned librdkafka's headers (deps/linux-x64, built by setup). A finding fails.
# Missing clang-tidy is an error, not a skip: a lint that passes without checking would let it through.
#   bash scripts/clang-tidy.sh [file.cc ...]   (default: every native/**/*.cc)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-tidy >/dev/null; then
  echo "clang-tidy is not installed: bash scripts/setup.sh installs it (apt-get install clang-tidy)" >&2
  exit 1
fi
include=deps/linux-x64/include
[ -f "$include/librdkafka/rdkafka.h" ] || { echo "clang-tidy: no $include: run npm run deps" >&2; exit 1; }
napi=$(node -p "require('node-addon-api').include_dir")
headers=$(node -p "require('node-api-headers').include_dir")
flags=(-std=c++17 -fexceptions -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -DNODE_ADDON_API_DISABLE_DEPRECATED
  -DNODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS -I"$napi" -I"$headers" -I"$include")
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(find native -name '*.cc' | sort); fi
# One process per file, as many at once as there are cores; each prints its findings.
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -I{} sh -c 'clang-tidy --quiet "$0" -- "$@" 2>/dev/null || { echo "clang-tidy: findings in $0" >&2; exit 1; }' {} "${flags[@]}"
echo "clang-tidy: ${#files[@]} files, no finding"
