#!/usr/bin/env bash
# Builds the addon's static dependencies for one target with the pinned zig toolchain:
#   bash scripts/deps/build-deps.sh linux-x64|linux-arm64|linux-x64-musl|linux-arm64-musl
# -> deps/<target>/{include,lib}: libz.a, libzstd.a, libssl.a + libcrypto.a, librdkafka.a (lz4 and
# snappy built from librdkafka's own tree), and for the build host's target also
# deps/<target>/bin/rdkafka_performance, the C reference of the benchmark suite.
# Each library is cached behind a stamp of its pin and flags; nothing is rebuilt needlessly.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=pins.sh
. "$here/pins.sh"
# shellcheck source=patches.sh
. "$here/patches.sh"
# shellcheck source=cache.sh
. "$here/cache.sh"
target=${1:?usage: build-deps.sh <target>}
bash "$here/toolchain.sh"
bash "$here/fetch-sources.sh"

tc="$root/deps/toolchain/bin"
[ -x "$tc/$target-cc" ] || { echo "build-deps: unknown target $target" >&2; exit 2; }
export CC="$tc/$target-cc" CXX="$tc/$target-c++" AR="$tc/$target-ar" RANLIB="$tc/$target-ranlib"
prefix="$root/deps/$target"
work="$root/deps/build/$target"
src="$root/deps/src"
jobs=$(nproc)
# -O2 also keeps zig's debug-mode UBSan traps out; hidden visibility because only the addon's two
# Node-API entry points may be exported (native/addon.map).
# Function/data sections let the addon's --gc-sections drop what it never calls.
CFLAGS_COMMON="-O2 -fPIC -fvisibility=hidden -g0 -ffunction-sections -fdata-sections"
case $target in
  linux-x64*) ossl_target=linux-x86_64 ;;
  linux-arm64*) ossl_target=linux-aarch64 ;;
