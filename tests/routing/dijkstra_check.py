#!/usr/bin/env python3
"""Independent shortest-route check for Corridor's routing (issue 17, item 6).

Parses an OpenStreetMap XML extract (../shared/data/osm-islamabad/i10.osm) with the standard
library only, builds a car graph with the same profile as src/routing (documented in
docs/routing.md), snaps each endpoint to the nearest drivable segment and runs Dijkstra on
travel time. It shares no code with the C++ implementation (which reads the .osm.pbf of the same
area with libosmium), so agreement between the two is evidence, not a tautology.

Usage:
  dijkstra_check.py OSM_XML --from LAT,LON --to LAT,LON [--from ... --to ...]
      prints one JSON object per pair: {"from", "to", "length_m", "duration_s", "nodes"}
  dijkstra_check.py OSM_XML --self-test
      checks this checker on the file itself: every one-way segment longer than 50 m is driven
      from its 1/4 to its 3/4 point at half its length, the reverse trip is longer (a detour),
      and --compare rejects a result 5% off.
  dijkstra_check.py OSM_XML --compare RESULTS.json [--tolerance 0.01]
      RESULTS.json: [{"from": [lat, lon], "to": [lat, lon], "length_m": x, "duration_s": y}, ...]
      (what `corridor route --format json` reported); exits 1 when a pair differs by more than
      the relative tolerance, printing which pair and both figures.

Car profile (kept in step with src/routing/profile.cc):
  * drivable highway classes and default speeds in km/h: SPEED_KMH below; footway, path,
    pedestrian, cycleway, steps, track, bus_stop and others are not drivable;
  * access=no|private (or motor_vehicle/motorcar=no|private) excludes the way;
  * oneway=yes|true|1 forward only, oneway=-1 backward only, junction=roundabout and
    highway=motorway imply oneway when oneway is not set; oneway=reversible is excluded (its
    direction depends on the time of day, which an extract does not say);
  * maxspeed, when numeric (km/h, or "N mph"), replaces the class default.
Distances: haversine on a sphere of radius 6,371,008.8 m (the IUGG mean radius).
"""
import argparse
import heapq
import json
import math
import sys
import xml.etree.ElementTree as ET

EARTH_RADIUS_M = 6371008.8

SPEED_KMH = {
    "motorway": 100, "motorway_link": 60,
    "trunk": 80, "trunk_link": 50,
    "primary": 65, "primary_link": 45,
    "secondary": 55, "secondary_link": 40,
    "tertiary": 45, "tertiary_link": 35,
    "unclassified": 35, "road": 30, "residential": 25,
    "living_street": 10, "service": 15,
}
NO_ACCESS = {"no", "private"}
MAX_SNAP_M = 1000.0


