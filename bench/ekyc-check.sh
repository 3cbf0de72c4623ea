#!/usr/bin/env bash
# IDLive /check (FACE_CHECK + FACE_MATCH_VALIDATION): through the pipeline vs the same work in-process.
# Usage: bench/ekyc-check.sh [rate=3] [seconds=60] [concurrency=4]
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/with-platform.sh io.openbio.launcher.bench.EkycCheckBenchmark "${1:-3}" "${2:-60}" "${3:-4}" launcher/target/ekyc-benchmark.md
