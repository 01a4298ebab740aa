// `corridor sync add-partner|list|run|preview` and `corridor revoke`: partner
// sync over TAXII 2.1 (issue 6, docs/sync_protocol.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace corridor::cli {

// Adds `sync` and `revoke` to `app`; `db` and `json` are read when a command
// runs; `status` receives the exit status (0, 1 failed, 2 usage).
void AddSyncCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
