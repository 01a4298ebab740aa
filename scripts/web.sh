#!/usr/bin/env bash
# Builds the web application into web/dist: npm ci (the committed package-lock.json), the
# bundled fonts from Debian's font packages (web/tools/build_fonts.py), type check, vite build.
# Called by scripts/demo.sh and scripts/test.sh; `corridor serve` serves web/dist.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/web"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
echo "web: built $root/web/dist"
