#!/usr/bin/env bash
# BioServer (seed 003): face creation and 1:few matches in a bio-session through the pipeline (gateway ->
# bioserver stage -> gateway) vs the same work in-process (one run), and the bytes a bio-session holds:
# on the stage's changelogs (read back while the platform runs) and in its RocksDB stores (measured after
# the platform stopped, its stores flushed). Writes launcher/target/bioserver-benchmark.md.
# Usage: bench/bioserver.sh [rate=5] [seconds=60] [concurrency=4] [faces in the matches session=10]
#                           [template-only sessions=2000] [image-storage sessions=100]
set -euo pipefail
cd "$(dirname "$0")/.."
# own ports (unless set), so it can run beside the other benchmarks and the fault tests
export OPENBIO_KAFKA_PORT=${OPENBIO_KAFKA_PORT:-19592} OPENBIO_KAFKA_CONTROLLER_PORT=${OPENBIO_KAFKA_CONTROLLER_PORT:-19593} \
       OPENBIO_REGISTRY_PORT=${OPENBIO_REGISTRY_PORT:-18581} OPENBIO_PROCESSOR_HTTP_PORT=${OPENBIO_PROCESSOR_HTTP_PORT:-18590} \
       OPENBIO_GATEWAY_PORT=${OPENBIO_GATEWAY_PORT:-18580}
OPENBIO_BENCH_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/bioserver-data}
report=launcher/target/bioserver-benchmark.md
source bench/platform.sh
cp="launcher/target/launcher.jar:launcher/target/lib/*"
java -Xmx2g -cp "$cp" io.openbio.launcher.bench.BioServerBenchmark "$gateway_url" "${1:-5}" "${2:-60}" "${3:-4}" "${4:-10}" \
  "${5:-2000}" "${6:-100}" "$report"
# stop the platform (the stages close their stores: memtables flushed to SST files), then measure them
kill $platform 2>/dev/null; wait $platform 2>/dev/null || true
trap - EXIT; rm -f "$platform_log"
java -Xmx256m -cp "$cp" io.openbio.launcher.bench.BioServerBenchmark --on-disk "$OPENBIO_DATA_DIR" "$report"
