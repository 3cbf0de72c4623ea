#!/usr/bin/env bash
# The load harness: starts the platform once, drives each endpoint family with real images and
# prints one result row per family (p50/p95/p99, throughput, answers by status).
# Usage: bench/load.sh [mode=rate|closed] [n=5] [seconds=30] [families="diagnostic iad ekyc-template ekyc-check ekyc-enrol"]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-rate}; n=${2:-5}; seconds=${3:-30}; families=${4:-"diagnostic iad ekyc-template ekyc-check ekyc-enrol"}
OPENBIO_BENCH_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/load-data}
source bench/platform.sh
out=launcher/target/load-report.md
{
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); command: bench/load.sh $mode $n $seconds"
  echo
  echo "| endpoint family | load | requests | p50 ms | p95 ms | p99 ms | throughput | answers by status |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$out"
for family in $families; do
  java -Xmx1g -cp "launcher/target/launcher.jar:launcher/target/lib/*" io.openbio.launcher.bench.LoadHarness \
    "$gateway_url" "$family" "$mode" "$n" "$seconds" "launcher/target/load-$family.md"
  cat "launcher/target/load-$family.md" >> "$out"
done
cat "$out"
