#!/usr/bin/env bash
# The search stage rebuilt from Kafka as a pod does it: a real broker and registry, N synthetic
# clustered templates enrolled on openbio.collection.records, then the stage started (1) on no
# state, (2) with its state folder kept, (3) on an empty state folder (restore from the changelog);
# time to ready / to caught up, and a query for an enrolled template after each. Needs
# `mvn -DskipTests package` (launcher/target/launcher.jar + lib). Writes launcher/target/search-rebuild.md.
# `failover`: two instances with a standby replica each, one killed with SIGKILL once both are idle; time from the
# kill to the first correct answer per shard (launcher/target/search-rebuild.md too).
# Usage: bench/search-rebuild.sh [n=100000] [heap of each search instance=1g] [all|new-pod (skip the restart with state)|failover]
set -euo pipefail
cd "$(dirname "$0")/.."
# its own ports (another run on the machine may set others); the stage's instances listen on the processor port + 50 (+1)
export OPENBIO_KAFKA_PORT=${OPENBIO_KAFKA_PORT:-19192} OPENBIO_KAFKA_CONTROLLER_PORT=${OPENBIO_KAFKA_CONTROLLER_PORT:-19193} \
       OPENBIO_REGISTRY_PORT=${OPENBIO_REGISTRY_PORT:-18181} OPENBIO_PROCESSOR_HTTP_PORT=${OPENBIO_PROCESSOR_HTTP_PORT:-18190} \
       OPENBIO_GATEWAY_PORT=${OPENBIO_GATEWAY_PORT:-18180}
exec java -Xmx1g -cp "launcher/target/launcher.jar:launcher/target/lib/*" \
  io.openbio.launcher.bench.SearchRebuildBenchmark "${1:-100000}" "${2:-1g}" launcher/target/search-rebuild.md "${3:-all}"
