// Consultations with participation codes (public_side/consultations.h) on a
// real public store: a code supports a proposal once, a second use is
// refused, the store holds no plaintext code and cannot link one code's
// supports, the threshold obliges a response, and only moderators open and answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "corridor/public_side/accounts.h"
#include "corridor/public_side/consultations.h"
#include "corridor/public_side/passphrase.h"
#include "corridor/store/public_store.h"
#include "public/public_fixture.h"
#include "testing/testing.h"

namespace corridor::public_side {
namespace {

using fixture::kOperator;
constexpr const char* kNow = "2026-03-19T10:00:00Z";

class ConsultationTest : public fixture::PublicStoreTest {
 protected:
  void SetUp() override {
    OpenWith({{"moderator", model::PublicRole::kModerator},
              {"officer", model::PublicRole::kGrievanceOfficer},
              {"admin", model::PublicRole::kPublicAdmin}});
  }
  store::Consultation Open(const std::string& district = "PK205", std::int64_t threshold = 2) {
    auto c = OpenConsultation(
        *db_, *audit_, As("moderator"),
        {district, "", "Port road: crossings", "Where should they go?", threshold}, kNow);
    EXPECT_TRUE(c.has_value()) << c.error().message;
    return c.value_or(store::Consultation{});
  }
};

TEST_F(ConsultationTest, ACodeSupportsAProposalOnceAndTheStoreHoldsNoCode) {
  const auto c = Open();
  auto batch = IssueCodes(*db_, *audit_, As("moderator"), "PK205", 3, kNow);
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  ASSERT_EQ(batch->codes.size(), 3U);
  EXPECT_EQ(std::set<std::string>(batch->codes.begin(), batch->codes.end()).size(), 3U);
  EXPECT_EQ(batch->codes[0].rfind("PC-", 0), 0U);

  auto p = Propose(*db_, *audit_,
                   {c.id, batch->codes[0], "A zebra crossing at the school gate",
                    "بچے روز سڑک پار کرتے ہیں", "ur"},
                   kNow);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  // The code in any spelling a person might type it.
  std::string typed = batch->codes[1];
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto first = Support(*db_, *audit_, p->id, typed, kNow);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->supports, 1);
  EXPECT_EQ(first->state, "open");
  auto twice = Support(*db_, *audit_, p->id, batch->codes[1], kNow);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  // The proposer's own code may support it too (it is not linked to the proposal).
  auto second = Support(*db_, *audit_, p->id, batch->codes[0], kNow);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->supports, 2);
  EXPECT_EQ(second->state, "response-due");

  // No code in plain text anywhere in the store's file, nor in the audit chain.
  db_.reset();
  const std::string bytes = testing::ReadFile(path_);
  for (const auto& code : batch->codes) {
    EXPECT_EQ(bytes.find(code), std::string::npos) << code;
    EXPECT_EQ(bytes.find(code.substr(3)), std::string::npos) << code;
    EXPECT_EQ(
        bytes.find(NormaliseCode("PC", code).substr(3, 4) + NormaliseCode("PC", code).substr(8, 4)),
        std::string::npos);
  }
}

TEST_F(ConsultationTest, OneCodesSupportsCannotBeLinkedToEachOther) {
  const auto c = Open("PK205", 10);
  auto batch = IssueCodes(*db_, *audit_, kOperator, "PK205", 1, kNow);
  ASSERT_TRUE(batch.has_value());
  auto a = Propose(*db_, *audit_, {c.id, batch->codes[0], "Crossing A", "", "en"}, kNow);
  auto b = Propose(*db_, *audit_, {c.id, batch->codes[0], "Crossing B", "", "en"}, kNow);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(Support(*db_, *audit_, a->id, batch->codes[0], kNow));
  ASSERT_TRUE(Support(*db_, *audit_, b->id, batch->codes[0], kNow));
  EXPECT_NE(SupportDigest(keys_, batch->codes[0], a->id),
            SupportDigest(keys_, batch->codes[0], b->id));
  EXPECT_NE(SupportDigest(keys_, batch->codes[0], a->id), CodeDigest(keys_, batch->codes[0]));
  // Another instance's key gives other hashes: the store alone cannot test a guess.
  auto other = auth::LoadOrCreateInstanceKeys((dir_ / "other.keys").string());
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(CodeDigest(*other, batch->codes[0]), CodeDigest(keys_, batch->codes[0]));
}

