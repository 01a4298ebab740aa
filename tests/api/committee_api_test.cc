// /api/v1/committees, /meetings, /decisions, /actions through the real route
// handlers (with authentication) on a real store: the committee role writes,
// analysts of member organisations read, site security is refused (403), a
// non-member analyst finds nothing (404), and a marking hides what it excludes.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "corridor/api/api.h"
#include "corridor/common/date.h"
#include "corridor/common/uuid.h"
#include "corridor/geo/vector_io.h"
#include "corridor/store/committee.h"
#include "corridor/store/store.h"
#include "testing/api_harness.h"
#include "testing/testing.h"

namespace corridor {
namespace {

using nlohmann::json;

using testing::FindRoute;

std::string Yesterday() {
  auto today = Date::ParseIso(NowTimestamp().substr(0, 10));
  return Date(today->days() - 1).iso();
}

class CommitteeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenStore((dir_ / "api.db").string());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    // The harness's own user: a committee secretary of PK-TEST.
    auto harness =
        testing::ApiHarness::Create(*store_, dir_ / "api.db.keys", model::Role::kCommittee);
    ASSERT_TRUE(harness) << harness.error().message;
    h_ = std::move(*harness);
    auto& acc = h_->accounts();
    ASSERT_TRUE(acc.AddOrganisation("CN-MPS", {"bilateral"}, false));
    ASSERT_TRUE(acc.AddOrganisation("PK-FC", {"bilateral"}, false));
    struct U {
      const char* name;
      const char* org;
      model::Role role;
    };
    for (const U& u : {U{"mps", "CN-MPS", model::Role::kCommittee},
                       U{"mps-analyst", "CN-MPS", model::Role::kAnalyst},
                       U{"fc", "PK-FC", model::Role::kAnalyst},
                       U{"guard", "PK-TEST", model::Role::kSiteSecurity}}) {
      ASSERT_TRUE(acc.AddUser(u.name, u.org, {u.role}, "correct horse battery"));
      auto t = acc.CreateToken(u.name, "tests");
      ASSERT_TRUE(t);
      tokens_[u.name] = t->secret;
    }
  }

  api::Response Call(const std::string& method, const std::string& path, const json& body,
                     const std::string& user = "", const std::string& id = "",
                     const std::vector<std::pair<std::string, std::string>>& query = {}) {
    const auto& route = FindRoute(h_->api(), method, path);
    api::Request r = h_->Authorised(method);
    if (!user.empty()) r.headers["authorization"] = "Bearer " + tokens_.at(user);
    r.path = path;
    if (!id.empty()) r.path_params["id"] = id;
    for (auto& q : query) r.query.push_back(q);
    r.body = body.is_null() ? "" : body.dump();
    return route.handler(r);
  }

