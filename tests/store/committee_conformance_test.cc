// The CommitteeStore conformance suite (corridor/store/committee.h), run on every backend.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "corridor/store/committee.h"
#include "corridor/store/store.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

model::Marking Amber(std::vector<std::string> orgs) {
  model::Marking m;
  m.tlp = model::Tlp::kAmber;
  m.author = "secretary";
  m.author_org = "PK-NACTA";
  m.distribution.organisations = std::move(orgs);
  return m;
}

Committee NewCommittee(const std::string& id, const std::string& name) {
  Committee c;
  c.id = id;
  c.name = name;
  c.kind = CommitteeKind::kBilateral;
  c.members = {"CN-MPS", "PK-NACTA"};
  c.marking = Amber({"CN-MPS"});
  c.created = "2026-12-01T10:00:00.000Z";
  return c;
}

ActionItem NewAction(const std::string& id, const std::string& org, const std::string& due) {
  ActionItem a;
  a.id = id;
  a.committee_id = "c1";
  a.title = "share the route survey " + id;
  a.owner_org = org;
  a.due = due;
  a.evidence = {"https://example.org/" + id};
  a.marking = Amber({"CN-MPS"});
  a.created = a.updated = "2026-12-01T10:00:00.000Z";
  return a;
}

class CommitteeStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open({CommitteeModule()});
    ASSERT_TRUE(db_);
    ASSERT_TRUE(InWriteTransaction(*db_, [&](Transaction& tx) {
      return store_->AddCommittee(tx, NewCommittee("c1", "PK-CN JWG"));
    }));
  }
  std::unique_ptr<CommitteeStore> store_ = NewCommitteeStore();
};

TEST_P(CommitteeStoreConformance, CommitteesRoundTripAndNamesAreUnique) {
  auto got = Read([&](Transaction& tx) { return store_->GetCommittee(tx, "c1"); });
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ(**got, NewCommittee("c1", "PK-CN JWG"));
  auto by_name = Read([&](Transaction& tx) { return store_->FindCommittee(tx, "PK-CN JWG"); });
  ASSERT_TRUE(by_name.has_value() && by_name->has_value());
  EXPECT_EQ((*by_name)->id, "c1");
  EXPECT_FALSE(
      Read([&](Transaction& tx) { return store_->FindCommittee(tx, "none"); })->has_value());

  auto dup = Write(
      [&](Transaction& tx) { return store_->AddCommittee(tx, NewCommittee("c2", "PK-CN JWG")); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  Committee no_member = NewCommittee("c3", "Empty");
  no_member.members.clear();
  auto bad = Write([&](Transaction& tx) { return store_->AddCommittee(tx, no_member); });
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);

  Committee rats = NewCommittee("c4", "A SCO RATS council");
  rats.kind = CommitteeKind::kRegional;
  rats.marking.tlp = model::Tlp::kRed;
  rats.marking.distribution = {{"secretary", "li"}, {}, ""};
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddCommittee(tx, rats); }));
  auto all = Read([&](Transaction& tx) { return store_->ListCommittees(tx); });
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], rats);  // by name
}

