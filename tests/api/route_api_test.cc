// GET /api/v1/route and `corridor route` (issue 17 item 6, docs/routing.md) on
// the real OpenStreetMap extract of sector I-10, through the real route
// handlers with authentication: the shortest and the lowest-risk routes differ
// once reports sit on the shortest one; the CLI gives the same document; a
// report the caller may not read never moves the risk it is shown, and one it
// may read is audited; avoid areas are never entered; bad parameters are
// refused by name.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "corridor/api/api.h"
#include "corridor/service/routing.h"
#include "corridor/store/store.h"
#include "testing/api_harness.h"
#include "testing/testing.h"

namespace corridor {
namespace {

using nlohmann::json;

// Both ends of the I-10 pair of docs/routing.md (RiskRouteTest).
constexpr const char* kFrom = "33.640,73.030";
constexpr const char* kTo = "33.655,73.048";

using testing::FindRoute;

class RouteApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_ / "route.db").string();
    auto store = store::OpenStore(db_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto harness = testing::ApiHarness::Create(*store_, db_ + ".keys", model::Role::kSiteSecurity);
    ASSERT_TRUE(harness) << harness.error().message;
    h_ = std::move(*harness);
    auto& acc = h_->accounts();
    ASSERT_TRUE(acc.AddOrganisation("PK-OTHER", {"regional"}, false));
    struct U {
      const char* name;
      const char* org;
      model::Role role;
    };
    for (const U& u : {U{"analyst", "PK-TEST", model::Role::kAnalyst},
                       U{"other-guard", "PK-OTHER", model::Role::kSiteSecurity},
                       U{"admin", "PK-TEST", model::Role::kAdmin}}) {
      ASSERT_TRUE(acc.AddUser(u.name, u.org, {u.role}, "correct horse battery"));
      auto t = acc.CreateToken(u.name, "tests");
      ASSERT_TRUE(t);
      tokens_[u.name] = t->secret;
    }
    tokens_["guard"] = h_->token();
    service::Context ctx{*store_, h_->audit()};
    auto loaded =
        service::LoadRoads(ctx, service::SystemCaller("test"),
                           testing::SharedPath("data/osm-islamabad/i10.osm.pbf").string());
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(loaded->name, "i10.osm.pbf");
    EXPECT_GT(loaded->ways, 100);
  }

  api::Response Call(const std::string& method, const std::string& path, const std::string& user,
                     const std::vector<std::pair<std::string, std::string>>& query,
                     const json& body = nullptr) {
    const auto& route = FindRoute(h_->api(), method, path);
    api::Request r = h_->Authorised(method);
    r.headers["authorization"] = "Bearer " + tokens_.at(user);
    r.path = path;
    r.query = query;
    r.body = body.is_null() ? "" : body.dump();
    return route.handler(r);
  }

  json Route(const std::string& user, std::vector<std::pair<std::string, std::string>> extra = {}) {
    std::vector<std::pair<std::string, std::string>> q = {{"from", kFrom}, {"to", kTo}};
    for (auto& e : extra) q.push_back(std::move(e));
    auto res = Call("GET", "/api/v1/route", user, q);
    EXPECT_EQ(res.status, 200) << res.body;
    return json::parse(res.body, nullptr, false);
  }

  // Files reports at the points a third and two thirds along `line`'s
  // middle third (GeoJSON coordinates), as the analyst of PK-TEST.
  std::vector<std::string> FileOnMiddleThird(const json& line, const std::string& marking) {
    std::vector<std::string> ids;
    const auto& coords = line["coordinates"];
    const std::size_t n = coords.size();
    for (std::size_t i = n / 3; i <= 2 * n / 3; i += std::max<std::size_t>(1, n / 12)) {
      json body = {{"date_start", "2031-05-01"}, {"latitude", coords[i][1]},
                   {"longitude", coords[i][0]},  {"category", "bombing"},
                   {"headline", "route probe"},  {"marking", marking}};
      auto res = Call("POST", "/api/v1/incidents", "analyst", {}, body);
      EXPECT_EQ(res.status, 201) << res.body;
      ids.push_back(json::parse(res.body)["id"]);
    }
    return ids;
  }

  testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<testing::ApiHarness> h_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(RouteApiTest, WithReportsOnTheShortestTheLowestRiskRouteDiffersAndTheCliAgrees) {
  const json quiet = Route("guard");
  ASSERT_EQ(quiet["routes"].size(), 2U);
  const json& before = quiet["routes"][0];
  EXPECT_EQ(before["kind"], "shortest");
  EXPECT_EQ(quiet["routes"][1]["kind"], "lowest_risk");
  EXPECT_EQ(before["risk"], 0.0);
  EXPECT_EQ(quiet["routes"][1]["geometry"], before["geometry"]);
  EXPECT_EQ(before["geometry"]["type"], "LineString");
  // docs/routing.md's figure for this pair (and the Python check's length).
  EXPECT_NEAR(before["length_m"].get<double>(), 2386, 30);
  EXPECT_NE(quiet["attribution"].get<std::string>().find("OpenStreetMap contributors"),
            std::string::npos);

  const auto ids = FileOnMiddleThird(before["geometry"], "TLP:CLEAR");
  ASSERT_GE(ids.size(), 3U);
  const json risky = Route("guard");
  EXPECT_EQ(risky["as_of"], "2031-05-01");  // the latest incident the caller may read
  EXPECT_EQ(risky["incidents_used"], ids.size());
  const json& shortest = risky["routes"][0];
  const json& safest = risky["routes"][1];
  EXPECT_EQ(shortest["geometry"], before["geometry"]);  // risk does not move the shortest
  EXPECT_GT(shortest["risk"].get<double>(), 1.0);
  EXPECT_LT(safest["risk"].get<double>(), shortest["risk"].get<double>());
  EXPECT_GT(safest["duration_s"].get<double>(), shortest["duration_s"].get<double>());
  EXPECT_NE(safest["geometry"], shortest["geometry"]);
  EXPECT_FALSE(shortest["segments"].empty());
  // The trade-off obeys its definition: the lower-risk route is worth its extra time.
  const double lambda = risky["lambda_s_per_unit"];
  EXPECT_LE(safest["duration_s"].get<double>() + lambda * safest["risk"].get<double>(),
            shortest["duration_s"].get<double>() + lambda * shortest["risk"].get<double>());

  // `corridor route` as the same user: the same document.
  const auto cli = testing::RunCommand(
      "CORRIDOR_TOKEN=" + tokens_.at("guard") + " " + (testing::BuildDir() / "corridor").string() +
      " --db " + db_ + " route --from " + kFrom + " --to " + kTo + " --format json");
  ASSERT_EQ(cli.status, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out), risky);
  // And as text, for a person.
  const auto text = testing::RunCommand("CORRIDOR_TOKEN=" + tokens_.at("guard") + " " +
                                        (testing::BuildDir() / "corridor").string() + " --db " +
                                        db_ + " route --from " + kFrom + " --to " + kTo);
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("the lower-risk route takes"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("OpenStreetMap contributors"), std::string::npos) << text.out;
}

TEST_F(RouteApiTest, AReportTheCallerMayNotReadNeverMovesTheRiskAndAReadOneIsAudited) {
  const json quiet = Route("guard");
  const auto ids = FileOnMiddleThird(quiet["routes"][0]["geometry"], "TLP:AMBER");
  ASSERT_FALSE(ids.empty());
  // The other organisation's guard: exactly the quiet answer (same as-of).
  const json other = Route("other-guard", {{"as_of", "2031-05-01"}});
  const json other_quiet = Route("other-guard", {{"as_of", "2031-05-01"}});
  EXPECT_EQ(other["routes"], quiet["routes"]);
  EXPECT_EQ(other["incidents_used"], 0);
  // PK-TEST's guard reads them: the risk moves, and the read is audited.
  const json seen = Route("guard");
  EXPECT_EQ(seen["incidents_used"], ids.size());
  EXPECT_GT(seen["routes"][0]["risk"].get<double>(), 0);
  store::AuditQuery q;
  q.action = "read";
  q.object = ids.front();
  auto audited = store_->ListAudit(q);
  ASSERT_TRUE(audited);
  ASSERT_EQ(audited->size(), 1U);
  EXPECT_EQ(audited->front().objects.size(), ids.size());
  EXPECT_NE(audited->front().detail.find("/api/v1/route"), std::string::npos);
  (void)other_quiet;
}

