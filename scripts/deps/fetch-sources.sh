#!/usr/bin/env bash
# Fetches every pinned C source the native build needs, verifies each against its SHA-256 in pins.sh
# and extracts it under deps/src/ (cached: a verified tree is never fetched twice).
#   librdkafka  npm pack <package>@<version> (its deps/librdkafka tree only); override with
#               LIBRDKAFKA_TARBALL=<a librdkafka-x.y.z upstream tarball>, checked against LIBRDKAFKA_TARBALL_SHA256
#   openssl, zstd, zlib   cargo fetch of scripts/deps/crates (exact versions) (the crates vendor the sources)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=pins.sh
. "$here/pins.sh"
src="$root/deps/src"
mkdir -p "$src"

verify() { # file sha256
  echo "$2  $1" | sha256sum -c --quiet - >/dev/null 2>&1
}
need() { command -v "$1" >/dev/null || { echo "fetch-sources: '$1' is required ($2)" >&2; exit 1; }; }

# librdkafka
lrk="$src/librdkafka-$LIBRDKAFKA_VERSION"
if [ ! -f "$lrk/.verified" ]; then
  rm -rf "$lrk" && mkdir -p "$lrk"
  if [ -n "${LIBRDKAFKA_TARBALL:-}" ]; then
    : "${LIBRDKAFKA_TARBALL_SHA256:?set LIBRDKAFKA_TARBALL_SHA256 with LIBRDKAFKA_TARBALL}"
    verify "$LIBRDKAFKA_TARBALL" "$LIBRDKAFKA_TARBALL_SHA256" || { echo "SHA-256 mismatch: $LIBRDKAFKA_TARBALL" >&2; exit 1; }
    tar -xzf "$LIBRDKAFKA_TARBALL" -C "$lrk" --strip-components=1
  else
    need npm "to fetch $LIBRDKAFKA_NPM_PACKAGE"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack "$LIBRDKAFKA_NPM_PACKAGE" --silent --ignore-scripts >/dev/null)
    tgz=$(ls "$tmp"/*.tgz)
    if ! verify "$tgz" "$LIBRDKAFKA_NPM_SHA256"; then
      echo "SHA-256 mismatch for $LIBRDKAFKA_NPM_PACKAGE (expected $LIBRDKAFKA_NPM_SHA256, got $(sha256sum "$tgz" | cut -d' ' -f1))" >&2
      rm -rf "$tmp"
      exit 1
    fi
    tar -xzf "$tgz" -C "$lrk" --strip-components=3 package/deps/librdkafka
    rm -rf "$tmp"
  fi
  head -1 "$lrk/CHANGELOG.md" | grep -q "v$LIBRDKAFKA_VERSION" ||
    { echo "librdkafka source is not v$LIBRDKAFKA_VERSION: $(head -1 "$lrk/CHANGELOG.md")" >&2; exit 1; }
  touch "$lrk/.verified"
  echo "librdkafka $LIBRDKAFKA_VERSION source -> deps/src/librdkafka-$LIBRDKAFKA_VERSION"
fi

# The C libraries vendored by crates.
crate_tree() { # crate-name-version sha256 subdir-in-crate dest
  local crate=$1 sha=$2 sub=$3 dest=$4
  [ -f "$dest/.verified" ] && return 0
  need cargo "to fetch $crate (Debian: apt-get install cargo)"
  # Exact versions in Cargo.toml fix the three crates; their SHA-256 is checked below (no lock file is
  # committed: it would only restate the registry's address).
  cargo fetch --quiet --manifest-path "$here/crates/Cargo.toml"
  local file
  file=$(find "${CARGO_HOME:-$HOME/.cargo}/registry/cache" -name "$crate.crate" | head -1)
  [ -n "$file" ] || { echo "cargo fetch did not leave $crate.crate in the registry cache" >&2; exit 1; }
  verify "$file" "$sha" || { echo "SHA-256 mismatch for $file (expected $sha)" >&2; exit 1; }
  rm -rf "$dest" && mkdir -p "$dest"
  local depth
  depth=$(($(tr -cd / <<<"$sub" | wc -c) + 2))
  tar -xzf "$file" -C "$dest" --strip-components="$depth" "$crate/$sub"
  touch "$dest/.verified"
  echo "$crate ($sub) -> ${dest#"$root/"}"
}
crate_tree "$OPENSSL_CRATE" "$OPENSSL_CRATE_SHA256" openssl "$src/openssl-$OPENSSL_VERSION"
crate_tree "$ZSTD_CRATE" "$ZSTD_CRATE_SHA256" zstd/lib "$src/zstd-$ZSTD_VERSION"
crate_tree "$ZLIB_CRATE" "$ZLIB_CRATE_SHA256" src/zlib "$src/zlib-$ZLIB_VERSION"
