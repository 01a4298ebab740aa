#!/usr/bin/env bash
# The API's request path against nginx (issue 18 §2, outside CI): wrk (Debian) against
# `corridor serve` and against Debian's nginx serving the identical response bytes as files, in
# the same run, interleaved (corridor, nginx, corridor, nginx, …), on loopback, release build,
# real UCDP GED Pakistan data with the OCHA boundaries:
#   page      GET /api/v1/incidents?area=PK5&from=2009-01-01&to=2009-12-31&limit=100
#   geojson   GET /api/v1/incidents.geojson?(the same filters)
#   stats     GET /api/v1/stats/timeline?area=PK5
#   marked    GET /api/v1/incidents?text=probe&limit=100   (100 TLP:AMBER reports: every request
#             appends one audit entry before it is answered)
# Prints requests/s, p50/p99, errors and the server's resident memory (sampled each second) per
# run, each workload's throughput ratio, and whether issue 18's goals for the filtered page are
# met (≥ 50 % of nginx, p99 ≤ 50 ms at 64 connections, 0 errors, RSS ≤ 150 MB and flat).
# The last line is one JSON object for scripts.
#
#   bench/api.sh [DURATION] [CONNECTIONS] [ROUNDS]     defaults 30 s, 64, 2
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
duration="${1:-30}"
connections="${2:-64}"
rounds="${3:-2}"
data="${CORRIDOR_DATA:-$root/../shared/data}"
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "api: $tool is missing (bash scripts/setup.sh --bench)" >&2; exit 1; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

source bench/lib.sh
bench_build
work="$root/build/bench/api"
rm -rf "$work"
mkdir -p "$work/www" "$work/nginx"
db="$work/api.db"
c() { "$corridor" --db "$db" "$@"; }

echo "api: loading boundaries and UCDP GED Pakistan (not timed)" >&2
c orgs add PK-A --own --trust-group bilateral >/dev/null
ocha="$data/ocha-cod-ab-pakistan-2022"
for level in 1 2; do
  c areas load --level "$level" "$ocha/pak_admbnda_adm${level}_wfp_20220909.shp" >/dev/null
done
c ingest --format ucdp-ged --rejects "$work/rejects.csv" "$data/ucdp-ged-pakistan/pakistan.csv" >/dev/null
password='a long enough password'
echo "$password" | c users add api-analyst --org PK-A --role analyst >/dev/null
token=$(c tokens create api-analyst | tail -1)

trap 'kill ${serve:-} 2>/dev/null || true; [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true' EXIT
bench_serve "$db" "$work/serve.log" "$work/serve.err"
url="http://127.0.0.1:$port"
auth=(-H "Authorization: Bearer $token")

echo "api: filing 100 TLP:AMBER reports (not timed)" >&2
for i in $(seq 1 100); do
  curl -sf "${auth[@]}" -H 'Content-Type: application/json' -o /dev/null \
    -d "{\"date_start\":\"2024-05-$(printf %02d $((i % 28 + 1)))\",\"latitude\":25.12,\"longitude\":62.32,\"category\":\"bombing\",\"headline\":\"probe $i\",\"marking\":\"TLP:AMBER\"}" \
    "$url/api/v1/incidents"
done

names=(page geojson stats marked)
declare -A paths=(
  [page]="/api/v1/incidents?area=PK5&from=2009-01-01&to=2009-12-31&limit=100"
  [geojson]="/api/v1/incidents.geojson?area=PK5&from=2009-01-01&to=2009-12-31&limit=100"
  [stats]="/api/v1/stats/timeline?area=PK5"
  [marked]="/api/v1/incidents?text=probe&limit=100"
)
# The bytes corridor answers, as files nginx serves with the same content type.
declare -A types
for n in "${names[@]}"; do
  curl -sf "${auth[@]}" -o "$work/www/$n.body" -D "$work/www/$n.headers" "$url${paths[$n]}"
  types[$n]=$(awk -F': ' 'tolower($1)=="content-type" {sub(/\r$/, "", $2); print $2}' "$work/www/$n.headers")
done
audit_before=$(c --json audit verify | python3 -c 'import json,sys;print(json.load(sys.stdin)["entries"])')

nport=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
{
  [ "$(id -u)" = 0 ] && echo "user root;"
  cat <<NGINX
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
NGINX
  echo "  server {"
  echo "    listen 127.0.0.1:$nport;"
  for n in "${names[@]}"; do
    echo "    location = /$n { default_type \"${types[$n]}\"; alias $work/www/$n.body; }"
  done
  echo "  }"
  echo "}"
} >"$work/nginx/nginx.conf"
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>"$work/nginx/start.err"
for _ in $(seq 1 50); do [ -s "$work/nginx/nginx.pid" ] && break; sleep 0.1; done
for n in "${names[@]}"; do
  cmp -s "$work/www/$n.body" <(curl -sf "http://127.0.0.1:$nport/$n") ||
    { echo "api: nginx does not serve the bytes of $n" >&2; exit 1; }
