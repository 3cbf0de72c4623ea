#!/usr/bin/env bash
# Entrypoint of the OpenBio image: the first argument chooses the role.
#
#   gateway                 the Spring Boot HTTP gateway (port OPENBIO_GATEWAY_PORT, default 8080)
#   processor NAME [NAME…]  io.openbio.processors.ProcessorMain running the named stage(s)
#                           (one per container in docker-compose and k8s; "all" runs every stage)
#   setup                   io.openbio.schemas.setup.PlatformSetup: creates the topics of
#                           Topics.ALL and sets the registry's BACKWARD rule, then exits
#   kafka-secrets DIR HOST  io.openbio.schemas.kafka.KafkaSecrets: Kafka passwords, a local CA
#                           and the broker's certificate and server.properties (compose)
#   anything else           executed as is (e.g. "bash" to look around)
#
# JAVA_OPTS is added to every java command line (container-aware heap sizing by default).
# DeploymentManifestsTest reads the role -> main class lines below: keep one "role)" per line.
set -euo pipefail

APP=/app
PROCESSORS_CP="$APP/processors/processors.jar:$APP/processors/lib/*"
# shellcheck disable=SC2206  # JAVA_OPTS is a list of words on purpose
JAVA=(java ${JAVA_OPTS:--XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError})

usage() {
  echo "usage: gateway | processor NAME [NAME...] | setup | kafka-secrets DIR HOST | COMMAND [ARGS...]" >&2
  exit 2
}

role=${1:-}
[ -n "$role" ] || usage
shift

case "$role" in
  gateway)   exec "${JAVA[@]}" -jar "$APP/gateway/gateway.jar" "$@" ;;
  processor) [ $# -ge 1 ] || { echo "processor: name the stage(s) to run, e.g. 'processor digest'" >&2; usage; }
             exec "${JAVA[@]}" -cp "$PROCESSORS_CP" io.openbio.processors.ProcessorMain "$@" ;;
  setup)     exec "${JAVA[@]}" -cp "$PROCESSORS_CP" io.openbio.schemas.setup.PlatformSetup "$@" ;;
  kafka-secrets) exec "${JAVA[@]}" -cp "$PROCESSORS_CP" io.openbio.schemas.kafka.KafkaSecrets "$@" ;;
  *)         exec "$role" "$@" ;;
esac