TEST_P(CommitteeStoreConformance, MeetingsAndDecisionsNeedTheirParents) {
  Meeting m;
  m.id = "m1";
  m.committee_id = "c1";
  m.date = "2026-11-30";
  m.is_virtual = true;
  m.agenda = {"route security", "joint exercise"};
  m.present = {"CN-MPS", "PK-NACTA"};
  m.minutes = "agreed two decisions";
  m.marking = Amber({"CN-MPS"});
  m.created = "2026-12-01T10:00:00.000Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddMeeting(tx, m); }));
  Meeting orphan = m;
  orphan.id = "m2";
  orphan.committee_id = "nope";
  auto r = Write([&](Transaction& tx) { return store_->AddMeeting(tx, orphan); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  auto dup = Write([&](Transaction& tx) { return store_->AddMeeting(tx, m); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto meetings = Read([&](Transaction& tx) { return store_->ListMeetings(tx, "c1", 10); });
  ASSERT_TRUE(meetings.has_value());
  ASSERT_EQ(meetings->size(), 1u);
  EXPECT_EQ((*meetings)[0], m);
  // Every list of a committee is bounded by its caller's limit.
  for (int bad : {0, store::kMaxListedPerCommittee + 1}) {
    auto refused = Read([&](Transaction& tx) { return store_->ListMeetings(tx, "c1", bad); });
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(Read([&](Transaction& tx) { return store_->ListDecisions(tx, "c1", bad); }));
  }

  Decision d;
  d.id = "d1";
  d.committee_id = "c1";
  d.meeting_id = "m1";
  d.text = "Escort convoys on N-85";
  d.incidents = {"i-1"};
  d.assessments = {"a-1"};
  d.districts = {"PK201"};
  d.marking = Amber({"CN-MPS"});
  d.created = "2026-12-01T10:00:01.000Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddDecision(tx, d); }));
  Decision bad_meeting = d;
  bad_meeting.id = "d2";
  bad_meeting.meeting_id = "m9";
  auto r2 = Write([&](Transaction& tx) { return store_->AddDecision(tx, bad_meeting); });
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r2.error().message.find("meeting"), std::string::npos);
  // A meeting of another committee is not this committee's (what a partner's
  // decision names is checked here, not trusted).
  ASSERT_TRUE(Write(
      [&](Transaction& tx) { return store_->AddCommittee(tx, NewCommittee("c2", "Other")); }));
  Decision elsewhere = d;
  elsewhere.id = "d3";
  elsewhere.committee_id = "c2";
  auto r3 = Write([&](Transaction& tx) { return store_->AddDecision(tx, elsewhere); });
  ASSERT_FALSE(r3.has_value());
  EXPECT_EQ(r3.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r3.error().message.find("in committee c2"), std::string::npos) << r3.error().message;
  auto got = Read([&](Transaction& tx) { return store_->GetDecision(tx, "d1"); });
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ(**got, d);
  EXPECT_EQ(Read([&](Transaction& tx) { return store_->ListDecisions(tx, "c1", 10); })->size(), 1u);
  // Nor is another committee's decision an action's.
  ActionItem a;
  a.id = "x1";
  a.committee_id = "c2";
  a.decision_id = "d1";
  a.title = "Escort plan";
  a.owner_org = "CN-MPS";
  a.due = "2026-12-10";
  a.marking = Amber({"CN-MPS"});
  a.created = a.updated = "2026-12-01T10:00:02.000Z";
  auto r4 = Write([&](Transaction& tx) { return store_->AddAction(tx, a); });
  ASSERT_FALSE(r4.has_value());
  EXPECT_EQ(r4.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r4.error().message.find("no decision d1 in committee c2"), std::string::npos)
      << r4.error().message;
}

TEST_P(CommitteeStoreConformance, OverdueActionsPerOrganisationAndStatusCompareAndSet) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = store_->AddAction(tx, NewAction("a1", "CN-MPS", "2026-11-30")); !r) return r;
    if (auto r = store_->AddAction(tx, NewAction("a2", "CN-MPS", "2026-12-20")); !r) return r;
    return store_->AddAction(tx, NewAction("a3", "PK-NACTA", "2026-11-01"));
  }));
  ActionFilter overdue_cn{"", "CN-MPS", "2026-12-01"};
  auto overdue = Read([&](Transaction& tx) { return store_->ListActions(tx, overdue_cn, 100); });
  ASSERT_TRUE(overdue.has_value());
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0], NewAction("a1", "CN-MPS", "2026-11-30"));
  auto all = Read([&](Transaction& tx) { return store_->ListActions(tx, ActionFilter{}, 100); });
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "a3");  // by due date
  EXPECT_FALSE(Read([&](Transaction& tx) {
                 return store_->ListActions(tx, ActionFilter{}, 0);
               }).has_value());

  // Done actions are not overdue; a stale `from` writes nothing.
  auto moved = Write([&](Transaction& tx) {
    return store_->SetActionStatus(tx, "a1", ActionStatus::kOpen, ActionStatus::kDone, "t1");
  });
  ASSERT_TRUE(moved.has_value());
  EXPECT_TRUE(*moved);
  auto stale = Write([&](Transaction& tx) {
    return store_->SetActionStatus(tx, "a1", ActionStatus::kOpen, ActionStatus::kDropped, "t2");
  });
  ASSERT_TRUE(stale.has_value());
  EXPECT_FALSE(*stale);
  auto a1 = Read([&](Transaction& tx) { return store_->GetAction(tx, "a1"); });
  EXPECT_EQ((*a1)->status, ActionStatus::kDone);
  EXPECT_EQ((*a1)->updated, "t1");
  EXPECT_TRUE(
      Read([&](Transaction& tx) { return store_->ListActions(tx, overdue_cn, 100); })->empty());

  auto orphan = NewAction("a4", "CN-MPS", "2026-11-30");
  orphan.decision_id = "d404";
  auto r = Write([&](Transaction& tx) { return store_->AddAction(tx, orphan); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

// Overdue notices: raised once per action and due date, addressed to the
// owning account or else the whole owning organisation, read per account,
// gone from the list once the action is done.
TEST_P(CommitteeStoreConformance, OverdueNoticesAreRaisedOnceAndReadPerAccount) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = store_->AddAction(tx, NewAction("a1", "CN-MPS", "2026-11-30")); !r) return r;
    auto mine = NewAction("a2", "CN-MPS", "2026-11-15");
    mine.owner_account = "li";
    if (auto r = store_->AddAction(tx, mine); !r) return r;
    if (auto r = store_->AddAction(tx, NewAction("a3", "CN-MPS", "2026-12-20")); !r) return r;
    return store_->AddAction(tx, NewAction("a4", "PK-NACTA", "2026-11-01"));
  }));
  auto raised = Write([&](Transaction& tx) {
    return store_->RaiseOverdueNotices(tx, "2026-12-01", "2026-12-01T06:00:00.000Z");
  });
  ASSERT_TRUE(raised.has_value()) << raised.error().message;
  EXPECT_EQ(*raised, 3);  // a1, a2, a4; a3 is not due yet
  auto again = Write([&](Transaction& tx) {
    return store_->RaiseOverdueNotices(tx, "2026-12-02", "2026-12-02T06:00:00.000Z");
  });
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0);

  auto list = [&](const std::string& org, const std::string& account, bool unread) {
    auto r =
        Read([&](Transaction& tx) { return store_->ListNotices(tx, org, account, unread, 100); });
    EXPECT_TRUE(r.has_value()) << r.error().message;
    std::vector<std::string> out;
    for (const auto& n : *r) out.push_back(n.action_id + (n.read.empty() ? "" : " read"));
    return out;
  };
  // li owns a2 and belongs to CN-MPS (a1 is the organisation's); wang sees only a1.
  EXPECT_EQ(list("CN-MPS", "li", false), (std::vector<std::string>{"a2", "a1"}));
  EXPECT_EQ(list("CN-MPS", "wang", false), (std::vector<std::string>{"a1"}));
  EXPECT_EQ(list("PK-NACTA", "ali", false), (std::vector<std::string>{"a4"}));

  auto notices =
      Read([&](Transaction& tx) { return store_->ListNotices(tx, "CN-MPS", "wang", false, 100); });
  const std::int64_t a1 = (*notices)[0].id;
  auto got = Read([&](Transaction& tx) { return store_->GetNotice(tx, a1); });
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ(**got, (ActionNotice{a1, "a1", "2026-11-30", "2026-12-01T06:00:00.000Z", ""}));
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return store_->MarkNoticeRead(tx, a1, "wang", "2026-12-01T07:00:00.000Z");
  }));
  auto reread = Write([&](Transaction& tx) {
    return store_->MarkNoticeRead(tx, a1, "wang", "2026-12-01T08:00:00.000Z");
  });
  ASSERT_TRUE(reread.has_value());
  EXPECT_EQ(*reread, "2026-12-01T07:00:00.000Z");  // returns the time kept
  auto read =
      Read([&](Transaction& tx) { return store_->ListNotices(tx, "CN-MPS", "wang", false, 100); });
  EXPECT_EQ((*read)[0].read, "2026-12-01T07:00:00.000Z");  // the first time is kept
  EXPECT_TRUE(list("CN-MPS", "wang", true).empty());
  // Read by wang, still unread for li; read ones come after unread ones.
  EXPECT_EQ(list("CN-MPS", "li", true), (std::vector<std::string>{"a2", "a1"}));
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return store_->MarkNoticeRead(tx, a1, "li", "2026-12-01T09:00:00.000Z");
  }));
  EXPECT_EQ(list("CN-MPS", "li", false), (std::vector<std::string>{"a2", "a1 read"}));

  auto missing = Write([&](Transaction& tx) {
    return store_->MarkNoticeRead(tx, a1 + 1000, "li", "2026-12-01T09:00:00.000Z");
  });
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(Read([&](Transaction& tx) {
                 return store_->ListNotices(tx, "CN-MPS", "li", false, 0);
               }).has_value());

  // Done: the notice leaves the list.
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return store_->SetActionStatus(tx, "a2", ActionStatus::kOpen, ActionStatus::kDone, "t");
  }));
  EXPECT_EQ(list("CN-MPS", "li", false), (std::vector<std::string>{"a1 read"}));
}

