#!/usr/bin/env bash
# Smoke test of the packaged registry: starts target/quarkus-app/quarkus-run.jar on a free port,
# registers an Avro schema through the Confluent-compatible API, reads it back, turns on a
# global BACKWARD compatibility rule and checks that an incompatible version is refused (409)
# while a compatible one (new optional field with a default) is accepted, and that writes without
# the platform's credentials get 401 while reads stay open. Stops the server.
#
# usage: registry/smoke-test.sh            (after `mvn -B -pl registry package` at the repo root)
# needs: java 17, curl, python3 (only to pick a free port)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || { echo "missing $jar: run 'mvn -B -pl registry package' first" >&2; exit 1; }

port="${PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}"
base="http://127.0.0.1:$port"
log="$(mktemp -t registry-smoke.XXXXXX.log)"

# The registry refuses to start without a password (user `openbio`); in its environment, not on its command line.
password="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
auth="openbio:$password"

start_ns=$(date +%s%N)
OPENBIO_REGISTRY_PASSWORD="$password" java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
     -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -jar "$jar" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT

for _ in $(seq 1 300); do
  curl -sf -o /dev/null "$base/health/ready" && break
  kill -0 $pid 2>/dev/null || { cat "$log" >&2; echo "registry died" >&2; exit 1; }
  sleep 0.1
done
curl -sf -o /dev/null "$base/health/ready" || { cat "$log" >&2; echo "registry not ready" >&2; exit 1; }
echo "ready in $(( ($(date +%s%N) - start_ns) / 1000000 )) ms on port $port, RSS $(( $(ps -o rss= -p $pid) / 1024 )) MB"

ct='Content-Type: application/vnd.schemaregistry.v1+json'
fail() { echo "FAIL: $*" >&2; exit 1; }
# $1 method, $2 path, $3 body -> prints "HTTP_CODE BODY"
call() { curl -s -u "$auth" -X "$1" -H "$ct" ${3:+-d "$3"} -w ' %{http_code}' "$base$2"; }

v1='{"schema":"{\"type\":\"record\",\"name\":\"Face\",\"namespace\":\"io.openbio\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}"}'
bad='{"schema":"{\"type\":\"record\",\"name\":\"Face\",\"namespace\":\"io.openbio\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"must\",\"type\":\"string\"}]}"}'
good='{"schema":"{\"type\":\"record\",\"name\":\"Face\",\"namespace\":\"io.openbio\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"label\",\"type\":\"string\",\"default\":\"unknown\"}]}"}'

r=$(call POST /apis/ccompat/v7/subjects/test-value/versions "$v1"); echo "register v1: $r"
[[ "$r" == *' 200' ]] || fail "register v1"
id=$(sed -E 's/.*"id":([0-9]+).*/\1/' <<<"$r")
r=$(call GET "/apis/ccompat/v7/schemas/ids/$id"); echo "get id $id: $r"
[[ "$r" == *' 200' && "$r" == *Face* ]] || fail "get by id"

r=$(curl -s -X POST -o /dev/null -H 'Content-Type: application/json' -d '{"type":"COMPATIBILITY","config":"BACKWARD"}' \
      -w '%{http_code}' "$base/apis/registry/v2/admin/rules"); echo "global rule without credentials: $r"
[[ "$r" == 401 ]] || fail "anonymous admin write not refused"
r=$(curl -s -o /dev/null -w '%{http_code}' "$base/apis/registry/v2/admin/export"); echo "export without credentials: $r"
[[ "$r" == 401 ]] || fail "anonymous export not refused"
r=$(curl -s -o /dev/null -w '%{http_code}' "$base/apis/ccompat/v7/schemas/ids/$id"); echo "schema by id without credentials: $r"
[[ "$r" == 200 ]] || fail "anonymous read refused"

r=$(curl -s -u "$auth" -X POST -H 'Content-Type: application/json' -d '{"type":"COMPATIBILITY","config":"BACKWARD"}' \
      -w ' %{http_code}' "$base/apis/registry/v2/admin/rules"); echo "global BACKWARD rule: $r"
[[ "$r" == *' 204' ]] || fail "set global rule"
r=$(call GET /apis/ccompat/v7/config); echo "ccompat global config: $r"

r=$(call POST /apis/ccompat/v7/subjects/test-value/versions "$bad"); echo "incompatible v2: $r"
[[ "$r" == *' 409' ]] || fail "incompatible schema was not rejected with 409"
r=$(call POST /apis/ccompat/v7/subjects/test-value/versions "$good"); echo "compatible v2: $r"
[[ "$r" == *' 200' ]] || fail "compatible schema was rejected"
r=$(call GET /apis/ccompat/v7/subjects/test-value/versions); echo "versions: $r"

echo "OK"
