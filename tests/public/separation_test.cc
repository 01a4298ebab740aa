// The wall between the two sides (WAVE2 "Across the wall"), proved on the
// link graph rather than by grep: the link line Ninja gives each executable
// (the static libraries the linker actually receives) and the symbols the
// linked binaries define. Plus the public CLI's environment: its own store
// variable, no fall-back to the security side's, and a security store refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "testing/testing.h"

namespace corridor {
namespace {

// The static libraries on `target`'s link line, by library name ("corridor_store").
std::set<std::string> LinkedLibraries(const std::string& target) {
  auto r = testing::RunCommand("ninja -C " + testing::BuildDir().string() + " -t commands " +
                               target + " | tail -n 1");
  EXPECT_EQ(r.status, 0) << r.err;
  std::set<std::string> libs;
  std::istringstream words(r.out);
  for (std::string w; words >> w;) {
    const auto slash = w.rfind('/');
    const std::string file = w.substr(slash == std::string::npos ? 0 : slash + 1);
    if (file.rfind("lib", 0) == 0 && file.size() > 5 && file.ends_with(".a")) {
      libs.insert(file.substr(3, file.size() - 5));
    }
  }
  EXPECT_FALSE(libs.empty()) << "no link line for " << target << ": " << r.out;
  return libs;
}

// How many defined symbols of `binary` (demangled) contain `needle`.
int DefinedSymbols(const std::string& binary, const std::string& needle) {
  auto r = testing::RunCommand("nm -C --defined-only " + (testing::BuildDir() / binary).string() +
                               " | grep -c -F '" + needle + "'");
  return std::atoi(r.out.c_str());
}

TEST(SideSeparation, ThePublicServerDoesNotLinkTheSecurityStore) {
  const auto libs = LinkedLibraries("corridor-public");
  for (const char* forbidden : {"corridor_store", "corridor_auth", "corridor_api", "corridor_sync",
                                "corridor_ingest", "corridor_risk", "corridor_jobs"}) {
    EXPECT_EQ(libs.count(forbidden), 0u) << "corridor-public links " << forbidden;
  }
  for (const char* needed :
       {"corridor_public_store", "corridor_public_api", "corridor_server", "corridor_projects"}) {
    EXPECT_EQ(libs.count(needed), 1u) << needed;
  }
  // And no code of the security store made it in by another path.
  EXPECT_EQ(DefinedSymbols("corridor-public", "corridor::store::OpenStore("), 0);
  EXPECT_EQ(DefinedSymbols("corridor-public", "corridor::store::SqliteStore"), 0);
  EXPECT_GT(DefinedSymbols("corridor-public", "corridor::store::OpenPublicDatabase("), 0);
}

TEST(SideSeparation, TheSecurityServerDoesNotLinkThePublicStore) {
  const auto libs = LinkedLibraries("corridor");
  for (const char* forbidden :
       {"corridor_public_store", "corridor_public", "corridor_public_api"}) {
    EXPECT_EQ(libs.count(forbidden), 0u) << "corridor links " << forbidden;
  }
  EXPECT_EQ(libs.count("corridor_store"), 1u);
  EXPECT_EQ(DefinedSymbols("corridor", "corridor::store::OpenPublicDatabase("), 0);
  EXPECT_EQ(DefinedSymbols("corridor", "corridor::api::PublicApi"), 0);
  EXPECT_EQ(DefinedSymbols("corridor", "public_projects"), 0);  // not even the SQL text
  EXPECT_GT(DefinedSymbols("corridor", "corridor::store::OpenStore("), 0);
}

std::string Corridor() { return (testing::BuildDir() / "corridor").string(); }

TEST(SideSeparation, ThePublicCliNeverFallsBackToTheSecuritySidesStore) {
  testing::TempDir dir;
  const std::string d = dir.path().string();
  // A security store and its keys, where the security side looks by default.
  auto sec = testing::RunCommand("cd " + d + " && " + Corridor() + " --db " + d +
                                 "/corridor.db init 2>&1");
  ASSERT_EQ(sec.status, 0) << sec.out;
  // No public store named: an error naming the variable, nothing created, even
  // with CORRIDOR_DB set and ./corridor.db present.
  auto none = testing::RunCommand("cd " + d + " && env -u CORRIDOR_PUBLIC_DB CORRIDOR_DB=" + d +
                                  "/corridor.db " + Corridor() + " public init 2>&1");
  EXPECT_NE(none.status, 0);
  EXPECT_NE(none.out.find("CORRIDOR_PUBLIC_DB"), std::string::npos) << none.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "corridor.db.public-keys"));
  // The security store named as the public one: refused by its kind.
  auto wrong = testing::RunCommand("cd " + d + " && " + Corridor() + " public --db " + d +
                                   "/corridor.db init 2>&1");
  EXPECT_NE(wrong.status, 0);
  EXPECT_NE(wrong.out.find("security-side store"), std::string::npos) << wrong.out;
  // $CORRIDOR_PUBLIC_DB works, with its own key file (never <db>.keys).
  auto ok = testing::RunCommand("cd " + d + " && CORRIDOR_PUBLIC_DB=" + d + "/public.db " +
                                Corridor() + " public init 2>&1");
  EXPECT_EQ(ok.status, 0) << ok.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "public.db.public-keys"));
  EXPECT_FALSE(std::filesystem::exists(dir / "public.db.keys"));
  // And the security side refuses the public store.
  auto back = testing::RunCommand(Corridor() + " --db " + d + "/public.db init 2>&1");
  EXPECT_NE(back.status, 0);
  EXPECT_NE(back.out.find("public-side store"), std::string::npos) << back.out;
}

