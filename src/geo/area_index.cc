#include "corridor/geo/area_index.h"

#include <cpl_error.h>
#include <ogr_geometry.h>

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <algorithm>
#include <boost/function_output_iterator.hpp>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

namespace corridor::geo {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using BgPoint = bg::model::point<double, 2, bg::cs::cartesian>;  // x = lon, y = lat
using BgBox = bg::model::box<BgPoint>;
using RtreeValue = std::pair<BgBox, std::uint32_t>;
using Rtree = bgi::rtree<RtreeValue, bgi::quadratic<16>>;

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kMetresPerDegreeLat = 110'574.0;  // smallest value (at the equator)
// Edges whose planar distance is within this factor of the planar minimum are
// re-measured geodesically: the cos(lat)-scaled planar metric differs from
// the geodesic one by well under 1 % over 10 km at Pakistan's latitudes.
constexpr double kRefineFactor = 1.02;

// One area as a set of closed rings (outer and holes, all parts of a
// multipolygon) in flat vertex arrays, with a horizontal slab index:
//
//   max_y +------------------+
//         |  slab k-1        |  each slab lists the edges whose y-range
//         |------------------|  overlaps it; the crossing-number test for a
//     y ->|  slab s   .p --->|  point in slab s needs only those edges
//         |------------------|  (an edge crossing the ray y = p.y overlaps
//   min_y +------------------+   slab s)
//
// Parity over every ring edge gives "inside" for polygons with holes and for
// multipolygons whose parts do not overlap (valid OGC geometry).
struct Polygon {
  std::string pcode;
  std::string parent_pcode;
  std::vector<double> x;  // vertices of all rings; ring r spans [ring_begin[r], ring_begin[r+1])
  std::vector<double> y;
  std::vector<std::uint32_t> ring_begin;
  std::vector<std::uint32_t> edges;       // index i of edge (i, i+1), grouped by slab
  std::vector<std::uint32_t> slab_begin;  // slab s spans edges[slab_begin[s] .. slab_begin[s+1])
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  double slab_height = 1;
  std::uint32_t slab_count = 1;

  // Covered (inside or on the boundary). Exact on vertices; on edges exact up
  // to the rounding of one cross product.
  bool Covers(double px, double py) const {
    if (px < min_x || px > max_x || py < min_y || py > max_y) return false;
    auto s = static_cast<std::uint32_t>((py - min_y) / slab_height);
    if (s >= slab_count) s = slab_count - 1;
    bool inside = false;
    for (std::uint32_t k = slab_begin[s]; k < slab_begin[s + 1]; ++k) {
      const std::uint32_t i = edges[k];
      const double ax = x[i], ay = y[i], bx = x[i + 1], by = y[i + 1];
      const bool a_above = ay > py;
      const bool b_above = by > py;
      const bool y_in = (ay <= py || by <= py) && (ay >= py || by >= py);
      if (!y_in) continue;
      const double cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
      if (cross == 0 && px >= std::min(ax, bx) && px <= std::max(ax, bx)) return true;
      if (a_above != b_above) {
        // Upward edge (b above): the ray to +x crosses it when p is left of a->b.
        if (b_above ? cross > 0 : cross < 0) inside = !inside;
      }
    }
    return inside;
  }

