# Sourced by test/platforms/run.sh: a local npm registry (verdaccio, pinned, from npm) that the staged
# packages are published to, so installs go through a real registry exactly as users' do: npm reads each
# package's os/cpu/libc from the registry's metadata and fetches only the matching platform package.
# kafka-napi and @kafka-napi/* are served only from what was published here; everything else (the
# node-addon-api dependency) is proxied to the registry this machine's npm is configured for.
#   registry_start <dir>       starts it on a free loopback port; sets REGISTRY_URL and REGISTRY_NPMRC
#   registry_publish <tgz>...  npm publish of each tarball
#   registry_stop              stops it (also on exit: the caller's cleanup calls it)
VERDACCIO_VERSION=6.8.0
registry_pid=

registry_start() {
  local dir=$1 tool="$cache/verdaccio-$VERDACCIO_VERSION" port upstream cafile
  if [ ! -f "$tool/.ok" ]; then
    rm -rf "$tool" && mkdir -p "$tool"
    echo '{ "name": "verdaccio-tool", "version": "1.0.0", "private": true }' >"$tool/package.json"
    (cd "$tool" && npm install --silent --no-audit --no-fund --ignore-scripts "verdaccio@$VERDACCIO_VERSION") &&
      touch "$tool/.ok"
  fi
  rm -rf "$dir" && mkdir -p "$dir/storage"
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  upstream=$(npm config get registry)
  cat >"$dir/config.yaml" <<YAML
storage: $dir/storage
auth:
  htpasswd:
    file: $dir/htpasswd
    max_users: 1
uplinks:
  upstream:
    url: $upstream
    timeout: 60s
packages:
  'kafka-napi':
    access: \$all
    publish: \$authenticated
  '@kafka-napi/*':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
    proxy: upstream
listen: 127.0.0.1:$port
log: { type: stdout, format: pretty, level: warn }
YAML
  cafile=$(npm config get cafile 2>/dev/null || true)
  [ -n "$cafile" ] && [ "$cafile" != null ] && [ -f "$cafile" ] || cafile=
  NODE_EXTRA_CA_CERTS=$cafile setsid node "$tool/node_modules/verdaccio/bin/verdaccio" --config "$dir/config.yaml" \
    >"$dir/verdaccio.log" 2>&1 &
  registry_pid=$!
  REGISTRY_URL="http://127.0.0.1:$port/"
  for _ in $(seq 1 120); do
    curl -sf "${REGISTRY_URL}-/ping" >/dev/null 2>&1 && break
    kill -0 "$registry_pid" 2>/dev/null || { cat "$dir/verdaccio.log"; return 1; }
    sleep 0.5
  done
  curl -sf "${REGISTRY_URL}-/ping" >/dev/null || { echo "verdaccio did not start" >&2; return 1; }
  # The one publishing user: verdaccio registers it on first login and answers with a token.
  local password token
  password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  token=$(curl -sf -X PUT -H 'content-type: application/json' \
    -d "{\"name\": \"ci\", \"password\": \"$password\"}" "${REGISTRY_URL}-/user/org.couchdb.user:ci" |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).token))')
  REGISTRY_NPMRC="$dir/npmrc"
  printf 'registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$REGISTRY_URL" "$port" "$token" >"$REGISTRY_NPMRC"
  echo "verdaccio $VERDACCIO_VERSION at $REGISTRY_URL (upstream: the configured registry)"
}

registry_publish() {
  local tgz
  for tgz in "$@"; do
    # An absolute path: npm reads "dir/x.tgz" as a GitHub shorthand.
    tgz=$(readlink -f "$tgz")
    npm publish --loglevel=warn --userconfig "$REGISTRY_NPMRC" --registry "$REGISTRY_URL" "$tgz" || return 1
  done
}

registry_stop() {
  [ -n "$registry_pid" ] || return 0
  kill -TERM -- "-$registry_pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    kill -0 -- "-$registry_pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -KILL -- "-$registry_pid" 2>/dev/null || true
  registry_pid=
}
