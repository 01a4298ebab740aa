// Results tracking (public_side/outcomes.h) on a real public store: a result
// links its consultation's proposals and its district's meetings, progress is
// reported with a note each time and shown in order, and completed or
// cancelled is final.
#include <gtest/gtest.h>

#include "corridor/public_side/consultations.h"
#include "corridor/public_side/meetings.h"
#include "corridor/public_side/outcomes.h"
#include "public/public_fixture.h"

namespace corridor::public_side {
namespace {

using fixture::kOperator;
constexpr const char* kNow = "2026-12-01T09:00:00.000Z";

class OutcomeTest : public fixture::PublicStoreTest {
 protected:
  void SetUp() override {
    OpenWith({{"moderator", model::PublicRole::kModerator},
              {"admin", model::PublicRole::kPublicAdmin},
              {"officer", model::PublicRole::kGrievanceOfficer}});
    auto c = OpenConsultation(*db_, *audit_, kOperator, {"PK205", "", "Port road", "", 5}, kNow);
    ASSERT_TRUE(c.has_value());
    consultation_ = c->id;
    auto codes = IssueCodes(*db_, *audit_, kOperator, "PK205", 1, kNow);
    ASSERT_TRUE(codes.has_value());
    auto p = Propose(*db_, *audit_, {consultation_, codes->codes[0], "A crossing", "", "en"}, kNow);
    ASSERT_TRUE(p.has_value());
    proposal_ = p->id;
    MeetingInput forum;
    forum.district = "PK205";
    forum.title = "Forum";
    forum.place = "Town hall";
    forum.starts_at = "2026-11-20T10:00";
    forum.ends_at = "2026-11-20T12:00";
    auto m = ScheduleMeeting(*db_, *audit_, kOperator, forum, kNow);
    ASSERT_TRUE(m.has_value());
    meeting_ = m->id;
  }
  OutcomeInput Crossings() const {
    return {consultation_, "Two crossings at the school",    "With lights", {proposal_},
            {meeting_},    "The forum agreed two crossings", "2026-11-20"};
  }
  std::string consultation_, proposal_, meeting_;
};

TEST_F(OutcomeTest, AResultIsTrackedAndItsProgressShownUpdateByUpdate) {
  auto o = TrackOutcome(*db_, *audit_, As("moderator"), Crossings(), kNow);
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o->status, "not-started");
  EXPECT_EQ(o->progress, 0);
  auto first = ReportProgress(*db_, *audit_, As("admin"), o->id,
                              {"in-progress", 40, "Contract signed; work begins in January"},
                              "2026-12-05T09:00:00.000Z");
  ASSERT_TRUE(first.has_value()) << first.error().message;
  auto done = ReportProgress(*db_, *audit_, As("moderator"), o->id,
                             {"completed", -1, "Both crossings painted and lit"},
                             "2027-02-01T09:00:00.000Z");
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(done->progress, 100);  // completed means 100
  const auto j = OutcomeJson(*db_, o->id).value();
  EXPECT_EQ(j["status"], "completed");
  ASSERT_EQ(j["updates"].size(), 2U);
  EXPECT_EQ(j["updates"][0]["progress"], 40);
  EXPECT_EQ(j["updates"][0]["note"], "Contract signed; work begins in January");
  EXPECT_EQ(j["updates"][1]["status"], "completed");
  EXPECT_EQ(j["proposals"][0], proposal_);
  EXPECT_EQ(j["meetings"][0], meeting_);
  EXPECT_EQ(j["decided_on"], "2026-11-20");
  EXPECT_EQ(j.dump().find("moderator"), std::string::npos);
  // The consultation's page read carries its results.
  const auto c = ConsultationJson(*db_, consultation_).value();
  ASSERT_EQ(c["results"].size(), 1U);
  EXPECT_EQ(c["results"][0]["id"], o->id);
  // Final: nothing moves a completed result.
  EXPECT_EQ(
      ReportProgress(*db_, *audit_, kOperator, o->id, {"in-progress", 90, "x"}, kNow).error().code,
      ErrorCode::kConflict);
  auto chain = audit_->Verify();
  ASSERT_TRUE(chain.has_value());
  EXPECT_TRUE(chain->ok);
}

TEST_F(OutcomeTest, LinksAndProgressAreCheckedAndOnlyStaffReport) {
  const auto refused = [&](const OutcomeInput& in, const std::string& field) {
    auto o = TrackOutcome(*db_, *audit_, kOperator, in, kNow);
    ASSERT_FALSE(o.has_value()) << field;
    EXPECT_EQ(o.error().code, ErrorCode::kInvalidArgument) << o.error().message;
    EXPECT_EQ(o.error().message.rfind(field, 0), 0U) << o.error().message;
  };
  auto in = Crossings();
  in.consultation_id = "nope";
  refused(in, "consultation");
  in = Crossings();
  in.proposal_ids = {proposal_, "nope"};
  refused(in, "proposals/1");
  in = Crossings();
  in.meeting_ids = {"nope"};
  refused(in, "meetings/0");
  in = Crossings();
  in.decided_on = "20 November";
  refused(in, "decided_on");
  in = Crossings();
  in.decision = "";
  refused(in, "decision");
  in = Crossings();
  in.description = "Ask Ali s/o Ahmed, House No. 4";
  refused(in, "description");
  // A meeting of another district is not this consultation's.
  MeetingInput away;
  away.district = "PK201";
  away.title = "Elsewhere";
  away.place = "Hall";
  away.starts_at = "2026-11-20T10:00";
  away.ends_at = "2026-11-20T11:00";
  auto other = ScheduleMeeting(*db_, *audit_, kOperator, away, kNow);
  ASSERT_TRUE(other.has_value());
  in = Crossings();
  in.meeting_ids = {other->id};
  refused(in, "meetings/0");
  EXPECT_EQ(TrackOutcome(*db_, *audit_, As("officer"), Crossings(), kNow).error().code,
            ErrorCode::kPermissionDenied);

  auto o = TrackOutcome(*db_, *audit_, kOperator, Crossings(), kNow);
  ASSERT_TRUE(o.has_value());
  const auto bad = [&](const ProgressInput& p) {
    return ReportProgress(*db_, *audit_, kOperator, o->id, p, kNow).error().code;
  };
  EXPECT_EQ(bad({"finished", 10, "x"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad({"in-progress", 101, "x"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad({"in-progress", 10, " "}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad({"not-started", 10, "x"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad({"completed", 90, "x"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad({"in-progress", 10, "call 0300-1234567"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ReportProgress(*db_, *audit_, As("officer"), o->id, {"in-progress", 10, "x"}, kNow)
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      ReportProgress(*db_, *audit_, kOperator, "nope", {"in-progress", 10, "x"}, kNow).error().code,
      ErrorCode::kNotFound);
  // Nothing of the refused updates is shown.
  EXPECT_TRUE(OutcomeJson(*db_, o->id).value()["updates"].empty());
  auto cancelled = ReportProgress(*db_, *audit_, kOperator, o->id,
                                  {"cancelled", -1, "The road was rerouted"}, kNow);
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(bad({"in-progress", 10, "x"}), ErrorCode::kConflict);
}

}  // namespace
}  // namespace corridor::public_side
