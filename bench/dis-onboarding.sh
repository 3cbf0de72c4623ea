#!/usr/bin/env bash
# DIS passive onboarding (seed 004), end to end as an integrator calls it: POST /customers, PUT selfie, PUT liveness,
# POST liveness/selfies (NONE), POST liveness/evaluation PASSIVE_LIVENESS, PUT document, PUT document/pages (front:
# a synthetic TD1 card with the selfie's person as portrait; the stage analyses, reads and checks it), GET customer,
# GET document/portrait, POST inspect, POST document/inspect, DELETE customer; through the pipeline (gateway ->
# dis-customers stage -> gateway) vs the same inference in-process (one run). Flows one after the other; per call
# and per flow p50 / p99.
# Writes launcher/target/dis-onboarding-benchmark.md.
# Usage: bench/dis-onboarding.sh [flows=20]   (OPENBIO_SKIP_BUILD=1 to use the built jars as they are)
set -euo pipefail
cd "$(dirname "$0")/.."
# the load average before the platform starts (the report gives it beside the one at the measurement's start)
export OPENBIO_BENCH_LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg | sed 's| | / |g')"
# own ports (unless set), so it can run beside the other benchmarks and the fault tests
export OPENBIO_KAFKA_PORT=${OPENBIO_KAFKA_PORT:-19792} OPENBIO_KAFKA_CONTROLLER_PORT=${OPENBIO_KAFKA_CONTROLLER_PORT:-19793} \
       OPENBIO_REGISTRY_PORT=${OPENBIO_REGISTRY_PORT:-18781} OPENBIO_PROCESSOR_HTTP_PORT=${OPENBIO_PROCESSOR_HTTP_PORT:-18790} \
       OPENBIO_GATEWAY_PORT=${OPENBIO_GATEWAY_PORT:-18780}
OPENBIO_BENCH_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/dis-onboarding-data}
report=launcher/target/dis-onboarding-benchmark.md
source bench/platform.sh
cp="launcher/target/launcher.jar:launcher/target/lib/*"
java -Xmx2g -cp "$cp" io.openbio.launcher.bench.DisOnboardingBenchmark "$gateway_url" "${1:-20}" "$report"
