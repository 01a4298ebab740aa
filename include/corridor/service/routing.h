// Risk-weighted routing (issue 17 item 6, docs/routing.md): loading the road
// network of an OpenStreetMap extract into the store, and the shortest and
// lowest-risk routes between two points, one call each, shared by
// `corridor roads load`, `corridor route` and GET /api/v1/route.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/routing/risk.h"
#include "corridor/service/schema.h"
#include "corridor/service/service.h"
#include "corridor/store/roads.h"

namespace corridor::service {

// Reads the drivable ways of an .osm.pbf (the car profile of routing/graph.h)
// and replaces that extract's roads in the store (keyed by the file's base
// name), in one transaction. Audited ("roads-load"). Errors name the file.
Result<store::RoadExtract> LoadRoads(const Context& ctx, const Caller& caller,
                                     const std::string& pbf_path);

// The road extracts in the store.
Result<std::vector<store::RoadExtract>> ListRoadExtracts(const Context& ctx);

// GET /api/v1/route's parameters (and `corridor route`'s options).
struct RouteParams {
  std::string from;  // "LAT,LON"
  std::string to;
  std::optional<Date> as_of;  // default: the latest incident date the caller may read
  int window_days = 365;      // incidents in (as_of - window, as_of]
  double decay_m = 500;       // distance decay of an incident's risk
  double lambda = 600;        // seconds of driving worth one incident-km
  double max_snap_m = 1000;   // farthest a point may be from a drivable road
  // Polygons never entered: "LAT,LON;LAT,LON;LAT,LON[|LAT,LON;...]" (at most
  // 8 polygons of 3 to 64 vertices each).
  std::string avoid;

  // Parsed by Validate() (filled from the text fields above).
  routing::LatLon from_point, to_point;
  std::vector<routing::Polygon> avoid_polygons;

  static const ParamSchema<RouteParams>& Schema();
  Result<void> Validate();
};

// The shortest (travel time) and the lowest-risk (time + lambda * risk) routes
// between the two points on the stored roads, with the risk of each from the
// incidents the caller may read (exact or near location only: a district-
// precise event has no place on a road), marked ones audited as read. JSON:
//   {"routes": [{"kind": "shortest"|"lowest_risk", "length_m", "duration_s",
//                "risk", "geometry": GeoJSON LineString, "segments": [...]}],
//    "as_of", "window_days", "risk_unit": "incident-km", "lambda_s_per_unit",
//    "incidents_used", "snapped": {...}, "roads": [...], "attribution"}
// kNotFound when no roads are loaded, a point is beyond max_snap_m of a road
// or the points cannot be joined (one-way streets, avoid areas).
Result<nlohmann::json> PlanRoute(const Context& ctx, const Caller& caller, const RouteParams& p);

}  // namespace corridor::service
