#!/usr/bin/env bash
# KDE beside R KernSmooth bkde2D and spatstat density.ppp on the same points,
# grid and bandwidth, in the same run (outside CI). Prints each time ratio and
# the largest difference relative to the surface's maximum.
#
#   bench/kde.sh [POINTS] [GRID]     defaults 100000 points, 1000 × 1000 grid
#
# Points: the real UCDP events with where_prec 1-2 (../shared/data), replicated
# with ±10 km jitter, in a local plane (km); the KDE code is what is timed,
# without I/O, best of 3 runs each.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
n="${1:-100000}"
grid="${2:-1000}"
data="${CORRIDOR_DATA:-$root/../shared/data}"
bash scripts/setup.sh --bench >/dev/null
cmake --preset bench >/dev/null
cmake --build --preset bench --target kde_bench >/dev/null
work="$root/build/bench/work/kde"
mkdir -p "$work"
python3 - "$data/ucdp-ged-pakistan/pakistan.csv" "$n" "$work/points.csv" <<'PY'
import csv, math, random, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pts = [(float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(open(src, newline=""))
       if r["where_prec"] in ("1", "2")]
lat0 = sum(p[0] for p in pts) / len(pts); lon0 = sum(p[1] for p in pts) / len(pts)
kx = 111.32 * math.cos(math.radians(lat0))
rng = random.Random(20240501)
with open(out, "w") as f:
    f.write("x_km,y_km\n")
    for i in range(n):
        lat, lon = pts[i % len(pts)]
        f.write("%.4f,%.4f\n" % ((lon - lon0) * kx + rng.uniform(-10, 10),
                                 (lat - lat0) * 110.57 + rng.uniform(-10, 10)))
PY
# Grid: the points' extent plus 3 bandwidths; bandwidth 20 km.
read -r x0 y0 cell h < <(python3 - "$work/points.csv" "$grid" <<'PY'
import sys
xs, ys = [], []
for line in open(sys.argv[1]).readlines()[1:]:
    a, b = line.split(","); xs.append(float(a)); ys.append(float(b))
g, h = int(sys.argv[2]), 20.0
x0, y0 = min(xs) - 3 * h, min(ys) - 3 * h
cell = max(max(xs) + 3 * h - x0, max(ys) + 3 * h - y0) / (g - 1)
print(x0, y0, cell, h)
PY
)
ours=$("$root/build/bench/bench/kde_bench" "$work/points.csv" "$x0" "$y0" "$cell" "$grid" "$grid" "$h" 3 "$work/corridor.bin")
read -r tk ts < <(Rscript bench/kde_peers.R "$work/points.csv" "$x0" "$y0" "$cell" "$grid" "$grid" "$h" 3 "$work")
python3 - "$work" "$n" "$grid" "$cell" "$h" "$ours" "$tk" "$ts" <<'PY'
import array, json, sys
work, n, g, cell, h, ours, tk, ts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *map(float, sys.argv[4:])
def load(name):
    a = array.array("d"); a.frombytes(open(f"{work}/{name}", "rb").read()); return a
c = load("corridor.bin")
top = max(c)
print(f"KDE, {n:,} points, {g} x {g} grid ({cell:.3f} km cells), Gaussian h = {h:g} km, best of 3")
print(f"  corridor KernelDensity (linear binning + kissfft, 2 threads)  {ours:8.3f} s")
out = {"bench": "kde", "points": n, "grid": g, "corridor_s": ours}
for name, file, t in (("KernSmooth bkde2D", "bkde2d.bin", tk), ("spatstat density.ppp", "spatstat.bin", ts)):
    p = load(file)
    diff = max(abs(a - b) for a, b in zip(c, p)) / top
    print(f"  {name:22s} {t:8.3f} s   ratio peer/corridor {t / ours:6.1f}x   "
          f"max |diff| / max = {diff:.2e}")
    out[file.split(".")[0]] = {"s": t, "ratio": round(t / ours, 2), "max_rel_diff": diff}
print(json.dumps(out))
PY
