// Any bytes as JSON: parsing an incident never crashes, and an accepted
// incident survives ToJson -> IncidentFromJson unchanged.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "corridor/model/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto json = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;
  auto incident = corridor::model::IncidentFromJson(json);
  if (!incident) {
    if (incident.error().message.empty() || incident.error().message[0] != '/') std::abort();
    return 0;
  }
  auto again = corridor::model::IncidentFromJson(corridor::model::ToJson(*incident));
  if (!again || !(*again == *incident)) std::abort();
  return 0;
}
