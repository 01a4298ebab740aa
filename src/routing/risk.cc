#include "corridor/routing/risk.h"

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <limits>

namespace corridor::routing {
namespace {
namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using Pt = bg::model::point<double, 2, bg::cs::cartesian>;  // lon, lat
using Line = bg::model::linestring<Pt>;
using Poly = bg::model::polygon<Pt>;
using Box = bg::model::box<Pt>;
constexpr double kMetresPerDegreeLat = 111320.0;
}  // namespace

RiskSurface::RiskSurface(const Graph& graph, const std::vector<RiskIncident>& incidents,
                         const RiskParams& params, const std::vector<Polygon>& avoid)
    : graph_(graph), params_(params) {
  std::vector<std::pair<Pt, size_t>> points;
  for (size_t i = 0; i < incidents.size(); ++i) {
    const RiskIncident& inc = incidents[i];
    if (inc.day > params.as_of_day || inc.day <= params.as_of_day - params.window_days) continue;
    points.emplace_back(Pt(inc.at.lon, inc.at.lat), i);
  }
  used_ = points.size();
  bgi::rtree<std::pair<Pt, size_t>, bgi::quadratic<16>> tree(points.begin(), points.end());
  std::vector<Poly> polys;
  for (const Polygon& ring : avoid) {
    Poly p;
    for (const LatLon& v : ring) p.outer().emplace_back(v.lon, v.lat);
    bg::correct(p);
    polys.push_back(std::move(p));
  }
  const double reach_m = 5 * params.decay_m;
  const auto& edges = graph.edges();
  risk_.assign(edges.size(), 0);
  excluded_.assign(edges.size(), 0);
  for (size_t e = 0; e < edges.size(); ++e) {
    const LatLon a = graph.position(edges[e].from), b = graph.position(edges[e].to);
    const LatLon mid{(a.lat + b.lat) / 2, (a.lon + b.lon) / 2};
    const double dlat = reach_m / kMetresPerDegreeLat;
    const double dlon = dlat / std::max(0.01, std::cos(mid.lat * 3.14159265358979323846 / 180));
    double sum = 0;
    for (auto it = tree.qbegin(bgi::intersects(
             Box(Pt(mid.lon - dlon, mid.lat - dlat), Pt(mid.lon + dlon, mid.lat + dlat))));
         it != tree.qend(); ++it) {
      const RiskIncident& inc = incidents[it->second];
      const double d = HaversineM(mid, inc.at);
      if (d <= reach_m) sum += inc.weight * std::exp(-d / params.decay_m);
    }
    risk_[e] = edges[e].length_m / 1000.0 * sum;
    if (!polys.empty()) {
      Line line{Pt(a.lon, a.lat), Pt(b.lon, b.lat)};
      for (const Poly& p : polys) {
        if (bg::intersects(line, p)) {
          excluded_[e] = 1;
          break;
        }
      }
    }
  }
}

Graph::Cost RiskSurface::TimeCost() const {
  return [this](uint32_t e, double f) {
    return excluded_[e] ? std::numeric_limits<double>::infinity() : graph_.edges()[e].seconds * f;
  };
}

Graph::Cost RiskSurface::RiskCost() const {
  return [this](uint32_t e, double f) {
    return excluded_[e] ? std::numeric_limits<double>::infinity()
                        : graph_.edges()[e].seconds * f + params_.lambda_s_per_unit * risk_[e] * f;
  };
}

Graph::Cost RiskSurface::RiskOnly() const {
  return [this](uint32_t e, double f) { return risk_[e] * f; };
}

}  // namespace corridor::routing
