#!/usr/bin/env bash
# Runs the built image WITHOUT a container runtime (root only): unpacks the Jib tarball with skopeo
# and umoci and runs roles in a chroot as the image's user (10001), to see the Java runtime, the
# class path and the entrypoint work. Not a sandbox: no namespaces, no resource limits; for a quick
# look on a build machine with no Docker.
#
#   docker/smoke-chroot.sh [image/target/openbio-platform-image.tar]
set -euo pipefail
TAR=${1:-image/target/openbio-platform-image.tar}
[ "$(id -u)" -eq 0 ] || { echo "smoke-chroot.sh: chroot needs root" >&2; exit 1; }
work=$(mktemp -d)
trap 'umount "$work/bundle/rootfs/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
skopeo copy --quiet "docker-archive:$TAR" "oci:$work/oci:smoke"
umoci unpack --image "$work/oci:smoke" "$work/bundle" >/dev/null
root="$work/bundle/rootfs"
mount -t proc proc "$root/proc"
env_args=()
while IFS= read -r e; do env_args+=("$e"); done < <(python3 -c 'import json,sys; [print(e) for e in json.load(open(sys.argv[1]))["process"]["env"]]' "$work/bundle/config.json")
run() { chroot --userspec=10001:10001 "$root" /usr/bin/env -i "${env_args[@]}" HOME=/tmp /app/bin/entrypoint.sh "$@"; }

echo "== java -version (as 10001)"
run java -version
echo "== kafka-secrets /kafka-secrets kafka (io.openbio.schemas.kafka.KafkaSecrets, as 10001, in its own folder)"
run kafka-secrets /kafka-secrets kafka
find "$root/kafka-secrets" -type f | sed "s|$root||" | sort | head -20
echo "== processor with no stage: the entrypoint's usage (exit 2)"
set +e; run processor; rc=$?; set -e
[ "$rc" -eq 2 ] || { echo "expected exit 2, got $rc" >&2; exit 1; }
echo "smoke: OK"
