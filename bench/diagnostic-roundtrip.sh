#!/usr/bin/env bash
# Diagnostic endpoint: round trip through Kafka vs the same work in-process (one run).
# Usage: bench/diagnostic-roundtrip.sh [rate=50] [seconds=60] [concurrency=16]
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/with-platform.sh io.openbio.launcher.bench.DiagnosticBenchmark "${1:-50}" "${2:-60}" "${3:-16}" launcher/target/diagnostic-benchmark.md
