#include "corridor/routing/graph.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <queue>
#include <string>
#include <unordered_map>

namespace corridor::routing {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BoxPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<BoxPoint>;

constexpr double kEarthRadiusM = 6371008.8;
constexpr double kPi = 3.14159265358979323846;

double Radians(double deg) { return deg * kPi / 180.0; }

double DefaultSpeedKmh(std::string_view highway) {
  static const std::unordered_map<std::string_view, double> kSpeeds = {
      {"motorway", 100},   {"motorway_link", 60}, {"trunk", 80},        {"trunk_link", 50},
      {"primary", 65},     {"primary_link", 45},  {"secondary", 55},    {"secondary_link", 40},
      {"tertiary", 45},    {"tertiary_link", 35}, {"unclassified", 35}, {"road", 30},
      {"residential", 25}, {"living_street", 10}, {"service", 15}};
  auto it = kSpeeds.find(highway);
  return it == kSpeeds.end() ? 0 : it->second;
}

std::string Lower(const char* s) {
  std::string out = s == nullptr ? "" : s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Fraction along a→b of the point nearest p, in a local equirectangular plane around p.
double ProjectFraction(LatLon p, LatLon a, LatLon b) {
  const double k = std::cos(Radians(p.lat));
  const double ax = (a.lon - p.lon) * k, ay = a.lat - p.lat;
  const double dx = (b.lon - a.lon) * k, dy = b.lat - a.lat;
  const double denom = dx * dx + dy * dy;
  if (denom == 0) return 0;
  return std::clamp(-(ax * dx + ay * dy) / denom, 0.0, 1.0);
}

LatLon Lerp(LatLon a, LatLon b, double t) {
  return {a.lat + t * (b.lat - a.lat), a.lon + t * (b.lon - a.lon)};
}

}  // namespace

std::optional<WayRule> CarRule(const std::function<const char*(const char*)>& tag) {
  const std::string highway = Lower(tag("highway"));
  WayRule rule;
  rule.speed_kmh = DefaultSpeedKmh(highway);
  if (rule.speed_kmh <= 0) return std::nullopt;
  for (const char* key : {"access", "motor_vehicle", "motorcar"}) {
    const std::string v = Lower(tag(key));
    if (v == "no" || v == "private") return std::nullopt;
  }
  std::string maxspeed = Lower(tag("maxspeed"));
  if (!maxspeed.empty()) {
    double factor = 1.0;
    if (maxspeed.size() > 3 && maxspeed.compare(maxspeed.size() - 3, 3, "mph") == 0) {
      factor = 1.609344;
      maxspeed.resize(maxspeed.size() - 3);
    }
    char* end = nullptr;
    const double v = std::strtod(maxspeed.c_str(), &end);
    while (end != nullptr && *end == ' ') ++end;
    if (end != maxspeed.c_str() && end != nullptr && *end == '\0' && v > 0) {
      rule.speed_kmh = v * factor;
    }
  }
  const std::string oneway = Lower(tag("oneway"));
  if (oneway == "reversible") return std::nullopt;
  const bool implied =
      oneway.empty() && (Lower(tag("junction")) == "roundabout" || highway == "motorway");
  if (oneway == "yes" || oneway == "true" || oneway == "1" || implied) {
    rule.backward = false;
  } else if (oneway == "-1") {
    rule.forward = false;
  }
  return rule;
}

double HaversineM(LatLon a, LatLon b) {
  const double p1 = Radians(a.lat), p2 = Radians(b.lat);
  const double dp = p2 - p1, dl = Radians(b.lon - a.lon);
  const double h = std::sin(dp / 2) * std::sin(dp / 2) +
                   std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h)));
}

struct Graph::Index {
  bgi::rtree<std::pair<Box, uint32_t>, bgi::quadratic<16>> tree;
};

