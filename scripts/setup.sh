#!/usr/bin/env bash
# Installs the Debian packages Corridor needs, when they are missing (idempotent).
# Usage: scripts/setup.sh [--test|--bench|--fuzz|--scan]   (adds what tests, benchmarks, fuzzing
# or the sqlmap security scan need)
set -euo pipefail

packages=(
  build-essential make cmake ninja-build pkg-config git ca-certificates
  libsqlite3-dev sqlite3
  # The PostgreSQL backend of the store (issue 16): libpqxx 6.4 over libpq.
  libpqxx-dev
  libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev
  nlohmann-json3-dev libfmt-dev libspdlog-dev libcli11-dev libexpected-dev
  libgdal-dev gdal-bin libboost-dev libgeographiclib-dev
  libsodium-dev libkissfft-dev
  # Road routing (issue 17): libosmium reads OpenStreetMap .osm.pbf extracts (header-only).
  libosmium2-dev
  # Place search (issue 17): ICU folds names for search (traditional → simplified Chinese,
  # diacritics, case) and tells scripts apart.
  libicu-dev
  # The web application (scripts/web.sh): Node for Vite, the fonts it bundles (subset and
  # converted to woff2 by fontTools; never downloaded).
  nodejs fonts-noto-core fonts-noto-cjk python3 python3-fonttools python3-brotli
  # Grievance passphrases (issue 14): word lists of 2,048 words, read at first use: BIP-39's
  # English and Chinese (python3-mnemonic), and Urdu nouns from Apertium's dictionary.
  python3-mnemonic apertium-urd
  # The public calendar of meetings (issue 14 §2): iCalendar (RFC 5545) written by libical,
  # which escapes and folds lines (at character boundaries) as the standard says.
  libical-dev
  # Grievance attachments (issue 14 §1): metadata removed from photos by exiv2 and from PDFs
  # by qpdf before they are sealed and stored.
  libexiv2-dev libqpdf-dev
)
# chromium: the browser tests drive Debian's Chromium through playwright-core (no test tool
# downloads a browser).
test_packages=(googletest libgtest-dev libgmock-dev curl procps python3 openssl chromium nginx
  python3-jsonschema libxml2-utils  # STIX, OC4IDS (jsonschema) and IATI (xmllint) exports checked against the official schemas
  poppler-utils  # briefing PDFs checked (pdffonts, pdftotext) and their first page kept as PNG (pdftoppm)
  postgresql-15  # the conformance suites' second backend: a throwaway cluster (tools/postgresql_cluster.sh)
  clang-format-16 clang-tidy-16)  # tools/lint.sh (STYLE.md §6: version 16, as 14 cannot parse libstdc++-12's <ranges>)
# The benchmarks' peers: R with KernSmooth and spatstat (bench/kde.sh), spdep for
# tools/gistar_golden.R, PostGIS for bench/exposure.sh; wrk drives bench/load.sh and bench/api.sh
# (whose peer, nginx, the tests already install).
bench_packages=(libbenchmark-dev time wrk r-base-core r-cran-kernsmooth r-cran-spatstat.geom
  r-cran-spatstat.explore r-cran-spdep r-cran-surveillance
  postgresql-15 postgresql-15-postgis-3 postgresql-client-15)  # exposure.sh's peer: PostGIS
fuzz_packages=(clang-16 libclang-rt-16-dev)
scan_packages=(sqlmap curl python3)

want=("${packages[@]}")
case "${1:-}" in
  --test) want+=("${test_packages[@]}") ;;
  --bench) want+=("${test_packages[@]}" "${bench_packages[@]}") ;;
  --fuzz) want+=("${fuzz_packages[@]}") ;;
  --scan) want+=("${scan_packages[@]}") ;;
  "") ;;
  *) echo "usage: $0 [--test|--bench|--fuzz|--scan]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Debian's nodejs comes without npm (a machine with NodeSource's nodejs has it built in).
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#want[@]} Debian packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "setup: missing packages (${missing[*]}) and not root; run this as root or install sudo" >&2
    exit 1
  fi
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
