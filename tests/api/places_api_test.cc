// GET /api/v1/places and `corridor places` (issue 17 item 1, docs/places.md)
// on the real GeoNames cities1000 and OCHA boundaries, through the real route
// handlers with authentication: Quetta is found by its English, Urdu and
// Chinese (simplified and traditional) names with its OCHA P-codes; the CLI
// gives the same document; parameters are bounded and refused by name.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/jobs.h"
#include "corridor/api/api.h"
#include "corridor/service/gazetteer.h"
#include "corridor/store/store.h"
#include "testing/api_harness.h"
#include "testing/testing.h"

namespace corridor {
namespace {

using nlohmann::json;

using testing::FindRoute;

class PlacesApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = new std::string((*dir_ / "places.db").string());
    auto store = store::OpenStore(*db_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = store->release();
    const auto ocha = testing::SharedPath("data/ocha-cod-ab-pakistan-2022");
    for (int level = 1; level <= 2; ++level) {
      auto loaded = cli::LoadAreas(
          *store_,
          (ocha / ("pak_admbnda_adm" + std::to_string(level) + "_wfp_20220909.shp")).string(),
          level);
      ASSERT_TRUE(loaded) << loaded.error().message;
    }
    auto harness = testing::ApiHarness::Create(*store_, *db_ + ".keys", model::Role::kAnalyst);
    ASSERT_TRUE(harness) << harness.error().message;
    h_ = harness->release();
    service::Context ctx{*store_, h_->audit()};
    service::GazetteerLoad load;
    load.geonames_path = testing::GeoNamesPath().string();
    auto loaded = service::LoadGazetteer(ctx, service::SystemCaller("test"), load);
    ASSERT_TRUE(loaded) << loaded.error().message;
    loaded_ = new service::GazetteerLoaded(*loaded);
  }
  static void TearDownTestSuite() {
    delete loaded_;
    delete h_;
    delete store_;
    delete db_;
    delete dir_;
  }

  static api::Response Get(const std::vector<std::pair<std::string, std::string>>& query) {
    const auto& route = FindRoute(h_->api(), "GET", "/api/v1/places");
    api::Request r = h_->Authorised("GET");
    r.path = "/api/v1/places";
    r.query = query;
    return route.handler(r);
  }
  static json Search(const std::string& q) {
    auto res = Get({{"q", q}});
    EXPECT_EQ(res.status, 200) << res.body;
    return json::parse(res.body, nullptr, false);
  }

