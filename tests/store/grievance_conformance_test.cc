// The grievance aggregate (corridor/store/grievance_store.h), on every backend.
#include <gtest/gtest.h>

#include "corridor/store/grievance_store.h"
#include "corridor/store/public_store.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

model::Grievance Case(const std::string& id, const std::string& filed_at,
                      const std::string& district = "PK204", bool reprisal = false) {
  model::Grievance g;
  g.id = id;
  g.receipt_digest = "digest-" + id;
  g.passphrase_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  g.lang = "ur";
  g.channel = "web";
  g.topic = "land-compensation";
  g.district = district;
  g.description = "زمین کا معاوضہ نہیں ملا";
  g.reprisal_fear = reprisal;
  g.filed_at = filed_at;
  g.tier_started_at = filed_at;
  return g;
}

model::GrievanceEvent Event(const std::string& id, std::int64_t seq, model::GrievanceAction a,
                            model::GrievanceState s, const std::string& at) {
  model::GrievanceEvent e;
  e.grievance_id = id;
  e.seq = seq;
  e.at = at;
  e.actor = seq == 1 ? "resident" : "officer.a";
  e.action = a;
  e.state = s;
  return e;
}

class GrievanceStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open(PublicModules(), StoreKind::kPublic, "public");
    ASSERT_TRUE(db_);
  }
  Result<void> Add(const model::Grievance& g) {
    return Write([&](Transaction& tx) {
      return store_->Add(tx, g,
                         Event(g.id, 1, model::GrievanceAction::kFile,
                               model::GrievanceState::kReceived, g.filed_at));
    });
  }
  std::unique_ptr<GrievanceStore> store_ = NewGrievanceStore();
};

TEST_P(GrievanceStoreConformance, ACaseRoundTripsAndIsFoundByItsReceiptDigestOnly) {
  auto g = Case("g1", "2026-03-19T05:00:00.000Z");
  g.contact_sealed = "c2VhbGVk";
  ASSERT_TRUE(Add(g));
  auto got = Read([&](Transaction& tx) { return store_->Get(tx, "g1"); });
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ(**got, g);
  auto by_receipt = Read([&](Transaction& tx) { return store_->FindByReceipt(tx, "digest-g1"); });
  ASSERT_TRUE(by_receipt.has_value() && by_receipt->has_value());
  EXPECT_EQ((*by_receipt)->id, "g1");
  auto none = Read([&](Transaction& tx) { return store_->FindByReceipt(tx, "g1"); });
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  auto events = Read([&](Transaction& tx) { return store_->Events(tx, "g1"); });
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].action, model::GrievanceAction::kFile);
}

