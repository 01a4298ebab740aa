// `corridor audit verify|head|list` on a real store file, tampered with by
// hand through sqlite3 the way an insider with the file would: each kind of
// tampering is caught and the first bad entry named.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "testing/testing.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;

std::string Bin() { return (testing::BuildDir() / "corridor").string(); }
std::string Q(const fs::path& p) { return "'" + p.string() + "'"; }

testing::CommandResult Corridor(const fs::path& db, const std::string& args) {
  return RunCommand(Bin() + " --db " + Q(db) + " " + args);
}

void Sql(const fs::path& db, const std::string& sql) {
  const auto r = RunCommand("sqlite3 " + Q(db) + " \"" + sql + "\"");
  ASSERT_EQ(r.status, 0) << sql << ": " << r.err;
}

// A store whose audit log has 8 entries from real administration commands,
// and a checkpoint of its head written to `anchor`.
class AuditCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() / "audit.db";
    ASSERT_EQ(Corridor(db_, "init").status, 0);
    ASSERT_EQ(Corridor(db_, "orgs add PK-A --own --trust-group bilateral").status, 0);
    ASSERT_EQ(Corridor(db_, "orgs add PK-B --trust-group bilateral").status, 0);
    for (int i = 0; i < 3; ++i) {
      const auto r =
          RunCommand("echo 'a long enough password' | " + Bin() + " --db " + Q(db_) +
                     " users add site" + std::to_string(i) + " --org PK-A --role site-security");
      ASSERT_EQ(r.status, 0) << r.err;
      ASSERT_EQ(Corridor(db_, "tokens create site" + std::to_string(i)).status, 0);
    }
    const auto head = Corridor(db_, "audit head");
    ASSERT_EQ(head.status, 0) << head.err;
    anchor_ = dir_.path() / "anchor.json";
    testing::WriteFile(anchor_, head.out);
    const auto checkpoint = nlohmann::json::parse(head.out);
    ASSERT_EQ(checkpoint["count"], 8);
    const auto ok = Corridor(db_, "audit verify --anchor " + Q(anchor_));
    ASSERT_EQ(ok.status, 0) << ok.err;
    EXPECT_NE(ok.out.find("intact: 8 entries"), std::string::npos) << ok.out;
  }

  // Runs verify and returns its JSON report (exit status checked against ok).
  nlohmann::json Verify(bool with_anchor) {
    const auto r = Corridor(
        db_, std::string("--json audit verify") + (with_anchor ? " --anchor " + Q(anchor_) : ""));
    auto report = nlohmann::json::parse(r.out);
    EXPECT_EQ(r.status == 0, report["ok"].get<bool>()) << r.out << r.err;
    return report;
  }

  testing::TempDir dir_;
  fs::path db_;
  fs::path anchor_;
};

TEST_F(AuditCliTest, AnEditedEntryIsNamed) {
  Sql(db_,
      "UPDATE audit_log SET detail = '{\\\"added_user\\\":\\\"somebody-else\\\"}' WHERE seq = 5");
  const auto report = Verify(false);
  EXPECT_FALSE(report["ok"]);
  EXPECT_EQ(report["first_bad_seq"], 5);
}

TEST_F(AuditCliTest, AnEditedAndRehashedEntryIsNamed) {
  // The insider recomputes the hash of the edited entry: the next entry's link breaks.
  Sql(db_, "UPDATE audit_log SET actor = 'someone', hash = '" + std::string(64, 'a') +
               "' WHERE seq = 5");
  const auto report = Verify(false);
  EXPECT_FALSE(report["ok"]);
  EXPECT_EQ(report["first_bad_seq"], 5);
}

TEST_F(AuditCliTest, ADeletedEntryIsNamed) {
  Sql(db_, "DELETE FROM audit_log WHERE seq = 7");
  const auto report = Verify(false);
  EXPECT_FALSE(report["ok"]);
  EXPECT_EQ(report["first_bad_seq"], 7);
}

