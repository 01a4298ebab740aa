// The authorisation matrix (tests/security/authz_matrix.tsv), run against a
// real server over loopback on the real UCDP store, with real sign-ins
// (password + TOTP), bearer tokens, and the real `corridor` binary for the
// CLI path. Also: the sign-in, CSRF, expiry, rate-limit, two-person and
// plaintext-secret rules of docs/security.md.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "corridor/api/api.h"
#include "corridor/auth/accounts.h"
#include "corridor/auth/audit_log.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/strings.h"
#include "corridor/server/server.h"
#include "store/sqlite_store.h"
#include "testing/real_store.h"
#include "testing/testing.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kPassword = "correct horse battery staple";

struct UserSpec {
  std::string name, org;
  model::Role role;
};
const std::vector<UserSpec> kUsers = {
    {"a-analyst", "PK-A", model::Role::kAnalyst},
    {"a-second", "PK-A", model::Role::kAnalyst},
    {"a-site", "PK-A", model::Role::kSiteSecurity},
    {"a-admin", "PK-A", model::Role::kAdmin},
    {"b-analyst", "PK-B", model::Role::kAnalyst},
    {"c-committee", "PK-C", model::Role::kCommittee},
};

// One manual report per marking; each isolated by its own day, place and word.
struct Report {
  std::string key, marking;
  json distribution;
  std::string date;
  double lat, lon;
  std::string word;
  std::string id;  // set when filed
};

// How a user talks to the server: a session (cookie + CSRF) or a token.
struct Credentials {
  std::string cookie;
  std::string csrf;
  std::string token;
};

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Env : public ::testing::Environment {
 public:
  void SetUp() override {
    dir = std::make_unique<testing::TempDir>();
    db = (dir->path() / "authz.db").string();
    auto loaded = testing::LoadRealStore(db, {});
    ASSERT_TRUE(loaded) << loaded.error().message;
    store = std::move(*loaded);
    ASSERT_TRUE(auth::InitCrypto());
    auto keys = auth::LoadOrCreateInstanceKeys(db + ".keys");  // where the CLI looks
    ASSERT_TRUE(keys) << keys.error().message;
    instance_keys = std::move(*keys);
    accounts = std::make_unique<auth::Accounts>(*store, instance_keys);
    audit = std::make_unique<auth::AuditLog>(*store, instance_keys, /*checkpoint_every=*/50);
    ASSERT_TRUE(accounts->AddOrganisation("PK-A", {"bilateral"}, true));
    ASSERT_TRUE(accounts->AddOrganisation("PK-B", {"bilateral", "regional"}, false));
    ASSERT_TRUE(accounts->AddOrganisation("PK-C", {"regional"}, false));
    for (const auto& u : kUsers) {
      auto added = accounts->AddUser(u.name, u.org, {u.role}, kPassword);
      ASSERT_TRUE(added) << added.error().message;
      totp[u.name] = added->totp_secret;
    }
    api = std::make_unique<api::Api>(*store, *accounts, *audit);
    server::ServerOptions options;
    options.port = 0;
    options.access_log = false;
    server = std::make_unique<server::Server>(api->routes(), options);
    ASSERT_TRUE(server->Bind());
    thread = std::thread([this] { (void)server->Run(); });

    for (const auto& u : kUsers) {
      auto c = SignIn(u.name);
      ASSERT_FALSE(c.cookie.empty()) << "sign-in of " << u.name << " failed";
      creds[u.name] = c;
      auto token = accounts->CreateToken(u.name, "matrix");
      ASSERT_TRUE(token);
      tokens[u.name] = token->secret;
    }
    creds["a-analyst/token"] = Credentials{"", "", tokens["a-analyst"]};
    tokens["a-analyst/token"] = tokens["a-analyst"];
    FileReports();
  }

  void TearDown() override {
    if (server) server->Stop();
    if (thread.joinable()) thread.join();
    server.reset();
    api.reset();
    audit.reset();
    accounts.reset();
    store.reset();
    dir.reset();
  }

  // Signs in through the API with password and (when enrolled) a fresh TOTP code.
  Credentials SignIn(const std::string& user) {
    json body = {{"username", user}, {"password", kPassword}};
    if (!totp[user].empty()) body["totp"] = *auth::TotpCode(totp[user], Now());
    auto res = Client().Post("/api/v1/auth/login", body.dump(), "application/json");
    if (!res || res->status != 200) {
      ADD_FAILURE() << "login " << user << ": " << (res ? res->body : "no response");
      return {};
    }
    Credentials c;
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    const auto start = set_cookie.find('=') + 1;
    c.cookie = set_cookie.substr(start, set_cookie.find(';') - start);
    c.csrf = json::parse(res->body)["csrf_token"];
    return c;
  }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", server->port());
    client.set_read_timeout(60, 0);
    return client;
  }

  httplib::Headers HeadersOf(const Credentials& c, bool with_csrf = true) const {
    if (!c.token.empty()) return {{"Authorization", "Bearer " + c.token}};
    httplib::Headers h = {{"Cookie", "corridor_session=" + c.cookie}};
    if (with_csrf) h.emplace("X-CSRF-Token", c.csrf);
    return h;
  }

  httplib::Result Get(const std::string& user, const std::string& target) const {
    return Client().Get(target, HeadersOf(creds.at(user)));
  }
  httplib::Result Post(const std::string& user, const std::string& target, const json& body) const {
    return Client().Post(target, HeadersOf(creds.at(user)), body.dump(), "application/json");
  }

  void FileReports() {
    reports = {
        {"red", "TLP:RED", {{"users", {"a-second"}}}, "2031-01-01", 25.1101, 66.1101, "zqxred", ""},
        {"red-b",
         "TLP:RED",
         {{"users", {"b-analyst"}}},
         "2031-01-02",
         25.1202,
         66.1202,
         "zqxredb",
         ""},
        {"amber-strict-b",
         "TLP:AMBER+STRICT",
         {{"organisations", {"PK-B"}}},
         "2031-01-03",
         25.1303,
         66.1303,
         "zqxstrict",
         ""},
        {"amber", "TLP:AMBER", json::object(), "2031-01-04", 25.1404, 66.1404, "zqxamber", ""},
        {"green",
         "TLP:GREEN",
         {{"trust_group", "bilateral"}},
         "2031-01-05",
         25.1505,
         66.1505,
         "zqxgreen",
         ""},
        {"clear", "TLP:CLEAR", json::object(), "2031-01-06", 25.1606, 66.1606, "zqxclear", ""},
    };
    for (auto& r : reports) {
      json body = {{"date_start", r.date},
                   {"latitude", r.lat},
                   {"longitude", r.lon},
                   {"category", "bombing"},
                   {"headline", "Report " + r.word + " near the corridor"},
                   {"killed", 1},
                   {"marking", r.marking},
                   {"distribution", r.distribution}};
      auto res = Post("a-analyst", "/api/v1/incidents", body);
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 201) << r.key << ": " << res->body;
      const json created = json::parse(res->body);
      EXPECT_EQ(created["marking"], r.marking);
      EXPECT_EQ(created["author"], "a-analyst");
      EXPECT_EQ(created["author_org"], "PK-A");
      EXPECT_EQ(created["provenance"]["dataset"], "manual");
      r.id = created["id"];
    }
  }

  static Env* instance;
  std::unique_ptr<testing::TempDir> dir;
  std::string db;
  std::unique_ptr<store::Store> store;
  auth::InstanceKeys instance_keys;
  std::unique_ptr<auth::Accounts> accounts;
  std::unique_ptr<auth::AuditLog> audit;
  std::unique_ptr<api::Api> api;
  std::unique_ptr<server::Server> server;
  std::thread thread;
  std::map<std::string, std::string> totp;
  std::map<std::string, Credentials> creds;
  std::map<std::string, std::string> tokens;
  std::vector<Report> reports;
};
Env* Env::instance = nullptr;

