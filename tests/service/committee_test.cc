// The committee workspace's use cases (service/committee.h): who writes, who
// reads what the marking allows, overdue listing, and the audit trail.
#include "corridor/service/committee.h"

#include <gtest/gtest.h>

#include <map>

#include "corridor/auth/audit_log.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/date.h"
#include "corridor/service/judicial.h"
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

}  // namespace
}  // namespace corridor::service
