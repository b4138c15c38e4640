#!/usr/bin/env bash
# Broker compatibility matrix: the core integration tests (produce/consume, consumer groups with every
# assignment protocol the broker line has, group commits, transactions, admin) against each older Apache
# Kafka line, one broker at a time, each started by the harness from Maven jars. The newest line is the
# default suite's own broker (`npm test`), so it is not repeated here.
#   bash scripts/broker-matrix.sh            # every line below
#   bash scripts/broker-matrix.sh 3.9.1      # one line
set -euo pipefail
cd "$(dirname "$0")/.."
lines=("$@")
[ ${#lines[@]} -gt 0 ] || lines=(3.9.1 4.1.1)
core=(
  test/integration/produce-consume.test.ts
  test/integration/consumer-groups.test.ts
  test/integration/group-commit.test.ts
  test/integration/transactions.test.ts
  test/integration/admin.test.ts
)
npm run build:ts --silent
status=0
for v in "${lines[@]}"; do
  echo "== Kafka $v"
  # The harness starts this line's broker (global setup), never one given from outside.
  if ! env -u KAFKA_BOOTSTRAP_SERVERS KAFKA_VERSION="$v" npx jest "${core[@]}"; then
    echo "== Kafka $v: FAILED"
    status=1
  fi
done
exit $status
