#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) over every C++ source of native/, with the flags of the
# from-source build and the pinned librdkafka's headers (deps/linux-x64, built by setup). A finding fails.
# Missing clang-tidy is an error, not a skip: a lint that passes without checking would let it through.
#   bash scripts/clang-tidy.sh [file.cc ...]   (default: the build's sources, binding.gyp)
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
# shellcheck source=deps/read-gyp.sh
. scripts/deps/read-gyp.sh
# The build's sources and defines (command expansions, <!..., are node-gyp's: none is needed here).
mapfile -t defines < <(read_gyp defines | grep -v '^<!' | sed 's/^/-D/')
flags=(-std=c++17 -fexceptions "${defines[@]}" -I"$napi" -I"$headers" -I"$include")
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(read_gyp sources); fi
# One process per file, as many at once as there are cores; each prints its findings.
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -I{} sh -c 'clang-tidy --quiet "$0" -- "$@" 2>/dev/null || { echo "clang-tidy: findings in $0" >&2; exit 1; }' {} "${flags[@]}"
echo "clang-tidy: ${#files[@]} files, no finding"
