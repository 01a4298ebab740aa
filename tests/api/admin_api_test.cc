// The admin console's routes (/api/v1/admin/...) through the real route
// handlers (with authentication) on a real store: an administrator manages
// accounts and tokens, reads and verifies the audit log, and every change is
// in it; an analyst is refused (403); secrets are shown once and never listed.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "corridor/api/api.h"
#include "corridor/service/admin.h"
#include "corridor/store/store.h"
#include "testing/api_harness.h"
#include "testing/testing.h"

namespace corridor {
namespace {

using nlohmann::json;
using testing::FindRoute;

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenStore((dir_ / "api.db").string());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    // The harness's own user is an administrator of PK-TEST.
    auto harness = testing::ApiHarness::Create(*store_, dir_ / "api.db.keys", model::Role::kAdmin);
    ASSERT_TRUE(harness) << harness.error().message;
    h_ = std::move(*harness);
    ASSERT_TRUE(h_->accounts().AddUser("ayesha", "PK-TEST", {model::Role::kAnalyst},
                                       "correct horse battery"));
    auto t = h_->accounts().CreateToken("ayesha", "tests");
    ASSERT_TRUE(t);
    analyst_token_ = t->secret;
  }

  api::Response Call(const std::string& method, const std::string& path, const json& body = nullptr,
                     const std::map<std::string, std::string>& path_params = {},
                     const std::vector<std::pair<std::string, std::string>>& query = {},
                     bool as_analyst = false) {
    std::string pattern = path;
    for (const auto& [k, v] : path_params)
      pattern.replace(pattern.find(v), v.size(), "{" + k + "}");
    const auto& route = FindRoute(h_->api(), method, pattern);
    api::Request r = h_->Authorised(method);
    if (as_analyst) r.headers["authorization"] = "Bearer " + analyst_token_;
    r.path = path;
    for (const auto& [k, v] : path_params) r.path_params[k] = v;
    for (const auto& q : query) r.query.push_back(q);
    r.body = body.is_null() ? "" : body.dump();
    return route.handler(r);
  }

  static json Body(const api::Response& r) { return json::parse(r.body, nullptr, false); }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<testing::ApiHarness> h_;
  std::string analyst_token_;
};

