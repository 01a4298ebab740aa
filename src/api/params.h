// Reading query parameters into typed params: every parameter must be known,
// given once, and valid; errors name the parameter (HTTP 400).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "corridor/api/api.h"
#include "corridor/common/result.h"
#include "corridor/model/filter.h"
#include "corridor/store/store.h"

namespace corridor::api {

class ParamReader {
 public:
  explicit ParamReader(const Request& request) : request_(request) {}

  // The value of `name`, or nullopt. Marks `name` as known.
  Result<std::optional<std::string>> Get(std::string_view name);
  // Fails naming the first parameter no Get() asked for, or one given twice.
  Result<void> CheckAllKnown() const;

 private:
  const Request& request_;
  std::set<std::string, std::less<>> known_;
};

// Reads the shared incident filters (from, to, area, bbox, near, category,
// text, dataset) from `reader`.
Result<model::IncidentFilter> ReadFilter(ParamReader& reader);

// Reads `limit` (default `default_limit`, 1..`max_limit`) and `cursor`.
Result<store::PageRequest> ReadPage(ParamReader& reader, int default_limit, int max_limit);

// A finite number parameter; nullopt when absent, kInvalidArgument naming it
// when it does not parse.
Result<std::optional<double>> ReadNumber(ParamReader& reader, std::string_view name);

}  // namespace corridor::api
