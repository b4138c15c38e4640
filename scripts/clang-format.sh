#!/usr/bin/env bash
# Formats (or with --check, verifies) the C++ sources with clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "clang-format not installed (apt-get install clang-format); skipping C++ format check" >&2
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror native/*.cc native/*.h
else
  clang-format -i native/*.cc native/*.h
fi