  static testing::TempDir* dir_;
  static std::string* db_;
  static store::Store* store_;
  static testing::ApiHarness* h_;
  static service::GazetteerLoaded* loaded_;
};
testing::TempDir* PlacesApiTest::dir_ = nullptr;
std::string* PlacesApiTest::db_ = nullptr;
store::Store* PlacesApiTest::store_ = nullptr;
testing::ApiHarness* PlacesApiTest::h_ = nullptr;
service::GazetteerLoaded* PlacesApiTest::loaded_ = nullptr;

TEST_F(PlacesApiTest, TheLoadKeepsEveryPakistaniPlaceWithNamesAndDistricts) {
  EXPECT_EQ(loaded_->source.places, 434);
  EXPECT_EQ(loaded_->source.countries, "PK");
  EXPECT_EQ(loaded_->report.rejected_count, 0);
  EXPECT_GE(loaded_->with_ur, 35);  // the curated ones at least
  EXPECT_GE(loaded_->with_zh, 35);
  // Nearly every place lies in an OCHA district (a few coastal ones within the snap).
  EXPECT_GE(loaded_->with_admin2, 425);
}

TEST_F(PlacesApiTest, QuettaIsFoundByItsNameInEachLanguageWithItsPcodes) {
  const json by_urdu = Search("کوئٹہ");
  ASSERT_FALSE(by_urdu["items"].empty()) << by_urdu.dump();
  const json& quetta = by_urdu["items"][0];
  EXPECT_EQ(quetta["name"], "Quetta");
  EXPECT_EQ(quetta["names"], (json{{"en", "Quetta"}, {"ur", "کوئٹہ"}, {"zh", "奎达"}}));
  EXPECT_EQ(quetta["admin1"], "PK2");  // Balochistan
  EXPECT_EQ(quetta["admin2"].get<std::string>().rfind("PK2", 0), 0U) << quetta;
  EXPECT_NEAR(quetta["lat"].get<double>(), 30.199, 0.001);
  EXPECT_GT(quetta["population"].get<std::int64_t>(), 700000);
  for (const char* q : {"Quetta", "QUETTA", "奎达", "奎達", "كويته"}) {
    const json found = Search(q);
    ASSERT_FALSE(found["items"].empty()) << q;
    EXPECT_EQ(found["items"][0]["geonameid"], quetta["geonameid"]) << q;
  }
  const std::string attribution = by_urdu["attribution"];
  EXPECT_NE(attribution.find("GeoNames"), std::string::npos);
  EXPECT_NE(attribution.find("CC BY 3.0"), std::string::npos);
  EXPECT_EQ(by_urdu["source"]["places"], 434);
}

TEST_F(PlacesApiTest, WithoutAQueryTheMostPopulousComeFirstWithinTheLimit) {
  auto res = Get({{"limit", "5"}});
  ASSERT_EQ(res.status, 200) << res.body;
  const json all = json::parse(res.body);
  ASSERT_EQ(all["items"].size(), 5U);
  EXPECT_EQ(all["items"][0]["name"], "Karachi");
  for (std::size_t i = 1; i < 5; ++i) {
    EXPECT_GE(all["items"][i - 1]["population"], all["items"][i]["population"]);
  }
  EXPECT_TRUE(Search("no such place anywhere")["items"].empty());
}

TEST_F(PlacesApiTest, ParametersAreBoundedAndRefusedByName) {
  for (const auto& [query, name] :
       std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>>{
           {{{"limit", "501"}}, "limit"},
           {{{"limit", "0"}}, "limit"},
           {{{"q", std::string("Quet\x01ta")}}, "q"},
           {{{"q", std::string(201, 'a')}}, "q"},
           {{{"q", "Quetta"}, {"nearby", "1"}}, "nearby"}}) {
    auto res = Get(query);
    EXPECT_EQ(res.status, 400) << name << ": " << res.body;
    EXPECT_NE(res.body.find(name), std::string::npos) << res.body;
  }
}

TEST_F(PlacesApiTest, TheCliGivesTheSameDocumentAndATableForAPerson) {
  const std::string corridor = (testing::BuildDir() / "corridor").string();
  const auto cli = testing::RunCommand("CORRIDOR_TOKEN=" + h_->token() + " " + corridor + " --db " +
                                       *db_ + " --json places 奎達");
  ASSERT_EQ(cli.status, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out), Search("奎達"));
  const auto text = testing::RunCommand("CORRIDOR_TOKEN=" + h_->token() + " " + corridor +
                                        " --db " + *db_ + " places 'Dera Ghazi'");
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("Dera Ghazi Khan"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("ڈیرہ غازی خان"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("CC BY 3.0"), std::string::npos) << text.out;
  const auto bad = testing::RunCommand(corridor + " --db " + *db_ + " places x --limit 9999");
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.err.find("limit"), std::string::npos) << bad.err;
}

TEST(PlacesWithoutGazetteerTest, SaysHowToLoadOne) {
  testing::TempDir dir;
  const std::string db = (dir / "empty.db").string();
  auto store = store::OpenStore(db);
  ASSERT_TRUE(store) << store.error().message;
  auto harness = testing::ApiHarness::Create(**store, db + ".keys", model::Role::kAnalyst);
  ASSERT_TRUE(harness) << harness.error().message;
  const auto& route = FindRoute((*harness)->api(), "GET", "/api/v1/places");
  api::Request r = (*harness)->Authorised("GET");
  r.path = "/api/v1/places";
  r.query = {{"q", "Quetta"}};
  const auto res = route.handler(r);
  EXPECT_EQ(res.status, 404) << res.body;
  EXPECT_NE(res.body.find("corridor gazetteer load"), std::string::npos) << res.body;
}

}  // namespace
}  // namespace corridor