TEST_F(ConsultationTest, CodesCountOnlyInTheirDistrictAndEveryRefusalLooksAlike) {
  const auto gwadar = Open("PK205");
  auto awaran = IssueCodes(*db_, *audit_, As("admin"), "PK201", 1, kNow);
  ASSERT_TRUE(awaran.has_value());
  std::set<std::string> messages;
  for (const std::string& code : {awaran->codes[0], std::string("PC-0000-0000-0000"),
                                  std::string("not a code"), std::string("")}) {
    auto r = Propose(*db_, *audit_, {gwadar.id, code, "Idea", "", "en"}, kNow);
    ASSERT_FALSE(r.has_value()) << code;
    EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied) << code;
    messages.insert(r.error().message);
  }
  EXPECT_EQ(messages.size(), 1U);
}

TEST_F(ConsultationTest, OnlyModeratorsOpenAndAnswerAndTheAnswerIsTracked) {
  auto denied = OpenConsultation(*db_, *audit_, As("officer"), {"PK205", "", "T", "", 5}, kNow);
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(IssueCodes(*db_, *audit_, As("officer"), "PK205", 1, kNow).has_value());
  EXPECT_FALSE(OpenConsultation(*db_, *audit_, As("moderator"), {"PK999", "", "T", "", 5}, kNow));
  EXPECT_FALSE(OpenConsultation(*db_, *audit_, As("moderator"), {"PK205", "", "", "", 5}, kNow));
  EXPECT_FALSE(OpenConsultation(*db_, *audit_, As("moderator"), {"PK205", "", "T", "", 0}, kNow));
  EXPECT_FALSE(IssueCodes(*db_, *audit_, kOperator, "PK205", kMaxCodesPerBatch + 1, kNow));

  const auto c = Open("PK205", 1);
  auto batch = IssueCodes(*db_, *audit_, kOperator, "PK205", 1, kNow);
  auto p =
      Propose(*db_, *audit_, {c.id, batch->codes[0], "Lights on the port road", "", "en"}, kNow);
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(Support(*db_, *audit_, p->id, batch->codes[0], kNow)->state, "response-due");
  EXPECT_FALSE(Respond(*db_, *audit_, As("officer"), p->id, "No", kNow).has_value());
  auto answered = Respond(*db_, *audit_, As("moderator"), p->id,
                          "Street lights are in the revised design, due in June.", kNow);
  ASSERT_TRUE(answered.has_value()) << answered.error().message;
  EXPECT_EQ(answered->state, "answered");
  auto shown = ConsultationJson(*db_, c.id);
  ASSERT_TRUE(shown.has_value());
  const auto& proposal = (*shown)["proposals"][0];
  EXPECT_EQ(proposal["state"], "answered");
  EXPECT_EQ(proposal["supports"], 1);
  EXPECT_EQ(proposal["response"]["text"], "Street lights are in the revised design, due in June.");
  EXPECT_EQ(shown->dump().find("moderator"), std::string::npos);  // staff unnamed
  auto list = ListConsultationsJson(*db_, "PK205");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ((*list)["count"], 1);
  // The chain has the staff moves with their actor, the residents' as "resident".
  auto chain = audit_->Verify();
  ASSERT_TRUE(chain.has_value());
  EXPECT_TRUE(chain->ok);
}

