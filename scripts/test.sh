#!/usr/bin/env bash
# Full test run (`npm test`). Stages, in order:
#   build       scripts/zig build                      (the shared library)
#   c-tests     scripts/zig build test                 (test/c/*.c: Zig build + cc ASan/UBSan build)
#   torture     scripts/torture.sh --ci                (test/c/torture.c: SIGKILL torture, 10,000 kills
#               among 4 writers and 4 readers, at most 240 s: 60-120 s on 2 quiet CPUs;
#               SHMD_TORTURE_KILLS / SHMD_TORTURE_SECONDS change it, SHMD_TORTURE_KILLS=0 skips it)
#   fuzz        scripts/fuzz.sh --ci $SHMD_FUZZ_SECONDS (test/fuzz/*.c libFuzzer targets, default
#               60 s in all, on a temp copy of test/fuzz/corpus; a crash is kept in
#               zig-out/fuzz/ci-crashes/; SHMD_FUZZ_SECONDS=0 skips the stage)
#   deno-check  deno check   on lib/ ffi/ test/ bench/ (directories holding .ts files only)
#   deno-lint   deno lint    on the same directories
#   deno-doc    deno doc --lint on the public entry points (lib/mod.ts, ffi/mod.ts): every
#               export documented, with explicit types
#   ts-deno     deno run -A test/run.ts [filters]
#   ts-bun      bun test/run.ts [filters]
#   conformance-deno / conformance-bun
#               test/conformance/run.ts: the conformance suite against shmdict and a private
#               redis-server, and the randomized differential test (see that file's options)
# Arguments to this script are passed to both TS runs as file-name filters.
#
# Counting convention: every test program prints, as its last line, exactly
#     N passed, N failed
# (the TS harness does; each test/c/*.c program must do the same). A stage's counts are the
# sum of all such lines in its output. A stage that prints no such line counts as 1 passed
# or 1 failed by its exit status; a stage that exits non-zero although its lines report no
# failure gets 1 extra failed. Every stage runs even if an earlier one failed. The last
# line of the output is the grand total, `N passed, N failed`; the exit status is non-zero
# if anything failed.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

deno="$root/node_modules/.bin/deno"
bun="$root/node_modules/.bin/bun"
logdir="$(mktemp -d)"
trap 'rm -rf "$logdir"' EXIT

total_passed=0
total_failed=0
summary=()

# stage <name> <command...>: run, echo output, count, record.
stage() {
  local name="$1"
  shift
  local log="$logdir/$name.log"
  printf '\n==> %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}

  local lines p f
  lines="$(tr -d '\r' < "$log" | grep -E '^[0-9]+ passed, [0-9]+ failed$' || true)"
  if [[ -n "$lines" ]]; then
    p=$(awk '{s += $1} END {print s + 0}' <<< "$lines")
    f=$(awk '{s += $3} END {print s + 0}' <<< "$lines")
    if ((rc != 0 && f == 0)); then f=1; fi
  elif ((rc == 0)); then
    p=1 f=0
  else
    p=0 f=1
  fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
  local status="ok"
  ((rc == 0)) || status="FAIL (exit $rc)"
  summary+=("$(printf '%-11s %-16s %s passed, %s failed' "$name" "$status" "$p" "$f")")
}

ts_dirs=()
for d in lib ffi test bench; do
  if [[ -d "$d" ]] && [[ -n "$(find "$d" -name '*.ts' -print -quit)" ]]; then ts_dirs+=("$d"); fi
done

stage build bash scripts/zig build
stage c-tests bash scripts/zig build test
if [[ "${SHMD_TORTURE_KILLS:-10000}" != 0 ]]; then
  stage torture bash scripts/torture.sh --ci
fi
if [[ "${SHMD_FUZZ_SECONDS:-60}" != 0 ]]; then
  stage fuzz bash scripts/fuzz.sh --ci "${SHMD_FUZZ_SECONDS:-60}"
fi
if ((${#ts_dirs[@]})); then
  stage deno-check "$deno" check "${ts_dirs[@]}"
  stage deno-lint "$deno" lint "${ts_dirs[@]}"
  stage deno-doc "$deno" doc --lint lib/mod.ts ffi/mod.ts
fi
stage ts-deno "$deno" run -A test/run.ts "$@"
stage ts-bun "$bun" test/run.ts "$@"
stage conformance-deno "$deno" run -A test/conformance/run.ts
stage conformance-bun "$bun" test/conformance/run.ts

printf '\n==> summary\n'
printf '%s\n' "${summary[@]}"
printf '%s passed, %s failed\n' "$total_passed" "$total_failed"
((total_failed == 0))
