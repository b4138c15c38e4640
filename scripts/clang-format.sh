#!/usr/bin/env bash
# Formats (or with --check, verifies) the C++ sources with clang-format. Missing clang-format is an
# error, not a skip: a lint that passes without checking the C++ would let unformatted code through.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "clang-format is not installed: bash scripts/setup.sh installs it (apt-get install clang-format)" >&2
  exit 1
fi
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror native/*.cc native/*.h native/*/*.cc native/*/*.h
else
  clang-format -i native/*.cc native/*.h native/*/*.cc native/*/*.h
fi
