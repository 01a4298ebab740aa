// Grievance redress (public_side/grievances.h, working_days.h, passphrase.h)
// on a real public store, with the clock injected: an anonymous case in Urdu
// followed by receipt and passphrase alone, across Eid, Pakistan Day and a
// weekend; officers' and residents' moves; the attempt limit; cases marked
// "fear of reprisal"; and the counts that may leave for the security side.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "corridor/public_side/accounts.h"
#include "corridor/public_side/grievances.h"
#include "corridor/public_side/passphrase.h"
#include "corridor/store/grievance_store.h"
#include "corridor/store/public_store.h"
#include "testing/testing.h"

namespace corridor::public_side {
namespace {

using model::GrievanceAction;
using model::GrievanceState;
using model::GrievanceTier;

// Thursday 19 March 2026, 10:00 in Karachi. Friday 20 March is Eid ul-Fitr
// (expected), then the weekend, then Monday 23 March, Pakistan Day.
constexpr const char* kFiled = "2026-03-19T10:00:00+05:00";

TEST(WorkingCalendarTest, CountsPastWeekendsAndPublicHolidays) {
  const auto& pk = WorkingCalendar::Pakistan();
  EXPECT_GE(pk.holidays(), 40u);
  EXPECT_EQ(pk.first_year(), 2025);
  EXPECT_GE(pk.last_year(), 2027);
  const Date thursday = *Date::ParseIso("2026-03-19");
  EXPECT_TRUE(pk.IsWorkingDay(thursday));
  EXPECT_FALSE(pk.IsWorkingDay(*Date::ParseIso("2026-03-20")));  // Eid
  EXPECT_FALSE(pk.IsWorkingDay(*Date::ParseIso("2026-03-21")));  // Saturday
  EXPECT_FALSE(pk.IsWorkingDay(*Date::ParseIso("2026-03-22")));  // Sunday
  EXPECT_FALSE(pk.IsWorkingDay(*Date::ParseIso("2026-03-23")));  // Pakistan Day
  EXPECT_EQ(pk.AddWorkingDays(thursday, 1).iso(), "2026-03-24");
  EXPECT_EQ(pk.AddWorkingDays(thursday, 2).iso(), "2026-03-25");
  // Without holidays the second working day would be Monday.
  auto bare = WorkingCalendar::Parse("", "none");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->AddWorkingDays(thursday, 2).iso(), "2026-03-23");
  EXPECT_TRUE(pk.Beyond(*Date::ParseIso("2031-01-02")));
}

TEST(WorkingCalendarTest, AMalformedCalendarNamesItsLine) {
  auto r = WorkingCalendar::Parse("# c\n2026-02-30\tNo such day\tfixed\n", "cal.tsv");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "cal.tsv:2: date: expected YYYY-MM-DD");
  r = WorkingCalendar::Parse("2026-03-23\tPakistan Day\tfixed\n2026-03-23\tAgain\tfixed\n", "c");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "c:2: 2026-03-23 is listed twice");
  r = WorkingCalendar::Parse("2026-03-23\tPakistan Day\tmaybe\n", "c");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "c:1: kind: expected fixed or expected");
}

TEST(WorkingCalendarTest, TimesAreReadWithTheirOffsetAndDatedInKarachi) {
  EXPECT_EQ(ParseRfc3339("2026-03-19T10:00:00+05:00"), ParseRfc3339("2026-03-19T05:00:00Z"));
  EXPECT_EQ(ParseRfc3339("2026-03-19T05:00:00.123Z"), ParseRfc3339("2026-03-19T05:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2026-03-19 05:00:00"));
  EXPECT_FALSE(ParseRfc3339("2026-03-19T05:00:00+5"));
  EXPECT_EQ(KarachiDate(*ParseRfc3339("2026-03-31T18:59:59Z")).iso(), "2026-03-31");
  EXPECT_EQ(KarachiDate(*ParseRfc3339("2026-03-31T19:00:00Z")).iso(), "2026-04-01");
  EXPECT_EQ(KarachiMonth("2026-03-31T19:00:00Z"), "2026-04");
}

