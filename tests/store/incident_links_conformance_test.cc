// The IncidentLinkStore conformance suite (corridor/store/incident_links.h),
// run on every backend. That a confirmation counts the other record in the
// kept one is the SQLite security store's part (store_test).
#include <gtest/gtest.h>

#include "corridor/store/incident_links.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

IncidentLink Candidate(const std::string& x, const std::string& y, double score) {
  IncidentLink l;
  l.a = std::min(x, y);
  l.b = std::max(x, y);
  l.id = LinkId(x, y);
  l.score = score;
  l.reasons = {"1.2 km apart (exact, exact)", "same day", "killed 4 and 5"};
  l.distance_km = 1.2;
  return l;
}

class IncidentLinkStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open({IncidentLinksModule()});
    ASSERT_TRUE(db_);
    std::vector<IncidentLink> links = {Candidate("i1", "i2", 0.9), Candidate("i3", "i2", 0.7),
                                       Candidate("i4", "i5", 0.8)};
    auto added = Write([&](Transaction& tx) { return s_->PutCandidates(tx, links, "t1"); });
    ASSERT_TRUE(added.has_value()) << added.error().message;
    ASSERT_EQ(*added, 3);
  }
  std::unique_ptr<IncidentLinkStore> s_ = NewIncidentLinkStore();
};

TEST_P(IncidentLinkStoreConformance, CandidatesRoundTripBestFirst) {
  EXPECT_EQ(LinkId("i2", "i1"), LinkId("i1", "i2"));
  auto got = Read([&](Transaction& tx) { return s_->Get(tx, LinkId("i1", "i2")); });
  ASSERT_TRUE(got.has_value() && got->has_value());
  IncidentLink want = Candidate("i1", "i2", 0.9);
  want.created = want.updated = "t1";
  EXPECT_EQ(**got, want);
  auto all = Read([&](Transaction& tx) { return s_->List(tx, "", 10, 0); });
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].score, 0.9);
  EXPECT_EQ((*all)[1].score, 0.8);
  auto second = Read([&](Transaction& tx) { return s_->List(tx, "candidate", 1, 1); });
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].a, "i4");
  auto of = Read([&](Transaction& tx) { return s_->Of(tx, "i2"); });
  ASSERT_EQ(of->size(), 2u);
  auto bad = Read([&](Transaction& tx) { return s_->List(tx, "maybe", 10, 0); });
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(IncidentLinkStoreConformance, ALinkIsOnePerPairWithItsIdFromThePair) {
  IncidentLink wrong = Candidate("i1", "i9", 0.9);
  wrong.id = LinkId("i1", "i8");
  auto r = Write([&](Transaction& tx) {
    return s_->PutCandidates(tx, std::vector<IncidentLink>{wrong}, "t2");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  IncidentLink reversed = Candidate("i1", "i9", 0.9);
  std::swap(reversed.a, reversed.b);
  r = Write([&](Transaction& tx) {
    return s_->PutCandidates(tx, std::vector<IncidentLink>{reversed}, "t2");
  });
  ASSERT_FALSE(r.has_value());
}

TEST_P(IncidentLinkStoreConformance, ARunUpdatesUndecidedLinksAndNeverReopensDecidedOnes) {
  LinkDecision d{LinkId("i4", "i5"), "rejected", "", "ayesha", "t2", "different attacks"};
  auto decided = Write([&](Transaction& tx) { return s_->Decide(tx, d); });
  ASSERT_TRUE(decided.has_value() && *decided);
  std::vector<IncidentLink> again = {Candidate("i1", "i2", 0.95), Candidate("i4", "i5", 0.99),
                                     Candidate("i6", "i7", 0.65)};
  auto added = Write([&](Transaction& tx) { return s_->PutCandidates(tx, again, "t3"); });
  ASSERT_EQ(*added, 1);
  auto one = Read([&](Transaction& tx) { return s_->Get(tx, LinkId("i1", "i2")); });
  EXPECT_EQ((*one)->score, 0.95);
  EXPECT_EQ((*one)->updated, "t3");
  EXPECT_EQ((*one)->created, "t1");
  auto rejected = Read([&](Transaction& tx) { return s_->Get(tx, LinkId("i4", "i5")); });
  EXPECT_EQ((*rejected)->state, "rejected");
  EXPECT_EQ((*rejected)->score, 0.8);
  EXPECT_EQ((*rejected)->note, "different attacks");
  auto counts = Read([&](Transaction& tx) { return s_->Counts(tx); });
  EXPECT_EQ(*counts, (std::map<std::string, std::int64_t>{{"candidate", 3}, {"rejected", 1}}));
}

TEST_P(IncidentLinkStoreConformance, ADecisionIsACompareAndSetFromCandidate) {
  const std::string id = LinkId("i1", "i2");
  LinkDecision confirm{id, "confirmed", "i1", "ayesha", "t2", ""};
  auto first = Write([&](Transaction& tx) { return s_->Decide(tx, confirm); });
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(*first);
  LinkDecision reject{id, "rejected", "", "li-wei", "t3", ""};
  auto second = Write([&](Transaction& tx) { return s_->Decide(tx, reject); });
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(*second);  // decided meanwhile: nothing written
  auto got = Read([&](Transaction& tx) { return s_->Get(tx, id); });
  EXPECT_EQ((*got)->state, "confirmed");
  EXPECT_EQ((*got)->kept, "i1");
  EXPECT_EQ((*got)->decided_by, "ayesha");

  LinkDecision foreign{LinkId("i3", "i2"), "confirmed", "i9", "ayesha", "t2", ""};
  auto bad = Write([&](Transaction& tx) { return s_->Decide(tx, foreign); });
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  LinkDecision missing{LinkId("x", "y"), "rejected", "", "ayesha", "t2", ""};
  auto none = Write([&](Transaction& tx) { return s_->Decide(tx, missing); });
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  LinkDecision odd{LinkId("i3", "i2"), "candidate", "", "ayesha", "t2", ""};
  auto reopen = Write([&](Transaction& tx) { return s_->Decide(tx, odd); });
  ASSERT_FALSE(reopen.has_value());
  EXPECT_EQ(reopen.error().code, ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentLinkStoreConformance,
                         ::testing::ValuesIn(DatabaseBackends()), BackendName);

}  // namespace
}  // namespace corridor::store::conformance
