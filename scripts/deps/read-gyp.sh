# Sourced: read_gyp KEY prints the values of binding.gyp's first target's KEY (sources, defines...), one
# per line. binding.gyp is the from-source build's recipe; the pinned prebuilds and clang-tidy read the
# same lists from it.
read_gyp() {
  python3 - "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/binding.gyp" "$1" <<'PY'
import ast, sys
gyp = ast.literal_eval(open(sys.argv[1]).read())
for value in gyp["targets"][0][sys.argv[2]]:
    print(value)
PY
}
