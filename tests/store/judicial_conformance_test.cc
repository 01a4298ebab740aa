// The JudicialStore conformance suite (corridor/store/judicial.h), run on every backend.
#include <gtest/gtest.h>

#include <map>

#include "corridor/store/judicial.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

JudicialRequest NewRequest(const std::string& id, const std::string& created) {
  JudicialRequest r;
  r.id = id;
  r.reference = "CN-2026-117";
  r.type = "extradition";
  r.requesting_org = "CN-MPS";
  r.requested_org = "PK-NACTA";
  r.legal_basis = "un-conventions";
  r.offence = "terrorist-bombing";
  r.incidents = {"i-1", "i-2"};
  r.urgency = "urgent";
  r.deadline = "2027-01-31";
  r.state = "draft";
  r.marking.tlp = model::Tlp::kAmber;
  r.marking.author = "li";
  r.marking.author_org = "CN-MPS";
  r.marking.distribution.organisations = {"PK-NACTA"};
  r.created = r.updated = created;
  return r;
}

class JudicialStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open({JudicialModule()});
    ASSERT_TRUE(db_);
    ASSERT_TRUE(InWriteTransaction(*db_, [&](Transaction& tx) {
      return s_->Add(tx, NewRequest("r1", "2026-12-01T10:00:00.000Z"));
    }));
  }
  std::unique_ptr<JudicialStore> s_ = NewJudicialStore();
};

TEST_P(JudicialStoreConformance, RequestsRoundTrip) {
  auto got = Read([&](Transaction& tx) { return s_->Get(tx, "r1"); });
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ(**got, NewRequest("r1", "2026-12-01T10:00:00.000Z"));
  auto dup = Write([&](Transaction& tx) { return s_->Add(tx, NewRequest("r1", "t")); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(Write(
      [&](Transaction& tx) { return s_->Add(tx, NewRequest("r2", "2026-12-02T00:00:00.000Z")); }));
  auto all = Read([&](Transaction& tx) { return s_->List(tx, 10); });
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "r2");  // newest first
}

TEST_P(JudicialStoreConformance, StateIsACompareAndSetWithHistory) {
  auto moved = Write([&](Transaction& tx) {
    return s_->SetState(tx, {"r1", "t1", "li", "draft", "sent", ""});
  });
  ASSERT_TRUE(moved.has_value());
  EXPECT_TRUE(*moved);
  auto stale = Write([&](Transaction& tx) {
    return s_->SetState(tx, {"r1", "t2", "ali", "draft", "withdrawn", ""});
  });
  ASSERT_TRUE(stale.has_value());
  EXPECT_FALSE(*stale);
  auto history = Read([&](Transaction& tx) { return s_->History(tx, "r1"); });
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0], (StateChange{"r1", "t1", "li", "draft", "sent", ""}));
  EXPECT_EQ((*Read([&](Transaction& tx) { return s_->Get(tx, "r1"); }))->state, "sent");
  // The last move of each request that moved, in one read.
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return s_->SetState(tx, {"r1", "t3", "li", "sent", "acknowledged", ""});
  }));
  auto last = Read([&](Transaction& tx) { return s_->LastMoves(tx, 10); });
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, (std::map<std::string, std::string>{{"r1", "t3"}}));
  // Only of the `limit` newest requests, as List gives them.
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = s_->Add(tx, NewRequest("r3", "2026-12-03T00:00:00.000Z")); !r) return r;
    auto moved = s_->SetState(tx, {"r3", "t4", "li", "draft", "sent", ""});
    if (!moved) return Fail(moved.error());
    return {};
  }));
  auto newest = Read([&](Transaction& tx) { return s_->LastMoves(tx, 1); });
  ASSERT_TRUE(newest.has_value());
  EXPECT_EQ(*newest, (std::map<std::string, std::string>{{"r3", "t4"}}));
  EXPECT_FALSE(Read([&](Transaction& tx) { return s_->LastMoves(tx, 0); }).has_value());
}

TEST_P(JudicialStoreConformance, AnswersAssurancesConsultationAndEvidence) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = s_->PutAnswer(tx, {"r1", "nationality", true, "first", "t1", "ali"}); !r) return r;
    return s_->PutAnswer(tx, {"r1", "nationality", false, "second", "t2", "ali"});  // replaces
  }));
  auto answers = Read([&](Transaction& tx) { return s_->Answers(tx, "r1"); });
  ASSERT_EQ(answers->size(), 1u);
  EXPECT_EQ((*answers)[0].reason, "second");
  auto orphan = Write([&](Transaction& tx) {
    return s_->PutAnswer(tx, {"zz", "g", true, "r", "t", "a"});
  });
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(Write([&](Transaction& tx) {
    return s_->PutAssurance(tx, {"r1", "death-penalty", "t1", ""});
  }));
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return s_->PutAssurance(tx, {"r1", "death-penalty", "t1", "t3"});
  }));
  auto assurances = Read([&](Transaction& tx) { return s_->Assurances(tx, "r1"); });
  ASSERT_EQ(assurances->size(), 1u);
  EXPECT_EQ((*assurances)[0].received_at, "t3");

  ASSERT_TRUE(Write([&](Transaction& tx) { return s_->SetConsultation(tx, "r1", "call", "t4"); }));
  EXPECT_EQ((*Read([&](Transaction& tx) { return s_->Get(tx, "r1"); }))->consultation, "call");
  EXPECT_FALSE(
      Write([&](Transaction& tx) { return s_->SetConsultation(tx, "zz", "x", "t"); }).has_value());

  ASSERT_TRUE(Write([&](Transaction& tx) {
    return s_->AddEvidence(tx, {"e1", "r1", "EXH-4", "trial", {}, "t5"});
  }));
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = s_->AddConsent(tx, "e1", "PK-FC"); !r) return r;
    return s_->AddConsent(tx, "e1", "PK-FC");  // idempotent
  }));
  auto e = Read([&](Transaction& tx) { return s_->GetEvidence(tx, "e1"); });
  ASSERT_TRUE(e.has_value() && e->has_value());
  EXPECT_EQ(**e, (SharedEvidence{"e1", "r1", "EXH-4", "trial", {"PK-FC"}, "t5"}));
  EXPECT_FALSE(
      Write([&](Transaction& tx) { return s_->AddConsent(tx, "e9", "PK-FC"); }).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, JudicialStoreConformance,
                         ::testing::ValuesIn(DatabaseBackends()), BackendName);

}  // namespace
}  // namespace corridor::store::conformance
