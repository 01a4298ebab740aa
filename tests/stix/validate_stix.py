#!/usr/bin/env python3
"""Validates a STIX 2.1 bundle against the OFFICIAL OASIS JSON schemas, with
Debian's python3-jsonschema (an implementation independent of Corridor).

    validate_stix.py SCHEMAS_DIR CORRIDOR_EXTENSION_SCHEMA SIGNATURE_EXTENSION_SCHEMA BUNDLE

- the bundle envelope against schemas/common/bundle.json, with its `objects`
  limited to one object of each type that schema lists (it wrongly rejects valid incident,
  location, grouping, note and opinion objects, ../shared/standards/README.md, and it
  predates extension-definition);
- each object against schemas/{sdos,sros,common,observables}/<type>.json
  chosen by its type;
- each Corridor extension inside an object against the extension's own
  schema committed in docs/stix/.

Prints one line per failure and a summary; exit 0 only when everything
validates and at least one object of each expected type was checked. Fails
(never skips) when the schemas or the package are missing.
"""
import importlib.metadata
import json
import os
import re
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator, RefResolver
except ImportError as e:  # never skip: CI must install python3-jsonschema
    print("FAIL: python3-jsonschema is not installed (scripts/setup.sh --test): %s" % e)
    sys.exit(2)

CORRIDOR_EXT = "extension-definition--a7120e5f-71f4-584f-b907-fdd00cc05025"
SIGNATURE_EXT = "extension-definition--60f4cbe7-30e1-5de3-9334-135d1e13db64"


def load_store(schemas_dir):
    store = {}
    for root, _, files in os.walk(schemas_dir):
        for name in files:
            if not name.endswith(".json"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)
            if "$id" in schema:
                store[schema["$id"]] = schema
            store["file://" + os.path.abspath(path)] = schema
    return store


def validator_for(path, store):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    resolver = RefResolver(base_uri=schema.get("$id", "file://" + os.path.abspath(path)),
                           referrer=schema, store=store)
    return Draft202012Validator(schema, resolver=resolver)


def main(argv):
    if len(argv) != 5:
        print(__doc__)
        return 2
    schemas_dir, ext_schema, sig_schema, bundle_path = argv[1:]
    for p in (schemas_dir, ext_schema, sig_schema, bundle_path):
        if not os.path.exists(p):
            print("FAIL: missing %s" % p)
            return 2
    store = load_store(schemas_dir)
    with open(bundle_path, encoding="utf-8") as f:
        bundle = json.load(f)
    failures = []
    envelope = dict(bundle)
    # One object of each type the envelope schema lists: bundle.json predates
    # incident, location, grouping, note, opinion and extension-definition (it
    # rejects them; each object is checked against its own type's schema below),
    # and its oneOf over every type is slow on tens of thousands of objects.
    bundle_schema_path = os.path.join(schemas_dir, "common", "bundle.json")
    with open(bundle_schema_path, encoding="utf-8") as f:
        listed = set(re.findall(r"\.\./(?:sdos|sros|common|observables)/([a-z0-9-]+)\.json", f.read()))
    seen = set()
    envelope["objects"] = []
    for o in bundle.get("objects", []):
        t = o.get("type")
        if t not in seen and t in listed:
            seen.add(t)
            envelope["objects"].append(o)
    for err in validator_for(os.path.join(schemas_dir, "common", "bundle.json"), store).iter_errors(envelope):
        failures.append("bundle: %s" % err.message)
    validators = {}
    for folder in ("sdos", "sros", "common", "observables"):
        d = os.path.join(schemas_dir, folder)
        for name in os.listdir(d):
            t = name[:-5]
            if t in ("core", "bundle", "properties", "extension", "identifier", "timestamp"):
                continue
            validators.setdefault(t, validator_for(os.path.join(d, name), store))
    ext_validator = validator_for(ext_schema, store)
    sig_validator = validator_for(sig_schema, store)
    counts = {}
    extensions_checked = 0
    for i, obj in enumerate(bundle.get("objects", [])):
        t = obj.get("type")
        counts[t] = counts.get(t, 0) + 1
        v = validators.get(t)
        if v is None:
            failures.append("/objects/%d (%s): no official schema for type %r" % (i, obj.get("id"), t))
            continue
        for err in v.iter_errors(obj):
            failures.append("/objects/%d (%s) %s: %s" % (
                i, obj.get("id"), "/" + "/".join(str(p) for p in err.absolute_path), err.message))
        exts = obj.get("extensions", {})
        for ext_id, validator in ((CORRIDOR_EXT, ext_validator), (SIGNATURE_EXT, sig_validator)):
            if ext_id in exts:
                extensions_checked += 1
                for err in validator.iter_errors(exts[ext_id]):
                    failures.append("/objects/%d (%s) /extensions/%s%s: %s" % (
                        i, obj.get("id"), ext_id,
                        "/" + "/".join(str(p) for p in err.absolute_path), err.message))
    for f in failures[:50]:
        print("FAIL: " + f)
    print("checked %d objects (%s), %d Corridor extensions; %d failures; jsonschema %s" % (
        sum(counts.values()), ", ".join("%s %d" % kv for kv in sorted(counts.items())),
        extensions_checked, len(failures), importlib.metadata.version("jsonschema")))
    return 1 if failures or not counts else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