TEST(PassphraseTest, EveryLanguageHas2048DistinctWords) {
  for (const char* lang : {"ur", "en", "zh"}) {
    auto list = WordList(lang);
    ASSERT_TRUE(list.has_value()) << lang << ": " << list.error().message;
    EXPECT_EQ((*list)->size(), kWordListSize) << lang;
    std::set<std::string> distinct((*list)->begin(), (*list)->end());
    EXPECT_EQ(distinct.size(), kWordListSize) << lang;
    for (const auto& w : **list) ASSERT_EQ(NormalisePassphrase(w), w) << lang;
  }
  EXPECT_EQ(WordList("en").value()->front(), "abandon");  // BIP-39
  // Urdu words are Urdu letters (U+0600 block: 2 bytes each in UTF-8).
  for (const auto& w : *WordList("ur").value()) {
    ASSERT_TRUE(w.size() >= 6 && w.size() <= 12 && static_cast<unsigned char>(w[0]) >= 0xD8) << w;
  }
  EXPECT_EQ(WordList("fr").error().code, ErrorCode::kInvalidArgument);
}

TEST(PassphraseTest, APassphraseIsFourWordsOfItsLanguage) {
  for (const char* lang : {"ur", "en", "zh"}) {
    auto p = NewPassphrase(lang);
    ASSERT_TRUE(p.has_value());
    std::istringstream words(*p);
    const auto& list = *WordList(lang).value();
    int n = 0;
    for (std::string w; words >> w; ++n) {
      EXPECT_NE(std::find(list.begin(), list.end(), w), list.end()) << lang << ": " << w;
    }
    EXPECT_EQ(n, kPassphraseWords) << *p;
  }
  EXPECT_NE(NewPassphrase("en").value(), NewPassphrase("en").value());
}

TEST(PassphraseTest, NormalisationFoldsWhatKeyboardsTypeDifferently) {
  // Arabic yeh, kaf and heh against the Urdu letters; Arabic-Indic and Urdu digits.
  EXPECT_EQ(NormalisePassphrase("كتاب  يار ه"), NormalisePassphrase("کتاب یار ہ"));
  EXPECT_EQ(NormalisePassphrase("٣۴5"), "345");
  // NFC: alef + madda above is alef with madda.
  EXPECT_EQ(NormalisePassphrase("\u0627\u0653"), NormalisePassphrase("\u0622"));
  // Case, spaces of every kind, tatweel and zero-width non-joiners.
  EXPECT_EQ(NormalisePassphrase(" Abandon\u3000ABILITY\table "), "abandonabilityable");
  EXPECT_EQ(NormalisePassphrase("کـتاب\u200c"), NormalisePassphrase("کتاب"));
}

TEST(PassphraseTest, ReceiptsAreCrockfordBase32AndForgiveLookAlikes) {
  const std::string r = NewReceipt();
  ASSERT_EQ(r.size(), 18u);
  EXPECT_EQ(r.substr(0, 4), "GRV-");
  EXPECT_EQ(NormaliseReceipt(r), r);
  EXPECT_EQ(NormaliseReceipt("grv 7k2m q9xd 4t1b"), "GRV-7K2M-Q9XD-4T1B");
  EXPECT_EQ(NormaliseReceipt("GRV-7K2M-Q9XD-4TIB"), "GRV-7K2M-Q9XD-4T1B");
  EXPECT_EQ(NormaliseReceipt("GRV-7K2M-Q9XD-4T1"), "");
  EXPECT_EQ(NormaliseReceipt("GRV-7K2M-Q9XD-4T1U"), "");  // U is not Crockford's
  EXPECT_EQ(ReceiptDigest("grv-7k2m-q9xd-4t1b"), ReceiptDigest("GRV-7K2M-Q9XD-4T1B"));
}

class GrievanceServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::OpenPublicDatabase(path_);
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_ = std::move(*db);
    auto keys = auth::LoadOrCreateInstanceKeys(path_ + ".public-keys");
    ASSERT_TRUE(keys.has_value());
    keys_ = *keys;
    audit_ = std::make_unique<PublicAuditLog>(*db_, keys_);
    for (const auto& [name, role] : std::vector<std::pair<std::string, model::PublicRole>>{
             {"officer.a", model::PublicRole::kGrievanceOfficer},
             {"officer.b", model::PublicRole::kGrievanceOfficer},
             {"admin", model::PublicRole::kPublicAdmin},
             {"editor", model::PublicRole::kDisclosureEditor}}) {
      ASSERT_TRUE(AddAccount(*db_, *audit_, kOperator, name, {role}));
    }
  }
  PublicCaller As(const std::string& name) const {
    auto a = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
      return store::NewPublicAccountStore()->Get(tx, name);
    });
    return PublicCaller::Of(a.value().value());
  }
  FiledGrievance File(GrievanceInput in = {}, const std::string& now = kFiled) {
    if (in.district.empty() && in.project.empty()) in.district = "PK205";
    if (in.topic.empty()) in.topic = "land-compensation";
    if (in.description.empty()) in.description = "ہماری زمین کا معاوضہ ابھی تک نہیں ملا۔";
    auto f = FileGrievance(*db_, *audit_, keys_, std::nullopt, in, now);
    EXPECT_TRUE(f.has_value()) << f.error().message;
    return f.value_or(FiledGrievance{});
  }
  GrievanceView Officer(const std::string& who, const std::string& id, GrievanceAction a,
                        const std::string& text, const std::string& now) {
    auto v = OfficerAct(*db_, *audit_, As(who), id, a, text, now);
    EXPECT_TRUE(v.has_value()) << model::GrievanceActionName(a) << ": " << v.error().message;
    return v.value_or(GrievanceView{});
  }
  static const Milestone& Named(const GrievanceView& v, const std::string& name) {
    for (const auto& m : v.milestones) {
      if (m.name == name) return m;
    }
    static const Milestone kNone;
    ADD_FAILURE() << "no milestone " << name;
    return kNone;
  }
  inline static const PublicCaller kOperator = PublicCaller::Operator("cli:test");
  testing::TempDir dir_;
  std::string path_ = (dir_ / "public.db").string();
  std::unique_ptr<store::Database> db_;
  auth::InstanceKeys keys_;
  std::unique_ptr<PublicAuditLog> audit_;
};

TEST_F(GrievanceServiceTest, AnAnonymousResidentFollowsTheCaseAcrossEidAndAWeekend) {
  GrievanceInput in;
  in.lang = "ur";
  const auto filed = File(in);
  ASSERT_FALSE(filed.receipt.empty());
  // The passphrase is four Urdu words.
  EXPECT_EQ(std::count(filed.passphrase.begin(), filed.passphrase.end(), ' '), 3);
  EXPECT_GE(static_cast<unsigned char>(filed.passphrase[0]), 0xD8);

  auto v = FollowGrievance(*db_, filed.receipt, filed.passphrase, "2026-03-24T12:00:00+05:00");
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_EQ(v->grievance.state, GrievanceState::kReceived);
  EXPECT_EQ(Named(*v, "acknowledge").due, "2026-03-25");  // past Eid, the weekend, Pakistan Day
  EXPECT_EQ(Named(*v, "eligibility").due, "2026-04-06");
  EXPECT_EQ(Named(*v, "update").due, "2026-04-13");
  EXPECT_FALSE(v->overdue);
  // The end of the due day is not yet overdue; the next morning is.
  v = FollowGrievance(*db_, filed.receipt, filed.passphrase, "2026-03-25T23:59:00+05:00");
  EXPECT_FALSE(v.value().overdue);
  v = FollowGrievance(*db_, filed.receipt, filed.passphrase, "2026-03-26T00:01:00+05:00");
  EXPECT_TRUE(v.value().overdue);
  EXPECT_TRUE(Named(*v, "acknowledge").overdue);
  // The resident's keyboard may type Arabic letters and spaces differently.
  std::string typed = filed.passphrase;
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"ی", "ي"}, {"ک", "ك"}, {"ہ", "ه"}, {" ", "  "}}) {
    for (auto pos = typed.find(from); pos != std::string::npos;
         pos = typed.find(from, pos + to.size())) {
      typed.replace(pos, from.size(), to);
    }
  }
  EXPECT_TRUE(FollowGrievance(*db_, filed.receipt, typed, "2026-03-26T09:00:00+05:00"));
}