TEST_F(AuditCliTest, AnInsertedEntryIsNamed) {
  // Make room at seq 4 and insert a copy of entry 3 there.
  Sql(db_,
      "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 4; "
      "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1004; "
      "INSERT INTO audit_log SELECT 4, time, actor, action, objects, detail, prev_hash, hash "
      "FROM audit_log WHERE seq = 3;");
  const auto report = Verify(false);
  EXPECT_FALSE(report["ok"]);
  EXPECT_EQ(report["first_bad_seq"], 4);
}

TEST_F(AuditCliTest, SwappedEntriesAreNamed) {
  Sql(db_,
      "UPDATE audit_log SET seq = -6 WHERE seq = 6; UPDATE audit_log SET seq = 6 WHERE seq = 8; "
      "UPDATE audit_log SET seq = 8 WHERE seq = -6;");
  const auto report = Verify(false);
  EXPECT_FALSE(report["ok"]);
  EXPECT_EQ(report["first_bad_seq"], 6);
}

TEST_F(AuditCliTest, ACutTailIsCaughtByTheCheckpointAndByTheAnchor) {
  Sql(db_, "DELETE FROM audit_log WHERE seq > 6");
  auto report = Verify(false);
  EXPECT_FALSE(report["ok"]) << "the stored checkpoint of 8 entries catches it";
  // The insider removes the stored checkpoints too: the anchor kept elsewhere still catches it.
  Sql(db_, "DELETE FROM audit_checkpoints");
  report = Verify(false);
  EXPECT_TRUE(report["ok"]) << "without an anchor a cut tail of an unsigned log is invisible";
  report = Verify(true);
  EXPECT_FALSE(report["ok"]);
  EXPECT_NE(report["problem"].get<std::string>().find("8"), std::string::npos) << report;
}

TEST_F(AuditCliTest, ListFiltersByUserActionAndObject) {
  const auto all = Corridor(db_, "--json audit list");
  ASSERT_EQ(all.status, 0) << all.err;
  EXPECT_EQ(nlohmann::json::parse(all.out).size(), 8u);
  const auto admin =
      Corridor(db_, "--json audit list --action admin --user cli-operator --limit 3");
  ASSERT_EQ(admin.status, 0);
  EXPECT_EQ(nlohmann::json::parse(admin.out).size(), 3u);
  const auto none = Corridor(db_, "--json audit list --action sign-in");
  EXPECT_EQ(nlohmann::json::parse(none.out).size(), 0u);
}

TEST_F(AuditCliTest, NoPasswordOnTheCommandLineAndTokensPrintedOnce) {
  const auto r = RunCommand("echo 'Xq7-pw' | " + Bin() + " --db " + Q(db_) +
                            " users add weak --org PK-A --role analyst");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("12"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Xq7-pw"), std::string::npos) << "the error repeats the password";
  const auto analyst = RunCommand("echo 'a long enough password' | " + Bin() + " --db " + Q(db_) +
                                  " users add ana --org PK-A --role analyst");
  ASSERT_EQ(analyst.status, 0) << analyst.err;
  EXPECT_NE(analyst.out.find("otpauth://totp/"), std::string::npos) << "analysts enrol TOTP";
  const auto token = Corridor(db_, "tokens create ana --label script");
  ASSERT_EQ(token.status, 0);
  const std::string last_line = token.out.substr(token.out.rfind('\n', token.out.size() - 2) + 1);
  EXPECT_EQ(last_line.rfind("crd_", 0), 0u) << token.out;
  const auto list = Corridor(db_, "tokens list");
  EXPECT_EQ(list.out.find(last_line.substr(0, 20)), std::string::npos) << "a secret in tokens list";
}

// `corridor users roles` at the instance: a site-security account becomes an
// analyst, and the second factor its new roles need is enrolled and printed
// once; the change is in the audit log with the roles before and after.
TEST_F(AuditCliTest, RolesChangeAtTheInstanceEnrolTheSecondFactor) {
  const auto changed = Corridor(db_, "--json users roles site0 --role analyst --role committee");
  ASSERT_EQ(changed.status, 0) << changed.err;
  const auto user = nlohmann::json::parse(changed.out);
  EXPECT_EQ(user["roles"], nlohmann::json({"analyst", "committee"}));
  EXPECT_EQ(user["totp_uri"].get<std::string>().rfind("otpauth://totp/", 0), 0u) << changed.out;
  const auto again = Corridor(db_, "users roles site0 --role analyst");
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(again.out.find("otpauth://"), std::string::npos) << "enrolled twice: " << again.out;
  const auto bad = Corridor(db_, "users roles site1 --role admin --role analyst");
  EXPECT_EQ(bad.status, 2) << bad.out;  // a bad argument (cli/report.h)
  EXPECT_NE(bad.err.find("/roles: admin cannot be combined"), std::string::npos) << bad.err;
  const auto log = Corridor(db_, "--json audit list --action admin");
  ASSERT_EQ(log.status, 0) << log.err;
  int changes = 0;
  for (const auto& e : nlohmann::json::parse(log.out)) {
    if (e["detail"].contains("changed_roles")) ++changes;
  }
  EXPECT_EQ(changes, 2) << log.out;
  EXPECT_EQ(Verify(true)["ok"], true);
}

}  // namespace
}  // namespace corridor

