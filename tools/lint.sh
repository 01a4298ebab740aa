#!/usr/bin/env bash
# Style checks on the C++ files changed since a base commit (STYLE.md §6, issue 12):
#   clang-format-16 (.clang-format) — every changed file must be formatted;
#   clang-tidy-16 (.clang-tidy)     — no diagnostic inside a changed file, within a time limit.
#
#   tools/lint.sh [BASE]     BASE: a commit (default: the one in tools/lint-base, recorded when the
#                            checks were introduced; older code is brought in as it changes)
#   LINT_SECONDS=N           clang-tidy's time budget (default 900); files are taken most recently
#                            changed first, and the ones left over are listed, not passed silently
#   LINT_BUILD=DIR           the build folder with compile_commands.json (default build/debug)
#
# The project's GCC-only flags are taken out of the compile commands handed to clang.
# Exit 0 when clean, 1 naming each finding, 2 on a setup problem.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
base="${1:-$(cat tools/lint-base)}"
budget="${LINT_SECONDS:-900}"
build="${LINT_BUILD:-build/debug}"
for tool in clang-format-16 clang-tidy-16; do
  command -v "$tool" >/dev/null || { echo "lint: $tool missing (scripts/setup.sh --test)" >&2; exit 2; }
done
git cat-file -e "$base^{commit}" 2>/dev/null || { echo "lint: no commit $base" >&2; exit 2; }
# Changed (added, copied, modified, renamed) C++ files that still exist, newest change first.
mapfile -t changed < <(git log --format= --name-only --diff-filter=ACMR "$base..HEAD" -- \
  '*.cc' '*.h' | awk 'NF && !seen[$0]++' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
# Plus uncommitted changes (a developer's run before committing).
mapfile -t -O "${#changed[@]}" changed < <(git diff --name-only --diff-filter=ACMR HEAD -- '*.cc' '*.h' |
  while read -r f; do printf '%s\n' "${changed[@]}" | grep -qxF "$f" || echo "$f"; done)
echo "lint: ${#changed[@]} C++ files changed since ${base:0:10}"
[ ${#changed[@]} -gt 0 ] || exit 0

status=0
unformatted=()
for f in "${changed[@]}"; do
  clang-format-16 --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if [ ${#unformatted[@]} -gt 0 ]; then
  status=1
  echo "lint: not formatted (clang-format-16 -i FILE):"
  printf '  %s\n' "${unformatted[@]}"
fi

[ -f "$build/compile_commands.json" ] || { echo "lint: no $build/compile_commands.json (build first)" >&2; exit 2; }
db="$(mktemp -d)"
trap 'rm -rf "$db"' EXIT
python3 - "$build/compile_commands.json" "$db/compile_commands.json" <<'PY'
import json, re, sys
gcc_only = {"-Wno-restrict", "-Wno-stringop-overflow", "-Wno-maybe-uninitialized", "-fanalyzer"}
entries = json.load(open(sys.argv[1]))
for e in entries:
    args = e["command"].split()
    args[0] = "clang++-16"
    e["command"] = " ".join(a for a in args if a not in gcc_only)
json.dump(entries, open(sys.argv[2], "w"))
PY
# A header is checked through a translation unit that includes it: its own .cc when there is one.
units=()
for f in "${changed[@]}"; do
  case "$f" in
    *.cc) units+=("$f") ;;
    include/corridor/*.h)
      stem="$(basename "$f" .h)"; sub="$(basename "$(dirname "$f")")"
      for cand in "src/$sub/$stem.cc" "src/$sub/sqlite_$stem.cc"; do [ -f "$cand" ] && units+=("$cand") && break; done ;;
    *.h) [ -f "${f%.h}.cc" ] && units+=("${f%.h}.cc") ;;
  esac
done
mapfile -t units < <(printf '%s\n' "${units[@]}" | awk 'NF && !seen[$0]++' |
  while read -r u; do grep -q "\"file\": *\"$root/$u\"" "$db/compile_commands.json" && echo "$u"; done)
start=$SECONDS
checked=0
skipped=()
findings="$db/findings"
: >"$findings"
for u in "${units[@]}"; do
  if (( SECONDS - start > budget )); then skipped+=("$u"); continue; fi
  # Only diagnostics located in a changed file count (an unchanged header's are its own matter).
  clang-tidy-16 -p "$db" --quiet "$u" 2>/dev/null | grep -E '^/.*:[0-9]+:[0-9]+: (warning|error):' |
    while IFS= read -r line; do
      file="${line%%:*}"; rel="${file#"$root"/}"
      printf '%s\n' "${changed[@]}" | grep -qxF "$rel" && echo "$line"
    done >>"$findings" || true
  checked=$((checked + 1))
done
sort -u "$findings" -o "$findings"
echo "lint: clang-tidy checked $checked translation units in $((SECONDS - start)) s"
if [ -s "$findings" ]; then
  status=1
  echo "lint: clang-tidy findings in changed files:"
  sed "s|$root/||" "$findings"
fi
if [ ${#skipped[@]} -gt 0 ]; then
  echo "lint: over the ${budget} s budget, not checked: ${skipped[*]}"
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
