// Site alerts through a real server on loopback (issue 4 section 5,
// docs/security.md "Alerts"): a signed-in site-security user subscribes to a
// site; a manual report filed near it through the API, and an ingest run by
// the real `corridor` binary in another process, each produce an alert within
// one second of the commit; a user of another organisation is never alerted
// about the marked report.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "corridor/api/api.h"
#include "corridor/auth/accounts.h"
#include "corridor/auth/audit_log.h"
#include "corridor/auth/crypto.h"
#include "corridor/server/server.h"
#include "testing/testing.h"

namespace corridor {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "correct horse battery staple";

struct Session {
  std::string cookie, csrf;
};

class AlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "alerts.db").string();
    auto store = store::OpenStore(db_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(auth::InitCrypto());
    auto keys = auth::LoadOrCreateInstanceKeys(db_ + ".keys");
    ASSERT_TRUE(keys) << keys.error().message;
    keys_ = std::move(*keys);
    accounts_ = std::make_unique<auth::Accounts>(*store_, keys_);
    audit_ = std::make_unique<auth::AuditLog>(*store_, keys_);
    ASSERT_TRUE(accounts_->AddOrganisation("PK-A", {"bilateral"}, true));
    ASSERT_TRUE(accounts_->AddOrganisation("PK-B", {"bilateral"}, false));
    for (const auto& [name, org, role] : {std::tuple{"guard-a", "PK-A", model::Role::kSiteSecurity},
                                          std::tuple{"guard-b", "PK-B", model::Role::kSiteSecurity},
                                          std::tuple{"analyst-a", "PK-A", model::Role::kAnalyst}}) {
      auto added = accounts_->AddUser(name, org, {role}, kPassword);
      ASSERT_TRUE(added) << added.error().message;
      totp_[name] = added->totp_secret;
    }
    // A port footprint (polygon) at Gwadar and a point site at Hyderabad,
    // where the first row of the real UCDP file lies.
    model::Site port;
    port.id = *Uuid::Parse("5f0c2c7e-1f7a-4d0b-9a53-3c7a0b0c0001");
    port.name = "Gwadar port";
    port.geometry =
        R"({"type":"Polygon","coordinates":[[[62.30,25.10],[62.36,25.10],[62.36,25.14],[62.30,25.14],[62.30,25.10]]]})";
    port.latitude = 25.12;
    port.longitude = 62.33;
    model::Site plant = port;
    plant.id = *Uuid::Parse("5f0c2c7e-1f7a-4d0b-9a53-3c7a0b0c0002");
    plant.name = "Hyderabad plant";
    plant.geometry = R"({"type":"Point","coordinates":[68.37,25.38]})";
    plant.latitude = 25.38;
    plant.longitude = 68.37;
    const model::Site sites[] = {port, plant};
    ASSERT_TRUE(store_->UpsertSites(sites));
    port_ = port.id.str();
    plant_ = plant.id.str();

    api_ = std::make_unique<api::Api>(*store_, *accounts_, *audit_);
    server::ServerOptions options;
    options.port = 0;
    options.access_log = false;
    server_ = std::make_unique<server::Server>(api_->routes(), options);
    ASSERT_TRUE(server_->Bind());
    thread_ = std::thread([this] { (void)server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(30, 0);
    return c;
  }

  Session SignIn(const std::string& user) {
    json body = {{"username", user}, {"password", kPassword}};
    if (!totp_[user].empty()) {
      const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
      body["totp"] = *auth::TotpCode(totp_[user], now);
    }
    auto res = Client().Post("/api/v1/auth/login", body.dump(), "application/json");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    if (!res || res->status != 200) return {};
    Session s;
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    const auto start = set_cookie.find('=') + 1;
    s.cookie = set_cookie.substr(start, set_cookie.find(';') - start);
    s.csrf = json::parse(res->body)["csrf_token"];
    return s;
  }

  static httplib::Headers Headers(const Session& s) {
    return {{"Cookie", "corridor_session=" + s.cookie}, {"X-CSRF-Token", s.csrf}};
  }

  json Alerts(const Session& s, const std::string& query = "") {
    auto res = Client().Get("/api/v1/alerts" + query, Headers(s));
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    return res && res->status == 200 ? json::parse(res->body) : json::object();
  }

  // Polls GET /api/v1/alerts until an alert about `incident` shows up or
  // `limit` passes; returns the time it took, or nullopt.
  std::optional<double> WaitForAlert(const Session& s, const std::string& incident,
                                     Clock::time_point since, std::chrono::milliseconds limit) {
    while (Clock::now() - since < limit) {
      const json listed = Alerts(s);
      for (const auto& a : listed["alerts"]) {
        if (a["incident"]["id"] == incident) {
          return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return std::nullopt;
  }

  void Subscribe(const Session& s, const std::string& site, double km) {
    auto res = Client().Post("/api/v1/sites/" + site + "/subscription", Headers(s),
                             json{{"radius_km", km}}.dump(), "application/json");
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    EXPECT_EQ(json::parse(res->body)["radius_km"], km);
  }

  testing::TempDir dir_;
  std::string db_, port_, plant_;
  std::unique_ptr<store::Store> store_;
  auth::InstanceKeys keys_;
  std::unique_ptr<auth::Accounts> accounts_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<api::Api> api_;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  std::map<std::string, std::string> totp_;
};

TEST_F(AlertsTest, AnAlertAppearsForAReportFiledNearASite) {
  const Session guard_a = SignIn("guard-a"), guard_b = SignIn("guard-b");
  const Session analyst = SignIn("analyst-a");
  Subscribe(guard_a, port_, 15);
  Subscribe(guard_b, port_, 15);
  auto subs = Client().Get("/api/v1/subscriptions", Headers(guard_a));
  ASSERT_TRUE(subs && subs->status == 200);
  EXPECT_EQ(json::parse(subs->body)["subscriptions"][0]["site_name"], "Gwadar port");
  // Analysts may not subscribe (site-security's action).
  auto denied = Client().Post("/api/v1/sites/" + port_ + "/subscription", Headers(analyst),
                              json{{"radius_km", 5}}.dump(), "application/json");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);

  // An AMBER report of PK-A about 8 km east of the port's footprint.
  const json report = {{"date_start", "2024-05-01"},
                       {"headline", "Attack on a convoy near the port road"},
                       {"latitude", 25.12},
                       {"longitude", 62.44},
                       {"killed", 2},
                       {"marking", "TLP:AMBER"}};
  const auto start = Clock::now();
  auto filed =
      Client().Post("/api/v1/incidents", Headers(analyst), report.dump(), "application/json");
  const auto committed = Clock::now();
  ASSERT_TRUE(filed && filed->status == 201) << (filed ? filed->body : "no response");
  const std::string id = json::parse(filed->body)["id"];
  auto latency = WaitForAlert(guard_a, id, committed, std::chrono::milliseconds(1000));
  ASSERT_TRUE(latency.has_value()) << "no alert within 1 s of the commit";
  const double since_request =
      std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  std::cout << "alert latency: " << *latency << " ms after the report's response, " << since_request
            << " ms after the request was sent\n";
  EXPECT_LT(*latency, 1000);

  const json mine = Alerts(guard_a);
  ASSERT_EQ(mine["alerts"].size(), 1u);
  EXPECT_EQ(mine["unread"], 1);
  const json& alert = mine["alerts"][0];
  EXPECT_EQ(alert["site"], port_);
  EXPECT_NEAR(alert["distance_km"].get<double>(), 8.1, 0.3);
  EXPECT_TRUE(alert["read"].is_null());
  EXPECT_EQ(alert["incident"]["marking"], "TLP:AMBER");

  // PK-B's guard subscribes to the same site but may not see PK-A's AMBER
  // report: no alert, no count, and its id answers 404.
  const json theirs = Alerts(guard_b);
  EXPECT_TRUE(theirs["alerts"].empty());
  EXPECT_EQ(theirs["unread"], 0);
  const std::string alert_id = alert["id"];
  auto probe = Client().Post("/api/v1/alerts/" + alert_id + "/read", Headers(guard_b), "",
                             "application/json");
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->status, 404);

  // Read: it stays listed, after unread ones, with the time it was read.
  auto read = Client().Post("/api/v1/alerts/" + alert_id + "/read", Headers(guard_a), "",
                            "application/json");
  ASSERT_TRUE(read && read->status == 200) << (read ? read->body : "");
  EXPECT_FALSE(json::parse(read->body)["read"].is_null());
  EXPECT_EQ(Alerts(guard_a)["unread"], 0);
  EXPECT_TRUE(Alerts(guard_a, "?unread=true")["alerts"].empty());

  // The marked alert read was audited.
  auto audit = store_->ListAudit({"guard-a", "", "", "", "", 0});
  ASSERT_TRUE(audit);
  bool audited = false;
  for (const auto& e : *audit) {
    for (const auto& o : e.objects) audited |= o == id;
  }
  EXPECT_TRUE(audited);

  // Unsubscribed: a second report brings no new alert.
  auto gone = Client().Delete("/api/v1/sites/" + port_ + "/subscription", Headers(guard_a));
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 204);
  auto again =
      Client().Post("/api/v1/incidents", Headers(analyst), report.dump(), "application/json");
  ASSERT_TRUE(again && again->status == 201);
  EXPECT_EQ(Alerts(guard_a)["alerts"].size(), 1u);
}

TEST_F(AlertsTest, AnAlertAppearsForAnIngestInAnotherProcess) {
  const Session guard = SignIn("guard-a");
  Subscribe(guard, plant_, 5);
  // The first five rows of the real UCDP file; the first is at Hyderabad.
  std::ifstream in(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv"));
  ASSERT_TRUE(in) << "the shared UCDP file is missing";
  const auto csv = dir_.path() / "five.csv";
  {
    std::ofstream out(csv);
    std::string line;
    for (int i = 0; i < 6 && std::getline(in, line); ++i) out << line << "\n";
  }
  const std::string command = (testing::BuildDir() / "corridor").string() + " --db " + db_ +
                              " ingest --format ucdp-ged " + csv.string();
  const auto r = testing::RunCommand(command);
  const auto committed = Clock::now();
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  // UCDP's id 51720 as the store names it.
  const std::string id =
      Uuid::V5(*Uuid::Parse("df6f8122-7505-4d08-a054-498be83c5fcb"), "ucdp-ged:51720").str();
  auto latency = WaitForAlert(guard, id, committed, std::chrono::milliseconds(1000));
  ASSERT_TRUE(latency.has_value()) << "no alert within 1 s of the ingest's commit";
  std::cout << "ingest alert latency: " << *latency << " ms after the ingest process exited\n";
  const json mine = Alerts(guard);
  EXPECT_EQ(mine["alerts"][0]["site_name"], "Hyderabad plant");
  EXPECT_EQ(mine["alerts"][0]["incident"]["marking"], "TLP:CLEAR");
}

// /auth/me lists what the user's roles grant without an object (issue 17
// item 7: the web application shows only the screens a role can use).
TEST_F(AlertsTest, MeListsWhatTheRolesMay) {
  const auto may = [&](const std::string& user) {
    const Session s = SignIn(user);
    auto res = Client().Get("/api/v1/auth/me", Headers(s));
    EXPECT_TRUE(res && res->status == 200);
    std::set<std::string> out;
    if (res && res->status == 200) {
      const json me = json::parse(res->body);
      for (const auto& a : me["may"]) out.insert(a.get<std::string>());
    }
    return out;
  };
  const auto guard = may("guard-a");
  const auto analyst = may("analyst-a");
  EXPECT_EQ(guard,
            (std::set<std::string>{"read", "read-sites", "manage-sites", "subscribe-alerts"}));
  EXPECT_EQ(analyst, (std::set<std::string>{"read", "create-incident", "search", "export",
                                            "read-sites", "read-committee", "link-incidents"}));
}

}  // namespace
}  // namespace corridor
