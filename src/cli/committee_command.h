// `corridor committees|meetings|decisions|actions` (issue 15 §1,
// docs/committee.md): the committee workspace as $CORRIDOR_TOKEN's user,
// through the same service calls as /api/v1/committees. With --json a create
// prints {"id": ...} and a list prints a JSON document.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace corridor::cli {

// `db` and `json` are read when a command runs; `status` receives the exit
// status (0, 1 failed or refused, 2 usage).
void AddCommitteeCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
