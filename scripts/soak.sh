#!/usr/bin/env bash
# Soak: 30 minutes (or --minutes N) of mixed produce / consume / transactions / rebalances on a 3-node
# cluster behind fault proxies, a fault every 3 minutes (--fault-every S). Passes when nothing was lost,
# no guarantee was violated and the client's RSS grew ≤ 5% after warm-up. Not part of CI (too long);
# figures in docs/internals/reliability-journal.md. Output: .tmp/soak/<timestamp>/report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx tsx test/faults/soak.ts "$@"
