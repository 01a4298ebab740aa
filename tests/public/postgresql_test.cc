// The public side on PostgreSQL (issue 16 §2), end to end through the
// `corridor-public` executable: the real AidData import, a disclosure
// decided by two editors, the audit chain and both transparency exports give
// the same documents on the test cluster as on an SQLite file (only the
// generation time differs).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "testing/testing.h"

namespace corridor::public_side {
namespace {

std::string Shell(const std::string& s) { return "'" + s + "'"; }

class PublicOnPostgresql : public ::testing::Test {
 protected:
  // Runs `corridor-public` with `args` on `db`; fails the test on a non-zero exit.
  std::string Run(const std::string& db, const std::string& args) {
    const auto r = testing::RunCommand(Shell((testing::BuildDir() / "corridor-public").string()) +
                                       " --db " + Shell(db) + " --keys " +
                                       Shell((dir_ / "public.keys").string()) + " " + args);
    EXPECT_EQ(r.status, 0) << args << "\n" << r.err;
    return r.out;
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
    const auto request = nlohmann::json::parse(
        Run(db, "--json projects disclose --editor editor-1 " + gwadar +
                    " location coarsened --reason 'exact location withheld'"));
    Run(db, "projects approve --editor editor-2 " + request.at("id").get<std::string>());
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