const Report& ReportNamed(const std::string& key) {
  for (const auto& r : Env::instance->reports) {
    if (r.key == key) return r;
  }
  throw std::runtime_error("no report " + key);
}

// "see", "hidden" or "denied" for one cell, by running the route.
std::string Outcome(const std::string& user, const Report& r, const std::string& route) {
  Env& env = *Env::instance;
  const std::string day = "from=" + r.date + "&to=" + r.date;
  const auto ids_in = [&](const httplib::Result& res, const char* array) -> std::string {
    if (!res) return "no response";
    if (res->status == 403) return "denied";
    if (res->status != 200) return "status " + std::to_string(res->status) + ": " + res->body;
    const json body = json::parse(res->body);
    for (const auto& item : body[array]) {
      const json& id = std::string(array) == "features" ? item["properties"]["id"] : item["id"];
      if (id == r.id) return "see";
    }
    return "hidden";
  };
  if (route == "get") {
    auto res = env.Get(user, "/api/v1/incidents/" + r.id);
    if (!res) return "no response";
    if (res->status == 200) return "see";
    if (res->status == 404) return "hidden";
    return "status " + std::to_string(res->status);
  }
  if (route == "list") return ids_in(env.Get(user, "/api/v1/incidents?" + day), "items");
  if (route == "page") {
    std::string cursor, outcome = "hidden";
    int pages = 0;
    do {
      auto res = env.Get(user, "/api/v1/incidents?from=2031-01-01&to=2031-12-31&limit=1" +
                                   (cursor.empty() ? "" : "&cursor=" + cursor));
      if (!res || res->status != 200) return "page failed";
      const json body = json::parse(res->body);
      if (!body["items"].empty() && body["items"][0]["id"] == r.id) outcome = "see";
      cursor = body["next_cursor"].is_null() ? "" : body["next_cursor"].get<std::string>();
      ++pages;
    } while (!cursor.empty() && pages < 20);
    return outcome;
  }
  if (route == "count" || route == "stats") {
    auto res = env.Get(user, std::string("/api/v1/stats?by=") +
                                 (route == "count" ? "dataset" : "admin2") + "&" + day);
    if (!res) return "no response";
    if (res->status != 200) return "status " + std::to_string(res->status);
    std::int64_t n = 0;
    for (const auto& kc : json::parse(res->body)) n += kc["count"].get<std::int64_t>();
    return n == 1 ? "see" : n == 0 ? "hidden" : "count " + std::to_string(n);
  }
  if (route == "bbox") {
    const std::string box = std::to_string(r.lon - 0.001) + "," + std::to_string(r.lat - 0.001) +
                            "," + std::to_string(r.lon + 0.001) + "," +
                            std::to_string(r.lat + 0.001);
    return ids_in(env.Get(user, "/api/v1/incidents?bbox=" + box), "items");
  }
  if (route == "near") {
    return ids_in(env.Get(user, "/api/v1/incidents?near=" + std::to_string(r.lat) + "," +
                                    std::to_string(r.lon) + ",0.05"),
                  "items");
  }
  if (route == "text") return ids_in(env.Get(user, "/api/v1/incidents?text=" + r.word), "items");
  if (route == "geojson") {
    return ids_in(env.Get(user, "/api/v1/incidents.geojson?" + day), "features");
  }
  if (route == "cli") {
    const auto run =
        testing::RunCommand("CORRIDOR_TOKEN='" + env.tokens.at(user) + "' " +
                            (testing::BuildDir() / "corridor").string() + " --db '" + env.db +
                            "' query --count --from " + r.date + " --to " + r.date);
    if (run.status != 0) {
      return run.err.find("not allowed") != std::string::npos ? "denied" : "cli failed: " + run.err;
    }
    const std::string n(Trim(run.out));
    return n == "1" ? "see" : n == "0" ? "hidden" : "count " + n;
  }
  return "unknown route " + route;
}

struct Row {
  int line;
  std::string user, object;
  std::map<std::string, std::string> cells;
};

// "route object" pairs nobody may see, by rule ("#never" lines).
std::set<std::string> never_seen;

