// The committee workspace's use cases (service/committee.h): who writes, who
// reads what the marking allows, overdue listing, and the audit trail.
#include "corridor/service/committee.h"

#include <gtest/gtest.h>

#include <map>

#include "corridor/auth/audit_log.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/date.h"
#include "corridor/common/uuid.h"
#include "corridor/geo/vector_io.h"
#include "corridor/service/exercises.h"
#include "corridor/service/judicial.h"
#include "corridor/store/committee.h"
#include "corridor/store/database.h"
#include "corridor/store/store.h"
#include "testing/testing.h"

namespace corridor::service {
namespace {

using model::Role;

auth::Principal Principal(std::string name, std::string org, Role role, bool mfa = true) {
  return auth::Principal{std::move(name), std::move(org), {role}, {}, mfa, false};
}

std::string DaysFromToday(int days) {
  auto today = Date::ParseIso(NowTimestamp().substr(0, 10));
  return Date(today->days() + days).iso();
}

class CommitteeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenStore((dir_.path() / "c.db").string());
    ASSERT_TRUE(s.has_value()) << s.error().message;
    store_ = std::move(*s);
    auto keys = auth::LoadOrCreateInstanceKeys((dir_.path() / "c.db.keys").string());
    ASSERT_TRUE(keys.has_value()) << keys.error().message;
    keys_ = std::move(*keys);
    audit_ = std::make_unique<auth::AuditLog>(*store_, keys_);
    for (const char* org : {"PK-NACTA", "CN-MPS", "PK-FC", "UN-OCT"}) {
      ASSERT_TRUE(store_->AddOrganisation({org, {}, false, "2026-01-01T00:00:00Z"}));
    }
    ctx_ = std::make_unique<Context>(Context{*store_, *audit_});
  }
  std::vector<model::AuditEntry> AuditOf(const std::string& actor, const std::string& action) {
    store::AuditQuery q;
    q.actor = actor;
    q.action = action;
    return store_->ListAudit(q).value_or(std::vector<model::AuditEntry>{});
  }
  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  auth::InstanceKeys keys_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<Context> ctx_;
  const Caller secretary_ = CallerFor(Principal("secretary", "PK-NACTA", Role::kCommittee), "test");
  const Caller cn_committee_ = CallerFor(Principal("li", "CN-MPS", Role::kCommittee), "test");
  const Caller cn_analyst_ = CallerFor(Principal("wang", "CN-MPS", Role::kAnalyst), "test");
  const Caller outsider_ = CallerFor(Principal("fc-analyst", "PK-FC", Role::kAnalyst), "test");
  const Caller site_ =
      CallerFor(Principal("guard", "PK-NACTA", Role::kSiteSecurity, false), "test");
};

TEST_F(CommitteeServiceTest, OnlyTheCommitteeRoleWritesAndMembersMustExist) {
  auto denied = AddCommittee(*ctx_, cn_analyst_, {"JWG", "bilateral", {"PK-NACTA"}, {}});
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto unknown = AddCommittee(*ctx_, secretary_, {"JWG", "bilateral", {"CN-MPS", "XX-NONE"}, {}});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(unknown.error().message.find("/orgs/1"), std::string::npos) << unknown.error().message;
  auto kind = AddCommittee(*ctx_, secretary_, {"JWG", "trilateral", {"CN-MPS"}, {}});
  ASSERT_FALSE(kind.has_value());
  EXPECT_NE(kind.error().message.find("/kind"), std::string::npos);

  auto c = AddCommittee(*ctx_, secretary_, {"JWG", "bilateral", {"CN-MPS"}, {}});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->members, (std::vector<std::string>{"CN-MPS", "PK-NACTA"}));  // own org added
  EXPECT_EQ(c->marking.tlp, model::Tlp::kAmber);
  EXPECT_EQ(c->marking.distribution.organisations, std::vector<std::string>{"CN-MPS"});
  EXPECT_EQ(AuditOf("secretary", "committee-write").size(), 1u);

  auto meeting =
      AddMeeting(*ctx_, secretary_, {"JWG", "2026-13-01", "Islamabad", false, {}, {}, "", {}});
  ASSERT_FALSE(meeting.has_value());
  EXPECT_NE(meeting.error().message.find("/date"), std::string::npos);
  auto stranger =
      AddMeeting(*ctx_, secretary_, {"JWG", "2026-11-30", "", true, {}, {"PK-FC"}, "", {}});
  ASSERT_FALSE(stranger.has_value());
  EXPECT_NE(stranger.error().message.find("/present/0"), std::string::npos);
  // A committee user of a non-member organisation cannot write to it.
  auto foreign = CallerFor(Principal("un", "UN-OCT", Role::kCommittee), "test");
  auto other = AddMeeting(*ctx_, foreign, {"JWG", "2026-11-30", "", true, {}, {}, "", {}});
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
}

