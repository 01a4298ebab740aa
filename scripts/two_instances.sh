#!/usr/bin/env bash
# The README's two-instance walk-through, run on loopback and checked step by step (issue 6,
# "done means"): two instances, a partner added on each, an assessment filed as AMBER for the
# partner arrives there, a RED one does not, a revocation follows, the audit on both sides shows
# each crossing, and the exported objects validate against the official STIX 2.1 schemas
# (tests/stix/validate_stix.py, Debian's python3-jsonschema).
#
#   scripts/two_instances.sh [WORK_DIR]
#
# CORRIDOR_BIN picks the binary (default build/corridor); CORRIDOR_DATA the shared data folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corridor="${CORRIDOR_BIN:-$root/build/corridor}"
data="${CORRIDOR_DATA:-$root/../shared/data}"
standards="${CORRIDOR_STANDARDS:-$root/../shared/standards}"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cd "$work"
rm -f a.db* b.db*
password='a long enough password'
step() { printf '\n== %s\n' "$*"; }
fail() { echo "two_instances: FAILED: $*" >&2; exit 1; }
c() { "$corridor" "$@"; }
last_line() { tail -1; }
json_get() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
serve() {  # DB PORT
  "$corridor" --db "$1" serve --listen "127.0.0.1:$2" >"$1.serve.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 200); do
    grep -q "127.0.0.1:$2/" "$1.serve.log" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$1.serve.log" >&2
  fail "corridor serve on $1 did not start"
}

step "each instance: its own organisation, the partner's, an account and a token for the partner"
c --db a.db orgs add PK-NACTA --own --trust-group bilateral
c --db a.db orgs add CN-MPS --trust-group bilateral
echo "$password" | c --db a.db users add sync-cn-mps --org CN-MPS --role partner >/dev/null
token_for_b=$(c --db a.db tokens create sync-cn-mps | last_line)
c --db b.db orgs add CN-MPS --own --trust-group bilateral
c --db b.db orgs add PK-NACTA --trust-group bilateral
echo "$password" | c --db b.db users add sync-pk-nacta --org PK-NACTA --role partner >/dev/null
token_for_a=$(c --db b.db tokens create sync-pk-nacta | last_line)
c --db a.db areas load --level 1 "$data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm1_wfp_20220909.shp"

step "both serve; each pins the other's key and adds it as a partner"
port_a=$(free_port)
port_b=$(free_port)
serve a.db "$port_a"
serve b.db "$port_b"
a_key=$(c --db a.db --json keys show | json_get 'd["keys"][-1]["public_key"]')
b_key=$(c --db b.db --json keys show | json_get 'd["keys"][-1]["public_key"]')
echo "$token_for_b" | c --db b.db sync add-partner --name nacta --org PK-NACTA \
  --url "http://127.0.0.1:$port_a" --api-root bilateral --public-key "$a_key"
echo "$token_for_a" | c --db a.db sync add-partner --name mps --org CN-MPS \
  --url "http://127.0.0.1:$port_b" --api-root bilateral --public-key "$b_key"

step "on A an analyst files an AMBER assessment for CN-MPS and a RED one"
echo "$password" | c --db a.db users add ayesha --org PK-NACTA --role analyst >/dev/null
analyst=$(c --db a.db tokens create ayesha | last_line)
amber=$(CORRIDOR_TOKEN=$analyst c --db a.db --json assessments add --title "Road attacks rising" \
  --body "Three attacks on the N-25 since March." --area PK2 --marking TLP:AMBER --org CN-MPS |
  json_get 'd["id"]')
echo "AMBER assessment $amber"
red=$(CORRIDOR_TOKEN=$analyst c --db a.db --json assessments add --title "Source-sensitive" \
  --body "Never leaves this instance." --marking TLP:RED | json_get 'd["id"]')
echo "RED assessment $red"
CORRIDOR_TOKEN=$analyst c --db a.db sync preview "$amber"

step "B pulls from A; A pulls from B"
c --db b.db --json sync run | tee b.sync1.json
c --db a.db --json sync run >a.sync1.json
received=$(c --db b.db --json audit list --action sync-receive | json_get 'sum(len(e["objects"]) for e in d)')
[ "$received" -ge 1 ] || fail "B audited no receipt"
echo "$password" | c --db b.db users add li --org CN-MPS --role analyst >/dev/null
reader=$(c --db b.db tokens create li | last_line)
CORRIDOR_TOKEN=$reader c --db b.db --json assessments list >b.list.json
python3 - "$amber" "$red" b.list.json <<'PY' || fail "B does not hold exactly the AMBER assessment"
import json, sys
amber, red, path = sys.argv[1], sys.argv[2], sys.argv[3]
rows = {a["id"]: a for a in json.load(open(path))}
a = rows.get(amber)
assert a and a["title"] == "Road attacks rising" and a["marking"] == "TLP:AMBER", rows
assert red not in rows, "the RED assessment reached B"
print("B holds", amber, a["marking"], "from", a["author_org"], "- and not the RED one", red)
PY
c --db b.db --json audit list --action sync-receive | grep -q "$red" && fail "B audited the RED one"
c --db a.db --json audit list --action sync-send | grep -q "$red" && fail "A sent the RED one"

step "A revokes it; B's copy is removed at the next pull"
CORRIDOR_TOKEN=$analyst c --db a.db revoke "$amber"
c --db b.db --json sync run | tee b.sync2.json
CORRIDOR_TOKEN=$reader c --db b.db --json assessments list >b.list2.json
python3 - "$amber" b.list2.json <<'PY' || fail "the revocation did not reach B"
import json, sys
amber, path = sys.argv[1], sys.argv[2]
assert amber not in {a["id"] for a in json.load(open(path))}
print("B no longer lists", amber)
PY

step "the audit on both sides shows each crossing"
c --db a.db --json audit list --action sync-send >a.sent.json
c --db b.db --json audit list --action sync-receive >b.received.json
python3 - "$amber" a.sent.json b.received.json <<'PY' || fail "a crossing is missing from the audit"
import json, sys
amber, sent, received = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
to_b = [e for e in sent if amber in e["objects"]]
at_b = [e for e in received if amber in e["objects"]]
assert len(to_b) == 2, to_b    # the assessment, then its tombstone
assert len(at_b) == 2, at_b
print("A sent", amber, "twice (object, tombstone); B received it twice")
PY

step "every exported object validates against the official STIX 2.1 schemas"
CORRIDOR_TOKEN=$analyst c --db a.db assessments add --title "Second look" --body "Quieter." \
  --marking TLP:AMBER --org CN-MPS >/dev/null
CORRIDOR_TOKEN=$analyst c --db a.db export stix --output export.json
/usr/bin/python3 "$root/tests/stix/validate_stix.py" "$standards/stix2.1/schemas" \
  "$root/docs/stix/corridor-extension.schema.json" \
  "$root/docs/stix/corridor-signature-extension.schema.json" export.json

echo
echo "two_instances: every step passed (work files in $work)"