TEST_F(GrievanceServiceTest, OfficerAndResidentTalkThenTheResidentAppeals) {
  const auto filed = File();
  const std::string id = filed.stored.id;
  auto v = Officer("officer.a", id, GrievanceAction::kAcknowledge, "", "2026-03-24T09:00:00+05:00");
  EXPECT_EQ(v.grievance.officer, "officer.a");
  EXPECT_EQ(Named(v, "acknowledge").met_at, "2026-03-24T04:00:00.000Z");
  v = Officer("officer.a", id, GrievanceAction::kAsk, "Which plot (khasra) number?",
              "2026-03-24T09:05:00+05:00");
  auto answered =
      ResidentAct(*db_, *audit_, filed.receipt, filed.passphrase, GrievanceAction::kAnswer,
                  "خسرہ نمبر 112", "2026-03-24T18:00:00+05:00");
  ASSERT_TRUE(answered.has_value()) << answered.error().message;
  // Accepting before anything was proposed is refused.
  auto early = ResidentAct(*db_, *audit_, filed.receipt, filed.passphrase, GrievanceAction::kAccept,
                           "", "2026-03-25T09:00:00+05:00");
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().code, ErrorCode::kConflict);
  // Another officer may not act on officer.a's case.
  auto other = OfficerAct(*db_, *audit_, As("officer.b"), id, GrievanceAction::kAsk, "?",
                          "2026-03-25T09:00:00+05:00");
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  v = Officer("officer.a", id, GrievanceAction::kEligible, "", "2026-03-25T10:00:00+05:00");
  v = Officer("officer.a", id, GrievanceAction::kUpdate, "Survey visit on 2 April",
              "2026-03-30T10:00:00+05:00");
  v = Officer("officer.a", id, GrievanceAction::kPropose,
              "Compensation at the 2025 assessed rate, paid by 30 April",
              "2026-04-08T10:00:00+05:00");
  EXPECT_EQ(v.grievance.state, GrievanceState::kProposed);
  EXPECT_FALSE(Named(v, "proposal").met_at.empty());
  // The resident appeals: the province tier with its own clock, from the appeal.
  auto appealed =
      ResidentAct(*db_, *audit_, filed.receipt, filed.passphrase, GrievanceAction::kAppeal,
                  "The rate is below market value", "2026-04-09T16:00:00+05:00");
  ASSERT_TRUE(appealed.has_value()) << appealed.error().message;
  EXPECT_EQ(appealed->grievance.tier, GrievanceTier::kProvince);
  EXPECT_EQ(appealed->grievance.state, GrievanceState::kAppealed);
  EXPECT_EQ(appealed->grievance.officer, "");
  EXPECT_EQ(Named(*appealed, "acknowledge").due, "2026-04-13");  // Thu 9 → Fri 10, Mon 13
  EXPECT_TRUE(Named(*appealed, "acknowledge").met_at.empty());
  EXPECT_EQ(appealed->milestones.size(), 3u);  // no eligibility at a later tier
  // The officer of the first tier does not take the appeal against their own proposal.
  auto own_appeal = OfficerAct(*db_, *audit_, As("officer.a"), id, GrievanceAction::kAcknowledge,
                               "", "2026-04-10T09:00:00+05:00");
  ASSERT_FALSE(own_appeal.has_value());
  EXPECT_EQ(own_appeal.error().code, ErrorCode::kPermissionDenied);
  v = Officer("officer.b", id, GrievanceAction::kAcknowledge, "", "2026-04-10T10:00:00+05:00");
  EXPECT_EQ(v.grievance.state, GrievanceState::kEligible);
  EXPECT_EQ(v.grievance.officer, "officer.b");

  // The resident's view: the whole history in order, officers unnamed.
  auto seen = FollowGrievance(*db_, filed.receipt, filed.passphrase, "2026-04-10T11:00:00+05:00");
  ASSERT_TRUE(seen.has_value());
  const auto j = ResidentJson(*seen);
  ASSERT_EQ(j["history"].size(), 9u);
  EXPECT_EQ(j["history"][2]["text"], "Which plot (khasra) number?");
  EXPECT_EQ(j["history"][2]["by"], "officer");
  EXPECT_EQ(j["history"][3]["by"], "resident");
  EXPECT_FALSE(j.contains("officer"));
  EXPECT_FALSE(j.dump().find("officer.a") != std::string::npos);
  EXPECT_EQ(j["tier"], "province");

  // Every move is on the audit chain, which verifies and holds no text.
  auto report = audit_->Verify();
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->ok) << report->problem;
  auto entries = store::InReadTransaction(
      *db_, [](store::Transaction& tx) { return store::NewPublicAuditStore()->List(tx, 1, 1000); });
  int grievance_entries = 0;
  for (const auto& e : entries.value()) {
    if (e.action.rfind("grievance-", 0) != 0) continue;
    ++grievance_entries;
    EXPECT_EQ(e.detail.find("khasra"), std::string::npos);
    EXPECT_EQ(e.detail.find(filed.receipt), std::string::npos);
  }
  EXPECT_EQ(grievance_entries, 9);
}

