#!/usr/bin/env bash
# Creates test/interop/python/.venv with the pinned Python client of the Schema Registry interop test
# (requirements.txt: confluent-kafka and its serializers, grpcio-tools for a protoc). Wheels only, nothing
# compiles. Idempotent: a stamp of requirements.txt and of the interpreter skips everything when the venv
# is current, and any change rebuilds the venv from scratch. Prints how long it took.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
stamp="$venv/.requirements-stamp"
start_ms=$(date +%s%3N)
took() { echo "python interop venv ($1): $(($(date +%s%3N) - start_ms)) ms"; }

want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1) $(command -v python3) $(python3 -V 2>&1)"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  took "up to date"
  exit 0
fi

# Debian's python3 ships venv's ensurepip separately.
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq python3-venv
fi

rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: --no-deps \
  -r "$here/requirements.txt"
if ! check=$("$venv/bin/python" -m pip check --disable-pip-version-check); then
  echo "$check" >&2
  exit 1
fi
echo "$want" >"$stamp"
took "installed"
