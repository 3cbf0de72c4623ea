#!/usr/bin/env bash
# The fault tests, one command each, against the local platform's own components (no Docker):
#   bench/fault.sh kill-stages     [rate=4] [stages=all]  kill -9 each processor stage in turn under load
#   bench/fault.sh broker-restart  [rate=4]               stop (SIGTERM) and restart the broker under load
#   bench/fault.sh broker-kill     [rate=4]               kill -9 and restart the broker under load
#   bench/fault.sh callback-outage [rate=4]               a callback receiver fails, loses answers, recovers
#   bench/fault.sh two-instances   [rate=2] [stages=all] [static|dynamic]
#                                   two JVMs of each stage (all: every stage the load passes through; the others share
#                                   one JVM) and two gateways; under load one instance of each stage in turn is killed -9
#                                   and restarted under its name, then a gateway; static = OPENBIO_PROCESSOR_INSTANCE_ID
#                                   per instance (group.instance.id), dynamic = none. OPENBIO_STREAMS_SESSION_TIMEOUT_MS
#                                   in the environment reaches the processors.
# Each starts its own platform on fresh data (launcher/target/fault-data/<scenario>) and the bench
# ports, prints and writes launcher/target/fault-<scenario>.md, and exits 1 when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?"usage: bench/fault.sh kill-stages|broker-restart|broker-kill|callback-outage|two-instances [rate] [stages] [static|dynamic]"}
shift
if [ "${OPENBIO_SKIP_BUILD:-0}" != "1" ] && { [ ! -f launcher/target/launcher.jar ] || [ ! -f gateway/target/gateway-exec.jar ]; }; then
  mvn -B -q -DskipTests package
fi
export OPENBIO_KAFKA_PORT=19092 OPENBIO_KAFKA_CONTROLLER_PORT=19093 OPENBIO_REGISTRY_PORT=18081 \
       OPENBIO_PROCESSOR_HTTP_PORT=18090 OPENBIO_GATEWAY_PORT=18080
exec java -Xmx1g -cp "launcher/target/launcher.jar:launcher/target/lib/*" io.openbio.launcher.fault.FaultRunner "$scenario" "$@"
