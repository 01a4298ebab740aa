// Road graph for risk-weighted routing (issue 17 item 6): the car profile that turns OSM way
// tags into drivable directed edges, the in-memory graph, snapping of a point to the nearest
// drivable segment and Dijkstra on any non-negative edge cost. No SQL here: the graph is built
// from ways read by ReadOsmPbf (or, later, from the roads store).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::routing {

struct LatLon {
  double lat = 0;
  double lon = 0;
};

// What the car profile makes of one way's tags. Documented in docs/routing.md and mirrored by
// tests/routing/dijkstra_check.py (the independent check): highway class → default speed,
// numeric maxspeed (km/h or "N mph") replaces it; access/motor_vehicle/motorcar = no|private
// exclude; oneway=yes|true|1 forward, -1 backward, junction=roundabout and motorway imply
// forward when oneway is not set; oneway=reversible is excluded.
struct WayRule {
  double speed_kmh = 0;
  bool forward = true;
  bool backward = true;
};
// tag(key) returns the value or nullptr. nullopt: not drivable by car.
std::optional<WayRule> CarRule(const std::function<const char*(const char*)>& tag);

// One drivable way: its node ids in order, their positions, its rule.
struct Way {
  int64_t id = 0;
  std::vector<int64_t> nodes;
  std::vector<LatLon> points;
  WayRule rule;
};

// Great-circle distance on the IUGG mean-radius sphere (6,371,008.8 m), in metres.
double HaversineM(LatLon a, LatLon b);

// A directed edge between two graph vertices (one segment of a way, in one direction).
struct Edge {
  uint32_t from = 0;
  uint32_t to = 0;
  double length_m = 0;
  double seconds = 0;
  int64_t way_id = 0;
};

// Where a point meets the road: the undirected segment (as its forward edge index, or its
// backward one when only that direction exists), the fraction along vertex a→b, the distance.
struct Snap {
  uint32_t a = 0;
  uint32_t b = 0;
  double fraction = 0;
  double distance_m = 0;
  double length_m = 0;
  double seconds = 0;
  bool forward = false;   // a→b drivable
  bool backward = false;  // b→a drivable
  LatLon point;
};

struct Path {
  double length_m = 0;
  double duration_s = 0;
  double cost = 0;
  std::vector<LatLon> geometry;  // snapped start, vertices, snapped end
  std::vector<uint32_t> edges;   // edge indices in order (empty when on one segment)
  // The partly driven edges at both ends (-1: none) and the fraction of each that is driven.
  int64_t start_edge = -1;
  double start_fraction = 0;
  int64_t end_edge = -1;
  double end_fraction = 0;
  // Sum of cost(edge, fraction) over the path for another cost (e.g. risk alone).
  double Sum(const std::function<double(uint32_t, double)>& cost) const;
};

class Graph {
 public:
  static Graph Build(const std::vector<Way>& ways);

  size_t vertex_count() const { return positions_.size(); }
  size_t edge_count() const { return edges_.size(); }
  const std::vector<Edge>& edges() const { return edges_; }
  LatLon position(uint32_t v) const { return positions_[v]; }

  // The nearest drivable segment within max_distance_m, or kNotFound naming the point.
  Result<Snap> SnapPoint(LatLon p, double max_distance_m) const;

  // Least-cost path; cost(edge index, fraction of the edge used) ≥ 0. kNotFound when the target
  // cannot be reached (one-way streets, islands).
  using Cost = std::function<double(uint32_t edge, double fraction)>;
  Result<Path> Route(const Snap& from, const Snap& to, const Cost& cost) const;
  // Travel time as the cost.
  Cost TimeCost() const;

 private:
  struct Segment {
    uint32_t a, b;
    int32_t forward_edge, backward_edge;  // -1 when that direction is not drivable
  };
  std::vector<LatLon> positions_;
  std::vector<Edge> edges_;
  std::vector<uint32_t> first_out_;  // CSR: edges_ sorted by from
  std::vector<Segment> segments_;
  struct Index;
  std::shared_ptr<const Index> index_;
};

// Reads the drivable ways of an .osm.pbf with libosmium. Errors name the file.
Result<std::vector<Way>> ReadOsmPbf(const std::string& path);

}  // namespace corridor::routing
