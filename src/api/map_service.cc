// The web map's read routes (docs/api.md, "Map aggregation"): incidents on a
// grid at low zoom, incidents and deaths per month, and simplified boundaries
// for the offline base map and choropleths.
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/point_xy.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "api/params.h"
#include "api/risk_service.h"
#include "corridor/datasets/catalog.h"
#include "corridor/model/json.h"

namespace corridor::api {
namespace {

using json = nlohmann::json;
namespace bg = boost::geometry;
using PlanePoint = bg::model::d2::point_xy<double>;
using PlaneLine = bg::model::linestring<PlanePoint>;

constexpr double kDefaultCellDeg = 0.5;
constexpr double kDefaultTolerance = 0.01;

// The shared incident filters without `near` (the aggregations are SQL GROUP BYs).
Result<model::IncidentFilter> ReadAggregateFilter(ParamReader& reader) {
  auto filter = ReadFilter(reader);
  if (!filter) return filter;
  if (filter->near) {
    return Fail(ErrorCode::kInvalidArgument, "near: not supported here; use bbox or area");
  }
  return filter;
}

Result<void> TextSearchAllowed(const Request& request, const model::IncidentFilter& filter) {
  if (!filter.text) return {};
  if (auto d = auth::Decide(request.principal, auth::Action::kSearch, nullptr); !d) {
    return Fail(ErrorCode::kPermissionDenied, "not allowed: " + d.reason);
  }
  return {};
}

// GET /api/v1/stats/grid: one row per cell with its total, deaths, centre of
// mass and counts per category.
Response Grid(store::Store& store, const Request& request) {
  ParamReader reader(request);
  auto filter = ReadAggregateFilter(reader);
  if (!filter) return ErrorResponse(filter.error());
  auto cell = ReadNumber(reader, "cell_deg");
  if (!cell) return ErrorResponse(cell.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  if (auto d = TextSearchAllowed(request, *filter); !d) return ErrorResponse(d.error());
  const double cell_deg = cell->value_or(kDefaultCellDeg);
  auto rows = store.AggregateIncidents(request.viewer, *filter, cell_deg);
  if (!rows) {
    Error e = rows.error();
    if (e.message.rfind("cell:", 0) == 0) e.message = "cell_deg" + e.message.substr(4);
    return ErrorResponse(e);
  }
  json cells = json::array();
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < rows->size()) {
    const auto& first = (*rows)[i];
    std::int64_t count = 0, killed = 0;
    double lat = 0, lon = 0;
    json categories = json::object();
    for (; i < rows->size() && (*rows)[i].row == first.row && (*rows)[i].col == first.col; ++i) {
      const auto& r = (*rows)[i];
      count += r.count;
      killed += r.killed;
      lat += r.mean_lat * static_cast<double>(r.count);
      lon += r.mean_lon * static_cast<double>(r.count);
      categories[r.category] = r.count;
    }
    total += count;
    const double n = static_cast<double>(count);
    cells.push_back({{"lat", std::round(lat / n * 1e4) / 1e4},
                     {"lon", std::round(lon / n * 1e4) / 1e4},
                     {"count", count},
                     {"killed", killed},
                     {"categories", std::move(categories)}});
  }
  return JsonResponse({{"cell_deg", cell_deg}, {"total", total}, {"cells", std::move(cells)}});
}

// GET /api/v1/stats/timeline: incidents and deaths per month, every month from
// the first to the last present (zeros filled), and the latest date in the store.
Response Timeline(store::Store& store, const Request& request) {
  ParamReader reader(request);
  auto filter = ReadAggregateFilter(reader);
  if (!filter) return ErrorResponse(filter.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  if (auto d = TextSearchAllowed(request, *filter); !d) return ErrorResponse(d.error());
  auto months = store.MonthlyTotals(request.viewer, *filter);
  if (!months) return ErrorResponse(months.error());
  auto latest = store.LatestIncidentDate();
  if (!latest) return ErrorResponse(latest.error());
  json rows = json::array();
  std::int64_t total = 0, killed = 0;
  int y = 0, m = 0;
  for (const auto& mt : *months) {
    int my = 0, mm = 0;
    if (std::sscanf(mt.month.c_str(), "%d-%d", &my, &mm) != 2) continue;
    // Fill the months without incidents, so the axis is continuous.
    while (y != 0 && (y < my || (y == my && m < mm))) {
      char key[16];
      std::snprintf(key, sizeof key, "%04d-%02d", y, m);
      if (key != mt.month) rows.push_back({{"month", key}, {"count", 0}, {"killed", 0}});
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
    rows.push_back({{"month", mt.month}, {"count", mt.count}, {"killed", mt.killed}});
    total += mt.count;
    killed += mt.killed;
    y = my;
    m = mm + 1;
    if (m > 12) {
      m = 1;
      ++y;
    }
  }
  return JsonResponse({{"months", std::move(rows)},
                       {"count", total},
                       {"killed", killed},
                       {"data_through", *latest ? json((*latest)->iso()) : json(nullptr)}});
}

// Douglas–Peucker (Boost.Geometry) on each ring, coordinates rounded to 1e-4°;
// rings that collapse below a triangle are dropped (a polygon whose outer ring
// collapses keeps its bounding quad so small areas stay clickable).
json SimplifyRing(const json& ring, double tolerance) {
  PlaneLine line;
  for (const auto& p : ring) line.emplace_back(p[0].get<double>(), p[1].get<double>());
  PlaneLine out;
  bg::simplify(line, out, tolerance);
  json coords = json::array();
  for (const auto& p : out) {
    coords.push_back({std::round(p.x() * 1e4) / 1e4, std::round(p.y() * 1e4) / 1e4});
  }
  return coords;
}

json SimplifyPolygon(const json& rings, double tolerance) {
  json out = json::array();
  for (std::size_t i = 0; i < rings.size(); ++i) {
    json r = SimplifyRing(rings[i], tolerance);
    if (r.size() >= 4) {
      out.push_back(std::move(r));
    } else if (i == 0) {
      return json::array();  // the whole polygon is smaller than the tolerance
    }
  }
  return out;
}

json SimplifyGeometry(const json& g, double tolerance) {
  const std::string type = g.value("type", "");
  if (type == "Polygon") {
    return {{"type", "Polygon"}, {"coordinates", SimplifyPolygon(g["coordinates"], tolerance)}};
  }
  if (type == "MultiPolygon") {
    json polys = json::array();
    for (const auto& p : g["coordinates"]) {
      json s = SimplifyPolygon(p, tolerance);
      if (!s.empty()) polys.push_back(std::move(s));
    }
    // Keep at least the largest part, unsimplified, if every part vanished.
    if (polys.empty() && !g["coordinates"].empty()) polys.push_back(g["coordinates"][0]);
    return {{"type", "MultiPolygon"}, {"coordinates", std::move(polys)}};
  }
  return g;
}

// Simplified boundaries are cached per (level, tolerance) and reused while
// the areas' geometry is unchanged (same count and total size).
struct BoundaryCache {
  std::mutex mu;
  std::map<std::tuple<int, double, std::size_t, std::size_t>, std::string> bodies;
};

Response AreasGeoJson(store::Store& store, BoundaryCache& cache, const Request& request) {
  ParamReader reader(request);
  auto level_text = reader.Get("level");
  if (!level_text) return ErrorResponse(level_text.error());
  auto tolerance = ReadNumber(reader, "tolerance");
  if (!tolerance) return ErrorResponse(tolerance.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  int level = 1;
  if (*level_text) {
    const std::string& t = **level_text;
    if (t != "0" && t != "1" && t != "2") {
      return ErrorResponse({ErrorCode::kInvalidArgument, "level: expected 0, 1 or 2, got '" + t + "'"});
    }
    level = t[0] - '0';
  }
  const double tol = tolerance->value_or(kDefaultTolerance);
  if (!(tol >= 0 && tol <= 1)) {
    return ErrorResponse({ErrorCode::kInvalidArgument, "tolerance: expected degrees from 0 to 1"});
  }
  auto areas = store.ListAreas(level, /*with_geometry=*/true);
  if (!areas) return ErrorResponse(areas.error());
  std::size_t bytes = 0;
  for (const auto& a : *areas) bytes += a.geometry.size();
  const auto key = std::make_tuple(level, tol, areas->size(), bytes);
  Response response;
  response.content_type = "application/geo+json";
  {
    std::lock_guard lock(cache.mu);
    if (auto it = cache.bodies.find(key); it != cache.bodies.end()) {
      response.body = it->second;
      return response;
    }
  }
  json features = json::array();
  std::set<std::string> sources;
  for (const auto& a : *areas) {
    json geometry = json::parse(a.geometry, nullptr, /*allow_exceptions=*/false);
    if (geometry.is_discarded()) continue;
    features.push_back({{"type", "Feature"},
                        {"id", a.pcode},
                        {"properties",
                         {{"pcode", a.pcode},
                          {"name", a.name},
                          {"parent_pcode", a.parent_pcode},
                          {"level", a.level}}},
                        {"geometry", tol > 0 ? SimplifyGeometry(geometry, tol) : geometry}});
    sources.insert(a.source);
  }
  json attribution = json::array();
  for (const auto& s : sources) {
    attribution.push_back({{"dataset", s}, {"licence", model::ToJson(datasets::LicenceOf(s))}});
  }
  json body = {{"type", "FeatureCollection"},
               {"features", std::move(features)},
               {"tolerance_deg", tol},
               {"attribution", std::move(attribution)}};
  response.body = body.dump();
  std::lock_guard lock(cache.mu);
  cache.bodies[key] = response.body;
  return response;
}

}  // namespace

void AddMapRoutes(std::vector<Route>& routes, store::Store& store) {
  store::Store* s = &store;
  auto cache = std::make_shared<BoundaryCache>();
  routes.push_back({"GET", "/api/v1/stats/grid", "/api/v1/stats/grid", {},
                    "Incidents with a point aggregated on a latitude/longitude grid (count, deaths, "
                    "centre of mass, counts per category)",
                    [s](const Request& r) { return Grid(*s, r); }});
  routes.push_back({"GET", "/api/v1/stats/timeline", "/api/v1/stats/timeline", {},
                    "Incidents and deaths per month for the filters, and the date the data runs to",
                    [s](const Request& r) { return Timeline(*s, r); }});
  routes.push_back({"GET", "/api/v1/areas.geojson", "/api/v1/areas\\.geojson", {},
                    "Boundaries of one level as a simplified GeoJSON FeatureCollection",
                    [s, cache](const Request& r) { return AreasGeoJson(*s, *cache, r); }});
}

}  // namespace corridor::api
