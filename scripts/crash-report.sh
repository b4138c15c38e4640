#!/usr/bin/env bash
# The stacks of every process of this checkout that dumped core: run by .ci/run after a failed step
# (.ci/run raises the core size limit, and this machine's core_pattern writes `core` into the crashed
# process's working directory: jest workers, child fixtures and the sanitizer tree all run inside the
# checkout). A jest worker killed by SIGSEGV is otherwise only "terminated by another process".
#   bash scripts/crash-report.sh [directory to search, default: the checkout]
# For each core: the crashed thread's stack, then every thread's top frames; frames in the shipped
# (stripped) addon are named with deps/build/<target>/kafka-napi.debug.node, the same link unstripped
# (scripts/deps/prebuild.sh). The cores are deleted afterwards (each is hundreds of MiB).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
where=${1:-$root}
mapfile -t cores < <(find "$where" -xdev -maxdepth 7 -type f \( -name core -o -name 'core.[0-9]*' \) 2>/dev/null)
found=0
# stdin: gdb's output; `#N 0x… in ?? () from …kafka-napi.glibc.node` frames get the function and line.
name_addon_frames() {
  local debug=$1 base=0 line pc
  while IFS= read -r line; do
    case $line in
      "crash-report: addon base "*) base=${line##* } ;;
      *" in ?? () from "*kafka-napi.glibc.node)
        if [ "$base" != 0 ] && [ -f "$debug" ]; then
          pc=$(sed -n 's/^#[0-9]* *\(0x[0-9a-f]*\) in .*/\1/p' <<<"$line")
          line="${line%% in *} in $(addr2line -f -C -i -e "$debug" "$(printf '%#x' $((pc - base)))" | paste -sd' ' -) (addon)"
        fi
        ;;
    esac
    printf '%s\n' "$line"
  done
}
for core in "${cores[@]}"; do
  desc=$(file -b "$core")
  case $desc in *"core file"*) ;; *) continue ;; esac
  found=$((found + 1))
  echo "== crash-report: $core: ${desc:0:300}"
  exe=$(sed -n "s/.*execfn: '\([^']*\)'.*/\1/p" <<<"$desc")
  if ! command -v gdb >/dev/null || [ ! -x "$exe" ]; then
    echo "crash-report: no gdb or no executable ($exe): stacks not printed"
    rm -f "$core"
    continue
  fi
  arch=$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
  debug="$root/deps/build/linux-$arch/kafka-napi.debug.node"
  text=0
  [ -f "$debug" ] && text=$(readelf -SW "$debug" | awk '$2 == ".text" { print "0x" $4 }')
  # gdb names no frame of the stripped addon even with the unstripped copy added as a symbol file, so
  # those frames are named here: the load base from where its .text landed, then addr2line on the copy.
  timeout 300 gdb -batch -nx -q -c "$core" "$exe" \
    -ex "python
text = $text
for line in gdb.execute('info sharedlibrary', to_string=True).splitlines():
    if text and line.rstrip().endswith('kafka-napi.glibc.node') and line.startswith('0x'):
        print('crash-report: addon base %#x' % (int(line.split()[0], 16) - text))
" \
    -ex 'echo \n-- the thread that crashed\n' -ex 'bt 30' \
    -ex 'echo \n-- every thread (top frames)\n' -ex 'thread apply all bt 12' 2>&1 |
    grep -v '^\[New LWP\|^warning: \|^Downloading' | name_addon_frames "$debug" | head -"${CRASH_REPORT_LINES:-400}"
  rm -f "$core"
done
echo "crash-report: $found core file(s) under $where"
