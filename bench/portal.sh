#!/usr/bin/env bash
# The public portal's budgets on a slow phone (issue 13 §2, WAVE2.md: 400 kbit/s
# down, 400 ms round trip): web/tests/portal.mjs against the release build of
# corridor-public with CORRIDOR_WEB_BUDGETS=enforce, so a first view over 150 KB
# or a first contentful paint over 1.5 s fails. Outside CI (bench/README.md);
# the figures go to build/portal-screenshots/budgets.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --test >/dev/null
bash scripts/web.sh >/dev/null
cmake --preset bench >/dev/null
cmake --build --preset bench --target corridor-public >/dev/null
CORRIDOR_PUBLIC_BIN="$root/build/bench/corridor-public" CORRIDOR_SOURCE_DIR="$root" \
  CORRIDOR_BUILD_DIR="$root/build/bench" CORRIDOR_WEB_BUDGETS=enforce \
  node "$root/web/tests/portal.mjs"
python3 - "$root/build/portal-screenshots/budgets.json" <<'PY'
import json, sys
for v in json.load(open(sys.argv[1]))["views"]:
    print(f"{v['view']:>16}: {v['bytes'] / 1024:6.1f} KB, first contentful paint {v['first_contentful_paint_ms']} ms")
PY
