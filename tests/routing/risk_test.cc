// The lowest-risk route on the real I-10 graph: incidents seeded on the shortest route's middle
// make the lowest-risk route differ (lower risk, longer duration); avoid areas are never entered;
// incidents outside the as-of window weigh nothing.
#include "corridor/routing/risk.h"

#include <gtest/gtest.h>

#include <iostream>

#include "corridor/routing/graph.h"
#include "routing/i10_graph.h"

namespace corridor::routing {
namespace {

constexpr LatLon kFrom{33.640, 73.030};
constexpr LatLon kTo{33.655, 73.048};
constexpr int64_t kAsOf = 20000;

struct Routes {
  Path shortest, safest;
};

Routes Both(const Graph& g, const RiskSurface& surface) {
  auto from = g.SnapPoint(kFrom, 1000);
  auto to = g.SnapPoint(kTo, 1000);
  EXPECT_TRUE(from && to);
  auto shortest = g.Route(*from, *to, surface.TimeCost());
  auto safest = g.Route(*from, *to, surface.RiskCost());
  EXPECT_TRUE(shortest) << shortest.error().message;
  EXPECT_TRUE(safest) << safest.error().message;
  return {*shortest, *safest};
}

// Incidents on the middle vertices of the plain shortest route.
std::vector<RiskIncident> SeedOnShortest(const Graph& g, int64_t day) {
  RiskSurface none(g, {}, {kAsOf, 365, 500, 600}, {});
  const Path plain = Both(g, none).shortest;
  std::vector<RiskIncident> out;
  const size_t n = plain.geometry.size();
  for (size_t i = n / 3; i < 2 * n / 3; ++i) out.push_back({plain.geometry[i], day, 1});
  return out;
}

TEST(RiskRouteTest, LowestRiskDiffersFromShortestWhenIncidentsSitOnIt) {
  const Graph& g = testing_graph::I10();
  const auto incidents = SeedOnShortest(g, kAsOf - 10);
  ASSERT_GE(incidents.size(), 2U);
  RiskSurface surface(g, incidents, {kAsOf, 365, 500, 600}, {});
  EXPECT_EQ(surface.incidents_used(), incidents.size());
  const Routes r = Both(g, surface);
  const double shortest_risk = r.shortest.Sum(surface.RiskOnly());
  const double safest_risk = r.safest.Sum(surface.RiskOnly());
  std::cerr << "shortest: " << r.shortest.length_m << " m, " << r.shortest.duration_s << " s, risk "
            << shortest_risk << "; lowest-risk: " << r.safest.length_m << " m, "
            << r.safest.duration_s << " s, risk " << safest_risk << " incident-km\n";
  EXPECT_LT(safest_risk, shortest_risk);
  EXPECT_GT(r.safest.duration_s, r.shortest.duration_s);
  EXPECT_NE(r.safest.edges, r.shortest.edges);
}

TEST(RiskRouteTest, IncidentsOutsideTheWindowWeighNothing) {
  const Graph& g = testing_graph::I10();
  const auto old = SeedOnShortest(g, kAsOf - 400);
  const auto future = SeedOnShortest(g, kAsOf + 1);
  std::vector<RiskIncident> all = old;
  all.insert(all.end(), future.begin(), future.end());
  RiskSurface surface(g, all, {kAsOf, 365, 500, 600}, {});
  EXPECT_EQ(surface.incidents_used(), 0U);
  const Routes r = Both(g, surface);
  EXPECT_EQ(r.safest.edges, r.shortest.edges);
  EXPECT_DOUBLE_EQ(r.safest.Sum(surface.RiskOnly()), 0);
}

TEST(RiskRouteTest, AvoidAreasAreNeverEntered) {
  const Graph& g = testing_graph::I10();
  RiskSurface none(g, {}, {kAsOf, 365, 500, 600}, {});
  const Path plain = Both(g, none).shortest;
  const LatLon c = plain.geometry[plain.geometry.size() / 2];
  const double d = 0.0015;  // about 150 m
  const Polygon box = {{c.lat - d, c.lon - d},
                       {c.lat - d, c.lon + d},
                       {c.lat + d, c.lon + d},
                       {c.lat + d, c.lon - d}};
  RiskSurface avoiding(g, {}, {kAsOf, 365, 500, 600}, {box});
  const Routes r = Both(g, avoiding);
  for (uint32_t e : r.shortest.edges) EXPECT_FALSE(avoiding.Excluded(e));
  for (const LatLon& p : r.shortest.geometry) {
    EXPECT_FALSE(std::abs(p.lat - c.lat) < d && std::abs(p.lon - c.lon) < d)
        << p.lat << "," << p.lon;
  }
  EXPECT_GT(r.shortest.duration_s, plain.duration_s);
}

}  // namespace
}  // namespace corridor::routing