TEST(PersonalDataFilter, CatchesPhonesCnicsAndEmailsInAnyDigits) {
  for (const char* text :
       {"call me on 0300-1234567", "+92 321 7654321", "0092-333-1112223",
        "میرا نمبر ۰۳۰۰۱۲۳۴۵۶۷ ہے", "شناختی کارڈ ۳۵۲۰۲-۱۲۳۴۵۶۷-۱", "3520212345671",
        "write to a.khan@example.org", "office 021-34567890", "٠٣٠٠١٢٣٤٥٦٧",
        // Names with addresses: a relational name, a house or plot number.
        "Ali s/o Ahmed lives behind the depot", "Bibi D/O Karim complained",
        "the son of Rashid was beaten", "House No. 14, Street 3, Sarbandar",
        "h# 22 near the mosque", "plot 7-B was taken", "اسلم ولد اکرم نے کہا", "مکان نمبر ۱۲ گلی ۳",
        "3号楼502室的住户"}) {
    EXPECT_TRUE(LooksPersonal(text)) << text;
  }
  for (const char* text :
       {"two crossings near the school, 300 m apart", "Rs. 2,000,000 were promised in 2019",
        "۲۰۲۶ میں سڑک بنی", "the port road from km 12 to km 15",
        "the son of a fisherman cannot reach school", "roads w/o lights",
        "houses near the road shake", "a school for 300 children", "پرانے گھر گر رہے ہیں"}) {
    EXPECT_FALSE(LooksPersonal(text)) << text;
  }
}

// Hostile inputs the filter's expressions once backtracked on for minutes
// ("h" and thousands of spaces): each must be answered at once (ctest's
// timeout is the guard; speed itself is not measured here).
TEST(PersonalDataFilter, AdversarialWhitespaceAndDigitRunsAreAnsweredAtOnce) {
  for (const std::string& text :
       {"h" + std::string(3999, ' '), "house" + std::string(3000, '\t') + "x",
        std::string(3990, '7') + "号", "s/o" + std::string(3990, ' ') + "x",
        std::string(2000, 'h') + std::string(1999, ' ')}) {
    EXPECT_FALSE(LooksPersonal(text)) << text.size();
  }
  EXPECT_TRUE(LooksPersonal("house" + std::string(500, ' ') + "14"));  // squeezed, still caught
}

TEST_F(ConsultationTest, AReportedProposalIsHeldAfterThreeReportsAndThePublicLogSaysWhy) {
  const auto c = Open("PK205", 10);
  auto codes = IssueCodes(*db_, *audit_, kOperator, "PK205", 4, kNow);
  ASSERT_TRUE(codes.has_value());
  auto p = Propose(*db_, *audit_, {c.id, codes->codes[0], "They are thieves", "", "en"}, kNow);
  ASSERT_TRUE(p.has_value());
  for (int i = 1; i <= 2; ++i) {
    EXPECT_EQ(ReportProposal(*db_, *audit_, p->id, codes->codes[i], kNow).value(), i);
  }
  auto again = ReportProposal(*db_, *audit_, p->id, codes->codes[1], kNow);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ((*ConsultationJson(*db_, c.id))["proposals"][0]["title"], "They are thieves");
  EXPECT_EQ(ReportProposal(*db_, *audit_, p->id, codes->codes[3], kNow).value(), 3);
  // Held: the public sees that it is held, not what it says; it takes no support.
  const auto shown = ConsultationJson(*db_, c.id).value();
  EXPECT_EQ(shown["proposals"][0]["moderation"], "held");
  EXPECT_FALSE(shown["proposals"][0].contains("title"));
  EXPECT_EQ(Support(*db_, *audit_, p->id, codes->codes[1], kNow).error().code,
            ErrorCode::kConflict);
  auto log = ModerationLogJson(*db_, 50).value();
  ASSERT_EQ(log["count"], 1);
  EXPECT_EQ(log["items"][0]["decision"], "held");
  EXPECT_EQ(log["items"][0]["rule"], "reports");
  EXPECT_EQ(log["items"][0]["proposal"], p->id);
  // The moderator's queue has it with its text; a grievance officer may not look.
  EXPECT_FALSE(ModerationQueueJson(*db_, As("officer")).has_value());
  auto queue = ModerationQueueJson(*db_, As("moderator")).value();
  ASSERT_EQ(queue["count"], 1);
  EXPECT_EQ(queue["items"][0]["reports"], 3);
  // The moderator hides it for good under a rule; the log says so, naming nobody.
  EXPECT_FALSE(Moderate(*db_, *audit_, As("moderator"), p->id, {"hide", "rude", "", ""}, kNow));
  auto hidden = Moderate(*db_, *audit_, As("moderator"), p->id, {"hide", "abusive", "", ""}, kNow);
  ASSERT_TRUE(hidden.has_value()) << hidden.error().message;
  log = ModerationLogJson(*db_, 50).value();
  ASSERT_EQ(log["count"], 2);
  EXPECT_EQ(log["items"][0]["decision"], "hidden");
  EXPECT_EQ(log["items"][0]["rule"], "abusive");
  EXPECT_EQ(log.dump().find("moderator"), std::string::npos);
  EXPECT_EQ(ModerationQueueJson(*db_, As("moderator")).value()["count"], 0);
}

