#!/usr/bin/env bash
# Liveness Check Proxy (seed 001) /liveness/verify, image style with a plain JPEG: through the pipeline
# (gateway -> lcp-verify -> gateway) vs the same work in-process (one run).
# Usage: bench/lcp-verify.sh [rate=5] [seconds=60] [concurrency=4]
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/with-platform.sh io.openbio.launcher.bench.LcpVerifyBenchmark "${1:-5}" "${2:-60}" "${3:-4}" launcher/target/lcp-verify-benchmark.md
