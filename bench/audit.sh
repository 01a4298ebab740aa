#!/usr/bin/env bash
# The audit check on a long log (issue 12, outside CI): wall time and peak memory of
# `corridor audit verify` over ENTRIES entries, against reading and hashing the same rows raw
# (`sqlite3 ... | sha256sum`: every byte read once and hashed once, nothing checked), in the
# same run. The entries are appended by an independent implementation of the chain (Python,
# the recomputation docs/security.md gives), so the run also checks that corridor accepts a
# chain it did not write, and that one changed byte is named.
#
#   bench/audit.sh [ENTRIES]     default 2000000
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
entries="${1:-2000000}"

source bench/lib.sh
bench_build
work="$root/build/bench/audit"
rm -rf "$work"
mkdir -p "$work"
db="$work/audit.db"

"$corridor" --db "$db" orgs add PK-A --own --trust-group bilateral >/dev/null
"$corridor" --db "$db" orgs add CN-B --trust-group bilateral >/dev/null

# Entries as an instance writes them on a busy day: audited reads of three incidents by one of
# 50 analysts, each with its route.
start=$(date +%s.%N)
python3 - "$db" "$entries" <<'PY'
import datetime, hashlib, json, sqlite3, sys, uuid
db, n = sys.argv[1], int(sys.argv[2])
def field(name, value):
    b = value.encode()
    return name.encode() + b"=" + str(len(b)).encode() + b":" + b + b"\n"
def entry_hash(seq, time, actor, action, objects, detail, prev):
    out = b"corridor-audit-entry-1\n" + b"seq=%d\n" % seq
    out += field("time", time) + field("actor", actor) + field("action", action)
    out += b"objects=%d\n" % len(objects)
    for o in objects: out += field("object", o)
    out += field("detail", detail) + field("prev_hash", prev)
    return hashlib.sha256(out).hexdigest()
con = sqlite3.connect(db)
seq, prev = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
rows = []
start = datetime.datetime.utcnow()
for i in range(n):
    seq += 1
    t = start + datetime.timedelta(milliseconds=250 * i)  # four a second, in order
    time = t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
    actor = "analyst-%02d" % (i % 50)
    objects = [str(uuid.UUID(int=(i * 3 + k) * 2654435761 % (1 << 122) | (4 << 76)))
               for k in range(3)]
    detail = json.dumps({"route": "GET /api/v1/incidents", "count": 3}, separators=(",", ":"))
    h = entry_hash(seq, time, actor, "read", objects, detail, prev)
    rows.append((seq, time, actor, "read", json.dumps(objects, separators=(",", ":")), detail,
                 prev, h))
    prev = h
    if len(rows) == 50000:
        con.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        rows.clear()
con.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
con.commit()
PY
end=$(date +%s.%N)
total=$(sqlite3 "$db" "SELECT count(*) FROM audit_log")
bytes=$(stat -c %s "$db")
echo "log: $total entries ($((bytes / 1048576)) MB store), appended in $(python3 -c "print(round($end - $start, 1))") s"

# Each side alone, best of 3: wall seconds and peak resident KB from /usr/bin/time.
measure() {
  local best_s="" best_kb=""
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || true
    read -r s kb <"$work/time"
    if [ -z "$best_s" ] || python3 -c "import sys; sys.exit(0 if $s < $best_s else 1)"; then
      best_s=$s
      best_kb=$kb
      cp "$work/out" "$work/best"
    fi
  done
  echo "$best_s $best_kb"
}
read -r c_s c_kb < <(measure "$corridor" --db "$db" --json audit verify)
report=$(cat "$work/best")
read -r p_s p_kb < <(measure sh -c "sqlite3 '$db' 'SELECT seq, time, actor, action, objects, \
  detail, prev_hash, hash FROM audit_log ORDER BY seq' | sha256sum")

# One byte changed in the middle of the log: the check names that entry.
middle=$((total / 2))
sqlite3 "$db" "UPDATE audit_log SET actor = 'analyst-xx' WHERE seq = $middle"
broken=$("$corridor" --db "$db" --json audit verify 2>/dev/null || true)

python3 - "$report" "$broken" "$middle" "$total" "$c_s" "$c_kb" "$p_s" "$p_kb" <<'PY'
import json, sys
report, broken = json.loads(sys.argv[1]), json.loads(sys.argv[2])
middle, total = int(sys.argv[3]), int(sys.argv[4])
c_s, c_kb, p_s, p_kb = float(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
print(f"corridor audit verify: {c_s:.2f} s, peak {c_kb / 1024:.0f} MB; "
      f"ok={report['ok']} entries={report['entries']}")
print(f"sqlite3 | sha256sum (read and hash the same rows): {p_s:.2f} s, peak {p_kb / 1024:.0f} MB")
print(f"ratio (time): {c_s / p_s:.2f}x; peak memory {c_kb / 1024:.0f} MB for {total:,} entries "
      f"({c_kb * 1024 / total:.0f} bytes per entry)")
print(f"one changed entry (seq {middle:,}): ok={broken['ok']} first_bad_seq={broken['first_bad_seq']}")
ok = (report["ok"] and report["entries"] == total and not broken["ok"]
      and broken["first_bad_seq"] == middle)
sys.exit(0 if ok else 1)
PY
