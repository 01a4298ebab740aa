#include "corridor/geo/footprint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>
#include <string>

#include "corridor/geo/area_index.h"
#include "corridor/geo/geodesic.h"

namespace corridor::geo {
namespace {

TEST(FootprintTest, KnownDistances) {
  const std::string square =
      R"({"type":"Polygon","coordinates":[[[73,33],[73.1,33],[73.1,33.1],[73,33.1],[73,33]]]})";
  const std::string line = R"({"type":"LineString","coordinates":[[70,30],[70,31]]})";
  const std::string point = R"({"type":"Point","coordinates":[67,25]})";
  struct Case {
    const char* name;
    const std::string& geometry;
    double lat, lon, want_m;
  };
  const Case cases[] = {
      {"inside the square", square, 33.05, 73.05, 0},
      {"on the square's edge", square, 33.0, 73.05, 0},
      {"east of the square", square, 33.05, 73.2,
       GeodesicDistanceToSegmentM(33.05, 73.2, 33, 73.1, 33.1, 73.1)},
      {"north-east of the square (a corner)", square, 33.2, 73.2,
       GeodesicDistanceM(33.2, 73.2, 33.1, 73.1)},
      {"beside the line", line, 30.5, 70.1, GeodesicDistanceToSegmentM(30.5, 70.1, 30, 70, 31, 70)},
      {"beyond the line's end", line, 31.2, 70, GeodesicDistanceM(31.2, 70, 31, 70)},
      {"a point", point, 25.3, 67.2, GeodesicDistanceM(25.3, 67.2, 25, 67)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto f = Footprint::FromGeoJson(c.geometry);
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_NEAR(f->DistanceM(c.lat, c.lon), c.want_m, 1e-6);
    EXPECT_FALSE(f->DistanceWithinM(c.lat, c.lon, c.want_m - 1.0).has_value() && c.want_m > 1);
    auto within = f->DistanceWithinM(c.lat, c.lon, c.want_m + 1.0);
    ASSERT_TRUE(within.has_value());
    EXPECT_NEAR(*within, c.want_m, 1e-6);
  }
}

TEST(FootprintTest, RejectsBadGeometry) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"nope", "not JSON"},
      {R"({"type":"Blob","coordinates":[]})", "unknown geometry type"},
      {R"({"type":"Point","coordinates":[200,10]})", "out of range"},
      {R"({"type":"Polygon","coordinates":[[[1,1],[2,2],[1,1]]]})", "4 positions"},
      {R"({"type":"MultiPolygon","coordinates":[]})", "empty geometry"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto f = Footprint::FromGeoJson(c.text);
    ASSERT_FALSE(f);
    EXPECT_NE(f.error().message.find(c.want), std::string::npos) << f.error().message;
  }
}

// A 300-vertex ring (a wobbly circle) against brute force over every edge.
TEST(FootprintTest, MatchesBruteForceOnAManyVertexPolygon) {
  std::string coords;
  std::vector<std::pair<double, double>> ring;  // lat, lon
  const double pi = std::acos(-1.0);
  for (int i = 0; i <= 300; ++i) {
    const double a = 2 * pi * (i % 300) / 300;
    const double r = 0.3 + 0.1 * std::sin(7 * a);
    ring.emplace_back(34 + r * std::sin(a), 72 + r * std::cos(a) * 1.2);
  }
  for (const auto& [lat, lon] : ring) {
    coords += (coords.empty() ? "" : ",") + ("[" + std::to_string(lon) + "," + std::to_string(lat) + "]");
  }
  // std::to_string keeps 6 decimals: read the vertices back the same way.
  for (auto& [lat, lon] : ring) {
    lat = std::stod(std::to_string(lat));
    lon = std::stod(std::to_string(lon));
  }
  auto f = Footprint::FromGeoJson(R"({"type":"Polygon","coordinates":[[)" + coords + "]]}");
  ASSERT_TRUE(f) << f.error().message;
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> dlat(31, 37), dlon(69, 75);
  int outside = 0, inside = 0;
  for (int k = 0; k < 600; ++k) {
    const double lat = dlat(rng), lon = dlon(rng);
    double brute = 1e300;
    for (std::size_t i = 1; i < ring.size(); ++i) {
      brute = std::min(brute, GeodesicDistanceToSegmentM(lat, lon, ring[i - 1].first,
                                                         ring[i - 1].second, ring[i].first,
                                                         ring[i].second));
    }
    const double got = f->DistanceM(lat, lon);
    if (got == 0) {
      ++inside;
      continue;
    }
    ++outside;
    ASSERT_NEAR(got, brute, 1e-6) << lat << "," << lon;
    const double r = 25'000;
    EXPECT_EQ(f->DistanceWithinM(lat, lon, r).has_value(), brute <= r) << lat << "," << lon;
  }
  EXPECT_GT(inside, 2);
  EXPECT_GT(outside, 400);
}

// A large polygon with a dense boundary (the kind whose own frame errs by
// several per cent): BoundsWithinM decides membership as DistanceWithinM does,
// its bounds hold the geodesic distance and its estimate is close to it.
TEST(FootprintTest, BoundsHoldTheGeodesicDistanceAroundALargeDensePolygon) {
  std::string coords;
  std::vector<std::pair<double, double>> ring;  // lat, lon
  const double pi = std::acos(-1.0);
  constexpr int kVertices = 2400;
  for (int i = 0; i <= kVertices; ++i) {
    const double a = 2 * pi * (i % kVertices) / kVertices;
    const double r = 1.5 + 0.4 * std::sin(9 * a);
    ring.emplace_back(std::stod(std::to_string(33 + r * std::sin(a))),
                      std::stod(std::to_string(70 + r * std::cos(a) * 1.3)));
  }
  for (const auto& [lat, lon] : ring) {
    coords += (coords.empty() ? "" : ",") + ("[" + std::to_string(lon) + "," + std::to_string(lat) + "]");
  }
  auto f = Footprint::FromGeoJson(R"({"type":"Polygon","coordinates":[[)" + coords + "]]}");
  ASSERT_TRUE(f) << f.error().message;
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> dlat(30.5, 35.5), dlon(66.5, 73.5);
  int within = 0, beyond = 0;
  double worst_rel = 0;
  for (int k = 0; k < 400; ++k) {
    const double lat = dlat(rng), lon = dlon(rng);
    const double exact = f->DistanceM(lat, lon);
    if (exact == 0) continue;
    double brute = 1e300;
    for (std::size_t i = 1; i < ring.size(); ++i) {
      brute = std::min(brute, GeodesicDistanceToSegmentM(lat, lon, ring[i - 1].first,
                                                         ring[i - 1].second, ring[i].first,
                                                         ring[i].second));
    }
    ASSERT_NEAR(exact, brute, 1e-6) << lat << "," << lon;
    for (const double r : {25'000.0, 100'000.0}) {
      const auto b = f->BoundsWithinM(lat, lon, r);
      ASSERT_EQ(b.has_value(), brute <= r) << lat << "," << lon << " r=" << r;
      if (!b) {
        ++beyond;
        continue;
      }
      ++within;
      EXPECT_LE(b->lower_m, brute + 1e-6) << lat << "," << lon;
      EXPECT_GE(b->upper_m, brute - 1e-6) << lat << "," << lon;
      EXPECT_LE(b->lower_m, b->estimate_m);
      EXPECT_LE(b->estimate_m, b->upper_m);
      if (brute > 1000) worst_rel = std::max(worst_rel, std::abs(b->estimate_m - brute) / brute);
    }
  }
  EXPECT_GT(within, 100);
  EXPECT_GT(beyond, 100);
  // The figure docs/methods.md quotes for the decay weights.
  EXPECT_LT(worst_rel, 0.003) << "worst relative error of the estimate";
  std::cout << "estimate within 100 km: worst relative error " << worst_rel << "\n";
}

TEST(FootprintTest, SearchBoxHoldsEveryPointWithinTheRadius) {
  const Footprint f = Footprint::FromPoint(35, 70);
  const LatLonBox b = f.SearchBox(50'000);
  for (double az = 0; az < 360; az += 5) {
    // Points 49.9 km away in every direction are in the box.
    const double lat = 35 + 49'900 / 110'900.0 * std::cos(az * 3.14159265 / 180);
    const double lon = 70 + 49'900 / (111'300.0 * std::cos(35 * 3.14159265 / 180)) *
                                std::sin(az * 3.14159265 / 180);
    if (GeodesicDistanceM(35, 70, lat, lon) <= 50'000) {
      EXPECT_TRUE(b.Contains(lat, lon)) << az;
    }
  }
}

}  // namespace
}  // namespace corridor::geo
