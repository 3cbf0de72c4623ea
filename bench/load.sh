#!/usr/bin/env bash
# The load harness: starts the platform once, drives each endpoint family with real images and
# prints one result row per family (p50/p95/p99, throughput, answers by status).
# Usage: bench/load.sh [mode=rate|closed] [n=5] [seconds=30] [families="diagnostic iad ekyc-template ekyc-check"]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-rate}; n=${2:-5}; seconds=${3:-30}; families=${4:-"diagnostic iad ekyc-template ekyc-check"}
export OPENBIO_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/load-data}
export OPENBIO_KAFKA_PORT=19092 OPENBIO_KAFKA_CONTROLLER_PORT=19093 OPENBIO_REGISTRY_PORT=18081 \
       OPENBIO_PROCESSOR_HTTP_PORT=18090 OPENBIO_GATEWAY_PORT=18080
rm -rf "$OPENBIO_DATA_DIR"
log=$(mktemp)
./run.sh >"$log" 2>&1 &
platform=$!
trap 'kill $platform 2>/dev/null; wait $platform 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 300); do
  grep -q "OpenBio platform is up" "$log" && break
  kill -0 $platform 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
grep -q "OpenBio platform is up" "$log" || { cat "$log"; echo "platform did not start"; exit 1; }
out=launcher/target/load-report.md
{
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); command: bench/load.sh $mode $n $seconds"
  echo
  echo "| endpoint family | load | requests | p50 ms | p95 ms | p99 ms | throughput | answers by status |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$out"
for family in $families; do
  java -Xmx1g -cp "launcher/target/launcher.jar:launcher/target/lib/*" io.openbio.launcher.bench.LoadHarness \
    "http://127.0.0.1:$OPENBIO_GATEWAY_PORT" "$family" "$mode" "$n" "$seconds" "launcher/target/load-$family.md"
  cat "launcher/target/load-$family.md" >> "$out"
done
cat "$out"
