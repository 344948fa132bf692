#!/usr/bin/env bash
# Benchmarks (`npm run bench`), with a progress display: every stage is announced with a
# counter (`==> [3/14] deno: growth (bench/growth.bench.ts)`), ends with its status and
# elapsed time, and a summary table (stage, status, seconds) closes the run.
#
#   npm run bench                     every suite, then the report
#   npm run bench -- core growth      only those suites, then the report
#   BENCH_SUITES="core,growth" npm run bench     the same
#   npm run bench -- --list           the suites and whether their files exist
#
# Stages, in order:
#   build      scripts/zig build (the library the benchmarks load; ReleaseFast by default)
#   redis      a private redis-server on 127.0.0.1, a free port, no persistence, its own temp
#              dir, in the foreground of a background job; started only when a selected suite
#              needs it, stopped after the last one that does and on exit (trap)
#   <suite>    bench/<suite>.bench.ts under Deno, then under Bun, for each suite in SUITES
#              order: the ones that need Redis first (core, containers, memory, mixed), then
#              restart, growth, shared, scaling, readers, profile, floor, then any other
#              bench/*.bench.ts alphabetically. `floor` is C, run once: bench/c/floor.c
#              through `scripts/zig build bench -Dbench-only=floor` (with and without the
#              journal), writing bench/results/floor.json and floor-nojournal.json. A suite writes bench/results/<suite>-<runtime>.json
#              (core: <runtime>.json), removed before it runs so that a failed run leaves no
#              stale figures. A suite whose file does not exist (yet) is skipped with a note.
#   report     bench/report.ts (Deno) → bench/RESULTS.md and bench/charts/*.svg; always runs
# Settings pass through the environment (see bench/support/env.ts): BENCH_TIME (ms per task,
# default 300), BENCH_WARMUP, BENCH_ROUNDS, BENCH_ONLY (e.g. "shmdict,lmdb,get"), BENCH_DIR
# (where lmdb-js and SQLite keep their files; default the OS temp dir); each suite may read more
# (see its file). Exits non-zero if any stage failed (a correctness check inside a benchmark
# counts); RESULTS.md is written from whatever results exist.
# The functions run through `stage` and the EXIT trap look unreachable to shellcheck.
# shellcheck disable=SC2317
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '==> %s\n' "$*"; }
die() {
  printf '==> ERROR: %s\n' "$*" >&2
  exit 1
}

# ---- the suites -----------------------------------------------------------------------------
# Known suites in run order; those in NEEDS_REDIS run while the private Redis is up.
SUITES=(core containers memory mixed restart growth shared scaling readers profile floor)
NEEDS_REDIS=" core containers memory mixed "
C_SUITES=" floor " # bench/c/<suite>.c, run once by zig build bench, not per runtime

is_c() { [[ "$C_SUITES" == *" $1 "* ]]; }
suite_file() { if is_c "$1"; then printf 'bench/c/%s.c' "$1"; else printf 'bench/%s.bench.ts' "$1"; fi; }
needs_redis() { [[ "$NEEDS_REDIS" == *" $1 "* ]]; }
is_known() { [[ " ${SUITES[*]} " == *" $1 "* ]]; }

