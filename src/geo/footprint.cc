#include "corridor/geo/footprint.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "corridor/common/json_get.h"
#include "corridor/geo/area_index.h"
#include "corridor/geo/geodesic.h"

namespace corridor::geo {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

// Planar coordinates in metres in a local frame around the footprint's centre:
// x = (lon - lon0)·kx, y = (lat - lat0)·ky, kx and ky the WGS84 metres per
// degree of longitude and latitude at lat0. Being an affine map of (lon, lat),
// it keeps "inside a polygon" exactly as in the (lon, lat) plane.
using Pt = bg::model::d2::point_xy<double>;
using Seg = bg::model::segment<Pt>;
using Poly = bg::model::polygon<Pt>;
using SegValue = std::pair<Seg, std::uint32_t>;

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
constexpr double kA = 6378137.0;
constexpr double kF = 1 / 298.257223563;
constexpr double kE2 = kF * (2 - kF);

double MeridionalRadius(double lat_deg) {
  const double s = std::sin(lat_deg * kDegToRad);
  return kA * (1 - kE2) / std::pow(1 - kE2 * s * s, 1.5);
}
double PrimeVerticalRadius(double lat_deg) {
  const double s = std::sin(lat_deg * kDegToRad);
  return kA / std::sqrt(1 - kE2 * s * s);
}

struct Vertex {
  double lat, lon;
};
struct Edge {
  Vertex a, b;
};

Result<Vertex> ReadPosition(const nlohmann::json& p, const std::string& where) {
  if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) {
    return Fail(ErrorCode::kInvalidArgument, where + ": expected a position [lon, lat]");
  }
  const double lon = p[0].get<double>(), lat = p[1].get<double>();
  if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90 || lat > 90 || lon < -180 ||
      lon > 180) {
    return Fail(ErrorCode::kInvalidArgument, where + ": position out of range");
  }
  return Vertex{lat, lon};
}

Result<std::vector<Vertex>> ReadLine(const nlohmann::json& line, const std::string& where) {
  if (!line.is_array()) return Fail(ErrorCode::kInvalidArgument, where + ": expected an array");
  std::vector<Vertex> out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    auto v = ReadPosition(line[i], where + "/" + std::to_string(i));
    if (!v) return Fail(v.error());
    out.push_back(*v);
  }
  return out;
}

}  // namespace

struct Footprint::Impl {
  std::vector<Vertex> points;
  std::vector<Edge> edges;
  std::vector<std::vector<std::vector<Vertex>>> polygons;  // rings, outer first
  LatLonBox box;
  // The local frame (filled by Finish).
  double lat0 = 0, lon0 = 0, kx = 1, ky = 1, rel_slope = 0;
  std::vector<Poly> frame_polys;
  std::vector<bg::model::box<Pt>> frame_poly_boxes;
  bgi::rtree<SegValue, bgi::quadratic<16>> segments;  // edges and points (a = b)

  Pt ToFrame(double lat, double lon) const { return Pt((lon - lon0) * kx, (lat - lat0) * ky); }