TEST_P(GrievanceStoreConformance, TheSameIdOrReceiptIsRefusedAndNothingIsHalfWritten) {
  ASSERT_TRUE(Add(Case("g1", "2026-03-19T05:00:00.000Z")));
  auto again = Add(Case("g1", "2026-03-19T05:00:00.000Z"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto same_receipt = Case("g2", "2026-03-19T05:00:00.000Z");
  same_receipt.receipt_digest = "digest-g1";
  auto r = Add(same_receipt);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  auto g2 = Read([&](Transaction& tx) { return store_->Get(tx, "g2"); });
  ASSERT_TRUE(g2.has_value());
  EXPECT_FALSE(g2->has_value());
  auto empty = Case("g3", "2026-03-19T05:00:00.000Z");
  empty.passphrase_hash.clear();
  auto e = Add(empty);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(GrievanceStoreConformance, ACaseChangesOnlyByCompareAndSetWithItsNextEvent) {
  const auto g = Case("g1", "2026-03-19T05:00:00.000Z");
  ASSERT_TRUE(Add(g));
  auto next = g;
  next.state = model::GrievanceState::kAcknowledged;
  next.officer = "officer.a";
  const auto ack = Event("g1", 2, model::GrievanceAction::kAcknowledge,
                         model::GrievanceState::kAcknowledged, "2026-03-20T05:00:00.000Z");
  auto first = Write([&](Transaction& tx) { return store_->Update(tx, g, next, ack); });
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(*first);
  // A writer holding the old version loses, and its event is not appended.
  auto stale = Write([&](Transaction& tx) { return store_->Update(tx, g, next, std::nullopt); });
  ASSERT_TRUE(stale.has_value());
  EXPECT_FALSE(*stale);
  auto stored = Read([&](Transaction& tx) { return store_->Get(tx, "g1"); });
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ((*stored)->version, 2);
  EXPECT_EQ((*stored)->officer, "officer.a");
  EXPECT_EQ((*stored)->state, model::GrievanceState::kAcknowledged);
  // An event whose seq is not the next is refused, and the whole write with it.
  auto skipping = Event("g1", 5, model::GrievanceAction::kAsk, model::GrievanceState::kAcknowledged,
                        "2026-03-20T06:00:00.000Z");
  auto bad =
      Write([&](Transaction& tx) { return store_->Update(tx, **stored, **stored, skipping); });
  ASSERT_FALSE(bad.has_value());
  auto after = Read([&](Transaction& tx) { return store_->Get(tx, "g1"); });
  EXPECT_EQ(after.value().value().version, 2);
  auto events = Read([&](Transaction& tx) { return store_->Events(tx, "g1"); });
  ASSERT_EQ(events.value().size(), 2u);
  EXPECT_EQ(events.value()[1], ack);
  auto missing = Case("nope", "2026-03-19T05:00:00.000Z");
  auto absent =
      Write([&](Transaction& tx) { return store_->Update(tx, missing, missing, std::nullopt); });
  ASSERT_FALSE(absent.has_value());
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound);
}

TEST_P(GrievanceStoreConformance, ListsFilterAndPage) {
  ASSERT_TRUE(Add(Case("g2", "2026-03-20T05:00:00.000Z", "PK204")));
  ASSERT_TRUE(Add(Case("g1", "2026-03-19T05:00:00.000Z", "PK204")));
  ASSERT_TRUE(Add(Case("g3", "2026-03-21T05:00:00.000Z", "PK602")));
  GrievanceFilter f;
  auto all = Read([&](Transaction& tx) { return store_->List(tx, f); });
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "g1");  // filed first first
  f.district = "PK602";
  auto punjab = Read([&](Transaction& tx) { return store_->List(tx, f); });
  ASSERT_EQ(punjab.value().size(), 1u);
  f = {};
  f.limit = 1;
  f.offset = 1;
  auto page = Read([&](Transaction& tx) { return store_->List(tx, f); });
  ASSERT_EQ(page.value().size(), 1u);
  EXPECT_EQ(page.value()[0].id, "g2");
  f = {};
  f.state = "pending-forever";
  auto bad = Read([&](Transaction& tx) { return store_->List(tx, f); });
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(GrievanceStoreConformance, CountsUseTheMonthInKarachi) {
  // 2026-03-31T19:30Z is already 1 April in Karachi (UTC+05:00).
  ASSERT_TRUE(Add(Case("g1", "2026-03-31T18:59:00.000Z")));
  ASSERT_TRUE(Add(Case("g2", "2026-03-31T19:30:00.000Z", "PK204", true)));
  ASSERT_TRUE(Add(Case("g3", "2026-04-02T10:00:00.000Z")));
  auto counts = Read([&](Transaction& tx) { return store_->Counts(tx); });
  ASSERT_TRUE(counts.has_value()) << counts.error().message;
  ASSERT_EQ(counts->size(), 2u);
  EXPECT_EQ((*counts)[0], (GrievanceCount{"PK204", "2026-03", "land-compensation", "web", 1, 0}));
  EXPECT_EQ((*counts)[1], (GrievanceCount{"PK204", "2026-04", "land-compensation", "web", 2, 1}));
}

INSTANTIATE_TEST_SUITE_P(Backends, GrievanceStoreConformance,
                         ::testing::ValuesIn(DatabaseBackends()), BackendName);

}  // namespace
}  // namespace corridor::store::conformance