esac
# A fresh checkout first tries the build cache: the key covers every pin, patch and flag (all of them are
# in these scripts and the patches), and whether the benchmark's C reference can be built here.
perf_here=no
[ "$target" = linux-x64 ] && [ "$(uname -m)" = x86_64 ] && [ -f "$root/$RDKAFKA_PERFORMANCE_SRC" ] && perf_here=yes
deps_key=$(cache_key "$target perf=$perf_here" "$here/build-deps.sh" "$here/toolchain.sh" "$here/pins.sh" \
  "$here/patches.sh" "$PATCH_DIR"/*.patch)
[ -f "$prefix/.stamp-librdkafka" ] || cache_restore "deps-$target" "$deps_key" "$prefix" || true
mkdir -p "$prefix/include" "$prefix/lib" "$work"

verify_file() { # file sha256
  echo "$2  $1" | sha256sum -c --quiet - >/dev/null 2>&1 || { echo "SHA-256 mismatch: $1 (expected $2)" >&2; exit 1; }
}
cached() { # name stamp-text
  [ -f "$prefix/.stamp-$1" ] && [ "$(cat "$prefix/.stamp-$1")" = "$2" ]
}
stamp() { echo "$2" >"$prefix/.stamp-$1"; }
# Runs `build` unless `name` was built with the same stamp; stamps only after it succeeded (called
# outside && lists, so set -e stops a failing build before the stamp).
built_here=no
build_once() { # name stamp-text build-function
  if ! cached "$1" "$2"; then
    timed "$1" "$3"
    stamp "$1" "$2"
    built_here=yes
  fi
}
timed() {
  local label=$1 start=$SECONDS
  shift
  "$@"
  echo "$target: $label built in $((SECONDS - start)) s"
}

# zlib and zstd: plain C sources (the crates ship no build system), compiled file by file.
compile_archive() { # name out.a cflags files...
  local name=$1 out=$2 flags=$3
  shift 3
  local obj="$work/$name-obj"
  rm -rf "$obj" && mkdir -p "$obj"
  local i=0 pids=() f
  for f in "$@"; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    "$CC" $CFLAGS_COMMON $flags -c "$f" -o "$obj/$i-$(basename "${f%.*}").o" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  done
  for p in "${pids[@]}"; do wait "$p"; done
  rm -f "$out"
  "$AR" rcs "$out" "$obj"/*.o
}

build_zlib() {
  local s="$src/zlib-$ZLIB_VERSION"
  compile_archive zlib "$prefix/lib/libz.a" "-DHAVE_UNISTD_H=1 -DHAVE_STDARG_H=1 -D_LARGEFILE64_SOURCE=1 -DHAVE_HIDDEN" \
    "$s"/{adler32,compress,crc32,deflate,gzclose,gzlib,gzread,gzwrite,infback,inffast,inflate,inftrees,trees,uncompr,zutil}.c
  cp "$s/zlib.h" "$s/zconf.h" "$prefix/include/"
}
stamp_zlib="zlib $ZLIB_CRATE_SHA256 $CFLAGS_COMMON"
build_once zlib "$stamp_zlib" build_zlib

build_zstd() {
  local s="$src/zstd-$ZSTD_VERSION" files
  files=("$s"/common/*.c "$s"/compress/*.c "$s"/decompress/*.c)
  case $target in linux-x64*) files+=("$s/decompress/huf_decompress_amd64.S") ;; esac
  compile_archive zstd "$prefix/lib/libzstd.a" "-DXXH_NAMESPACE=ZSTD_ -DZSTD_LEGACY_SUPPORT=0" "${files[@]}"
  cp "$s/zstd.h" "$s/zstd_errors.h" "$s/zdict.h" "$prefix/include/"
}
stamp_zstd="zstd $ZSTD_CRATE_SHA256 $CFLAGS_COMMON"
build_once zstd "$stamp_zstd" build_zstd

# OpenSSL 3: out-of-tree build of the libraries only. OPENSSLDIR /etc/ssl is where Debian/Ubuntu keep
# their trust store; librdkafka probes the other distributions' standard paths itself.
OSSL_OPTS=(no-shared no-tests no-docs no-module no-dso no-engine no-legacy --libdir=lib --openssldir=/etc/ssl)
build_openssl() {
  local b="$work/openssl"
  rm -rf "$b" && mkdir -p "$b"
  (
    cd "$b"
    "$src/openssl-$OPENSSL_VERSION/Configure" "$ossl_target" "${OSSL_OPTS[@]}" --prefix="$prefix" \
      $CFLAGS_COMMON >configure.log 2>&1 || { tail -30 configure.log; exit 1; }
    make -j"$jobs" build_libs >make.log 2>&1 || { tail -40 make.log; exit 1; }
    make install_dev >install.log 2>&1 || { tail -20 install.log; exit 1; }
  )
}
stamp_openssl="openssl $OPENSSL_CRATE_SHA256 ${OSSL_OPTS[*]} $CFLAGS_COMMON"
build_once openssl "$stamp_openssl" build_openssl

# librdkafka: mklove builds in-tree, so each target gets its own copy of the source.
LRK_OPTS=(--enable-static --disable-shared --enable-ssl --enable-zstd --enable-zlib --disable-lz4-ext
  --disable-gssapi --disable-curl --disable-c11threads --disable-regex-ext --disable-syslog)
build_librdkafka() {
  local b="$work/librdkafka"
  rm -rf "$b" && cp -a "$src/librdkafka-$LIBRDKAFKA_VERSION" "$b"
  apply_librdkafka_patches "$b"
  (
    cd "$b"
    CFLAGS="$CFLAGS_COMMON -I$prefix/include" CPPFLAGS="-I$prefix/include" LDFLAGS="-L$prefix/lib" \
      PKG_CONFIG_PATH="$prefix/lib/pkgconfig" PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" \
      ./configure --prefix="$prefix" "${LRK_OPTS[@]}" >kafka-napi-configure.out 2>&1 || { tail -40 kafka-napi-configure.out; exit 1; }
    # mklove silently drops a feature whose check fails: insist on each one the addon relies on.
    for f in SSL ZSTD ZLIB SNAPPY SASL_SCRAM SASL_OAUTHBEARER; do
      grep -q "^#define WITH_$f 1" config.h || { echo "librdkafka configure: WITH_$f missing" >&2; exit 1; }
    done
    # Only the static archive: the shared library is of no use here (and its version script trips lld).
    make -j"$jobs" -C src librdkafka.a >make.log 2>&1 || { tail -40 make.log; exit 1; }
  )
  mkdir -p "$prefix/include/librdkafka"
  cp "$b/src/librdkafka.a" "$prefix/lib/"
  cp "$b/src/rdkafka.h" "$b/src/rdkafka_mock.h" "$prefix/include/librdkafka/"
}
# Rebuilt whenever a library it compiles against changes.
stamp_lrk="librdkafka $LIBRDKAFKA_NPM_SHA256 ${LIBRDKAFKA_TARBALL_SHA256:-} patches $(librdkafka_patches_stamp) ${LRK_OPTS[*]} $CFLAGS_COMMON / $stamp_zlib / $stamp_zstd / $stamp_openssl"
build_once librdkafka "$stamp_lrk" build_librdkafka

# rdkafka_performance, linked like the addon (same static librdkafka and OpenSSL), for the host only.
build_rdkafka_performance() {
  local s="$root/$RDKAFKA_PERFORMANCE_SRC" b="$work/librdkafka"
  [ -f "$s" ] || { echo "$target: skipping rdkafka_performance ($RDKAFKA_PERFORMANCE_SRC missing: run npm ci)"; return 0; }
  verify_file "$s" "$RDKAFKA_PERFORMANCE_SHA256"
  mkdir -p "$prefix/bin"
  "$CC" $CFLAGS_COMMON -I"$b/src" -I"$b" "$s" -o "$prefix/bin/rdkafka_performance" \
    "$prefix/lib/librdkafka.a" "$prefix/lib/libssl.a" "$prefix/lib/libcrypto.a" "$prefix/lib/libzstd.a" \
    "$prefix/lib/libz.a" -lpthread -lm -ldl -lrt
}
stamp_perf="rdkafka_performance $RDKAFKA_PERFORMANCE_SHA256 $stamp_lrk"
if [ "$target" = linux-x64 ] && [ "$(uname -m)" = x86_64 ] && ! cached rdkafka_performance "$stamp_perf"; then
  build_rdkafka_performance
  [ -x "$prefix/bin/rdkafka_performance" ] && stamp rdkafka_performance "$stamp_perf"
fi
# Everything this target needs is built, by these scripts in this run: keep it for the next fresh checkout
# (a no-op when the entry exists). A prefix left by an earlier version of the scripts is never stored
# under the key of the current one.
if [ $built_here = yes ] && cached librdkafka "$stamp_lrk" && { [ $perf_here = no ] || cached rdkafka_performance "$stamp_perf"; }; then
  cache_save "deps-$target" "$deps_key" "$prefix"
fi
