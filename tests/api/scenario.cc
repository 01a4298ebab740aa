#include "api/scenario.h"

#include <fstream>
#include <stdexcept>

namespace corridor::testing {

std::vector<ScenarioStep> ParseScenario(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read scenario " + path);
  std::vector<ScenarioStep> steps;
  std::string line;
  int number = 0;
  bool in_step = false;
  const auto fail = [&](const std::string& why) {
    throw std::runtime_error(path + ":" + std::to_string(number) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      in_step = false;
      continue;
    }
    if (line[0] == '#') continue;
    const auto space = line.find(' ');
    const std::string word = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (!in_step) {
      if (word != "GET" && word != "POST" && word != "PUT" && word != "DELETE") {
        fail("expected a request line (GET/POST/PUT/DELETE PATH), got '" + line + "'");
      }
      steps.push_back({word, rest, "", {}, number});
      in_step = true;
      continue;
    }
    ScenarioStep& step = steps.back();
    if (word == "body") {
      step.body = rest;
    } else if (word == "status" || word == "contains") {
      step.expectations.push_back({word, "", rest, number});
    } else if (word == "header" || word == "json" || word == "size") {
      const auto sep = rest.find(' ');
      if (sep == std::string::npos) fail(word + " needs a target and a value");
      step.expectations.push_back({word, rest.substr(0, sep), rest.substr(sep + 1), number});
    } else {
      fail("unknown expectation '" + word + "'");
    }
  }
  return steps;
}

}  // namespace corridor::testing
