// /api/v1/assessments over a real SQLite store with the security model
// around it (tests/testing/api_harness.h): writing, reading under the
// incident visibility rule, errors naming the field, audit of writes and
// marked reads (issue 6, point 1).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "corridor/api/api.h"
#include "corridor/store/store.h"
#include "testing/api_harness.h"
#include "testing/testing.h"

namespace corridor {
namespace {

using nlohmann::json;

using testing::FindRoute;

class AssessmentApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenStore((dir_ / "api.db").string());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto harness =
        testing::ApiHarness::Create(*store_, dir_ / "api.db.keys", model::Role::kAnalyst);
    ASSERT_TRUE(harness) << harness.error().message;
    h_ = std::move(*harness);
    // A public incident to refer to, and an area.
    model::Incident i;
    i.id = RecordId("ucdp-ged", "51720");
    i.provenance = {"ucdp-ged", "20.1", "51720", "pakistan.csv", 2};
    i.date_start = *Date::ParseIso("2019-01-01");
    i.date_end = i.date_start;
    i.marking.tlp = model::Tlp::kClear;
    ASSERT_TRUE(store_->UpsertIncidents(std::span(&i, 1)));
    incident_ = i.id.str();
    model::Area area;
    area.level = 1;
    area.pcode = "PK2";
    area.name = "Balochistan";
    area.parent_pcode = "PK";
    ASSERT_TRUE(store_->ReplaceAreas(1, std::span(&area, 1)));
    // Analysts of a partner named in distributions, and of a third organisation.
    auto& acc = h_->accounts();
    ASSERT_TRUE(acc.AddOrganisation("PK-OTHER", {"bilateral"}, false));
    ASSERT_TRUE(acc.AddOrganisation("CN-THIRD", {"regional"}, false));
    for (const auto& [user, org] :
         {std::pair{"other", "PK-OTHER"}, std::pair{"third", "CN-THIRD"}}) {
      ASSERT_TRUE(acc.AddUser(user, org, {model::Role::kAnalyst}, "correct horse battery"));
      auto t = acc.CreateToken(user, "tests");
      ASSERT_TRUE(t);
      tokens_[user] = t->secret;
    }
    ASSERT_TRUE(
        acc.AddUser("guard", "PK-TEST", {model::Role::kSiteSecurity}, "correct horse battery"));
    auto t = acc.CreateToken("guard", "tests");
    ASSERT_TRUE(t);
    tokens_["guard"] = t->secret;
  }

  api::Response Call(const std::string& method, const std::string& path, const std::string& body,
                     const std::string& user = "", const std::string& id = "") {
    const auto& route = FindRoute(h_->api(), method, path);
    api::Request r = h_->Authorised(method);
    if (!user.empty()) r.headers["authorization"] = "Bearer " + tokens_.at(user);
    r.path = id.empty() ? path : "/api/v1/assessments/" + id;
    if (!id.empty()) r.path_params["id"] = id;
    r.body = body;
    return route.handler(r);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<testing::ApiHarness> h_;
  std::map<std::string, std::string> tokens_;
  std::string incident_;
};

TEST_F(AssessmentApiTest, WrittenReadByTheNamedOrganisationHiddenFromOthersAndAudited) {
  const json body = {
      {"title", "Road attacks rising"}, {"body", "## Summary\n\nIEDs on the **N-85**."},
      {"incidents", {incident_}},       {"areas", {"PK2"}},
      {"marking", "TLP:AMBER"},         {"distribution", {{"organisations", {"PK-OTHER"}}}}};
  auto res = Call("POST", "/api/v1/assessments", body.dump());
  ASSERT_EQ(res.status, 201) << res.body;
  const json created = json::parse(res.body);
  const std::string id = created["id"];
  EXPECT_EQ(Uuid::Parse(id)->version(), 4);
  EXPECT_EQ(created["author_org"], "PK-TEST");
  EXPECT_EQ(created["version"], 1);
  EXPECT_EQ(created["incidents"], json::array({incident_}));

  res = Call("GET", "/api/v1/assessments/{id}", "", "", id);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["title"], "Road attacks rising");
  res = Call("GET", "/api/v1/assessments/{id}", "", "other", id);
  EXPECT_EQ(res.status, 200) << res.body;
  res = Call("GET", "/api/v1/assessments/{id}", "", "third", id);
  EXPECT_EQ(res.status, 404) << res.body;  // exactly like a missing one
  res = Call("GET", "/api/v1/assessments", "", "third");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(json::parse(res.body)["count"], 0);
  res = Call("GET", "/api/v1/assessments", "", "other");
  EXPECT_EQ(json::parse(res.body)["count"], 1);

  store::AuditQuery q;
  q.object = id;
  auto entries = store_->ListAudit(q);
  ASSERT_TRUE(entries);
  std::vector<std::string> actions;
  for (const auto& e : *entries) actions.push_back(e.action + ":" + e.actor);
  EXPECT_EQ(actions.front().substr(0, 6), "write:");
  EXPECT_NE(std::find(actions.begin(), actions.end(), "read:other"), actions.end());
  EXPECT_EQ(std::find(actions.begin(), actions.end(), "read:third"), actions.end());
}

TEST_F(AssessmentApiTest, BadInputNamesTheFieldAndRolesAreChecked) {
  const std::pair<json, std::string> cases[] = {
      {{{"body", "x"}}, "/title: required, a non-empty string"},
      {{{"title", "t"}, {"incidents", {"nope"}}}, "/incidents/0: not a UUID"},
      {{{"title", "t"}, {"incidents", {Uuid::V4().str()}}}, "/incidents/0: no incident "},
      {{{"title", "t"}, {"areas", {"PK2", "PK99"}}}, "/areas/1: no area 'PK99'"},
      {{{"title", "t"}, {"marking", "SECRET"}}, "/marking: expected TLP:CLEAR"},
      {{{"title", "t"}, {"id", Uuid::V4().str()}}, "/id: set by the server"},
      {{{"title", "t"}, {"colour", "red"}}, "/colour: unknown field"},
      {{{"title", "t"},
        {"marking", "TLP:GREEN"},
        {"distribution", {{"organisations", {"PK-OTHER"}}}}},
       "distribution"},
  };
  for (const auto& [body, want] : cases) {
    SCOPED_TRACE(body.dump());
    const auto res = Call("POST", "/api/v1/assessments", body.dump());
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_NE(res.body.find(want), std::string::npos) << res.body;
  }
  // Site security may not write assessments.
  const auto res = Call("POST", "/api/v1/assessments", json{{"title", "t"}}.dump(), "guard");
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_EQ(Call("GET", "/api/v1/assessments", "").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/assessments/{id}", "", "", "nope").status, 400);
}

}  // namespace
}  // namespace corridor
