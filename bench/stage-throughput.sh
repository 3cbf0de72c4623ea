#!/usr/bin/env bash
# Sizing (k8s/README.md "Sizing"): CPU seconds per record of each processor stage, each in its own
# JVM, under one of two mixed loads, and what that implies in cores and pods for 100 and 1,000
# requests per second of that mix.
#   bench/stage-throughput.sh [rate=4 req/s] [seconds=120] [mix=ekyc|products]
# ekyc (default): the fault runner's load (diagnostic + callback, iad, ekyc-check with search, ekyc-enrol).
# products: lcp-verify, lcp-audit (audit queries), bioserver (faces), dis-faces, dis-customers (selfies),
# challenge (active liveness) and kafka-clients (requests produced to openbio.clients.requests.sizing;
# tenant "sizing" is added to OPENBIO_KAFKA_CLIENT_TENANTS). Together the two give every stage a row.
# Only the stages the chosen mix passes through get a JVM.
# Starts its own platform on fresh data (launcher/target/fault-data/stage-throughput) on its own
# ports (29092/29093/28081/28090/28080 unless OPENBIO_*_PORT are set, so it can run beside the
# fault tests and the other benches), prints and writes launcher/target/stage-throughput.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${OPENBIO_SKIP_BUILD:-0}" != "1" ] && { [ ! -f launcher/target/launcher.jar ] || [ ! -f gateway/target/gateway-exec.jar ]; }; then
  mvn -B -q -DskipTests package
fi
export OPENBIO_KAFKA_PORT=${OPENBIO_KAFKA_PORT:-29092} OPENBIO_KAFKA_CONTROLLER_PORT=${OPENBIO_KAFKA_CONTROLLER_PORT:-29093} \
       OPENBIO_REGISTRY_PORT=${OPENBIO_REGISTRY_PORT:-28081} OPENBIO_PROCESSOR_HTTP_PORT=${OPENBIO_PROCESSOR_HTTP_PORT:-28090} \
       OPENBIO_GATEWAY_PORT=${OPENBIO_GATEWAY_PORT:-28080}
exec java -Xmx1g -cp "launcher/target/launcher.jar:launcher/target/lib/*" io.openbio.launcher.fault.StageThroughput "$@"