TEST_F(RouteApiTest, AnAvoidAreaIsNeverEntered) {
  const json plain = Route("guard");
  const auto& coords = plain["routes"][0]["geometry"]["coordinates"];
  const json mid = coords[coords.size() / 2];
  const double lon = mid[0];
  const double lat = mid[1];
  const double d = 0.0015;
  std::string ring;
  for (const auto& [dy, dx] :
       std::vector<std::pair<double, double>>{{-d, -d}, {-d, d}, {d, d}, {d, -d}}) {
    if (!ring.empty()) ring += ";";
    ring += std::to_string(lat + dy) + "," + std::to_string(lon + dx);
  }
  const json avoided = Route("guard", {{"avoid", ring}});
  EXPECT_EQ(avoided["avoid_areas"], 1);
  for (const auto& r : avoided["routes"]) {
    EXPECT_GT(r["length_m"].get<double>(), plain["routes"][0]["length_m"].get<double>());
    for (const auto& c : r["geometry"]["coordinates"]) {
      const bool inside =
          std::abs(c[0].get<double>() - lon) < d && std::abs(c[1].get<double>() - lat) < d;
      EXPECT_FALSE(inside) << r["kind"] << " enters the avoid area at " << c.dump();
    }
  }
}

TEST_F(RouteApiTest, BadParametersAndRolesAreRefusedByName) {
  struct Case {
    std::vector<std::pair<std::string, std::string>> query;
    int status;
    std::string words;
  };
  for (const Case& c : std::vector<Case>{
           {{{"to", kTo}}, 400, "from"},
           {{{"from", "91,73"}, {"to", kTo}}, 400, "from: expected LAT,LON"},
           {{{"from", "33.64;73.03"}, {"to", kTo}}, 400, "from: expected LAT,LON"},
           {{{"from", kFrom}, {"to", "nan,73"}}, 400, "to: expected LAT,LON"},
           {{{"from", kFrom}, {"to", kTo}, {"avoid", "33.64,73.03;33.65,73.04"}},
            400,
            "avoid: polygon 1: at least 3 vertices"},
           {{{"from", kFrom}, {"to", kTo}, {"window_days", "0"}}, 400, "window_days"},
           {{{"from", kFrom}, {"to", kTo}, {"lambda", "-1"}}, 400, "lambda"},
           {{{"from", kFrom}, {"to", kTo}, {"speed", "90"}}, 400, "speed"},
           {{{"from", "30.0,70.0"}, {"to", kTo}}, 404, "from: "},
       }) {
    auto res = Call("GET", "/api/v1/route", "guard", c.query);
    EXPECT_EQ(res.status, c.status) << res.body;
    EXPECT_NE(res.body.find(c.words), std::string::npos) << res.body;
  }
  std::string many;
  for (int i = 0; i < 9; ++i)
    many += std::string(i ? "|" : "") + "33.64,73.03;33.65,73.04;33.65,73.03";
  auto res = Call("GET", "/api/v1/route", "guard", {{"from", kFrom}, {"to", kTo}, {"avoid", many}});
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("at most 8 polygons"), std::string::npos) << res.body;
  // An administrator reads no incidents and plans no routes.
  auto admin = Call("GET", "/api/v1/route", "admin", {{"from", kFrom}, {"to", kTo}});
  EXPECT_EQ(admin.status, 403) << admin.body;
  // An analyst may (exposure and movement are analysts' work too).
  auto analyst = Call("GET", "/api/v1/route", "analyst", {{"from", kFrom}, {"to", kTo}});
  EXPECT_EQ(analyst.status, 200) << analyst.body;
}

}  // namespace
}  // namespace corridor