TEST_F(GrievanceServiceTest, AWrongPassphraseAnswersAsAnUnknownReceiptAndLocksAfterFive) {
  const auto filed = File();
  const std::string now = "2026-03-24T10:00:00+05:00";
  auto unknown = FollowGrievance(*db_, "GRV-0000-0000-0000", filed.passphrase, now);
  auto malformed = FollowGrievance(*db_, "not a receipt", filed.passphrase, now);
  auto wrong = FollowGrievance(*db_, filed.receipt, "wrong words here now", now);
  for (const auto* r : {&unknown, &malformed, &wrong}) {
    ASSERT_FALSE(r->has_value());
    EXPECT_EQ(r->error().code, ErrorCode::kNotFound);
    EXPECT_EQ(r->error().message, unknown.error().message);
  }
  for (int i = 0; i < kMaxFailedAttempts - 1; ++i) {
    ASSERT_FALSE(FollowGrievance(*db_, filed.receipt, "guess " + std::to_string(i), now));
  }
  // Locked: even the right passphrase answers as unknown, within the hour…
  auto locked = FollowGrievance(*db_, filed.receipt, filed.passphrase, "2026-03-24T10:30:00+05:00");
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().message, unknown.error().message);
  // … and works again after it, which clears the count.
  // (Parallel guesses are counted before any is checked: see the next test.)
  auto later = FollowGrievance(*db_, filed.receipt, filed.passphrase, "2026-03-24T11:01:00+05:00");
  ASSERT_TRUE(later.has_value()) << later.error().message;
  EXPECT_EQ(later->grievance.failed_attempts, 0);
}

TEST_F(GrievanceServiceTest, ParallelGuessesCannotOutrunTheAttemptLimit) {
  const auto filed = File();
  const std::string now = "2026-03-24T10:00:00+05:00";
  std::vector<std::thread> guessers;
  std::atomic<int> found{0};
  guessers.reserve(12);
  for (int i = 0; i < 12; ++i) {
    guessers.emplace_back([&, i] {
      if (FollowGrievance(*db_, filed.receipt, "guess " + std::to_string(i), now)) ++found;
    });
  }
  for (auto& t : guessers) t.join();
  EXPECT_EQ(found.load(), 0);
  auto stored = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
    return store::NewGrievanceStore()->Get(tx, filed.stored.id);
  });
  EXPECT_EQ(stored.value().value().failed_attempts, kMaxFailedAttempts);  // 5 counted, 7 refused
  EXPECT_FALSE(FollowGrievance(*db_, filed.receipt, filed.passphrase, now).has_value());
  // An empty passphrase is a guess like any other.
  EXPECT_FALSE(FollowGrievance(*db_, filed.receipt, "", "2026-03-24T12:00:00+05:00").has_value());
  auto after = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
    return store::NewGrievanceStore()->Get(tx, filed.stored.id);
  });
  EXPECT_EQ(after.value().value().failed_attempts, 1);  // a new window
}

