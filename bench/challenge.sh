#!/usr/bin/env bash
# /challenge/verify (active challenge liveness, issue 16): through the pipeline (decrypt -> nonce ->
# challenge-verify), one capture at a time, vs the same work in-process (one run). Every capture has
# its own fresh challenge and N frames of a real photo, 200 ms apart.
# Usage: bench/challenge.sh [captures=20] [frames=12]   (about 3-4 min on 2 cores with the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/with-platform.sh io.openbio.launcher.bench.ChallengeBenchmark "${1:-20}" "${2:-12}" launcher/target/challenge-benchmark.md
