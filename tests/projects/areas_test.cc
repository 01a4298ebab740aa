// Area outlines for the portal's map (projects/areas.h), on the real OCHA
// COD-AB boundaries of Pakistan.
#include "corridor/projects/areas.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "testing/testing.h"

namespace corridor::projects {
namespace {

std::string Boundaries(int level) {
  return testing::ReadFile(testing::SharedPath("data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm" +
                                               std::to_string(level) +
                                               "_wfp_20220909.derived.geojson"));
}

std::size_t Points(const std::vector<model::AreaOutline>& areas) {
  std::size_t n = 0;
  for (const auto& a : areas) {
    for (const auto& polygon : a.polygons) {
      for (const auto& ring : polygon) n += ring.size();
    }
  }
  return n;
}

TEST(AreaOutlines, EveryDistrictOfPakistanIsKeptSmallEnoughForAPhone) {
  auto districts = ReadAreaOutlines(Boundaries(2), 2);
  ASSERT_TRUE(districts.has_value()) << districts.error().message;
  ASSERT_EQ(districts->size(), 160u);
  std::set<std::string> pcodes;
  for (const auto& d : *districts) {
    SCOPED_TRACE(d.pcode);
    EXPECT_TRUE(pcodes.insert(d.pcode).second);
    EXPECT_EQ(d.level, 2);
    EXPECT_FALSE(d.name.empty());
    EXPECT_EQ(d.parent.rfind("PK", 0), 0u);
    ASSERT_FALSE(d.polygons.empty());
    for (const auto& polygon : d.polygons) {
      for (const auto& ring : polygon) {
        ASSERT_GE(ring.size(), 4u);
        EXPECT_EQ(ring.front(), ring.back());  // closed
        for (const auto& [lon, lat] : ring) {
          EXPECT_TRUE(lon > 60 && lon < 78 && lat > 23 && lat < 38) << lon << "," << lat;
          EXPECT_DOUBLE_EQ(lon, std::round(lon * 1000) / 1000);  // rounded to 1e-3 degrees
        }
      }
    }
  }
  // 255,083 points in the source; about 9,600 after simplification at 0.01 degrees.
  const std::size_t points = Points(*districts);
  EXPECT_GT(points, 3'000u);
  EXPECT_LT(points, 15'000u);
  // A coarser tolerance keeps fewer points, and every district still.
  auto coarse = ReadAreaOutlines(Boundaries(2), 2, 0.05);
  ASSERT_TRUE(coarse.has_value());
  EXPECT_EQ(coarse->size(), 160u);
  EXPECT_LT(Points(*coarse), points);
  auto provinces = ReadAreaOutlines(Boundaries(1), 1);
  ASSERT_TRUE(provinces.has_value()) << provinces.error().message;
  EXPECT_EQ(provinces->size(), 7u);
  for (const auto& p : *provinces) EXPECT_TRUE(p.parent.empty());
}

TEST(AreaOutlines, BadInputIsNamedByJsonPointer) {
  struct Case {
    const char* name;
    std::string geojson;
    int level;
    const char* want;
  };
  const std::string square = R"("coordinates":[[[62,25],[63,25],[63,26],[62,26],[62,25]]])";
  const Case cases[] = {
      {"not GeoJSON", "[]", 2, "FeatureCollection"},
      {"level 3", R"({"features":[]})", 3, "level"},
      {"no P-code",
       R"({"features":[{"properties":{"ADM2_EN":"x"},"geometry":{"type":"Polygon",)" + square +
           "}}]}",
       2, "/features/0/properties/ADM2_PCODE"},
      {"a point",
       R"({"features":[{"properties":{"ADM2_PCODE":"PK1"},"geometry":{"type":"Point","coordinates":[62,25]}}]})",
       2, "/features/0/geometry/type"},
      {"a P-code that is not letters and digits",
       R"({"features":[{"properties":{"ADM2_PCODE":"PK1&x=1"},"geometry":{"type":"Polygon",)" +
           square + "}}]}",
       2, "/features/0/properties/ADM2_PCODE: expected"},
      {"a type that is not a string",
       R"({"features":[{"properties":{"ADM2_PCODE":"PK1"},"geometry":{"type":7,)" + square + "}}]}",
       2, "/features/0/geometry/type"},
      {"a position off the globe",
       R"({"features":[{"properties":{"ADM2_PCODE":"PK1"},"geometry":{"type":"Polygon","coordinates":[[[62,25],[1e300,25],[63,26],[62,25]]]}}]})",
       2, "/features/0/geometry/coordinates: a position outside"},
      {"bad coordinates",
       R"({"features":[{"properties":{"ADM2_PCODE":"PK1"},"geometry":{"type":"Polygon","coordinates":[[["a",1]]]}}]})",
       2, "/features/0/geometry/coordinates"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ReadAreaOutlines(c.geojson, c.level);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(c.want), std::string::npos) << r.error().message;
  }
  // A tiny island that simplification would remove is kept when it is all there is.
  auto tiny = ReadAreaOutlines(
      R"({"features":[{"properties":{"ADM2_PCODE":"PK9"},"geometry":{"type":"Polygon","coordinates":[[[62,25],[62.004,25],[62.004,25.004],[62,25.004],[62,25]]]}}]})",
      2, 0.5);
  ASSERT_TRUE(tiny.has_value()) << tiny.error().message;
  EXPECT_EQ(tiny->at(0).polygons.size(), 1u);
}

}  // namespace
}  // namespace corridor::projects