TEST_F(GrievanceServiceTest, AReprisalCaseAndItsContactStayWithItsOfficer) {
  GrievanceInput in;
  in.reprisal_fear = true;
  in.contact = "0300-1234567";
  in.topic = "security-conduct";
  const auto filed = File(in);
  const std::string id = filed.stored.id;
  const std::string now = "2026-03-24T10:00:00+05:00";
  // Unassigned: no officer sees it; a public-admin does.
  for (const char* officer : {"officer.a", "officer.b"}) {
    auto list = ListGrievances(*db_, As(officer), {}, now);
    ASSERT_TRUE(list.has_value());
    EXPECT_TRUE(list->empty()) << officer;
    auto act = OfficerAct(*db_, *audit_, As(officer), id, GrievanceAction::kAcknowledge, "", now);
    ASSERT_FALSE(act.has_value());
    EXPECT_EQ(act.error().code, ErrorCode::kNotFound);
  }
  auto admin_list = ListGrievances(*db_, As("admin"), {}, now);
  ASSERT_EQ(admin_list.value().size(), 1u);
  // A hidden case leaves no gap in an officer's pages: the first page of one
  // holds the next visible case, not an empty answer.
  GrievanceInput open_case;
  File(open_case, "2026-03-20T10:00:00+05:00");
  GrievanceListFilter first;
  first.limit = 1;
  auto page = ListGrievances(*db_, As("officer.b"), first, now);
  ASSERT_EQ(page.value().size(), 1u);
  EXPECT_FALSE(page.value()[0].grievance.reprisal_fear);
  // An officer may not assign; a public-admin assigns to an officer only.
  auto self =
      OfficerAct(*db_, *audit_, As("officer.a"), id, GrievanceAction::kAssign, "officer.a", now);
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().code, ErrorCode::kPermissionDenied);
  auto to_editor =
      OfficerAct(*db_, *audit_, As("admin"), id, GrievanceAction::kAssign, "editor", now);
  ASSERT_FALSE(to_editor.has_value());
  EXPECT_EQ(to_editor.error().code, ErrorCode::kInvalidArgument);
  Officer("admin", id, GrievanceAction::kAssign, "officer.a", now);
  // The assigned officer sees it and its contact; the other officer still nothing;
  // the public-admin sees the case but not the contact.
  auto mine = ShowGrievance(*db_, *audit_, As("officer.a"), id, now);
  ASSERT_TRUE(mine.has_value()) << mine.error().message;
  EXPECT_EQ(mine->contact, "0300-1234567");
  EXPECT_EQ(OfficerJson(*mine)["contact"], "0300-1234567");
  EXPECT_FALSE(ShowGrievance(*db_, *audit_, As("officer.b"), id, now).has_value());
  auto admin = ShowGrievance(*db_, *audit_, As("admin"), id, now);
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->contact, "");
  EXPECT_TRUE(OfficerJson(*admin)["has_contact"].get<bool>());
  // Each unsealing of the contact is on the audit chain (the officer and the case, not the
  // contact).
  auto chain = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
    return store::NewPublicAuditStore()->List(tx, 0, 100000);
  });
  ASSERT_TRUE(chain.has_value());
  int reads = 0;
  for (const auto& e : *chain) {
    if (e.action != "contact-read") continue;
    ++reads;
    EXPECT_EQ(e.actor, "officer.a");
    EXPECT_EQ(e.objects, std::vector<std::string>{id});
    EXPECT_EQ(e.detail.find("0300"), std::string::npos);
  }
  EXPECT_EQ(reads, 1);
  // The resident never sees who handles it, nor the contact.
  auto seen = FollowGrievance(*db_, filed.receipt, filed.passphrase, now);
  const auto resident = ResidentJson(seen.value()).dump();
  EXPECT_EQ(resident.find("0300"), std::string::npos);
  EXPECT_EQ(resident.find("officer.a"), std::string::npos);
  // A disclosure editor is no grievance officer.
  auto editor = ListGrievances(*db_, As("editor"), {}, now);
  ASSERT_FALSE(editor.has_value());
  EXPECT_EQ(editor.error().code, ErrorCode::kPermissionDenied);
  // On disk: no contact, no receipt, no passphrase in plain text.
  db_.reset();
  std::ifstream file(path_, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  for (const std::string& secret : {std::string("0300-1234567"), filed.receipt,
                                    filed.passphrase.substr(0, filed.passphrase.find(' '))}) {
    EXPECT_EQ(bytes.str().find(secret), std::string::npos) << secret;
  }
}

