#!/usr/bin/env bash
# Hop profile of one route family (diagnostic, capture or ekyc): broker append times and read_committed
# visibility on every topic of the route (from the pipeline contract) and the stages' trace stamps, one
# request at a time and then at a fixed rate, with the route's in-process work measured in the same run.
# Usage: bench/hops.sh diagnostic|capture|ekyc [requests=60] [rate: diagnostic 50, capture 5, ekyc 3]
set -euo pipefail
cd "$(dirname "$0")/.."
family=${1:?"usage: bench/hops.sh diagnostic|capture|ekyc [requests] [rate]"}
OPENBIO_BENCH_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/hops-data}
source bench/platform.sh
java -Xmx1g -cp "launcher/target/launcher.jar:launcher/target/lib/*" io.openbio.launcher.bench.HopProfile \
  "$gateway_url" "$family" "${2:-60}" ${3:+"$3"} ${3:+"launcher/target/hops-$family.md"}