// A moderator who restores a reported proposal has answered its reports: one
// more report does not hide it again; it takes the threshold of new codes.
TEST_F(ConsultationTest, ARestoredProposalNeedsAFreshThresholdOfReportsToBeHeldAgain) {
  const auto c = Open("PK205", 10);
  auto codes = IssueCodes(*db_, *audit_, kOperator, "PK205", 7, kNow);
  ASSERT_TRUE(codes.has_value());
  auto p =
      Propose(*db_, *audit_, {c.id, codes->codes[0], "Close the road at night", "", "en"}, kNow);
  ASSERT_TRUE(p.has_value());
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(
        ReportProposal(*db_, *audit_, p->id, codes->codes[static_cast<std::size_t>(i)], kNow));
  }
  EXPECT_EQ(ModerationQueueJson(*db_, As("moderator")).value()["count"], 1);
  auto restored =
      Moderate(*db_, *audit_, As("moderator"), p->id, {"restore", "no-breach", "", ""}, kNow);
  ASSERT_TRUE(restored.has_value()) << restored.error().message;
  EXPECT_EQ(restored->reports, 0);
  EXPECT_EQ(ModerationQueueJson(*db_, As("moderator")).value()["count"], 0);
  // Those who reported cannot report again; a fourth code counts one, and it stays shown.
  EXPECT_EQ(ReportProposal(*db_, *audit_, p->id, codes->codes[1], kNow).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(ReportProposal(*db_, *audit_, p->id, codes->codes[4], kNow).value(), 1);
  EXPECT_EQ(ConsultationJson(*db_, c.id).value()["proposals"][0]["title"],
            "Close the road at night");
  EXPECT_EQ(ReportProposal(*db_, *audit_, p->id, codes->codes[5], kNow).value(), 2);
  EXPECT_EQ(ReportProposal(*db_, *audit_, p->id, codes->codes[6], kNow).value(), 3);
  EXPECT_EQ(ConsultationJson(*db_, c.id).value()["proposals"][0]["moderation"], "held");
}

TEST_F(ConsultationTest, PersonalDataIsHeldBeforePublishingAndAModeratorEditsItOut) {
  const auto c = Open("PK205", 10);
  auto codes = IssueCodes(*db_, *audit_, kOperator, "PK205", 1, kNow);
  auto p = Propose(
      *db_, *audit_,
      {c.id, codes->codes[0], "ٹھیکیدار کی شکایت", "ٹھیکیدار کا نمبر ۰۳۰۰۱۲۳۴۵۶۷ ہے", "ur"}, kNow);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->moderation, "held");
  EXPECT_EQ(ConsultationJson(*db_, c.id).value().dump().find("۰۳۰۰"), std::string::npos);
  auto log = ModerationLogJson(*db_, 50).value();
  EXPECT_EQ(log["items"][0]["rule"], "personal-data");
  // An edit that still carries the number is refused; one without it is shown.
  EXPECT_FALSE(Moderate(*db_, *audit_, As("moderator"), p->id,
                        {"edit", "personal-data", "ٹھیکیدار کی شکایت", "نمبر 0300-1234567"}, kNow));
  auto edited =
      Moderate(*db_, *audit_, As("moderator"), p->id,
               {"edit", "personal-data", "ٹھیکیدار کی شکایت", "[نمبر ہٹا دیا گیا]"}, kNow);
  ASSERT_TRUE(edited.has_value()) << edited.error().message;
  const auto shown = ConsultationJson(*db_, c.id).value();
  EXPECT_EQ(shown["proposals"][0]["body"], "[نمبر ہٹا دیا گیا]");
  EXPECT_EQ(ModerationLogJson(*db_, 50).value()["items"][0]["decision"], "edited");
}

