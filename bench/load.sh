#!/usr/bin/env bash
# Load test of `corridor serve` (issue 12, "A harness that keeps it fixed"; outside CI):
# wrk (Debian) for DURATION seconds (default 60) at CONNECTIONS (default 64) on loopback against
#   1. an authenticated list route      GET  /api/v1/incidents?limit=50          (bearer token)
#   2. a marked-read route              GET  /api/v1/incidents/{an AMBER report} (audited read)
#   3. sign-in                          POST /api/v1/auth/login                  (Argon2id)
# over the real UCDP GED Pakistan data, on the release build. Prints p50/p99 latency, requests,
# non-2xx answers and socket errors per route, and the server's RSS before and after each
# route, as Markdown rows for docs/reliability.md.
#
#   bench/load.sh [DURATION] [CONNECTIONS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
duration="${1:-60}"
connections="${2:-64}"
data="${CORRIDOR_DATA:-$root/../shared/data}"
command -v wrk >/dev/null || { echo "load: wrk is missing (bash scripts/setup.sh --bench)" >&2; exit 1; }

source bench/lib.sh
bench_build
work="$root/build/bench/load"
rm -rf "$work"
mkdir -p "$work"
db="$work/load.db"
c() { "$corridor" --db "$db" "$@"; }

c orgs add PK-A --own --trust-group bilateral >/dev/null
c ingest --format ucdp-ged --rejects "$work/rejects.csv" "$data/ucdp-ged-pakistan/pakistan.csv" >/dev/null
password='a long enough password'
echo "$password" | c users add load-analyst --org PK-A --role analyst >/dev/null
echo "$password" | c users add load-guard --org PK-A --role site-security >/dev/null
analyst_token=$(c tokens create load-analyst | tail -1)
guard_token=$(c tokens create load-guard | tail -1)

trap 'kill ${serve:-} 2>/dev/null || true' EXIT
bench_serve "$db" "$work/serve.log" "$work/serve.err"
url="http://127.0.0.1:$port"

# One AMBER report of PK-A, filed by the analyst's token; the guard's reads of it are audited.
amber=$(curl -sf -H "Authorization: Bearer $analyst_token" -H 'Content-Type: application/json' \
  -d '{"date_start":"2024-05-01","latitude":25.12,"longitude":62.32,"category":"bombing","headline":"load probe","marking":"TLP:AMBER"}' \
  "$url/api/v1/incidents" | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')

rss() { bench_rss "$serve"; }
cat >"$work/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"load-guard","password":"$password"}'
LUA
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT %d %.1f %.1f %d %d\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
cat "$work/report.lua" >>"$work/login.lua"

echo "| route | s | conns | requests | p50 ms | p99 ms | non-2xx | socket errors | RSS before MB | RSS after MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
run() {
  local name="$1"; shift
  local before after line
  before=$(rss)
  line=$(wrk -t2 -c"$connections" -d"${duration}s" --timeout 30s "$@" | grep '^RESULT' || true)
  after=$(rss)
  read -r _ n p50 p99 bad errs <<<"$line"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f |\n' "$name" "$duration" "$connections" \
    "$n" "$p50" "$p99" "$bad" "$errs" "$(echo "$before / 1024" | bc -l)" "$(echo "$after / 1024" | bc -l)"
}
run "GET /api/v1/incidents?limit=50 (token)" -s "$work/report.lua" \
  -H "Authorization: Bearer $guard_token" "$url/api/v1/incidents?limit=50"
run "GET /api/v1/incidents/{AMBER} (audited read)" -s "$work/report.lua" \
  -H "Authorization: Bearer $guard_token" "$url/api/v1/incidents/$amber"
run "POST /api/v1/auth/login" -s "$work/login.lua" "$url/api/v1/auth/login"
echo
echo "audit chain after the run: $("$corridor" --db "$db" --json audit verify 2>/dev/null | head -c 300)"