  std::string Create(const std::string& path, const json& body) {
    auto res = Call("POST", path, body);
    EXPECT_EQ(res.status, 201) << path << ": " << res.body;
    return json::parse(res.body, nullptr, false).value("id", "");
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<testing::ApiHarness> h_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(CommitteeApiTest, MembersReadOthersAreRefusedOrFindNothing) {
  const std::string committee =
      Create("/api/v1/committees", {{"name", "JWG"}, {"kind", "bilateral"}, {"orgs", {"CN-MPS"}}});
  const std::string meeting = Create(
      "/api/v1/meetings",
      {{"committee", "JWG"}, {"date", "2026-11-30"}, {"virtual", true}, {"present", {"CN-MPS"}}});
  Create("/api/v1/decisions",
         {{"committee", committee}, {"meeting", meeting}, {"text", "Escort convoys"}});
  const std::string late = Create("/api/v1/actions", {{"committee", "JWG"},
                                                      {"title", "Route survey"},
                                                      {"owner_org", "CN-MPS"},
                                                      {"due", Yesterday()}});
  // Shared with the author's organisation only: CN-MPS must not see it.
  const std::string internal =
      Create("/api/v1/actions", {{"committee", "JWG"},
                                 {"title", "Internal"},
                                 {"owner_org", "PK-TEST"},
                                 {"due", Yesterday()},
                                 {"marking", "TLP:AMBER"},
                                 {"distribution", {{"organisations", {"PK-TEST"}}}}});

  const std::vector<std::pair<std::string, std::string>> overdue_cn = {{"overdue", "true"},
                                                                       {"org", "CN-MPS"}};
  for (const char* user : {"mps", "mps-analyst"}) {
    auto res = Call("GET", "/api/v1/actions", nullptr, user, "", overdue_cn);
    ASSERT_EQ(res.status, 200) << res.body;
    const json j = json::parse(res.body);
    ASSERT_EQ(j["count"], 1) << user;
    EXPECT_EQ(j["items"][0]["id"], late);
    auto all = Call("GET", "/api/v1/actions", nullptr, user);
    EXPECT_EQ(json::parse(all.body)["count"], 1) << user << ": the internal action is hidden";
    auto show = Call("GET", "/api/v1/committees/{id}", nullptr, user, "JWG");
    ASSERT_EQ(show.status, 200) << show.body;
    EXPECT_EQ(json::parse(show.body)["decisions"].size(), 1u);
  }
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/actions", nullptr).body)["count"], 2);

  // Site security: the role may not use the workspace at all.
  EXPECT_EQ(Call("GET", "/api/v1/actions", nullptr, "guard").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/committees", nullptr, "guard").status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/actions", {{"committee", "JWG"}}, "guard").status, 403);
  // A non-member analyst: nothing listed, the committee answers 404, no write (403: not the role).
  auto fc = Call("GET", "/api/v1/actions", nullptr, "fc");
  ASSERT_EQ(fc.status, 200);
  EXPECT_EQ(json::parse(fc.body)["count"], 0);
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/committees", nullptr, "fc").body)["count"], 0);
  EXPECT_EQ(Call("GET", "/api/v1/committees/{id}", nullptr, "fc", "JWG").status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/meetings",
                 {{"committee", "JWG"}, {"date", "2026-12-01"}, {"virtual", true}}, "fc")
                .status,
            403);
  // The member committee user may not touch the action its marking hides: 404 like a missing one.
  EXPECT_EQ(
      Call("POST", "/api/v1/actions/{id}", {{"from", "open"}, {"to", "done"}}, "mps", internal)
          .status,
      404);
  auto done = Call("POST", "/api/v1/actions/{id}",
                   {{"from", "open"}, {"to", "done"}, {"note", "shared"}}, "mps", late);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(json::parse(done.body)["status"], "done");
  auto again =
      Call("POST", "/api/v1/actions/{id}", {{"from", "open"}, {"to", "dropped"}}, "mps", late);
  EXPECT_EQ(again.status, 409) << again.body;
  // The action with its history: the owner's note, with the status it set.
  auto shown = Call("GET", "/api/v1/actions/{id}", nullptr, "mps-analyst", late);
  ASSERT_EQ(shown.status, 200) << shown.body;
  const json notes = json::parse(shown.body)["notes"];
  ASSERT_EQ(notes.size(), 1u) << shown.body;
  EXPECT_EQ(notes[0]["text"], "shared");
  EXPECT_EQ(notes[0]["status"], "done");
  EXPECT_EQ(notes[0]["org"], "CN-MPS");
  EXPECT_EQ(notes[0]["author"], "mps");
  EXPECT_EQ(json::parse(shown.body)["status"], "done");
  // Hidden and missing actions answer alike; a non-member finds nothing.
  EXPECT_EQ(Call("GET", "/api/v1/actions/{id}", nullptr, "mps", internal).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/actions/{id}", nullptr, "mps", Uuid::V4().str()).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/actions/{id}", nullptr, "fc", late).status, 404);
}

