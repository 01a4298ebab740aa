// The public side on PostgreSQL (issue 16 §2), end to end through the
// `corridor-public` executable: the real AidData import, editor accounts
// with their tokens, a disclosure decided by two editors, the audit chain and both transparency
// exports give the same documents on the test cluster as on an SQLite file (only the generation
// time differs).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "testing/testing.h"

namespace corridor::public_side {
namespace {

std::string Shell(const std::string& s) { return "'" + s + "'"; }

class PublicOnPostgresql : public ::testing::Test {
 protected:
  // Runs `corridor-public` with `args` on `db` as the holder of `token` (the
  // operator when empty).
  testing::CommandResult Try(const std::string& db, const std::string& args,
                             const std::string& token = "") {
    return testing::RunCommand(
        "env -u CORRIDOR_PUBLIC_TOKEN " +
        (token.empty() ? "" : "CORRIDOR_PUBLIC_TOKEN=" + Shell(token) + " ") +
        Shell((testing::BuildDir() / "corridor-public").string()) + " --db " + Shell(db) +
        " --keys " + Shell((dir_ / "public.keys").string()) + " " + args);
  }
  // As Try; fails the test on a non-zero exit.
  std::string Run(const std::string& db, const std::string& args, const std::string& token = "") {
    const auto r = Try(db, args, token);
    EXPECT_EQ(r.status, 0) << args << "\n" << r.err;
    return r.out;
  }
  // A new account with `role` and a token for it, made by the operator.
  std::string Account(const std::string& db, const std::string& name, const std::string& role) {
    Run(db, "users add " + name + " --role " + role);
    return nlohmann::json::parse(Run(db, "--json users token " + name)).at("token");
  }