  void BuildSlabs() {
    std::uint32_t edge_count = 0;
    for (std::size_t r = 0; r + 1 < ring_begin.size(); ++r) {
      edge_count += ring_begin[r + 1] - ring_begin[r] - 1;
    }
    slab_count = std::clamp<std::uint32_t>(edge_count / 16, 1, 4096);
    slab_height = (max_y - min_y) / slab_count;
    if (!(slab_height > 0)) {
      slab_count = 1;
      slab_height = 1;
    }
    auto slab_of = [&](double v) {
      auto s = static_cast<std::int64_t>((v - min_y) / slab_height);
      return static_cast<std::uint32_t>(std::clamp<std::int64_t>(s, 0, slab_count - 1));
    };
    std::vector<std::uint32_t> counts(slab_count + 1, 0);
    auto for_each_edge = [&](auto&& fn) {
      for (std::size_t r = 0; r + 1 < ring_begin.size(); ++r) {
        for (std::uint32_t i = ring_begin[r]; i + 1 < ring_begin[r + 1]; ++i) {
          fn(i, slab_of(std::min(y[i], y[i + 1])), slab_of(std::max(y[i], y[i + 1])));
        }
      }
    };
    for_each_edge([&](std::uint32_t, std::uint32_t s0, std::uint32_t s1) {
      for (std::uint32_t s = s0; s <= s1; ++s) ++counts[s + 1];
    });
    slab_begin.assign(slab_count + 1, 0);
    for (std::uint32_t s = 0; s < slab_count; ++s)
      slab_begin[s + 1] = slab_begin[s] + counts[s + 1];
    edges.assign(slab_begin[slab_count], 0);
    std::vector<std::uint32_t> fill(slab_begin.begin(), slab_begin.end() - 1);
    for_each_edge([&](std::uint32_t i, std::uint32_t s0, std::uint32_t s1) {
      for (std::uint32_t s = s0; s <= s1; ++s) edges[fill[s]++] = i;
    });
  }
};

struct Level {
  std::vector<Polygon> polygons;  // sorted by P-code: a lower index is a lower P-code
  Rtree rtree;
};

void AppendRing(const OGRLinearRing& ring, Polygon& p) {
  const int n = ring.getNumPoints();
  if (n < 3) return;
  p.ring_begin.push_back(static_cast<std::uint32_t>(p.x.size()));
  for (int i = 0; i < n; ++i) {
    p.x.push_back(ring.getX(i));
    p.y.push_back(ring.getY(i));
  }
  if (p.x[p.ring_begin.back()] != p.x.back() || p.y[p.ring_begin.back()] != p.y.back()) {
    p.x.push_back(p.x[p.ring_begin.back()]);  // close the ring
    p.y.push_back(p.y[p.ring_begin.back()]);
  }
}

void AppendPolygon(const OGRPolygon& polygon, Polygon& p) {
  for (const OGRLinearRing* ring : polygon) AppendRing(*ring, p);
}

Result<Polygon> ParsePolygon(const model::Area& area) {
  auto bad = [&](const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument, "area " + area.pcode + ": " + why);
  };
  CPLPushErrorHandler(CPLQuietErrorHandler);  // the error is returned, not printed
  std::unique_ptr<OGRGeometry> g(OGRGeometryFactory::createFromGeoJson(area.geometry.c_str()));
  CPLPopErrorHandler();
  if (!g) return bad("geometry is not valid GeoJSON");
  Polygon p;
  p.pcode = area.pcode;
  p.parent_pcode = area.parent_pcode;
  switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon:
      AppendPolygon(*g->toPolygon(), p);
      break;
    case wkbMultiPolygon:
      for (const OGRPolygon* part : *g->toMultiPolygon()) AppendPolygon(*part, p);
      break;
    default:
      return bad("geometry is not a Polygon/MultiPolygon");
  }
  if (p.ring_begin.empty()) return bad("polygon has no ring");
  p.ring_begin.push_back(static_cast<std::uint32_t>(p.x.size()));
  for (double v : p.x) {
    if (!std::isfinite(v)) return bad("non-finite coordinate");
  }
  for (double v : p.y) {
    if (!std::isfinite(v)) return bad("non-finite coordinate");
  }
  p.min_x = *std::min_element(p.x.begin(), p.x.end());
  p.max_x = *std::max_element(p.x.begin(), p.x.end());
  p.min_y = *std::min_element(p.y.begin(), p.y.end());
  p.max_y = *std::max_element(p.y.begin(), p.y.end());
  p.BuildSlabs();
  return p;
}

