#!/usr/bin/env bash
# Starts the platform (./run.sh) on fresh data and its own ports, runs the given benchmark class of
# the launcher module against it, and stops the platform. Used by the bench/*.sh commands.
# Usage: bench/with-platform.sh <main class> [args...]   (the gateway URL is passed as first arg)
set -euo pipefail
cd "$(dirname "$0")/.."
main=$1; shift
export OPENBIO_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/bench-data}
export OPENBIO_KAFKA_PORT=19092 OPENBIO_KAFKA_CONTROLLER_PORT=19093 OPENBIO_REGISTRY_PORT=18081 \
       OPENBIO_PROCESSOR_HTTP_PORT=18090 OPENBIO_GATEWAY_PORT=18080
rm -rf "$OPENBIO_DATA_DIR"
log=$(mktemp)
./run.sh >"$log" 2>&1 &
platform=$!
trap 'kill $platform 2>/dev/null; wait $platform 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 300); do
  grep -q "OpenBio platform is up" "$log" && break
  kill -0 $platform 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
grep -q "OpenBio platform is up" "$log" || { cat "$log"; echo "platform did not start"; exit 1; }
java -Xmx2g -cp "launcher/target/launcher.jar:launcher/target/lib/*" "$main" "http://127.0.0.1:$OPENBIO_GATEWAY_PORT" "$@"
