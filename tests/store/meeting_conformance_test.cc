// The meeting aggregate (corridor/store/meeting_store.h), on every backend.
#include <gtest/gtest.h>

#include "corridor/store/meeting_store.h"
#include "corridor/store/public_store.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

Meeting Forum(const std::string& id, const std::string& starts_at,
              const std::string& district = "PK205") {
  Meeting m;
  m.id = id;
  m.district = district;
  m.title = "Community forum: the port road";
  m.agenda = "1. Crossings\n2. Dust; noise, at night";
  m.place = "Government Boys High School, Gwadar";
  m.starts_at = starts_at;
  m.ends_at = starts_at.substr(0, 11) + "07:00:00.000Z";
  m.organisations = {"Gwadar Fishermen's Alliance", "Community task force, ward 4"};
  m.created_by = "moderator.a";
  m.created_at = "2026-03-01T09:00:00.000Z";
  m.updated_at = m.created_at;
  return m;
}

class MeetingStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open(PublicModules(), StoreKind::kPublic, "public");
    ASSERT_TRUE(db_);
  }
  std::unique_ptr<MeetingStore> store_ = NewMeetingStore();
};

TEST_P(MeetingStoreConformance, MeetingsRoundTripWithTheirListsInOrder) {
  auto m = Forum("m1", "2026-03-10T05:00:00.000Z");
  m.proposal_ids = {"p2", "p1"};
  m.consultation_id = "c1";
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddMeeting(tx, m); }));
  auto got = Read([&](Transaction& tx) { return store_->GetMeeting(tx, "m1"); });
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, m);
  EXPECT_EQ(Write([&](Transaction& tx) { return store_->AddMeeting(tx, m); }).error().code,
            ErrorCode::kConflict);
  auto nameless = Forum("", "2026-03-10T05:00:00.000Z");
  EXPECT_EQ(Write([&](Transaction& tx) { return store_->AddMeeting(tx, nameless); }).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(Read([&](Transaction& tx) { return store_->GetMeeting(tx, "nope"); })->has_value());
}

TEST_P(MeetingStoreConformance, TheCalendarIsInTimeOrderAndFilters) {
  auto linked = Forum("m3", "2026-04-02T05:00:00.000Z");
  linked.proposal_ids = {"p1"};
  for (const auto& m : {Forum("m2", "2026-05-01T05:00:00.000Z"), linked,
                        Forum("m1", "2026-03-10T05:00:00.000Z", "PK201")}) {
    ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddMeeting(tx, m); }));
  }
  const auto ids = [&](const MeetingQuery& q) {
    std::vector<std::string> out;
    auto all = Read([&](Transaction& tx) { return store_->ListMeetings(tx, q); });
    EXPECT_TRUE(all) << all.error().message;
    if (!all) return out;
    for (const auto& m : *all) out.push_back(m.id);
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<std::string>{"m1", "m3", "m2"}));
  EXPECT_EQ(ids({.district = "PK205"}), (std::vector<std::string>{"m3", "m2"}));
  EXPECT_EQ(ids({.from = "2026-04-02T05:00:00.000Z"}), (std::vector<std::string>{"m3", "m2"}));
  EXPECT_EQ(ids({.to = "2026-04-02T05:00:00.000Z"}), (std::vector<std::string>{"m1", "m3"}));
  EXPECT_EQ(ids({.proposal_id = "p1"}), (std::vector<std::string>{"m3"}));
  EXPECT_EQ(ids({.limit = 1}), (std::vector<std::string>{"m1"}));
  EXPECT_EQ(ids({.id = "m2"}), (std::vector<std::string>{"m2"}));
  EXPECT_EQ(
      Read([&](Transaction& tx) { return store_->ListMeetings(tx, {.limit = 0}); }).error().code,
      ErrorCode::kInvalidArgument);
  // The lists come with each meeting.
  auto all = Read([&](Transaction& tx) { return store_->ListMeetings(tx, {.proposal_id = "p1"}); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1U);
  EXPECT_EQ((*all)[0].organisations.size(), 2U);
}

TEST_P(MeetingStoreConformance, UpdatesAreCompareAndSetAndReplaceTheLists) {
  auto m = Forum("m1", "2026-03-10T05:00:00.000Z");
  m.proposal_ids = {"p1", "p2"};
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddMeeting(tx, m); }));
  Meeting held = m;
  held.state = "held";
  held.minutes = "Agreed: two crossings; the contractor waters the road twice a day.";
  held.minutes_at = "2026-03-10T09:00:00.000Z";
  held.organisations = {"Gwadar Fishermen's Alliance"};
  held.proposal_ids = {"p2"};
  held.sequence = 1;
  held.id = "ignored";  // the id, district and creation are never rewritten
  held.district = "PK201";
  EXPECT_TRUE(Write([&](Transaction& tx) { return store_->UpdateMeeting(tx, m, held); }).value());
  EXPECT_FALSE(Write([&](Transaction& tx) { return store_->UpdateMeeting(tx, m, held); }).value());
  auto got = Read([&](Transaction& tx) { return store_->GetMeeting(tx, "m1"); });
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->id, "m1");
  EXPECT_EQ((*got)->district, "PK205");
  EXPECT_EQ((*got)->state, "held");
  EXPECT_EQ((*got)->minutes, held.minutes);
  EXPECT_EQ((*got)->organisations, held.organisations);
  EXPECT_EQ((*got)->proposal_ids, held.proposal_ids);
  EXPECT_EQ((*got)->sequence, 1);
  EXPECT_EQ((*got)->version, m.version + 1);
  Meeting ghost = m;
  ghost.id = "nope";
  EXPECT_EQ(
      Write([&](Transaction& tx) { return store_->UpdateMeeting(tx, ghost, held); }).error().code,
      ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, MeetingStoreConformance, ::testing::ValuesIn(DatabaseBackends()),
                         BackendName);

}  // namespace
}  // namespace corridor::store::conformance
