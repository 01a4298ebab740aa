// The JobStore conformance suite (corridor/store/jobs.h), run on every backend.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "corridor/store/jobs.h"
#include "corridor/store/store.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

Job NewJob(const std::string& id, const std::string& owner, const std::string& created) {
  Job j;
  j.id = id;
  j.kind = "risk.knox";
  j.owner = owner;
  j.params = R"({"permutations":999})";
  j.created = created;
  return j;
}

class JobStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open({JobsModule()});
    ASSERT_TRUE(db_);
  }
  std::unique_ptr<JobStore> jobs_ = NewJobStore();
};

TEST_P(JobStoreConformance, AddGetListAndDuplicates) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = jobs_->Add(tx, NewJob("a", "ayesha", "2026-12-01T10:00:00.000Z")); !r) return r;
    return jobs_->Add(tx, NewJob("b", "li", "2026-12-01T10:00:01.000Z"));
  }));
  auto dup = Write([&](Transaction& tx) { return jobs_->Add(tx, NewJob("a", "x", "t")); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto empty = Write([&](Transaction& tx) { return jobs_->Add(tx, NewJob("", "x", "t")); });
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);

  auto tx = db_->BeginRead();
  ASSERT_TRUE(tx.has_value());
  auto a = jobs_->Get(**tx, "a");
  ASSERT_TRUE(a.has_value() && a->has_value());
  EXPECT_EQ(**a, NewJob("a", "ayesha", "2026-12-01T10:00:00.000Z"));
  EXPECT_FALSE(jobs_->Get(**tx, "zz")->has_value());
  auto mine = jobs_->List(**tx, "ayesha", 10);
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  auto all = jobs_->List(**tx, "", 10);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "b");  // newest first
  EXPECT_FALSE(jobs_->List(**tx, "", 0).has_value());
  EXPECT_EQ(jobs_->CountActive(**tx, "ayesha").value_or(-1), 1);
}

TEST_P(JobStoreConformance, ALifecycleWithProgressAndAStaleWorker) {
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return jobs_->Add(tx, NewJob("a", "ayesha", "2026-12-01T10:00:00.000Z"));
  }));
  auto claimed = Write(
      [&](Transaction& tx) { return jobs_->ClaimNext(tx, "w1", "2026-12-01T10:00:05.000Z"); });
  ASSERT_TRUE(claimed.has_value() && claimed->has_value());
  EXPECT_EQ((*claimed)->state, JobState::kRunning);
  EXPECT_EQ((*claimed)->worker, "w1");
  auto none = Write([&](Transaction& tx) { return jobs_->ClaimNext(tx, "w2", "t"); });
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());

  EXPECT_TRUE(*Write([&](Transaction& tx) {
    return jobs_->Progress(tx, "a", "w1", 0.5, "500 of 999", "2026-12-01T10:00:06.000Z");
  }));
  EXPECT_FALSE(*Write([&](Transaction& tx) {  // not w2's job
    return jobs_->Progress(tx, "a", "w2", 0.6, "", "2026-12-01T10:00:06.000Z");
  }));
  // w1 stalls; its job goes back to the queue and w2 takes it.
  EXPECT_EQ(
      *Write([&](Transaction& tx) { return jobs_->RequeueStale(tx, "2026-12-01T10:01:00.000Z"); }),
      1);
  auto again = Write(
      [&](Transaction& tx) { return jobs_->ClaimNext(tx, "w2", "2026-12-01T10:01:01.000Z"); });
  ASSERT_TRUE(again.has_value() && again->has_value());
  EXPECT_EQ((*again)->worker, "w2");
  // w1 wakes up: it may neither report nor finish.
  EXPECT_FALSE(*Write([&](Transaction& tx) {
    return jobs_->Finish(tx, "a", "w1", JobState::kDone, "{}", "", "t");
  }));
  EXPECT_TRUE(*Write([&](Transaction& tx) {
    return jobs_->Finish(tx, "a", "w2", JobState::kDone, R"({"p":0.001})", "",
                         "2026-12-01T10:02:00.000Z");
  }));
  auto tx = db_->BeginRead();
  auto done = jobs_->Get(**tx, "a");
  ASSERT_TRUE(done.has_value() && done->has_value());
  EXPECT_EQ((*done)->state, JobState::kDone);
  EXPECT_EQ((*done)->result, R"({"p":0.001})");
  EXPECT_DOUBLE_EQ((*done)->progress, 1.0);
  EXPECT_EQ(jobs_->CountActive(**tx, "ayesha").value_or(-1), 0);
}

