// `corridor data fetch DIR`: download the shared datasets from their pinned origins.
#pragma once

#include <CLI/CLI.hpp>

namespace corridor::cli {

// Adds `data fetch` and `data verify` to `app`; they set `status` when run.
void AddDataCommands(CLI::App& app, const bool& json, int& status);

}  // namespace corridor::cli