TEST_F(AdminApiTest, AnAdministratorAddsAnAdministratorAndDisablesIt) {
  // An account that reads marked data is added at the instance, where its password and
  // second factor reach only its holder: over the network the administrator would know both.
  for (const char* role : {"analyst", "committee", "site-security", "partner"}) {
    auto refused = Call("POST", "/api/v1/admin/users",
                        {{"username", "li-wei"},
                         {"organisation", "PK-TEST"},
                         {"roles", {role}},
                         {"password", "another long passphrase"}});
    EXPECT_EQ(refused.status, 403) << role << ": " << refused.body;
    EXPECT_EQ(Body(refused)["error"]["message"].get<std::string>().rfind("/roles/0", 0), 0u)
        << refused.body;
  }
  auto added = Call("POST", "/api/v1/admin/users",
                    {{"username", "li-wei"},
                     {"organisation", "PK-TEST"},
                     {"roles", {"admin"}},
                     {"password", "another long passphrase"}});
  ASSERT_EQ(added.status, 201) << added.body;
  // An administrator reads nothing marked, so it has no second factor to show.
  EXPECT_EQ(Body(added)["totp_secret"], "") << added.body;
  EXPECT_EQ(Body(added)["second_factor"], false);

  auto users = Call("GET", "/api/v1/admin/users");
  ASSERT_EQ(users.status, 200) << users.body;
  EXPECT_EQ(users.body.find("totp_secret"), std::string::npos);
  EXPECT_EQ(users.body.find("password"), std::string::npos);
  EXPECT_EQ(users.body.find("argon2"), std::string::npos);
  bool listed = false;
  const json listed_users = Body(users)["items"];
  for (const auto& u : listed_users) {
    if (u["username"] == "li-wei") {
      listed = true;
      EXPECT_EQ(u["roles"], json({"admin"}));
      EXPECT_EQ(u["disabled"], false);
    }
  }
  EXPECT_TRUE(listed) << users.body;

  auto disabled =
      Call("POST", "/api/v1/admin/users/li-wei/disable", nullptr, {{"username", "li-wei"}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  const json after = Body(Call("GET", "/api/v1/admin/users"))["items"];
  for (const auto& u : after) {
    if (u["username"] == "li-wei") {
      EXPECT_EQ(u["disabled"], true);
    }
  }
  // Both changes are in the audit log, by the administrator, without the password.
  auto audit = Call("GET", "/api/v1/admin/audit", nullptr, {}, {{"action", "admin"}});
  ASSERT_EQ(audit.status, 200) << audit.body;
  const json items = Body(audit)["items"];
  ASSERT_GE(items.size(), 2u) << audit.body;
  EXPECT_EQ(items[0]["detail"]["disabled_user"], "li-wei");  // newest first
  EXPECT_EQ(items[1]["detail"]["added_user"], "li-wei");
  EXPECT_EQ(items[1]["detail"]["roles"], json({"admin"}));
  EXPECT_EQ(items[0]["detail"]["route"], "/api/v1/admin/users/li-wei/disable");
  EXPECT_EQ(audit.body.find("another long passphrase"), std::string::npos);
  EXPECT_FALSE(items[0]["actor"].get<std::string>().empty());
}

TEST_F(AdminApiTest, BadBodiesNameTheMemberAndChangeNothing) {
  const json base = {{"username", "new-one"},
                     {"organisation", "PK-TEST"},
                     {"roles", {"admin"}},
                     {"password", "another long passphrase"}};
  struct Case {
    const char* member;
    json value;
    const char* pointer;
  };
  for (const Case& c :
       {Case{"roles", json({"analyst", "reader"}), "/roles/1"},
        Case{"roles", json({"analyst", 7}), "/roles/1"},
        Case{"organisation", "NOWHERE", "/organisation"}, Case{"password", "short", "/password"},
        Case{"username", "Ayesha Khan", "/username"}, Case{"extra", true, "/extra"}}) {
    json body = base;
    body[c.member] = c.value;
    auto r = Call("POST", "/api/v1/admin/users", body);
    EXPECT_EQ(r.status, 400) << c.member << ": " << r.body;
    EXPECT_EQ(Body(r)["error"]["message"].get<std::string>().rfind(c.pointer, 0), 0u)
        << c.member << ": " << r.body;
  }
  // Admin and a reading role are never one account (separation of duties), and a reading
  // role is not added over the network at all.
  json both = base;
  both["roles"] = {"admin", "analyst"};
  EXPECT_EQ(Call("POST", "/api/v1/admin/users", both).status, 403);
  // Trust groups are names the read rule matches exactly: never empty, never twice.
  for (const json& groups : {json({""}), json({"bilateral", "bilateral"}), json({"Bi Lateral"})}) {
    auto r =
        Call("POST", "/api/v1/admin/organisations", {{"name", "XX-ORG"}, {"trust_groups", groups}});
    EXPECT_EQ(r.status, 400) << groups.dump() << ": " << r.body;
    EXPECT_EQ(Body(r)["error"]["message"].get<std::string>().rfind("/trust_groups/", 0), 0u)
        << r.body;
  }
  const json after = Body(Call("GET", "/api/v1/admin/users"))["items"];
  for (const auto& u : after) {
    EXPECT_NE(u["username"], "new-one");
  }
  auto q = Call("GET", "/api/v1/admin/audit", nullptr, {}, {{"since", "yesterday"}});
  EXPECT_EQ(q.status, 400) << q.body;
  EXPECT_NE(q.body.find("since"), std::string::npos) << q.body;
}

TEST_F(AdminApiTest, TokensAreListedByIdAndRevokedNeverShownAgain) {
  // Over the network, a token only for one's own account: one for an analyst would let the
  // administrator read as the analyst.
  auto refused =
      Call("POST", "/api/v1/admin/tokens", {{"username", "ayesha"}, {"label", "script"}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  const std::string self = Body(Call("GET", "/api/v1/auth/me"))["username"];
  ASSERT_FALSE(self.empty());
  auto created = Call("POST", "/api/v1/admin/tokens", {{"username", self}, {"label", "script"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string secret = Body(created)["token"];
  const std::string id = Body(created)["id"];
  ASSERT_FALSE(secret.empty());
  auto list = Call("GET", "/api/v1/admin/tokens");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_NE(list.body.find(id), std::string::npos);
  ASSERT_EQ(Call("POST", "/api/v1/admin/tokens/" + id + "/revoke", nullptr, {{"id", id}}).status,
            200);
  EXPECT_FALSE(h_->accounts().FromToken(secret));
  EXPECT_EQ(Call("POST", "/api/v1/admin/tokens/nope/revoke", nullptr, {{"id", "nope"}}).status,
            404);
}

TEST_F(AdminApiTest, TheAuditLogVerifiesAndAnAnalystIsRefusedEveryRoute) {
  ASSERT_EQ(Call("POST", "/api/v1/admin/organisations",
                 {{"name", "CN-MPS"}, {"trust_groups", {"bilateral"}}})
                .status,
            201);
  auto verify = Call("GET", "/api/v1/admin/audit/verify");
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(Body(verify)["ok"], true) << verify.body;
  EXPECT_GE(Body(verify)["entries"].get<int>(), 1);
  auto orgs = Call("GET", "/api/v1/admin/organisations");
  EXPECT_NE(orgs.body.find("CN-MPS"), std::string::npos) << orgs.body;
  EXPECT_EQ(Call("GET", "/api/v1/admin/partners").status, 200);

  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/admin/users"},
                                                        {"GET", "/api/v1/admin/tokens"},
                                                        {"GET", "/api/v1/admin/organisations"},
                                                        {"GET", "/api/v1/admin/partners"},
                                                        {"GET", "/api/v1/admin/audit"},
                                                        {"GET", "/api/v1/admin/audit/verify"}}) {
    auto r = Call(method, path, nullptr, {}, {}, /*as_analyst=*/true);
    EXPECT_EQ(r.status, 403) << path << ": " << r.body;
  }
  auto r = Call("POST", "/api/v1/admin/users",
                {{"username", "sneaky"},
                 {"organisation", "PK-TEST"},
                 {"roles", {"admin"}},
                 {"password", "another long passphrase"}},
                {}, {}, /*as_analyst=*/true);
  EXPECT_EQ(r.status, 403) << r.body;
}

// Every list of the console is paged (limit 1..1000, cursor = the last key): the pages
// together hold every row once, in key order; bad bounds and unknown cursors are refused.
TEST_F(AdminApiTest, EveryListIsPagedInKeyOrder) {
  for (const char* name : {"bilal", "chen-li", "dawood"}) {
    ASSERT_TRUE(
        h_->accounts().AddUser(name, "PK-TEST", {model::Role::kAnalyst}, "correct horse battery"));
  }
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(h_->accounts().CreateToken("bilal", "t" + std::to_string(i)));
  for (const char* org : {"CN-MPS", "CN-MSS", "PK-NACTA"}) {
    ASSERT_EQ(Call("POST", "/api/v1/admin/organisations", {{"name", org}}).status, 201);
  }
  // Walks a list 2 rows at a time; returns the keys in the order served.
  auto walk = [&](const std::string& path, const std::string& key) {
    std::vector<std::string> keys;
    std::string cursor;
    for (int page = 0; page < 20; ++page) {
      std::vector<std::pair<std::string, std::string>> q = {{"limit", "2"}};
      if (!cursor.empty()) q.emplace_back("cursor", cursor);
      auto r = Call("GET", path, nullptr, {}, q);
      EXPECT_EQ(r.status, 200) << path << ": " << r.body;
      const json b = Body(r);
      EXPECT_LE(b["items"].size(), 2U) << r.body;
      for (const auto& x : b["items"]) keys.push_back(x[key]);
      if (b["next_cursor"].is_null()) break;
      cursor = b["next_cursor"];
      EXPECT_EQ(cursor, keys.back()) << r.body;
    }
    return keys;
  };
  auto all_of = [&](const std::string& path, const std::string& key) {
    std::vector<std::string> keys;
    const json body = Body(Call("GET", path, nullptr, {}, {{"limit", "1000"}}));
    for (const auto& x : body["items"]) keys.push_back(x[key]);
    return keys;
  };
  const auto users = walk("/api/v1/admin/users", "username");
  EXPECT_EQ(users, all_of("/api/v1/admin/users", "username"));
  EXPECT_GE(users.size(), 5U);
  EXPECT_TRUE(std::is_sorted(users.begin(), users.end()));
  const auto tokens = walk("/api/v1/admin/tokens", "id");
  EXPECT_EQ(tokens, all_of("/api/v1/admin/tokens", "id"));
  EXPECT_GE(tokens.size(), 5U);  // ayesha's, bilal's four
  EXPECT_EQ(std::set<std::string>(tokens.begin(), tokens.end()).size(), tokens.size());
  const auto orgs = walk("/api/v1/admin/organisations", "name");
  EXPECT_EQ(orgs, all_of("/api/v1/admin/organisations", "name"));
  EXPECT_EQ(orgs.size(), 4U);  // PK-TEST and the three added
  EXPECT_TRUE(walk("/api/v1/admin/partners", "name").empty());

  for (const char* path : {"/api/v1/admin/users", "/api/v1/admin/tokens",
                           "/api/v1/admin/organisations", "/api/v1/admin/partners"}) {
    for (const char* limit : {"0", "1001", "-1", "x"}) {
      auto r = Call("GET", path, nullptr, {}, {{"limit", limit}});
      EXPECT_EQ(r.status, 400) << path << " limit=" << limit << ": " << r.body;
      EXPECT_NE(r.body.find("limit"), std::string::npos) << r.body;
    }
  }
  // A name cursor starts after that name, whether or not it exists; a token's cursor is
  // its id, and the tokens are in (account, created) order, so an unknown id is refused.
  auto after_b = Body(Call("GET", "/api/v1/admin/users", nullptr, {}, {{"cursor", "b"}}));
  ASSERT_FALSE(after_b["items"].empty());
  EXPECT_EQ(after_b["items"][0]["username"], "bilal");
  auto unknown = Call("GET", "/api/v1/admin/tokens", nullptr, {}, {{"cursor", "no-such-id"}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(Body(unknown)["error"]["message"].get<std::string>().rfind("cursor", 0), 0U)
      << unknown.body;
}

// Roles change as a whole set; the account's sessions end and its tokens are
// revoked. Admin and partner are what an account is for its whole life. Over
// the network only the administrator's own organisation's accounts change and
// no second factor is enrolled; at the instance it is, shown once.
TEST_F(AdminApiTest, RolesChangeWithinTheLimitsOfWhereTheyAreChanged) {
  auth::Accounts& accounts = h_->accounts();
  const auto put = [&](const std::string& user, const json& roles, bool as_analyst = false) {
    return Call("PUT", "/api/v1/admin/users/" + user + "/roles", {{"roles", roles}},
                {{"username", user}}, {}, as_analyst);
  };
  const auto message = [](const api::Response& r) {
    return Body(r)["error"]["message"].get<std::string>();
  };
  const auto roles_of = [&](const std::string& user) {
    auto p = accounts.PrincipalOf(user, false);
    return p ? p->roles : std::vector<model::Role>{};
  };

  // An analyst (second factor enrolled at the instance) moves between reading roles; the
  // analyst's token stops working.
  auto token = accounts.FromToken(analyst_token_);
  ASSERT_TRUE(token);
  auto moved = put("ayesha", {"committee", "site-security", "committee"});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Body(moved)["roles"], json({"committee", "site-security"})) << moved.body;
  EXPECT_EQ(Body(moved)["second_factor"], true);
  EXPECT_EQ(moved.body.find("totp"), std::string::npos) << moved.body;
  EXPECT_FALSE(accounts.FromToken(analyst_token_)) << "a token outlived the role change";

  // Roles that read TLP:RED need a second factor, which is not enrolled over the network.
  ASSERT_TRUE(
      accounts.AddUser("sam", "PK-TEST", {model::Role::kSiteSecurity}, "correct horse battery"));
  auto red = put("sam", {"committee"});
  EXPECT_EQ(red.status, 403) << red.body;
  EXPECT_EQ(message(red).rfind("/roles: ", 0), 0u) << red.body;
  // Another organisation's account is changed at the instance only.
  ASSERT_TRUE(accounts.AddOrganisation("CN-MPS", {"bilateral"}, false));
  ASSERT_TRUE(accounts.AddUser("mps-guard", "CN-MPS",
                               {model::Role::kSiteSecurity, model::Role::kAnalyst},
                               "correct horse battery"));
  auto foreign = put("mps-guard", {"site-security"});
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_EQ(message(foreign).rfind("/username: ", 0), 0u) << foreign.body;

  // Admin and partner are never given to or taken from an account, anywhere: an
  // administrator's account, whose password another administrator may have chosen, never
  // reads; a reading one never administers.
  ASSERT_EQ(Call("POST", "/api/v1/admin/users",
                 {{"username", "li-wei"},
                  {"organisation", "PK-TEST"},
                  {"roles", {"admin"}},
                  {"password", "another long passphrase"}})
                .status,
            201);
  for (const auto& [user, roles] :
       std::vector<std::pair<std::string, json>>{{"li-wei", {"site-security"}},
                                                 {"sam", {"admin"}},
                                                 {"sam", {"site-security", "partner"}}}) {
    auto fixed = put(user, roles);
    EXPECT_EQ(fixed.status, 400) << user << " " << roles << ": " << fixed.body;
    EXPECT_NE(message(fixed).find("add a second account"), std::string::npos) << fixed.body;
  }

  // Bad sets name the member; nothing changes.
  for (const auto& [roles, pointer] :
       std::vector<std::pair<json, std::string>>{{json::array(), "/roles"},
                                                 {{"admin", "analyst"}, "/roles"},
                                                 {{"analyst", "boss"}, "/roles/1"},
                                                 {{"a", "b", "c", "d", "e"}, "/roles"}}) {
    auto bad = put("ayesha", roles);
    EXPECT_EQ(bad.status, 400) << roles << ": " << bad.body;
    EXPECT_EQ(message(bad).rfind(pointer, 0), 0u) << bad.body;
  }
  EXPECT_EQ(put("nobody", {"analyst"}).status, 404);
  EXPECT_EQ(put("ayesha", {"analyst"}, /*as_analyst=*/true).status, 401);
  std::string self;
  const json users = Body(Call("GET", "/api/v1/admin/users"))["items"];
  for (const auto& u : users) {
    if (u["username"] != "li-wei" && u["roles"] == json({"admin"})) self = u["username"];
  }
  ASSERT_FALSE(self.empty());
  EXPECT_EQ(put(self, {"admin"}).status, 409);
  EXPECT_EQ(roles_of("ayesha"),
            (std::vector<model::Role>{model::Role::kCommittee, model::Role::kSiteSecurity}));
  EXPECT_EQ(roles_of("li-wei"), std::vector<model::Role>{model::Role::kAdmin});
  EXPECT_EQ(roles_of("sam"), std::vector<model::Role>{model::Role::kSiteSecurity});

  // The change is audited with the roles before and after.
  auto audit = Call("GET", "/api/v1/admin/audit", nullptr, {}, {{"action", "admin"}});
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::vector<json> changes;
  const json entries = Body(audit)["items"];
  for (const auto& e : entries) {
    if (e["detail"].contains("changed_roles")) changes.push_back(e["detail"]);
  }
  ASSERT_EQ(changes.size(), 1u) << audit.body;
  EXPECT_EQ(changes[0]["changed_roles"], "ayesha");
  EXPECT_EQ(changes[0]["from"], json({"analyst"}));
  EXPECT_EQ(changes[0]["to"], json({"committee", "site-security"}));
  EXPECT_EQ(changes[0]["second_factor_enrolled"], false);

  // At the instance the operator gives a reading role that needs a second factor, enrolled
  // there and shown once; the account's session ends. The rule on admin holds there too.
  auto session = accounts.SignIn("sam", "correct horse battery", "", "127.0.0.1");
  ASSERT_TRUE(session) << session.error().message;
  const auto op = service::OperatorCaller("", store::Viewer{}, "users roles");
  service::Context ctx{*store_, h_->audit()};
  auto at_instance = service::SetUserRoles(ctx, accounts, op, {"sam", {"analyst"}});
  ASSERT_TRUE(at_instance) << at_instance.error().message;
  EXPECT_GE(at_instance->totp_secret.size(), 16u);
  EXPECT_FALSE(at_instance->user.totp_sealed.empty());
  EXPECT_FALSE(accounts.FromSession(session->cookie_value)) << "the session outlived the change";
  auto foreign_at_instance =
      service::SetUserRoles(ctx, accounts, op, {"mps-guard", {"site-security"}});
  EXPECT_TRUE(foreign_at_instance) << foreign_at_instance.error().message;
  auto admin_to_reader = service::SetUserRoles(ctx, accounts, op, {"li-wei", {"committee"}});
  ASSERT_FALSE(admin_to_reader);
  EXPECT_EQ(admin_to_reader.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(AdminApiTest, AnAdministratorCannotDisableTheirOwnAccount) {
  auto me = Body(Call("GET", "/api/v1/admin/users"))["items"];
  std::string self;
  for (const auto& u : me) {
    if (u["roles"] == json({"admin"})) self = u["username"];
  }
  ASSERT_FALSE(self.empty());
  auto r = Call("POST", "/api/v1/admin/users/" + self + "/disable", nullptr, {{"username", self}});
  EXPECT_EQ(r.status, 409) << r.body;
}

// A decision applies only to the account it was made on (compare-and-set):
// roles chosen on a read that a disable overtook are refused, not written
// over the disable, and a disable never loses a role change either.
TEST_F(AdminApiTest, AChangeMadeOnAStaleReadOfAnAccountIsRefusedNotWrittenOver) {
  auth::Accounts& accounts = h_->accounts();
  ASSERT_TRUE(
      accounts.AddUser("omar", "PK-TEST", {model::Role::kSiteSecurity}, "correct horse battery"));
  auto before = store_->GetUser("omar");
  ASSERT_TRUE(before);
  ASSERT_TRUE(accounts.DisableUser("omar"));
  // The role change decided on `before` comes after the disable.
  auto stale = accounts.SetRoles(*before, {model::Role::kAnalyst});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict) << stale.error().message;
  auto now = store_->GetUser("omar");
  ASSERT_TRUE(now);
  EXPECT_TRUE(now->disabled) << "a stale write re-enabled a disabled account";
  EXPECT_EQ(now->roles, std::vector<model::Role>{model::Role::kSiteSecurity});
  // The store itself refuses any write whose expected state is not the stored one.
  model::User changed = *now;
  changed.disabled = false;
  auto direct = store_->UpdateUser(*before, changed);
  ASSERT_FALSE(direct);
  EXPECT_EQ(direct.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(store_->GetUser("omar")->disabled);
  model::User ghost = *now;
  ghost.username = "nobody-here";
  EXPECT_EQ(store_->UpdateUser(ghost, ghost).error().code, ErrorCode::kNotFound);

  // Roles changed after a disable began are kept: the disable reads again.
  ASSERT_TRUE(
      accounts.AddUser("nadia", "PK-TEST", {model::Role::kSiteSecurity}, "correct horse battery"));
  auto nadia = store_->GetUser("nadia");
  ASSERT_TRUE(nadia);
  ASSERT_TRUE(accounts.SetRoles(*nadia, {model::Role::kAnalyst, model::Role::kSiteSecurity}));
  ASSERT_TRUE(accounts.DisableUser("nadia"));
  auto after = store_->GetUser("nadia");
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->disabled);
  EXPECT_EQ(after->roles,
            (std::vector<model::Role>{model::Role::kAnalyst, model::Role::kSiteSecurity}));
}

}  // namespace
}  // namespace corridor