TEST_P(JobStoreConformance, ACancelledJobStopsItsWorker) {
  ASSERT_TRUE(Write([&](Transaction& tx) { return jobs_->Add(tx, NewJob("a", "u", "1")); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return jobs_->ClaimNext(tx, "w", "2"); }));
  EXPECT_TRUE(*Write([&](Transaction& tx) { return jobs_->Cancel(tx, "a", "3"); }));
  EXPECT_FALSE(*Write([&](Transaction& tx) { return jobs_->Cancel(tx, "a", "4"); }));
  EXPECT_FALSE(*Write([&](Transaction& tx) { return jobs_->Progress(tx, "a", "w", 1, "", "5"); }));
  EXPECT_FALSE(*Write([&](Transaction& tx) {
    return jobs_->Finish(tx, "a", "w", JobState::kDone, "{}", "", "6");
  }));
  auto bad = Write(
      [&](Transaction& tx) { return jobs_->Finish(tx, "a", "w", JobState::kQueued, "", "", "7"); });
  ASSERT_FALSE(bad.has_value());
}

TEST_P(JobStoreConformance, ConcurrentWorkersNeverClaimTheSameJob) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    for (int i = 0; i < 40; ++i) {
      char created[32];
      std::snprintf(created, sizeof created, "2026-12-01T10:00:%02d.000Z", i);
      if (auto r = jobs_->Add(tx, NewJob("j" + std::to_string(i), "u", created)); !r) return r;
    }
    return {};
  }));
  std::mutex mu;
  std::multiset<std::string> taken;
  std::vector<std::thread> workers;
  workers.reserve(4);
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (;;) {
        auto job = InWriteTransaction(*db_, [&](Transaction& tx) {
          return jobs_->ClaimNext(tx, "w" + std::to_string(w), "2026-12-01T11:00:00.000Z");
        });
        if (!job || !job->has_value()) return;
        std::lock_guard<std::mutex> lock(mu);
        taken.insert((*job)->id);
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(taken.size(), 40u);
  EXPECT_EQ(std::set<std::string>(taken.begin(), taken.end()).size(), 40u);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobStoreConformance, ::testing::ValuesIn(DatabaseBackends()),
                         BackendName);

// The security store carries the jobs module in its own file and transactions.
TEST(SecurityStoreDatabase, TheSecurityStoreHasTheJobsModuleAndRefusesAPublicStore) {
  testing::TempDir dir;
  const std::string path = (dir / "security.db").string();
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    Database& db = (*store)->database();
    EXPECT_EQ(db.kind(), StoreKind::kSecurity);
    EXPECT_EQ(db.ModuleVersion("jobs").value_or(-1), 1);
    auto jobs = NewJobStore();
    ASSERT_TRUE(InWriteTransaction(
        db, [&](Transaction& tx) { return jobs->Add(tx, NewJob("a", "u", "1")); }));
    // The old-style methods go on working beside it.
    EXPECT_TRUE((*store)->ListOrganisations().has_value());
  }
  auto as_public = OpenDatabase(path, StoreKind::kPublic, {});
  ASSERT_FALSE(as_public.has_value());
  EXPECT_NE(as_public.error().message.find("security-side store"), std::string::npos)
      << as_public.error().message;

  const std::string public_path = (dir / "public.db").string();
  ASSERT_TRUE(OpenDatabase(public_path, StoreKind::kPublic, {}).has_value());
  auto as_security = OpenStore(public_path);
  ASSERT_FALSE(as_security.has_value());
  EXPECT_EQ(as_security.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(as_security.error().message.find("public"), std::string::npos)
      << as_security.error().message;
}

}  // namespace
}  // namespace corridor::store::conformance