Graph Graph::Build(const std::vector<Way>& ways) {
  Graph g;
  std::unordered_map<int64_t, uint32_t> vertex;
  auto vertex_of = [&](int64_t id, LatLon p) {
    auto [it, inserted] = vertex.try_emplace(id, static_cast<uint32_t>(g.positions_.size()));
    if (inserted) g.positions_.push_back(p);
    return it->second;
  };
  struct Raw {
    uint32_t a, b;
    double length, seconds;
    int64_t way;
    bool fwd, bwd;
  };
  std::vector<Raw> raw;
  for (const Way& w : ways) {
    const double mps = w.rule.speed_kmh / 3.6;
    for (size_t i = 0; i + 1 < w.nodes.size() && i + 1 < w.points.size(); ++i) {
      if (w.nodes[i] == w.nodes[i + 1]) continue;
      const uint32_t a = vertex_of(w.nodes[i], w.points[i]);
      const uint32_t b = vertex_of(w.nodes[i + 1], w.points[i + 1]);
      const double length = HaversineM(w.points[i], w.points[i + 1]);
      raw.push_back({a, b, length, length / mps, w.id, w.rule.forward, w.rule.backward});
    }
  }
  std::vector<Edge> unsorted;
  std::vector<std::pair<int64_t, int64_t>> seg_edges;  // unsorted edge index per direction
  for (const Raw& r : raw) {
    int64_t f = -1, b = -1;
    if (r.fwd) {
      f = static_cast<int64_t>(unsorted.size());
      unsorted.push_back({r.a, r.b, r.length, r.seconds, r.way});
    }
    if (r.bwd) {
      b = static_cast<int64_t>(unsorted.size());
      unsorted.push_back({r.b, r.a, r.length, r.seconds, r.way});
    }
    seg_edges.emplace_back(f, b);
  }
  std::vector<uint32_t> order(unsorted.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return unsorted[x].from < unsorted[y].from; });
  std::vector<int32_t> new_index(unsorted.size());
  g.edges_.reserve(unsorted.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = static_cast<int32_t>(i);
    g.edges_.push_back(unsorted[order[i]]);
  }
  g.first_out_.assign(g.positions_.size() + 1, 0);
  for (const Edge& e : g.edges_) ++g.first_out_[e.from + 1];
  for (size_t v = 0; v < g.positions_.size(); ++v) g.first_out_[v + 1] += g.first_out_[v];
  auto index = std::make_shared<Index>();
  std::vector<std::pair<Box, uint32_t>> boxes;
  for (size_t i = 0; i < raw.size(); ++i) {
    const auto [f, b] = seg_edges[i];
    g.segments_.push_back(
        {raw[i].a, raw[i].b, f < 0 ? -1 : new_index[f], b < 0 ? -1 : new_index[b]});
    const LatLon pa = g.positions_[raw[i].a], pb = g.positions_[raw[i].b];
    boxes.emplace_back(Box(BoxPoint(std::min(pa.lon, pb.lon), std::min(pa.lat, pb.lat)),
                           BoxPoint(std::max(pa.lon, pb.lon), std::max(pa.lat, pb.lat))),
                       static_cast<uint32_t>(i));
  }
  index->tree = decltype(index->tree)(boxes.begin(), boxes.end());
  g.index_ = std::move(index);
  return g;
}

Result<Snap> Graph::SnapPoint(LatLon p, double max_distance_m) const {
  if (segments_.empty()) return Fail(ErrorCode::kNotFound, "the road graph is empty");
  // Box distance in degrees is not metres: take the 16 nearest boxes, then measure exactly.
  std::vector<std::pair<Box, uint32_t>> near;
  index_->tree.query(bgi::nearest(BoxPoint(p.lon, p.lat), 16), std::back_inserter(near));
  std::optional<Snap> best;
  for (const auto& [box, i] : near) {
    const Segment& s = segments_[i];
    const LatLon a = positions_[s.a], b = positions_[s.b];
    const double t = ProjectFraction(p, a, b);
    const LatLon q = Lerp(a, b, t);
    const double d = HaversineM(p, q);
    if (best && d >= best->distance_m) continue;
    const Edge& e = edges_[s.forward_edge >= 0 ? s.forward_edge : s.backward_edge];
    best =
        Snap{s.a, s.b, t, d, e.length_m, e.seconds, s.forward_edge >= 0, s.backward_edge >= 0, q};
  }
  if (!best || best->distance_m > max_distance_m) {
    return Fail(ErrorCode::kNotFound, "no drivable road within " + std::to_string(max_distance_m) +
                                          " m of " + std::to_string(p.lat) + "," +
                                          std::to_string(p.lon));
  }
  return *best;
}

double Path::Sum(const std::function<double(uint32_t, double)>& cost) const {
  double total = 0;
  if (start_edge >= 0) total += cost(static_cast<uint32_t>(start_edge), start_fraction);
  for (uint32_t e : edges) total += cost(e, 1.0);
  if (end_edge >= 0) total += cost(static_cast<uint32_t>(end_edge), end_fraction);
  return total;
}

Graph::Cost Graph::TimeCost() const {
  return [this](uint32_t edge, double fraction) { return edges_[edge].seconds * fraction; };
}

