// Segment risk for the lowest-risk route (issue 17 item 6). The unit, documented in
// docs/routing.md, is the incident-kilometre: the kilometres driven on an edge times the
// decay-weighted count of incidents near it,
//   risk(edge) = length_km × Σ_i w_i · exp(−d_i / h)      over incidents with
//                as_of − window_days < date_i ≤ as_of and d_i ≤ 5h,
// d_i the distance from incident i to the edge's midpoint, h the decay length (default 500 m),
// w_i the incident's weight (1 by default). The lowest-risk route minimises
//   duration_s + λ · risk,  λ in seconds per incident-km (default 600: ten minutes of driving
// are worth avoiding one incident-km). Avoid areas are hard exclusions: an edge that touches
// any avoid polygon is never used. No SQL here: incidents come from the caller (the service
// reads them through the viewer-filtered store reads).
#pragma once

#include <vector>

#include "corridor/routing/graph.h"

namespace corridor::routing {

struct RiskIncident {
  LatLon at;
  int64_t day = 0;  // days since 1970-01-01 (UTC)
  double weight = 1;
};

struct RiskParams {
  int64_t as_of_day = 0;
  int window_days = 365;
  double decay_m = 500;
  double lambda_s_per_unit = 600;
};

using Polygon = std::vector<LatLon>;  // outer ring, first point need not repeat

class RiskSurface {
 public:
  RiskSurface(const Graph& graph, const std::vector<RiskIncident>& incidents,
              const RiskParams& params, const std::vector<Polygon>& avoid);
  // Incident-km of `fraction` of the edge.
  double Risk(uint32_t edge, double fraction) const { return risk_[edge] * fraction; }
  bool Excluded(uint32_t edge) const { return excluded_[edge] != 0; }
  size_t incidents_used() const { return used_; }
  // Costs for Graph::Route: time with avoid areas, and time + λ·risk with avoid areas.
  Graph::Cost TimeCost() const;
  Graph::Cost RiskCost() const;
  Graph::Cost RiskOnly() const;

 private:
  const Graph& graph_;
  RiskParams params_;
  std::vector<double> risk_;
  std::vector<char> excluded_;
  size_t used_ = 0;
};

}  // namespace corridor::routing
