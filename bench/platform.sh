# Sourced by the bench/*.sh commands: starts the platform (./run.sh) on fresh data and its own
# ports in the background, waits until it is up, and stops it when the calling script exits.
# Ports: 19092/19093/18081/18090/18080 unless OPENBIO_KAFKA_PORT etc. are set (so a benchmark can run
# beside the fault tests, which use those).
export OPENBIO_DATA_DIR=${OPENBIO_BENCH_DATA_DIR:-$PWD/launcher/target/bench-data}
export OPENBIO_KAFKA_PORT=${OPENBIO_KAFKA_PORT:-19092} OPENBIO_KAFKA_CONTROLLER_PORT=${OPENBIO_KAFKA_CONTROLLER_PORT:-19093} \
       OPENBIO_REGISTRY_PORT=${OPENBIO_REGISTRY_PORT:-18081} OPENBIO_PROCESSOR_HTTP_PORT=${OPENBIO_PROCESSOR_HTTP_PORT:-18090} \
       OPENBIO_GATEWAY_PORT=${OPENBIO_GATEWAY_PORT:-18080}
rm -rf "$OPENBIO_DATA_DIR"
platform_log=$(mktemp)
./run.sh >"$platform_log" 2>&1 &
platform=$!
# (wait on the killed platform returns 143: under set -e that would end the trap there and make it the
# command's exit status; the benchmark's own status is kept)
trap 'kill $platform 2>/dev/null; wait $platform 2>/dev/null || true; rm -f "$platform_log"' EXIT
for _ in $(seq 1 300); do
  grep -q "OpenBio platform is up" "$platform_log" && break
  kill -0 $platform 2>/dev/null || { cat "$platform_log"; exit 1; }
  sleep 1
done
grep -q "OpenBio platform is up" "$platform_log" || { cat "$platform_log"; echo "platform did not start"; exit 1; }
gateway_url="http://127.0.0.1:$OPENBIO_GATEWAY_PORT"
