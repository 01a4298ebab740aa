// The project-grouping aggregate (corridor/store/grouping_store.h), on every backend.
#include <gtest/gtest.h>

#include "corridor/store/grouping_store.h"
#include "corridor/store/public_store.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

GroupingDecision Decision(std::string kind, std::vector<std::int64_t> ids,
                          std::string reason = "one plant, two loans") {
  GroupingDecision d;
  d.kind = std::move(kind);
  d.aiddata_ids = std::move(ids);
  d.reason = std::move(reason);
  d.decided_by = "editor-a";
  d.decided_at = "2026-12-07T10:00:00Z";
  return d;
}

class GroupingStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open(PublicModules(), StoreKind::kPublic, "public");
    ASSERT_TRUE(db_);
  }
  std::unique_ptr<ProjectGroupingStore> store_ = NewProjectGroupingStore();
};

TEST_P(GroupingStoreConformance, DecisionsComeBackInTheOrderTheyWereMade) {
  auto none = Read([&](Transaction& tx) { return store_->Decisions(tx); });
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
  auto first = Write([&](Transaction& tx) {
    return store_->AddDecision(tx, Decision("merge", {31052, 31070, 95211}));
  });
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, 1);
  auto second = Write([&](Transaction& tx) {
    return store_->AddDecision(tx, Decision("split", {95211}, "apart"));
  });
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(*second, 2);
  auto all = Read([&](Transaction& tx) { return store_->Decisions(tx); });
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2U);
  auto want = Decision("merge", {31052, 31070, 95211});
  want.seq = 1;
  EXPECT_EQ((*all)[0], want);
  EXPECT_EQ((*all)[1].kind, "split");
  EXPECT_EQ((*all)[1].seq, 2);
  EXPECT_EQ((*all)[1].aiddata_ids, std::vector<std::int64_t>{95211});
  EXPECT_EQ((*all)[1].reason, "apart");
}

TEST_P(GroupingStoreConformance, MalformedDecisionsAreRefusedAndNothingIsWritten) {
  const std::vector<std::pair<GroupingDecision, std::string>> bad = {
      {Decision("join", {1, 2}), "kind"},         {Decision("merge", {}), "aiddata_ids"},
      {Decision("merge", {2, 1}), "aiddata_ids"}, {Decision("merge", {1, 1}), "aiddata_ids"},
      {Decision("split", {1}, ""), "reason"},
  };
  for (const auto& [d, word] : bad) {
    auto r = Write([&](Transaction& tx) { return store_->AddDecision(tx, d); });
    ASSERT_FALSE(r) << word;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << word;
    EXPECT_NE(r.error().message.find(word), std::string::npos) << r.error().message;
  }
  auto anonymous = Decision("merge", {1, 2});
  anonymous.decided_by.clear();
  EXPECT_FALSE(Write([&](Transaction& tx) { return store_->AddDecision(tx, anonymous); }));
  EXPECT_TRUE(Read([&](Transaction& tx) { return store_->Decisions(tx); })->empty());
}

TEST_P(GroupingStoreConformance, ASourceIsReplacedWholeAndOnlyKnownNamesAreKept) {
  auto absent = Read([&](Transaction& tx) { return store_->Source(tx, "aiddata"); });
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_FALSE(absent->has_value());
  const GroupingSource v1{"aiddata", R"({"type":"FeatureCollection","features":[]})", "ab12",
                          "2026-12-07T10:00:00Z"};
  const GroupingSource v2{"aiddata", std::string(200000, 'x') + " گوادر 瓜达尔", "cd34",
                          "2026-12-07T11:00:00Z"};
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->PutSource(tx, v1); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->PutSource(tx, v2); }));
  auto got = Read([&](Transaction& tx) { return store_->Source(tx, "aiddata"); });
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ(**got, v2);  // long and non-Latin text round-trips byte for byte
  EXPECT_FALSE(Read([&](Transaction& tx) { return store_->Source(tx, "districts"); })->has_value());
  auto other = Write([&](Transaction& tx) {
    return store_->PutSource(tx, {"incidents", "x", "", "2026-12-07T10:00:00Z"});
  });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupingStoreConformance,
                         ::testing::ValuesIn(DatabaseBackends()), BackendName);

}  // namespace
}  // namespace corridor::store::conformance