std::vector<Row> LoadMatrix(std::vector<std::string>& routes) {
  std::ifstream in(testing::TestPath("security/authz_matrix.tsv"));
  std::vector<Row> rows;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("#user", 0) == 0) {
      const auto head = Split(line.substr(1), '\t');
      routes.assign(head.begin() + 2, head.end());
      continue;
    }
    if (line.rfind("#never\t", 0) == 0) {
      const auto f = Split(line, '\t');
      EXPECT_EQ(f.size(), 4u) << "authz_matrix.tsv:" << n << ": #never ROUTE OBJECT REASON";
      if (f.size() == 4) never_seen.insert(f[1] + " " + f[2]);
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const auto f = Split(line, '\t');
    EXPECT_EQ(f.size(), routes.size() + 2) << "authz_matrix.tsv:" << n;
    Row row{n, f[0], f[1], {}};
    for (std::size_t i = 0; i < routes.size() && i + 2 < f.size(); ++i)
      row.cells[routes[i]] = f[i + 2];
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(AuthzMatrixTest, EveryCellAsTheTableSays) {
  std::vector<std::string> routes;
  const auto rows = LoadMatrix(routes);
  ASSERT_EQ(routes.size(), 10u);
  ASSERT_EQ(rows.size(), 7u * 6u) << "every user x every report";
  // Positive controls: every (report, route) has a user who sees it, so a
  // route that shows nothing to anybody cannot pass as "hidden".
  for (const auto& report : Env::instance->reports) {
    for (const auto& route : routes) {
      bool seen = false;
      for (const auto& row : rows)
        seen = seen || (row.object == report.key && row.cells.at(route) == "see");
      if (never_seen.count(route + " " + report.key)) {
        EXPECT_FALSE(seen) << report.key << " by " << route << " is marked #never";
      } else {
        EXPECT_TRUE(seen) << "no positive control for " << report.key << " by " << route;
      }
    }
  }
  int cells = 0;
  for (const auto& row : rows) {
    const Report& report = ReportNamed(row.object);
    for (const auto& route : routes) {
      SCOPED_TRACE("authz_matrix.tsv:" + std::to_string(row.line) + " " + row.user + " " +
                   row.object + " " + route);
      EXPECT_EQ(Outcome(row.user, report, route), row.cells.at(route));
      ++cells;
    }
  }
  EXPECT_EQ(cells, 420);
}

TEST(AuthzMatrixTest, AnotherOrganisationNeverSeesRedOrAmberStrictByAnyRoute) {
  // c-committee belongs to neither the author's organisation nor any named one.
  for (const char* key : {"red", "red-b", "amber-strict-b"}) {
    const Report& r = ReportNamed(key);
    for (const char* route :
         {"get", "list", "page", "count", "stats", "bbox", "near", "text", "geojson", "cli"}) {
      EXPECT_EQ(Outcome("c-committee", r, route), "hidden") << key << " " << route;
    }
  }
}

TEST(AuthzMatrixTest, WithoutSignInEveryRouteButHealthzIs401) {
  auto client = Env::instance->Client();
  for (const auto& route : Env::instance->api->routes()) {
    std::string target = route.path;
    for (const auto& p : route.path_param_names) {
      target.replace(target.find("{" + p + "}"), p.size() + 2, "x");
    }
    auto res = route.method == "GET"      ? client.Get(target)
               : route.method == "DELETE" ? client.Delete(target)
               : route.method == "PUT"    ? client.Put(target, "{}", "application/json")
               : route.method == "PATCH"  ? client.Patch(target, "{}", "application/json")
                                          : client.Post(target, "{}", "application/json");
    ASSERT_TRUE(res) << target;
    if (route.open) {
      EXPECT_NE(res->status, 401) << route.method << " " << target;
    } else {
      EXPECT_EQ(res->status, 401) << route.method << " " << target << ": " << res->body;
    }
  }
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// Issue 12 #7: "data through" moved for everyone when a RED report was filed.
// Differential test over every aggregate route: filing records a viewer may
// not read, with a later date, another place, another category and more
// deaths than anything else, must change nothing that viewer is shown.
const std::string kGilgitBaltistan =
    "PK301,PK302,PK303,PK304,PK305,PK306,PK307,PK308,PK309,PK310,PK311,PK312,PK313,PK314";

TEST(AuthzMatrixTest, RecordsAViewerMayNotReadChangeNoAggregateTheyAreShown) {
  Env& env = *Env::instance;
  const std::vector<std::string> routes = {
      "/api/v1/stats?by=year",
      "/api/v1/stats?by=month",
      "/api/v1/stats?by=category",
      "/api/v1/stats?by=admin1",
      "/api/v1/stats/timeline",
      "/api/v1/stats/grid?cell_deg=1",
      "/api/v1/stats/timeline?from=2030-01-01",
      "/api/v1/incidents?limit=3",
      "/api/v1/incidents.geojson?limit=3",
      "/api/v1/areas",
      "/api/v1/areas.geojson",
      "/api/v1/sites",
      "/api/v1/datasets",
      "/api/v1/assessments",
      "/api/v1/alerts",
      "/api/v1/risk/index?dataset=manual",
      // The committee's perception view counts incidents per district and month
      // (every Gilgit-Baltistan district, where the probe lands).
      "/api/v1/public-perception?from=2033-01&to=2033-12&district=" + kGilgitBaltistan,
  };
  // RED for one named user: no one else of any organisation, role or
  // credential may notice it; then AMBER+STRICT: no other organisation may.
  const std::vector<std::pair<std::string, std::vector<std::string>>> steps = {
      {"TLP:RED", {"b-analyst", "c-committee", "a-site", "a-analyst/token"}},
      {"TLP:AMBER+STRICT", {"b-analyst", "c-committee"}}};
  for (const auto& [marking, viewers] : steps) {
    std::map<std::string, std::string> before;
    for (const auto& v : viewers) {
      for (const auto& route : routes) {
        auto res = env.Get(v, route);
        ASSERT_TRUE(res) << route;
        before[v + " " + route] = std::to_string(res->status) + " " + res->body;
        // Each route answers (or refuses the role outright), so "unchanged" means something.
        EXPECT_TRUE(res->status == 200 || res->status == 403)
            << v << " " << route << ": " << res->body.substr(0, 200);
      }
    }
    json distribution = marking == "TLP:RED" ? json{{"users", {"a-second"}}} : json::object();
    json body = {{"date_start", "2033-12-31"},
                 {"latitude", 35.9},
                 {"longitude", 74.3},
                 {"category", "kidnapping-hostage"},
                 {"killed", 99},
                 {"headline", "hidden probe"},
                 {"marking", marking},
                 {"distribution", distribution}};
    auto filed = env.Post("a-analyst", "/api/v1/incidents", body);
    ASSERT_TRUE(filed);
    ASSERT_EQ(filed->status, 201) << filed->body;
    for (const auto& v : viewers) {
      for (const auto& route : routes) {
        auto res = env.Get(v, route);
        ASSERT_TRUE(res) << route;
        EXPECT_EQ(std::to_string(res->status) + " " + res->body, before[v + " " + route])
            << v << " sees a change on " << route << " after a " << marking << " report";
      }
    }
  }
  // The author's own view does move: the test can see a change where there is one.
  auto own = env.Get("a-second", "/api/v1/stats/timeline");
  ASSERT_TRUE(own);
  EXPECT_EQ(json::parse(own->body)["data_through"], "2033-12-31");
  auto perception = env.Get(
      "a-second", "/api/v1/public-perception?from=2033-01&to=2033-12&district=" + kGilgitBaltistan);
  ASSERT_TRUE(perception);
  ASSERT_EQ(perception->status, 200) << perception->body;
  std::int64_t december = 0;
  const json view = json::parse(perception->body);
  for (const auto& d : view["districts"]) {
    december += d["incidents"][11].get<std::int64_t>();
  }
  EXPECT_EQ(december, 2);  // the RED probe naming a-second and the AMBER+STRICT one
}

TEST(SecurityRulesTest, StateChangingRequestsNeedTheCsrfToken) {
  Env& env = *Env::instance;
  const Credentials& c = env.creds.at("a-analyst");
  json body = {{"date_start", "2031-02-01"}, {"headline", "csrf probe"}};
  auto without = env.Client().Post("/api/v1/incidents", env.HeadersOf(c, /*with_csrf=*/false),
                                   body.dump(), "application/json");
  ASSERT_TRUE(without);
  EXPECT_EQ(without->status, 403);
  EXPECT_NE(without->body.find("CSRF"), std::string::npos);
  httplib::Headers wrong = {{"Cookie", "corridor_session=" + c.cookie}, {"X-CSRF-Token", "nope"}};
  auto bad = env.Client().Post("/api/v1/incidents", wrong, body.dump(), "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 403);
  // GET needs none; the session cookie is HttpOnly and SameSite=Strict.
  auto login = env.Client().Post("/api/v1/auth/login",
                                 json{{"username", "a-site"}, {"password", kPassword}}.dump(),
                                 "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string cookie = login->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
}

TEST(SecurityRulesTest, SignInNeedsTheSecondFactorAndNeverReusesACode) {
  Env& env = *Env::instance;
  const auto login = [&](const json& body) {
    return env.Client().Post("/api/v1/auth/login", body.dump(), "application/json");
  };
  auto no_code = login({{"username", "a-second"}, {"password", kPassword}});
  ASSERT_TRUE(no_code);
  EXPECT_EQ(no_code->status, 401);
  // The right password without the code answers as any failure does (issue 12 #9).
  EXPECT_EQ(no_code->body.find("authenticator"), std::string::npos) << no_code->body;
  // The code a-second used at set-up is spent (replayed within its window,
  // or expired after it: refused either way).
  auto stored = env.store->GetUser("a-second");
  ASSERT_TRUE(stored);
  ASSERT_GT(stored->totp_last_step, 0);
  auto reused =
      login({{"username", "a-second"},
             {"password", kPassword},
             {"totp", *auth::TotpCode(env.totp["a-second"], stored->totp_last_step * 30)}});
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused->status, 401);
  auto wrong_password = login({{"username", "a-site"}, {"password", "wrong password!!"}});
  ASSERT_TRUE(wrong_password);
  EXPECT_EQ(wrong_password->status, 401);
  auto unknown = login({{"username", "nobody-here"}, {"password", "wrong password!!"}});
  ASSERT_TRUE(unknown);
  // The same answer whether or not the account exists.
  EXPECT_EQ(json::parse(unknown->body)["error"]["message"],
            json::parse(wrong_password->body)["error"]["message"]);
}

// Issue 12 #9: one answer for every failed sign-in; the audit keeps the reason.
TEST(SecurityRulesTest, EveryFailedSignInGetsTheSameAnswer) {
  Env& env = *Env::instance;
  ASSERT_TRUE(env.accounts->AddUser("disabled-probe", "PK-C", {model::Role::kAnalyst}, kPassword));
  ASSERT_TRUE(env.accounts->DisableUser("disabled-probe"));
  ASSERT_TRUE(env.accounts->AddUser("nocode-probe", "PK-C", {model::Role::kAnalyst}, kPassword));
  const auto login = [&](const json& body) {
    auto res = env.Client().Post("/api/v1/auth/login", body.dump(), "application/json");
    EXPECT_TRUE(res);
    return res ? std::make_pair(res->status, res->body) : std::make_pair(0, std::string());
  };
  const auto wrong = login({{"username", "nocode-probe"}, {"password", "not the password!"}});
  const auto unknown = login({{"username", "no-such-user"}, {"password", kPassword}});
  const auto disabled = login({{"username", "disabled-probe"}, {"password", kPassword}});
  const auto disabled_wrong =
      login({{"username", "disabled-probe"}, {"password", "nope nope nope"}});
  const auto needs_code = login({{"username", "a-second"}, {"password", kPassword}});
  const auto bad_code =
      login({{"username", "a-second"}, {"password", kPassword}, {"totp", "000000"}});
  for (const auto& [status, body] :
       {wrong, unknown, disabled, disabled_wrong, needs_code, bad_code}) {
    EXPECT_EQ(status, 401) << body;
    EXPECT_EQ(body, wrong.second);
  }
  // The reason stays in the audit for the administrators.
  store::AuditQuery q;
  q.actor = "disabled-probe";
  q.action = "sign-in-failed";
  auto entries = env.store->ListAudit(q);
  ASSERT_TRUE(entries);
  ASSERT_FALSE(entries->empty());
  EXPECT_NE(entries->front().detail.find("disabled"), std::string::npos) << entries->front().detail;
}

// Issue 12 #9: login CSRF. A cross-site form cannot post JSON without a
// preflight, and a browser's Origin must be this server's own.
TEST(SecurityRulesTest, SignInTakesJsonFromThisOriginOrFromAScript) {
  Env& env = *Env::instance;
  ASSERT_TRUE(
      env.accounts->AddUser("origin-probe", "PK-C", {model::Role::kSiteSecurity}, kPassword));
  const json body = {{"username", "origin-probe"}, {"password", kPassword}};
  const std::string self = "127.0.0.1:" + std::to_string(env.server->port());
  const auto post = [&](const httplib::Headers& headers, const std::string& text,
                        const std::string& type) {
    auto res = env.Client().Post("/api/v1/auth/login", headers, text, type);
    EXPECT_TRUE(res);
    return res ? res->status : 0;
  };
  EXPECT_EQ(post({}, "username=origin-probe&password=x", "application/x-www-form-urlencoded"), 415);
  EXPECT_EQ(post({}, body.dump(), "text/plain"), 415);
  EXPECT_EQ(post({{"Origin", "https://evil.example"}}, body.dump(), "application/json"), 403);
  EXPECT_EQ(post({{"Origin", "null"}}, body.dump(), "application/json"), 403);
  EXPECT_EQ(post({{"Origin", "http://" + self + ".evil.example"}}, body.dump(), "application/json"),
            403);
  EXPECT_EQ(post({{"Origin", "http://" + self}}, body.dump(), "application/json; charset=utf-8"),
            200);
  EXPECT_EQ(post({}, body.dump(), "application/json"), 200);  // a script sends no Origin
}

TEST(SecurityRulesTest, SignInIsRateLimitedPerAccount) {
  Env& env = *Env::instance;
  ASSERT_TRUE(env.accounts->AddUser("rate-probe", "PK-C", {model::Role::kSiteSecurity}, kPassword));
  int last = 0;
  std::string message, retry_after;
  for (int i = 0; i < 7; ++i) {
    auto res =
        env.Client().Post("/api/v1/auth/login",
                          json{{"username", "rate-probe"}, {"password", "not the password"}}.dump(),
                          "application/json");
    ASSERT_TRUE(res);
    last = res->status;
    message = res->body;
    retry_after = res->get_header_value("Retry-After");
  }
  EXPECT_EQ(last, 429);
  EXPECT_NE(message.find("too many failed sign-ins for this account"), std::string::npos)
      << message;
  EXPECT_FALSE(retry_after.empty());
  // Even the right password waits now.
  auto right = env.Client().Post("/api/v1/auth/login",
                                 json{{"username", "rate-probe"}, {"password", kPassword}}.dump(),
                                 "application/json");
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 429);
  // Five failures and the first refusal are audited; the refusals after it are the same fact.
  store::AuditQuery failed;
  failed.actor = "rate-probe";
  failed.action = "sign-in-failed";
  const auto audited = env.store->ListAudit(failed);
  ASSERT_TRUE(audited);
  EXPECT_EQ(audited->size(), 6U);
}

TEST(SecurityRulesTest, SessionsExpireWhenIdleAndAbsolutely) {
  Env& env = *Env::instance;
  auth::SessionLimits limits;
  auth::Accounts accounts(*env.store, env.instance_keys, limits);
  std::int64_t clock = Now();
  accounts.SetClockForTesting([&] { return clock; });
  auto in = accounts.SignIn("a-admin", kPassword, "", "10.0.0.9");
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_TRUE(accounts.FromSession(in->cookie_value));
  clock += limits.idle_seconds - 10;
  EXPECT_TRUE(accounts.FromSession(in->cookie_value));  // refreshes the idle timer
  clock += limits.idle_seconds - 10;
  EXPECT_TRUE(accounts.FromSession(in->cookie_value));
  clock += limits.idle_seconds + 1;
  auto idle = accounts.FromSession(in->cookie_value);
  ASSERT_FALSE(idle);
  EXPECT_EQ(idle.error().kind, auth::AuthFailure::kExpired);
  // Absolute: active all along, still ends.
  auto again = accounts.SignIn("a-admin", kPassword, "", "10.0.0.9");
  ASSERT_TRUE(again);
  for (std::int64_t t = 0; t < limits.absolute_seconds; t += limits.idle_seconds / 2) {
    clock += limits.idle_seconds / 2;
    (void)accounts.FromSession(again->cookie_value);
  }
  clock += 60;
  auto absolute = accounts.FromSession(again->cookie_value);
  ASSERT_FALSE(absolute);
  EXPECT_EQ(absolute.error().kind, auth::AuthFailure::kExpired);
}

// A flood of sign-ins must not queue Argon2 checks (64 MiB each) behind one
// another: beyond the bound the answer is an immediate 429-class refusal that
// does not count as a failure of the account. Deterministic: the first
// sign-in is held inside its check (at the clock read that dates its session)
// while the others arrive.
TEST(SecurityRulesTest, SignInBeyondTheRunningPasswordChecksIsRefusedNotQueued) {
  Env& env = *Env::instance;
  auth::SessionLimits limits;
  limits.max_concurrent_password_checks = 1;
  auth::Accounts accounts(*env.store, env.instance_keys, limits);
  static thread_local bool held_thread = false;
  std::promise<void> inside;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  bool signalled = false;
  const std::int64_t now = Now();
  accounts.SetClockForTesting([&] {
    if (held_thread && !signalled) {
      signalled = true;
      inside.set_value();
      released.wait();
    }
    return now;
  });
  std::thread first([&] {
    held_thread = true;
    auto in = accounts.SignIn("a-admin", kPassword, "", "10.0.0.9");
    EXPECT_TRUE(in) << in.error().message;
  });
  inside.get_future().wait();
  for (int i = 0; i < 6; ++i) {  // more than the per-account failure limit (5)
    auto busy = accounts.SignIn("a-admin", kPassword, "", "10.0.0.10");
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().kind, auth::AuthFailure::kBusy);
    EXPECT_EQ(busy.error().retry_after, 1);
    EXPECT_NE(busy.error().message.find("sign-in is busy (1 password checks running)"),
              std::string::npos)
        << busy.error().message;
  }
  // An unknown account gets the same answer: busy tells nothing about accounts.
  auto unknown = accounts.SignIn("no-such-user", kPassword, "", "10.0.0.10");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message.find("sign-in is busy"), 0U) << unknown.error().message;
  release.set_value();
  first.join();
  // The slot is free again, and the refusals were not counted as failures.
  auto after = accounts.SignIn("a-admin", kPassword, "", "10.0.0.10");
  EXPECT_TRUE(after) << after.error().message;
}