// Writers keep an action at kMaxNotesPerAction notes; an action that has more
// (written before the bound) is read as its newest that many, oldest first.
TEST_P(CommitteeStoreConformance, AnActionIsReadWithAtMostItsBoundOfNotes) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = store_->AddAction(tx, NewAction("a1", "CN-MPS", "2026-11-30")); !r) return r;
    for (std::int64_t i = 0; i < store::kMaxNotesPerAction + 3; ++i) {
      char at[32];
      std::snprintf(at, sizeof at, "2026-12-01T10:%02d:%02d.000Z", static_cast<int>(i / 60 % 60),
                    static_cast<int>(i % 60));
      if (auto r = store_->AddActionNote(
              tx, {"a1", at, "li", "note " + std::to_string(i), "", "CN-MPS", ""});
          !r)
        return r;
    }
    return {};
  }));
  auto notes = Read([&](Transaction& tx) { return store_->ListActionNotes(tx, "a1"); });
  ASSERT_TRUE(notes.has_value()) << notes.error().message;
  ASSERT_EQ(static_cast<std::int64_t>(notes->size()), store::kMaxNotesPerAction);
  EXPECT_EQ(notes->front().text, "note 3");
  EXPECT_EQ(notes->back().text, "note " + std::to_string(store::kMaxNotesPerAction + 2));
}

