// `corridor links find|list|confirm|reject` (issue 17 item 11, docs/links.md):
// one event, several sources; the same service calls as /api/v1/links...
// (service/links.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace corridor::cli {

// `db` and `json` are read when a command runs; `status` receives the exit
// status (0, 1 failed, 2 usage).
void AddLinkCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