TEST_F(ConsultationTest, ProposalsAreCountedForTheAggregateRelease) {
  auto c = OpenConsultation(*db_, *audit_, As("moderator"),
                            {"PK205", "", "Roads", "", 5, "access-roads"}, kNow);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_FALSE(
      OpenConsultation(*db_, *audit_, As("moderator"), {"PK205", "", "T", "", 5, "weather"}, kNow));
  auto codes = IssueCodes(*db_, *audit_, kOperator, "PK205", 1, kNow);
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(Propose(*db_, *audit_,
                        {c->id, codes->codes[0], "Idea " + std::to_string(i), "", "en"}, kNow));
  }
  auto counts = CountConsultations(*db_);
  ASSERT_TRUE(counts.has_value());
  ASSERT_EQ(counts->size(), 1U);
  const auto& n = (*counts)[0];
  EXPECT_EQ(n.kind, "consultation");
  EXPECT_EQ(n.district, "PK205");
  EXPECT_EQ(n.month, "2026-03");
  EXPECT_EQ(n.topic, "access-roads");
  EXPECT_EQ(n.channel, "web");
  EXPECT_EQ(n.count, 12);
  // The counts go through the release's suppression like the grievances'.
  auto r = release::MakeRelease(*counts, {.generated_at = kNow});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  bool found = false;
  for (const auto& cell : r->document["cells"]) {
    if (cell["kind"] == "consultation" && cell["topic"] == "access-roads" &&
        cell["channel"] == "web") {
      EXPECT_EQ(cell["count"], 12);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ConsultationTest, AnyoneCommentsInThreadsAndACodeMarksTheCommentVerified) {
  int second = 0;  // each comment a second after the last: the page lists them oldest first
  const auto tick = [&second] {
    const int at = second++;
    return "2026-03-19T11:00:" + std::string(at < 10 ? "0" : "") + std::to_string(at) + "Z";
  };
  const auto c = Open("PK205", 10);
  auto codes = IssueCodes(*db_, *audit_, kOperator, "PK205", 2, kNow);
  auto elsewhere = IssueCodes(*db_, *audit_, kOperator, "PK201", 1, kNow);
  ASSERT_TRUE(codes.has_value() && elsewhere.has_value());
  auto p = Propose(*db_, *audit_, {c.id, codes->codes[0], "A crossing", "", "en"}, kNow);
  ASSERT_TRUE(p.has_value());

  auto plain = AddComment(*db_, *audit_, {p->id, "", "Yes, and lights too", "en", ""}, tick());
  ASSERT_TRUE(plain.has_value()) << plain.error().message;
  EXPECT_FALSE(plain->verified);
  auto reply = AddComment(*db_, *audit_,
                          {p->id, plain->id, "لائٹس پہلے لگائیں", "ur", codes->codes[1]}, tick());
  ASSERT_TRUE(reply.has_value()) << reply.error().message;
  EXPECT_TRUE(reply->verified);
  EXPECT_EQ(reply->depth, 1);
  // Another district's code is refused as a wrong one is; nothing is added.
  EXPECT_EQ(
      AddComment(*db_, *audit_, {p->id, "", "x", "en", elsewhere->codes[0]}, tick()).error().code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      AddComment(*db_, *audit_, {p->id, "", "x", "en", "PC-0000-0000-0000"}, tick()).error().code,
      ErrorCode::kPermissionDenied);
  // Bounds: empty text, unknown language, a parent from nowhere, too deep.
  EXPECT_EQ(AddComment(*db_, *audit_, {p->id, "", "  ", "en", ""}, tick()).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(AddComment(*db_, *audit_, {p->id, "", "x", "fr", ""}, tick()).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(AddComment(*db_, *audit_, {p->id, "nope", "x", "en", ""}, tick()).error().code,
            ErrorCode::kNotFound);
  std::string parent = reply->id;
  for (std::int64_t depth = 2; depth <= kMaxCommentDepth; ++depth) {
    auto deeper = AddComment(*db_, *audit_, {p->id, parent, "deeper", "en", ""}, tick());
    ASSERT_TRUE(deeper.has_value()) << deeper.error().message;
    EXPECT_EQ(deeper->depth, depth);
    parent = deeper->id;
  }
  EXPECT_EQ(AddComment(*db_, *audit_, {p->id, parent, "too deep", "en", ""}, tick()).error().code,
            ErrorCode::kInvalidArgument);

  const auto shown = ConsultationJson(*db_, c.id).value();
  const auto& comments = shown["proposals"][0]["comments"];
  ASSERT_EQ(comments.size(), static_cast<std::size_t>(kMaxCommentDepth + 1));
  EXPECT_EQ(comments[0]["body"], "Yes, and lights too");
  EXPECT_EQ(comments[0]["parent"], "");
  EXPECT_EQ(comments[1]["parent"], plain->id);
  EXPECT_EQ(comments[1]["verified"], true);
  // Nothing of a code reaches the page.
  EXPECT_EQ(shown.dump().find(codes->codes[1].substr(3)), std::string::npos);

  // A held proposal takes no comment, and shows none.
  auto held = Propose(*db_, *audit_, {c.id, codes->codes[0], "Call 0300-1234567", "", "en"}, kNow);
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(AddComment(*db_, *audit_, {held->id, "", "x", "en", ""}, tick()).error().code,
            ErrorCode::kConflict);
  const auto after = ConsultationJson(*db_, c.id).value();
  for (const auto& shown_proposal : after["proposals"]) {
    EXPECT_EQ(shown_proposal.contains("comments"), shown_proposal["id"] != held->id);
  }
  // Every comment is on the chain as the resident's, never with a code.
  auto chain = audit_->Verify();
  ASSERT_TRUE(chain.has_value());
  EXPECT_TRUE(chain->ok);
  auto entries = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
    return store::NewPublicAuditStore()->List(tx, 0, 100000);
  });
  ASSERT_TRUE(entries.has_value());
  int comment_entries = 0;
  for (const auto& e : *entries) {
    for (const auto& code : codes->codes) {
      EXPECT_EQ(e.detail.find(code), std::string::npos) << e.action;
      EXPECT_EQ(std::find(e.objects.begin(), e.objects.end(), code), e.objects.end());
    }
    if (e.action != "comment-add") continue;
    ++comment_entries;
    EXPECT_EQ(e.actor, "resident");
  }
  EXPECT_GE(comment_entries, 2);  // the plain comment and the reply made with a code
}

TEST_F(ConsultationTest, AReportedCommentIsHeldAndTheModeratorDecidesOnThePublicLog) {
  int second = 0;  // each comment a second after the last: the page lists them oldest first
  const auto tick = [&second] {
    const int at = second++;
    return "2026-03-19T11:00:" + std::string(at < 10 ? "0" : "") + std::to_string(at) + "Z";
  };
  const auto c = Open("PK205", 10);
  auto codes = IssueCodes(*db_, *audit_, kOperator, "PK205", 4, kNow);
  ASSERT_TRUE(codes.has_value());
  auto p = Propose(*db_, *audit_, {c.id, codes->codes[0], "A crossing", "", "en"}, kNow);
  ASSERT_TRUE(p.has_value());
  auto rude = AddComment(*db_, *audit_, {p->id, "", "You are all fools", "en", ""}, tick());
  ASSERT_TRUE(rude.has_value());
  // Reporting needs a code of the district, once per code.
  EXPECT_EQ(ReportComment(*db_, *audit_, rude->id, "PC-0000-0000-0000", kNow).error().code,
            ErrorCode::kPermissionDenied);
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(ReportComment(*db_, *audit_, rude->id, codes->codes[i], kNow).value(), i);
  }
  EXPECT_EQ(ReportComment(*db_, *audit_, rude->id, codes->codes[1], kNow).error().code,
            ErrorCode::kConflict);
  auto shown = ConsultationJson(*db_, c.id).value();
  EXPECT_EQ(shown["proposals"][0]["comments"][0]["moderation"], "held");
  EXPECT_FALSE(shown["proposals"][0]["comments"][0].contains("body"));
  EXPECT_EQ(shown["proposals"][0]["title"], "A crossing");  // the proposal stays shown
  // No reply to a held comment.
  EXPECT_EQ(AddComment(*db_, *audit_, {p->id, rude->id, "x", "en", ""}, tick()).error().code,
            ErrorCode::kConflict);

  auto log = ModerationLogJson(*db_, 50).value();
  ASSERT_EQ(log["count"], 1);
  EXPECT_EQ(log["items"][0]["comment"], rude->id);
  EXPECT_EQ(log["items"][0]["proposal"], p->id);
  EXPECT_EQ(log["items"][0]["consultation"], c.id);
  auto queue = ModerationQueueJson(*db_, As("moderator")).value();
  ASSERT_EQ(queue["count"], 1);
  EXPECT_EQ(queue["items"][0]["kind"], "comment");
  EXPECT_EQ(queue["items"][0]["body"], "You are all fools");

  // Only a moderator decides; the log names the rule, never who.
  EXPECT_FALSE(
      ModerateComment(*db_, *audit_, As("officer"), rude->id, {"hide", "abusive", "", ""}, kNow));
  EXPECT_FALSE(ModerateComment(*db_, *audit_, As("moderator"), rude->id,
                               {"edit", "personal-data", "", "ring 0300-1234567"}, kNow));
  auto hidden =
      ModerateComment(*db_, *audit_, As("moderator"), rude->id, {"hide", "abusive", "", ""}, kNow);
  ASSERT_TRUE(hidden.has_value()) << hidden.error().message;
  EXPECT_EQ(hidden->moderation, "hidden");
  log = ModerationLogJson(*db_, 50).value();
  EXPECT_EQ(log["items"][0]["decision"], "hidden");
  EXPECT_EQ(log["items"][0]["comment"], rude->id);
  EXPECT_EQ(log.dump().find("moderator"), std::string::npos);
  EXPECT_EQ(CommentConsultation(*db_, rude->id).value(), c.id);
  EXPECT_EQ(CommentConsultation(*db_, "nope").error().code, ErrorCode::kNotFound);

  // Personal data in a comment is held before anyone sees it.
  auto personal =
      AddComment(*db_, *audit_, {p->id, "", "مکان نمبر ۱۲ والے کو ملیں", "ur", ""}, tick());
  ASSERT_TRUE(personal.has_value());
  EXPECT_EQ(personal->moderation, "held");
  EXPECT_EQ(ModerationLogJson(*db_, 1).value()["items"][0]["rule"], "personal-data");
  auto restored =
      ModerateComment(*db_, *audit_, As("moderator"), personal->id,
                      {"edit", "personal-data", "", "[پتہ ہٹا دیا گیا] والے کو ملیں"}, kNow);
  ASSERT_TRUE(restored.has_value()) << restored.error().message;
  EXPECT_EQ(ConsultationJson(*db_, c.id).value()["proposals"][0]["comments"][1]["body"],
            "[پتہ ہٹا دیا گیا] والے کو ملیں");
}

}  // namespace
}  // namespace corridor::public_side
