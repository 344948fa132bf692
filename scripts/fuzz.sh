#!/usr/bin/env bash
# Fuzzing (`npm run fuzz -- <seconds>`); see test/fuzz/README.md.
#
#   scripts/fuzz.sh [seconds]            long run (default 3600 s): every test/fuzz/*.c target in
#                                        turn, FUZZ_JOBS parallel jobs (default: the CPU count),
#                                        going on after a crash; the corpus grows in
#                                        $FUZZ_DIR/<target>/corpus, crashes land in
#                                        $FUZZ_DIR/<target>/crashes (FUZZ_DIR: zig-out/fuzz/work)
#   scripts/fuzz.sh --ci [seconds]       bounded run for scripts/test.sh (default 60 s, split
#                                        between the targets): one process per target on a temp
#                                        copy of the seed corpus, stops at the first crash;
#                                        prints `N passed, N failed` (a crashing input is kept in
#                                        zig-out/fuzz/ci-crashes/ and its path printed)
#   scripts/fuzz.sh --repro <file> [target]  run one input with FUZZ_TRACE=1 (what it does)
#
# Every mode first builds the targets (scripts/zig build fuzz: clang-14 + libFuzzer + ASan +
# UBSan; scripts/setup.sh installs clang-14 and libclang-rt-14-dev).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mode=long
if [[ "${1:-}" == "--ci" ]]; then
  mode=ci
  shift
elif [[ "${1:-}" == "--repro" ]]; then
  mode=repro
  shift
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# Options for every run. A hang never ends, so a generous timeout still catches it while
# keeping legitimate slow inputs (shmd_check on a scrambled 4000-key index under ASan can
# take seconds of CPU) from being reported as hangs on a loaded machine. Inputs stay small.
common=(-timeout=25 -rss_limit_mb=2048 -max_len=1024)

targets=()
for f in test/fuzz/*.c; do
  [[ -e "$f" ]] && targets+=("$(basename "$f" .c)")
done

fail_ci() {
  printf '%s\n' "$*"
  printf '0 passed, 1 failed\n'
  exit 1
}

if ((${#targets[@]} == 0)); then
  [[ "$mode" == ci ]] && fail_ci "no fuzz targets (test/fuzz/*.c)"
  echo "no fuzz targets (test/fuzz/*.c)" >&2
  exit 1
fi

# Segments left in /dev/shm by fuzz processes that died (a crash ends a process
# before its cleanup): remove those whose process is gone.
clean_shm() {
  local f pid
  for f in /dev/shm/shmdict.fuzz-* /dev/shm/shmdict.fuzzimg-*; do
    [[ -e "$f" ]] || continue
    pid="${f##*/shmdict.fuzz-}"
    pid="${pid##*/shmdict.fuzzimg-}"
    pid="${pid%%-*}"
    [[ "$pid" =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null && rm -f "$f"
  done
}

if ! command -v "${FUZZ_CC:-clang-14}" >/dev/null 2>&1; then
  msg="${FUZZ_CC:-clang-14} not found: run scripts/setup.sh (Debian packages clang-14, libclang-rt-14-dev)"
  [[ "$mode" == ci ]] && fail_ci "$msg"
  echo "$msg" >&2
  exit 1
fi
build_log="$(mktemp)"
if ! bash scripts/zig build fuzz -Dfuzz-cc="${FUZZ_CC:-clang-14}" >"$build_log" 2>&1; then
  cat "$build_log"
  rm -f "$build_log"
  [[ "$mode" == ci ]] && fail_ci "zig build fuzz failed"
  exit 1
fi
rm -f "$build_log"

case "$mode" in
repro)
  file="${1:?usage: scripts/fuzz.sh --repro <file> [target]}"
  target="${2:-fuzz_segment}"
  FUZZ_TRACE=1 "zig-out/fuzz/$target" "$file"
  exit $?
  ;;

ci)
  seconds="${1:-60}"
  per=$((seconds / ${#targets[@]}))
  ((per < 5)) && per=5
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"; clean_shm' EXIT
  passed=0 failed=0
  for t in "${targets[@]}"; do
    mkdir -p "$tmp/$t/corpus" "$tmp/$t/art"
    [[ -d "test/fuzz/corpus" ]] && cp test/fuzz/corpus/* "$tmp/$t/corpus/" 2>/dev/null
    printf '==> %s: %s s on a copy of test/fuzz/corpus\n' "$t" "$per"
    "zig-out/fuzz/$t" "${common[@]}" -max_total_time="$per" -print_final_stats=1 \
      -artifact_prefix="$tmp/$t/art/" "$tmp/$t/corpus" >"$tmp/$t/log" 2>&1
    rc=$?
    if ((rc == 0)); then
      grep -E '^(#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)' \
        "$tmp/$t/log" | tail -6
      passed=$((passed + 1))
    else
      # The report: from the first sanitizer / libFuzzer error line on.
      awk '/ERROR|runtime error|deadly signal|Test unit written|timeout after|fuzz_segment: /{p=1} p' \
        "$tmp/$t/log" | head -120
      mkdir -p zig-out/fuzz/ci-crashes
      for a in "$tmp/$t/art"/*; do
        [[ -e "$a" ]] || continue
        cp "$a" zig-out/fuzz/ci-crashes/
        printf 'FAIL %s: crashing input kept as %s\n' "$t" "zig-out/fuzz/ci-crashes/$(basename "$a")"
        printf '     reproduce: zig-out/fuzz/%s %s   (trace: scripts/fuzz.sh --repro %s)\n' \
          "$t" "zig-out/fuzz/ci-crashes/$(basename "$a")" "zig-out/fuzz/ci-crashes/$(basename "$a")"
      done
      printf 'FAIL %s: libFuzzer exited with status %d\n' "$t" "$rc"
      failed=$((failed + 1))
    fi
  done
  printf '%d passed, %d failed\n' "$passed" "$failed"
  ((failed == 0))
  exit $?
  ;;

long)
  seconds="${1:-3600}"
  jobs="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
  dir="${FUZZ_DIR:-$root/zig-out/fuzz/work}"
  trap 'clean_shm' EXIT
  per=$((seconds / ${#targets[@]}))
  status=0
  for t in "${targets[@]}"; do
    mkdir -p "$dir/$t/corpus" "$dir/$t/crashes"
    printf '==> %s: %s s, %s jobs; corpus %s, crashes %s\n' "$t" "$per" "$jobs" \
      "$dir/$t/corpus" "$dir/$t/crashes"
    # New inputs go to the first directory; the seed corpus is only read.
    "zig-out/fuzz/$t" "${common[@]}" -max_total_time="$per" -print_final_stats=1 \
      -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -artifact_prefix="$dir/$t/crashes/" "$dir/$t/corpus" test/fuzz/corpus
    n=$(find "$dir/$t/crashes" -type f | wc -l)
    if ((n > 0)); then
      printf '==> %s: %d crashing inputs in %s (minimize one: zig-out/fuzz/%s -minimize_crash=1 -runs=10000 -exact_artifact_path=<out> <file>)\n' \
        "$t" "$n" "$dir/$t/crashes" "$t"
      status=1
    else
      printf '==> %s: no crash\n' "$t"
    fi
  done
  exit $status
  ;;
esac
