#!/usr/bin/env bash
# Payload encryption (io.openbio.schemas.crypto.PayloadCipher) in-process, no Kafka: seal / open p50
# and p99 per payload size (512-float template, 50 KB, 500 KB, 2 MB images) and the cold data-key
# paths. Needs `mvn -DskipTests package` (launcher/target/launcher.jar + lib).
# Usage: bench/payload-crypto.sh [iterations=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx1g -cp "launcher/target/launcher.jar:launcher/target/lib/*" \
  io.openbio.launcher.bench.PayloadCryptoBenchmark "${1:-2000}" launcher/target/payload-crypto-benchmark.md
