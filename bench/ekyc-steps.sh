#!/usr/bin/env bash
# In-process cost of each step of an IDLive /check (no platform needed). Usage: bench/ekyc-steps.sh [runs=200]
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx1g -cp "launcher/target/launcher.jar:launcher/target/lib/*" io.openbio.launcher.bench.EkycStepTimes "${1:-200}"
