// One event, several sources (issue 17 item 11, docs/links.md) through the
// real route handlers with authentication: the matcher proposes the pairs of
// different sources; an analyst sees only links both of whose records it may
// read and decides only those; a confirmation counts the event once across
// sources (not within one dataset), is audited, and is a compare-and-set;
// "also reported by" shows the other record; `corridor links` gives the same
// list; a STIX export carries the confirmation as duplicate-of.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "corridor/api/api.h"
#include "corridor/common/uuid.h"
#include "corridor/store/store.h"
#include "testing/api_harness.h"
#include "testing/testing.h"

namespace corridor {
namespace {

using nlohmann::json;
using testing::FindRoute;

model::Incident Record(const std::string& dataset, const std::string& key, double lat, double lon,
                       int killed) {
  model::Incident i;
  i.id = RecordId(dataset, key);
  i.provenance = {dataset, "1", key, dataset + ".csv", 2};
  i.date_start = i.date_end = *Date::ParseIso("2019-03-15");
  i.date_precision = model::DatePrecision::kDay;
  i.latitude = lat;
  i.longitude = lon;
  i.location_precision = model::LocationPrecision::kExact;
  i.location = "Quetta";
  i.country = "PAK";
  i.admin1 = "PK2";
  i.admin2 = "PK201";
  i.category = model::Category::kBombing;
  i.killed = killed;
  i.headline = dataset + " record " + key;
  i.licence = {"CC-BY-4.0", true, "test data"};
  i.marking.tlp = model::Tlp::kClear;
  return i;
}

class LinksApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_ / "links.db").string();
    auto store = store::OpenStore(db_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto harness = testing::ApiHarness::Create(*store_, db_ + ".keys", model::Role::kAnalyst);
    ASSERT_TRUE(harness) << harness.error().message;
    h_ = std::move(*harness);
    auto& acc = h_->accounts();
    ASSERT_TRUE(acc.AddOrganisation("PK-OTHER", {"regional"}, false));
    struct U {
      const char* name;
      const char* org;
      model::Role role;
    };
    for (const U& u : {U{"other-analyst", "PK-OTHER", model::Role::kAnalyst},
                       U{"guard", "PK-TEST", model::Role::kSiteSecurity}}) {
      ASSERT_TRUE(acc.AddUser(u.name, u.org, {u.role}, "correct horse battery"));
      auto t = acc.CreateToken(u.name, "tests");
      ASSERT_TRUE(t);
      tokens_[u.name] = t->secret;
    }
    tokens_["analyst"] = h_->token();
    ucdp_ = Record("ucdp-ged", "1", 30.1841, 67.0014, 4);
    gtd_ = Record("gtd", "2", 30.1950, 67.0050, 5);  // 1.3 km away
    far_ = Record("acled", "3", 33.60, 73.06, 4);    // Rawalpindi: never a candidate
    ASSERT_TRUE(store_->UpsertIncidents(std::vector<model::Incident>{ucdp_, gtd_, far_}));
    // PK-TEST's own AMBER report of the same attack: PK-OTHER may not read it.
    auto filed = Call("POST", "/api/v1/incidents", "analyst", {},
                      {{"date_start", "2019-03-15"},
                       {"latitude", 30.1860},
                       {"longitude", 67.0030},
                       {"category", "bombing"},
                       {"killed", 4},
                       {"headline", "checkpoint bombing"},
                       {"marking", "TLP:AMBER"}});
    ASSERT_EQ(filed.status, 201) << filed.body;
    report_ = json::parse(filed.body)["id"];
  }

  api::Response Call(const std::string& method, const std::string& path, const std::string& user,
                     const std::vector<std::pair<std::string, std::string>>& query,
                     const json& body = nullptr,
                     const std::map<std::string, std::string>& path_params = {}) {
    const auto& route = FindRoute(h_->api(), method, path);
    api::Request r = h_->Authorised(method);
    r.headers["authorization"] = "Bearer " + tokens_.at(user);
    r.path = path;
    for (const auto& [k, v] : path_params) r.path_params[k] = v;
    r.query = query;
    r.body = body.is_null() ? "" : body.dump();
    return route.handler(r);
  }

