#!/usr/bin/env bash
# The whole jest suite against an addon and a librdkafka built with AddressSanitizer + UBSan (gcc):
#   bash scripts/sanitize.sh [jest arguments...]
# 1. librdkafka (pinned source, same options as the shipped build) compiled with -fsanitize=address,undefined
#    into deps/linux-x64-asan/ beside copies of the pinned OpenSSL / zstd / zlib archives (not instrumented:
#    ASan still sees every allocation through its malloc);
# 2. the addon built with node-gyp and the same flags in a copy of this checkout (deps/build/asan/tree),
#    so the checkout's own build/ and prebuilds/ stay as they are;
# 3. jest run there with the sanitizer runtimes preloaded into every Node process (LD_PRELOAD; the broker
#    harness does not pass it on to the JVM, openssl or kcat: test/broker/kafka.ts sanitizedEnv()),
#    leak detection on, ASan's quarantine 4 MiB instead of 256 MiB (freed memory it holds back to catch
#    use after free counts as RSS: the suite's memory-bound tests failed on it, not on ours). Node and V8 free nothing at exit by design and their binary is not instrumented:
#    a leak report counts when one of its allocation stacks runs through the addon (kafka_napi.node, which
#    holds librdkafka); a suppression file cannot say that (it suppresses a leak when ANY frame matches,
#    and every allocation of ours has Node's frames below it). ASan errors and UBSan reports always count.
#    UBSan findings in librdkafka that are not memory errors are suppressed by name with their reason
#    (scripts/sanitize/ubsan.supp).
# Passes when jest passes and no counted report was written (reports stay in deps/build/asan/reports/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/deps/pins.sh"
# shellcheck source=deps/patches.sh
. "$root/scripts/deps/patches.sh"
# shellcheck source=deps/cache.sh
. "$root/scripts/deps/cache.sh"
cd "$root"
bash scripts/deps/build-deps.sh linux-x64 >/dev/null

SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -g -O1"
pinned="$root/deps/linux-x64"
prefix="$root/deps/linux-x64-asan"
work="$root/deps/build/asan"
LRK_OPTS=(--enable-static --disable-shared --enable-ssl --enable-zstd --enable-zlib --disable-lz4-ext
  --disable-gssapi --disable-curl --disable-c11threads --disable-regex-ext --disable-syslog)
# It compiles against the pinned OpenSSL/zstd/zlib headers: their stamps are part of its own.
stamp="$LIBRDKAFKA_VERSION patches $(librdkafka_patches_stamp) $SAN $(gcc -dumpfullversion) ${LRK_OPTS[*]} / $(cat "$pinned"/.stamp-zlib "$pinned"/.stamp-zstd "$pinned"/.stamp-openssl)"
asan_key=$(cache_key "$stamp")
[ "$(cat "$prefix/.stamp" 2>/dev/null)" = "$stamp" ] || cache_restore deps-linux-x64-asan "$asan_key" "$prefix" || true
mkdir -p "$prefix/lib" "$prefix/include/librdkafka" "$work"

