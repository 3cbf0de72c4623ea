#!/usr/bin/env bash
# Runs the whole platform locally, no Docker: a real Apache Kafka broker (KRaft, from Maven
# Central jars), the Apicurio schema registry, every processor and the gateway. Builds first when
# the build outputs are missing or older than the sources. Ctrl-C stops everything.
# Ports and folders: see README.md ("Configuration").
set -euo pipefail
cd "$(dirname "$0")"

outputs=(launcher/target/launcher.jar gateway/target/gateway-exec.jar
         processors/target/processors-0.1.0-SNAPSHOT.jar registry/target/quarkus-app/quarkus-run.jar)
needs_build() {
  for f in "${outputs[@]}"; do [ -f "$f" ] || return 0; done
  [ -n "$(find pom.xml schemas inference registry processors gateway launcher \
            -newer launcher/target/launcher.jar -type f \( -name pom.xml -o -path '*/src/main/*' \) \
            -not -path '*/target/*' -print -quit)" ]
}
if [ "${OPENBIO_SKIP_BUILD:-0}" != "1" ] && needs_build; then
  echo "Building the platform (mvn -DskipTests package)..."
  mvn -B -q -DskipTests package
fi
exec java -Xmx256m -Dlog4j2.shutdownHookEnabled=false -cp "launcher/target/launcher.jar:launcher/target/lib/*" io.openbio.launcher.PlatformLauncher "$@"
