#!/usr/bin/env bash
# Fetches the pinned librdkafka source, verifies it and builds it static into deps/librdkafka/.
#
# Source: $LIBRDKAFKA_TARBALL (a local upstream tarball) when set, else Debian's source archive via
# `apt-get source --download-only`, using a private apt configuration (so the machine's own sources are
# never modified) whose deb-src entry is derived from the machine's configured Debian mirror.
# The result is cached: nothing is rebuilt unless the pin or the build flags change.
set -euo pipefail

VERSION=2.14.2
DEBIAN_VERSION=2.14.2-1
SHA256=4d53568c13717b167d12c7b2a0fe12aeb5d6bfe02de53df5b68f86d870a81b33
# lz4 and snappy are bundled in librdkafka; OpenSSL, zstd and zlib come from the system's static archives.
CONFIGURE_FLAGS=(--enable-static --enable-ssl --enable-zstd --enable-zlib --disable-lz4-ext
  --disable-gssapi --disable-curl)
CFLAGS_EXTRA="-O2 -fPIC -fvisibility=hidden"

root=$(cd "$(dirname "$0")/.." && pwd)
deps="$root/deps"
out="$deps/librdkafka"
stamp_text="librdkafka $VERSION $SHA256 ${CONFIGURE_FLAGS[*]} $CFLAGS_EXTRA"

if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp_text" ] && [ -f "$out/lib/librdkafka.a" ]; then
  echo "librdkafka $VERSION: cached in deps/librdkafka"
  exit 0
fi

for lib in libssl.a libcrypto.a libzstd.a libz.a; do
  if ! compgen -G "/usr/lib/*/$lib" >/dev/null && ! compgen -G "/usr/lib/$lib" >/dev/null; then
    echo "missing static $lib: install libssl-dev libzstd-dev zlib1g-dev (scripts/install-system-deps.sh)" >&2
    exit 1
  fi
done

mkdir -p "$deps/src"
tarball="$deps/src/librdkafka_$VERSION.orig.tar.gz"

verify() { echo "$SHA256  $1" | sha256sum -c --quiet - >/dev/null 2>&1; }

if [ -n "${LIBRDKAFKA_TARBALL:-}" ]; then
  cp "$LIBRDKAFKA_TARBALL" "$tarball"
elif [ ! -f "$tarball" ] || ! verify "$tarball"; then
  # Derive the Debian mirror from the machine's own apt configuration (deb822 or one-line format).
  mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -- '-security' | head -1 || true)
  if [ -z "$mirror" ]; then
    mirror=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
      awk '{for(i=2;i<=NF;i++) if ($i !~ /^\[/) {print $i; exit}}' | grep -v -- '-security' | head -1 || true)
  fi
  if [ -z "$mirror" ]; then
    echo "cannot derive a Debian mirror from /etc/apt; set LIBRDKAFKA_TARBALL to a local librdkafka-$VERSION tarball" >&2
    exit 1
  fi
  aptdir="$deps/apt"
  mkdir -p "$aptdir/lists/partial" "$aptdir/dl"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  # The pinned Debian revision lives in unstable; its source package is the unmodified upstream tarball.
  echo "deb-src [signed-by=$keyring] $mirror sid main" >"$aptdir/sources.list"
  aptopts=(-o "Dir::Etc::SourceList=$aptdir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$aptdir/lists" -o APT::Sandbox::User=root)
  echo "fetching librdkafka $DEBIAN_VERSION source from the Debian archive ($mirror)"
  apt-get "${aptopts[@]}" -qq update
  (cd "$aptdir/dl" && apt-get "${aptopts[@]}" -qq source --download-only "librdkafka=$DEBIAN_VERSION")
  cp "$aptdir/dl/librdkafka_$VERSION.orig.tar.gz" "$tarball"
fi

if ! verify "$tarball"; then
  echo "SHA-256 mismatch for $tarball (expected $SHA256)" >&2
  rm -f "$tarball"
  exit 1
fi

build="$deps/build"
rm -rf "$build" "$out"
mkdir -p "$build"
tar -xzf "$tarball" -C "$build" --strip-components=1
start=$(date +%s)
(
  cd "$build"
  CFLAGS="$CFLAGS_EXTRA" CXXFLAGS="$CFLAGS_EXTRA" ./configure --prefix="$out" "${CONFIGURE_FLAGS[@]}" >kafka-napi-configure.out 2>&1 ||
    { tail -40 kafka-napi-configure.out; exit 1; }
  grep -E '^#define WITH_(SSL|ZSTD|ZLIB|SNAPPY|SASL_SCRAM|SASL_OAUTHBEARER|LZ4_EXT) ' config.h || true
  make -j"$(nproc)" libs >make.log 2>&1 || { tail -40 make.log; exit 1; }
  # rdkafka_performance is the C reference the benchmark suite compares against.
  make -C examples rdkafka_performance >>make.log 2>&1 || echo "warning: rdkafka_performance did not build" >&2
)
mkdir -p "$out/lib" "$out/include/librdkafka" "$out/bin"
cp "$build/src/librdkafka.a" "$out/lib/"
cp "$build/src/rdkafka.h" "$build/src/rdkafka_mock.h" "$out/include/librdkafka/"
[ -f "$build/examples/rdkafka_performance" ] && cp "$build/examples/rdkafka_performance" "$out/bin/"
echo "$stamp_text" >"$out/.stamp"
echo "librdkafka $VERSION built in $(($(date +%s) - start)) s -> deps/librdkafka"
