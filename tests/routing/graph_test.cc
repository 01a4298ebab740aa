// The road graph on the real OSM extracts of ../shared/data/osm-islamabad: the car profile,
// one-way streets, snapping, and agreement with the independent Python Dijkstra on i10.osm.
#include "corridor/routing/graph.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "routing/i10_graph.h"

namespace corridor::routing {
namespace {

using testing_graph::I10;
using testing_graph::OsmFile;

Result<Path> Shortest(const Graph& g, LatLon a, LatLon b) {
  auto from = g.SnapPoint(a, 1000);
  auto to = g.SnapPoint(b, 1000);
  if (!from) return tl::make_unexpected(from.error());
  if (!to) return tl::make_unexpected(to.error());
  return g.Route(*from, *to, g.TimeCost());
}

TEST(CarRuleTest, ProfileFollowsTags) {
  auto rule = [](std::map<std::string, std::string> tags) {
    return CarRule([&tags](const char* key) -> const char* {
      auto it = tags.find(key);
      return it == tags.end() ? nullptr : it->second.c_str();
    });
  };
  EXPECT_FALSE(rule({{"highway", "footway"}}));
  EXPECT_FALSE(rule({{"highway", "residential"}, {"access", "private"}}));
  EXPECT_FALSE(rule({{"highway", "residential"}, {"oneway", "reversible"}}));
  EXPECT_DOUBLE_EQ(rule({{"highway", "residential"}})->speed_kmh, 25);
  EXPECT_DOUBLE_EQ(rule({{"highway", "tertiary"}, {"maxspeed", "60"}})->speed_kmh, 60);
  EXPECT_NEAR(rule({{"highway", "tertiary"}, {"maxspeed", "30 mph"}})->speed_kmh, 48.28, 0.01);
  EXPECT_DOUBLE_EQ(rule({{"highway", "tertiary"}, {"maxspeed", "signals"}})->speed_kmh, 45);
  auto oneway = rule({{"highway", "residential"}, {"oneway", "yes"}});
  EXPECT_TRUE(oneway->forward);
  EXPECT_FALSE(oneway->backward);
  auto reverse = rule({{"highway", "residential"}, {"oneway", "-1"}});
  EXPECT_FALSE(reverse->forward);
  EXPECT_TRUE(reverse->backward);
  EXPECT_FALSE(rule({{"highway", "primary"}, {"junction", "roundabout"}})->backward);
  EXPECT_TRUE(rule({{"highway", "motorway"}, {"oneway", "no"}})->backward);
}

TEST(ReadOsmPbfTest, BadFilesAreNamed) {
  auto missing = ReadOsmPbf("/nonexistent/roads.osm.pbf");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/roads.osm.pbf"), std::string::npos);
  const std::string not_pbf = OsmFile("i10.osm");  // XML, not PBF
  auto bad = ReadOsmPbf(not_pbf);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find(not_pbf), std::string::npos) << bad.error().message;
}

TEST(GraphTest, IslamabadLoads) {
  auto ways = ReadOsmPbf(OsmFile("islamabad.osm.pbf"));
  ASSERT_TRUE(ways) << ways.error().message;
  const Graph g = Graph::Build(*ways);
  std::cerr << "islamabad.osm.pbf: " << ways->size() << " drivable ways, " << g.vertex_count()
            << " vertices, " << g.edge_count() << " directed edges\n";
  EXPECT_GT(g.edge_count(), 10000U);
  // Zero Point to Faisal Mosque area, both inside the extract.
  auto path = Shortest(g, {33.6938, 73.0652}, {33.7294, 73.0372});
  ASSERT_TRUE(path) << path.error().message;
  std::cerr << "islamabad route: " << path->length_m << " m, " << path->duration_s << " s\n";
  EXPECT_GT(path->length_m, HaversineM({33.6938, 73.0652}, {33.7294, 73.0372}));
}

TEST(GraphTest, OneWayStreetsAreDrivenOneWay) {
  const Graph& g = I10();
  ASSERT_GT(g.edge_count(), 0U);
  int checked = 0;
  for (const Edge& e : g.edges()) {
    if (e.length_m < 50) continue;
    bool reverse_exists = false;
    for (const Edge& r : g.edges()) reverse_exists |= r.from == e.to && r.to == e.from;
    if (reverse_exists) continue;
    const LatLon a = g.position(e.from), b = g.position(e.to);
    const LatLon p{a.lat + 0.25 * (b.lat - a.lat), a.lon + 0.25 * (b.lon - a.lon)};
    const LatLon q{a.lat + 0.75 * (b.lat - a.lat), a.lon + 0.75 * (b.lon - a.lon)};
    auto ahead = Shortest(g, p, q);
    ASSERT_TRUE(ahead) << ahead.error().message;
    EXPECT_NEAR(ahead->length_m, e.length_m / 2, 0.01 * e.length_m);
    auto back = Shortest(g, q, p);
    if (back) {
      EXPECT_GT(back->length_m, ahead->length_m + 1) << "way " << e.way_id;
    }
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

TEST(GraphTest, SnapRefusesPointsFarFromRoads) {
  auto snap = I10().SnapPoint({34.5, 73.0}, 500);
  ASSERT_FALSE(snap);
  EXPECT_NE(snap.error().message.find("34.5"), std::string::npos);
}

TEST(GraphTest, AgreesWithIndependentPythonDijkstra) {
  const std::vector<std::pair<LatLon, LatLon>> pairs = {
      {{33.640, 73.030}, {33.655, 73.048}},     {{33.655, 73.048}, {33.640, 73.030}},
      {{33.6482, 73.0369}, {33.658, 73.027}},   {{33.645, 73.035}, {33.6455, 73.0352}},
      {{33.6420, 73.0437}, {33.6473, 73.0397}}, {{33.6500, 73.0300}, {33.6410, 73.0480}}};
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [a, b] : pairs) {
    auto path = Shortest(I10(), a, b);
    ASSERT_TRUE(path) << path.error().message;
    out.push_back({{"from", {a.lat, a.lon}},
                   {"to", {b.lat, b.lon}},
                   {"length_m", path->length_m},
                   {"duration_s", path->duration_s}});
  }
  const corridor::testing::TempDir dir;
  const auto file = dir / "corridor_routing_compare.json";
  std::ofstream(file) << out.dump();
  const std::string cmd = "python3 " + std::string(std::getenv("CORRIDOR_SOURCE_DIR")) +
                          "/tests/routing/dijkstra_check.py" + " " + OsmFile("i10.osm") +
                          " --compare " + file.string() + " --tolerance 0.01";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

}  // namespace
}  // namespace corridor::routing
