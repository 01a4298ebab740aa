#!/usr/bin/env python3
"""Scale the real UCDP GED rows to N rows for benchmarks and crash tests.

Each output row is a real row with a new id (source id + k * 10,000,000), its dates shifted by
up to +-180 days and its point moved by up to +-0.05 degrees (about 5 km), so that the scaled
file exercises the same parser paths, the same precision rules and realistic district
assignment. The header and the UCDP quirks (a trailing comma on every data row, MM/DD/YYYY
dates, quoted newlines) are kept.

usage: scale_ucdp.py INPUT OUTPUT N [--seed S]
"""
import argparse
import csv
import datetime
import random
import sys


def shift_date(text, days):
    d = datetime.datetime.strptime(text, "%m/%d/%Y %H:%M:%S") + datetime.timedelta(days=days)
    return d.strftime("%m/%d/%Y %H:%M:%S")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.input, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    col = {name: i for i, name in enumerate(header)}
    with open(args.output, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for k in range(args.n):
            row = list(rows[k % len(rows)])
            rep = k // len(rows)
            if rep > 0:
                row[col["id"]] = str(int(row[col["id"]]) + rep * 10_000_000)
                days = rng.randint(-180, 180)
                row[col["date_start"]] = shift_date(row[col["date_start"]], days)
                row[col["date_end"]] = shift_date(row[col["date_end"]], days)
                lat = float(row[col["latitude"]]) + rng.uniform(-0.05, 0.05)
                lon = float(row[col["longitude"]]) + rng.uniform(-0.05, 0.05)
                row[col["latitude"]] = f"{lat:.6f}"
                row[col["longitude"]] = f"{lon:.6f}"
                row[col["geom_wkt"]] = f"POINT ({lon:.6f} {lat:.6f})"
            writer.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