// Overdue notices (issue 15 §1): an overdue action notifies its owners — the
// owning account when it has one, else every account of the owning
// organisation — once; each account reads it for itself; nobody else sees it,
// nor an owner its marking excludes.
TEST_F(CommitteeApiTest, OverdueActionsNotifyTheirOwnersOnce) {
  Create("/api/v1/committees", {{"name", "JWG"}, {"kind", "bilateral"}, {"orgs", {"CN-MPS"}}});
  const std::string late = Create("/api/v1/actions", {{"committee", "JWG"},
                                                      {"title", "Route survey"},
                                                      {"owner_org", "CN-MPS"},
                                                      {"due", Yesterday()}});
  const std::string mine = Create("/api/v1/actions", {{"committee", "JWG"},
                                                      {"title", "Convoy schedule"},
                                                      {"owner_org", "CN-MPS"},
                                                      {"owner_account", "mps"},
                                                      {"due", Yesterday()}});
  const std::string tomorrow = Date(Date::ParseIso(Yesterday())->days() + 2).iso();
  Create("/api/v1/actions",
         {{"committee", "JWG"}, {"title", "Not yet"}, {"owner_org", "CN-MPS"}, {"due", tomorrow}});
  Create("/api/v1/actions", {{"committee", "JWG"},
                             {"title", "Hidden from its owner"},
                             {"owner_org", "CN-MPS"},
                             {"due", Yesterday()},
                             {"marking", "TLP:AMBER"},
                             {"distribution", {{"organisations", {"PK-TEST"}}}}});

  auto notices = [&](const std::string& user, bool unread) {
    auto res =
        Call("GET", "/api/v1/notices", nullptr, user, "", {{"unread", unread ? "true" : "false"}});
    EXPECT_EQ(res.status, 200) << user << ": " << res.body;
    return json::parse(res.body, nullptr, false);
  };
  auto actions_of = [](const json& list) {
    std::set<std::string> out;
    for (const auto& n : list["items"]) out.insert(n["action"]["id"].get<std::string>());
    return out;
  };
  const json mps = notices("mps", false);
  EXPECT_EQ(actions_of(mps), (std::set<std::string>{late, mine}));
  EXPECT_EQ(mps["unread"], 2);
  EXPECT_EQ(mps["items"][0]["kind"], "overdue");
  EXPECT_EQ(mps["items"][0]["due"], Yesterday());
  EXPECT_TRUE(mps["items"][0]["read"].is_null());
  EXPECT_EQ(mps["items"][0]["committee"], "JWG");
  const json analyst = notices("mps-analyst", false);
  ASSERT_EQ(actions_of(analyst), std::set<std::string>{late});
  // Raised once: asking again finds the same notices.
  EXPECT_EQ(notices("mps", false)["items"], mps["items"]);
  // Not a member, not the owner, not the role.
  EXPECT_EQ(notices("fc", false)["count"], 0);
  EXPECT_EQ(notices("", false)["count"], 0);  // PK-TEST owns none (the hidden one is CN-MPS's)
  EXPECT_EQ(Call("GET", "/api/v1/notices", nullptr, "guard").status, 403);

  // Each account reads for itself; another's notice answers 404 like a missing one.
  const std::string id = std::to_string(analyst["items"][0]["id"].get<std::int64_t>());
  auto read = Call("POST", "/api/v1/notices/{id}/read", nullptr, "mps-analyst", id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(json::parse(read.body)["read"].is_string());
  EXPECT_EQ(notices("mps-analyst", true)["count"], 0);
  EXPECT_EQ(notices("mps", true)["count"], 2);
  std::string mine_id;
  for (const auto& n : mps["items"]) {
    if (n["action"]["id"] == mine) mine_id = std::to_string(n["id"].get<std::int64_t>());
  }
  EXPECT_EQ(Call("POST", "/api/v1/notices/{id}/read", nullptr, "mps-analyst", mine_id).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/notices/{id}/read", nullptr, "fc", id).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/notices/{id}/read", nullptr, "mps", "1x").status, 404);

  // Done: the notice leaves its owners' list.
  ASSERT_EQ(
      Call("POST", "/api/v1/actions/{id}", {{"from", "open"}, {"to", "done"}}, "mps", late).status,
      200);
  EXPECT_EQ(actions_of(notices("mps", false)), std::set<std::string>{mine});
}