if [ "$(cat "$prefix/.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "sanitize: librdkafka $LIBRDKAFKA_VERSION with ASan + UBSan"
  rm -rf "$work/librdkafka" && cp -a "deps/src/librdkafka-$LIBRDKAFKA_VERSION" "$work/librdkafka"
  apply_librdkafka_patches "$work/librdkafka"
  (
    cd "$work/librdkafka"
    CC=gcc CXX=g++ CFLAGS="$SAN -fPIC -I$pinned/include" CPPFLAGS="-I$pinned/include" LDFLAGS="-L$pinned/lib" \
      PKG_CONFIG_PATH="$pinned/lib/pkgconfig" PKG_CONFIG_LIBDIR="$pinned/lib/pkgconfig" \
      ./configure --prefix="$prefix" "${LRK_OPTS[@]}" >kafka-napi-configure.out 2>&1 || { tail -30 kafka-napi-configure.out; exit 1; }
    for f in SSL ZSTD ZLIB SNAPPY SASL_SCRAM SASL_OAUTHBEARER; do
      grep -q "^#define WITH_$f 1" config.h || { echo "sanitize: librdkafka configure lost WITH_$f" >&2; exit 1; }
    done
    make -j"$(nproc)" -C src librdkafka.a >make.log 2>&1 || { tail -30 make.log; exit 1; }
  )
  cp "$work/librdkafka/src/librdkafka.a" "$prefix/lib/"
  cp "$work/librdkafka/src/rdkafka.h" "$work/librdkafka/src/rdkafka_mock.h" "$prefix/include/librdkafka/"
  echo "$stamp" >"$prefix/.stamp"
  cache_save deps-linux-x64-asan "$asan_key" "$prefix"
fi
for lib in libssl.a libcrypto.a libzstd.a libz.a; do cp "$pinned/lib/$lib" "$prefix/lib/"; done
cp -r "$pinned/include/openssl" "$pinned/include/"*.h "$prefix/include/" 2>/dev/null || true

# A copy of the checkout: sources and tests from the working tree, dependencies shared.
tree="$work/tree"
mkdir -p "$tree"
find "$tree" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
git ls-files -z --cached --others --exclude-standard | grep -zv '^deps/' | tar -C "$root" --null -T - -cf - |
  tar -C "$tree" -xf -
cp -r "$root/prebuilds" "$tree/" # test/unit/native.test.ts inspects the shipped binaries
ln -sfn "$root/node_modules" "$tree/node_modules"
ln -sfn "$root/deps" "$tree/deps"
mkdir -p "$tree/test/broker" && ln -sfn "$root/test/broker/.cache" "$tree/test/broker/.cache"

preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
echo "sanitize: addon with ASan + UBSan (node-gyp, g++)"
nodedir=$(node -p "require('path').resolve(process.execPath, '..', '..')")
(
  cd "$tree"
  CC=gcc CXX=g++ CFLAGS="$SAN" CXXFLAGS="$SAN" LDFLAGS="-fsanitize=address,undefined" \
    KAFKA_NAPI_PINNED_DIR="$prefix" npx node-gyp rebuild --nodedir="$nodedir" >"$work/node-gyp.log" 2>&1 ||
    { tail -30 "$work/node-gyp.log"; exit 1; }
  # gen-esm loads the addon to list its exports: with the runtime preloaded like every Node process below.
  LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 npm run -s build:ts >/dev/null
)
case $(nm -D "$tree/build/Release/kafka_napi.node") in
  *__asan_*) ;;
  *) echo "sanitize: addon is not instrumented" >&2; exit 1 ;;
esac

reports="$work/reports"
rm -rf "$reports" && mkdir -p "$reports"
echo "sanitize: jest with $preload preloaded"
set +e
(
  cd "$tree"
  KAFKA_NAPI_SANITIZER_PRELOAD="$preload" LD_PRELOAD="$preload" \
    ASAN_OPTIONS="detect_leaks=1:log_path=$reports/asan:abort_on_error=0:allow_user_segv_handler=1:detect_odr_violation=0:quarantine_size_mb=4:thread_local_quarantine_size_kb=256" \
    LSAN_OPTIONS="exitcode=0" \
    UBSAN_OPTIONS="print_stacktrace=1:log_path=$reports/ubsan:suppressions=$root/scripts/sanitize/ubsan.supp" \
    npx jest --ci "$@"
)
status=$?
set -e
# What counts, and the known findings that do not: scripts/sanitize/count-reports.js.
counted=$(node "$root/scripts/sanitize/count-reports.js" "$reports")
echo "sanitize: jest exit $status; sanitizer reports: $(find "$reports" -type f | wc -l) files, $counted counted (in $reports)"
[ "$status" -eq 0 ] && [ "$counted" -eq 0 ]