TEST_F(GrievanceServiceTest, ResidentsFileOnTheWebAndOfficersRecordOtherChannels) {
  GrievanceInput in;
  in.district = "PK205";
  in.topic = "labour-wages";
  in.description = "Wages unpaid for two months";
  in.channel = "phone";
  auto resident = FileGrievance(*db_, *audit_, keys_, std::nullopt, in, kFiled);
  ASSERT_FALSE(resident.has_value());
  EXPECT_EQ(resident.error().message,
            "channel: a resident files on the web; an officer records other channels");
  auto officer = FileGrievance(*db_, *audit_, keys_, As("officer.a"), in, kFiled);
  ASSERT_TRUE(officer.has_value()) << officer.error().message;
  EXPECT_EQ(officer->stored.channel, "phone");
  // Whoever filed holds the receipt and passphrase: another officer handles the case.
  EXPECT_EQ(officer->stored.officer, "");
  auto self = OfficerAct(*db_, *audit_, As("officer.a"), officer->stored.id,
                         GrievanceAction::kAcknowledge, "", "2026-03-24T09:00:00+05:00");
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().code, ErrorCode::kPermissionDenied);
  auto assign_filer =
      OfficerAct(*db_, *audit_, As("admin"), officer->stored.id, GrievanceAction::kAssign,
                 "officer.a", "2026-03-24T09:00:00+05:00");
  ASSERT_FALSE(assign_filer.has_value());
  EXPECT_EQ(assign_filer.error().code, ErrorCode::kInvalidArgument);
  Officer("officer.b", officer->stored.id, GrievanceAction::kAcknowledge, "",
          "2026-03-24T09:00:00+05:00");
  auto editor = FileGrievance(*db_, *audit_, keys_, As("editor"), in, kFiled);
  ASSERT_FALSE(editor.has_value());
  EXPECT_EQ(editor.error().code, ErrorCode::kPermissionDenied);
  for (const auto& [field, mutate] :
       std::vector<std::pair<std::string, std::function<void(GrievanceInput&)>>>{
           {"district", [](GrievanceInput& i) { i.district = "XX999"; }},
           {"district", [](GrievanceInput& i) { i.district.clear(); }},
           {"topic", [](GrievanceInput& i) { i.topic = "weather"; }},
           {"lang", [](GrievanceInput& i) { i.lang = "fr"; }},
           {"description", [](GrievanceInput& i) { i.description = "  "; }},
           {"description", [](GrievanceInput& i) { i.description = std::string(5000, 'x'); }},
           {"contact", [](GrievanceInput& i) {
              i.contact =
                  "a\x01"
                  "b";
            }}}) {
    GrievanceInput bad = in;
    bad.channel = "web";
    mutate(bad);
    auto r = FileGrievance(*db_, *audit_, keys_, std::nullopt, bad, kFiled);
    ASSERT_FALSE(r.has_value()) << field;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << field;
    EXPECT_EQ(r.error().message.rfind(field + ":", 0), 0u) << r.error().message;
  }
  GrievanceInput unknown_project = in;
  unknown_project.channel = "web";
  unknown_project.district.clear();
  unknown_project.project = "6f0e3b0e-0000-5000-8000-000000000000";
  auto r = FileGrievance(*db_, *audit_, keys_, std::nullopt, unknown_project, kFiled);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_F(GrievanceServiceTest, AnAppealAgainstIneligibilityIsDecidedAgainAndClosingMeetsNoDeadline) {
  const auto filed = File();
  const std::string id = filed.stored.id;
  Officer("officer.a", id, GrievanceAction::kAcknowledge, "", "2026-03-24T09:00:00+05:00");
  Officer("officer.a", id, GrievanceAction::kIneligible, "Not about a corridor project",
          "2026-03-25T09:00:00+05:00");
  auto appealed =
      ResidentAct(*db_, *audit_, filed.receipt, filed.passphrase, GrievanceAction::kAppeal,
                  "It is the port road", "2026-03-26T09:00:00+05:00");
  ASSERT_TRUE(appealed.has_value()) << appealed.error().message;
  EXPECT_EQ(appealed->milestones.size(), 4u);  // eligibility is decided again at this tier
  auto v = Officer("officer.b", id, GrievanceAction::kAcknowledge, "", "2026-03-27T09:00:00+05:00");
  EXPECT_EQ(v.grievance.state, GrievanceState::kAcknowledged);
  EXPECT_EQ(v.grievance.tier, GrievanceTier::kProvince);
  v = Officer("officer.b", id, GrievanceAction::kClose, "Withdrawn by the resident by phone",
              "2026-03-27T10:00:00+05:00");
  EXPECT_EQ(v.grievance.state, GrievanceState::kClosed);
  EXPECT_TRUE(Named(v, "proposal").met_at.empty());  // closing proposes nothing
  EXPECT_FALSE(v.overdue);
  auto stats = GrievanceStatistics(*db_, "2026-06-01T10:00:00+05:00");
  EXPECT_EQ(stats.value()["districts"][0]["resolved_in_time"], 0);
  // Nothing more happens to a closed case, not even an assignment.
  auto assign = OfficerAct(*db_, *audit_, As("admin"), id, GrievanceAction::kAssign, "officer.a",
                           "2026-03-28T10:00:00+05:00");
  ASSERT_FALSE(assign.has_value());
}

