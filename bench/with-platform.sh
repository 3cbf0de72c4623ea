#!/usr/bin/env bash
# Starts the platform (./run.sh) on fresh data and its own ports, runs the given benchmark class of
# the launcher module against it, and stops the platform. Used by the bench/*.sh commands.
# Usage: bench/with-platform.sh <main class> [args...]   (the gateway URL is passed as first arg)
set -euo pipefail
cd "$(dirname "$0")/.."
main=$1; shift
source bench/platform.sh
java -Xmx2g -cp "launcher/target/launcher.jar:launcher/target/lib/*" "$main" "$gateway_url" "$@"