TEST(SecurityRulesTest, LooseningNeedsASecondAnalystTighteningDoesNot) {
  Env& env = *Env::instance;
  json body = {
      {"date_start", "2031-03-01"}, {"headline", "two person probe"}, {"marking", "TLP:AMBER"}};
  auto filed = env.Post("a-analyst", "/api/v1/incidents", body);
  ASSERT_TRUE(filed);
  ASSERT_EQ(filed->status, 201) << filed->body;
  const std::string id = json::parse(filed->body)["id"];
  // Tightening applies at once.
  auto tighten = env.Post("a-analyst", "/api/v1/incidents/" + id + "/marking",
                          {{"marking", "TLP:RED"}, {"distribution", {{"users", {"a-second"}}}}});
  ASSERT_TRUE(tighten);
  EXPECT_EQ(tighten->status, 200) << tighten->body;
  // Loosening waits for a second analyst of PK-A.
  auto loosen =
      env.Post("a-analyst", "/api/v1/incidents/" + id + "/marking", {{"marking", "TLP:CLEAR"}});
  ASSERT_TRUE(loosen);
  ASSERT_EQ(loosen->status, 202) << loosen->body;
  const std::string request = json::parse(loosen->body)["request"]["id"];
  auto get = env.Get("a-analyst", "/api/v1/incidents/" + id);
  EXPECT_EQ(json::parse(get->body)["marking"], "TLP:RED");
  // Not by the requester, not by another organisation, not by a token.
  auto self =
      env.Post("a-analyst", "/api/v1/marking-requests/" + request + "/approve", json::object());
  EXPECT_EQ(self->status, 403) << self->body;
  auto other =
      env.Post("b-analyst", "/api/v1/marking-requests/" + request + "/approve", json::object());
  EXPECT_EQ(other->status, 404) << other->body;  // b-analyst cannot see the object at all
  auto token = env.Post("a-analyst/token", "/api/v1/marking-requests/" + request + "/approve",
                        json::object());
  EXPECT_EQ(token->status, 404) << token->body;  // a token never reads RED
  // The admin of PK-A sees the request but still not the object.
  auto listed = env.Get("a-admin", "/api/v1/marking-requests");
  ASSERT_TRUE(listed);
  EXPECT_NE(listed->body.find(request), std::string::npos) << listed->body;
  EXPECT_EQ(env.Get("a-admin", "/api/v1/incidents/" + id)->status, 404);
  auto approved =
      env.Post("a-second", "/api/v1/marking-requests/" + request + "/approve", json::object());
  ASSERT_TRUE(approved);
  EXPECT_EQ(approved->status, 200) << approved->body;
  get = env.Get("c-committee", "/api/v1/incidents/" + id);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(json::parse(get->body)["marking"], "TLP:CLEAR");
  auto twice =
      env.Post("a-second", "/api/v1/marking-requests/" + request + "/approve", json::object());
  EXPECT_EQ(twice->status, 409);
  // An admin of the author's organisation may be the second person, deciding on the request.
  auto again = env.Post("a-analyst", "/api/v1/incidents/" + id + "/marking",
                        {{"marking", "TLP:AMBER"}});  // CLEAR -> AMBER: a tightening
  ASSERT_EQ(again->status, 200) << again->body;
  auto loosen2 =
      env.Post("a-analyst", "/api/v1/incidents/" + id + "/marking",
               {{"marking", "TLP:GREEN"}, {"distribution", {{"trust_group", "bilateral"}}}});
  ASSERT_EQ(loosen2->status, 202) << loosen2->body;
  const std::string request2 = json::parse(loosen2->body)["request"]["id"];
  auto by_admin =
      env.Post("a-admin", "/api/v1/marking-requests/" + request2 + "/approve", json::object());
  EXPECT_EQ(by_admin->status, 200) << by_admin->body;
}

