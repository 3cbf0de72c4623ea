#!/usr/bin/env bash
# Benchmark of the diagnostic endpoint: round trip through Kafka vs the same work in-process.
# Starts the platform (./run.sh) on fresh data and its own ports, measures, stops it.
# Usage: bench/diagnostic-roundtrip.sh [rate=50] [seconds=60] [concurrency=16]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-50}; seconds=${2:-60}; concurrency=${3:-16}
export OPENBIO_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/bench-data}
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
java -cp "launcher/target/launcher.jar:launcher/target/lib/*" io.openbio.launcher.bench.DiagnosticBenchmark \
  "http://127.0.0.1:$OPENBIO_GATEWAY_PORT" "$rate" "$seconds" "$concurrency" launcher/target/diagnostic-benchmark.md
echo "Report written to launcher/target/diagnostic-benchmark.md (copy it into BENCHMARKS.md)."
