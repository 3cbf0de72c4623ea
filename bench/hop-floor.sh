#!/usr/bin/env bash
# The floor of one exactly-once hop on this machine: bare Kafka clients (idempotent produce, a
# transactional consume-produce stage as Kafka Streams does it, a read_committed reader) on the
# platform's own broker and security, one record at a time. Every pipeline hop pays at least this.
# Usage: bench/hop-floor.sh [records=120] [gap ms=20] [eos|alo]  (alo: the same hop at least once, for comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/with-platform.sh io.openbio.launcher.bench.HopFloor "${1:-120}" "${2:-20}" launcher/target/hop-floor.md "${3:-eos}"
