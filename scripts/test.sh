#!/usr/bin/env bash
# Runs every check and test of Hygeia on a fresh machine: installs what is missing (PostgreSQL
# and Chromium from Debian, node packages with npm ci), starts a throwaway PostgreSQL on
# loopback, then runs formatting, lints, the Rust tests on SQLite and PostgreSQL, and the
# browser tests. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

log "starting a throwaway PostgreSQL"
pgbin=$(pg_bin)
pgdir=$(mktemp -d /tmp/hygeia-pg.XXXXXX)
pgport=${HYGEIA_TEST_PG_PORT:-55432}
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
run_pg "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
cleanup() { run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
trap cleanup EXIT
export HYGEIA_TEST_POSTGRES="postgres://postgres@127.0.0.1:$pgport/postgres"
export HYGEIA_TEST_REQUIRE_POSTGRES=1

log "cargo fmt --check"
cargo fmt --all --check

log "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

log "Rust tests (SQLite and PostgreSQL)"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast --status-level fail --final-status-level fail
else
  cargo test --workspace --no-fail-fast
fi

log "browser tests (Debian chromium, playwright-core, node --test)"
# The Rust tests above built target/debug/hygeia (the CLI tests run it). Building it again with
# `cargo build -p hygeia` would resolve features without the dev-dependencies and compile a
# second copy of sqlx and friends: minutes and gigabytes on a fresh CI machine.
[ -x target/debug/hygeia ] || cargo build --quiet -p hygeia
(cd e2e && npm ci --no-audit --no-fund --silent)
HYGEIA_BIN="$root/target/debug/hygeia" node --test --test-concurrency=1 e2e/