// Issue 12 #1: an approval applies only while the object is still marked as
// the request's `from` (compare-and-set); any change cancels pending requests.
std::string FileAmber(Env& env, const std::string& headline, const std::string& marking) {
  json body = {{"date_start", "2031-04-01"}, {"headline", headline}, {"marking", marking}};
  auto filed = env.Post("a-analyst", "/api/v1/incidents", body);
  EXPECT_TRUE(filed && filed->status == 201) << (filed ? filed->body : "no answer");
  return filed && filed->status == 201 ? json::parse(filed->body)["id"].get<std::string>() : "";
}

std::string AskToLoosen(Env& env, const std::string& id, const json& to) {
  auto loosen = env.Post("a-analyst", "/api/v1/incidents/" + id + "/marking", to);
  EXPECT_TRUE(loosen && loosen->status == 202) << (loosen ? loosen->body : "no answer");
  return loosen && loosen->status == 202
             ? json::parse(loosen->body)["request"]["id"].get<std::string>()
             : "";
}

std::string MarkingOf(Env& env, const std::string& id) {
  auto stored = env.store->GetIncident(store::SystemViewer(), *Uuid::Parse(id));
  return stored ? std::string(model::TlpName(stored->marking.tlp)) : "missing";
}

TEST(SecurityRulesTest, AStaleApprovalOfALooseningIsCancelledNotApplied) {
  Env& env = *Env::instance;
  // AMBER -> GREEN asked; the object is tightened to RED; the approval must not apply.
  const std::string id = FileAmber(env, "stale approval probe", "TLP:AMBER");
  const std::string request = AskToLoosen(
      env, id, {{"marking", "TLP:GREEN"}, {"distribution", {{"trust_group", "bilateral"}}}});
  auto tighten = env.Post("a-analyst", "/api/v1/incidents/" + id + "/marking",
                          {{"marking", "TLP:RED"}, {"distribution", {{"users", {"a-second"}}}}});
  ASSERT_EQ(tighten->status, 200) << tighten->body;
  auto approve =
      env.Post("a-second", "/api/v1/marking-requests/" + request + "/approve", json::object());
  EXPECT_EQ(approve->status, 409) << approve->body;
  EXPECT_EQ(MarkingOf(env, id), "TLP:RED");
  auto stored = env.store->GetMarkingRequest(request);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, "cancelled");
  // The cancellation is audited, naming the request; the tightening records from and to.
  store::AuditQuery q;
  q.object = id;
  q.action = "marking-request-cancel";
  auto cancelled = env.store->ListAudit(q);
  ASSERT_TRUE(cancelled);
  ASSERT_EQ(cancelled->size(), 1u);
  EXPECT_NE(cancelled->front().detail.find(request), std::string::npos);
  q.action = "marking";
  auto marking = env.store->ListAudit(q);
  ASSERT_TRUE(marking && !marking->empty());
  const json detail = json::parse(marking->back().detail);
  EXPECT_EQ(detail["from"]["marking"], "TLP:AMBER");
  EXPECT_EQ(detail["to"]["marking"], "TLP:RED");
  EXPECT_EQ(detail["to"]["distribution"]["users"], json::array({"a-second"}));
}

