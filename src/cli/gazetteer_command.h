// `corridor gazetteer load FILE` and `corridor places [QUERY]` (issue 17
// item 1, docs/places.md): the same service calls as GET /api/v1/places
// (service/gazetteer.h), as $CORRIDOR_TOKEN's user or the operator.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace corridor::cli {

// `db` and `json` are read when a command runs; `status` receives the exit
// status (0, 1 failed, 2 usage).
void AddGazetteerCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
