#!/usr/bin/env bash
# Capture liveness submitted by topic (Kafka clients, tenant "bench") vs over HTTP, the same work in
# one run. Usage: bench/kafka-clients.sh [seconds=30] [callers=4] [http-first|kafka-first]
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBIO_KAFKA_CLIENT_TENANTS=bench
exec bench/with-platform.sh io.openbio.launcher.bench.KafkaClientsBenchmark "${1:-30}" "${2:-4}" launcher/target/kafka-clients-benchmark.md "${3:-http-first}"