def haversine_m(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def parse_speed(tags):
    default = SPEED_KMH[tags["highway"]]
    raw = tags.get("maxspeed", "").strip().lower()
    if not raw:
        return default
    factor = 1.0
    if raw.endswith("mph"):
        raw, factor = raw[:-3].strip(), 1.609344
    try:
        value = float(raw) * factor
    except ValueError:
        return default
    return value if value > 0 else default


def direction(tags):
    """Returns (forward_allowed, backward_allowed), or None when the way is excluded."""
    oneway = tags.get("oneway", "").lower()
    if oneway == "reversible":
        return None
    if oneway in ("yes", "true", "1"):
        return (True, False)
    if oneway == "-1":
        return (False, True)
    if oneway == "no":
        return (True, True)
    if not oneway and (tags.get("junction", "").lower() == "roundabout"
                       or tags["highway"] == "motorway"):
        return (True, False)
    return (True, True)


def load_graph(path):
    nodes = {}
    ways = []
    for _, elem in ET.iterparse(path, events=("end",)):
        if elem.tag == "node":
            nodes[int(elem.get("id"))] = (float(elem.get("lat")), float(elem.get("lon")))
            elem.clear()
        elif elem.tag == "way":
            tags = {t.get("k"): t.get("v") for t in elem.findall("tag")}
            refs = [int(nd.get("ref")) for nd in elem.findall("nd")]
            elem.clear()
            if tags.get("highway") not in SPEED_KMH:
                continue
            if any(tags.get(k, "").lower() in NO_ACCESS for k in ("access", "motor_vehicle",
                                                                  "motorcar")):
                continue
            dirs = direction(tags)
            if dirs is None:
                continue
            ways.append((refs, parse_speed(tags), dirs))
    adjacency = {}
    segments = []  # (a, b, length_m, seconds, forward, backward)
    for refs, speed_kmh, (fwd, bwd) in ways:
        mps = speed_kmh / 3.6
        for a, b in zip(refs, refs[1:]):
            if a not in nodes or b not in nodes or a == b:
                continue
            length = haversine_m(*nodes[a], *nodes[b])
            seconds = length / mps
            segments.append((a, b, length, seconds, fwd, bwd))
            if fwd:
                adjacency.setdefault(a, []).append((b, length, seconds))
            if bwd:
                adjacency.setdefault(b, []).append((a, length, seconds))
    return nodes, adjacency, segments


def project(lat, lon, a, b):
    """Nearest point of segment a-b to (lat, lon) in a local equirectangular plane.

    Returns (fraction along a->b in [0, 1], distance in metres)."""
    k = math.cos(math.radians(lat))
    ax, ay = (a[1] - lon) * k, a[0] - lat
    bx, by = (b[1] - lon) * k, b[0] - lat
    dx, dy = bx - ax, by - ay
    denom = dx * dx + dy * dy
    t = 0.0 if denom == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / denom))
    plat, plon = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    return t, haversine_m(lat, lon, plat, plon)


def snap(nodes, segments, lat, lon):
    best = None
    for seg in segments:
        t, dist = project(lat, lon, nodes[seg[0]], nodes[seg[1]])
        if best is None or dist < best[0]:
            best = (dist, t, seg)
    if best is None or best[0] > MAX_SNAP_M:
        raise SystemExit(f"dijkstra_check: no drivable segment within {MAX_SNAP_M:.0f} m of "
                         f"{lat},{lon}")
    return best


def route(nodes, adjacency, segments, src, dst):
    _, ts, (sa, sb, slen, ssec, sf, sbw) = snap(nodes, segments, *src)
    _, td, (da, db, dlen, dsec, df, dbw) = snap(nodes, segments, *dst)
    # Virtual start: leave the snapped point towards b (forward) and/or a (backward).
    start = []
    if sf:
        start.append((sb, (1 - ts) * slen, (1 - ts) * ssec))
    if sbw:
        start.append((sa, ts * slen, ts * ssec))
    # Virtual end: reach the snapped point from a (forward) and/or b (backward).
    end = {}
    if df:
        end.setdefault(da, []).append((td * dlen, td * dsec))
    if dbw:
        end.setdefault(db, []).append(((1 - td) * dlen, (1 - td) * dsec))
    best = (math.inf, math.inf)
    # Same segment, target ahead in an allowed direction: no graph search needed.
    if (sa, sb) == (da, db):
        if sf and td >= ts:
            best = min(best, ((td - ts) * dsec, (td - ts) * dlen))
        if sbw and td <= ts:
            best = min(best, ((ts - td) * dsec, (ts - td) * dlen))
    dist = {}
    heap = []
    for node, length, seconds in start:
        heapq.heappush(heap, (seconds, length, node))
    while heap:
        seconds, length, node = heapq.heappop(heap)
        if node in dist:
            continue
        dist[node] = (seconds, length)
        if seconds >= best[0]:
            break
        for extra_len, extra_sec in end.get(node, []):
            best = min(best, (seconds + extra_sec, length + extra_len))
        for nxt, elen, esec in adjacency.get(node, []):
            if nxt not in dist:
                heapq.heappush(heap, (seconds + esec, length + elen, nxt))
    if best[0] == math.inf:
        return None
    return {"duration_s": best[0], "length_m": best[1]}


