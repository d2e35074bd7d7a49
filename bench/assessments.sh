#!/usr/bin/env bash
# HTTP benchmark of assessments (issue #4). Starts a release build on SQLite with the demo
# data, starts a CAF-aligned DSPT 2025-26 assessment (47 outcomes) for the trust with 241
# stored answers (all 47 outcomes assessed and 194 indicator statements ticked) and 300
# evidence items linked to its outcomes, then measures with wrk -t2 -c16 (the peer figure's
# load), in one run:
#   1. GET /healthz                                            (baseline: no database, no auth)
#   2. GET /api/v1/orgs/{org}/assessments/{id}/answers          (the 241 answers, bearer token)
#   3. GET /orgs/{org}/assessments/{id}                         (the assessment page, session)
# and the server's peak resident memory. Usage: bench/assessments.sh [seconds, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet -p hygeia
bin=target/release/hygeia
data=$(mktemp -d)
port=18081
base="http://127.0.0.1:$port"
HYGEIA_LOG=warn $bin --data-dir "$data" serve --demo --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done
awk '/VmHWM|VmRSS/ {printf "%s %.1f MiB  ", $1, $2/1024}' /proc/$pid/status >&2; echo " (after start-up)" >&2

jar="$data/cookies"
curl -fs -c "$jar" -o /dev/null -d "email=security@riverside.example&password=hygeia-demo-2026" "$base/sign-in"
cookie=$(awk '/hygeia_session/ {print $6"="$7}' "$jar")
token=$($bin --data-dir "$data" token create --email security@riverside.example --name bench --write)
api() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
org=$(api "$base/api/v1/orgs" | python3 -c 'import json,sys; d=json.load(sys.stdin); print([i["org"]["id"] for i in d["items"] if i["org"]["ods_code"]=="RVX"][0])')
caf=$(api "$base/api/v1/frameworks" | python3 -c 'import json,sys; d=json.load(sys.stdin); print([f["id"] for f in d if f["key"]=="dspt-caf" and f["version"]=="2025-26"][0])')
id=$(api -X POST "$base/api/v1/orgs/$org/assessments" -d "{\"framework_id\":\"$caf\",\"title\":\"Benchmark\",\"period\":\"2025-26\",\"profile\":\"nhs-england-2025-26\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["assessment"]["id"])')
api "$base/api/v1/frameworks/dspt-caf/2025-26" >"$data/caf.json"
body=$(python3 - "$data/caf.json" <<'PY'
import json, sys
nodes = json.load(open(sys.argv[1]))["framework"]["nodes"]
outcomes = [n["ref_id"] for n in nodes if n["answer"] == "caf_grade"]
statements = [n["ref_id"] for n in nodes if n["answer"] == "statement" and n.get("level") != "NA"][:241 - len(outcomes)]
answers = [{"ref_id": o, "value": "assessed", "narrative": "Benchmark narrative for " + o, "owner": "Security lead"} for o in outcomes]
answers += [{"ref_id": s, "value": "true"} for s in statements]
print(json.dumps({"row_version": 1, "answers": answers}))
PY
)
echo "$body" >"$data/answers.json"
api -X PUT "$base/api/v1/orgs/$org/assessments/$id/answers" -d "@$data/answers.json" -o /dev/null
outcomes=$(python3 -c 'import json,sys; print(" ".join(n["ref_id"] for n in json.load(open(sys.argv[1]))["framework"]["nodes"] if n["answer"]=="caf_grade"))' "$data/caf.json")
read -ra outcome_list <<<"$outcomes"
for i in $(seq 300); do
  o=${outcome_list[$(( i % ${#outcome_list[@]} ))]}
  curl -fsS -H "Authorization: Bearer $token" -F "title=Evidence $i" -F "url=https://intranet.example/evidence/$i" "$base/api/v1/orgs/$org/evidence" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' >"$data/e"
  api -X POST "$base/api/v1/orgs/$org/evidence/$(cat "$data/e")/links" -d "{\"target\":\"requirement\",\"target_id\":\"dspt-caf:$o\"}" -o /dev/null
done
rss() { awk '/VmHWM|VmRSS/ {printf "%s %.1f MiB  ", $1, $2/1024}' /proc/$pid/status; echo; }
echo "after seeding: $(rss)" >&2
count=$(api "$base/api/v1/orgs/$org/assessments/$id/answers" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

run() { # name, then wrk arguments
  local name=$1; shift
  local out
  out=$(wrk -t2 -c16 -d"${secs}s" --latency "$@")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}')"
echo "dataset: demo data plus one CAF-aligned DSPT 2025-26 assessment (47 outcomes) with $count stored answers and 300 linked evidence items; SQLite, release build, wrk -t2 -c16 -d${secs}s"
echo
echo "| endpoint | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
seeded_peak=$(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)
# Reset the high-water mark, so the peak below is the serving's alone (sign-in's Argon2id,
# 46 MiB by design, is what set the peak so far).
echo 5 >/proc/$pid/clear_refs
run "GET /healthz (baseline)" "$base/healthz"
run "GET /api/v1/orgs/{org}/assessments/{id}/answers ($count answers, token)" -H "Authorization: Bearer $token" "$base/api/v1/orgs/$org/assessments/$id/answers"
echo "after the answers run: $(rss)" >&2
run "GET /orgs/{org}/assessments/{id} (page, session)" -H "Cookie: $cookie" "$base/orgs/$org/assessments/$id"
echo
echo "peak RSS of the server while serving the runs: $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status) (start-up, demo seeding and sign-in before them: $seeded_peak)"
