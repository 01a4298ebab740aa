// `corridor public meetings …` (public_meetings.cc). Private to src/cli.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/public_common.h"
#include "corridor/public_side/meetings.h"

namespace corridor::public_cli {

// What the commands parse into; owned by Main, outlives the parse.
struct MeetingArgs {
  public_side::MeetingInput in;
  store::MeetingQuery query;
  std::string id, text, output, base_uri = "http://127.0.0.1:8090", lang = "ur";
};

void AddMeetingCommands(CLI::App& app, const Globals& g, MeetingArgs& args, int& status);

}  // namespace corridor::public_cli
