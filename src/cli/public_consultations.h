// `corridor public consultations …` and `corridor public codes …`
// (public_consultations.cc). Private to src/cli.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/public_common.h"
#include "corridor/public_side/consultations.h"

namespace corridor::public_cli {

// What the commands parse into; owned by Main, outlives the parse.
struct ConsultationArgs {
  public_side::ConsultationInput open;
  std::string id, title, body, lang = "ur", text, output, parent;
  bool with_code = false;
  int count = 100;
  public_side::ModerationInput moderation;
  int limit = 50;
};

void AddConsultationCommands(CLI::App& app, const Globals& g, ConsultationArgs& args, int& status);

}  // namespace corridor::public_cli