// What a share reads of an action's progress: the newest notes one
// organisation wrote with an id, oldest first, at most `limit`.
TEST_P(CommitteeStoreConformance, AnOrganisationsNewestNotesAreReadUpToALimit) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = store_->AddAction(tx, NewAction("a1", "CN-MPS", "2026-11-30")); !r) return r;
    for (int i = 0; i < 7; ++i) {
      const std::string at = "2026-12-01T10:00:0" + std::to_string(i) + ".000Z";
      const std::string org = i % 2 == 0 ? "CN-MPS" : "PK-NACTA";
      if (auto r = store_->AddActionNote(
              tx, {"a1", at, "", "note " + std::to_string(i), "n" + std::to_string(i), org, ""});
          !r)
        return r;
    }
    // A note from before ids (no id) is never shared.
    return store_->AddActionNote(tx,
                                 {"a1", "2026-12-01T11:00:00.000Z", "li", "old", "", "CN-MPS", ""});
  }));
  const auto texts = [&](const std::string& org, int limit) {
    auto notes =
        Read([&](Transaction& tx) { return store_->ListActionNotesOf(tx, "a1", org, limit); });
    EXPECT_TRUE(notes.has_value()) << notes.error().message;
    std::vector<std::string> out;
    if (notes) {
      for (const auto& n : *notes) out.push_back(n.text);
    }
    return out;
  };
  EXPECT_EQ(texts("CN-MPS", 50),
            (std::vector<std::string>{"note 0", "note 2", "note 4", "note 6"}));
  EXPECT_EQ(texts("CN-MPS", 2), (std::vector<std::string>{"note 4", "note 6"}));
  EXPECT_EQ(texts("PK-NACTA", 50), (std::vector<std::string>{"note 1", "note 3", "note 5"}));
  EXPECT_TRUE(texts("PK-FC", 50).empty());
  for (int bad : {0, -1, static_cast<int>(store::kMaxNotesPerAction) + 1}) {
    auto refused =
        Read([&](Transaction& tx) { return store_->ListActionNotesOf(tx, "a1", "CN-MPS", bad); });
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST_P(CommitteeStoreConformance, ProgressNotesInOrderFoundByTheirIdAndNeverTwice) {
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return store_->AddAction(tx, NewAction("a1", "CN-MPS", "2026-11-30"));
  }));
  const ActionNote started{
      "a1", "2026-12-01T10:00:00.000Z", "li", "survey started", "n1", "CN-MPS", "in_progress"};
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = store_->AddActionNote(tx, started); !r) return r;
    // A note received from a partner has no author; one before ids had neither id nor org.
    if (auto r = store_->AddActionNote(tx, {"a1", "2026-12-02T10:00:00.000Z", "",
                                            "half done\nsecond line", "n2", "CN-MPS", ""});
        !r)
      return r;
    return store_->AddActionNote(tx, {"a1", "2026-12-03T10:00:00.000Z", "li", "old", "", "", ""});
  }));
  auto missing = Write([&](Transaction& tx) {
    return store_->AddActionNote(tx, {"zz", "t", "li", "x", "n9", "CN-MPS", ""});
  });
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto twice = Write([&](Transaction& tx) {
    return store_->AddActionNote(tx, {"a1", "t", "", "again", "n1", "CN-MPS", "done"});
  });
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict) << twice.error().message;
  // Two notes without an id are not a clash.
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return store_->AddActionNote(tx, {"a1", "2026-12-04T10:00:00.000Z", "li", "older", "", "", ""});
  }));
  auto notes = Read([&](Transaction& tx) { return store_->ListActionNotes(tx, "a1"); });
  ASSERT_TRUE(notes.has_value());
  ASSERT_EQ(notes->size(), 4u);
  EXPECT_EQ((*notes)[0], started);
  EXPECT_EQ((*notes)[1].text, "half done\nsecond line");
  EXPECT_EQ((*notes)[1].author, "");
  EXPECT_EQ((*notes)[3].text, "older");
  auto counted = Read([&](Transaction& tx) { return store_->CountActionNotes(tx, "a1"); });
  ASSERT_TRUE(counted.has_value());
  EXPECT_EQ(*counted, 4);
  auto none_counted = Read([&](Transaction& tx) { return store_->CountActionNotes(tx, "zz"); });
  ASSERT_TRUE(none_counted.has_value());
  EXPECT_EQ(*none_counted, 0);
  auto found = Read([&](Transaction& tx) { return store_->GetActionNote(tx, "n1"); });
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, started);
  auto none = Read([&](Transaction& tx) { return store_->GetActionNote(tx, ""); });
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
}