  Result<void> Add(const nlohmann::json& g, const std::string& where) {
    if (!g.is_object()) return Fail(ErrorCode::kInvalidArgument, where + ": expected an object");
    const std::string type = StringOr(g, "type");
    if (type == "GeometryCollection") {
      const auto it = g.find("geometries");
      if (it == g.end() || !it->is_array()) {
        return Fail(ErrorCode::kInvalidArgument, where + "/geometries: expected an array");
      }
      for (std::size_t i = 0; i < it->size(); ++i) {
        if (auto r = Add((*it)[i], where + "/geometries/" + std::to_string(i)); !r) return r;
      }
      return {};
    }
    const auto c = g.find("coordinates");
    if (c == g.end()) return Fail(ErrorCode::kInvalidArgument, where + "/coordinates: missing");
    const std::string cw = where + "/coordinates";
    auto add_line = [&](const nlohmann::json& line, const std::string& lw) -> Result<void> {
      auto v = ReadLine(line, lw);
      if (!v) return Fail(v.error());
      if (v->size() == 1) points.push_back((*v)[0]);
      for (std::size_t i = 1; i < v->size(); ++i) edges.push_back({(*v)[i - 1], (*v)[i]});
      return {};
    };
    auto add_polygon = [&](const nlohmann::json& rings, const std::string& pw) -> Result<void> {
      if (!rings.is_array() || rings.empty()) {
        return Fail(ErrorCode::kInvalidArgument, pw + ": expected an array of rings");
      }
      std::vector<std::vector<Vertex>> poly;
      for (std::size_t r = 0; r < rings.size(); ++r) {
        const std::string rw = pw + "/" + std::to_string(r);
        auto v = ReadLine(rings[r], rw);
        if (!v) return Fail(v.error());
        if (v->size() < 4)
          return Fail(ErrorCode::kInvalidArgument, rw + ": a ring needs 4 positions");
        for (std::size_t i = 1; i < v->size(); ++i) edges.push_back({(*v)[i - 1], (*v)[i]});
        poly.push_back(std::move(*v));
      }
      polygons.push_back(std::move(poly));
      return {};
    };
    if (type == "Point") {
      auto v = ReadPosition(*c, cw);
      if (!v) return Fail(v.error());
      points.push_back(*v);
      return {};
    }
    if (type == "MultiPoint" || type == "LineString") {
      if (type == "LineString") return add_line(*c, cw);
      auto v = ReadLine(*c, cw);
      if (!v) return Fail(v.error());
      points.insert(points.end(), v->begin(), v->end());
      return {};
    }
    if (!c->is_array()) return Fail(ErrorCode::kInvalidArgument, cw + ": expected an array");
    if (type == "MultiLineString") {
      for (std::size_t i = 0; i < c->size(); ++i) {
        if (auto r = add_line((*c)[i], cw + "/" + std::to_string(i)); !r) return r;
      }
      return {};
    }
    if (type == "Polygon") return add_polygon(*c, cw);
    if (type == "MultiPolygon") {
      for (std::size_t i = 0; i < c->size(); ++i) {
        if (auto r = add_polygon((*c)[i], cw + "/" + std::to_string(i)); !r) return r;
      }
      return {};
    }
    return Fail(ErrorCode::kInvalidArgument, where + "/type: unknown geometry type '" + type + "'");
  }

