#!/usr/bin/env bash
# TAXII sync benchmark (issue 6, outside CI): instance B pulls OBJECTS scaled UCDP incidents
# (each 4 STIX objects: incident, location, relationship, sighting) from instance A
# over loopback with `corridor sync run` (TAXII pages of 1,000, egress decisions and the sent-to
# ledger on A, decoding, upserts and the received-from table on B, audit on both sides), against
# a raw HTTP transfer of the same bytes: the page bodies A served, concatenated into one static
# file, fetched with curl from a plain server (python3 -m http.server) on loopback.
#
#   bench/taxii.sh [INCIDENTS]     default 25000 (= 100,000 STIX objects)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
objects="${1:-25000}"
data="${CORRIDOR_DATA:-$root/../shared/data}"

source bench/lib.sh
bench_build
work="$root/build/bench/taxii"
rm -rf "$work"
mkdir -p "$work"

csv="$work/ucdp-$objects.csv"
python3 tools/scale_ucdp.py "$data/ucdp-ged-pakistan/pakistan.csv" "$csv" "$objects" >/dev/null

a="$work/a.db"
b="$work/b.db"
"$corridor" --db "$a" orgs add PK-A --own --trust-group bilateral >/dev/null
"$corridor" --db "$a" orgs add CN-B --trust-group bilateral >/dev/null
echo 'a long enough password' | "$corridor" --db "$a" users add sync-cn-b --org CN-B \
  --role partner >/dev/null
token=$("$corridor" --db "$a" tokens create sync-cn-b | tail -1)
"$corridor" --db "$a" ingest --format ucdp-ged --rejects "$work/rejects.csv" "$csv" >/dev/null
"$corridor" --db "$b" orgs add CN-B --own --trust-group bilateral >/dev/null

trap 'kill ${serve:-} 2>/dev/null || true; [ -n "${plain:-}" ] && kill $plain 2>/dev/null || true' EXIT
bench_serve "$a" "$work/a.log" "$work/a.err" --threads 4
key=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["sign_public"])' "$a.keys")
echo "$token" | "$corridor" --db "$b" sync add-partner --name a --org PK-A \
  --url "http://127.0.0.1:$port" --api-root bilateral --public-key "$key" >/dev/null 2>&1

start=$(date +%s.%N)
"$corridor" --db "$b" --json sync run --page-limit 1000 >"$work/sync.json"
end=$(date +%s.%N)
sync_s=$(python3 -c "print($end - $start)")

# The same bytes, as A serves them to B, into one file (not timed).
python3 - "$port" "$token" "$work/bundle.bin" <<'PY'
import json, sys, urllib.request
port, token, out = sys.argv[1:]
base = f"http://127.0.0.1:{port}/taxii2/bilateral/collections/"
req = urllib.request.Request(base, headers={"Accept": "application/taxii+json;version=2.1",
                                            "Authorization": "Bearer " + token})
coll = json.load(urllib.request.urlopen(req))["collections"][0]["id"]
nxt, total = "", 0
with open(out, "wb") as f:
    while True:
        url = f"{base}{coll}/objects/?limit=1000" + (f"&next={nxt}" if nxt else "")
        req = urllib.request.Request(url, headers={"Accept": "application/taxii+json;version=2.1",
                                                  "Authorization": "Bearer " + token})
        body = urllib.request.urlopen(req).read()
        f.write(body)
        env = json.loads(body)
        total += len(env.get("objects", []))
        if not env.get("more"):
            break
        nxt = env["next"]
PY
kill $serve; wait $serve 2>/dev/null || true

(cd "$work" && exec python3 -m http.server 0 --bind 127.0.0.1 >"$work/plain.log" 2>&1) &
plain=$!
pport=""
for _ in $(seq 1 100); do
  pport=$(grep -oE 'port [0-9]+' "$work/plain.log" 2>/dev/null | head -1 | cut -d' ' -f2 || true)
  [ -n "$pport" ] && break
  sleep 0.1
done
best=""
for _ in 1 2 3; do
  t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$pport/bundle.bin")
  best=$(python3 -c "print(min(float('$t'), float('${best:-1e9}')))")
done

python3 - "$work/sync.json" "$sync_s" "$best" "$(stat -c %s "$work/bundle.bin")" "$objects" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))[0]
sync_s, raw_s, size, n = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"TAXII sync of {report['objects']:,} objects ({size/1e6:.1f} MB of envelopes, "
      f"{report['pages']} pages) between two instances on loopback")
print(f"  corridor sync run (egress, ledger, audit; decode, upsert, received-from, audit)  "
      f"{sync_s:8.2f} s  {report['objects']/sync_s:10,.0f} objects/s  ({report['applied']:,} applied)")
print(f"  peer  curl of the same bytes from python3 http.server  {raw_s:8.3f} s  "
      f"{size/raw_s/1e6:8.0f} MB/s")
print(f"  ratio sync/raw: {sync_s/raw_s:.1f}x   (now >= 5,000 objects/s; goal within 3x of raw)")
print("  every object signed by A (Ed25519 over RFC 8785 JSON) and verified by B against A's pinned key")
print(json.dumps({"bench": "taxii", "objects": report["objects"], "sync_s": round(sync_s, 3),
                  "objects_per_s": round(report["objects"]/sync_s), "raw_s": raw_s,
                  "ratio": round(sync_s/raw_s, 2), "bytes": size}))
PY
