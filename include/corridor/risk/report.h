// JSON forms of the risk results, shared by the CLI and the API, and the
// rank correlation of vulnerability with the impact index.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "corridor/risk/impact.h"
#include "corridor/risk/vulnerability.h"

namespace corridor::risk {

// ComputeVulnerability with the configuration and crosswalk read from files,
// or the built-in ones (config/*, compiled in) when a path is "".
// kUnavailable when a file cannot be read; errors of the parsers otherwise.
Result<VulnerabilityResult> ComputeVulnerabilityFromFiles(const std::string& indicators_path,
                                                          const std::string& config_path,
                                                          const std::string& crosswalk_path,
                                                          std::optional<int> year);

// The default data folder: $CORRIDOR_DATA_DIR, else "../shared/data".
std::string DefaultDataDir();

// Spearman's rho between the vulnerability index and the district impact w
// over the OCHA areas that have both (areas without an index are left out).
struct ImpactCorrelation {
  std::optional<double> rho;  // nullopt when not computable (see note)
  int n = 0;                  // areas compared
  std::string impact_label;
  std::string impact_data_through;
  std::string note;  // why rho is missing, or ""
};
ImpactCorrelation CorrelateWithImpact(const VulnerabilityResult& vulnerability,
                                      const AreaIndexResult& district_impact);

// {"label","dataset","level","year","data_through","violence_types",
//  "weights","incidents_counted","incidents_unassigned","rows":[{pcode,name,a_t,w,score,rank}]}
nlohmann::json ToJson(const AreaIndexResult& result, const ImpactWeights& weights);
// {"label","year","weights","note","rows":[{name,year,w,score,rank}]}
nlohmann::json CountryIndexJson(const std::vector<IndexRow>& rows, int year,
                                const ImpactWeights& weights);
nlohmann::json WeightsJson(const ImpactWeights& weights);
// {"reference_year","dimensions","indicators","areas":[...],"without_index":[...],
//  "dropped_indicators","d4p_without_area","correlation_with_impact","note"}
nlohmann::json ToJson(const VulnerabilityResult& result,
                      const std::optional<ImpactCorrelation>& correlation);

// The label and note printed with the country index from OWID aggregates.
inline constexpr const char* kCountryIndexLabel =
    "terrorism impact (GTD country-year aggregates via Our World in Data)";
inline constexpr const char* kCountryIndexNote =
    "per-incident weight from aggregates: incidents + 3*fatalities + 0.5*injuries; the "
    "aggregates carry no hostages and no property damage, so neither term is counted";
inline constexpr const char* kVulnerabilityNote =
    "structural conditions only (poverty, schooling, jobs, services), never who lives "
    "somewhere; for prevention planning; never multiplies or raises a threat score";

}  // namespace corridor::risk
