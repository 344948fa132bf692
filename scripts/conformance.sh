#!/usr/bin/env bash
# The conformance stage on its own, under Deno and then Bun (`npm run conformance`):
# test/conformance/run.ts starts a private redis-server, runs the conformance suite against
# shmdict and against Redis, then the randomized differential test.
#
#   bash scripts/conformance.sh                      # as in `npm test` (20,000 random commands)
#   bash scripts/conformance.sh --commands 100000    # the full differential run
#   bash scripts/conformance.sh --seed 1234          # replay a reported seed
#   bash scripts/conformance.sh --divergences 50     # keep going past divergences, list up to 50
#   bash scripts/conformance.sh --only "incrbyfloat" # only the suite's cases whose name has this
#   bash scripts/conformance.sh --servers redis      # the suite against Redis alone (or shmdict)
#
# Arguments go to both runs. Ends with `N passed, N failed` (the sum of both runtimes); the
# exit status is non-zero if either run failed.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

deno="$root/node_modules/.bin/deno"
bun="$root/node_modules/.bin/bun"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

status=0
printf '==> conformance-deno\n'
"$deno" run -A test/conformance/run.ts "$@" 2>&1 | tee "$log"
((PIPESTATUS[0] == 0)) || status=1
printf '\n==> conformance-bun\n'
"$bun" test/conformance/run.ts "$@" 2>&1 | tee -a "$log"
((PIPESTATUS[0] == 0)) || status=1

lines="$(tr -d '\r' < "$log" | grep -E '^[0-9]+ passed, [0-9]+ failed$' || true)"
passed=$(awk '{s += $1} END {print s + 0}' <<< "$lines")
failed=$(awk '{s += $3} END {print s + 0}' <<< "$lines")
if ((status != 0 && failed == 0)); then failed=1; fi
printf '\n%s passed, %s failed\n' "$passed" "$failed"
exit "$status"
