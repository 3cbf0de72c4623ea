#!/usr/bin/env bash
# 1:N search index (the search stage's ShardIndex, no Kafka): N synthetic clustered 512-d unit
# vectors over S shards; rebuild time, scatter/gather query p50/p99 (top-10), recall@10 vs exact
# search, index memory. Needs `mvn -DskipTests package` (launcher/target/launcher.jar + lib).
# Usage: bench/search-index.sh [n=1000000] [shards=4] [queries=1000] [recallSample=200] [heap=12g]
set -euo pipefail
cd "$(dirname "$0")/.."
heap=${5:-12g}
exec java -Xms"$heap" -Xmx"$heap" -XX:+UseParallelGC -cp "launcher/target/launcher.jar:launcher/target/lib/*" \
  io.openbio.launcher.bench.SearchIndexBenchmark "${1:-1000000}" "${2:-4}" "${3:-1000}" "${4:-200}" \
  launcher/target/search-benchmark.md launcher/target/search-bench-index "${OPENBIO_BENCH_EF:-50,100,200}"