TEST_F(CommitteeServiceTest, OverdueActionsAreListedPerOrganisationForMembersOnly) {
  ASSERT_TRUE(AddCommittee(*ctx_, secretary_, {"JWG", "bilateral", {"CN-MPS"}, {}}));
  auto m = AddMeeting(*ctx_, secretary_,
                      {"JWG",
                       DaysFromToday(-1),
                       "Islamabad",
                       false,
                       {"convoys"},
                       {"CN-MPS", "PK-NACTA"},
                       "minutes",
                       {}});
  ASSERT_TRUE(m.has_value()) << m.error().message;
  auto d = AddDecision(*ctx_, secretary_, {"JWG", m->id, "Escort convoys", {}, {}, {"PK201"}, {}});
  ASSERT_TRUE(d.has_value()) << d.error().message;
  auto late = AddAction(*ctx_, secretary_,
                        {"JWG", d->id, "Route survey", "CN-MPS", "", DaysFromToday(-1), {}, {}});
  ASSERT_TRUE(late.has_value()) << late.error().message;
  ASSERT_TRUE(AddAction(*ctx_, secretary_,
                        {"JWG", "", "Liaison desk", "CN-MPS", "", DaysFromToday(10), {}, {}}));
  ASSERT_TRUE(AddAction(*ctx_, secretary_,
                        {"JWG", "", "Escort plan", "PK-NACTA", "", DaysFromToday(-3), {}, {}}));
  auto not_member =
      AddAction(*ctx_, secretary_, {"JWG", "", "x", "PK-FC", "", DaysFromToday(1), {}, {}});
  ASSERT_FALSE(not_member.has_value());
  EXPECT_NE(not_member.error().message.find("/owner_org"), std::string::npos);

  ListActionsParams overdue;
  overdue.overdue = true;
  overdue.org = "CN-MPS";
  for (const Caller* c : {&cn_committee_, &cn_analyst_, &secretary_}) {
    auto got = ListActions(*ctx_, *c, overdue);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    ASSERT_EQ(got->size(), 1u) << c->actor;
    EXPECT_EQ((*got)[0].id, late->id);
  }
  // Every marked read is audited with the ids shown.
  auto reads = AuditOf("wang", "read");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].objects, std::vector<std::string>{late->id});

  // A non-member analyst sees nothing; site security may not read the workspace.
  auto none = ListActions(*ctx_, outsider_, overdue);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  auto by_name = ListActions(*ctx_, outsider_, {"JWG", "", false, "", 100});
  ASSERT_FALSE(by_name.has_value());
  EXPECT_EQ(by_name.error().code, ErrorCode::kNotFound);
  auto site = ListActions(*ctx_, site_, overdue);
  ASSERT_FALSE(site.has_value());
  EXPECT_EQ(site.error().code, ErrorCode::kPermissionDenied);

  // Done is no longer overdue; a stale status is a conflict.
  auto done = UpdateAction(*ctx_, cn_committee_, {late->id, "open", "done", "surveyed"});
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(done->status, store::ActionStatus::kDone);
  auto stale = UpdateAction(*ctx_, cn_committee_, {late->id, "open", "dropped", ""});
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(ListActions(*ctx_, cn_committee_, overdue)->empty());
}

