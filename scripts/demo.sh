#!/usr/bin/env bash
# The demo: a fresh store loaded with the real data, served on 127.0.0.1:8080.
#   CORRIDOR_LISTEN=127.0.0.1:9090 scripts/demo.sh   to listen elsewhere
#   CORRIDOR_DEMO_NO_SERVE=1 scripts/demo.sh         to load and stop (used by tests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
ln -sf release/corridor build/corridor
corridor="$root/build/corridor"

data="${CORRIDOR_DATA:-$root/../shared/data}"
if [ ! -d "$data" ]; then
  echo "demo: $data not found; downloading the datasets from their pinned origins"
  data="$root/data"
  "$corridor" data fetch "$data"
fi

db="$root/build/demo.db"
rm -f "$db" "$db-wal" "$db-shm"
export CORRIDOR_DB="$db"
cd "$root/build"

ocha="$data/ocha-cod-ab-pakistan-2022"
"$corridor" init
"$corridor" areas load --level 0 "$ocha/pak_admbnda_adm0_wfp_20220909.shp"
"$corridor" areas load --level 1 "$ocha/pak_admbnda_adm1_wfp_20220909.shp"
"$corridor" areas load --level 2 "$ocha/pak_admbnda_adm2_wfp_20220909.shp"
status=0
"$corridor" ingest --format ucdp-ged "$data/ucdp-ged-pakistan/pakistan.csv" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi
"$corridor" assets import "$data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson"
"$corridor" stats --by admin1

if [ -n "${CORRIDOR_DEMO_NO_SERVE:-}" ]; then exit 0; fi
exec "$corridor" serve --listen "${CORRIDOR_LISTEN:-127.0.0.1:8080}"
