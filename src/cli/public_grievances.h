// `corridor public grievances …` (public_grievances.cc). Private to src/cli.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/public_common.h"
#include "corridor/public_side/grievances.h"

namespace corridor::public_cli {

struct FileArgs {
  public_side::GrievanceInput input;
  std::string description_file;
};

// What the commands parse into; owned by Main, outlives the parse.
struct GrievanceArgs {
  FileArgs file;
  std::string receipt, action, text, id, path;
  std::int64_t seq = 1;
  public_side::GrievanceListFilter filter;
};

void AddGrievanceCommands(CLI::App& app, const Globals& g, GrievanceArgs& args, int& status);

}  // namespace corridor::public_cli
