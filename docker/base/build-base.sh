#!/usr/bin/env bash
# Builds the runtime BASE image of openbio/platform from Debian packages, without a container daemon
# or a container registry (docker/README.md "Images without Docker" says why):
#
#   debootstrap --variant=minbase bookworm + openjdk-17-jre-headless, curl, ca-certificates
#       (the packages come from the Debian mirror in apt's sources; security updates applied),
#   the openbio user (uid/gid 10001) and the folders the image's entrypoint and the deployment
#       files write to (/app/keys, /app/payload-keys, /app/bioserver-signing, /kafka-secrets,
#       owned by 10001; Jib cannot set a file owner, so they are made here),
#   umoci   packs the root file system into an OCI image layout (one layer),
#   skopeo  copies it to a docker-archive tarball, the form Jib reads as a `tar://` base image.
#
# Usage (root, Debian/Ubuntu with debootstrap, umoci and skopeo: apt-get install debootstrap umoci skopeo):
#   docker/base/build-base.sh [OUT_DIR]       default OUT_DIR: $HOME/.cache/openbio/base-image
# Writes OUT_DIR/openbio-jre17-bookworm.tar and OUT_DIR/openbio-jre17-bookworm.digest (the image's
# config digest, printed by the image module's build); does nothing when the tarball exists
# (delete it, or pass --rebuild, to take the mirror's newer packages).
set -euo pipefail

rebuild=false
if [ "${1:-}" = "--rebuild" ]; then rebuild=true; shift; fi
OUT=${1:-${OPENBIO_BASE_IMAGE_DIR:-$HOME/.cache/openbio/base-image}}
NAME=openbio-jre17-bookworm
TAR="$OUT/$NAME.tar"
SUITE=bookworm
MIRROR=${OPENBIO_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${OPENBIO_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
PACKAGES=openjdk-17-jre-headless,ca-certificates,curl

if [ -s "$TAR" ] && [ "$rebuild" = false ]; then
  echo "base image present: $TAR ($(cat "$OUT/$NAME.digest" 2>/dev/null || echo 'no digest file'))"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "build-base.sh: debootstrap needs root" >&2; exit 1; }
for tool in debootstrap umoci skopeo; do
  command -v "$tool" >/dev/null || { echo "build-base.sh: $tool is missing (apt-get install debootstrap umoci skopeo)" >&2; exit 1; }
done

mkdir -p "$OUT"
work=$(mktemp -d "$OUT/.work.XXXXXX")
cleanup() {
  for m in proc sys dev/pts dev; do umount "$work/rootfs/$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
rootfs="$work/rootfs"

echo "== debootstrap $SUITE (minbase + $PACKAGES) from $MIRROR"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -30 "$work/debootstrap.log" >&2; exit 1; }

echo "== security updates, the openbio user, cleanup"
cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
SOURCES
mount -t proc proc "$rootfs/proc"
chroot "$rootfs" /bin/sh -eu -c '
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get upgrade -y -qq >/dev/null
  groupadd --system --gid 10001 openbio
  useradd --system --uid 10001 --gid openbio --home-dir /app --shell /usr/sbin/nologin openbio
  install -d -o 0 -g 0 -m 0755 /app
  install -d -o 10001 -g 10001 -m 0700 /app/keys /app/payload-keys /app/bioserver-signing /kafka-secrets
  apt-get clean
'
umount "$rootfs/proc"
# what varies from run to run and is not needed in an image
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/debconf/*-old \
       "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/root/.cache "$rootfs"/usr/share/doc/*/changelog*.gz \
       "$rootfs"/usr/share/man/* "$rootfs"/etc/machine-id
: >"$rootfs/etc/machine-id"
# the packages in the image with the License: fields of their copyright files (machine-readable
# DEP-5 ones; empty when the file is free text), for the image's licence report (docker/README.md)
chroot "$rootfs" dpkg-query -W -f='${Package}\t${Version}\n' | while IFS=$'\t' read -r pkg version; do
  copyright="$rootfs/usr/share/doc/${pkg%%:*}/copyright"
  licences=""
  if [ -f "$copyright" ]; then
    licences=$(sed -n 's/^License: *//p' "$copyright" | sed 's/[[:space:]]*$//' | sort -u | paste -sd ';' -)
  fi
  printf '%s\t%s\t%s\n' "$pkg" "$version" "$licences"
done >"$OUT/$NAME.packages.tsv"

echo "== umoci: OCI image from the root file system"
layout="$work/oci"
umoci init --layout "$layout"
umoci new --image "$layout:$NAME"
umoci unpack --image "$layout:$NAME" "$work/bundle" >/dev/null
rm -rf "$work/bundle/rootfs"
mv "$rootfs" "$work/bundle/rootfs"
umoci repack --image "$layout:$NAME" "$work/bundle"
umoci config --image "$layout:$NAME" \
  --architecture amd64 --os linux \
  --config.env 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --config.env 'JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  --config.env 'LANG=C.UTF-8' \
  --config.user '10001:10001' \
  --config.workingdir /app \
  --config.label "org.opencontainers.image.title=$NAME" \
  --config.label "org.opencontainers.image.description=Debian $SUITE minbase + OpenJDK 17 JRE (headless), curl; user openbio 10001" \
  --config.label 'org.opencontainers.image.base.name=debian:bookworm (debootstrap, not a registry image)' \
  --history.created_by "docker/base/build-base.sh ($SUITE minbase + $PACKAGES)"
umoci gc --layout "$layout"

echo "== skopeo: docker-archive for Jib"
rm -f "$TAR.tmp"
skopeo copy --quiet "oci:$layout:$NAME" "docker-archive:$TAR.tmp:openbio/jre17-base:$SUITE"
mv "$TAR.tmp" "$TAR"
skopeo inspect --config "docker-archive:$TAR" >/dev/null
digest=$(skopeo inspect "docker-archive:$TAR" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])' 2>/dev/null || true)
config_digest="sha256:$(skopeo inspect --raw --config "docker-archive:$TAR" | sha256sum | cut -d' ' -f1)"
echo "$config_digest" >"$OUT/$NAME.digest"
echo "base image: $TAR ($(du -h "$TAR" | cut -f1), config $config_digest${digest:+, manifest $digest})"
