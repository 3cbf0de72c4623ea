#!/usr/bin/env bash
# /check_capture_liveness: through the pipeline (decrypt -> nonce -> liveness) vs the
# same work in-process (one run). Usage: bench/capture-liveness.sh [rate=5] [seconds=60] [concurrency=4]
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/with-platform.sh io.openbio.launcher.bench.CaptureLivenessBenchmark "${1:-5}" "${2:-60}" "${3:-4}" launcher/target/capture-benchmark.md
