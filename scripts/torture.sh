#!/usr/bin/env bash
# SIGKILL torture (`npm run torture -- [options]`); the program is test/c/torture.c.
#
#   scripts/torture.sh [options]   long mode: --kills 100000 --seconds 7200 unless given
#   scripts/torture.sh --ci        the CI size, run by scripts/test.sh as its own stage:
#                                  --kills $SHMD_TORTURE_KILLS (default 10000)
#                                  --seconds $SHMD_TORTURE_SECONDS (default 240: a bound; a
#                                  quiet 2-CPU machine does 10,000 kills in 60-120 s)
#
# Options (passed to the program, later ones win): --kills N, --seconds S (stop at whichever
# comes first), --min-kills N (fewer is a failure; default: --kills), --writers W (4),
# --readers R (4), --gap-us U (max pause between kills, 3000), --seed X, --reader-kills PCT
# (2), --reader-nice N (5), --quiet.
#
# `zig build test` also builds and runs the program, without arguments: a smoke run of 300
# kills, under both the Zig build and the ASan/UBSan build. Here it is built on its own with
# the pinned Zig at -O3 (as the ReleaseFast test build) into zig-out/test/torture.
# The output ends with `N passed, N failed`.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

args=(--kills 100000 --seconds 7200)
if [[ "${1:-}" == "--ci" ]]; then
  shift
  args=(--kills "${SHMD_TORTURE_KILLS:-10000}" --seconds "${SHMD_TORTURE_SECONDS:-240}" --quiet)
fi

out="zig-out/test"
mkdir -p "$out"
srcs=(src/*.c)
if ! bash scripts/zig cc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -UNDEBUG -O3 -Isrc \
  "${srcs[@]}" test/c/torture.c -o "$out/torture" -lpthread -lm; then
  printf 'cannot build test/c/torture.c\n0 passed, 1 failed\n'
  exit 1
fi

# Segments left by an earlier run that died (its killer process is gone).
for f in /dev/shm/shmdict.torture-*; do
  [[ -e "$f" ]] || continue
  pid="${f##*/shmdict.torture-}"
  [[ "$pid" =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null && rm -f "$f"
done

exec "$out/torture" "${args[@]}" "$@"
