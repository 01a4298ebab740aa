// The RoadStore conformance suite (corridor/store/roads.h), run on every backend.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "corridor/store/roads.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

RoadWay Way(std::int64_t id, double lat0, double speed = 50) {
  RoadWay w;
  w.id = id;
  w.speed_kmh = speed;
  w.forward = true;
  w.backward = id % 2 == 0;
  w.nodes = {id * 10, id * 10 + 1, id * 10 + 2};
  w.lat = {lat0, lat0 + 0.001, lat0 + 0.0021234567891};
  w.lon = {73.03, 73.031, 73.0325};
  return w;
}

RoadExtract Extract(const std::string& name, const std::string& loaded, std::int64_t ways) {
  return RoadExtract{name, std::string(64, 'a'), loaded, ways, ways * 3};
}

class RoadStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open({RoadsModule()});
    ASSERT_TRUE(db_);
  }
  Result<void> Load(const RoadExtract& e, const std::vector<RoadWay>& ways) {
    return InWriteTransaction(*db_,
                              [&](Transaction& tx) { return roads_->ReplaceExtract(tx, e, ways); });
  }
  std::vector<RoadWay> Ways() {
    auto tx = db_->BeginRead();
    EXPECT_TRUE(tx.has_value());
    auto ways = roads_->Ways(**tx);
    EXPECT_TRUE(ways.has_value()) << (ways ? "" : ways.error().message);
    return ways.value_or(std::vector<RoadWay>{});
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<RoadStore> roads_ = NewRoadStore();
};

TEST_P(RoadStoreConformance, WaysRoundTripExactlyAndAReloadReplacesOnlyItsExtract) {
  ASSERT_TRUE(
      Load(Extract("a.osm.pbf", "2026-12-01T10:00:00.000Z", 2), {Way(1, 33.6), Way(2, 33.7)}));
  ASSERT_TRUE(Load(Extract("b.osm.pbf", "2026-12-01T10:00:01.000Z", 1), {Way(3, 34.1)}));
  auto ways = Ways();
  ASSERT_EQ(ways.size(), 3U);
  EXPECT_EQ(ways[0], Way(1, 33.6));  // positions come back bit for bit
  EXPECT_EQ(ways[2], Way(3, 34.1));

  // Reloading a.osm.pbf with one way drops its other way, keeps b's.
  ASSERT_TRUE(Load(Extract("a.osm.pbf", "2026-12-02T10:00:00.000Z", 1), {Way(2, 33.7, 80)}));
  ways = Ways();
  ASSERT_EQ(ways.size(), 2U);
  EXPECT_EQ(ways[0].id, 2);
  EXPECT_EQ(ways[0].speed_kmh, 80);
  EXPECT_EQ(ways[1].id, 3);

  auto tx = db_->BeginRead();
  ASSERT_TRUE(tx.has_value());
  auto extracts = roads_->Extracts(**tx);
  ASSERT_TRUE(extracts.has_value());
  ASSERT_EQ(extracts->size(), 2U);
  EXPECT_EQ((*extracts)[0], Extract("a.osm.pbf", "2026-12-02T10:00:00.000Z", 1));
}

TEST_P(RoadStoreConformance, AWayInTwoExtractsComesOnceFromTheLaterLoad) {
  ASSERT_TRUE(Load(Extract("a.osm.pbf", "2026-12-01T10:00:00.000Z", 1), {Way(7, 33.6, 30)}));
  ASSERT_TRUE(Load(Extract("b.osm.pbf", "2026-12-01T11:00:00.000Z", 1), {Way(7, 33.6, 60)}));
  auto ways = Ways();
  ASSERT_EQ(ways.size(), 1U);
  EXPECT_EQ(ways[0].speed_kmh, 60);
}

TEST_P(RoadStoreConformance, BadWaysAreRefusedByNameAndNothingIsWritten) {
  ASSERT_TRUE(Load(Extract("a.osm.pbf", "2026-12-01T10:00:00.000Z", 1), {Way(1, 33.6)}));
  RoadWay short_way = Way(5, 33.6);
  short_way.nodes.resize(1);
  short_way.lat.resize(1);
  short_way.lon.resize(1);
  RoadWay off_earth = Way(6, 33.6);
  off_earth.lat[1] = 91;
  RoadWay not_a_number = Way(8, 33.6);
  not_a_number.lon[2] = std::numeric_limits<double>::quiet_NaN();
  RoadWay too_fast = Way(9, 33.6, 500);
  RoadWay missing_position = Way(10, 33.6);
  missing_position.lat.pop_back();
  for (const auto& [bad, words] :
       std::vector<std::pair<RoadWay, std::string>>{{short_way, "way 5: fewer than two nodes"},
                                                    {off_earth, "way 6: node 61 is not"},
                                                    {not_a_number, "way 8: node 82 is not"},
                                                    {too_fast, "way 9: speed"},
                                                    {missing_position, "way 10: a position"}}) {
    auto r = Load(Extract("a.osm.pbf", "2026-12-02T10:00:00.000Z", 2), {Way(2, 33.7), bad});
    ASSERT_FALSE(r.has_value()) << words;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
  }
  auto twice =
      Load(Extract("a.osm.pbf", "2026-12-02T10:00:00.000Z", 2), {Way(2, 33.7), Way(2, 33.7)});
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().message.find("way 2 appears twice"), std::string::npos)
      << twice.error().message;
  EXPECT_FALSE(Load(Extract("", "t", 0), {}).has_value());
  // The earlier load is intact.
  auto ways = Ways();
  ASSERT_EQ(ways.size(), 1U);
  EXPECT_EQ(ways[0], Way(1, 33.6));
}

INSTANTIATE_TEST_SUITE_P(Backends, RoadStoreConformance, ::testing::ValuesIn(DatabaseBackends()),
                         BackendName);

}  // namespace
}  // namespace corridor::store::conformance
