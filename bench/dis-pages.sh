#!/usr/bin/env bash
# DIS PUT /customers/{id}/document/pages (seed 004) through the pipeline (gateway -> dis-customers stage -> gateway)
# vs the same work in-process (one run): page analysis (detection, normalisation, quality, portrait), reading (MRZ,
# OCR, barcodes) on the normalised page and the document checks on the uploaded photo, each part timed, and their
# sum (the pipeline's counterpart). The report says which fields the pipeline's answers carry at the commit measured.
# Writes launcher/target/dis-pages-benchmark.md.
# Usage: bench/dis-pages.sh [requests=20]   (OPENBIO_SKIP_BUILD=1 to use the built jars as they are)
set -euo pipefail
cd "$(dirname "$0")/.."
# the load average before the platform starts (the report gives it beside the one at the measurement's start)
export OPENBIO_BENCH_LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg | sed 's| | / |g')"
# own ports (unless set), so it can run beside the other benchmarks and the fault tests
export OPENBIO_KAFKA_PORT=${OPENBIO_KAFKA_PORT:-19892} OPENBIO_KAFKA_CONTROLLER_PORT=${OPENBIO_KAFKA_CONTROLLER_PORT:-19893} \
       OPENBIO_REGISTRY_PORT=${OPENBIO_REGISTRY_PORT:-18881} OPENBIO_PROCESSOR_HTTP_PORT=${OPENBIO_PROCESSOR_HTTP_PORT:-18890} \
       OPENBIO_GATEWAY_PORT=${OPENBIO_GATEWAY_PORT:-18880}
OPENBIO_BENCH_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/dis-pages-data}
report=launcher/target/dis-pages-benchmark.md
source bench/platform.sh
cp="launcher/target/launcher.jar:launcher/target/lib/*"
java -Xmx2g -cp "$cp" io.openbio.launcher.bench.DisPageBenchmark "$gateway_url" "${1:-20}" "$report"