namespace corridor {
namespace {

// `corridor serve --tls-cert --tls-key` on a self-signed certificate made
// with openssl: HTTPS answers, the session cookie is Secure, plain HTTP on
// the same port does not get through.
TEST(ServeTlsTest, ServesHttpsAndMarksTheCookieSecure) {
  testing::TempDir dir;
  const fs::path db = dir.path() / "tls.db";
  const fs::path cert = dir.path() / "cert.pem";
  const fs::path key = dir.path() / "key.pem";
  const auto made = RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + Q(key) +
                               " -out " + Q(cert) + " -days 1 -subj /CN=localhost 2>&1");
  ASSERT_EQ(made.status, 0) << made.out;
  ASSERT_EQ(Corridor(db, "init").status, 0);
  ASSERT_EQ(Corridor(db, "orgs add PK-A --own").status, 0);
  ASSERT_EQ(RunCommand("echo 'a long enough password' | " + Bin() + " --db " + Q(db) +
                       " users add guard --org PK-A --role site-security")
                .status,
            0);
  const fs::path log = dir.path() / "serve.log";
  const auto started =
      RunCommand(Bin() + " --db " + Q(db) + " serve --listen 127.0.0.1:0 --tls-cert " + Q(cert) +
                 " --tls-key " + Q(key) + " > " + Q(log) + " 2>&1 & echo $!");
  const std::string pid(started.out.substr(0, started.out.find('\n')));
  std::string port;
  for (int i = 0; i < 200 && port.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string text = fs::exists(log) ? testing::ReadFile(log) : "";
    const auto at = text.find("https://127.0.0.1:");
    if (at != std::string::npos) {
      port = text.substr(at + 18, text.find('/', at + 18) - (at + 18));
    }
  }
  ASSERT_FALSE(port.empty()) << (fs::exists(log) ? testing::ReadFile(log) : "no log");
  const std::string url = "https://127.0.0.1:" + port;
  const auto health = RunCommand("curl -sk " + url + "/healthz");
  EXPECT_EQ(health.status, 0);
  EXPECT_NE(health.out.find("\"ok\""), std::string::npos) << health.out;
  const auto login = RunCommand(
      "curl -sk -D - -o /dev/null -H 'Content-Type: application/json' -d "
      "'{\"username\":\"guard\",\"password\":\"a long enough password\"}' " +
      url + "/api/v1/auth/login");
  EXPECT_NE(login.out.find("Secure"), std::string::npos) << login.out;
  EXPECT_NE(login.out.find("HttpOnly"), std::string::npos) << login.out;
  const auto plain = RunCommand("curl -s --max-time 5 http://127.0.0.1:" + port + "/healthz");
  EXPECT_EQ(plain.out.find("\"ok\""), std::string::npos) << "plain HTTP answered: " << plain.out;
  RunCommand("kill " + pid);
  // A missing key file is a usage error naming the option.
  const auto bad = Corridor(
      db, "serve --listen 127.0.0.1:0 --tls-cert " + Q(cert) + " --tls-key /nonexistent.pem");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("tls-key"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace corridor