TEST_F(CommitteeApiTest, BodiesAreCheckedAndErrorsNameTheMember) {
  Create("/api/v1/committees", {{"name", "JWG"}, {"orgs", {"CN-MPS"}}});
  struct Case {
    const char* path;
    json body;
    const char* pointer;
  };
  const Case cases[] = {
      {"/api/v1/committees", {{"name", "X"}, {"orgs", {"CN-MPS", 7}}}, "/orgs/1"},
      {"/api/v1/committees", {{"name", "X"}, {"orgs", {"CN-MPS"}}, {"chair", "x"}}, "/chair"},
      {"/api/v1/meetings", {{"committee", "JWG"}, {"date", "30/11/2026"}}, "/date"},
      {"/api/v1/actions",
       {{"committee", "JWG"}, {"title", "t"}, {"owner_org", "PK-FC"}, {"due", "2026-12-01"}},
       "/owner_org"},
      {"/api/v1/actions",
       {{"committee", "JWG"},
        {"title", "t"},
        {"owner_org", "CN-MPS"},
        {"due", "2026-12-01"},
        {"distribution", {{"organisations", "CN-MPS"}}}},
       "/distribution/organisations"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.pointer);
    auto res = Call("POST", c.path, c.body);
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_NE(res.body.find(c.pointer), std::string::npos) << res.body;
  }
}

// Issue 15 §1 over HTTP: the same ShareCommittee as `corridor committees share`.
TEST_F(CommitteeApiTest, ShareGivesASignedBundleForAMemberOnly) {
  Create("/api/v1/committees", {{"name", "JWG"}, {"orgs", {"CN-MPS"}}});
  Create("/api/v1/actions", {{"committee", "JWG"},
                             {"title", "Share the route survey"},
                             {"owner_org", "CN-MPS"},
                             {"due", Yesterday()}});
  Create("/api/v1/actions", {{"committee", "JWG"},
                             {"title", "Ours alone"},
                             {"owner_org", "PK-TEST"},
                             {"due", Yesterday()},
                             {"marking", "TLP:AMBER"},
                             {"distribution", {{"organisations", {"PK-TEST"}}}}});
  auto res = Call("POST", "/api/v1/committees/{id}/share", {{"to", "CN-MPS"}}, "", "JWG");
  ASSERT_EQ(res.status, 200) << res.body;
  const json shared = json::parse(res.body);
  EXPECT_EQ(shared["objects"], 2) << res.body;  // the committee and the AMBER action
  ASSERT_EQ(shared["withheld"].size(), 1u) << res.body;
  EXPECT_NE(shared["withheld"][0]["reason"].get<std::string>().find("not a named organisation"),
            std::string::npos)
      << res.body;
  std::map<std::string, int> types;
  for (const auto& o : shared["bundle"]["objects"]) {
    ++types[o["type"].get<std::string>()];
    if (o["type"] == "note" || o["type"] == "grouping") {
      EXPECT_TRUE(
          o["extensions"].contains("extension-definition--60f4cbe7-30e1-5de3-9334-"
                                   "135d1e13db64"))
          << "unsigned: " << o.dump();
    }
  }
  EXPECT_EQ(types["grouping"], 1);
  EXPECT_EQ(types["note"], 1);
  EXPECT_EQ(res.body.find("Ours alone"), std::string::npos);
  // Not a member, a missing body member, another role: refused, naming why.
  auto outsider = Call("POST", "/api/v1/committees/{id}/share", {{"to", "PK-FC"}}, "", "JWG");
  EXPECT_EQ(outsider.status, 400) << outsider.body;
  EXPECT_NE(outsider.body.find("/to: PK-FC is not a member"), std::string::npos) << outsider.body;
  auto empty = Call("POST", "/api/v1/committees/{id}/share", json::object(), "", "JWG");
  EXPECT_EQ(empty.status, 400) << empty.body;
  EXPECT_NE(empty.body.find("/to: required"), std::string::npos) << empty.body;
  EXPECT_EQ(
      Call("POST", "/api/v1/committees/{id}/share", {{"to", "CN-MPS"}}, "guard", "JWG").status,
      403);
  EXPECT_EQ(Call("POST", "/api/v1/committees/{id}/share", {{"to", "CN-MPS"}}, "fc", "JWG").status,
            404);
}

