// `corridor briefing --period YYYY-MM --area PCODE --lang en|ur|zh --format
// html|pdf --output FILE` (issue 15 §4, docs/briefing.md): the same service
// call as GET /api/v1/briefing (service/briefing.h), as $CORRIDOR_TOKEN's
// user or, without a token, as the operator (who reads TLP:CLEAR only).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace corridor::cli {

// `db` and `json` are read when the command runs; `status` receives the exit
// status (0, 1 failed, 2 usage).
void AddBriefingCommand(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
