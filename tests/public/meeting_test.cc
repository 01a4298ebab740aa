// Forums, meetings and the public calendar (public_side/meetings.h) on a real
// public store: times in Pakistan time or RFC 3339, bounds named by field,
// no personal data, minutes only once a meeting has begun, and an iCalendar
// feed that libical reads back without an error (pinned by a golden file).
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <cstdlib>

#include "corridor/public_side/accounts.h"
#include "corridor/public_side/consultations.h"
#include "corridor/public_side/meetings.h"
#include "public/public_fixture.h"
#include "testing/testing.h"

namespace corridor::public_side {
namespace {

using fixture::kOperator;
constexpr const char* kNow = "2026-12-01T09:00:00.000Z";

class MeetingTest : public fixture::PublicStoreTest {
 protected:
  void SetUp() override {
    OpenWith({{"moderator", model::PublicRole::kModerator},
              {"officer", model::PublicRole::kGrievanceOfficer}});
  }
  MeetingInput Forum() const {
    MeetingInput in;
    in.district = "PK205";
    in.title = "Community forum: the port road";
    in.agenda = "1. Crossings near the school\n2. Dust and noise at night";
    in.place = "Government Boys High School, Gwadar";
    in.starts_at = "2026-12-10T10:00";  // Pakistan time
    in.ends_at = "2026-12-10T12:30";
    in.organisations = {"Gwadar Fishermen's Alliance", "Community task force, ward 4"};
    return in;
  }
};

TEST(MeetingTime, PakistanTimeByDefaultAndRfc3339WithAnyOffset) {
  EXPECT_EQ(ParseMeetingTime("2026-12-10T10:00"), "2026-12-10T05:00:00.000Z");
  EXPECT_EQ(ParseMeetingTime("2026-12-10 10:00"), "2026-12-10T05:00:00.000Z");
  EXPECT_EQ(ParseMeetingTime("2026-12-10T02:30:15"), "2026-12-09T21:30:15.000Z");
  EXPECT_EQ(ParseMeetingTime("2026-12-10T05:00:00Z"), "2026-12-10T05:00:00.000Z");
  EXPECT_EQ(ParseMeetingTime("2026-12-10T05:00:00.250Z"), "2026-12-10T05:00:00.000Z");
  EXPECT_EQ(ParseMeetingTime("2026-12-10T13:00:00+08:00"), "2026-12-10T05:00:00.000Z");
  EXPECT_EQ(ParseMeetingTime("2026-12-10T00:00:00-03:30"), "2026-12-10T03:30:00.000Z");
  for (const char* bad : {"", "2026-12-10", "2026-02-30T10:00", "2026-12-10T24:00",
                          "2026-12-10T10:60", "2026-12-10T10:00 PKT", "2026-12-10T10:00+5",
                          "next tuesday", "2026-12-10T10:00:00+15:00"}) {
    EXPECT_FALSE(ParseMeetingTime(bad).has_value()) << bad;
  }
}

TEST_F(MeetingTest, AModeratorSchedulesAMeetingWithLinkedProposals) {
  auto c = OpenConsultation(*db_, *audit_, kOperator, {"PK205", "", "Port road", "", 5}, kNow);
  ASSERT_TRUE(c.has_value());
  auto codes = IssueCodes(*db_, *audit_, kOperator, "PK205", 1, kNow);
  auto p = Propose(*db_, *audit_, {c->id, codes->codes[0], "A crossing", "", "en"}, kNow);
  ASSERT_TRUE(p.has_value());
  auto in = Forum();
  in.consultation_id = c->id;
  in.proposal_ids = {p->id};
  auto m = ScheduleMeeting(*db_, *audit_, As("moderator"), in, kNow);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->starts_at, "2026-12-10T05:00:00.000Z");
  EXPECT_EQ(m->state, "scheduled");
  const auto j = MeetingJson(*db_, m->id).value();
  EXPECT_EQ(j["ends_at"], "2026-12-10T07:30:00.000Z");
  EXPECT_EQ(j["proposals"][0]["title"], "A crossing");
  EXPECT_EQ(j["proposals"][0]["consultation"], c->id);
  EXPECT_EQ(j["organisations"].size(), 2U);
  EXPECT_EQ(j.dump().find("moderator"), std::string::npos);  // no staff name in open data
  // A grievance officer may not schedule.
  EXPECT_EQ(ScheduleMeeting(*db_, *audit_, As("officer"), Forum(), kNow).error().code,
            ErrorCode::kPermissionDenied);
  // Listed by district, time window and linked proposal.
  ASSERT_TRUE(ScheduleMeeting(*db_, *audit_, kOperator, Forum(), kNow));
  auto other = Forum();
  other.district = "PK201";
  ASSERT_TRUE(ScheduleMeeting(*db_, *audit_, kOperator, other, kNow));
  EXPECT_EQ(ListMeetingsJson(*db_, {.district = "PK205"}).value()["count"], 2);
  EXPECT_EQ(ListMeetingsJson(*db_, {.proposal_id = p->id}).value()["count"], 1);
  EXPECT_EQ(ListMeetingsJson(*db_, {.from = "2026-12-10T10:00"}).value()["count"], 3);
  EXPECT_EQ(ListMeetingsJson(*db_, {.from = "2026-12-10T10:01"}).value()["count"], 0);
  EXPECT_EQ(ListMeetingsJson(*db_, {.to = "yesterday"}).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(MeetingTest, BadInputIsRefusedNamingTheFieldAndNothingIsStored) {
  const auto refused = [&](const MeetingInput& in, const std::string& field) {
    auto m = ScheduleMeeting(*db_, *audit_, kOperator, in, kNow);
    ASSERT_FALSE(m.has_value()) << field;
    EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument) << m.error().message;
    EXPECT_EQ(m.error().message.rfind(field, 0), 0U) << m.error().message;
  };
  auto in = Forum();
  in.district = "PK999";
  refused(in, "district");
  in = Forum();
  in.title = " ";
  refused(in, "title");
  in = Forum();
  in.starts_at = "10 December";
  refused(in, "starts_at");
  in = Forum();
  in.ends_at = "2026-12-10T09:59";
  refused(in, "ends_at");
  in = Forum();
  in.ends_at = "2026-12-11T10:00";
  refused(in, "ends_at");
  in = Forum();
  in.organisations = {"Alliance", "Alliance"};
  refused(in, "organisations/1");
  in = Forum();
  in.organisations.assign(kMaxMeetingOrganisations + 1, "x");
  refused(in, "organisations");
  in = Forum();
  in.proposal_ids = {"no-such-proposal"};
  refused(in, "proposals/0");
  in = Forum();
  in.consultation_id = "no-such-consultation";
  refused(in, "consultation");
  // People are not named: a phone, a house number, a relational name.
  in = Forum();
  in.place = "House No. 14, Street 3";
  refused(in, "place");
  in = Forum();
  in.agenda = "Meet Ali s/o Ahmed, 0300-1234567";
  refused(in, "agenda");
  EXPECT_EQ(ListMeetingsJson(*db_, {}).value()["count"], 0);
}

TEST_F(MeetingTest, MinutesComeAfterTheStartAndACancelledMeetingSaysWhy) {
  auto m = ScheduleMeeting(*db_, *audit_, kOperator, Forum(), kNow);
  ASSERT_TRUE(m.has_value());
  const std::string minutes = "Agreed: two crossings; the contractor waters the road twice a day.";
  EXPECT_EQ(RecordMinutes(*db_, *audit_, kOperator, m->id, minutes, kNow).error().code,
            ErrorCode::kConflict);  // it has not begun
  EXPECT_EQ(RecordMinutes(*db_, *audit_, As("officer"), m->id, minutes, "2026-12-10T08:00:00Z")
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      RecordMinutes(*db_, *audit_, kOperator, m->id, "Call 0300-1234567", "2026-12-10T08:00:00Z")
          .error()
          .code,
      ErrorCode::kInvalidArgument);
  auto held = RecordMinutes(*db_, *audit_, As("moderator"), m->id, minutes, "2026-12-10T08:00:00Z");
  ASSERT_TRUE(held.has_value()) << held.error().message;
  EXPECT_EQ(held->state, "held");
  EXPECT_EQ(held->sequence, 1);
  EXPECT_EQ(MeetingJson(*db_, m->id).value()["minutes"], minutes);
  EXPECT_EQ(CancelMeeting(*db_, *audit_, kOperator, m->id, "rain", kNow).error().code,
            ErrorCode::kConflict);  // held already

  auto next = ScheduleMeeting(*db_, *audit_, kOperator, Forum(), kNow);
  ASSERT_TRUE(next.has_value());
  auto cancelled = CancelMeeting(*db_, *audit_, As("moderator"), next->id,
                                 "The school hall is used as a polling station", kNow);
  ASSERT_TRUE(cancelled.has_value()) << cancelled.error().message;
  EXPECT_EQ(cancelled->sequence, 1);
  const auto j = MeetingJson(*db_, next->id).value();
  EXPECT_EQ(j["state"], "cancelled");
  EXPECT_EQ(j["cancel_reason"], "The school hall is used as a polling station");
  EXPECT_FALSE(j.contains("minutes"));
  EXPECT_EQ(RecordMinutes(*db_, *audit_, kOperator, next->id, minutes, "2026-12-10T08:00:00Z")
                .error()
                .code,
            ErrorCode::kConflict);
  EXPECT_EQ(MeetingJson(*db_, "nope").error().code, ErrorCode::kNotFound);
  auto chain = audit_->Verify();
  ASSERT_TRUE(chain.has_value());
  EXPECT_TRUE(chain->ok);
}

// The calendar is pinned by a golden file (fixed ids and times, stored
// directly), and libical reads it back with no parse error.
TEST_F(MeetingTest, TheCalendarIsValidICalendarPinnedByAGoldenFile) {
  auto s = store::NewMeetingStore();
  store::Meeting forum;
  forum.id = "0b6f2c4e-6a53-4c1f-9a43-3f1d2d0c9e01";
  forum.district = "PK205";
  forum.title = "بندرگاہ کی سڑک: کمیونٹی فورم";
  forum.agenda = "1. Crossings near the school; lights\n2. Dust, noise at night";
  forum.place = "Government Boys High School, Gwadar";
  forum.starts_at = "2026-12-10T05:00:00.000Z";
  forum.ends_at = "2026-12-10T07:30:00.000Z";
  forum.organisations = {"Gwadar Fishermen's Alliance", "社区工作组"};
  forum.created_at = forum.updated_at = kNow;
  store::Meeting cancelled = forum;
  cancelled.id = "0b6f2c4e-6a53-4c1f-9a43-3f1d2d0c9e02";
  cancelled.title = "Water points: task force meeting";
  cancelled.starts_at = "2026-12-17T05:00:00.000Z";
  cancelled.ends_at = "2026-12-17T06:00:00.000Z";
  cancelled.state = "cancelled";
  cancelled.cancel_reason = "The hall is a polling station that day";
  cancelled.sequence = 1;
  for (const auto& m : {forum, cancelled}) {
    ASSERT_TRUE(store::InWriteTransaction(
        *db_, [&](store::Transaction& tx) { return s->AddMeeting(tx, m); }));
  }
  auto ics = CalendarIcs(*db_, {}, "https://public.corridor.example", "ur",
                         "Corridor public meetings", "2026-12-01T09:00:00.000Z");
  ASSERT_TRUE(ics.has_value()) << ics.error().message;
  testing::ExpectGolden("public/meetings.golden.ics", *ics);

  // Lines end in CRLF, are at most 75 octets, and are whole UTF-8.
  std::size_t start = 0;
  while (start < ics->size()) {
    const auto end = ics->find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "a line without CRLF at " << start;
    const std::string line = ics->substr(start, end - start);
    EXPECT_LE(line.size(), 75U) << line;
    const unsigned char first = line.empty() ? 0 : static_cast<unsigned char>(line[0]);
    EXPECT_FALSE(first >= 0x80 && first < 0xC0) << "a fold split a character: " << line;
    start = end + 2;
  }
  // libical parses it back: two events, no X-LIC-ERROR, RFC 5545 restrictions met.
  icalcomponent* cal = icalparser_parse_string(ics->c_str());
  ASSERT_NE(cal, nullptr);
  EXPECT_EQ(icalcomponent_count_errors(cal), 0);
  EXPECT_EQ(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 2);
  EXPECT_EQ(icalrestriction_check(cal), 1);
  icalcomponent* first_event = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
  EXPECT_STREQ(icalcomponent_get_summary(first_event), forum.title.c_str());
  EXPECT_STREQ(icalcomponent_get_description(first_event),
               (forum.agenda +
                "\n\n• Gwadar Fishermen's Alliance\n• 社区工作组\n"
                "\nhttps://public.corridor.example/ur/meetings/" +
                forum.id)
                   .c_str());
  icalcomponent* second = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT);
  EXPECT_EQ(icalcomponent_get_status(second), ICAL_STATUS_CANCELLED);
  icalcomponent_free(cal);
}

}  // namespace
}  // namespace corridor::public_side