// A share reads and sends our newest store::kMaxSharedNotesPerAction notes of
// each action, never an action's whole history (up to 1,000 notes each).
TEST_F(CommitteeApiTest, AShareSendsTheNewestNotesOfEachAction) {
  Create("/api/v1/committees", {{"name", "JWG"}, {"orgs", {"CN-MPS"}}});
  const std::string action = Create("/api/v1/actions", {{"committee", "JWG"},
                                                        {"title", "Survey the route"},
                                                        {"owner_org", "CN-MPS"},
                                                        {"due", Yesterday()}});
  const int written = store::kMaxSharedNotesPerAction + 2;
  for (int i = 0; i < written; ++i) {
    auto noted =
        Call("POST", "/api/v1/actions/{id}", {{"note", "step " + std::to_string(i)}}, "", action);
    ASSERT_EQ(noted.status, 200) << noted.body;
  }
  auto res = Call("POST", "/api/v1/committees/{id}/share", {{"to", "CN-MPS"}}, "", "JWG");
  ASSERT_EQ(res.status, 200) << res.body;
  const json shared = json::parse(res.body);
  std::set<std::string> sent;
  for (const auto& o : shared["bundle"]["objects"]) {
    if (o.dump().find(R"("object":"progress")") != std::string::npos) {
      sent.insert(o.value("content", ""));
    }
  }
  EXPECT_EQ(sent.size(), static_cast<std::size_t>(store::kMaxSharedNotesPerAction));
  EXPECT_EQ(sent.count("step 0") + sent.count("step 1"), 0u);
  EXPECT_EQ(sent.count("step " + std::to_string(written - 1)), 1u);
  EXPECT_EQ(shared["objects"], 2 + store::kMaxSharedNotesPerAction) << res.body.substr(0, 300);
}

TEST_F(CommitteeApiTest, OpenApiDescribesEveryCommitteeRoute) {
  const auto& doc = FindRoute(h_->api(), "GET", "/api/v1/openapi.json");
  const json spec = json::parse(doc.handler(h_->Authorised("GET")).body);
  for (const char* path : {"/api/v1/committees",
                           "/api/v1/committees/{id}",
                           "/api/v1/committees/{id}/share",
                           "/api/v1/meetings",
                           "/api/v1/decisions",
                           "/api/v1/actions",
                           "/api/v1/actions/{id}",
                           "/api/v1/judicial",
                           "/api/v1/judicial/{id}",
                           "/api/v1/judicial/{id}/answers",
                           "/api/v1/judicial/{id}/consultation",
                           "/api/v1/judicial/{id}/state",
                           "/api/v1/judicial/{id}/decision",
                           "/api/v1/judicial/{id}/assurances",
                           "/api/v1/judicial/{id}/evidence",
                           "/api/v1/judicial/{id}/share",
                           "/api/v1/evidence/{id}/export",
                           "/api/v1/exercises",
                           "/api/v1/exercises/{id}",
                           "/api/v1/exercises/{id}/report",
                           "/api/v1/teams"}) {
    EXPECT_TRUE(spec["paths"].contains(path)) << path;
  }
  EXPECT_TRUE(spec["paths"]["/api/v1/actions"]["post"].contains("requestBody"));
}