// Every answer that shows an action with its notes is bounded: an action keeps
// at most store::kMaxNotesPerAction notes; past it a note is refused whole,
// and a status change is still made, without a note.
TEST_F(CommitteeServiceTest, AnActionKeepsAtMostItsBoundOfNotes) {
  ASSERT_TRUE(AddCommittee(*ctx_, secretary_, {"JWG", "bilateral", {"CN-MPS"}, {}}));
  auto a = AddAction(*ctx_, secretary_,
                     {"JWG", "", "Route survey", "CN-MPS", "", DaysFromToday(5), {}, {}});
  ASSERT_TRUE(a.has_value()) << a.error().message;
  auto committees = store::NewCommitteeStore();
  auto filled =
      store::InWriteTransaction(store_->database(), [&](store::Transaction& tx) -> Result<void> {
        for (std::int64_t i = 0; i < store::kMaxNotesPerAction - 1; ++i) {
          store::ActionNote n{a->id,
                              "2026-12-01T00:00:00Z",
                              "li",
                              "step " + std::to_string(i),
                              Uuid::V4().str(),
                              "CN-MPS",
                              ""};
          if (auto ok = committees->AddActionNote(tx, n); !ok) return ok;
        }
        return {};
      });
  ASSERT_TRUE(filled.has_value()) << filled.error().message;
  // The last one the bound allows is kept; the next is refused, and its status move with it.
  ASSERT_TRUE(UpdateAction(*ctx_, cn_committee_, {a->id, "", "", "the last note"}));
  auto refused = UpdateAction(*ctx_, cn_committee_, {a->id, "open", "done", "one too many"});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("1000 progress notes"), std::string::npos)
      << refused.error().message;
  auto shown = ShowAction(*ctx_, cn_committee_, a->id);
  ASSERT_TRUE(shown.has_value()) << shown.error().message;
  EXPECT_EQ((*shown)["status"], "open");
  EXPECT_EQ((*shown)["notes"].size(), static_cast<std::size_t>(store::kMaxNotesPerAction));
  // The action can still be closed: the status moves, no note is added.
  auto closed = UpdateAction(*ctx_, cn_committee_, {a->id, "open", "done", ""});
  ASSERT_TRUE(closed.has_value()) << closed.error().message;
  EXPECT_EQ(closed->status, store::ActionStatus::kDone);
  auto after = ShowAction(*ctx_, cn_committee_, a->id);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ((*after)["notes"].size(), static_cast<std::size_t>(store::kMaxNotesPerAction));
}

