// `corridor risk index|vulnerability|hotspots|gistar|knox`: the impact index,
// the structural vulnerability index and the hotspot analyses (docs/methods.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace corridor::cli {

// Adds `risk index` and `risk vulnerability` to `app`. `db` (the store path)
// and `json` are read when a command runs (after parsing); `status` is set
// to the exit status (0 done, 1 failed, 2 usage error).
void AddRiskCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

// Adds `risk hotspots`, `risk gistar` and `risk knox` under `risk_cmd`
// (hotspots_command.cc); same conventions as AddRiskCommands.
void AddHotspotCommands(CLI::App& risk_cmd, const std::string& db, const bool& json, int& status);

// Adds `risk exposure` under `risk_cmd` (exposure_command.cc); same conventions.
void AddExposureCommand(CLI::App& risk_cmd, const std::string& db, const bool& json, int& status);
// Adds `risk forecast` and `risk backtest` under `risk_cmd` (forecast_command.cc).
void AddEarlyWarningCommands(CLI::App& risk_cmd, const std::string& db, const bool& json,
                             int& status);

}  // namespace corridor::cli
