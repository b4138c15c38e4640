#!/usr/bin/env bash
# A minimal musl system for the platform tests, assembled from the registries this project builds from
# (no Alpine repository is reachable here, and no musl build of Node is published on npm):
#   bash test/platforms/musl-root.sh x64|arm64 <dir>
# - <dir>/lib/ld-musl-<march>.so.1, also under Alpine's second name libc.musl-<march>.so.1: musl from
#   Debian's $MUSL_SUITE. Debian 12's musl 1.2.3 cannot load objects with RELR relocations, which the
#   musllinux C++ runtime below has. The suite's InRelease is checked with the Debian archive keyring, its
#   package index against InRelease, and the package against the index.
# - <dir>/usr/lib/libstdc++.so.6 and libgcc_s: the GCC runtime a musllinux wheel vendors (numpy's,
#   pinned below with its SHA-256), which Bun's musl build links. Our addon links libc++ statically and
#   needs neither.
# The apt mirror is the one this machine is configured with.
set -euo pipefail
MUSL_SUITE=trixie
NUMPY_MUSLLINUX_VERSION=2.5.5
NUMPY_MUSLLINUX_X64_SHA256=7fb87c4bcc73850ef433a0c42f096b010d3d3d284e9d00028bb030b43df3d078
NUMPY_MUSLLINUX_ARM64_SHA256=86868185bf4b6c4e5a8628ac42cfa165cd9530266c731f7dd1d11b4ad7e7cd1c
arch=${1:?usage: musl-root.sh x64|arm64 <dir>}
dir=${2:?usage: musl-root.sh x64|arm64 <dir>}
case $arch in
  x64) deb_arch=amd64 march=x86_64 wheel_sha=$NUMPY_MUSLLINUX_X64_SHA256 ;;
  arm64) deb_arch=arm64 march=aarch64 wheel_sha=$NUMPY_MUSLLINUX_ARM64_SHA256 ;;
  *) echo "musl-root.sh: unknown arch $arch" >&2; exit 2 ;;
esac
[ -f "$dir/.ok" ] && exit 0

# shellcheck source=mirror.sh
. "$(dirname "$0")/mirror.sh"
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base="$(mirror)/dists/$MUSL_SUITE"
curl -fsS -o "$work/InRelease" "$base/InRelease"
gpgv --keyring /usr/share/keyrings/debian-archive-keyring.gpg --output "$work/Release" "$work/InRelease" 2>/dev/null ||
  { echo "musl-root.sh: $MUSL_SUITE InRelease does not verify" >&2; exit 1; }
index="main/binary-$deb_arch/Packages.xz"
curl -fsS -o "$work/Packages.xz" "$base/$index"
want=$(awk -v f="$index" '/^SHA256:/{s=1; next} /^[A-Za-z]/{s=0} s && $3==f {print $1}' "$work/Release")
[ -n "$want" ] && [ "$(sha_of "$work/Packages.xz")" = "$want" ] ||
  { echo "musl-root.sh: $index does not match $MUSL_SUITE's Release" >&2; exit 1; }
read -r file sha version < <(xz -dc "$work/Packages.xz" | awk '
  /^Package: /{p=($2=="musl")} p&&/^Version: /{v=$2} p&&/^Filename: /{f=$2} p&&/^SHA256: /{s=$2}
  /^$/{if (p&&f) {print f, s, v; exit} p=0}')
[ -n "${file:-}" ] || { echo "musl-root.sh: no musl in $MUSL_SUITE $deb_arch" >&2; exit 1; }
curl -fsS -o "$work/musl.deb" "$(mirror)/$file"
[ "$(sha_of "$work/musl.deb")" = "$sha" ] || { echo "musl-root.sh: $file: SHA-256 mismatch" >&2; exit 1; }

(cd "$work" && python3 -m pip download -q --no-deps --only-binary=:all: --platform "musllinux_1_2_$march" \
  --python-version 3.12 "numpy==$NUMPY_MUSLLINUX_VERSION" -d wheel)
whl=$(ls "$work"/wheel/*.whl)
[ "$(sha_of "$whl")" = "$wheel_sha" ] || { echo "musl-root.sh: $(basename "$whl"): SHA-256 mismatch" >&2; exit 1; }

rm -rf "$dir" && mkdir -p "$dir/lib" "$dir/usr/lib" "$dir/etc"
dpkg-deb -x "$work/musl.deb" "$work/deb"
cp "$(find "$work/deb" -path "*-linux-musl/libc.so" | head -1)" "$dir/lib/ld-musl-$march.so.1"
ln -s "ld-musl-$march.so.1" "$dir/lib/libc.musl-$march.so.1"
echo "/lib:/usr/lib" >"$dir/etc/ld-musl-$march.path"
python3 - "$whl" "$dir/usr/lib" <<'PY'
import os, re, sys, zipfile
whl, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for name in z.namelist():
        base = os.path.basename(name)
        # auditwheel renames vendored libraries (libstdc++-<hash>.so.6.0.x) and the NEEDED entries that
        # point at them; libgcc_s keeps its hashed name, libstdc++ gets the name programs ask for.
        if re.match(r"libgcc_s-[0-9a-f]+\.so\.1$", base):
            open(os.path.join(out, base), "wb").write(z.read(name))
        elif re.match(r"libstdc\+\+-[0-9a-f]+\.so\.6(\.[0-9.]+)?$", base):
            open(os.path.join(out, "libstdc++.so.6"), "wb").write(z.read(name))
PY
[ -f "$dir/usr/lib/libstdc++.so.6" ] || { echo "musl-root.sh: no libstdc++ in $(basename "$whl")" >&2; exit 1; }
echo "musl $version ($MUSL_SUITE $deb_arch), C++ runtime of numpy $NUMPY_MUSLLINUX_VERSION musllinux_1_2_$march" >"$dir/.ok"
cat "$dir/.ok"
