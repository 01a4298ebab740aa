#!/usr/bin/env python3
"""An independent computation of the backtest protocol's baselines (issue 4 §4).

Standard library only. Reads the UCDP GED CSV itself (where_prec 1-2, dated by
date_start, PRIO-GRID gid from latitude/longitude) and the cell table that
`corridor risk backtest --cells-csv` writes (gid, area on the WGS84 ellipsoid of
the cell's intersection with the level-0 outline): clipping shapefiles and
measuring ellipsoidal areas is not redone here. Everything else is: events to
cells, months, the three baselines, selection, pooled hit rates, PAI, Brier.

  backtest_check.py UCDP_CSV CELLS_CSV [--through YYYY-MM-DD] [--first YYYY-MM] [--last YYYY-MM]

Prints {"persistence":{...},"long_run_average":{...},"decayed_history":{...},
"cells":N,"events":N,"months":N} as JSON.
"""
import argparse
import csv
import datetime
import json
import math
import sys


def parse_date(text):
    # UCDP writes "MM/DD/YYYY HH:MM:SS"; ISO dates are accepted too.
    text = text.strip().split(" ")[0]
    if "/" in text:
        m, d, y = text.split("/")
        return datetime.date(int(y), int(m), int(d))
    return datetime.date.fromisoformat(text)


def month_key(d):
    return (d.year, d.month)


def next_month(key):
    y, m = key
    return (y + 1, 1) if m == 12 else (y, m + 1)


def month_list(first, last):
    out, k = [], first
    while k <= last:
        out.append(k)
        k = next_month(k)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ucdp")
    ap.add_argument("cells")
    ap.add_argument("--through", help="last day of data (default: the latest date_end)")
    ap.add_argument("--first", default="2010-01")
    ap.add_argument("--last", default="2019-12")
    ap.add_argument("--decay", type=float, default=180.0)
    a = ap.parse_args()

    area = {}
    with open(a.cells, newline="") as f:
        for row in csv.DictReader(f):
            area[int(row["gid"])] = float(row["area_km2"])
    gids = sorted(area)
    total_area = 0.0
    for g in gids:  # ascending gid, as the C++ sums
        total_area += area[g]

    with open(a.ucdp, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    through = (datetime.date.fromisoformat(a.through) if a.through
               else max(parse_date(r["date_end"]) for r in rows))
    events = []  # (date, gid)
    for r in rows:
        if r["where_prec"].strip() not in ("1", "2"):
            continue
        try:
            lat, lon = float(r["latitude"]), float(r["longitude"])
        except ValueError:
            continue
        day = parse_date(r["date_start"])
        if day > through:
            continue
        gid = int(math.floor((lat + 90) / 0.5)) * 720 + int(math.floor((lon + 180) / 0.5)) + 1
        if gid in area:
            events.append((day, gid))
    events.sort()

    def ym(text):
        y, m = text.split("-")
        return (int(y), int(m))

    months = [k for k in month_list(ym(a.first), ym(a.last))
              if datetime.date(k[0], k[1], 1) <= through]
    earliest = month_key(events[0][0])
    count = {}  # (gid, month) -> n
    for day, gid in events:
        count[(gid, month_key(day))] = count.get((gid, month_key(day)), 0) + 1

    methods = ("persistence", "long_run_average", "decayed_history")
    acc = {m: {"hits": {5: 0.0, 10: 0.0}, "share": {5: 0.0, 10: 0.0}, "brier": 0.0}
           for m in methods}
    bins = 10  # the reliability diagram of the long-run baseline: n, sum of P, events
    rel = [[0, 0.0, 0] for _ in range(bins)]
    n_events = 0
    for key in months:
        first_day = datetime.date(key[0], key[1], 1)
        history = month_list(earliest, key)[:-1]  # earliest .. the month before
        prev = history[-1] if history else None
        actual = {g: count.get((g, key), 0) for g in gids}
        n_events += sum(actual.values())
        score = {m: {} for m in methods}
        prob_long = {}
        for g in gids:
            score["persistence"][g] = count.get((g, prev), 0) if prev else 0
            if history:
                counts = [count.get((g, h), 0) for h in history]
                score["long_run_average"][g] = sum(counts) / len(history)
                prob_long[g] = sum(1 for c in counts if c > 0) / len(history)
            else:
                score["long_run_average"][g] = 0.0
                prob_long[g] = 0.0
            score["decayed_history"][g] = 0.0
        for day, gid in events:  # date order
            if day >= first_day:
                break
            score["decayed_history"][gid] += math.exp(-((first_day - day).days) / a.decay)
        for m in methods:
            ranked = sorted(gids, key=lambda g: (-score[m][g], g))
            for pct in (5, 10):
                limit = pct / 100 * total_area
                taken, hits = 0.0, 0
                for g in ranked:
                    if taken + area[g] > limit:
                        break
                    taken += area[g]
                    hits += actual[g]
                acc[m]["hits"][pct] += hits
                acc[m]["share"][pct] += taken / total_area
        for g in gids:
            y = 1.0 if actual[g] > 0 else 0.0
            acc["long_run_average"]["brier"] += (prob_long[g] - y) ** 2
            b = min(max(int(prob_long[g] * bins), 0), bins - 1)
            rel[b][0] += 1
            rel[b][1] += prob_long[g]
            rel[b][2] += y

    out = {}
    for m in methods:
        res = {}
        for pct in (5, 10):
            hit = acc[m]["hits"][pct] / n_events if n_events else 0.0
            mean_share = acc[m]["share"][pct] / len(months)
            res["hit_rate_%d" % pct] = hit
            res["pai_%d" % pct] = hit / mean_share if mean_share > 0 else 0.0
        if m == "long_run_average":
            res["brier"] = acc[m]["brier"] / (len(months) * len(gids))
            res["reliability"] = [
                {"p_lo": b / bins, "p_hi": b / bins + 1 / bins, "n": n,
                 "mean_predicted": p / n if n else 0.0, "observed": y / n if n else 0.0}
                for b, (n, p, y) in enumerate(rel)]
        out[m] = res
    out["cells"] = len(gids)
    out["events"] = n_events
    out["months"] = len(months)
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
