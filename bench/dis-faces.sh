#!/usr/bin/env bash
# DIS faces (seed 004): POST /api/v1/faces and POST /api/v1/faces/{id}/similarity (by template and by link)
# through the pipeline (gateway -> dis-faces stage -> gateway) vs the same work in-process (one run).
# Writes launcher/target/dis-faces-benchmark.md.
# Usage: bench/dis-faces.sh [rate=5] [seconds=30] [concurrency=4]
set -euo pipefail
cd "$(dirname "$0")/.."
# own ports (unless set), so it can run beside the other benchmarks and the fault tests
export OPENBIO_KAFKA_PORT=${OPENBIO_KAFKA_PORT:-19692} OPENBIO_KAFKA_CONTROLLER_PORT=${OPENBIO_KAFKA_CONTROLLER_PORT:-19693} \
       OPENBIO_REGISTRY_PORT=${OPENBIO_REGISTRY_PORT:-18681} OPENBIO_PROCESSOR_HTTP_PORT=${OPENBIO_PROCESSOR_HTTP_PORT:-18690} \
       OPENBIO_GATEWAY_PORT=${OPENBIO_GATEWAY_PORT:-18680}
OPENBIO_BENCH_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/dis-faces-data}
report=launcher/target/dis-faces-benchmark.md
source bench/platform.sh
cp="launcher/target/launcher.jar:launcher/target/lib/*"
java -Xmx2g -cp "$cp" io.openbio.launcher.bench.DisFaceBenchmark "$gateway_url" "${1:-5}" "${2:-30}" "${3:-4}" "$report"
