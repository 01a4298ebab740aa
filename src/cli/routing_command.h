// `corridor roads load FILE.osm.pbf`, `corridor roads list` and `corridor route`
// (issue 17 item 6, docs/routing.md): the same service calls as
// GET /api/v1/route (service/routing.h), as $CORRIDOR_TOKEN's user or, without
// a token, as the operator (who reads TLP:CLEAR incidents only).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace corridor::cli {

// `db` and `json` are read when a command runs; `status` receives the exit
// status (0, 1 failed, 2 usage).
void AddRoutingCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
