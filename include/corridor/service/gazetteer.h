// The gazetteer (issue 17 item 1, docs/places.md): loading GeoNames' places
// into the store and finding a place by any of its names, one call each,
// shared by `corridor gazetteer load`, `corridor places` and GET /api/v1/places.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "corridor/service/schema.h"
#include "corridor/service/service.h"
#include "corridor/store/gazetteer.h"

namespace corridor::service {

// What `corridor gazetteer load` reads.
struct GazetteerLoad {
  std::string geonames_path;  // cities1000.txt (scripts/geonames.sh)
  std::set<std::string> countries{"PK"};
  std::string curated_path;  // "" = config/places.tsv as built in
};

struct GazetteerLoaded {
  store::GazetteerSource source;
  gazetteer::ReadReport report;
  std::int64_t with_ur = 0, with_zh = 0, with_admin2 = 0;
};

// Reads the GeoNames file, chooses the names (curated ones first), sets each
// place's OCHA P-codes from the store's areas (point in polygon, snapped
// within 10 km; geo/area_index.h) and replaces the stored places in one
// transaction. Audited ("gazetteer-load"). Errors name the file and line;
// rejected lines are in the report (nothing is stored when none is read).
Result<GazetteerLoaded> LoadGazetteer(const Context& ctx, const Caller& caller,
                                      const GazetteerLoad& load);

// GET /api/v1/places's parameters (and `corridor places`'s).
struct PlaceSearchParams {
  std::string q;  // "" lists the places by population (the map's labels)
  int limit = 10;
  static const ParamSchema<PlaceSearchParams>& Schema();
  Result<void> Validate() { return Schema().Check(*this); }
};

// The places matching q in English, Urdu or Chinese, best first:
//   {"items": [{"name", "names": {"en", "ur", "zh"}, "lat", "lon",
//               "population", "admin1", "admin2", "feature_code",
//               "matched", "geonameid"}],
//    "attribution", "source": {...}}
// An empty q lists the most populous places first. kNotFound when no
// gazetteer is loaded.
Result<nlohmann::json> SearchPlaces(const Context& ctx, const Caller& caller,
                                    const PlaceSearchParams& p);

}  // namespace corridor::service
