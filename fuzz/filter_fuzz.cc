// Any bytes as "name=value" filter text: ParseFilterField never crashes, and
// an accepted filter is within the documented ranges.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "corridor/model/filter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto eq = text.find('=');
  if (eq == std::string::npos) return 0;
  corridor::model::IncidentFilter filter;
  const auto parsed =
      corridor::model::ParseFilterField(filter, text.substr(0, eq), text.substr(eq + 1));
  if (!parsed) {
    if (parsed.error().message.empty()) std::abort();
    return 0;
  }
  if (filter.near && (!(filter.near->km > 0) || std::abs(filter.near->lat) > 90)) std::abort();
  if (filter.bbox && (filter.bbox->min_lon > filter.bbox->max_lon ||
                      filter.bbox->min_lat > filter.bbox->max_lat)) {
    std::abort();
  }
  (void)corridor::model::ValidateFilter(filter);
  return 0;
}
