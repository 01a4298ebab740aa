// `corridor export stix`, `corridor ingest --format stix` (RunStixIngest),
// `corridor keys show|rotate|compromise` and `corridor assessments
// add|list|show` (issue 6, part A; docs/stix.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "corridor/model/filter.h"

namespace corridor::cli {

// The signing key ring of a store: `<db>.signing-keys` beside the instance
// key file (docs/stix.md, "Keys").
std::string SigningKeysPathFor(const std::string& db);

// Imports STIX 2.1 bundles. Signatures are checked against this instance's
// own keys and every public key file in `trusted_keys` (`corridor keys show
// --json` of a partner). Rejected objects go, with their reasons, to
// `rejects` (default `<input name>.rejects.json` here). Exit 0, 1 failed,
// 3 some objects rejected.
int RunStixIngest(const std::string& db, bool json, const std::vector<std::string>& files,
                  const std::vector<std::string>& trusted_keys, const std::string& rejects);

// Writes a bundle of everything the caller may read (as `query` does:
// $CORRIDOR_TOKEN's user, else the CLEAR-only operator) to `output` ("" =
// standard output), audited as an export before anything is written out.
int RunStixExport(const std::string& db, bool json, const model::IncidentFilter& filter,
                  const std::string& output, bool assessments);

// Adds `keys` and `assessments` to `app` (`export stix` is added by main.cc,
// which owns the filter flags).
void AddStixCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