# Any other bench/*.bench.ts runs after the known ones.
for f in bench/*.bench.ts; do
  [[ -e "$f" ]] || continue
  s="$(basename "$f" .bench.ts)"
  is_known "$s" || SUITES+=("$s")
done

usage() {
  printf 'usage: npm run bench [-- SUITE...]   (or BENCH_SUITES="SUITE,...")\n'
  printf 'suites, in run order (* needs Redis):\n'
  local s
  for s in "${SUITES[@]}"; do
    printf '  %-11s %s %s\n' "$s" "$(needs_redis "$s" && echo '*' || echo ' ')" \
      "$([[ -f "$(suite_file "$s")" ]] && suite_file "$s" || echo "(no $(suite_file "$s") yet)")"
  done
}

selected=()
if (($# > 0)); then
  case "$1" in
    -h | --help | --list)
      usage
      exit 0
      ;;
  esac
  selected=("$@")
elif [[ -n "${BENCH_SUITES:-}" ]]; then
  read -r -a selected <<<"${BENCH_SUITES//,/ }"
fi
if ((${#selected[@]} > 0)); then
  for s in "${selected[@]}"; do
    is_known "$s" || {
      usage >&2
      die "unknown suite \"$s\""
    }
  done
  run_suites=()
  for s in "${SUITES[@]}"; do
    [[ " ${selected[*]} " == *" $s "* ]] && run_suites+=("$s")
  done
else
  run_suites=("${SUITES[@]}")
fi

# ---- tools ------------------------------------------------------------------------------------
deno="$root/node_modules/.bin/deno"
bun="$root/node_modules/.bin/bun"
[[ -x "$deno" && -x "$bun" ]] || die "deno/bun not found in node_modules/.bin: run \`npm run setup\`"
[[ -d node_modules/tinybench && -d node_modules/lmdb && -d node_modules/ioredis ]] ||
  die "benchmark dependencies missing from node_modules: run \`npm run setup\`"
want_redis=0
for s in "${run_suites[@]}"; do
  if needs_redis "$s" && [[ -f "$(suite_file "$s")" ]]; then want_redis=1; fi
done
if ((want_redis)) && { ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; }; then
  die "redis-server (and redis-cli) not found: run \`npm run setup\`, which installs Debian's redis-server"
fi

# ---- the progress display -------------------------------------------------------------------
# build, redis (when wanted), two runtimes per suite (one stage per C suite), the report.
total=$((1 + want_redis + 1))
for s in "${run_suites[@]}"; do
  if is_c "$s"; then total=$((total + 1)); else total=$((total + 2)); fi
done
n=0
status=0
rows=()
now_ms() { date +%s%3N; }
secs() { printf '%d.%d' $(($1 / 1000)) $((($1 % 1000) / 100)); }
record() { rows+=("$(printf '%-24s %-22s %8s' "$1" "$2" "$3")"); }

# stage NAME DESCRIPTION COMMAND...: announce, run, time, record; a failure is recorded, not fatal.
stage() {
  local name="$1" what="$2"
  shift 2
  n=$((n + 1))
  say "[$n/$total] $name: $what"
  local t0 t rc=0
  t0="$(now_ms)"
  "$@" || rc=$?
  t="$(secs $(($(now_ms) - t0)))"
  if ((rc == 0)); then
    say "[$n/$total] $name: ok in $t s"
    record "$name" ok "$t"
  else
    say "[$n/$total] $name: FAILED (exit $rc) after $t s"
    record "$name" "FAILED (exit $rc)" "$t"
    status=1
  fi
}

# skip NAME WHY: a stage that does not run.
skip() {
  n=$((n + 1))
  say "[$n/$total] $1: skipped: $2"
  record "$1" skipped "-"
}

summary() {
  printf '\n==> summary\n'
  printf '%-24s %-22s %8s\n' stage status seconds
  printf '%s\n' "${rows[@]}"
}

# ---- build ------------------------------------------------------------------------------------
stage build "the library (scripts/zig build)" bash scripts/zig build
if ((status != 0)); then
  summary
  die "the build failed"
fi

# ---- a private Redis --------------------------------------------------------------------------
# A port nobody listens on: ask the kernel (python3), else probe random ports.
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  die "no free port found"
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/shmdict-bench.XXXXXX")"
redis_pid=""
redis_port=""
stop_redis() {
  if [[ -n "$redis_pid" ]] && kill -0 "$redis_pid" 2>/dev/null; then
    redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    say "redis-server stopped"
  fi
  redis_pid=""
}
cleanup() {
  stop_redis
  rm -rf "$tmp"
}
trap cleanup EXIT

start_redis() {
  local attempt
  for attempt in 1 2 3; do
    redis_port="$(free_port)"
    redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
      --dir "$tmp" --daemonize no --protected-mode yes --logfile "$tmp/redis.log" &
    redis_pid=$!
    for _ in $(seq 1 50); do
      if redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then break; fi
      kill -0 "$redis_pid" 2>/dev/null || break
      sleep 0.1
    done
    if redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
      say "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$redis_port (pid $redis_pid, no persistence)"
      export BENCH_REDIS_PORT="$redis_port"
      return 0
    fi
    say "redis-server did not answer on port $redis_port (attempt $attempt); its log:"
    tail -n 5 "$tmp/redis.log" 2>/dev/null || true
    stop_redis
  done
  return 1
}

# ---- the benchmarks ---------------------------------------------------------------------------
mkdir -p bench/results

# result_file SUITE RUNTIME: where the suite leaves its figures.
result_file() {
  if [[ "$1" == core ]]; then
    printf 'bench/results/%s.json' "$2"
  else
    printf 'bench/results/%s-%s.json' "$1" "$2"
  fi
}

# The suites needing Redis come first in SUITES; stop it after the last of them.
last_redis=""
redis_tried=0
for s in "${run_suites[@]}"; do
  if needs_redis "$s" && [[ -f "$(suite_file "$s")" ]]; then last_redis="$s"; fi
done

for s in "${run_suites[@]}"; do
  file="$(suite_file "$s")"
  if is_c "$s"; then
    rm -f "bench/results/$s.json" "bench/results/$s-nojournal.json"
    if [[ -f "$file" ]]; then
      stage "c: $s" "$file (scripts/zig build bench -Dbench-only=$s)" \
        env BENCH_FLOOR_DIR="$root/bench/results" bash scripts/zig build bench "-Dbench-only=$s"
    else
      skip "c: $s" "no $file (yet)"
    fi
    continue
  fi
  if [[ ! -f "$file" ]]; then
    skip "deno: $s" "no $file (yet)"
    skip "bun: $s" "no $file (yet)"
    continue
  fi
  if needs_redis "$s" && ((!redis_tried)); then
    redis_tried=1
    stage redis "a private redis-server on 127.0.0.1" start_redis
    # Without Redis the suites still run (they skip Redis, with a message).
  fi
  rm -f "$(result_file "$s" deno)"
  stage "deno: $s" "$file" "$deno" run -A "$file"
  rm -f "$(result_file "$s" bun)"
  stage "bun: $s" "$file" "$bun" "$file"
  if [[ "$s" == "$last_redis" ]]; then
    stop_redis
    unset BENCH_REDIS_PORT
  fi
done

# ---- the report -------------------------------------------------------------------------------
stage report "bench/RESULTS.md and bench/charts/ (bench/report.ts)" "$deno" run -A bench/report.ts

summary
exit "$status"