TEST(SideSeparation, BothSidesGiveAProjectTheSameIdWithoutSharingAnything) {
  testing::TempDir dir;
  const std::string aiddata =
      testing::SharedPath("data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson")
          .string();
  auto security = testing::RunCommand(Corridor() + " --db " + (dir / "sec.db").string() +
                                      " --json assets import " + aiddata);
  ASSERT_EQ(security.status, 0) << security.err;
  auto pub =
      testing::RunCommand("CORRIDOR_PUBLIC_DB=" + (dir / "public.db").string() + " " + Corridor() +
                          " public projects import " + aiddata +
                          " >/dev/null && CORRIDOR_PUBLIC_DB=" + (dir / "public.db").string() +
                          " " + Corridor() + " public --json projects list");
  ASSERT_EQ(pub.status, 0) << pub.err;
  std::map<std::string, std::vector<std::int64_t>> a, b;
  const auto security_json = nlohmann::json::parse(security.out);
  for (const auto& p : security_json["projects"]) {
    a[p["id"]] = p["aiddata_ids"].get<std::vector<std::int64_t>>();
  }
  for (const auto& p : nlohmann::json::parse(pub.out)) {
    b[p["id"]] = p["aiddata_ids"].get<std::vector<std::int64_t>>();
  }
  EXPECT_EQ(a.size(), 62u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a["1a3898cd-a81b-5481-ae0a-b0e9e841a6f3"],
            (std::vector<std::int64_t>{35124, 38995, 38996, 72688, 72689}));  // Gwadar Port
}

TEST(SideSeparation, ImportExportAndAuditThroughTheCli) {
  testing::TempDir dir;
  const std::string env = "CORRIDOR_PUBLIC_DB=" + (dir / "public.db").string() + " ";
  auto imported = testing::RunCommand(
      env + Corridor() + " public --json projects import " +
      testing::SharedPath("data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson")
          .string() +
      " --districts " +
      testing::SharedPath(
          "data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm2_wfp_20220909.derived.geojson")
          .string() +
      " --review " + (dir / "review.json").string());
  ASSERT_EQ(imported.status, 0) << imported.err;
  const auto summary = nlohmann::json::parse(imported.out);
  EXPECT_EQ(summary["rows"], 100);
  EXPECT_EQ(summary["projects"], 62);
  EXPECT_EQ(summary["created"], 62);
  const auto review = nlohmann::json::parse(testing::ReadFile(dir / "review.json"));
  EXPECT_EQ(review["merged_projects"], summary["merged_projects"]);
  // Importing again updates in place: same ids.
  auto again = testing::RunCommand(
      env + Corridor() + " public --json projects import " +
      testing::SharedPath("data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson")
          .string());
  ASSERT_EQ(again.status, 0);
  EXPECT_EQ(nlohmann::json::parse(again.out)["updated"], 62);
  for (const char* format : {"oc4ids", "iati"}) {
    auto out = testing::RunCommand(env + Corridor() + " public export --format " + format +
                                   " --output " + (dir / format).string() + " 2>&1");
    EXPECT_EQ(out.status, 0) << out.out;
    auto check = testing::RunCommand(
        "python3 " + testing::TestPath("public/validate_exports.py").string() + " " + format + " " +
        (dir / format).string() + " " + testing::SharedPath("standards").string() +
        (std::string(format) == "iati" ? " 2099-12-31" : "") + " 2>&1");
    EXPECT_EQ(check.status, 0) << check.out;
  }
  // Two imports and two exports: four entries on the public chain, intact.
  auto verify = testing::RunCommand(env + Corridor() + " public audit verify");
  EXPECT_EQ(verify.status, 0) << verify.out;
  EXPECT_EQ(nlohmann::json::parse(verify.out)["entries"], 4);
}

}  // namespace
}  // namespace corridor
