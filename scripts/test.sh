#!/usr/bin/env bash
# Sets up, builds (debug + AddressSanitizer + UndefinedBehaviorSanitizer) and runs every test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup.sh --test
bash scripts/web.sh
bash scripts/geonames.sh  # the gazetteer tests read the real GeoNames cities1000
cmake --preset debug >/dev/null
cmake --build --preset debug
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
tests=0
ctest --preset debug -j "$(nproc)" || tests=$?
# Formatting and clang-tidy on the C++ files changed since tools/lint-base (time-limited), after
# the tests so that a style finding never hides a test result.
lint=0
LINT_SECONDS="${LINT_SECONDS:-600}" bash tools/lint.sh || lint=$?
# The demo's release build (-O3) sees warnings the debug build does not (a false
# -Wmaybe-uninitialized in Boost.Geometry broke it unnoticed): it must compile too.
release=0
{ cmake --preset release >/dev/null && cmake --build --preset release; } || release=$?
echo "test.sh: tests exit $tests, lint exit $lint, release build exit $release"
[ $tests -eq 0 ] && [ $lint -eq 0 ] && [ $release -eq 0 ]
