#!/usr/bin/env bash
# Builds the portable addon for one target with the pinned zig toolchain:
#   bash scripts/deps/prebuild.sh linux-x64|linux-arm64|linux-x64-musl|linux-arm64-musl
# -> prebuilds/<platform>-<arch>/kafka-napi.<glibc|musl>.node (the names node-gyp-build matches by libc).
# libc++ is linked in statically (no GLIBCXX/CXXABI needs), glibc targets link against GLIBC_FLOOR's
# symbol versions, and the version script exports only the Node-API entry points.
# The source list and preprocessor defines are read from binding.gyp, the from-source build's recipe.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${1:?usage: prebuild.sh <target>}
bash "$here/build-deps.sh" "$target"

tc="$root/deps/toolchain/bin"
prefix="$root/deps/$target"
case $target in
  *-musl) dir=${target%-musl} libc=musl ;;
  *) dir=$target libc=glibc ;;
esac
out="$root/prebuilds/$dir/kafka-napi.$libc.node"
obj="$root/deps/build/$target/addon"
rm -rf "$obj" && mkdir -p "$obj" "$(dirname "$out")"

# shellcheck source=read-gyp.sh
. "$here/read-gyp.sh"
mapfile -t sources < <(read_gyp sources)
# Command expansions (<!@(...)) are node-gyp's: the pinned build needs none of their defines.
mapfile -t defines < <(read_gyp defines | grep -v '^<!' | sed 's/^/-D/')
napi_include=$(node -p "require('node-addon-api').include_dir")
headers_include=$(node -p "require('node-api-headers').include_dir")
flags=(-std=c++17 -O2 -g0 -fPIC -fexceptions -fvisibility=hidden -ffunction-sections -fdata-sections
  -Wall -Wextra -Wno-unused-parameter -Wno-ignored-qualifiers "${defines[@]}"
  -I"$root/$napi_include" -I"$napi_include" -I"$headers_include" -I"$prefix/include")

start=$SECONDS
pids=()
for s in "${sources[@]}"; do
  "$tc/$target-c++" "${flags[@]}" -c "$root/$s" -o "$obj/$(basename "${s%.cc}").o" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$(nproc)" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p"; done
# Node-API symbols stay undefined: the runtime that loads the addon provides them.
# -z nodelete: Node dlclose()s an addon when the last environment (e.g. a worker) that loaded it exits,
# but OpenSSL and libc++abi leave pthread-key destructors behind that then run on unmapped code at the
# next thread exit (SIGSEGV in __nptl_deallocate_tsd). g++ builds were immune by accident: libstdc++'s
# STB_GNU_UNIQUE symbols make glibc refuse to unload them.
link() {
  "$tc/$target-c++" -shared -o "$1" "$obj"/*.o \
    "$prefix/lib/librdkafka.a" "$prefix/lib/libssl.a" "$prefix/lib/libcrypto.a" \
    "$prefix/lib/libzstd.a" "$prefix/lib/libz.a" -lpthread -lm -ldl \
    -Wl,--version-script="$root/native/addon.map" -Wl,--gc-sections -Wl,-z,relro,-z,now,-z,nodelete "${@:2}"
}
link "$out" -s
# The same link with its symbol tables, never shipped: scripts/crash-report.sh names the functions of a
# crashed process's stack with it (stripping moves no code: the loaded sections are identical).
link "$root/deps/build/$target/kafka-napi.debug.node"
echo "$target: addon built in $((SECONDS - start)) s -> ${out#"$root/"} ($(du -k "$out" | cut -f1) KiB)"