  json Links(const std::string& user, const std::string& state = "all") {
    auto res = Call("GET", "/api/v1/links", user, {{"state", state}});
    EXPECT_EQ(res.status, 200) << res.body;
    return json::parse(res.body, nullptr, false);
  }

  std::int64_t AcrossSources() {
    auto n = store_->CountIncidents(store::SystemViewer(), {});
    EXPECT_TRUE(n.has_value());
    return n.value_or(-1);
  }

  testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<testing::ApiHarness> h_;
  std::map<std::string, std::string> tokens_;
  model::Incident ucdp_, gtd_, far_;
  std::string report_;
};

TEST_F(LinksApiTest, AnAnalystConfirmsWhatItMayReadAndTheEventCountsOnce) {
  // Finding needs link-incidents: a site-security account may not.
  EXPECT_EQ(Call("POST", "/api/v1/links/find", "guard", {}).status, 403);
  auto found = Call("POST", "/api/v1/links/find", "analyst", {});
  ASSERT_EQ(found.status, 200) << found.body;
  const json summary = json::parse(found.body);
  EXPECT_EQ(summary["incidents"], 4);
  EXPECT_EQ(summary["candidates"], 3);  // UCDP-GTD, UCDP-report, GTD-report
  EXPECT_EQ(summary["new"], 3);
  // A second run adds nothing.
  EXPECT_EQ(json::parse(Call("POST", "/api/v1/links/find", "analyst", {}).body)["new"], 0);

  const json mine = Links("analyst");
  ASSERT_EQ(mine["count"], 3);
  // The other organisation's analyst sees only the link between the public records.
  const json theirs = Links("other-analyst");
  ASSERT_EQ(theirs["count"], 1);
  const json& pair = theirs["items"][0];
  EXPECT_EQ(pair["a"]["dataset"].get<std::string>() + "+" + pair["b"]["dataset"].get<std::string>(),
            gtd_.id.str() < ucdp_.id.str() ? "gtd+ucdp-ged" : "ucdp-ged+gtd");
  EXPECT_EQ(pair["reasons"][1], "same day");
  const std::string link = pair["id"];

  // A link to the AMBER report is, for PK-OTHER, as if there were none.
  std::string hidden;
  for (const auto& l : mine["items"]) {
    if (l["a"]["id"] == report_ || l["b"]["id"] == report_) hidden = l["id"];
  }
  ASSERT_FALSE(hidden.empty());
  auto refused = Call("POST", "/api/v1/links/{id}/decision", "other-analyst", {},
                      {{"decision", "confirm"}}, {{"id", hidden}});
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(Call("POST", "/api/v1/links/{id}/decision", "guard", {}, {{"decision", "confirm"}},
                 {{"id", link}})
                .status,
            403);
  // Bad bodies are named.
  auto odd = Call("POST", "/api/v1/links/{id}/decision", "analyst", {}, {{"decision", "maybe"}},
                  {{"id", link}});
  EXPECT_EQ(odd.status, 400);
  EXPECT_NE(odd.body.find("decision"), std::string::npos) << odd.body;
  auto extra = Call("POST", "/api/v1/links/{id}/decision", "analyst", {},
                    {{"decision", "confirm"}, {"kept", gtd_.id.str()}}, {{"id", link}});
  EXPECT_EQ(extra.status, 400) << extra.body;  // the kept record is the rule's, not the caller's

  // Confirmed by the other analyst: UCDP's record is kept (same marking and precision).
  ASSERT_EQ(AcrossSources(), 4);
  auto confirmed =
      Call("POST", "/api/v1/links/{id}/decision", "other-analyst", {},
           {{"decision", "confirm"}, {"note", "same checkpoint bombing"}}, {{"id", link}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  const json decided = json::parse(confirmed.body);
  EXPECT_EQ(decided["state"], "confirmed");
  EXPECT_EQ(decided["kept"], ucdp_.id.str());
  EXPECT_EQ(decided["decided_by"], "other-analyst");
  EXPECT_EQ(AcrossSources(), 3);  // counted once across sources
  model::IncidentFilter gtd_only;
  gtd_only.dataset = "gtd";
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), gtd_only), 1);  // GTD's own figures
  // Decided meanwhile: 409, nothing written.
  auto again = Call("POST", "/api/v1/links/{id}/decision", "analyst", {}, {{"decision", "reject"}},
                    {{"id", link}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(Links("analyst", "confirmed")["count"], 1);

  // Audited, with both records and the kept one.
  store::AuditQuery q;
  q.action = "link-confirm";
  auto audit = store_->ListAudit(q);
  ASSERT_TRUE(audit.has_value());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].actor, "other-analyst");
  EXPECT_EQ((*audit)[0].objects.size(), 2u);
  EXPECT_NE((*audit)[0].detail.find(ucdp_.id.str()), std::string::npos);

  // Also reported by, from either record.
  auto also = Call("GET", "/api/v1/incidents/{id}/links", "other-analyst", {}, nullptr,
                   {{"id", gtd_.id.str()}});
  ASSERT_EQ(also.status, 200) << also.body;
  const json others = json::parse(also.body)["items"];
  ASSERT_EQ(others.size(), 1u);  // not the AMBER report
  EXPECT_EQ(others[0]["record"]["id"], ucdp_.id.str());
  EXPECT_EQ(others[0]["kept"], ucdp_.id.str());
  const json mine_also = json::parse(
      Call("GET", "/api/v1/incidents/{id}/links", "analyst", {}, nullptr, {{"id", ucdp_.id.str()}})
          .body)["items"];
  ASSERT_EQ(mine_also.size(), 2u);
  EXPECT_EQ(mine_also[0]["state"], "confirmed");  // confirmed first
  EXPECT_EQ(mine_also[1]["state"], "candidate");

  // `corridor links list` as the same user gives the same list.
  const auto cli = testing::RunCommand("CORRIDOR_TOKEN=" + tokens_.at("analyst") + " " +
                                       (testing::BuildDir() / "corridor").string() + " --db " +
                                       db_ + " --json links list --state all");
  ASSERT_EQ(cli.status, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out)["items"], Links("analyst")["items"]);

  // A STIX export carries the confirmation as duplicate-of, GTD's record to UCDP's.
  const auto bundle_path = (dir_ / "bundle.json").string();
  const auto exported = testing::RunCommand("CORRIDOR_TOKEN=" + tokens_.at("analyst") + " " +
                                            (testing::BuildDir() / "corridor").string() + " --db " +
                                            db_ + " --json export stix --output " + bundle_path);
  ASSERT_EQ(exported.status, 0) << exported.err;
  EXPECT_EQ(json::parse(exported.out)["links"], 1);
  const json bundle = json::parse(testing::ReadFile(bundle_path));
  int duplicates = 0;
  for (const auto& o : bundle["objects"]) {
    if (o.value("relationship_type", "") != "duplicate-of") continue;
    ++duplicates;
    EXPECT_EQ(o["id"], "relationship--" + link);
    EXPECT_EQ(o["source_ref"], "incident--" + gtd_.id.str());
    EXPECT_EQ(o["target_ref"], "incident--" + ucdp_.id.str());
  }
  EXPECT_EQ(duplicates, 1);
  // ... and the bundle shares GTD's record too (counted in UCDP's, still a record).
  EXPECT_NE(testing::ReadFile(bundle_path).find("incident--" + gtd_.id.str()), std::string::npos);
}

}  // namespace
}  // namespace corridor
