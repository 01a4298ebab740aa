#!/usr/bin/env python3
"""Writes N corridor sites for the exposure benchmark: the real AidData footprints
(MultiPolygons, up to ~8,600 vertices) and copies of them moved by up to ±1°
within Pakistan, each copy with a new project id.  Usage: scale_sites.py IN OUT N"""
import json, random, sys

src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = json.load(open(src))
real = [f for f in data["features"] if f.get("geometry")]
rng = random.Random(20240501)
features = []
for k in range(n):
    f = json.loads(json.dumps(real[k % len(real)]))
    if k >= len(real):
        dx, dy = rng.uniform(-1, 1), rng.uniform(-1, 1)
        def move(c):
            if isinstance(c[0], (int, float)):
                return [round(c[0] + dx, 6), round(c[1] + dy, 6)]
            return [move(x) for x in c]
        f["geometry"]["coordinates"] = move(f["geometry"]["coordinates"])
        pid = f"{f['properties']['AidData TUFF Project ID']}-copy{k}"
        f["properties"]["AidData TUFF Project ID"] = pid
        f["properties"]["id"] = pid
        f["properties"]["Title"] = f"{f['properties']['Title']} (copy {k})"
    features.append(f)
data["features"] = features
json.dump(data, open(out, "w"))