TEST(SecurityRulesTest, AnApprovalAppliesOnlyToTheExactMarkingItWasAskedFrom) {
  Env& env = *Env::instance;
  // AMBER+STRICT -> CLEAR asked; the distribution alone changes by another
  // path (the store, as sync or a later edit would): the approval is cancelled.
  const std::string id = FileAmber(env, "strict probe", "TLP:AMBER+STRICT");
  const std::string request = AskToLoosen(env, id, {{"marking", "TLP:CLEAR"}});
  auto held = env.store->GetIncident(store::SystemViewer(), *Uuid::Parse(id));
  ASSERT_TRUE(held);
  model::Marking moved = held->marking;
  moved.distribution.users = {"a-second"};
  // A write decided on a marking that has since moved is refused and writes nothing.
  model::Marking stale = held->marking;
  stale.tlp = model::Tlp::kGreen;
  auto refused = env.store->SetMarking(held->id, moved, stale);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(MarkingOf(env, id), "TLP:AMBER+STRICT");
  auto voided = env.store->SetMarking(held->id, moved, held->marking);
  ASSERT_TRUE(voided);
  EXPECT_EQ(*voided, std::vector<std::string>{request});
  auto approve =
      env.Post("a-second", "/api/v1/marking-requests/" + request + "/approve", json::object());
  EXPECT_EQ(approve->status, 409) << approve->body;
  EXPECT_EQ(MarkingOf(env, id), "TLP:AMBER+STRICT");

  // Two requests from the same marking: approving one cancels the other.
  const std::string id2 = FileAmber(env, "two requests probe", "TLP:AMBER");
  const std::string to_green = AskToLoosen(
      env, id2, {{"marking", "TLP:GREEN"}, {"distribution", {{"trust_group", "bilateral"}}}});
  const std::string to_clear = AskToLoosen(env, id2, {{"marking", "TLP:CLEAR"}});
  auto first =
      env.Post("a-second", "/api/v1/marking-requests/" + to_green + "/approve", json::object());
  EXPECT_EQ(first->status, 200) << first->body;
  auto second =
      env.Post("a-second", "/api/v1/marking-requests/" + to_clear + "/approve", json::object());
  EXPECT_EQ(second->status, 409) << second->body;
  EXPECT_EQ(MarkingOf(env, id2), "TLP:GREEN");
  EXPECT_EQ(env.store->GetMarkingRequest(to_clear)->status, "cancelled");
  auto listed = env.Get("a-admin", "/api/v1/marking-requests?status=cancelled");
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_NE(listed->body.find(to_clear), std::string::npos);
}

