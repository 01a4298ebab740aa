// `corridor armed-organisations [ID]` (issue 17 item 12, docs/organisations.md):
// the ranking and one organisation's page, the same service calls as
// GET /api/v1/armed-organisations[/{id}] (service/organisations.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace corridor::cli {

// `db` and `json` are read when a command runs; `status` receives the exit
// status (0, 1 failed, 2 usage).
void AddOrganisationCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
