#!/usr/bin/env bash
# Liveness Check Proxy audit log (seed 001, issue 17): page queries on a store of N audit events of U
# users, through the pipeline (broker, registry, the lcp-audit stage in its own JVM, the gateway; HTTP)
# and the same queries on the stage's own topology in-process (TopologyTestDriver, RocksDB), one run.
# Needs `mvn -DskipTests package` (launcher/target/launcher.jar + lib). Writes launcher/target/lcp-audit-benchmark.md.
# Usage: bench/lcp-audit.sh [events=1000000] [users=10000] [queries per shape=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBIO_KAFKA_PORT=19292 OPENBIO_KAFKA_CONTROLLER_PORT=19293 OPENBIO_REGISTRY_PORT=18281 \
       OPENBIO_PROCESSOR_HTTP_PORT=18290 OPENBIO_GATEWAY_PORT=18280
exec java -Xmx2g -cp "launcher/target/launcher.jar:launcher/target/lib/*" \
  io.openbio.launcher.bench.LcpAuditBenchmark "${1:-1000000}" "${2:-10000}" "${3:-1000}" launcher/target/lcp-audit-benchmark.md
