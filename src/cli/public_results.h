// `corridor public results …` (public_results.cc). Private to src/cli.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/public_common.h"
#include "corridor/public_side/outcomes.h"

namespace corridor::public_cli {

// What the commands parse into; owned by Main, outlives the parse.
struct ResultArgs {
  public_side::OutcomeInput in;
  public_side::ProgressInput progress;
  std::string id;
};

void AddResultCommands(CLI::App& app, const Globals& g, ResultArgs& args, int& status);

}  // namespace corridor::public_cli
