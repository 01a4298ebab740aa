// The GazetteerStore conformance suite (corridor/store/gazetteer.h), run on every backend.
#include <gtest/gtest.h>

#include <limits>

#include "corridor/store/gazetteer.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

gazetteer::Place Quetta() {
  gazetteer::Place p;
  p.geonameid = 1167528;
  p.name = "Quetta";
  p.name_ur = "کوئٹہ";
  p.name_zh = "奎达";
  p.names_source = "curated";
  p.alternates = {"Shalkot", "كويته", "奎達"};
  p.lat = 30.18414;
  p.lon = 67.00141;
  p.population = 733675;
  p.feature_code = "PPLA";
  p.country = "PK";
  p.admin1 = "PK2";
  p.admin2 = "PK206";
  return p;
}

gazetteer::Place Gwadar() {
  gazetteer::Place p;
  p.geonameid = 1177446;
  p.name = "Gwadar";
  p.names_source = "geonames";
  p.lat = 25.12163;
  p.lon = 62.32541;
  p.population = 51901;
  p.feature_code = "PPLA2";
  p.country = "PK";
  return p;
}

GazetteerSource Source(std::int64_t places, const std::string& loaded) {
  return GazetteerSource{
      "cities1000.txt", std::string(64, 'b'), std::string(64, 'c'), loaded, "PK", places};
}

class GazetteerStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open({GazetteerModule()});
    ASSERT_TRUE(db_);
  }
  Result<void> Load(const GazetteerSource& s, const std::vector<gazetteer::Place>& places) {
    return InWriteTransaction(*db_,
                              [&](Transaction& tx) { return store_->Replace(tx, s, places); });
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<GazetteerStore> store_ = NewGazetteerStore();
};

TEST_P(GazetteerStoreConformance, PlacesRoundTripExactlyInThreeScriptsAndALoadReplacesAll) {
  {
    auto tx = db_->BeginRead();
    ASSERT_TRUE(tx.has_value());
    auto none = store_->Source(**tx);
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->has_value());
  }
  ASSERT_TRUE(Load(Source(2, "2026-12-04T08:00:00.000Z"), {Gwadar(), Quetta()}));
  auto tx = db_->BeginRead();
  ASSERT_TRUE(tx.has_value());
  auto places = store_->Places(**tx);
  ASSERT_TRUE(places.has_value()) << places.error().message;
  ASSERT_EQ(places->size(), 2U);
  EXPECT_EQ((*places)[0], Quetta());  // by id; Urdu and Chinese bytes and positions exact
  EXPECT_EQ((*places)[1], Gwadar());
  auto source = store_->Source(**tx);
  ASSERT_TRUE(source.has_value() && source->has_value());
  EXPECT_EQ(**source, Source(2, "2026-12-04T08:00:00.000Z"));
  tx->reset();

  ASSERT_TRUE(Load(Source(1, "2026-12-04T09:00:00.000Z"), {Gwadar()}));
  auto tx2 = db_->BeginRead();
  ASSERT_TRUE(tx2.has_value());
  places = store_->Places(**tx2);
  ASSERT_TRUE(places.has_value());
  ASSERT_EQ(places->size(), 1U);
  EXPECT_EQ((*places)[0].name, "Gwadar");
}

TEST_P(GazetteerStoreConformance, ABadPlaceIsRefusedByNameAndTheStoredPlacesStay) {
  ASSERT_TRUE(Load(Source(1, "2026-12-04T08:00:00.000Z"), {Quetta()}));
  gazetteer::Place bad = Gwadar();
  bad.lat = std::numeric_limits<double>::quiet_NaN();
  auto r = Load(Source(2, "2026-12-04T09:00:00.000Z"), {Gwadar(), bad});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("place 1177446"), std::string::npos) << r.error().message;
  r = Load(Source(2, "2026-12-04T09:00:00.000Z"), {Quetta(), Quetta()});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("appears twice"), std::string::npos);
  auto tx = db_->BeginRead();
  ASSERT_TRUE(tx.has_value());
  auto places = store_->Places(**tx);
  ASSERT_TRUE(places.has_value());
  ASSERT_EQ(places->size(), 1U);
  EXPECT_EQ((*places)[0], Quetta());
}

INSTANTIATE_TEST_SUITE_P(Backends, GazetteerStoreConformance,
                         ::testing::ValuesIn(DatabaseBackends()), BackendName);

}  // namespace
}  // namespace corridor::store::conformance