TEST(SecurityRulesTest, ApprovalRacingATighteningNeverEndsLooser) {
  Env& env = *Env::instance;
  // Whatever the order, a tightening to RED racing an AMBER -> CLEAR approval
  // ends RED: either the approval came first and RED followed, or it was cancelled.
  for (int round = 0; round < 8; ++round) {
    const std::string id = FileAmber(env, "race probe " + std::to_string(round), "TLP:AMBER");
    const std::string request = AskToLoosen(env, id, {{"marking", "TLP:CLEAR"}});
    std::thread approver([&] {
      (void)env.Post("a-second", "/api/v1/marking-requests/" + request + "/approve",
                     json::object());
    });
    auto tighten = env.Post("a-analyst", "/api/v1/incidents/" + id + "/marking",
                            {{"marking", "TLP:RED"}, {"distribution", {{"users", {"a-second"}}}}});
    approver.join();
    // Each write is a compare-and-set on the marking it was decided on: either
    // the tightening applied (RED, the approval came first or was cancelled), or
    // it found the approved marking and was refused (409) to be decided again.
    const auto status = env.store->GetMarkingRequest(request)->status;
    if (tighten->status == 200) {
      EXPECT_EQ(MarkingOf(env, id), "TLP:RED") << "round " << round;
      EXPECT_TRUE(status == "approved" || status == "cancelled") << status;
    } else {
      EXPECT_EQ(tighten->status, 409) << tighten->body;
      EXPECT_EQ(status, "approved");
      EXPECT_EQ(MarkingOf(env, id), "TLP:CLEAR") << "round " << round;
    }
  }
}

