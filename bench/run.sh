#!/usr/bin/env bash
# Benchmarks, each beside its peer in the same run, printed as ratios (outside CI).
#
#   bench/run.sh [ROWS]     default ROWS=1000000
#
# Import: `corridor ingest` of ROWS scaled UCDP rows (validation, UUIDv5, district
# assignment against the 160 OCHA districts, FTS5, indexes, WAL durable) against
# `sqlite3 .import` of the same CSV into a bare table. Peak memory (max RSS) of each.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rows="${1:-1000000}"
data="${CORRIDOR_DATA:-$root/../shared/data}"

bash scripts/setup.sh --bench >/dev/null
cmake --preset bench >/dev/null
cmake --build --preset bench >/dev/null
corridor="$root/build/bench/corridor"
work="$root/build/bench/work"
mkdir -p "$work"

csv="$work/ucdp-$rows.csv"
if [ ! -f "$csv" ]; then
  echo "bench: writing $rows scaled UCDP rows to $csv"
  python3 tools/scale_ucdp.py "$data/ucdp-ged-pakistan/pakistan.csv" "$csv" "$rows"
fi
bytes=$(stat -c %s "$csv")

measure() {  # measure NAME COMMAND...: prints "seconds max_rss_kb"
  local name="$1"; shift
  local t="$work/$name.time"
  /usr/bin/time -f "%e %M" -o "$t" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    local s=$?; if [ "$s" -ne 3 ]; then cat "$work/$name.err" >&2; exit "$s"; fi; }
  cat "$t"
}

# Peer: sqlite3 .import into a bare table (the header row becomes the column names).
rm -f "$work/peer.db"
read -r peer_s peer_kb < <(measure peer sqlite3 "$work/peer.db" -cmd ".mode csv" ".import $csv events")

# Corridor: boundaries loaded first (not timed), then the timed import.
db="$work/corridor.db"
rm -f "$db" "$db-wal" "$db-shm"
ocha="$data/ocha-cod-ab-pakistan-2022"
for level in 1 2; do
  "$corridor" --db "$db" areas load --level "$level" "$ocha/pak_admbnda_adm${level}_wfp_20220909.shp" >/dev/null
done
read -r ours_s ours_kb < <(measure corridor "$corridor" --db "$db" --json ingest --format ucdp-ged \
  --rejects "$work/rejects.csv" "$csv")

count=$("$corridor" --db "$db" query --count)
peer_count=$(sqlite3 "$work/peer.db" "select count(*) from events")
python3 - "$rows" "$bytes" "$peer_s" "$peer_kb" "$ours_s" "$ours_kb" "$count" "$peer_count" \
  "$work/corridor.out" <<'PY'
import json, sys
rows, size, ps, pkb, os_, okb, count, pcount, out = sys.argv[1:]
ps, os_, pkb, okb = float(ps), float(os_), int(pkb), int(okb)
summary = json.load(open(out))
print(f"import of {int(rows):,} UCDP rows ({int(size)/1e6:.0f} MB)")
print(f"  peer  sqlite3 .import (bare table)  {ps:8.2f} s  {pkb/1024:8.0f} MB peak  {int(pcount):,} rows")
print(f"  corridor ingest (validated, assigned, indexed, FTS5)  {os_:8.2f} s  {okb/1024:8.0f} MB peak  "
      f"{int(count):,} incidents ({summary['assigned_inside']:,} inside, "
      f"{summary['assigned_snapped']:,} snapped, {summary['unassigned']:,} unassigned, "
      f"{summary['rejected']} rejected)")
print(f"  ratio corridor/peer: time {os_/ps:.2f}x  peak memory {okb/pkb:.2f}x   (now <= 2x, goal <= 1x)")
print(json.dumps({"bench": "import", "rows": int(rows), "peer_s": ps, "corridor_s": os_,
                  "ratio": round(os_/ps, 3), "peer_peak_kb": pkb, "corridor_peak_kb": okb}))
PY

echo
echo "micro-benchmarks (real UCDP file; items/s and bytes/s):"
"$root/build/bench/bench/micro_bench" --benchmark_format=console 2>/dev/null | grep -E "^BM_|^Bench|^---" || true

echo
bash "$root/bench/kde.sh"

echo
bash "$root/bench/exposure.sh" "$rows"

echo
bash "$root/bench/hawkes.sh"

echo
bash "$root/bench/web.sh"

echo
CORRIDOR_BENCH_SKIP_BUILD=1 bash "$root/bench/taxii.sh"

echo
CORRIDOR_BENCH_SKIP_BUILD=1 bash "$root/bench/audit.sh"
