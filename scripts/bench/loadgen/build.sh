#!/usr/bin/env bash
# Builds the benchmark's load generator, dist/loadgen/weft-loadgen, from weft-loadgen.c.
# Does nothing when the binary is newer than the source and this script (--force rebuilds).
# Used by scripts/setup.sh and by the bench when the binary is missing or stale.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
src="$here/weft-loadgen.c"
out="${WEFT_LOADGEN_OUT:-$root/dist/loadgen/weft-loadgen}"

if [[ "${1:-}" != "--force" && -x "$out" && "$out" -nt "$src" && "$out" -nt "${BASH_SOURCE[0]}" ]]; then
  exit 0
fi

# Proton's split libraries when their pkg-config files exist; Debian's -dev package ships only
# libqpid-proton (core + proactor in one library), which serves the same API.
if pkg-config --exists libqpid-proton-proactor libqpid-proton-core 2>/dev/null; then
  flags="$(pkg-config --cflags --libs libqpid-proton-proactor libqpid-proton-core)"
elif pkg-config --exists libqpid-proton 2>/dev/null; then
  flags="$(pkg-config --cflags --libs libqpid-proton)"
else
  flags="-lqpid-proton"
fi

mkdir -p "$(dirname "$out")"
# Build beside the target and rename, so a running bench never sees a half-written binary.
# shellcheck disable=SC2086 # $flags is a list of compiler flags
gcc -std=c11 -O2 -g -Wall -Wextra -Werror -o "$out.tmp" "$src" $flags
mv -f "$out.tmp" "$out"
echo "built $out"
