#!/usr/bin/env bash
# The web application's time budgets (issue 5) on the release build (outside CI;
# bench/README.md): the browser tests of web/tests/browser.mjs against
# build/bench/corridor with CORRIDOR_WEB_BUDGETS=enforce, so a first meaningful
# render over 2 s or a main-thread task over 200 ms while panning fails. Run it
# on a quiet machine: the figures go to build/web-screenshots/budgets.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --test >/dev/null
bash scripts/web.sh >/dev/null
cmake --preset bench >/dev/null
cmake --build --preset bench >/dev/null
CORRIDOR_BIN="$root/build/bench/corridor" CORRIDOR_SOURCE_DIR="$root" \
  CORRIDOR_BUILD_DIR="$root/build/bench" CORRIDOR_WEB_BUDGETS=enforce \
  node "$root/web/tests/browser.mjs"