  void Finish() {
    box = {std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
           std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
    auto grow = [&](const Vertex& v) {
      box.min_lat = std::min(box.min_lat, v.lat);
      box.max_lat = std::max(box.max_lat, v.lat);
      box.min_lon = std::min(box.min_lon, v.lon);
      box.max_lon = std::max(box.max_lon, v.lon);
    };
    for (const auto& p : points) grow(p);
    for (const auto& e : edges) {
      grow(e.a);
      grow(e.b);
    }
    lat0 = (box.min_lat + box.max_lat) / 2;
    lon0 = (box.min_lon + box.max_lon) / 2;
    kx = PrimeVerticalRadius(lat0) * std::cos(lat0 * kDegToRad) * kDegToRad;
    ky = MeridionalRadius(lat0) * kDegToRad;
    // Relative error of frame distances against geodesic ones: the x scale is
    // that of lat0, off by about tan(lat)·Δlat at other latitudes; the y scale
    // changes far less. Doubled for safety, plus 0.5 % for the curvature.
    rel_slope = 2 * (std::abs(std::tan(lat0 * kDegToRad)) + 0.1) * kDegToRad;
    std::vector<SegValue> values;
    values.reserve(edges.size() + points.size());
    for (std::uint32_t i = 0; i < edges.size(); ++i) {
      values.emplace_back(
          Seg(ToFrame(edges[i].a.lat, edges[i].a.lon), ToFrame(edges[i].b.lat, edges[i].b.lon)), i);
    }
    for (std::uint32_t i = 0; i < points.size(); ++i) {
      const Pt p = ToFrame(points[i].lat, points[i].lon);
      values.emplace_back(Seg(p, p), static_cast<std::uint32_t>(edges.size() + i));
    }
    segments = bgi::rtree<SegValue, bgi::quadratic<16>>(values.begin(), values.end());
    for (const auto& rings : polygons) {
      Poly poly;
      for (std::size_t r = 0; r < rings.size(); ++r) {
        auto& ring = r == 0 ? poly.outer() : poly.inners().emplace_back();
        for (const auto& v : rings[r]) ring.push_back(ToFrame(v.lat, v.lon));
      }
      bg::correct(poly);
      frame_poly_boxes.push_back(bg::return_envelope<bg::model::box<Pt>>(poly));
      frame_polys.push_back(std::move(poly));
    }
  }

  bool Inside(const Pt& p) const {
    for (std::size_t i = 0; i < frame_polys.size(); ++i) {
      if (bg::covered_by(p, frame_poly_boxes[i]) && bg::covered_by(p, frame_polys[i])) return true;
    }
    return false;
  }

  // Metres per degree of longitude and latitude at the query point, and the
  // growth of the relative error per metre of distance from it (the x scale
  // changes by about tan(lat) per radian of latitude; doubled, plus a margin).
  struct LocalFrame {
    double kx, ky, slope;
  };
  struct LocalBounds {
    double lower, estimate, upper;
  };

  // Bounds on the geodesic distance from (lat, lon) to edge or point `index`,
  // from its distance in the frame centred on the point. The bound also covers
  // how far a long edge's geodesic bows away from the frame's straight line.
  LocalBounds LocalDistanceBounds(std::uint32_t index, double lat, double lon,
                                  const LocalFrame& f) const {
    auto to_local = [&](const Vertex& v) {
      double dlon = v.lon - lon;
      if (dlon > 180) dlon -= 360;
      if (dlon < -180) dlon += 360;
      return Pt(dlon * f.kx, (v.lat - lat) * f.ky);
    };
    double d = 0, bow = 0;
    const Pt origin(0, 0);
    if (index >= edges.size()) {
      d = bg::distance(origin, to_local(points[index - edges.size()]));
    } else {
      const Pt a = to_local(edges[index].a), b = to_local(edges[index].b);
      d = bg::distance(origin, Seg(a, b));
      const double length = bg::distance(a, b);
      bow = length * length * f.slope / 2;
    }
    const double rel = 0.002 + f.slope * d;
    return {d * (1 - rel) - bow - 1.0, d, d * (1 + rel) + bow + 1.0};
  }

  double ExactTo(std::uint32_t index, double lat, double lon) const {
    if (index >= edges.size()) {
      const Vertex& v = points[index - edges.size()];
      return GeodesicDistanceM(lat, lon, v.lat, v.lon);
    }
    const Edge& e = edges[index];
    if (e.a.lat == e.b.lat && e.a.lon == e.b.lon) {
      return GeodesicDistanceM(lat, lon, e.a.lat, e.a.lon);
    }
    return GeodesicDistanceToSegmentM(lat, lon, e.a.lat, e.a.lon, e.b.lat, e.b.lon);
  }

  // Candidate edges of (lat, lon) with the lower bound of each, and the
  // least lower bound, upper bound and estimate over them. False when every
  // edge is certainly farther than max_m.
  bool Candidates(double lat, double lon, double max_m,
                  std::vector<std::pair<double, std::uint32_t>>& candidates,
                  LocalBounds& least) const {
    candidates.clear();
    const Pt p = ToFrame(lat, lon);
    // The nearest edge in the footprint's frame, then every edge whose frame
    // distance is within the frame's error of it.
    SegValue nearest;
    segments.query(bgi::nearest(p, 1), &nearest);
    const double d_frame = bg::distance(p, nearest.first);
    const double span =
        std::max(std::abs(lat - lat0) + (box.max_lat - box.min_lat) / 2, d_frame / ky);
    const double rel = 0.005 + rel_slope * span;
    if (d_frame > max_m * (1 + rel) + 1.0) return false;
    const double reach = d_frame * (1 + 2 * rel) / (1 - rel) + 1.0;
    const bg::model::box<Pt> query(Pt(p.x() - reach, p.y() - reach),
                                   Pt(p.x() + reach, p.y() + reach));
    // The footprint's frame errs by up to `rel`, which grows with the size of
    // the footprint: around a large polygon with a dense boundary hundreds of
    // edges fall inside `reach`. A second frame centred on the point errs only
    // with the distance from it, so its bounds keep just the edges that can be
    // the nearest.
    const double phi = lat * kDegToRad;
    const LocalFrame local{PrimeVerticalRadius(lat) * std::cos(phi) * kDegToRad,
                           MeridionalRadius(lat) * kDegToRad,
                           2 * (std::abs(std::tan(phi)) + 0.1) / kA};
    constexpr double kInf = std::numeric_limits<double>::infinity();
    least = {kInf, kInf, kInf};
    for (auto it = segments.qbegin(bgi::intersects(query)); it != segments.qend(); ++it) {
      if (bg::distance(p, it->first) > reach) continue;
      const LocalBounds b = LocalDistanceBounds(it->second, lat, lon, local);
      least = {std::min(least.lower, b.lower), std::min(least.estimate, b.estimate),
               std::min(least.upper, b.upper)};
      candidates.emplace_back(b.lower, it->second);
    }
    return least.lower <= max_m;
  }

  std::optional<double> Within(double lat, double lon, double max_m) const {
    if (segments.empty()) return std::nullopt;
    if (Inside(ToFrame(lat, lon))) return 0.0;
    thread_local std::vector<std::pair<double, std::uint32_t>> candidates;
    LocalBounds least;
    if (!Candidates(lat, lon, max_m, candidates, least)) return std::nullopt;
    // Only the edges that can be the nearest are measured geodesically.
    std::sort(candidates.begin(), candidates.end());
    double best = std::numeric_limits<double>::infinity();
    for (const auto& [lower, index] : candidates) {
      if (lower > std::min(least.upper, best)) break;
      best = std::min(best, ExactTo(index, lat, lon));
    }
    if (!(best <= max_m)) return std::nullopt;
    return best;
  }

  std::optional<DistanceBounds> BoundsWithin(double lat, double lon, double max_m) const {
    if (segments.empty()) return std::nullopt;
    if (Inside(ToFrame(lat, lon))) return DistanceBounds{0, 0, 0};
    thread_local std::vector<std::pair<double, std::uint32_t>> candidates;
    LocalBounds least;
    if (!Candidates(lat, lon, max_m, candidates, least)) return std::nullopt;
    const double lower = std::max(0.0, least.lower);
    if (least.upper <= max_m) {
      return DistanceBounds{lower, std::clamp(least.estimate, lower, least.upper), least.upper};
    }
    // The bounds straddle max_m: only the geodesic distance decides.
    const auto exact = Within(lat, lon, max_m);
    if (!exact) return std::nullopt;
    return DistanceBounds{*exact, *exact, *exact};
  }
};

Footprint::Footprint() : impl_(std::make_unique<Impl>()) {}
Footprint::~Footprint() = default;
Footprint::Footprint(Footprint&&) noexcept = default;
Footprint& Footprint::operator=(Footprint&&) noexcept = default;

Result<Footprint> Footprint::FromGeoJson(std::string_view geometry) {
  const auto j = nlohmann::json::parse(geometry, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Fail(ErrorCode::kInvalidArgument, "footprint: not JSON");
  Footprint f;
  if (auto r = f.impl_->Add(j, "footprint"); !r) return Fail(r.error());
  if (f.impl_->points.empty() && f.impl_->edges.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "footprint: empty geometry");
  }
  f.impl_->Finish();
  return f;
}

Footprint Footprint::FromPoint(double lat, double lon) {
  Footprint f;
  f.impl_->points.push_back({lat, lon});
  f.impl_->Finish();
  return f;
}

double Footprint::DistanceM(double lat, double lon) const {
  return impl_->Within(lat, lon, std::numeric_limits<double>::infinity())
      .value_or(std::numeric_limits<double>::infinity());
}

std::optional<double> Footprint::DistanceWithinM(double lat, double lon, double max_m) const {
  return impl_->Within(lat, lon, max_m);
}

std::optional<DistanceBounds> Footprint::BoundsWithinM(double lat, double lon, double max_m) const {
  return impl_->BoundsWithin(lat, lon, max_m);
}

const LatLonBox& Footprint::box() const { return impl_->box; }

bool Footprint::empty() const { return impl_->segments.empty(); }

LatLonBox Footprint::SearchBox(double radius_m) const {
  const LatLonBox& b = impl_->box;
  // The meridional radius is smallest at the equator: a(1 - e²).
  const double dlat = radius_m / (kA * (1 - kE2)) / kDegToRad * 1.01 + 1e-9;
  LatLonBox out{std::max(-90.0, b.min_lat - dlat), b.min_lon, std::min(90.0, b.max_lat + dlat),
                b.max_lon};
  const double far_lat = std::max(std::abs(out.min_lat), std::abs(out.max_lat));
  if (far_lat >= 89.0) {
    out.min_lon = -180;
    out.max_lon = 180;
    return out;
  }
  const double dlon = radius_m / (kA * std::cos(far_lat * kDegToRad)) / kDegToRad * 1.01 + 1e-9;
  out.min_lon = std::max(-180.0, b.min_lon - dlon);
  out.max_lon = std::min(180.0, b.max_lon + dlon);
  return out;
}

}  // namespace corridor::geo