// Squared planar distance from p to segment a-b, with t the clamped parameter
// of the foot. Coordinates already scaled (x by cos(lat)).
double PlanarSegmentDistance2(double px, double py, double ax, double ay, double bx, double by,
                              double& t) {
  const double dx = bx - ax, dy = by - ay;
  const double len2 = dx * dx + dy * dy;
  t = len2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0.0;
  const double ex = ax + t * dx - px, ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

double RefineGeodesic(double lat, double lon, double lat_a, double lon_a, double lat_b,
                      double lon_b, double t0) {
  const GeographicLib::Geodesic& geod = GeographicLib::Geodesic::WGS84();
  const GeographicLib::GeodesicLine line = geod.InverseLine(lat_a, lon_a, lat_b, lon_b);
  const double length = line.Distance();
  if (!(length > 1e-3)) return GeodesicDistanceM(lat, lon, lat_a, lon_a);
  constexpr double kRadiusM = 6'371'008.8;
  double s = std::clamp(t0, 0.0, 1.0) * length;
  for (int iter = 0; iter < 20; ++iter) {
    double lat_x = 0, lon_x = 0, azi_x = 0;
    line.Position(s, lat_x, lon_x, azi_x);
    double s_xp = 0, azi1 = 0, azi2 = 0;
    geod.Inverse(lat_x, lon_x, lat, lon, s_xp, azi1, azi2);
    if (s_xp < 1e-4) return s_xp;
    // Along-track offset of the foot on the sphere tangent at X (Baselga &
    // Martinez-Llario 2018): converges quadratically, the ellipsoidal error of
    // each step is corrected by the next one.
    const double sigma = s_xp / kRadiusM;
    const double ds = kRadiusM * std::atan2(std::sin(sigma) * std::cos((azi1 - azi_x) * kDegToRad),
                                            std::cos(sigma));
    const double next = std::clamp(s + ds, 0.0, length);
    if (std::abs(next - s) < 1e-4) {
      s = next;
      break;
    }
    s = next;
  }
  double lat_x = 0, lon_x = 0;
  line.Position(s, lat_x, lon_x);
  return GeodesicDistanceM(lat, lon, lat_x, lon_x);
}

// Geodesic distance from the point to the nearest edge of `p`; +inf when no
// edge lies within `max_planar` (scaled degrees).
double DistanceToPolygonM(const Polygon& p, double lat, double lon, double cos_lat,
                          double max_planar) {
  const double px = lon * cos_lat, py = lat;
  double best2 = max_planar * max_planar;
  // Pass 1: planar minimum over all edges.
  bool any = false;
  for (std::size_t r = 0; r + 1 < p.ring_begin.size(); ++r) {
    for (std::uint32_t i = p.ring_begin[r]; i + 1 < p.ring_begin[r + 1]; ++i) {
      double t = 0;
      const double d2 = PlanarSegmentDistance2(px, py, p.x[i] * cos_lat, p.y[i],
                                               p.x[i + 1] * cos_lat, p.y[i + 1], t);
      if (d2 <= best2) {
        best2 = d2;
        any = true;
      }
    }
  }
  if (!any) return std::numeric_limits<double>::infinity();
  // Pass 2: exact geodesic distance for every edge close to the planar minimum.
  const double limit2 = best2 * kRefineFactor * kRefineFactor + 1e-14;
  double best_m = std::numeric_limits<double>::infinity();
  for (std::size_t r = 0; r + 1 < p.ring_begin.size(); ++r) {
    for (std::uint32_t i = p.ring_begin[r]; i + 1 < p.ring_begin[r + 1]; ++i) {
      double t = 0;
      const double d2 = PlanarSegmentDistance2(px, py, p.x[i] * cos_lat, p.y[i],
                                               p.x[i + 1] * cos_lat, p.y[i + 1], t);
      if (d2 > limit2) continue;
      best_m =
          std::min(best_m, RefineGeodesic(lat, lon, p.y[i], p.x[i], p.y[i + 1], p.x[i + 1], t));
    }
  }
  return best_m;
}

}  // namespace

struct AreaIndex::Impl {
  Level levels[2];  // [0] provinces, [1] districts

  const Level* Get(int level) const {  // nullptr for levels other than 1 and 2
    return level == 1 || level == 2 ? &levels[level - 1] : nullptr;
  }
};

AreaIndex::AreaIndex() : impl_(std::make_unique<Impl>()) {}
AreaIndex::~AreaIndex() = default;
AreaIndex::AreaIndex(AreaIndex&&) noexcept = default;
AreaIndex& AreaIndex::operator=(AreaIndex&&) noexcept = default;

Result<AreaIndex> AreaIndex::Build(std::span<const model::Area> areas) {
  AreaIndex index;
  for (const model::Area& area : areas) {
    if (area.level != 1 && area.level != 2) continue;
    auto polygon = ParsePolygon(area);
    if (!polygon) return Fail(polygon.error());
    index.impl_->levels[area.level - 1].polygons.push_back(std::move(*polygon));
  }
  for (Level& level : index.impl_->levels) {
    std::sort(level.polygons.begin(), level.polygons.end(),
              [](const Polygon& a, const Polygon& b) { return a.pcode < b.pcode; });
    for (std::size_t i = 1; i < level.polygons.size(); ++i) {
      if (level.polygons[i].pcode == level.polygons[i - 1].pcode) {
        return Fail(ErrorCode::kInvalidArgument,
                    "area " + level.polygons[i].pcode + ": P-code appears twice in one level");
      }
    }
    std::vector<RtreeValue> boxes;
    boxes.reserve(level.polygons.size());
    for (std::size_t i = 0; i < level.polygons.size(); ++i) {
      const Polygon& p = level.polygons[i];
      boxes.emplace_back(BgBox(BgPoint(p.min_x, p.min_y), BgPoint(p.max_x, p.max_y)),
                         static_cast<std::uint32_t>(i));
    }
    level.rtree = Rtree(boxes.begin(), boxes.end());  // packing (STR) construction
  }
  return index;
}