TEST_F(CommitteeServiceTest, AMarkingHidesObjectsFromMembersItExcludes) {
  ASSERT_TRUE(AddCommittee(*ctx_, secretary_, {"JWG", "bilateral", {"CN-MPS"}, {}}));
  // AMBER shared with nobody but the author's organisation: CN-MPS, a member, must not see it.
  MarkingParams own_only{"TLP:AMBER", {"PK-NACTA"}, {}, ""};
  auto hidden =
      AddAction(*ctx_, secretary_,
                {"JWG", "", "Internal review", "PK-NACTA", "", DaysFromToday(-1), {}, own_only});
  ASSERT_TRUE(hidden.has_value()) << hidden.error().message;
  auto shared = AddAction(*ctx_, secretary_,
                          {"JWG", "", "Joint drill", "CN-MPS", "", DaysFromToday(-1), {}, {}});
  ASSERT_TRUE(shared.has_value());
  ListActionsParams all;
  auto cn = ListActions(*ctx_, cn_analyst_, all);
  ASSERT_TRUE(cn.has_value());
  ASSERT_EQ(cn->size(), 1u);
  EXPECT_EQ((*cn)[0].id, shared->id);
  EXPECT_EQ(ListActions(*ctx_, secretary_, all)->size(), 2u);
  // The hidden action cannot be updated by the excluded member either (404, not 403).
  auto upd = UpdateAction(*ctx_, cn_committee_, {hidden->id, "open", "done", ""});
  ASSERT_FALSE(upd.has_value());
  EXPECT_EQ(upd.error().code, ErrorCode::kNotFound);
  auto bad =
      AddAction(*ctx_, secretary_,
                {"JWG", "", "x", "CN-MPS", "", DaysFromToday(1), {}, {"TLP:PURPLE", {}, {}, ""}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("/marking"), std::string::npos);
}

// Issue 15 §3, "reminders on silence": a request the requested state leaves
// unacknowledged, without progress or past its deadline is flagged on the day
// the clocks say; a draft never is; only the two parties see the request.
TEST_F(CommitteeServiceTest, JudicialClocksRemindOnSilence) {
  AddJudicialParams p;
  p.type = "mla";
  p.requesting = "PK-NACTA";
  p.requested = "CN-MPS";
  p.offence = "terrorist-bombing";
  p.reference = "NACTA/2026/17";
  auto normal = AddJudicialRequest(*ctx_, secretary_, p);
  ASSERT_TRUE(normal.has_value()) << normal.error().message;
  p.urgency = "urgent";
  p.reference = "NACTA/2026/18";
  p.deadline = DaysFromToday(20);
  auto urgent = AddJudicialRequest(*ctx_, secretary_, p);
  ASSERT_TRUE(urgent.has_value()) << urgent.error().message;
  p.urgency = "normal";
  p.reference = "NACTA/2026/19";
  p.deadline = DaysFromToday(1);
  auto draft = AddJudicialRequest(*ctx_, secretary_, p);
  ASSERT_TRUE(draft.has_value()) << draft.error().message;
  for (const auto* r : {&*normal, &*urgent}) {
    ASSERT_TRUE(MoveJudicialRequest(*ctx_, secretary_, r->id, "sent").has_value());
  }

  auto reminders = [&](const Caller& who, int days_ahead) {
    ListJudicialParams q;
    q.today = DaysFromToday(days_ahead);
    auto rows = ListJudicialRequests(*ctx_, who, q);
    EXPECT_TRUE(rows.has_value()) << rows.error().message;
    std::map<std::string, std::string> out;  // reference -> "kind days, ..."
    for (const auto& row : *rows) {
      std::string text;
      for (const auto& m : row.reminders) {
        text += (text.empty() ? "" : ", ") + m.kind + " " + std::to_string(m.days);
      }
      out[row.request.reference] = text;
    }
    return out;
  };
  using M = std::map<std::string, std::string>;
  EXPECT_EQ(reminders(secretary_, 0),
            (M{{"NACTA/2026/17", ""}, {"NACTA/2026/18", ""}, {"NACTA/2026/19", ""}}));
  // The urgent one after a week of silence; the normal one after a month.
  EXPECT_EQ(reminders(secretary_, 8)["NACTA/2026/18"], "unacknowledged 8");
  EXPECT_EQ(reminders(secretary_, 8)["NACTA/2026/17"], "");
  const M month = reminders(cn_committee_, 31);
  EXPECT_EQ(month.at("NACTA/2026/17"), "unacknowledged 31");
  EXPECT_EQ(month.at("NACTA/2026/18"), "unacknowledged 31, past-deadline 11");
  EXPECT_EQ(month.at("NACTA/2026/19"), "");  // a draft is nobody's silence
  // Acknowledged: the silence clock restarts; no progress for 60 days is flagged.
  ASSERT_TRUE(MoveJudicialRequest(*ctx_, cn_committee_, normal->id, "acknowledged").has_value());
  EXPECT_EQ(reminders(secretary_, 31)["NACTA/2026/17"], "");
  EXPECT_EQ(reminders(secretary_, 61)["NACTA/2026/17"], "no-progress 61");
  // Only requests with a reminder; nothing for a third organisation.
  ListJudicialParams only;
  only.reminders_only = true;
  only.today = DaysFromToday(31);
  auto flagged = ListJudicialRequests(*ctx_, secretary_, only);
  ASSERT_TRUE(flagged.has_value());
  ASSERT_EQ(flagged->size(), 1u);
  EXPECT_EQ((*flagged)[0].request.reference, "NACTA/2026/18");
  EXPECT_TRUE(reminders(outsider_, 31).empty());
  auto site = ListJudicialRequests(*ctx_, site_, only);
  ASSERT_FALSE(site.has_value());
  EXPECT_EQ(site.error().code, ErrorCode::kPermissionDenied);
}

// Issue 15 §2: an exercise's after-action lessons become action items of its
// committee, and joint teams cover districts of the real boundaries or a polygon.
TEST_F(CommitteeServiceTest, ExerciseLessonsBecomeActionsAndTeamsCoverRealDistricts) {
  auto districts = geo::ReadAreas(
      testing::SharedPath("data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm2_wfp_20220909.shp")
          .string(),
      2);
  ASSERT_TRUE(districts.has_value()) << districts.error().message;
  ASSERT_TRUE(store_->ReplaceAreas(2, *districts));
  ASSERT_TRUE(AddCommittee(*ctx_, secretary_, {"JWG", "bilateral", {"CN-MPS"}, {}}));

  AddExerciseParams x;
  x.committee = "JWG";
  x.title = "Convoy ambush drill";
  x.scenario = "An IED on the N-25 halts a convoy of six vehicles.";
  x.start = "2026-10-05";
  x.end = "2026-10-07";
  x.participants = {"PK-NACTA", "CN-MPS"};
  x.objectives = {"joint radio net within 10 min"};
  x.districts = {"PK205"};  // Gwadar
  // Bad input names its field: an unknown district, a non-member, a period
  // backwards, a person in the scenario.
  auto check = [&](const AddExerciseParams& bad, const std::string& field) {
    auto r = AddExercise(*ctx_, secretary_, bad);
    ASSERT_FALSE(r.has_value()) << field;
    EXPECT_EQ(r.error().message.rfind(field, 0), 0u) << r.error().message;
  };
  auto bad = x;
  bad.districts = {"PK205", "PK999"};
  check(bad, "/districts/1");
  bad = x;
  bad.participants = {"PK-FC"};
  check(bad, "/participants/0");
  bad = x;
  bad.end = "2026-10-01";
  check(bad, "/end");
  bad = x;
  bad.scenario = "Call the driver on +92 300 1234567";
  check(bad, "/scenario");
  bad = x;
  bad.sites = {"0bcb7204-bfbe-5c30-a08e-0c58a801c94a"};  // no sites loaded here
  check(bad, "/sites/0");
  auto denied = AddExercise(*ctx_, cn_analyst_, x);
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);

  auto e = AddExercise(*ctx_, secretary_, x);
  ASSERT_TRUE(e.has_value()) << e.error().message;
  EXPECT_EQ(e->participants, (std::vector<std::string>{"CN-MPS", "PK-NACTA"}));
  EXPECT_EQ(e->marking.distribution.organisations, std::vector<std::string>{"CN-MPS"});

  // Lessons without findings first: the report comes first.
  ReportExerciseParams r;
  r.id = e->id;
  r.lessons = {{"Carry spare radios on every escort", "CN-MPS", "", "2026-12-31"},
               {"Rehearse casualty evacuation monthly", "PK-NACTA", "", "2027-01-31"}};
  auto no_findings = ReportExercise(*ctx_, secretary_, r);
  ASSERT_FALSE(no_findings.has_value());
  EXPECT_EQ(no_findings.error().message.rfind("/findings", 0), 0u);
  r.findings = "The radio net failed for 40 minutes; evacuation took 95 minutes.";
  auto stranger = r;
  stranger.lessons[1].owner_org = "PK-FC";
  auto not_member = ReportExercise(*ctx_, secretary_, stranger);
  ASSERT_FALSE(not_member.has_value());
  EXPECT_EQ(not_member.error().message.rfind("/lessons/1/owner_org", 0), 0u);
  // Nothing of the refused report was written: no findings, no action.
  EXPECT_TRUE(ShowExercise(*ctx_, secretary_, e->id)->exercise.reported.empty());
  EXPECT_TRUE(ListActions(*ctx_, secretary_, {})->empty());

  auto report = ReportExercise(*ctx_, secretary_, r);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(report->lessons.size(), 2u);
  EXPECT_EQ(report->lessons[0].lesson.seq, 1);
  const auto& a = report->lessons[0].action;
  EXPECT_EQ(a.title, "Carry spare radios on every escort");
  EXPECT_EQ(a.owner_org, "CN-MPS");
  EXPECT_EQ(a.marking, e->marking);  // the exercise's marking
  EXPECT_EQ(a.evidence, std::vector<std::string>{"exercise:" + e->id});
  // The lessons are actions like any other: listed per owner, moved by their owner.
  ListActionsParams cn;
  cn.org = "CN-MPS";
  auto listed = ListActions(*ctx_, cn_analyst_, cn);
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, a.id);
  ASSERT_TRUE(UpdateAction(*ctx_, cn_committee_, {a.id, "open", "done", "radios issued"}));
  auto shown = ShowExercise(*ctx_, cn_analyst_, e->id);
  ASSERT_TRUE(shown.has_value());
  EXPECT_EQ(shown->lessons[0].action.status, store::ActionStatus::kDone);
  EXPECT_EQ(shown->exercise.findings, r.findings);
  // The findings are written once; more lessons may follow.
  auto again = ReportExercise(*ctx_, secretary_, {e->id, "rewritten", {}});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  // An owning account must be an account of the owning organisation.
  auto no_account = ReportExercise(
      *ctx_, secretary_, {e->id, "", {{"Share the route survey", "CN-MPS", "li", "2027-02-28"}}});
  ASSERT_FALSE(no_account.has_value());
  EXPECT_EQ(no_account.error().message.rfind("/lessons/0/owner_account", 0), 0u);
  auto more = ReportExercise(*ctx_, secretary_,
                             {e->id, "", {{"Share the route survey", "CN-MPS", "", "2027-02-28"}}});
  ASSERT_TRUE(more.has_value()) << more.error().message;
  ASSERT_EQ(more->lessons.size(), 3u);
  EXPECT_EQ(more->lessons[2].lesson.seq, 3);

  // A non-member finds nothing; every write is audited.
  auto hidden = ShowExercise(*ctx_, outsider_, e->id);
  ASSERT_FALSE(hidden.has_value());
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(ListExercises(*ctx_, outsider_, "")->empty());
  EXPECT_EQ(ListExercises(*ctx_, cn_analyst_, "JWG")->size(), 1u);

  // Teams: districts of the real boundaries, or a polygon, for a period.
  AddTeamParams t;
  t.committee = "JWG";
  t.name = "Gwadar joint cell";
  t.mandate = "Protect port construction convoys between Gwadar and Turbat.";
  t.members = {"CN-MPS", "PK-NACTA"};
  t.districts = {"PK205", "PK211"};  // Gwadar, Kech
  t.start = "2026-01-01";
  auto team = AddTeam(*ctx_, secretary_, t);
  ASSERT_TRUE(team.has_value()) << team.error().message;
  EXPECT_TRUE(team->end.empty());
  auto dup = AddTeam(*ctx_, secretary_, t);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto area = t;
  area.name = "Port perimeter";
  area.districts = {};
  area.area = R"({"type": "Polygon", "coordinates": [[[62.3, 25.1], [62.4, 25.1], [62.4, 25.2]]]})";
  auto open_ring = AddTeam(*ctx_, secretary_, area);
  ASSERT_FALSE(open_ring.has_value());
  EXPECT_EQ(open_ring.error().message.rfind("/area", 0), 0u) << open_ring.error().message;
  area.area = R"({"type": "Point", "coordinates": [62.3, 25.1]})";
  EXPECT_FALSE(AddTeam(*ctx_, secretary_, area).has_value());
  area.area =
      R"({"type": "Polygon", "coordinates": [[[62.3, 25.1], [62.4, 25.1], [62.4, 25.2], [62.3, 25.1]]]})";
  area.start = "2026-06-01";
  area.end = "2026-06-30";
  auto perimeter = AddTeam(*ctx_, secretary_, area);
  ASSERT_TRUE(perimeter.has_value()) << perimeter.error().message;
  auto nowhere = t;
  nowhere.name = "Nowhere";
  nowhere.districts = {};
  auto no_area = AddTeam(*ctx_, secretary_, nowhere);
  ASSERT_FALSE(no_area.has_value());
  EXPECT_EQ(no_area.error().message.rfind("/districts", 0), 0u);
  // By name; `on` keeps the teams active that day.
  auto teams = ListTeams(*ctx_, cn_analyst_, "JWG");
  ASSERT_TRUE(teams.has_value());
  ASSERT_EQ(teams->size(), 2u);
  EXPECT_EQ((*teams)[0].name, "Gwadar joint cell");
  EXPECT_EQ(ListTeams(*ctx_, cn_analyst_, "", "2026-07-01")->size(), 1u);
  EXPECT_EQ(ListTeams(*ctx_, cn_analyst_, "", "2026-06-15")->size(), 2u);
  EXPECT_TRUE(ListTeams(*ctx_, outsider_, "")->empty());
  // Every list is bounded: a limit outside 1..10000 is refused before the store.
  for (int bad : {0, 10001}) {
    auto teams_over = ListTeams(*ctx_, cn_analyst_, "", "", bad);
    ASSERT_FALSE(teams_over.has_value());
    EXPECT_EQ(teams_over.error().message, "limit: expected 1 to 10000");
    auto exercises_over = ListExercises(*ctx_, cn_analyst_, "", bad);
    ASSERT_FALSE(exercises_over.has_value());
    EXPECT_EQ(exercises_over.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(ListTeams(*ctx_, cn_analyst_, "", "", 1)->size(), 1u);
  // exercise, exercise-report, 3 lesson actions, 2 teams (and the committee).
  EXPECT_EQ(AuditOf("secretary", "committee-write").size(), 9u);
}

}  // namespace
}  // namespace corridor::service
