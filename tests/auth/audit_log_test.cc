// The audit log on a real SQLite store: checkpoints are signed at exactly
// every Nth entry from the entry just appended, and Checkpoint() reads only
// the head (store::AuditQuery::newest_first), so an audited request never
// costs a read of the whole log.
#include "corridor/auth/audit_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "testing/testing.h"

namespace corridor::auth {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string db = (dir_.path() / "audit.db").string();
    auto store = store::OpenStore(db);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(InitCrypto());
    auto keys = LoadOrCreateInstanceKeys(db + ".keys");
    ASSERT_TRUE(keys) << keys.error().message;
    keys_ = std::move(*keys);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  InstanceKeys keys_;
};

TEST_F(AuditLogTest, CheckpointsAtEveryNthEntryAndTheChainVerifies) {
  AuditLog log(*store_, keys_, /*checkpoint_every=*/25);
  for (int i = 1; i <= 60; ++i) {
    auto e = log.Record("ali", "read", {"incident-" + std::to_string(i)});
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->seq, i);
  }
  auto checkpoints = store_->ListCheckpoints();
  ASSERT_TRUE(checkpoints) << checkpoints.error().message;
  ASSERT_EQ(checkpoints->size(), 2U);
  EXPECT_EQ((*checkpoints)[0].count, 25);
  EXPECT_EQ((*checkpoints)[1].count, 50);

  store::AuditQuery head;
  head.newest_first = true;
  head.limit = 1;
  auto newest = store_->ListAudit(head);
  ASSERT_TRUE(newest) << newest.error().message;
  ASSERT_EQ(newest->size(), 1U);
  EXPECT_EQ(newest->front().seq, 60);
  EXPECT_EQ(newest->front().objects, std::vector<std::string>{"incident-60"});

  // An explicit checkpoint signs the head; asking again returns the same one.
  auto signed_head = log.Checkpoint();
  ASSERT_TRUE(signed_head && *signed_head);
  EXPECT_EQ((*signed_head)->count, 60);
  EXPECT_EQ((*signed_head)->head_hash, newest->front().hash);
  auto again = log.Checkpoint();
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->signature, (*signed_head)->signature);
  EXPECT_EQ(store_->ListCheckpoints()->size(), 3U);

  auto report = log.Verify(*signed_head);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, 60);
}

// A long log is read in batches: the report is the same, progress rises to
// 1, entries appended during the check are not counted (it stops at the head
// it began with), and an error from the progress callback (a job cancelled,
// a budget spent) stops the check with that error.
TEST_F(AuditLogTest, VerifiesInBatchesUpToTheHeadItBeganWith) {
  AuditLog log(*store_, keys_, /*checkpoint_every=*/25);
  for (int i = 1; i <= 60; ++i) ASSERT_TRUE(log.Record("ali", "read", {std::to_string(i)}));
  std::vector<double> seen;
  auto report = log.Verify(
      std::nullopt,
      [&](double f) -> Result<void> {
        seen.push_back(f);
        if (auto e = log.Record("ali", "read", {"during"}); !e) return Fail(e.error());
        return {};
      },
      /*batch=*/7);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, 60);
  ASSERT_EQ(seen.size(), 8U);  // after each full batch of 7: 7, 14, ..., 56
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_DOUBLE_EQ(seen.back(), 56.0 / 60.0);

  auto all = log.Verify(std::nullopt, nullptr, /*batch=*/7);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_TRUE(all->ok) << all->problem;
  EXPECT_EQ(all->entries, 68);

  auto stopped = log.Verify(
      std::nullopt,
      [](double) -> Result<void> { return Fail(ErrorCode::kUnavailable, "cancelled"); }, 7);
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "cancelled");
}

TEST_F(AuditLogTest, AnEmptyLogHasNoCheckpointToSign) {
  AuditLog log(*store_, keys_);
  auto none = log.Checkpoint();
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(*none);
}

}  // namespace
}  // namespace corridor::auth