TEST(SecurityRulesTest, NoSecretIsStoredInPlaintext) {
  Env& env = *Env::instance;
  // Everything the store file holds, as bytes (the WAL too).
  std::string bytes;
  for (const auto& f : {env.db, env.db + "-wal"}) {
    if (fs::exists(f)) bytes += testing::ReadFile(f);
  }
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.find(kPassword), std::string::npos) << "a password in the store";
  for (const auto& [user, secret] : env.totp) {
    if (!secret.empty()) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << "TOTP seed of " << user;
    }
  }
  for (const auto& [user, token] : env.tokens) {
    EXPECT_EQ(bytes.find(token), std::string::npos) << "token of " << user;
  }
  for (const auto& [user, c] : env.creds) {
    if (!c.cookie.empty()) {
      EXPECT_EQ(bytes.find(c.cookie), std::string::npos) << "session of " << user;
    }
  }
  auto user = env.store->GetUser("a-analyst");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->password_hash.rfind("$argon2id$", 0), 0u);
}

TEST(SecurityRulesTest, MarkedReadsSearchesAndExportsAreAudited) {
  Env& env = *Env::instance;
  const Report& red = ReportNamed("red");
  auto before = env.store->ListAudit({});
  ASSERT_TRUE(before);
  auto res = env.Get("a-second", "/api/v1/incidents/" + red.id);
  ASSERT_EQ(res->status, 200);
  store::AuditQuery q;
  q.object = red.id;
  q.action = "read";
  q.actor = "a-second";
  auto reads = env.store->ListAudit(q);
  ASSERT_TRUE(reads);
  EXPECT_FALSE(reads->empty());
  (void)env.Get("a-second", "/api/v1/incidents?text=zqxgreen");
  (void)env.Get("a-second", "/api/v1/incidents.geojson?from=2031-01-01&to=2031-01-31");
  for (const char* action : {"search", "export", "sign-in", "write"}) {
    store::AuditQuery a;
    a.action = action;
    auto found = env.store->ListAudit(a);
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->empty()) << action;
  }
  // A CLEAR read is not an audited read.
  const Report& clear = ReportNamed("clear");
  (void)env.Get("a-second", "/api/v1/incidents/" + clear.id);
  store::AuditQuery c;
  c.object = clear.id;
  c.action = "read";
  EXPECT_TRUE(env.store->ListAudit(c)->empty());
  auto verify = env.audit->Verify(std::nullopt);
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->ok) << verify->problem;
}

// `corridor query` is the service's export (issue 18): decided and audited as
// the API's are, by the token's user, before a byte is printed.
TEST(SecurityRulesTest, TheCliExportIsAuditedLikeTheApis) {
  Env& env = *Env::instance;
  const Report& amber = ReportNamed("amber");  // a token sees AMBER, not RED
  const auto run = [&](const std::string& user, const std::string& args) {
    return testing::RunCommand("CORRIDOR_TOKEN='" + env.tokens.at(user) + "' " +
                               (testing::BuildDir() / "corridor").string() + " --db '" + env.db +
                               "' query " + args);
  };
  auto before = env.store->ListAudit({});
  ASSERT_TRUE(before);
  const auto shown = run("a-second", "--format json --from " + amber.date + " --to " + amber.date);
  ASSERT_EQ(shown.status, 0) << shown.err;
  EXPECT_NE(shown.out.find(amber.id), std::string::npos) << shown.out;
  auto after = env.store->ListAudit({});
  ASSERT_TRUE(after);
  ASSERT_GT(after->size(), before->size());
  bool exported = false, read = false;
  for (std::size_t k = before->size(); k < after->size(); ++k) {
    const auto& e = (*after)[k];
    const auto detail = json::parse(e.detail, nullptr, /*allow_exceptions=*/false);
    if (e.actor != "a-second" || !detail.is_object() || detail.value("route", "") != "cli query")
      continue;
    if (e.action == "export") {
      exported = detail.value("format", "") == "json" && detail.value("count", 0) >= 1;
    }
    if (e.action == "read") {
      read = std::find(e.objects.begin(), e.objects.end(), amber.id) != e.objects.end();
    }
  }
  EXPECT_TRUE(exported) << "no export entry of route \"cli query\"";
  EXPECT_TRUE(read) << "the AMBER report was printed without an audited read";
  // A site-security manager may not export: gets nothing printed, not an empty document.
  const auto site = run("a-site", "--format json --from " + amber.date + " --to " + amber.date);
  EXPECT_NE(site.status, 0);
  EXPECT_EQ(site.out, "");
  EXPECT_NE(site.err.find("not allowed"), std::string::npos) << site.err;
}

TEST(SecurityRulesTest, WhenTheAuditAppendFailsTheRequestFails) {
  Env& env = *Env::instance;
  auto* sqlite = dynamic_cast<store::SqliteStore*>(env.store.get());
  ASSERT_NE(sqlite, nullptr);
  const Report& red = ReportNamed("red");
  sqlite->SetAuditFaultForTesting(true);
  auto res = env.Get("a-second", "/api/v1/incidents/" + red.id);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503) << res->body;
  EXPECT_EQ(res->body.find(red.word), std::string::npos) << "the marked report was served";
  auto search = env.Get("a-second", "/api/v1/incidents?text=zqxclear");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 503) << "a search must be audited";
  auto filed = env.Post("a-analyst", "/api/v1/incidents",
                        {{"date_start", "2031-04-01"}, {"headline", "unaudited write"}});
  ASSERT_TRUE(filed);
  EXPECT_EQ(filed->status, 503) << filed->body;
  {
    model::IncidentFilter f;
    f.text = "unaudited";
    EXPECT_EQ(*env.store->CountIncidents(store::SystemViewer(), f), 0)
        << "an unaudited write happened";
  }
  // A CLEAR read needs no audit entry and is served.
  auto clear = env.Get("a-second", "/api/v1/incidents/" + ReportNamed("clear").id);
  EXPECT_EQ(clear->status, 200);
  sqlite->SetAuditFaultForTesting(false);
  res = env.Get("a-second", "/api/v1/incidents/" + red.id);
  EXPECT_EQ(res->status, 200) << res->body;
}

}  // namespace
}  // namespace corridor

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  corridor::Env::instance = new corridor::Env();
  ::testing::AddGlobalTestEnvironment(corridor::Env::instance);
  return RUN_ALL_TESTS();
}
