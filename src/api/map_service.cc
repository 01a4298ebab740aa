// The web map's read routes (docs/api.md, "Map aggregation"): incidents on a
// grid at low zoom, incidents and deaths per month, and simplified boundaries
// for the offline base map and choropleths.
#include <fmt/format.h>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "api/risk_service.h"
#include "corridor/api/route.h"
#include "corridor/datasets/catalog.h"
#include "corridor/model/json.h"
#include "corridor/service/incidents.h"

namespace corridor::api {
namespace {

using json = nlohmann::json;
namespace bg = boost::geometry;
using PlanePoint = bg::model::d2::point_xy<double>;
using PlaneLine = bg::model::linestring<PlanePoint>;

constexpr double kDefaultCellDeg = 0.5;
constexpr double kDefaultTolerance = 0.01;

// The map's aggregates take the shared incident filters without `near` (they
// are SQL GROUP BYs); GET /api/v1/stats/grid adds the cell size.
struct GridParams {
  model::IncidentFilter filter;
  double cell_deg = kDefaultCellDeg;
  static const service::ParamSchema<GridParams>& Schema() {
    static const auto kSchema = [] {
      service::ParamSchema<GridParams> s;
      s.Include(&GridParams::filter, service::FilterSchema(/*with_near=*/false));
      s.Number("cell_deg", &GridParams::cell_deg, "Grid cell size in degrees", 0.01, 10)
          .Default(kDefaultCellDeg);
      return s;
    }();
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct TimelineParams {
  model::IncidentFilter filter;
  static const service::ParamSchema<TimelineParams>& Schema() {
    static const auto kSchema = [] {
      service::ParamSchema<TimelineParams> s;
      s.Include(&TimelineParams::filter, service::FilterSchema(/*with_near=*/false));
      return s;
    }();
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct BoundariesParams {
  int level = 1;
  double tolerance = kDefaultTolerance;
  static const service::ParamSchema<BoundariesParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<BoundariesParams>()
            .Integer("level", &BoundariesParams::level, "0 country, 1 province, 2 district", 0, 2)
            .Default(1)
            .Number("tolerance", &BoundariesParams::tolerance,
                    "Simplification tolerance in degrees", 0, 1)
            .Default(kDefaultTolerance);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Result<void> TextSearchAllowed(const Request& request, const model::IncidentFilter& filter) {
  if (!filter.text) return {};
  if (auto d = auth::Decide(request.principal, auth::Action::kSearch, nullptr); !d) {
    return Fail(ErrorCode::kPermissionDenied, "not allowed: " + d.reason);
  }
  return {};
}

// The map asks for these on every view change: cpp-httplib 0.11 compresses an
// "application/json" body with brotli at quality 11 on each request, which
// costs more than it saves for bodies this size; with a charset parameter the
// type is not compressed (the body is the same UTF-8 JSON).
Response Uncompressed(Response r) {
  r.content_type = "application/json; charset=utf-8";
  return r;
}

// GET /api/v1/stats/grid: one row per cell with its total, deaths, centre of
// mass and counts per category.
Response Grid(store::Store& store, const Request& request, const GridParams& p) {
  if (auto d = TextSearchAllowed(request, p.filter); !d) return ErrorResponse(d.error());
  const double cell_deg = p.cell_deg;
  auto rows = store.AggregateIncidents(request.viewer, p.filter, cell_deg);
  if (!rows) return ErrorResponse(rows.error());
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
  return Uncompressed(
      JsonResponse({{"cell_deg", cell_deg}, {"total", total}, {"cells", std::move(cells)}}));
}

// GET /api/v1/stats/timeline: incidents and deaths per month, every month from
// the first to the last present (zeros filled), and the latest date in the store.
Response Timeline(store::Store& store, const Request& request, const TimelineParams& p) {
  if (auto d = TextSearchAllowed(request, p.filter); !d) return ErrorResponse(d.error());
  auto months = store.MonthlyTotals(request.viewer, p.filter);
  if (!months) return ErrorResponse(months.error());
  auto latest = store.LatestIncidentDate(request.viewer);
  if (!latest) return ErrorResponse(latest.error());
  json rows = json::array();
  std::int64_t total = 0, killed = 0;
  int y = 0, m = 0;
  for (const auto& mt : *months) {
    int my = 0, mm = 0;
    if (std::sscanf(mt.month.c_str(), "%d-%d", &my, &mm) != 2) continue;
    // Fill the months without incidents, so the axis is continuous.
    while (y != 0 && (y < my || (y == my && m < mm))) {
      const std::string key = fmt::format("{:04d}-{:02d}", y, m);
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
  return Uncompressed(
      JsonResponse({{"months", std::move(rows)},
                    {"count", total},
                    {"killed", killed},
                    {"data_through", *latest ? json((*latest)->iso()) : json(nullptr)}}));
}

// The boundaries' GeoJSON is megabytes of numbers: building a JSON tree of it
// per request is the slow part (seconds in a sanitizer build), so the
// coordinates of a Polygon or MultiPolygon are read straight from the text.
using Ring = PlaneLine;
using Polygon = std::vector<Ring>;

class CoordinateScanner {
 public:
  explicit CoordinateScanner(std::string_view text) : s_(text) {}

  // The polygons of the geometry (one for a Polygon); false when the text is
  // not a Polygon or MultiPolygon with numeric coordinates.
  bool Read(std::vector<Polygon>& out) {
    const auto key = s_.find("\"coordinates\"");
    if (key == std::string_view::npos) return false;
    const bool multi = s_.find("MultiPolygon") != std::string_view::npos;
    i_ = s_.find(':', key);
    if (i_ == std::string_view::npos) return false;
    ++i_;
    if (!multi) {
      out.emplace_back();
      return ReadPolygon(out.back());
    }
    if (!Eat('[')) return false;
    do {
      out.emplace_back();
      if (!ReadPolygon(out.back())) return false;
    } while (Eat(','));
    return Eat(']');
  }

 private:
  bool ReadPolygon(Polygon& rings) {
    if (!Eat('[')) return false;
    do {
      rings.emplace_back();
      if (!ReadRing(rings.back())) return false;
    } while (Eat(','));
    return Eat(']');
  }
  bool ReadRing(Ring& ring) {
    if (!Eat('[')) return false;
    do {
      double x = 0, y = 0;
      if (!Eat('[') || !Number(x) || !Eat(',') || !Number(y)) return false;
      while (Eat(',')) {  // a third coordinate (elevation) is ignored
        double z = 0;
        if (!Number(z)) return false;
      }
      if (!Eat(']')) return false;
      ring.emplace_back(x, y);
    } while (Eat(','));
    return Eat(']');
  }
  void SkipSpace() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) {
      ++i_;
    }
  }
  bool Eat(char c) {
    SkipSpace();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Number(double& v) {
    SkipSpace();
    const auto [end, ec] = std::from_chars(s_.data() + i_, s_.data() + s_.size(), v);
    if (ec != std::errc()) return false;
    i_ = static_cast<std::size_t>(end - s_.data());
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

void AppendNumber(std::string& out, double v) {
  char buf[32];
  const double r = std::round(v * 1e4) / 1e4;
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, r);
  out.append(buf, ec == std::errc() ? end : buf);
}

// Simplifies each ring (radial distance, then Boost.Geometry's Douglas–Peucker),
// coordinates rounded to 1e-4°,
// written as GeoJSON "coordinates". Rings that collapse below a triangle are
// dropped; a polygon whose outer ring collapses is dropped, unless every part
// of the area would vanish (then its first part is kept as it was).
std::string SimplifiedCoordinates(const std::vector<Polygon>& polygons, double tolerance,
                                  bool multi) {
  std::vector<std::vector<Ring>> kept;
  for (const auto& polygon : polygons) {
    std::vector<Ring> rings;
    for (std::size_t k = 0; k < polygon.size(); ++k) {
      Ring out;
      if (tolerance > 0) {
        // A radial-distance pass first (O(n): drops points within half the
        // tolerance of the last kept one), then Douglas-Peucker on what is left,
        // as simplify.js does: most of the work goes to the cheap pass.
        Ring reduced;
        const double min2 = tolerance * tolerance / 4;
        for (std::size_t p = 0; p < polygon[k].size(); ++p) {
          const auto& pt = polygon[k][p];
          if (p == 0 || p + 1 == polygon[k].size()) {
            reduced.push_back(pt);
            continue;
          }
          const double dx = pt.x() - reduced.back().x();
          const double dy = pt.y() - reduced.back().y();
          if (dx * dx + dy * dy >= min2) reduced.push_back(pt);
        }
        bg::simplify(reduced, out, tolerance);
      } else {
        out = polygon[k];
      }
      if (out.size() >= 4) {
        rings.push_back(std::move(out));
      } else if (k == 0) {
        break;
      }
    }
    if (!rings.empty()) kept.push_back(std::move(rings));
  }
  if (kept.empty() && !polygons.empty()) kept.push_back(polygons.front());
  std::string out;
  const auto ring_text = [&](const Ring& ring) {
    out += '[';
    for (std::size_t p = 0; p < ring.size(); ++p) {
      if (p) out += ',';
      out += '[';
      AppendNumber(out, ring[p].x());
      out += ',';
      AppendNumber(out, ring[p].y());
      out += ']';
    }
    out += ']';
  };
  const auto polygon_text = [&](const std::vector<Ring>& rings) {
    out += '[';
    for (std::size_t r = 0; r < rings.size(); ++r) {
      if (r) out += ',';
      ring_text(rings[r]);
    }
    out += ']';
  };
  if (!multi) {
    polygon_text(kept.front());
    return out;
  }
  out += '[';
  for (std::size_t k = 0; k < kept.size(); ++k) {
    if (k) out += ',';
    polygon_text(kept[k]);
  }
  out += ']';
  return out;
}

// Simplified boundaries are cached per (level, tolerance) and reused while
// the areas' geometry is unchanged (same count and total size).
struct BoundaryCache {
  std::mutex mu;
  std::map<std::tuple<int, double, std::size_t, std::size_t>, std::string> bodies;
};

Response AreasGeoJson(store::Store& store, BoundaryCache& cache, const BoundariesParams& p) {
  const int level = p.level;
  const double tol = p.tolerance;
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
  std::string features;
  std::set<std::string> sources;
  for (const auto& a : *areas) {
    std::vector<Polygon> polygons;
    if (!CoordinateScanner(a.geometry).Read(polygons) || polygons.empty()) continue;
    const bool multi = polygons.size() > 1;
    const json head = {{"type", "Feature"},
                       {"id", a.pcode},
                       {"properties",
                        {{"pcode", a.pcode},
                         {"name", a.name},
                         {"parent_pcode", a.parent_pcode},
                         {"level", a.level}}}};
    std::string feature = head.dump();
    feature.pop_back();  // the closing brace: the geometry follows
    feature += ",\"geometry\":{\"type\":\"";
    feature += multi ? "MultiPolygon" : "Polygon";
    feature += "\",\"coordinates\":";
    feature += SimplifiedCoordinates(polygons, tol, multi);
    feature += "}}";
    if (!features.empty()) features += ',';
    features += feature;
    sources.insert(a.source);
  }
  json attribution = json::array();
  for (const auto& s : sources) {
    attribution.push_back({{"dataset", s}, {"licence", model::ToJson(datasets::LicenceOf(s))}});
  }
  json tail = {{"tolerance_deg", tol}, {"attribution", std::move(attribution)}};
  std::string rest = tail.dump();
  response.body =
      "{\"type\":\"FeatureCollection\",\"features\":[" + features + "]," + rest.substr(1);
  std::lock_guard lock(cache.mu);
  cache.bodies[key] = response.body;
  return response;
}

}  // namespace

void AddMapRoutes(std::vector<Route>& routes, store::Store& store) {
  store::Store* s = &store;
  auto cache = std::make_shared<BoundaryCache>();
  routes.push_back(Declare<GridParams>(
      "GET", "/api/v1/stats/grid",
      "Incidents with a point aggregated on a latitude/longitude grid (count, deaths, "
      "centre of mass, counts per category)",
      [s](const Request& r, const GridParams& p) { return Grid(*s, r, p); }));
  routes.push_back(Declare<TimelineParams>(
      "GET", "/api/v1/stats/timeline",
      "Incidents and deaths per month for the filters, and the date the data runs to",
      [s](const Request& r, const TimelineParams& p) { return Timeline(*s, r, p); }));
  routes.push_back(
      Declare<BoundariesParams>("GET", "/api/v1/areas.geojson",
                                "Boundaries of one level as a simplified GeoJSON FeatureCollection",
                                [s, cache](const Request&, const BoundariesParams& p) {
                                  return AreasGeoJson(*s, *cache, p);
                                }));
}

}  // namespace corridor::api
