# Sourced by build-deps.sh and sanitize.sh: kafka-napi's fixes to the pinned librdkafka source, applied to
# each build's own copy. Each patch's header says what it fixes and how it was found.
PATCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/patches/librdkafka"

# The patches' identity, part of every librdkafka build stamp: a changed patch rebuilds the library.
librdkafka_patches_stamp() {
  cat "$PATCH_DIR"/*.patch | sha256sum | cut -c1-16
}

# apply_librdkafka_patches <source copy>
apply_librdkafka_patches() {
  local p
  for p in "$PATCH_DIR"/*.patch; do
    patch -p1 -s -N -d "$1" <"$p" || { echo "librdkafka patch failed: $p" >&2; return 1; }
  done
}
