// Compact in-memory columns of incidents for the risk analytics (DESIGN.md:
// "risk works on compact in-memory columns loaded from the store; it never
// talks SQL and never allocates per event in hot loops").
//
// The columns are loaded once per analysis through Store::ForEachIncident,
// from ONE dataset at a time (sources are never mixed in one figure until
// cross-source de-duplication exists). Area P-codes are dictionary-encoded as
// small integers into `province_codes` / `district_codes`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/common/result.h"
#include "corridor/store/store.h"

namespace corridor::risk {

inline constexpr std::int16_t kNoArea = -1;

// One row per incident, struct of vectors. All vectors have size().
struct IncidentColumns {
  std::string dataset;                      // the one dataset these came from
  std::vector<std::int32_t> day;            // date_start, days since 1970-01-01
  std::vector<std::int32_t> day_end;        // date_end
  std::vector<double> lat, lon;             // NaN when the source gave no point
  std::vector<float> killed;                // best estimate; 0 when unknown
  std::vector<float> wounded;               // 0 when unknown (UCDP never has it)
  std::vector<float> hostages;              // 0 when unknown
  std::vector<std::int8_t> property_band;   // 0..3 (0 none/unknown)
  std::vector<std::int8_t> violence_type;   // UCDP type_of_violence 1..3, 0 other sources
  std::vector<std::int8_t> location_precision;  // model::LocationPrecision as an integer
  std::vector<std::int16_t> province;       // index into province_codes, or kNoArea
  std::vector<std::int16_t> district;       // index into district_codes, or kNoArea
  std::vector<std::string> province_codes;  // dictionary, in first-seen order
  std::vector<std::string> district_codes;
  std::optional<Date> latest;  // latest date_end among the rows

  std::size_t size() const { return day.size(); }
};

// Loads every non-revoked incident of `dataset` ("ucdp-ged", "gtd", ...) from
// `store`. An empty result is not an error (the caller decides). Fails only
// when the store fails, or (kInvalidArgument) when `dataset` is empty.
Result<IncidentColumns> LoadIncidentColumns(const store::Store& store, const std::string& dataset);

}  // namespace corridor::risk
