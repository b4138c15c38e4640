#!/usr/bin/env bash
# Installs the pinned zig (clang + glibc/musl sysroots + libc++) into deps/toolchain/zig, verified by
# the wheel's SHA-256, and writes one compiler wrapper per target into deps/toolchain/bin/:
#   <target>-cc, <target>-c++, <target>-ar, <target>-ranlib   (target: linux-x64, linux-arm64, ...)
# Prints nothing when already installed. Build host: x86_64 Linux (the wheel pinned in pins.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=pins.sh
. "$here/pins.sh"
tc="$root/deps/toolchain"
zig="$tc/zig/ziglang/zig"

if [ ! -x "$zig" ] || [ "$("$zig" version)" != "$ZIG_VERSION" ]; then
  [ "$(uname -m)" = x86_64 ] || { echo "toolchain: the pinned zig wheel is for x86_64 build hosts" >&2; exit 1; }
  rm -rf "$tc/zig"
  req=$(mktemp)
  echo "ziglang==$ZIG_VERSION --hash=sha256:$ZIG_WHEEL_SHA256" >"$req"
  # The install goes to a private --target folder, never the system site-packages (PEP 668 allows it).
  PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --only-binary=:all: \
    --require-hashes -r "$req" --target "$tc/zig"
  rm -f "$req"
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
