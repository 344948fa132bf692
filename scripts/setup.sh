#!/usr/bin/env bash
# One-time (and safely repeatable) set-up for a fresh Debian machine, root or not:
#   - Debian packages that are missing: python3 + venv, node + npm, a C compiler with
#     ASan/UBSan (gcc), redis-server, clang-14 + libclang-rt-14-dev (libFuzzer, for
#     `zig build fuzz`) (needs root or sudo; skipped with a warning otherwise)
#   - .tools/venv with ziglang==<.zig-version> from PyPI (used by scripts/zig)
#   - node_modules (npm ci, or npm install when there is no package-lock.json)
#   - the library itself (scripts/zig build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '==> %s\n' "$*"; }
warn() { printf '==> WARNING: %s\n' "$*" >&2; }

zig_version="$(tr -d '[:space:]' < .zig-version)"
venv="$root/.tools/venv"

# ---- Debian packages -----------------------------------------------------------------
can_root=0
if [[ "$(id -u)" -eq 0 ]]; then
  can_root=1
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  can_root=1
fi
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo -n "$@"; fi
}

pkgs=()
command -v python3 >/dev/null 2>&1 || pkgs+=(python3)
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  pkgs+=(python3-venv)
fi
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
command -v cc >/dev/null 2>&1 || pkgs+=(gcc libc6-dev)
command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
# libFuzzer targets (zig build fuzz): clang-14 and its fuzzer/sanitizer runtimes.
command -v clang-14 >/dev/null 2>&1 || pkgs+=(clang-14)
if command -v dpkg-query >/dev/null 2>&1; then
  dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q 'ok installed' ||
    pkgs+=(libclang-rt-14-dev)
fi

if ((${#pkgs[@]})); then
  if ((!can_root)); then
    warn "not root and no password-less sudo: not installing ${pkgs[*]}"
  elif ! command -v apt-get >/dev/null 2>&1; then
    warn "apt-get not found (not Debian?): install ${pkgs[*]} yourself"
  else
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    say "apt-get install ${pkgs[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  fi
else
  say "system packages present (python3, npm, cc, redis-server, clang-14, libclang-rt-14-dev)"
fi

# ---- Zig (PyPI ziglang) in .tools/venv --------------------------------------------------
if [[ ! -x "$venv/bin/python" ]]; then
  say "creating Python venv in .tools/venv"
  mkdir -p "$root/.tools"
  python3 -m venv "$venv"
fi
have_zig="$("$venv/bin/python" -m pip show ziglang 2>/dev/null | sed -n 's/^Version: //p' || true)"
if [[ "$have_zig" != "$zig_version" ]]; then
  say "pip install ziglang==$zig_version"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "ziglang==$zig_version"
else
  say "ziglang $zig_version already in .tools/venv"
fi

# ---- npm dev dependencies (deno, bun, ...) ----------------------------------------------
if [[ -f package-lock.json ]]; then
  say "npm ci"
  npm_log="$(mktemp)"
  if ! npm ci --no-audit --no-fund 2>"$npm_log"; then
    # npm ci rejects lock files whose optional per-platform packages were pruned, even
    # though npm install keeps such a lock unchanged; install from it the other way.
    warn "npm ci failed ($(grep -m1 -E 'npm (error|ERR!) [A-Z`]' "$npm_log" || echo 'no error line')); trying npm install"
    npm install --no-audit --no-fund
  fi
  rm -f "$npm_log"
else
  say "npm install"
  npm install --no-audit --no-fund
fi

# ---- build ------------------------------------------------------------------------------
say "zig build ($("$root/scripts/zig" version))"
"$root/scripts/zig" build

say "setup done: zig-out/lib contains $(ls zig-out/lib 2>/dev/null | tr '\n' ' ')"