  // The whole flow on `db`; returns the two exports, times blanked.
  std::pair<std::string, std::string> Flow(const std::string& db) {
    const auto data = testing::SharedPath("data");
    Run(db,
        "projects import " +
            Shell((data / "aiddata-gcdf-pakistan/pakistan_development_combined.geojson").string()) +
            " --districts " +
            Shell((data / "ocha-cod-ab-pakistan-2022/pak_admbnda_adm2_wfp_20220909.derived.geojson")
                      .string()));
    const auto list = nlohmann::json::parse(Run(db, "--json projects list"));
    std::string gwadar;
    for (const auto& p : list) {
      if (p.at("name") == "Gwadar Port") gwadar = p.at("id").get<std::string>();
    }
    EXPECT_FALSE(gwadar.empty());
    // Editors are accounts of the public role family, named by their tokens.
    const std::string editor1 = Account(db, "editor-1", "disclosure-editor");
    const std::string editor2 = Account(db, "editor-2", "disclosure-editor");
    const std::string moderator = Account(db, "mod-1", "moderator");
    const std::string disclose = "--json projects disclose " + gwadar +
                                 " location coarsened --reason 'exact location withheld'";
    const auto as_operator = Try(db, disclose);  // no token: not an editor
    EXPECT_EQ(as_operator.status, 1);
    EXPECT_NE(as_operator.err.find("CORRIDOR_PUBLIC_TOKEN"), std::string::npos) << as_operator.err;
    const auto as_moderator = Try(db, disclose, moderator);
    EXPECT_EQ(as_moderator.status, 1);
    EXPECT_NE(as_moderator.err.find("disclosure-editor"), std::string::npos) << as_moderator.err;
    EXPECT_EQ(Try(db, disclose, "forged").status, 1);
    const auto security_role = Try(db, "users add intruder --role analyst");
    EXPECT_EQ(security_role.status, 2);
    EXPECT_NE(security_role.err.find("security side"), std::string::npos) << security_role.err;
    const auto request = nlohmann::json::parse(Run(db, disclose, editor1));
    const std::string request_id = request.at("id").get<std::string>();
    EXPECT_EQ(Try(db, "projects approve " + request_id, editor1).status, 1);  // two-person rule
    Run(db, "projects approve " + request_id, editor2);
    // An editor merges the free zone into the port and splits it out again
    // (issue 13 §2); the coarsened location stays on every project made.
    std::string zone;
    for (const auto& p : list) {
      for (const auto& a : p.at("aiddata_ids")) {
        if (a == 53723) zone = p.at("id").get<std::string>();
      }
    }
    const std::string merge =
        "--json projects merge " + gwadar + " " + zone + " --reason 'one port'";
    EXPECT_EQ(Try(db, merge, moderator).status, 1);
    const auto merged = nlohmann::json::parse(Run(db, merge, editor1));
    EXPECT_EQ(merged.at("created_ids").size(), 1u);
    const auto& created = merged.at("created_ids");
    const std::string port_and_zone = created.empty() ? "" : created[0].get<std::string>();
    EXPECT_EQ(merged.at("removed_ids").size(), 2u);
    EXPECT_EQ(merged.at("disclosure_carried"), 1);
    const auto bad_split =
        Try(db, "projects split " + port_and_zone + " --rows 1 --reason x", editor2);
    EXPECT_EQ(bad_split.status, 1);
    EXPECT_NE(bad_split.err.find("AidData 1 is not a row of"), std::string::npos) << bad_split.err;
    const auto split = nlohmann::json::parse(Run(
        db, "--json projects split " + port_and_zone + " --rows 53723 --reason 'apart'", editor2));
    EXPECT_EQ(split.at("created_ids").size(), 2u);
    const auto decisions = nlohmann::json::parse(Run(db, "--json projects decisions"));
    EXPECT_EQ(decisions.size(), 2u);
    if (decisions.size() == 2) {
      EXPECT_EQ(decisions[0].at("kind"), "merge");
      EXPECT_EQ(decisions[1].at("decided_by"), "editor-2");
    }
    EXPECT_EQ(nlohmann::json::parse(Run(db, "--json users list")).size(), 3u);
    EXPECT_NE(Run(db, "audit verify").find("\"ok\":true"), std::string::npos);
    std::pair<std::string, std::string> out;
    for (const auto& [format, text] : {std::pair{"oc4ids", &out.first}, {"iati", &out.second}}) {
      const auto file = dir_ / (std::string(format) + "-" + std::to_string(runs_++));
      Run(db, std::string("export --format ") + format + " --output " + Shell(file.string()));
      *text = std::regex_replace(testing::ReadFile(file),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"), "TIME");
    }
    return out;
  }

  testing::TempDir dir_;
  int runs_ = 0;
};

TEST_F(PublicOnPostgresql, TheSameFlowGivesTheSameDocumentsAsOnSqlite) {
  const std::string cluster = testing::PostgresqlCluster();  // postgresql:///postgres?host=...
  const std::string pg = "postgresql:///public_flow" + cluster.substr(cluster.find('?'));
  const auto on_sqlite = Flow((dir_ / "public.db").string());
  const auto on_postgresql = Flow(pg);
  ASSERT_GT(on_sqlite.first.size(), 1'000'000u);  // the whole real export
  EXPECT_TRUE(on_sqlite.first == on_postgresql.first) << "OC4IDS differs between backends";
  EXPECT_TRUE(on_sqlite.second == on_postgresql.second) << "IATI differs between backends";
  // The coarsened location reached the export on PostgreSQL too.
  EXPECT_NE(on_postgresql.first.find("exact location withheld"), std::string::npos);
}

TEST_F(PublicOnPostgresql, AServerDatabaseNeedsANamedKeyFileAndIsNotCreatedWithoutOne) {
  const std::string cluster = testing::PostgresqlCluster();
  const std::string pg = "postgresql:///public_nokeys" + cluster.substr(cluster.find('?'));
  const auto r = testing::RunCommand("env -u CORRIDOR_PUBLIC_KEYS " +
                                     Shell((testing::BuildDir() / "corridor-public").string()) +
                                     " --db " + Shell(pg) + " init");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--keys FILE"), std::string::npos) << r.err;
  // Nothing was created: a later read-only command finds no store.
  const auto list =
      testing::RunCommand(Shell((testing::BuildDir() / "corridor-public").string()) + " --db " +
                          Shell(pg) + " --keys " + Shell((dir_ / "k").string()) + " projects list");
  EXPECT_NE(list.status, 0);
  EXPECT_NE(list.err.find("no store"), std::string::npos) << list.err;
}

}  // namespace
}  // namespace corridor::public_side
