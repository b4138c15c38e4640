#!/usr/bin/env bash
# Installs the pinned zig (clang + glibc/musl sysroots + libc++), verified by the wheel's SHA-256, into
# deps/toolchain/zig (a link into the build cache, scripts/deps/cache.sh, unless KAFKA_NAPI_CACHE_DIR=off),
# and writes one compiler wrapper per target into deps/toolchain/bin/:
#   <target>-cc, <target>-c++, <target>-ar, <target>-ranlib   (target: linux-x64, linux-arm64, ...)
# Prints nothing when already installed. Build host: x86_64 Linux (the wheel pinned in pins.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=pins.sh
. "$here/pins.sh"
tc="$root/deps/toolchain"
zig="$tc/zig/ziglang/zig"

# shellcheck source=cache.sh
. "$here/cache.sh"

install_zig() { # dir: the pinned wheel, verified, unpacked into dir (written beside it, then moved)
  [ "$(uname -m)" = x86_64 ] || { echo "toolchain: the pinned zig wheel is for x86_64 build hosts" >&2; exit 1; }
  local req tmp="$1.tmp.$$"
  rm -rf "$tmp"
  req=$(mktemp)
  echo "ziglang==$ZIG_VERSION --hash=sha256:$ZIG_WHEEL_SHA256" >"$req"
  # The install goes to a private --target folder, never the system site-packages (PEP 668 allows it).
  PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --only-binary=:all: \
    --require-hashes -r "$req" --target "$tmp"
  rm -f "$req"
  rm -rf "$1" && mv "$tmp" "$1"
}

# With the build cache on, zig lives at one path per pinned wheel outside the checkout and the checkout
# links to it: zig's own cache (libc++, glibc stubs: ~100 s per target) is keyed by that path, so every
# fresh checkout would otherwise compile them again.
if shared_dir=$(kafka_napi_cache_dir); then
  shared="$shared_dir/toolchain/zig-$ZIG_VERSION-${ZIG_WHEEL_SHA256:0:16}"
  if [ ! -x "$shared/ziglang/zig" ] || [ "$("$shared/ziglang/zig" version)" != "$ZIG_VERSION" ]; then
    mkdir -p "$(dirname "$shared")"
    install_zig "$shared"
    echo "zig $("$shared/ziglang/zig" version) -> $shared"
  fi
  if [ "$(readlink "$tc/zig" 2>/dev/null)" != "$shared" ]; then
    mkdir -p "$tc" && rm -rf "$tc/zig" && ln -s "$shared" "$tc/zig"
  fi
elif [ ! -x "$zig" ] || [ -L "$tc/zig" ] || [ "$("$zig" version)" != "$ZIG_VERSION" ]; then
  mkdir -p "$tc" && rm -rf "$tc/zig"
  install_zig "$tc/zig"
  echo "zig $("$zig" version) -> deps/toolchain/zig"
fi

# Target name (as in prebuilds/<platform>-<arch>) -> zig target triple. The glibc suffix makes zig link
# against that glibc's symbol versions, so the result loads on any glibc >= GLIBC_FLOOR.
triple() {
  case $1 in
    linux-x64) echo "x86_64-linux-gnu.$GLIBC_FLOOR" ;;
    linux-arm64) echo "aarch64-linux-gnu.$GLIBC_FLOOR" ;;
    linux-x64-musl) echo x86_64-linux-musl ;;
    linux-arm64-musl) echo aarch64-linux-musl ;;
    *) return 1 ;;
  esac
}
mkdir -p "$tc/bin"
for t in linux-x64 linux-arm64 linux-x64-musl linux-arm64-musl; do
  tri=$(triple "$t")
  for tool in cc c++; do
    # Wrapper scripts keep multi-word compilers out of every build system's CC parsing.
    printf '#!/bin/sh\nexec "%s" %s -target %s "$@"\n' "$zig" "$tool" "$tri" >"$tc/bin/$t-$tool"
  done
  printf '#!/bin/sh\nexec "%s" ar "$@"\n' "$zig" >"$tc/bin/$t-ar"
  printf '#!/bin/sh\nexec "%s" ranlib "$@"\n' "$zig" >"$tc/bin/$t-ranlib"
  chmod +x "$tc/bin/$t-"*
done
