// The release end to end: `corridor public release` writes and signs it;
// `corridor ingest --format public-release` takes only a good, signed,
// suppressed release over the fixed dimensions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "corridor/auth/crypto.h"
#include "corridor/release/release.h"
#include "testing/testing.h"

namespace corridor::release {
namespace {

using nlohmann::json;

class ReleaseCli : public ::testing::Test {
 protected:
  void SetUp() override {
    json counts = {{"counts", json::array()}};
    auto add = [&](const char* topic, const char* channel, int n) {
      counts["counts"].push_back({{"kind", "grievance"}, {"district", "PK101"}, {"month", "2026-10"},
                                  {"topic", topic}, {"channel", channel}, {"count", n}});
    };
    add("land-compensation", "web", 4);
    add("land-compensation", "phone", 15);
    add("labour-wages", "web", 20);
    add("labour-wages", "phone", 30);
    testing::WriteFile(dir_ / "counts.json", counts.dump());
    ASSERT_EQ(Public("init").status, 0);
    auto r = Public("release --counts " + Q("counts.json") + " --output " + Q("release.json"));
    ASSERT_EQ(r.status, 0) << r.err;
    auto k = Public("keys");
    ASSERT_EQ(k.status, 0) << k.err;
    testing::WriteFile(dir_ / "keys.json", k.out);
  }
  std::string Q(const std::string& name) { return "'" + (dir_ / name).string() + "'"; }
  testing::CommandResult Public(const std::string& args) {
    return testing::RunCommand("env -u CORRIDOR_PUBLIC_KEYS " + (testing::BuildDir() / "corridor").string() +
                               " public --db " + Q("public.db") + " " + args);
  }
  testing::CommandResult Ingest(const std::string& file) {
    return testing::RunCommand((testing::BuildDir() / "corridor").string() + " --json --db " +
                               Q("security.db") + " ingest --format public-release " + Q(file) +
                               " --trusted-keys " + Q("keys.json"));
  }
  // Writes `doc` as `name`, signed with the public instance's own key.
  void Signed(const std::string& name, const json& doc) {
    auto keys = auth::LoadOrCreateInstanceKeys((dir_ / "public.db.public-keys").string());
    ASSERT_TRUE(keys);
    const std::string bytes = doc.dump(1);
    testing::WriteFile(dir_ / name, bytes);
    testing::WriteFile(dir_ / (name + ".sig"), SignDetached(*keys, bytes).dump());
  }
  json Release() { return json::parse(testing::ReadFile(dir_ / "release.json")); }
  testing::TempDir dir_;
};

TEST_F(ReleaseCli, GoodReleaseIsStoredOnce) {
  const json doc = Release();
  EXPECT_EQ(doc["format"], "corridor-public-release-1");
  EXPECT_GT(doc["suppression"]["suppressed"].get<int>(), 0);
  for (const auto& c : doc["cells"]) {
    if (c["count"].is_number()) {
      EXPECT_TRUE(c["count"] == 0 || c["count"].get<int>() >= 10) << c;
    }
  }
  auto r = Ingest("release.json");
  ASSERT_EQ(r.status, 0) << r.err;
  const json out = json::parse(r.out);
  EXPECT_EQ(out[0]["new"], true);
  EXPECT_EQ(out[0]["cells"], 40);
  // The next release keeps what this one hid (--previous).
  auto next = Public("--json release --counts " + Q("counts.json") + " --previous " + Q("release.json") +
                     " --output " + Q("next.json"));
  ASSERT_EQ(next.status, 0) << next.err;
  const json next_summary = json::parse(next.out);
  EXPECT_GT(next_summary["kept_from_previous"].get<int>(), 0);
  EXPECT_EQ(next_summary["suppressed"], doc["suppression"]["suppressed"]);
  auto again = Ingest("release.json");
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)[0]["new"], false);
}

TEST_F(ReleaseCli, TamperedReleaseIsRefused) {
  std::string text = testing::ReadFile(dir_ / "release.json");
  const auto at = text.find("\"count\": 0,");
  ASSERT_NE(at, std::string::npos) << text.substr(0, 400);
  text.replace(at, 11, "\"count\": 10");  // still a valid release: only the signature tells
  testing::WriteFile(dir_ / "tampered.json", text);
  testing::WriteFile(dir_ / "tampered.json.sig", testing::ReadFile(dir_ / "release.json.sig"));
  auto r = Ingest("tampered.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("does not match"), std::string::npos) << r.err;
}

TEST_F(ReleaseCli, UnsignedOrUntrustedReleaseIsRefused) {
  testing::WriteFile(dir_ / "unsigned.json", testing::ReadFile(dir_ / "release.json"));
  auto r = Ingest("unsigned.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no detached signature"), std::string::npos) << r.err;
  // Signed by another instance's key.
  auto other = auth::LoadOrCreateInstanceKeys((dir_ / "other.keys").string());
  ASSERT_TRUE(other);
  const std::string bytes = testing::ReadFile(dir_ / "release.json");
  testing::WriteFile(dir_ / "other.json", bytes);
  testing::WriteFile(dir_ / "other.json.sig", SignDetached(*other, bytes).dump());
  auto u = Ingest("other.json");
  EXPECT_EQ(u.status, 1);
  EXPECT_NE(u.err.find("not in --trusted-keys"), std::string::npos) << u.err;
}

TEST_F(ReleaseCli, SmallCountIsRefusedEvenWhenSigned) {
  json doc = Release();
  for (auto& c : doc["cells"]) {
    if (c["reason"] == "small") {
      c["count"] = 4;
      c.erase("reason");
      break;
    }
  }
  Signed("small.json", doc);
  auto r = Ingest("small.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("between 1 and 9"), std::string::npos) << r.err;
}

TEST_F(ReleaseCli, NothingBeyondTheFixedDimensionsFlows) {
  json extra = Release();
  extra["cells"][0]["description"] = "a resident's words";
  Signed("extra.json", extra);
  EXPECT_EQ(Ingest("extra.json").status, 1);
  json receipts = Release();
  receipts["receipts"] = json::array({"R-1234"});
  Signed("receipts.json", receipts);
  EXPECT_EQ(Ingest("receipts.json").status, 1);
  json topic = Release();
  topic["cells"][0]["topic"] = "ayesha-khan-house-12";
  Signed("topic.json", topic);
  auto r = Ingest("topic.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("config/grievance_topics.txt"), std::string::npos) << r.err;
  json dims = Release();
  dims["dimensions"]["project"] = json::array({"x"});
  Signed("dims.json", dims);
  EXPECT_EQ(Ingest("dims.json").status, 1);
}

}  // namespace
}  // namespace corridor::release
