#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-16 (ASan + UBSan) and runs each for
# FUZZ_SECONDS (default 60), seeded from the test fixtures and ../shared data.
#   tools/fuzz.sh [TARGET...]     default: every fuzz_* target
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_csv_reader fuzz_source_adapters fuzz_incident_json fuzz_filter fuzz_stix
  fuzz_params fuzz_taxii_envelope fuzz_bodies)
for t in "${targets[@]}"; do
  corpus="$root/build/fuzz/corpus/$t"
  mkdir -p "$corpus"
  case "$t" in
    fuzz_csv_reader|fuzz_source_adapters)
      cp -n tests/fixtures/gtd/*.csv tests/fixtures/acled/*.csv "$corpus/" 2>/dev/null || true
      head -c 20000 ../shared/data/ucdp-ged-pakistan/pakistan.csv > "$corpus/ucdp-head.csv" 2>/dev/null || true ;;
    fuzz_incident_json)
      printf '{"date_start":"2019-01-01","category":"bombing","latitude":33.7,"longitude":73.1}' > "$corpus/seed.json" ;;
    fuzz_filter)
      printf 'near=33.7,73.1,25' > "$corpus/near"; printf 'bbox=60,23,78,38' > "$corpus/bbox" ;;
    fuzz_stix)
      cp -n tests/fuzz_seeds/stix/*.json "$corpus/" 2>/dev/null || true ;;
    fuzz_params|fuzz_taxii_envelope|fuzz_bodies)
      # Seeds, including every input that once crashed (crash-*), kept as regressions.
      cp -n tests/fuzz_seeds/"${t#fuzz_}"/* "$corpus/" 2>/dev/null || true ;;
  esac
  echo "fuzz: $t for ${seconds}s"
  "$root/build/fuzz/fuzz/$t" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 "$corpus"
done
