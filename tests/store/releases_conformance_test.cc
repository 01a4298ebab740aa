// The security side's copy of the aggregate release (store/releases.h), on every backend.
#include <gtest/gtest.h>

#include "corridor/store/releases.h"
#include "corridor/store/store.h"
#include "store/database_backends.h"
#include "testing/testing.h"

namespace corridor::store::conformance {
namespace {

PublicRelease Sample(const std::string& id) {
  PublicRelease r;
  r.id = id;
  r.generated_at = "2026-11-01T00:00:00Z";
  r.received_at = "2026-11-02T00:00:00.000Z";
  r.signed_by = std::string(64, 'a');
  r.cells = 2;
  r.suppressed = 1;
  r.counts = {{"grievance", "PK101", "2026-10", "land-compensation", "web", std::nullopt, "small"},
              {"grievance", "PK101", "2026-10", "land-compensation", "phone", 15, ""},
              {"grievance", "PK101", "2026-10", "land-compensation", "*", 19, ""}};
  return r;
}

class PublicReleaseStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open({PublicReleasesModule()});
    ASSERT_TRUE(db_);
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<PublicReleaseStore> releases_ = NewPublicReleaseStore();
};

TEST_P(PublicReleaseStoreConformance, AddGetAndHeldOnce) {
  auto added =
      InWriteTransaction(*db_, [&](Transaction& tx) { return releases_->Add(tx, Sample("r1")); });
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_TRUE(*added);
  auto again =
      InWriteTransaction(*db_, [&](Transaction& tx) { return releases_->Add(tx, Sample("r1")); });
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  ASSERT_TRUE(
      InWriteTransaction(*db_, [&](Transaction& tx) { return releases_->Add(tx, Sample("r2")); }));
  auto tx = db_->BeginRead();
  ASSERT_TRUE(tx);
  auto got = releases_->Get(**tx, "r1");
  ASSERT_TRUE(got && *got);
  auto want = Sample("r1");
  std::sort(want.counts.begin(), want.counts.end(), [](const auto& a, const auto& b) {
    return std::tie(a.topic, a.channel) < std::tie(b.topic, b.channel);
  });
  EXPECT_EQ(**got, want);
  EXPECT_EQ(releases_->Ids(**tx).value(), (std::vector<std::string>{"r1", "r2"}));
  EXPECT_FALSE(releases_->Get(**tx, "nope").value().has_value());
}

TEST_P(PublicReleaseStoreConformance, HeadLastMonthAndCountsByMonthDistrictAndChannel) {
  auto r = Sample("r4");
  r.counts.push_back({"grievance", "PK102", "2026-08", "land-compensation", "*", 0, ""});
  r.counts.push_back({"consultation", "PK101", "2026-11", "*", "*", 12, ""});
  r.counts.push_back({"grievance", "PK103", "2026-09", "*", "*", std::nullopt, "complementary"});
  ASSERT_TRUE(InWriteTransaction(*db_, [&](Transaction& tx) { return releases_->Add(tx, r); }));
  auto tx = db_->BeginRead();
  ASSERT_TRUE(tx);
  auto head = releases_->Head(**tx, "r4");
  ASSERT_TRUE(head && *head);
  EXPECT_EQ((*head)->signed_by, r.signed_by);
  EXPECT_TRUE((*head)->counts.empty());
  EXPECT_FALSE(releases_->Head(**tx, "nope").value().has_value());
  EXPECT_EQ(releases_->LastMonth(**tx, "r4").value(), std::optional<std::string>("2026-11"));
  EXPECT_FALSE(releases_->LastMonth(**tx, "nope").value().has_value());

  auto keys = [&](const ReleaseCountQuery& q) {
    std::vector<std::string> out;
    const auto counts = releases_->Counts(**tx, "r4", q);
    for (const auto& c : counts.value()) {
      out.push_back(c.kind + "|" + c.district + "|" + c.month + "|" + c.topic + "|" + c.channel);
    }
    return out;
  };
  EXPECT_EQ(keys({"2026-09", "2026-10", {}, "*"}),
            (std::vector<std::string>{"grievance|PK101|2026-10|land-compensation|*",
                                      "grievance|PK103|2026-09|*|*"}));
  EXPECT_EQ(keys({"", "", {"PK102", "PK101"}, "*"}),
            (std::vector<std::string>{"consultation|PK101|2026-11|*|*",
                                      "grievance|PK101|2026-10|land-compensation|*",
                                      "grievance|PK102|2026-08|land-compensation|*"}));
  EXPECT_EQ(keys({"2026-11", "", {}, ""}),
            (std::vector<std::string>{"consultation|PK101|2026-11|*|*"}));
  EXPECT_EQ(keys({"", "", {}, ""}).size(), r.counts.size());
  // A suppressed count comes back suppressed with its reason, never a number.
  auto hidden = releases_->Counts(**tx, "r4", {"2026-09", "2026-09", {"PK103"}, ""}).value();
  ASSERT_EQ(hidden.size(), 1U);
  EXPECT_FALSE(hidden[0].count.has_value());
  EXPECT_EQ(hidden[0].reason, "complementary");
  EXPECT_TRUE(releases_->Counts(**tx, "nope", {}).value().empty());
}

TEST_P(PublicReleaseStoreConformance, RefusesASmallCountEvenPastTheCheck) {
  auto r = Sample("r3");
  r.counts[1].count = 4;  // 1–9 never stored, whatever the caller checked
  auto added = InWriteTransaction(*db_, [&](Transaction& tx) { return releases_->Add(tx, r); });
  EXPECT_FALSE(added.has_value());
  auto tx = db_->BeginRead();
  ASSERT_TRUE(tx);
  EXPECT_TRUE(releases_->Ids(**tx).value().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, PublicReleaseStoreConformance,
                         ::testing::ValuesIn(DatabaseBackends()), BackendName);

}  // namespace
}  // namespace corridor::store::conformance

namespace corridor::store::conformance {
namespace {

// The security store carries the public_releases module in its own file.
TEST(SecurityStoreDatabase, TheSecurityStoreHasThePublicReleasesModule) {
  testing::TempDir dir;
  auto store = OpenStore((dir / "security.db").string());
  ASSERT_TRUE(store.has_value()) << store.error().message;
  Database& db = (*store)->database();
  EXPECT_EQ(db.ModuleVersion("public_releases").value_or(-1), 1);
  auto releases = NewPublicReleaseStore();
  ASSERT_TRUE(
      InWriteTransaction(db, [&](Transaction& tx) { return releases->Add(tx, Sample("r")); }));
}

}  // namespace
}  // namespace corridor::store::conformance