done

cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.2f %.2f %d %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
end
LUA

results="$work/results.txt"
: >"$results"
run() {  # run SIDE NAME URL [wrk args...]
  local side="$1" name="$2" target="$3"
  shift 3
  local sampler="" samples="$work/rss-$side-$name.txt"
  : >"$samples"
  if [ "$side" = corridor ]; then
    (while kill -0 "$serve" 2>/dev/null; do bench_rss "$serve" >>"$samples"; sleep 1; done) &
    sampler=$!
  fi
  local line _ n us p50 p99 bad errs
  line=$(wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$work/report.lua" "$@" "$target" |
    grep '^RESULT' || true)
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null && wait "$sampler" 2>/dev/null || true
  read -r _ n us p50 p99 bad errs <<<"$line"
  local rss_first=0 rss_max=0 rss_last=0
  if [ -s "$samples" ]; then
    rss_first=$(head -1 "$samples"); rss_last=$(tail -1 "$samples"); rss_max=$(sort -n "$samples" | tail -1)
  fi
  echo "$side $name $n $us $p50 $p99 $bad $errs $rss_first $rss_max $rss_last" >>"$results"
  printf '  %-8s %-8s %8.0f req/s  p50 %7.2f ms  p99 %8.2f ms  non-2xx %s  socket errors %s\n' \
    "$side" "$name" "$(echo "$n / ($us / 1000000)" | bc -l)" "$p50" "$p99" "$bad" "$errs" >&2
}

echo "api: $rounds rounds of ${duration} s per side and workload at $connections connections" >&2
for _ in $(seq 1 "$rounds"); do
  for w in "${names[@]}"; do
    run corridor "$w" "$url${paths[$w]}" "${auth[@]}"
    run nginx "$w" "http://127.0.0.1:$nport/$w"
  done
done
audit_after=$(c --json audit verify | python3 -c 'import json,sys;print(json.load(sys.stdin)["entries"])')

python3 - "$results" "$duration" "$connections" "$audit_before" "$audit_after" "$(nproc)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
path, duration, conns, a0, a1, cores, load = sys.argv[1:]
rows = [l.split() for l in open(path)]
by = {}
for side, name, n, us, p50, p99, bad, errs, r0, rmax, rlast in rows:
    by.setdefault((side, name), []).append(dict(
        rps=int(n) / (int(us) / 1e6), n=int(n), p50=float(p50), p99=float(p99),
        bad=int(bad), errs=int(errs), rss0=int(r0) / 1024, rssmax=int(rmax) / 1024,
        rsslast=int(rlast) / 1024))
names = ["page", "geojson", "stats", "marked"]
out = {"bench": "api", "duration_s": int(duration), "connections": int(conns), "cores": int(cores),
       "load": load, "workloads": {}}
print(f"API against nginx, {conns} connections, {duration} s per run, load {load}")
print("| workload | corridor req/s | nginx req/s | ratio | corridor p50 / p99 ms | non-2xx + errors | server RSS MB (first → max → last) |")
print("|---|---|---|---|---|---|---|")
for name in names:
    c, g = by[("corridor", name)], by[("nginx", name)]
    crps = sum(x["rps"] for x in c) / len(c)
    grps = sum(x["rps"] for x in g) / len(g)
    p50 = max(x["p50"] for x in c); p99 = max(x["p99"] for x in c)
    bad = sum(x["bad"] + x["errs"] for x in c)
    r0, rmax, rlast = c[0]["rss0"], max(x["rssmax"] for x in c), c[-1]["rsslast"]
    print(f"| {name} | {crps:,.0f} | {grps:,.0f} | {crps / grps:.1%} | {p50:.1f} / {p99:.1f} | "
          f"{bad} | {r0:.0f} → {rmax:.0f} → {rlast:.0f} |")
    out["workloads"][name] = {"corridor_rps": round(crps), "nginx_rps": round(grps),
                              "ratio": round(crps / grps, 4), "p50_ms": p50, "p99_ms": p99,
                              "errors": bad, "rss_mb": [round(r0), round(rmax), round(rlast)]}
marked_requests = sum(x["n"] for x in by[("corridor", "marked")])
print(f"audit entries appended during the runs: {int(a1) - int(a0):,} "
      f"(marked-page requests answered: {marked_requests:,}; the chain verifies)")
p = out["workloads"]["page"]
# Flat: the last sample within 10 % of the largest seen after the first run warmed up.
goals = {"throughput >= 50% of nginx": p["ratio"] >= 0.5, "p99 <= 50 ms": p["p99_ms"] <= 50,
         "0 errors": p["errors"] == 0, "RSS <= 150 MB": p["rss_mb"][1] <= 150,
         "RSS flat": p["rss_mb"][2] >= 0.9 * p["rss_mb"][1]}
print("issue 18 goals for the filtered page: " +
      ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in goals.items()))
out["goals"] = goals
out["audit_entries"] = int(a1) - int(a0)
print(json.dumps(out))
PY
