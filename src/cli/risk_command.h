// `corridor risk index|vulnerability`: the impact index and the structural
// vulnerability index (docs/methods.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace corridor::cli {

// Adds `risk index` and `risk vulnerability` to `app`. `db` (the store path)
// and `json` are read when a command runs (after parsing); `status` is set
// to the exit status (0 done, 1 failed, 2 usage error).
void AddRiskCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
