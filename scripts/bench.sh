#!/usr/bin/env bash
# Benchmarks (`npm run bench`). Stages, in order:
#   build     scripts/zig build (the library the benchmarks load; ReleaseFast by default)
#   redis     a private redis-server on 127.0.0.1, a free port, no persistence, its own
#             temp dir, in the foreground of a background job; stopped on exit (trap)
#   core      bench/core.bench.ts under Deno, then Bun  → bench/results/<runtime>.json
#   containers bench/containers.bench.ts under Deno, then Bun (hashes, lists, sets, sorted sets
#             vs Redis; blpop latency across processes) → bench/results/containers-<runtime>.json
#   profile   bench/profile.bench.ts under Deno, then Bun → bench/results/profile-<runtime>.json
#   report    bench/report.ts (Deno) → bench/RESULTS.md
# Settings pass through the environment (see bench/support/env.ts): BENCH_TIME (ms per task,
# default 500), BENCH_WARMUP, BENCH_ONLY (e.g. "shmdict,lmdb,get"), BENCH_DIR (where lmdb-js and
# SQLite keep their files; default the OS temp dir). Exits non-zero if any stage failed (a
# correctness check inside a benchmark counts); RESULTS.md is written from whatever finished.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '==> %s\n' "$*"; }
die() {
  printf '==> ERROR: %s\n' "$*" >&2
  exit 1
}

deno="$root/node_modules/.bin/deno"
bun="$root/node_modules/.bin/bun"
[[ -x "$deno" && -x "$bun" ]] || die "deno/bun not found in node_modules/.bin: run \`npm run setup\`"
[[ -d node_modules/tinybench && -d node_modules/lmdb && -d node_modules/ioredis ]] ||
  die "benchmark dependencies missing from node_modules: run \`npm run setup\`"
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  die "redis-server (and redis-cli) not found: run \`npm run setup\`, which installs Debian's redis-server"
fi

# ---- build -------------------------------------------------------------------------------
say "building the library (scripts/zig build)"
bash scripts/zig build

# ---- a private Redis -----------------------------------------------------------------------
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
  if redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then break; fi
  say "redis-server did not answer on port $redis_port (attempt $attempt); its log:"
  tail -n 5 "$tmp/redis.log" 2>/dev/null || true
  stop_redis
  [[ $attempt -lt 3 ]] || die "could not start redis-server"
done
say "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$redis_port (pid $redis_pid, no persistence)"
export BENCH_REDIS_PORT="$redis_port"

# ---- the benchmarks ----------------------------------------------------------------------------
mkdir -p bench/results
rm -f bench/results/deno.json bench/results/bun.json \
  bench/results/profile-deno.json bench/results/profile-bun.json \
  bench/results/containers-deno.json bench/results/containers-bun.json

status=0
run() {
  local what="$1"
  shift
  say "$what"
  if ! "$@"; then
    say "FAILED: $what"
    status=1
  fi
}
run "deno: core benchmark (bench/core.bench.ts)" "$deno" run -A bench/core.bench.ts
run "bun: core benchmark (bench/core.bench.ts)" "$bun" bench/core.bench.ts
run "deno: containers benchmark (bench/containers.bench.ts)" "$deno" run -A bench/containers.bench.ts
run "bun: containers benchmark (bench/containers.bench.ts)" "$bun" bench/containers.bench.ts
stop_redis
run "deno: profile (bench/profile.bench.ts)" "$deno" run -A bench/profile.bench.ts
run "bun: profile (bench/profile.bench.ts)" "$bun" bench/profile.bench.ts

# ---- the report ------------------------------------------------------------------------------
run "writing bench/RESULTS.md (bench/report.ts)" "$deno" run -A bench/report.ts
exit "$status"