TEST_F(GrievanceServiceTest, CountsForTheReleaseHideSmallReprisalCasesAndStatisticsSuppress) {
  // Gwadar, March: 11 cases (one marked "fear of reprisal"): all counted.
  for (int i = 0; i < 11; ++i) {
    GrievanceInput in;
    in.district = "PK205";
    in.reprisal_fear = i == 0;
    File(in, "2026-03-1" + std::to_string(i % 9 + 1) + "T10:00:00+05:00");
  }
  // Lahore, March: 3 cases, one marked: it is withheld from the counts.
  for (int i = 0; i < 3; ++i) {
    GrievanceInput in;
    in.district = "PK617";
    in.topic = "environment";
    in.reprisal_fear = i == 0;
    File(in, "2026-03-10T10:00:00+05:00");
  }
  auto counts = CountGrievances(*db_);
  ASSERT_TRUE(counts.has_value()) << counts.error().message;
  std::int64_t gwadar = 0, lahore = 0;
  for (const auto& c : counts->counts) {
    EXPECT_EQ(c.kind, "grievance");
    EXPECT_EQ(c.month, "2026-03");
    (c.district == "PK205" ? gwadar : lahore) += c.count;
  }
  EXPECT_EQ(gwadar, 11);
  EXPECT_EQ(lahore, 2);
  EXPECT_EQ(counts->reprisal_withheld, 1);
  // The release built from them suppresses Lahore's small cells.
  release::Options options;
  options.generated_at = "2026-04-01T00:00:00Z";
  auto rel = release::MakeRelease(counts->counts, options);
  ASSERT_TRUE(rel.has_value()) << rel.error().message;
  EXPECT_GT(rel->summary.small, 0);

  auto stats = GrievanceStatistics(*db_, "2026-05-20T10:00:00+05:00");
  ASSERT_TRUE(stats.has_value());
  const auto& rows = (*stats)["districts"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["district"], "PK205");
  EXPECT_EQ(rows[0]["received"], 11);
  EXPECT_EQ(rows[0]["overdue"], 11);  // nobody acknowledged anything
  EXPECT_EQ(rows[0]["appealed"], 0);
  EXPECT_EQ(rows[1]["district"], "PK617");
  EXPECT_EQ(rows[1]["received"], "<10");
  EXPECT_FALSE(stats->dump().find("\"totals\"") != std::string::npos);
}

}  // namespace
}  // namespace corridor::public_side
