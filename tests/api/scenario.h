// Scenario files for the API (DuckDB sqllogictest / OSRM cucumber style):
// requests and the expected responses, no C++. Format, one block per request:
//
//   # a comment
//   GET /api/v1/incidents?limit=2
//   status 200
//   header Content-Type application/json
//   json /count 2                       (JSON pointer, then a JSON value)
//   size /items 2                       (array or object size at a pointer)
//   contains "next_cursor"              (the raw body contains the text)
//   <blank line ends the block>
#pragma once

#include <string>
#include <vector>

namespace corridor::testing {

struct Expectation {
  std::string kind;     // status, header, json, size, contains
  std::string target;   // header name or JSON pointer
  std::string value;    // expected value text
  int line = 0;
};

struct ScenarioStep {
  std::string method;
  std::string target;   // path and query
  std::string body;     // "body <json>" line, for POST
  std::vector<Expectation> expectations;
  int line = 0;
};

// Parses a scenario file; throws std::runtime_error naming file:line on a bad line.
std::vector<ScenarioStep> ParseScenario(const std::string& path);

}  // namespace corridor::testing
