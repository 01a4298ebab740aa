#!/usr/bin/env bash
# `corridor roads load` + `corridor route --format json` (the whole user path: PBF → store →
# graph → service → CLI) against the independent Dijkstra of dijkstra_check.py on the OSM XML
# of the same area, for six pairs. Usage: cli_vs_python.sh CORRIDOR SHARED_DIR
set -euo pipefail
corridor="$1"
shared="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/route.db"
"$corridor" --db "$db" roads load "$shared/data/osm-islamabad/i10.osm.pbf" >/dev/null
pairs=("33.640,73.030 33.655,73.048" "33.655,73.048 33.640,73.030" "33.6482,73.0369 33.658,73.027"
       "33.645,73.035 33.6455,73.0352" "33.6420,73.0437 33.6473,73.0397" "33.6500,73.0300 33.6410,73.0480")
{
  echo "["
  sep=""
  for pair in "${pairs[@]}"; do
    read -r from to <<<"$pair"
    out=$("$corridor" --db "$db" route --from "$from" --to "$to" --format json)
    python3 - "$from" "$to" "$out" "$sep" <<'PY'
import json, sys
frm, to, out, sep = sys.argv[1:5]
shortest = json.loads(out)["routes"][0]
assert shortest["kind"] == "shortest", shortest["kind"]
print(sep + json.dumps({"from": [float(v) for v in frm.split(",")],
                        "to": [float(v) for v in to.split(",")],
                        "length_m": shortest["length_m"], "duration_s": shortest["duration_s"]}))
PY
    sep=","
  done
  echo "]"
} >"$work/results.json"
python3 "$here/dijkstra_check.py" "$shared/data/osm-islamabad/i10.osm" --compare "$work/results.json"
