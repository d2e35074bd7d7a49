#!/usr/bin/env bash
# HTTP benchmark of the platform foundation (issue: platform foundation). Starts a release
# build on SQLite with the demo data and measures, in one run, with wrk at 64 connections:
#   1. GET /healthz                              (the baseline: no database, no auth)
#   2. GET /orgs/{id}/members                    (an authenticated HTML page, session cookie)
#   3. GET /api/v1/orgs/{id}/members             (an authenticated API list, bearer token)
# and the server's peak resident memory. Usage: bench/http.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet -p hygeia
bin=target/release/hygeia
data=$(mktemp -d)
port=18080
base="http://127.0.0.1:$port"
HYGEIA_LOG=warn $bin --data-dir "$data" serve --demo --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done

# A session for the security lead (no MFA needed) and a read-only API token for the same account.
jar="$data/cookies"
curl -fs -c "$jar" -o /dev/null -d "email=security@riverside.example&password=hygeia-demo-2026" "$base/sign-in"
cookie=$(awk '/hygeia_session/ {print $6"="$7}' "$jar")
token=$($bin --data-dir "$data" token create --email security@riverside.example --name bench)
org=$(curl -fs -H "Authorization: Bearer $token" "$base/api/v1/orgs" | python3 -c 'import json,sys; d=json.load(sys.stdin); print([i["org"]["id"] for i in d["items"] if i["org"]["ods_code"]=="RVX"][0])')

run() { # name, then wrk arguments
  local name=$1; shift
  local out
  out=$(wrk -t2 -c64 -d"${secs}s" --latency "$@")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}')"
echo "dataset: demo (8 organisations, 13 accounts), SQLite, release build, wrk -t2 -c64 -d${secs}s"
echo
echo "| endpoint | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
run "GET /healthz (baseline)" "$base/healthz"
run "GET /orgs/{id}/members (HTML, session)" -H "Cookie: $cookie" "$base/orgs/$org/members"
run "GET /api/v1/orgs/{id}/members (API, token)" -H "Authorization: Bearer $token" "$base/api/v1/orgs/$org/members"
echo
echo "peak RSS of the server: $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)"
