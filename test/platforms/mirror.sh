# Sourced by test/platforms/run.sh and musl-root.sh: the Debian mirror this machine already uses
# (deb822 or one-line apt sources), without a trailing slash. Never a hard-coded host.
mirror() {
  local m
  m=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -- '-security' | head -1 || true)
  [ -n "$m" ] || m=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
    awk '{for(i=2;i<=NF;i++) if ($i !~ /^\[/) {print $i; exit}}' | grep -v -- '-security' | head -1 || true)
  [ -n "$m" ] || { echo "cannot derive a Debian mirror from /etc/apt" >&2; return 1; }
  echo "${m%/}"
}