// Issue 15 §2 over HTTP: an exercise, its report whose lessons become
// actions, and a team with a GeoJSON polygon; members read, others do not.
TEST_F(CommitteeApiTest, ExercisesAndTeamsOverHttp) {
  auto districts = geo::ReadAreas(
      testing::SharedPath("data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm2_wfp_20220909.shp")
          .string(),
      2);
  ASSERT_TRUE(districts.has_value()) << districts.error().message;
  ASSERT_TRUE(store_->ReplaceAreas(2, *districts));
  Create("/api/v1/committees", {{"name", "JWG"}, {"orgs", {"CN-MPS"}}});
  const std::string x = Create("/api/v1/exercises", {{"committee", "JWG"},
                                                     {"kind", "exercise"},
                                                     {"title", "Convoy ambush drill"},
                                                     {"start", "2026-10-05"},
                                                     {"end", "2026-10-07"},
                                                     {"participants", {"CN-MPS", "PK-TEST"}},
                                                     {"districts", {"PK205"}}});
  ASSERT_FALSE(x.empty());
  // A lesson's bad member is named by its JSON pointer; nothing is written.
  auto bad =
      Call("POST", "/api/v1/exercises/{id}/report",
           {{"findings", "radio net failed"},
            {"lessons", {{{"text", "spare radios"}, {"owner_org", "CN-MPS"}, {"due", "soon"}}}}},
           "", x);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("/lessons/0/due"), std::string::npos) << bad.body;
  auto unknown = Call("POST", "/api/v1/exercises/{id}/report",
                      {{"lessons", {{{"text", "x"}, {"owner", "CN-MPS"}}}}}, "", x);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("/lessons/0/owner: unknown member"), std::string::npos)
      << unknown.body;
  auto report = Call(
      "POST", "/api/v1/exercises/{id}/report",
      {{"findings", "radio net failed for 40 minutes"},
       {"lessons", {{{"text", "spare radios"}, {"owner_org", "CN-MPS"}, {"due", "2026-12-31"}}}}},
      "", x);
  ASSERT_EQ(report.status, 200) << report.body;
  const json r = json::parse(report.body);
  ASSERT_EQ(r["lessons"].size(), 1u);
  const std::string action = r["lessons"][0]["action"]["id"];
  // The lesson is an action of CN-MPS, listed with the others.
  auto actions = Call("GET", "/api/v1/actions", nullptr, "mps-analyst", "", {{"org", "CN-MPS"}});
  ASSERT_EQ(actions.status, 200);
  EXPECT_EQ(json::parse(actions.body)["items"][0]["id"], action);

  json polygon = {{"type", "Polygon"},
                  {"coordinates", {{{62.3, 25.1}, {62.4, 25.1}, {62.4, 25.2}, {62.3, 25.1}}}}};
  auto team = Call("POST", "/api/v1/teams",
                   {{"committee", "JWG"},
                    {"name", "Port perimeter"},
                    {"mandate", "Guard the port's construction gate"},
                    {"members", {"CN-MPS", "PK-TEST"}},
                    {"area", polygon},
                    {"start", "2026-06-01"}});
  ASSERT_EQ(team.status, 201) << team.body;
  EXPECT_EQ(json::parse(team.body)["area"], polygon);
  auto as_string = Call("POST", "/api/v1/teams",
                        {{"committee", "JWG"},
                         {"name", "Other"},
                         {"mandate", "m"},
                         {"members", {"CN-MPS"}},
                         {"area", polygon.dump()},
                         {"start", "2026-06-01"}});
  EXPECT_EQ(as_string.status, 400);
  EXPECT_NE(as_string.body.find("/area"), std::string::npos);

  for (const char* path : {"/api/v1/exercises", "/api/v1/teams"}) {
    auto member = Call("GET", path, nullptr, "mps-analyst");
    ASSERT_EQ(member.status, 200) << path;
    EXPECT_EQ(json::parse(member.body)["count"], 1) << path;
    auto outsider = Call("GET", path, nullptr, "fc");
    ASSERT_EQ(outsider.status, 200) << path;
    EXPECT_EQ(json::parse(outsider.body)["count"], 0) << path;
    EXPECT_EQ(Call("GET", path, nullptr, "guard").status, 403) << path;
  }
  EXPECT_EQ(Call("GET", "/api/v1/exercises/{id}", nullptr, "fc", x).status, 404);
  auto shown = Call("GET", "/api/v1/exercises/{id}", nullptr, "mps-analyst", x);
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(json::parse(shown.body)["findings"], "radio net failed for 40 minutes");
  // An analyst may read but not write.
  EXPECT_EQ(
      Call("POST", "/api/v1/exercises/{id}/report", {{"findings", "x"}}, "mps-analyst", x).status,
      403);
}

