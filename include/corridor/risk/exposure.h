// Exposure of corridor sites to violence (docs/methods.md, "Site exposure"):
//
//   for site s with footprint F_s, radius R, window [from, to]:
//     d_i        geodesic distance from incident i to the nearest point of F_s
//                (0 inside a polygon)
//     N_s        #{ i : d_i <= R, from <= date_start_i <= to }
//     I_s        Σ w_i over those incidents, w_i the impact weight (impact.h)
//     E_s        Σ w_i · exp(-d_i / L) over those incidents   (L = decay length)
//     F_s (opt.) Σ_c λ_c · |c ∩ B_s| / |c|, the forecast expected events of
//                grid cells c over the buffer B_s = {x : d(x, F_s) <= R}
//   sites ranked by E_s descending; rank = 1 + #sites with a strictly larger E_s.
//
// Only incidents placed to a point (location precision exact or near) have a
// distance (issue 17 §3: an imprecise event never yields a metre-level
// distance). An incident placed only to a district counts for the sites whose
// representative point lies in that district, "within the district", apart
// from N_s, I_s, E_s and the nearest distance; one placed only to a province
// or the country counts for no site (the result says how many there were).
//
// Computed on IncidentColumns (one dataset) with an R-tree over the incidents
// of the window and sites split across threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/common/result.h"
#include "corridor/common/uuid.h"
#include "corridor/geo/footprint.h"
#include "corridor/model/area.h"
#include "corridor/risk/budget.h"
#include "corridor/risk/columns.h"
#include "corridor/risk/impact.h"

namespace corridor::risk {

// The forecast hook. One cell of a forecast on the PRIO-GRID 0.5° grid
// (gid = row·720 + col + 1, row = ⌊(lat+90)/0.5⌋, col = ⌊(lon+180)/0.5⌋): the
// expected number of events in the cell over the forecast horizon. The Hawkes
// model (issue 4, section 4) produces these; exposure only consumes them.
struct CellExpectation {
  std::int32_t gid = 0;
  double expected = 0;
};

// Σ over `cells` of expected · (share of the cell within `radius_m` of
// `footprint`), the share estimated on a 10 × 10 lattice of points at the
// centres of equal sub-cells (in degrees). Cells not near the footprint
// contribute 0 without sampling. Thread-safe.
double ForecastOverBuffer(const geo::Footprint& footprint, double radius_m,
                          std::span<const CellExpectation> cells);

struct ExposureOptions {
  double radius_km = 50;  // R, > 0 and <= 500
  double decay_km = 10;   // L of exp(-d/L), > 0
  // Window: [from, to] by date_start. to defaults to as_of (itself defaulting
  // to the dataset's latest event), from to to - days + 1.
  std::optional<Date> from, to, as_of;
  int days = 365;
  std::vector<int> violence_types = {1, 2, 3};  // UCDP only; ignored for other datasets
  ImpactWeights weights;                        // default GTI 2022
  int threads = 0;                              // 0: hardware concurrency
  // When set, each row gets forecast_expected (ForecastOverBuffer with R).
  std::optional<std::vector<CellExpectation>> forecast;
  const Budget* budget = nullptr;  // checked per site (null: unlimited)
  // When set, that site's row lists the incidents it counted (`counted`), so
  // a map can draw exactly what the numbers are made of.
  std::optional<Uuid> list_counted_of;
};

// The most counted incidents a row lists (the newest; a window of decades on
// a busy site counts tens of thousands, more than an answer or a map carries).
inline constexpr std::size_t kMaxCountedListed = 2000;

// One incident a site's N_s counted.
struct CountedIncident {
  double latitude = 0, longitude = 0;
  Date date;  // date_start
  double killed = 0;
  double distance_km = 0;  // geodesic, to the nearest point of the footprint
};

struct SiteExposure {
  Uuid id;
  std::string name, sector, status, admin1, admin2;
  std::int64_t incidents = 0;        // N_s
  double killed = 0;                 // Σ killed of those incidents
  double impact = 0;                 // I_s
  double exposure = 0;               // E_s
  std::optional<double> nearest_km;  // the nearest counted incident
  std::optional<Date> latest;        // the latest counted date_start
  std::optional<double> forecast_expected;
  bool footprint_is_point = false;  // the site's geometry was unusable: its point was used
  // Incidents of the window placed only to the site's district (admin2).
  std::int64_t in_district = 0;
  double in_district_killed = 0;
  int rank = 0;
  bool lists_counted = false;            // this is ExposureOptions::list_counted_of's row
  std::vector<CountedIncident> counted;  // then: the incidents of N_s, by date, the newest
                                         // kMaxCountedListed of them
  std::int64_t counted_omitted = 0;      // the older counted incidents left out of `counted`
};

struct ExposureResult {
  std::string dataset;
  Date data_through;  // as_of
  Date from, to;
  double radius_km = 0, decay_km = 0;
  std::vector<int> violence_types;  // echoed (empty when not UCDP)
  ImpactWeights weights;
  std::int64_t incidents_in_window = 0;      // placed to a point (exact, near), of the chosen types
  std::int64_t incidents_without_point = 0;  // in the window but without coordinates
  std::int64_t incidents_district_precise = 0;  // placed only to a district (not in N_s)
  std::int64_t incidents_too_coarse = 0;        // placed only to a province or the country
  std::vector<SiteExposure> rows;               // ranked
  double index_ms = 0, match_ms = 0;            // time to build the R-tree and to match
  int threads = 1;
};

// kInvalidArgument for R or L out of range, from > to, days < 1, or empty
// columns without as_of.
Result<ExposureResult> ComputeExposure(const IncidentColumns& columns,
                                       std::span<const model::Site> sites,
                                       const ExposureOptions& options);

// Loads `dataset`'s columns (TLP:CLEAR incidents, as every analysis of a
// public dataset) and the sites, then ComputeExposure. kNotFound when the
// store has no incident of `dataset` (and no as_of was given).
Result<ExposureResult> ComputeExposureFromStore(const store::Store& store,
                                                const std::string& dataset,
                                                const ExposureOptions& options);

// {"dataset", "data_through", "window":{"from","to"}, "radius_km",
//  "decay":{"kernel":"exponential","length_km"}, "weights", "violence_types",
//  "incidents_in_window", "incidents_without_point", "timing_ms", "rows":[...]}
nlohmann::json ToJson(const ExposureResult& result);
// A row; "counted" ([{latitude, longitude, date, killed, distance_km}]) only
// when the row lists its incidents.
nlohmann::json ToJson(const SiteExposure& row);

}  // namespace corridor::risk