Result<Path> Graph::Route(const Snap& from, const Snap& to, const Cost& cost) const {
  auto edge_between = [&](uint32_t a, uint32_t b) -> int64_t {
    for (uint32_t e = first_out_[a]; e < first_out_[a + 1]; ++e) {
      if (edges_[e].to == b) return e;
    }
    return -1;
  };
  constexpr double kInf = std::numeric_limits<double>::infinity();
  Path best;
  best.cost = kInf;
  // Both points on the same segment, target ahead in a drivable direction.
  if (from.a == to.a && from.b == to.b) {
    const bool ahead = to.fraction >= from.fraction;
    if ((ahead && from.forward) || (!ahead && from.backward)) {
      const int64_t e = ahead ? edge_between(from.a, from.b) : edge_between(from.b, from.a);
      const double frac = std::abs(to.fraction - from.fraction);
      if (e >= 0) {
        best.cost = cost(static_cast<uint32_t>(e), frac);
        best.length_m = frac * from.length_m;
        best.duration_s = frac * from.seconds;
        best.geometry = {from.point, to.point};
        best.start_edge = e;
        best.start_fraction = frac;
      }
    }
  }
  const size_t n = positions_.size();
  std::vector<double> dist(n, kInf);
  std::vector<int64_t> via(n, -1);  // edge that reached the vertex (-1: the start segment)
  std::vector<char> done(n, 0);
  using Item = std::pair<double, uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  // Leaving the start point: towards b on the forward edge, towards a on the backward edge.
  std::vector<std::pair<uint32_t, int64_t>> start;  // vertex, partial edge
  if (from.forward) start.emplace_back(from.b, edge_between(from.a, from.b));
  if (from.backward) start.emplace_back(from.a, edge_between(from.b, from.a));
  for (const auto& [v, e] : start) {
    if (e < 0) continue;
    const double frac = v == from.b ? 1 - from.fraction : from.fraction;
    const double c = cost(static_cast<uint32_t>(e), frac);
    if (c < dist[v]) {
      dist[v] = c;
      heap.emplace(c, v);
    }
  }
  // Arriving at the end point: from a on the forward edge, from b on the backward edge.
  std::vector<std::pair<uint32_t, int64_t>> end;
  if (to.forward) end.emplace_back(to.a, edge_between(to.a, to.b));
  if (to.backward) end.emplace_back(to.b, edge_between(to.b, to.a));
  int64_t best_end_vertex = -1;
  int64_t best_end_edge = -1;
  while (!heap.empty()) {
    const auto [d, v] = heap.top();
    heap.pop();
    if (done[v]) continue;
    done[v] = 1;
    if (d >= best.cost) break;
    for (const auto& [ev, ee] : end) {
      if (ev != v || ee < 0) continue;
      const double frac = v == to.a ? to.fraction : 1 - to.fraction;
      const double c = d + cost(static_cast<uint32_t>(ee), frac);
      if (c < best.cost) {
        best.cost = c;
        best_end_vertex = v;
        best_end_edge = ee;
      }
    }
    for (uint32_t e = first_out_[v]; e < first_out_[v + 1]; ++e) {
      const uint32_t w = edges_[e].to;
      const double c = d + cost(e, 1.0);
      if (c < dist[w]) {
        dist[w] = c;
        via[w] = e;
        heap.emplace(c, w);
      }
    }
  }
  if (best.cost == kInf) {
    return Fail(ErrorCode::kNotFound,
                "no drivable route between the two points (one-way "
                "streets or a disconnected road)");
  }
  if (best_end_vertex < 0) return best;  // same-segment route was best
  // Walk back from the end vertex to a start vertex.
  std::vector<uint32_t> chain;
  auto v = static_cast<uint32_t>(best_end_vertex);
  while (via[v] >= 0) {
    chain.push_back(static_cast<uint32_t>(via[v]));
    v = edges_[via[v]].from;
  }
  std::reverse(chain.begin(), chain.end());
  const uint32_t first_vertex = v;
  Path path;
  path.cost = best.cost;
  const double start_frac = first_vertex == from.b ? 1 - from.fraction : from.fraction;
  const double end_frac = best_end_vertex == to.a ? to.fraction : 1 - to.fraction;
  path.length_m = start_frac * from.length_m + end_frac * to.length_m;
  path.duration_s = start_frac * from.seconds + end_frac * to.seconds;
  path.geometry.push_back(from.point);
  path.geometry.push_back(positions_[first_vertex]);
  for (uint32_t e : chain) {
    path.length_m += edges_[e].length_m;
    path.duration_s += edges_[e].seconds;
    path.geometry.push_back(positions_[edges_[e].to]);
  }
  path.geometry.push_back(to.point);
  path.edges = std::move(chain);
  path.start_edge =
      first_vertex == from.b ? edge_between(from.a, from.b) : edge_between(from.b, from.a);
  path.start_fraction = start_frac;
  path.end_edge = best_end_edge;
  path.end_fraction = end_frac;
  return path;
}

}  // namespace corridor::routing