TEST_P(CommitteeStoreConformance, ExercisesReportOnceAndTheirLessonsBecomeActions) {
  Exercise e;
  e.id = "x1";
  e.committee_id = "c1";
  e.kind = ExerciseKind::kExercise;
  e.title = "Convoy ambush drill";
  e.scenario = "An IED on the N-25 at km 412; a convoy of 6 vehicles halts.";
  e.start = "2026-10-05";
  e.end = "2026-10-07";
  e.participants = {"CN-MPS", "PK-NACTA"};
  e.objectives = {"joint radio net", "casualty evacuation within 60 min"};
  e.districts = {"PK202", "PK208"};
  e.sites = {"5f0e4c52-8f1b-5a44-9f3e-0d5b7d3f9a10"};
  e.marking = Amber({"CN-MPS"});
  e.created = "2026-10-01T09:00:00.000Z";
  Exercise training = e;
  training.id = "x2";
  training.kind = ExerciseKind::kTraining;
  training.title = "Post-blast investigation course";
  training.start = training.end = "2026-11-20";
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = store_->AddExercise(tx, e); !r) return r;
    return store_->AddExercise(tx, training);
  }));
  auto got = Read([&](Transaction& tx) { return store_->GetExercise(tx, "x1"); });
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ(**got, e);
  // Latest start first; "" lists every committee's.
  auto listed = Read([&](Transaction& tx) { return store_->ListExercises(tx, "c1", 100); });
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "x2");
  EXPECT_EQ((*listed)[0].kind, ExerciseKind::kTraining);
  EXPECT_EQ(Read([&](Transaction& tx) { return store_->ListExercises(tx, "", 100); })->size(), 2u);
  EXPECT_TRUE(Read([&](Transaction& tx) { return store_->ListExercises(tx, "zz", 100); })->empty());
  // At most `limit`, the latest first; a limit outside 1..10000 is refused.
  auto latest = Read([&](Transaction& tx) { return store_->ListExercises(tx, "", 1); });
  ASSERT_TRUE(latest.has_value());
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ((*latest)[0].id, "x2");
  for (int bad : {0, 10001}) {
    auto refused = Read([&](Transaction& tx) { return store_->ListExercises(tx, "", bad); });
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  }

  auto dup = Write([&](Transaction& tx) { return store_->AddExercise(tx, e); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  Exercise orphan = e;
  orphan.id = "x3";
  orphan.committee_id = "zz";
  auto no_parent = Write([&](Transaction& tx) { return store_->AddExercise(tx, orphan); });
  ASSERT_FALSE(no_parent.has_value());
  EXPECT_EQ(no_parent.error().code, ErrorCode::kNotFound);

  // The after-action report is recorded once (compare-and-set).
  auto first = Write([&](Transaction& tx) {
    return store_->ReportExercise(tx, "x1", "radio net failed for 40 min",
                                  "2026-10-09T12:00:00.000Z");
  });
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(*first);
  auto second = Write([&](Transaction& tx) {
    return store_->ReportExercise(tx, "x1", "rewritten", "2026-10-10T12:00:00.000Z");
  });
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(*second);
  auto reported = Read([&](Transaction& tx) { return store_->GetExercise(tx, "x1"); });
  EXPECT_EQ((*reported)->findings, "radio net failed for 40 min");
  EXPECT_EQ((*reported)->reported, "2026-10-09T12:00:00.000Z");

  // Lessons are numbered in order and each names the action it became.
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = store_->AddAction(tx, NewAction("a1", "CN-MPS", "2026-12-31")); !r) return r;
    return store_->AddAction(tx, NewAction("a2", "PK-NACTA", "2027-01-31"));
  }));
  for (const auto& [text, action] : std::vector<std::pair<std::string, std::string>>{
           {"spare radios", "a1"}, {"medevac drill", "a2"}}) {
    auto seq = Write([&](Transaction& tx) {
      return store_->AddLesson(tx, {"x1", 99, text, action, "2026-10-09T12:00:00.000Z"});
    });
    ASSERT_TRUE(seq.has_value()) << seq.error().message;
    EXPECT_EQ(*seq, action == "a1" ? 1 : 2);
  }
  auto bad_action = Write([&](Transaction& tx) {
    return store_->AddLesson(tx, {"x1", 0, "x", "zz", "2026-10-09T12:00:00.000Z"});
  });
  ASSERT_FALSE(bad_action.has_value());
  EXPECT_EQ(bad_action.error().code, ErrorCode::kNotFound);
  auto lessons = Read([&](Transaction& tx) { return store_->ListLessons(tx, "x1"); });
  ASSERT_TRUE(lessons.has_value());
  ASSERT_EQ(lessons->size(), 2u);
  EXPECT_EQ((*lessons)[0],
            (ExerciseLesson{"x1", 1, "spare radios", "a1", "2026-10-09T12:00:00.000Z"}));
  EXPECT_EQ((*lessons)[1].action_id, "a2");
  EXPECT_TRUE(Read([&](Transaction& tx) { return store_->ListLessons(tx, "x2"); })->empty());
}

