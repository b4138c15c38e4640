# Sourced by the build scripts: a build cache outside the checkout, so a fresh clone on a machine that has
# built the same pinned dependencies before restores them instead of spending minutes recompiling them
# (a clean-clone CI run compiled OpenSSL, zstd, zlib and librdkafka three times: x64, arm64, ASan).
#
# An entry is a tarball of a build's output, named by a SHA-256 of everything that decides that output:
# the caller passes its build stamp (pins, patches, flags) and the text of the scripts that build it, so a
# change to any of them is a miss and the build runs from source again. Nothing is ever looked up by a
# name alone.
#   KAFKA_NAPI_CACHE_DIR   where entries live (default: $XDG_CACHE_HOME/kafka-napi, else ~/.cache/kafka-napi)
#   KAFKA_NAPI_CACHE_DIR=off   no cache: every build from source (what a bare machine does anyway)
# Each name keeps its 3 newest entries.

kafka_napi_cache_dir() {
  local d=${KAFKA_NAPI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kafka-napi}
  [ "$d" = off ] && return 1
  echo "$d"
}

# cache_key <text> <file>... -> a hex digest of the text and the files' contents
cache_key() {
  local text=$1
  shift
  { printf '%s\n' "$text"; cat "$@"; } | sha256sum | cut -c1-32
}

# cache_restore <name> <key> <dir>: unpacks the entry into <dir> (emptied first); fails on a miss.
cache_restore() {
  local d entry
  d=$(kafka_napi_cache_dir) || return 1
  entry="$d/$1-$2.tar.gz"
  [ -f "$entry" ] || return 1
  rm -rf "$3" && mkdir -p "$3"
  if ! tar -C "$3" -xzf "$entry"; then
    # A damaged entry is dropped, and the caller builds from source.
    rm -f "$entry"
    rm -rf "$3" && mkdir -p "$3"
    return 1
  fi
  touch "$entry" # newest use: pruning keeps it
  echo "cache: restored $1 (${entry#"$d/"})"
}

# cache_save <name> <key> <dir>: stores <dir>; written to a temporary name first, so a concurrent or
# interrupted save never leaves a partial entry under the real name.
cache_save() {
  local d entry tmp
  d=$(kafka_napi_cache_dir) || return 0
  mkdir -p "$d" || return 0
  entry="$d/$1-$2.tar.gz"
  [ -f "$entry" ] && return 0
  tmp=$(mktemp "$d/.$1.XXXXXX")
  # mktemp's 0600 would keep other users of a shared cache directory out.
  if tar -C "$3" -czf "$tmp" . && chmod 644 "$tmp" && mv -f "$tmp" "$entry"; then
    echo "cache: saved $1 (${entry#"$d/"}, $(du -k "$entry" | cut -f1) KiB)"
  else
    rm -f "$tmp"
  fi
  # shellcheck disable=SC2012 # names are ours: no newlines
  ls -t "$d/$1-"*.tar.gz 2>/dev/null | tail -n +4 | xargs -r rm -f
}