def compare(nodes, adjacency, segments, expected, tolerance):
    """Prints one line per figure; returns how many differ by more than tolerance."""
    failures = 0
    for item in expected:
        got = route(nodes, adjacency, segments, tuple(item["from"]), tuple(item["to"]))
        for key in ("length_m", "duration_s"):
            mine = got[key] if got else math.inf
            rel = abs(mine - item[key]) / max(item[key], 1.0)
            ok = rel <= tolerance
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {item['from']} -> {item['to']} {key}: "
                  f"corridor {item[key]:.1f}, independent {mine:.1f}, rel {rel:.4f}")
    return failures


def self_test(nodes, adjacency, segments):
    failures = checked = 0
    for a, b, length, _, fwd, bwd in segments:
        if not fwd or bwd or length <= 50:
            continue
        (la, lo), (lb, lob) = nodes[a], nodes[b]
        p = (la + 0.25 * (lb - la), lo + 0.25 * (lob - lo))
        q = (la + 0.75 * (lb - la), lo + 0.75 * (lob - lo))
        ahead = route(nodes, adjacency, segments, p, q)
        back = route(nodes, adjacency, segments, q, p)
        checked += 1
        ok = (ahead is not None and abs(ahead["length_m"] - length / 2) <= 0.01 * length
              and (back is None or back["length_m"] > ahead["length_m"] + 1))
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} one-way {a}->{b} ({length:.1f} m): ahead "
              f"{ahead and round(ahead['length_m'], 1)} m, against {back and round(back['length_m'], 1)} m")
    if checked == 0:
        print("FAIL no one-way segment longer than 50 m in this file")
        failures += 1
    # --compare's tolerance test must reject a figure 5% off.
    src, dst = (33.640, 73.030), (33.655, 73.048)
    real = route(nodes, adjacency, segments, src, dst)
    doctored = [{"from": list(src), "to": list(dst), "length_m": real["length_m"] * 1.05,
                 "duration_s": real["duration_s"]}]
    rejected = compare(nodes, adjacency, segments, doctored, 0.01) == 1
    failures += not rejected
    print(f"{'ok  ' if rejected else 'FAIL'} a length 5% off is rejected at 1% tolerance")
    print(f"{checked + 1 - failures} passed, {failures} failed")
    return 1 if failures else 0


def parse_point(text):
    try:
        lat, lon = (float(v) for v in text.split(","))
    except ValueError:
        raise SystemExit(f"dijkstra_check: point {text!r} is not LAT,LON")
    return lat, lon


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("osm")
    parser.add_argument("--from", dest="sources", action="append", default=[])
    parser.add_argument("--to", dest="targets", action="append", default=[])
    parser.add_argument("--compare")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--tolerance", type=float, default=0.01)
    args = parser.parse_args()
    nodes, adjacency, segments = load_graph(args.osm)
    print(f"dijkstra_check: {len(nodes)} nodes, {len(segments)} drivable segments",
          file=sys.stderr)
    if args.self_test:
        return self_test(nodes, adjacency, segments)
    if args.compare:
        with open(args.compare, encoding="utf-8") as f:
            expected = json.load(f)
        failures = compare(nodes, adjacency, segments, expected, args.tolerance)
        print(f"{len(expected) * 2 - failures} passed, {failures} failed")
        return 1 if failures else 0
    if len(args.sources) != len(args.targets) or not args.sources:
        raise SystemExit("dijkstra_check: give as many --from as --to (at least one)")
    for s, t in zip(args.sources, args.targets):
        src, dst = parse_point(s), parse_point(t)
        got = route(nodes, adjacency, segments, src, dst)
        print(json.dumps({"from": list(src), "to": list(dst),
                          "length_m": got and round(got["length_m"], 2),
                          "duration_s": got and round(got["duration_s"], 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
