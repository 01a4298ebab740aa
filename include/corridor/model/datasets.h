// The datasets an incident can come from (model::Incident::dataset): one list
// for the filter's parser, the API's parameter schemas and their OpenAPI
// enums, so that a new dataset is added in one place.
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace corridor::model {

inline constexpr std::array<std::string_view, 5> kIncidentDatasets = {"ucdp-ged", "gtd", "acled",
                                                                      "manual", "stix"};

inline bool IsIncidentDataset(std::string_view name) {
  return std::find(kIncidentDatasets.begin(), kIncidentDatasets.end(), name) !=
         kIncidentDatasets.end();
}

// The names as strings (for parameter schemas), and as "ucdp-ged, gtd, ..." (for messages).
inline std::vector<std::string> IncidentDatasetNames() {
  return {kIncidentDatasets.begin(), kIncidentDatasets.end()};
}
inline std::string IncidentDatasetList() {
  std::string out;
  for (auto d : kIncidentDatasets) out += (out.empty() ? "" : ", ") + std::string(d);
  return out;
}

}  // namespace corridor::model