TEST_P(CommitteeStoreConformance, TeamsRoundTripAndNamesAreUniquePerCommittee) {
  JointTeam t;
  t.id = "t1";
  t.committee_id = "c1";
  t.name = "Gwadar joint cell";
  t.mandate = "Protect port construction convoys";
  t.members = {"CN-MPS", "PK-NACTA"};
  t.districts = {"PK202"};
  t.area =
      R"({"type":"Polygon","coordinates":[[[62.2,25.1],[62.5,25.1],[62.5,25.3],[62.2,25.1]]]})";
  t.start = "2026-01-01";
  t.marking = Amber({"CN-MPS"});
  t.created = "2026-01-01T00:00:00.000Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddTeam(tx, t); }));
  auto got = Read([&](Transaction& tx) { return store_->GetTeam(tx, "t1"); });
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ(**got, t);
  EXPECT_TRUE((*got)->end.empty());

  JointTeam same_name = t;
  same_name.id = "t2";
  auto dup = Write([&](Transaction& tx) { return store_->AddTeam(tx, same_name); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  // The same name in another committee is another team.
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    if (auto r = store_->AddCommittee(tx, NewCommittee("c2", "SCO RATS")); !r) return r;
    same_name.committee_id = "c2";
    same_name.end = "2026-03-31";
    return store_->AddTeam(tx, same_name);
  }));
  // `on` keeps the teams whose period includes the day, both ends included.
  auto on = [&](const std::string& day) {
    return Read([&](Transaction& tx) { return store_->ListTeams(tx, "", day, 100); })->size();
  };
  EXPECT_EQ(on("2025-12-31"), 0u);
  EXPECT_EQ(on("2026-01-01"), 2u);
  EXPECT_EQ(on("2026-03-31"), 2u);
  EXPECT_EQ(on("2026-04-01"), 1u);
  EXPECT_EQ(Read([&](Transaction& tx) { return store_->ListTeams(tx, "", "", 1); })->size(), 1u);
  EXPECT_FALSE(Read([&](Transaction& tx) { return store_->ListTeams(tx, "", "", 0); }).has_value());
  EXPECT_EQ(Read([&](Transaction& tx) { return store_->ListTeams(tx, "c1", "", 100); })->size(),
            1u);
  EXPECT_EQ(Read([&](Transaction& tx) { return store_->ListTeams(tx, "", "", 100); })->size(), 2u);
  JointTeam orphan = t;
  orphan.id = "t3";
  orphan.committee_id = "zz";
  auto no_parent = Write([&](Transaction& tx) { return store_->AddTeam(tx, orphan); });
  ASSERT_FALSE(no_parent.has_value());
  EXPECT_EQ(no_parent.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, CommitteeStoreConformance,
                         ::testing::ValuesIn(DatabaseBackends()), BackendName);

// The security store carries the committee module.
TEST(CommitteeModuleTest, TheSecurityStoreMigratesIt) {
  testing::TempDir dir;
  auto store = OpenStore((dir.path() / "security.db").string());
  ASSERT_TRUE(store.has_value()) << store.error().message;
  // Every migration applied: 1 the workspace, 2 the overdue notices, 3 the
  // exercises and teams, 4 the progress notes' id, organisation and status.
  EXPECT_EQ((*store)->database().ModuleVersion("committee").value_or(-1),
            CommitteeModule().migrations.back().version);
  EXPECT_EQ(CommitteeModule().migrations.back().version, 4);
}

}  // namespace
}  // namespace corridor::store::conformance
