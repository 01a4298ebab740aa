// The results-tracking aggregate (corridor/store/outcome_store.h), on every backend.
#include <gtest/gtest.h>

#include "corridor/store/outcome_store.h"
#include "corridor/store/public_store.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

Outcome Crossings(const std::string& id, const std::string& consultation = "c1",
                  const std::string& at = "2026-03-01T09:00:00.000Z") {
  Outcome o;
  o.id = id;
  o.consultation_id = consultation;
  o.title = "Two crossings at the school";
  o.description = "Zebra crossings with lights, before the school year";
  o.proposal_ids = {"p2", "p1"};
  o.meeting_ids = {"m1"};
  o.decision = "The forum of 10 March agreed two crossings; the contractor builds them.";
  o.decided_on = "2026-03-10";
  o.created_at = at;
  o.updated_at = at;
  return o;
}

class OutcomeStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open(PublicModules(), StoreKind::kPublic, "public");
    ASSERT_TRUE(db_);
  }
  std::unique_ptr<OutcomeStore> store_ = NewOutcomeStore();
};

TEST_P(OutcomeStoreConformance, OutcomesRoundTripWithTheirLinksInOrder) {
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddOutcome(tx, Crossings("o1")); }));
  auto got = Read([&](Transaction& tx) { return store_->GetOutcome(tx, "o1"); });
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, Crossings("o1"));
  EXPECT_EQ(
      Write([&](Transaction& tx) { return store_->AddOutcome(tx, Crossings("o1")); }).error().code,
      ErrorCode::kConflict);
  EXPECT_EQ(Write([&](Transaction& tx) { return store_->AddOutcome(tx, Crossings("o2", "")); })
                .error()
                .code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return store_->AddOutcome(tx, Crossings("o3", "c1", "2026-04-01T09:00:00.000Z"));
  }));
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return store_->AddOutcome(tx, Crossings("o4", "c2")); }));
  auto list = Read([&](Transaction& tx) { return store_->ListOutcomes(tx, "c1"); });
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2U);  // oldest first, c2's not among them
  EXPECT_EQ((*list)[0].id, "o1");
  EXPECT_EQ((*list)[1].proposal_ids, (std::vector<std::string>{"p2", "p1"}));
  EXPECT_FALSE(Read([&](Transaction& tx) { return store_->GetOutcome(tx, "nope"); })->has_value());
}

TEST_P(OutcomeStoreConformance, ProgressIsCompareAndSetWithItsUpdatesInOrder) {
  const Outcome before = Crossings("o1");
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddOutcome(tx, before); }));
  Outcome next = before;
  next.status = "in-progress";
  next.progress = 40;
  next.proposal_ids = {"p1"};
  next.meeting_ids = {};
  next.updated_at = "2026-05-01T09:00:00.000Z";
  EXPECT_TRUE(
      Write([&](Transaction& tx) { return store_->UpdateOutcome(tx, before, next); }).value());
  EXPECT_FALSE(
      Write([&](Transaction& tx) { return store_->UpdateOutcome(tx, before, next); }).value());
  auto got = Read([&](Transaction& tx) { return store_->GetOutcome(tx, "o1"); });
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->progress, 40);
  EXPECT_EQ((*got)->status, "in-progress");
  EXPECT_EQ((*got)->proposal_ids, (std::vector<std::string>{"p1"}));
  EXPECT_TRUE((*got)->meeting_ids.empty());
  EXPECT_EQ((*got)->version, before.version + 1);
  Outcome ghost = before;
  ghost.id = "nope";
  EXPECT_EQ(
      Write([&](Transaction& tx) { return store_->UpdateOutcome(tx, ghost, next); }).error().code,
      ErrorCode::kNotFound);

  for (const auto& [progress, note] : std::vector<std::pair<std::int64_t, std::string>>{
           {40, "Contract signed"}, {80, "One crossing painted"}}) {
    auto u = Write([&](Transaction& tx) {
      return store_->AddUpdate(
          tx, {0, "o1", "2026-05-01T09:00:00.000Z", "in-progress", progress, note});
    });
    ASSERT_TRUE(u) << u.error().message;
  }
  // Another outcome's updates count from 1 on their own.
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddOutcome(tx, Crossings("o2")); }));
  auto other = Write([&](Transaction& tx) {
    return store_->AddUpdate(tx, {0, "o2", "2026-05-01T09:00:00.000Z", "in-progress", 5, "x"});
  });
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(other->seq, 1);
  auto updates = Read([&](Transaction& tx) { return store_->Updates(tx, "o1"); });
  ASSERT_TRUE(updates) << updates.error().message;
  ASSERT_EQ(updates->size(), 2U);
  EXPECT_EQ((*updates)[0], (OutcomeUpdate{1, "o1", "2026-05-01T09:00:00.000Z", "in-progress", 40,
                                          "Contract signed"}));
  EXPECT_EQ((*updates)[1].seq, 2);
  EXPECT_EQ((*updates)[1].note, "One crossing painted");
}

INSTANTIATE_TEST_SUITE_P(Backends, OutcomeStoreConformance, ::testing::ValuesIn(DatabaseBackends()),
                         BackendName);

}  // namespace
}  // namespace corridor::store::conformance
