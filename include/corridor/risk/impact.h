// The impact index in the manner of the Global Terrorism Index (docs/methods.md):
//
//   per incident   i = base + killed·k + wounded·w + hostages·h (+ property band score)
//   per area-year  A_t = Σ i over the area's incidents dated in year t (missing year = 0)
//   weighted       w_t = (16·A_t + 8·A_{t−1} + 4·A_{t−2} + 2·A_{t−3} + A_{t−4}) / 31
//   score          10·ln(1 + w) / ln(1 + M), M = the largest w of the areas compared
//                  that year (every score 0 when M = 0)
//   rank           1 + the number of compared areas with a strictly larger w
//
// Computed for countries from country-year aggregates (OWID's GTD layout) and
// for provinces and districts from the incidents of one dataset in the store.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/common/result.h"
#include "corridor/model/area.h"
#include "corridor/risk/columns.h"

namespace corridor::risk {

// Per-incident weights. property_band[b] is added for an incident whose
// property damage band is b (0 none/unknown, 1 minor, 2 major, 3 catastrophic).
struct ImpactWeights {
  double incident = 1.0;
  double killed = 3.0;
  double wounded = 0.5;
  double hostages = 0.5;
  std::array<double, 4> property_band = {0, 0, 0, 0};
};

// GTI 2022 onward: 1 + 3·killed + 0.5·wounded + 0.5·hostages.
ImpactWeights Gti2022Weights();
// GTI editions before 2022 (GTD era): 1 + 3·killed + 0.5·wounded + property
// band score 1/2/3 for minor/major/catastrophic damage; no hostage term.
ImpactWeights GtdEraWeights();
// "gti-2022" or "gtd-era"; kInvalidArgument naming the preset otherwise.
Result<ImpactWeights> ParseWeightsPreset(std::string_view name);

// The weight of one incident.
double IncidentWeight(const ImpactWeights& weights, double killed, double wounded, double hostages,
                      int property_band);

// w_t from the five yearly sums a[0] = A_t, a[1] = A_{t−1}, ..., a[4] = A_{t−4}.
double FiveYearWeighted(std::span<const double, 5> a);

// One compared area (or country) in a year.
struct IndexRow {
  std::string code;  // P-code, or the entity name for countries
  std::string name;
  double a_t = 0;    // this year's sum A_t
  double w = 0;      // five-year weighted w_t
  double score = 0;  // 0..10
  int rank = 0;      // 1 = most affected
};

// Fills score and rank of `rows` from their w (all rows are the comparison
// set) and orders them by rank, ties by name then code. w must be >= 0.
void ScoreAndRank(std::vector<IndexRow>& rows);

// ---- countries from aggregates (OWID's layout of the GTD)

struct CountryYear {
  std::string entity;
  int year = 0;
  double incidents = 0;
  double fatalities = 0;
  double injuries = 0;
};

// True for OWID rows that are not countries: "World", "International" and the
// twelve GTD regions. Historical states (e.g. "Soviet Union") are countries.
bool IsOwidAggregateEntity(std::string_view entity);

// Reads `path` (CSV with header entity,year,terrorist_incidents,
// terrorism_fatalities,terrorism_injuries, any column order). kUnavailable if
// the file cannot be opened; kInvalidArgument naming file:line and the column
// for a missing column or a malformed number. Aggregate rows are kept (the
// index drops them).
Result<std::vector<CountryYear>> ReadOwidAggregates(const std::string& path);

// The country index of `year`: one row per country entity appearing anywhere
// in `data` (a country without rows in the five-year window has w = 0), code =
// name = entity. Per-row weight = incidents·weights.incident +
// fatalities·weights.killed + injuries·weights.wounded (aggregates carry no
// hostages and no property damage).
std::vector<IndexRow> CountryIndex(std::span<const CountryYear> data, int year,
                                   const ImpactWeights& weights);

// ---- provinces and districts from the store's incidents

enum class AreaLevel { kProvince = 1, kDistrict = 2 };
std::optional<AreaLevel> ParseAreaLevel(std::string_view text);  // "province"/"1", "district"/"2"
std::string_view AreaLevelName(AreaLevel level);                 // "province", "district"

struct AreaIndexOptions {
  AreaLevel level = AreaLevel::kProvince;
  std::vector<int> violence_types = {1, 2, 3};  // UCDP only; ignored for other datasets
  std::optional<Date> as_of;                    // default: columns.latest; year t = as_of's year
  ImpactWeights weights;                        // default GTI 2022
};

struct AreaIndexResult {
  std::string dataset;
  std::string label;  // "organised-violence impact (UCDP)" for ucdp-ged
  AreaLevel level = AreaLevel::kProvince;
  Date data_through;  // as_of
  int year = 0;
  std::vector<int> violence_types;        // echoed (empty when not UCDP)
  std::int64_t incidents_counted = 0;     // in the window and of the chosen types
  std::int64_t incidents_unassigned = 0;  // counted ones without an area at this level
  std::vector<IndexRow> rows;             // every area of the level, ordered by rank
};

// The label of an index over `dataset`.
std::string ImpactLabel(std::string_view dataset);

// Parses "1,2,3" (each 1..3, no repeats). kInvalidArgument naming the value.
Result<std::vector<int>> ParseViolenceTypes(std::string_view text);

// The index of every area in `areas` (all of options.level; their names come
// from there) from `columns`. Incidents are dated by date_start and counted
// when date_start <= as_of; incidents assigned to no area of the level, or to
// an area not in `areas`, are not counted in any area (incidents_unassigned).
// kInvalidArgument when `columns` is empty and no as_of is given, or when a
// violence type is out of 1..3.
Result<AreaIndexResult> ComputeAreaIndex(const IncidentColumns& columns,
                                         std::span<const model::Area> areas,
                                         const AreaIndexOptions& options);

// Loads the columns of `dataset` and the areas of the level from `store`
// and calls ComputeAreaIndex. kNotFound when the store holds no incident of
// `dataset` (and no as_of was given) or no area of the level.
Result<AreaIndexResult> ComputeAreaIndexFromStore(const store::Store& store,
                                                  const std::string& dataset,
                                                  const AreaIndexOptions& options);

}  // namespace corridor::risk
