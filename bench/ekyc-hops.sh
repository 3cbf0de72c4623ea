#!/usr/bin/env bash
# Where the time of one IDLive /check goes between the stages: broker append times on the eKYC
# topics, requests sent one at a time. Usage: bench/ekyc-hops.sh [requests=60]
set -euo pipefail
cd "$(dirname "$0")/.."
OPENBIO_BENCH_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/hops-data}
source bench/platform.sh
java -Xmx1g -cp "launcher/target/launcher.jar:launcher/target/lib/*" io.openbio.launcher.bench.EkycHopProfile \
  "$gateway_url" "127.0.0.1:$OPENBIO_KAFKA_PORT" "${1:-60}"