TEST_F(CommitteeApiTest, JudicialChecklistBlocksAndSpecialityRefusesOverHttp) {
  // CN-MPS asks PK-TEST (the harness's committee user) to extradite for a bombing.
  auto res = Call("POST", "/api/v1/judicial",
                  {{"type", "extradition"},
                   {"requesting", "CN-MPS"},
                   {"requested", "PK-TEST"},
                   {"offence", "terrorist-bombing"},
                   {"reference", "CN-2026-117"}},
                  "mps");
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string id = json::parse(res.body)["id"];
  res = Call("POST", "/api/v1/judicial/{id}/decision",
             {{"outcome", "refused"}, {"ground", "political-offence"}, {"reason", "political"}}, "",
             id);
  EXPECT_EQ(res.status, 409) << res.body;
  EXPECT_NE(res.body.find("art. 11"), std::string::npos) << res.body;
  res = Call("GET", "/api/v1/judicial/{id}", nullptr, "mps-analyst", id);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["state"], "draft");
  EXPECT_EQ(Call("GET", "/api/v1/judicial/{id}", nullptr, "fc", id).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/judicial/{id}", nullptr, "guard", id).status, 403);
  // The list: both parties see it (a draft has no reminder), a third organisation nothing.
  res = Call("GET", "/api/v1/judicial", nullptr, "mps-analyst");
  ASSERT_EQ(res.status, 200) << res.body;
  const json listed = json::parse(res.body);
  ASSERT_EQ(listed["count"], 1);
  EXPECT_EQ(listed["items"][0]["id"], id);
  EXPECT_TRUE(listed["items"][0]["reminders"].empty());
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/judicial", nullptr).body)["count"], 1);
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/judicial", nullptr, "fc").body)["count"], 0);
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/judicial", nullptr, "mps", "", {{"reminders", "true"}})
                            .body)["count"],
            0);

  // Assurances over HTTP: asked for, then received; a kind outside the two is refused by name;
  // site security may not.
  res = Call("POST", "/api/v1/judicial/{id}/assurances", {{"kind", "death-penalty"}}, "", id);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["received_at"], "");
  EXPECT_FALSE(json::parse(res.body)["requested_at"].get<std::string>().empty());
  res = Call("POST", "/api/v1/judicial/{id}/assurances",
             {{"kind", "death-penalty"}, {"received", true}}, "", id);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(json::parse(res.body)["received_at"].get<std::string>().empty());
  res = Call("POST", "/api/v1/judicial/{id}/assurances", {{"kind", "amnesty"}}, "", id);
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_NE(res.body.find("/kind"), std::string::npos) << res.body;
  res = Call("POST", "/api/v1/judicial/{id}/assurances",
             {{"kind", "fair-trial"}, {"received", "yes"}}, "", id);
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(Call("POST", "/api/v1/judicial/{id}/assurances", {{"kind", "fair-trial"}}, "guard", id)
                .status,
            403);
  res = Call("GET", "/api/v1/judicial/{id}", nullptr, "mps", id);
  ASSERT_EQ(res.status, 200) << res.body;
  const json shown = json::parse(res.body);
  ASSERT_EQ(shown["assurances"].size(), 1U) << shown.dump();
  // Audited as committee writes naming the assurance (its kind once overwrote the assurance's).
  store::AuditQuery assured;
  assured.action = "committee-write";
  assured.object = id;
  int assurance_entries = 0;
  const auto assurance_audit = store_->ListAudit(assured);
  ASSERT_TRUE(assurance_audit);
  for (const auto& e : *assurance_audit) {
    const json d = json::parse(e.detail);
    if (d.value("kind", "") == "judicial-assurance") {
      ++assurance_entries;
      EXPECT_EQ(d.value("assurance", ""), "death-penalty") << e.detail;
    }
  }
  EXPECT_EQ(assurance_entries, 2);

  // MLA from PK-TEST to CN-MPS; CN-MPS shares evidence for one purpose.
  res = Call("POST", "/api/v1/judicial",
             {{"type", "mla"},
              {"requesting", "PK-TEST"},
              {"requested", "CN-MPS"},
              {"offence", "terrorism-financing"}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string mla = json::parse(res.body)["id"];
  res = Call("POST", "/api/v1/judicial/{id}/evidence",
             {{"reference", "EXH-4"}, {"purpose", "trial of case PK-9"}}, "mps", mla);
  ASSERT_EQ(res.status, 200) << res.body;
  const std::string evidence = json::parse(res.body)["id"];
  res = Call("POST", "/api/v1/evidence/{id}/export", {{"to", "PK-FC"}}, "", evidence);
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_NE(res.body.find("speciality"), std::string::npos) << res.body;
  store::AuditQuery q;
  q.action = "speciality-refused";
  EXPECT_EQ(store_->ListAudit(q)->size(), 1u);
  EXPECT_EQ(Call("POST", "/api/v1/evidence/{id}/export", {{"to", "CN-MPS"}}, "", evidence).status,
            200);
}

}  // namespace
}  // namespace corridor