AreaHit AreaIndex::Locate(int level_number, double lat, double lon) const {
  AreaHit hit;
  const Level* level = impl_ ? impl_->Get(level_number) : nullptr;
  if (level == nullptr || level->polygons.empty() || !std::isfinite(lat) || !std::isfinite(lon)) {
    return hit;
  }
  // Inside: the lowest covering index (= lowest P-code).
  std::uint32_t best = std::numeric_limits<std::uint32_t>::max();
  level->rtree.query(bgi::intersects(BgPoint(lon, lat)),
                     boost::make_function_output_iterator([&](const RtreeValue& v) {
                       if (v.second < best && level->polygons[v.second].Covers(lon, lat)) {
                         best = v.second;
                       }
                     }));
  if (best != std::numeric_limits<std::uint32_t>::max()) {
    hit.pcode = level->polygons[best].pcode;
    hit.method = model::AssignMethod::kInside;
    return hit;
  }
  // Snap: candidates whose box is within ~kSnapDistanceM (a generous box in degrees).
  const double cos_lat = std::max(std::cos(lat * kDegToRad), 1e-6);
  const double margin_lat = 1.1 * kSnapDistanceM / kMetresPerDegreeLat;
  const double margin_lon = margin_lat / cos_lat;
  const BgBox search(BgPoint(lon - margin_lon, lat - margin_lat),
                     BgPoint(lon + margin_lon, lat + margin_lat));
  double best_m = kSnapDistanceM;
  level->rtree.query(
      bgi::intersects(search), boost::make_function_output_iterator([&](const RtreeValue& v) {
        const double d =
            DistanceToPolygonM(level->polygons[v.second], lat, lon, cos_lat, margin_lat);
        if (d < best_m || (d == best_m && v.second < best)) {
          best_m = d;
          best = v.second;
        }
      }));
  if (best != std::numeric_limits<std::uint32_t>::max() && best_m <= kSnapDistanceM) {
    hit.pcode = level->polygons[best].pcode;
    hit.method = model::AssignMethod::kSnapped;
    hit.distance_m = best_m;
  }
  return hit;
}

void AreaIndex::Assign(model::Incident& incident) const {
  incident.admin1.clear();
  incident.admin2.clear();
  incident.admin_method = model::AssignMethod::kNone;
  if (!incident.latitude || !incident.longitude) return;
  using model::LocationPrecision;
  const LocationPrecision precision = incident.location_precision;
  const bool want1 =
      precision == LocationPrecision::kExact || precision == LocationPrecision::kNear ||
      precision == LocationPrecision::kDistrict || precision == LocationPrecision::kProvince;
  const bool want2 = want1 && precision != LocationPrecision::kProvince;
  if (!want1) return;
  bool any = false, snapped = false;
  auto apply = [&](int level, std::string& out) {
    AreaHit hit = Locate(level, *incident.latitude, *incident.longitude);
    if (hit.method == model::AssignMethod::kNone) return;
    out = std::move(hit.pcode);
    any = true;
    snapped = snapped || hit.method == model::AssignMethod::kSnapped;
  };
  apply(1, incident.admin1);
  if (want2) apply(2, incident.admin2);
  if (any)
    incident.admin_method = snapped ? model::AssignMethod::kSnapped : model::AssignMethod::kInside;
}

bool AreaIndex::empty() const {
  return !impl_ || (impl_->levels[0].polygons.empty() && impl_->levels[1].polygons.empty());
}

std::size_t AreaIndex::area_count(int level) const {
  const Level* l = impl_ ? impl_->Get(level) : nullptr;
  return l ? l->polygons.size() : 0;
}

double GeodesicDistanceToSegmentM(double lat, double lon, double lat_a, double lon_a, double lat_b,
                                  double lon_b) {
  const double cos_lat = std::max(std::cos(lat * kDegToRad), 1e-6);
  double t = 0;
  PlanarSegmentDistance2(lon * cos_lat, lat, lon_a * cos_lat, lat_a, lon_b * cos_lat, lat_b, t);
  return RefineGeodesic(lat, lon, lat_a, lon_a, lat_b, lon_b, t);
}

}  // namespace corridor::geo
