#!/usr/bin/env python3
"""Checks Corridor's public exports against the official standards in ../shared/standards,
with implementations independent of Corridor: Debian's python3-jsonschema for the OC4IDS
package schema (draft-04; the schema's absolute $refs mapped to the local files, no network)
plus the OC4IDS data review tool's checks beyond the schema; `xmllint --schema` for IATI 2.03
plus the IATI standard ruleset listed in issue 13.

usage: validate_exports.py oc4ids FILE STANDARDS_DIR
       validate_exports.py iati FILE STANDARDS_DIR TODAY(YYYY-MM-DD)
Prints one line per problem and exits 1 when there is any; prints "ok ..." otherwise.
"""
import json
import os
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET

warnings.simplefilter("ignore", DeprecationWarning)  # RefResolver: Debian's jsonschema 4.10 has no replacement

try:
    import jsonschema
    from jsonschema import Draft4Validator, RefResolver
except ImportError as e:  # never skip: CI must install python3-jsonschema
    print("python3-jsonschema is required: " + str(e))
    sys.exit(2)


def oc4ids(path, standards):
    base = os.path.join(standards, "oc4ids-0.9", "schema", "project-level")
    package_schema = json.load(open(os.path.join(base, "project-package-schema.json")))
    project_schema = json.load(open(os.path.join(base, "project-schema.json")))
    store = {}
    for s in (package_schema, project_schema):
        if "id" in s:
            store[s["id"]] = s
    # The package refers to the project schema by its published URL.
    ref = package_schema["properties"]["projects"]["items"]["$ref"]
    store[ref] = project_schema
    resolver = RefResolver.from_schema(package_schema, store=store)
    doc = json.load(open(path))
    problems = []
    v = Draft4Validator(package_schema, resolver=resolver,
                        format_checker=jsonschema.FormatChecker())
    for err in sorted(v.iter_errors(doc), key=lambda e: list(e.path)):
        problems.append("schema: /" + "/".join(str(p) for p in err.path) + ": " + err.message)
    # The data review tool's checks beyond the schema.
    for i, p in enumerate(doc.get("projects", [])):
        where = "/projects/%d" % i
        if not re.match(r"^oc4ids-[a-z0-9]{6}-", p.get("id", "")):
            problems.append(where + "/id: no oc4ids-xxxxxx- prefix: " + p.get("id", ""))
        parties = {q["id"] for q in p.get("parties", [])}

        def walk(node, ptr):
            if isinstance(node, dict):
                if "amount" in node and isinstance(node["amount"], (int, float)) \
                        and "currency" not in node:
                    problems.append(ptr + ": an amount without a currency")
                for k, val in node.items():
                    if k in ("publicAuthority", "financingParty", "sourceParty", "payer", "payee") \
                            and isinstance(val, dict) and val.get("id") not in parties:
                        problems.append(ptr + "/" + k + ": party " + str(val.get("id")) +
                                        " is not in parties")
                    walk(val, ptr + "/" + k)
            elif isinstance(node, list):
                for j, val in enumerate(node):
                    walk(val, ptr + "/" + str(j))
            elif node == "" or node is None:
                problems.append(ptr + ": blank value (withheld fields must be absent)")
        walk(p, where)
    return problems, len(doc.get("projects", []))


def iati(path, standards, today):
    xsd = os.path.join(standards, "iati-2.03", "iati-activities-schema.xsd")
    r = subprocess.run(["xmllint", "--noout", "--schema", xsd, path],
                       capture_output=True, text=True)
    problems = []
    if r.returncode != 0:
        problems += ["xmllint: " + line for line in r.stderr.splitlines() if line.strip()]
    root = ET.parse(path).getroot()
    acts = root.findall("iati-activity")
    for a in acts:
        ident = a.findtext("iati-identifier", "")
        org = a.find("reporting-org")
        ref = org.get("ref", "") if org is not None else ""
        where = "activity " + ident
        if not ref or not ident.startswith(ref + "-"):
            problems.append(where + ": identifier not prefixed by the reporting-org ref " + ref)
        if not a.findall("sector") and not any(t.findall("sector") for t in a.findall("transaction")):
            problems.append(where + ": no sector")
        countries = a.findall("recipient-country")
        regions = a.findall("recipient-region")
        total = sum(float(c.get("percentage", "0")) for c in countries + regions)
        if countries + regions and abs(total - 100) > 1e-9:
            problems.append(where + ": recipient percentages sum to %g" % total)
        dates = {d.get("type"): d.get("iso-date") for d in a.findall("activity-date")}
        for s, e in (("1", "3"), ("2", "4"), ("1", "4"), ("2", "3")):
            if s in dates and e in dates and dates[e] < dates[s]:
                if (s, e) in (("1", "3"), ("2", "4")):
                    problems.append(where + ": end date %s before start %s" % (dates[e], dates[s]))
        for t in ("2", "4"):
            if t in dates and dates[t] > today:
                problems.append(where + ": actual date %s in the future" % dates[t])
        default_currency = a.get("default-currency")
        for v in a.iter("value"):
            if not (v.get("currency") or default_currency):
                problems.append(where + ": a value without currency")
        for t in a.findall("transaction"):
            d = t.find("transaction-date")
            if d is not None and d.get("iso-date") > today:
                problems.append(where + ": transaction date in the future")
        for el in a.iter():
            if el.text is not None and el.text.strip() == "" and len(el) == 0 and el.tag == "narrative":
                problems.append(where + ": blank narrative")
    return problems, len(acts)


def main():
    kind, path, standards = sys.argv[1], sys.argv[2], sys.argv[3]
    if kind == "oc4ids":
        problems, n = oc4ids(path, standards)
    else:
        problems, n = iati(path, standards, sys.argv[4])
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print("ok %s %d" % (kind, n))


if __name__ == "__main__":
    main()
