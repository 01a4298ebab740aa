// The committee workspace from the command line, tried as a new user would
// (issue 15, "Tests and done means"): a PK-NACTA committee secretary records a
// meeting with CN-MPS, two decisions and three actions, one for CN-MPS due
// yesterday, which CN-MPS's members then find among the overdue actions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "corridor/common/date.h"
#include "testing/testing.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunCommand;

std::string Bin() { return (testing::BuildDir() / "corridor").string(); }
std::string Q(const std::string& s) { return "'" + s + "'"; }

testing::CommandResult Corridor(const fs::path& db, const std::string& args,
                                const std::string& token = "") {
  const std::string env = token.empty() ? "" : "CORRIDOR_TOKEN='" + token + "' ";
  return RunCommand(env + Bin() + " --db " + Q(db.string()) + " " + args);
}

std::string TokenFor(const fs::path& db, const std::string& user, const std::string& org,
                     const std::string& role) {
  auto r = RunCommand("echo 'a long enough password' | " + Bin() + " --db " + Q(db.string()) +
                      " users add " + user + " --org " + org + " --role " + role);
  EXPECT_EQ(r.status, 0) << r.err;
  r = Corridor(db, "tokens create " + user);
  EXPECT_EQ(r.status, 0) << r.err;
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.rfind('\n') + 1);
}

std::string Day(int from_today) {
  auto today = Date::ParseIso(NowTimestamp().substr(0, 10));
  return Date(today->days() + from_today).iso();
}

// The official STIX 2.1 schemas and the Corridor extensions' own, on a bundle file.
testing::CommandResult ValidateStix(const fs::path& bundle) {
  return RunCommand(
      "/usr/bin/python3 " + Q(testing::TestPath("stix/validate_stix.py").string()) + " " +
      Q(testing::SharedPath("standards/stix2.1/schemas").string()) + " " +
      Q(testing::TestPath("../docs/stix/corridor-extension.schema.json").string()) + " " +
      Q(testing::TestPath("../docs/stix/corridor-signature-extension.schema.json").string()) + " " +
      Q(bundle.string()) + " 2>&1");
}

std::string IdOf(const testing::CommandResult& r) {
  EXPECT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out, nullptr, false);
  EXPECT_TRUE(j.is_object() && j.size() == 1 && j.contains("id")) << r.out;
  return j.is_object() ? j.value("id", "") : "";
}

class CommitteeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() / "nacta.db";
    ASSERT_EQ(Corridor(db_, "orgs add PK-NACTA --own --trust-group bilateral").status, 0);
    ASSERT_EQ(Corridor(db_, "orgs add CN-MPS --trust-group bilateral").status, 0);
    ASSERT_EQ(Corridor(db_, "orgs add PK-FC --trust-group bilateral").status, 0);
    secretary_ = TokenFor(db_, "nacta-secretary", "PK-NACTA", "committee");
    cn_committee_ = TokenFor(db_, "mps-committee", "CN-MPS", "committee");
    cn_analyst_ = TokenFor(db_, "mps-analyst", "CN-MPS", "analyst");
    fc_analyst_ = TokenFor(db_, "fc-analyst", "PK-FC", "analyst");
    site_ = TokenFor(db_, "nacta-site", "PK-NACTA", "site-security");
  }
  // CN-MPS's own instance, which trusts this instance's signing key: its
  // database, its committee user's token, and the ingest command (the
  // bundle's path goes last).
  struct Partner {
    fs::path db;
    std::string committee_token, ingest;
  };
  Partner MpsInstance() {
    Partner p{dir_.path() / "mps.db", "", ""};
    EXPECT_EQ(Corridor(p.db, "orgs add CN-MPS --own --trust-group bilateral").status, 0);
    EXPECT_EQ(Corridor(p.db, "orgs add PK-NACTA --trust-group bilateral").status, 0);
    p.committee_token = TokenFor(p.db, "mps-committee", "CN-MPS", "committee");
    p.ingest = IngestTrusting(db_, "nacta");
    return p;
  }

  // The ingest command (the bundle's path goes last) of an instance that
  // trusts the signing keys of the instance at `from` (`name` names its files).
  std::string IngestTrusting(const fs::path& from, const std::string& name) {
    auto r = Corridor(from, "--json keys show");
    EXPECT_EQ(r.status, 0) << r.err;
    const fs::path keys = dir_.path() / (name + "-keys.json");
    testing::WriteFile(keys, r.out);
    return "--json ingest --format stix --trusted-keys " + Q(keys.string()) + " --rejects " +
           Q((dir_.path() / ("rejects-from-" + name + ".json")).string()) + " ";
  }

  testing::TempDir dir_;
  fs::path db_;
  std::string secretary_, cn_committee_, cn_analyst_, fc_analyst_, site_;
};

TEST_F(CommitteeCliTest, ASecretaryRecordsAMeetingAndCnMpsSeesItsOverdueAction) {
  IdOf(Corridor(db_, "--json committees add 'PK-CN Joint Working Group' --org CN-MPS", secretary_));
  const std::string meeting = IdOf(Corridor(
      db_,
      "--json meetings add --committee 'PK-CN Joint Working Group' --date " + Day(-2) +
          " --place Islamabad --agenda 'convoy security' --agenda 'liaison' --present CN-MPS "
          "--present PK-NACTA --minutes 'Two decisions taken.'",
      secretary_));
  const std::string d1 =
      IdOf(Corridor(db_,
                    "--json decisions add --committee 'PK-CN Joint Working Group' --meeting " +
                        meeting + " --text 'Escort convoys on the N-85' --district PK201",
                    secretary_));
  IdOf(Corridor(db_,
                "--json decisions add --committee 'PK-CN Joint Working Group' --meeting " +
                    meeting + " --text 'Open a liaison desk in Gwadar'",
                secretary_));
  const std::string late = IdOf(Corridor(
      db_,
      "--json actions add --committee 'PK-CN Joint Working Group' --title 'Share the route survey' "
      "--owner-org CN-MPS --due " +
          Day(-1) + " --decision " + d1,
      secretary_));
  IdOf(Corridor(
      db_,
      "--json actions add --committee 'PK-CN Joint Working Group' --title 'Staff the desk' "
      "--owner-org CN-MPS --due " +
          Day(14),
      secretary_));
  IdOf(Corridor(db_,
                "--json actions add --committee 'PK-CN Joint Working Group' --title 'Escort plan' "
                "--owner-org PK-NACTA --due " +
                    Day(-1),
                secretary_));

  for (const auto& token : {cn_committee_, cn_analyst_}) {
    auto r = Corridor(db_, "--json actions list --overdue --org CN-MPS", token);
    ASSERT_EQ(r.status, 0) << r.err;
    const json j = json::parse(r.out);
    ASSERT_EQ(j["actions"].size(), 1u) << r.out;
    EXPECT_EQ(j["actions"][0]["id"], late);
    EXPECT_EQ(j["actions"][0]["owner_org"], "CN-MPS");
    EXPECT_EQ(j["actions"][0]["status"], "open");
    EXPECT_EQ(j["actions"][0]["marking"], "TLP:AMBER");
  }
  auto all = Corridor(db_, "--json actions list", cn_analyst_);
  ASSERT_EQ(all.status, 0) << all.err;
  EXPECT_EQ(json::parse(all.out)["actions"].size(), 3u);

  // A non-member analyst sees none of it; site security is refused.
  auto outsider = Corridor(db_, "--json actions list --overdue --org CN-MPS", fc_analyst_);
  ASSERT_EQ(outsider.status, 0) << outsider.err;
  EXPECT_TRUE(json::parse(outsider.out)["actions"].empty());
  auto site = Corridor(db_, "actions list --overdue", site_);
  EXPECT_EQ(site.status, 1);
  EXPECT_NE(site.err.find("not allowed"), std::string::npos) << site.err;
  // An analyst may read but not write.
  auto write = Corridor(db_,
                        "actions add --committee 'PK-CN Joint Working Group' --title x "
                        "--owner-org CN-MPS --due " +
                            Day(1),
                        cn_analyst_);
  EXPECT_EQ(write.status, 1);
  EXPECT_NE(write.err.find("manage-committee"), std::string::npos) << write.err;

  // Its owners are notified (the organisation's accounts), each reading for itself.
  auto notices = Corridor(db_, "--json actions notices --unread", cn_analyst_);
  ASSERT_EQ(notices.status, 0) << notices.err;
  const json n = json::parse(notices.out);
  ASSERT_EQ(n["notices"].size(), 1u) << notices.out;
  EXPECT_EQ(n["notices"][0]["action"]["id"], late);
  EXPECT_EQ(n["notices"][0]["committee"], "PK-CN Joint Working Group");
  const std::string notice = std::to_string(n["notices"][0]["id"].get<std::int64_t>());
  auto read = Corridor(db_, "--json actions read-notice " + notice, cn_analyst_);
  ASSERT_EQ(read.status, 0) << read.err;
  EXPECT_TRUE(json::parse(read.out)["read"].is_string()) << read.out;
  EXPECT_TRUE(
      json::parse(Corridor(db_, "--json actions notices --unread", cn_analyst_).out)["notices"]
          .empty());
  auto listed = Corridor(db_, "actions notices", cn_committee_);
  ASSERT_EQ(listed.status, 0) << listed.err;
  EXPECT_NE(listed.out.find(notice + "  unread  due " + Day(-1) +
                            "  CN-MPS  PK-CN Joint Working Group: "),
            std::string::npos)
      << listed.out;
  EXPECT_TRUE(
      json::parse(Corridor(db_, "--json actions notices", fc_analyst_).out)["notices"].empty());
  auto bad = Corridor(db_, "actions read-notice x1", cn_analyst_);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("ID: expected a notice number"), std::string::npos) << bad.err;

  // CN-MPS reports progress and closes it: no longer overdue.
  auto done =
      Corridor(db_, "actions update " + late + " --from open --to done --note 'survey shared'",
               cn_committee_);
  ASSERT_EQ(done.status, 0) << done.err;
  auto after = Corridor(db_, "--json actions list --overdue --org CN-MPS", cn_committee_);
  EXPECT_TRUE(json::parse(after.out)["actions"].empty()) << after.out;

  // Every write and the marked reads are in the audit log.
  auto audit = Corridor(db_, "--json audit list --action committee-write");
  ASSERT_EQ(audit.status, 0) << audit.err;
  EXPECT_EQ(json::parse(audit.out).size(), 8u) << audit.out;  // 1 + 1 + 2 + 3 + 1 update
}

// Issue 15 §2: a joint exercise over real districts, its after-action lesson
// becoming CN-MPS's action, and a team with a polygon read from a file.
// Issue 15 "done means": CN-MPS's instance receives the meeting, the decisions
// and the actions (a signed STIX bundle, validated against the official
// schemas and the extension's), and its committee user sees the overdue action.
TEST_F(CommitteeCliTest, CnMpsInstanceReceivesTheCommitteeAndSeesItsOverdueAction) {
  const std::string jwg = "'PK-CN Joint Working Group'";
  IdOf(Corridor(db_, "--json committees add " + jwg + " --org CN-MPS", secretary_));
  const std::string meeting = IdOf(Corridor(
      db_,
      "--json meetings add --committee " + jwg + " --date " + Day(-2) +
          " --place Islamabad --agenda 'convoy security' --present CN-MPS --present PK-NACTA",
      secretary_));
  const std::string d1 = IdOf(Corridor(db_,
                                       "--json decisions add --committee " + jwg + " --meeting " +
                                           meeting + " --text 'Escort convoys on the N-85'",
                                       secretary_));
  IdOf(Corridor(db_, "--json decisions add --committee " + jwg + " --text 'Open a liaison desk'",
                secretary_));
  const std::string late = IdOf(Corridor(db_,
                                         "--json actions add --committee " + jwg +
                                             " --title 'Share the route survey' --owner-org CN-MPS "
                                             "--owner mps-committee --due " +
                                             Day(-1) + " --decision " + d1,
                                         secretary_));
  const std::string desk =
      IdOf(Corridor(db_,
                    "--json actions add --committee " + jwg +
                        " --title 'Staff the desk' --owner-org CN-MPS --due " + Day(14),
                    secretary_));
  const std::string escort =
      IdOf(Corridor(db_,
                    "--json actions add --committee " + jwg +
                        " --title 'Escort plan' --owner-org PK-NACTA --due " + Day(-1),
                    secretary_));

  const fs::path bundle = dir_.path() / "jwg-for-mps.json";
  auto r = Corridor(
      db_, "--json committees share " + jwg + " --to CN-MPS --output " + Q(bundle.string()),
      secretary_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["objects"], 7) << r.out;  // 1 committee, 1 meeting, 2 + 3 notes
  EXPECT_TRUE(json::parse(r.out)["withheld"].empty()) << r.out;
  // Valid STIX 2.1 (the official schemas) and a valid Corridor extension.
  r = ValidateStix(bundle);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(" 0 failures"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("grouping 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("note 6"), std::string::npos) << r.out;
  // No account name leaves: the owning account stays on this instance.
  EXPECT_EQ(testing::ReadFile(bundle).find("mps-committee"), std::string::npos);
  // Only to a member; an analyst may export but not for a committee it is not in.
  r = Corridor(db_, "committees share " + jwg + " --to PK-FC", secretary_);
  EXPECT_EQ(r.status, 2) << r.err;  // a usage error: the wrong recipient
  EXPECT_NE(r.err.find("/to: PK-FC is not a member of committee"), std::string::npos) << r.err;
  r = Corridor(db_, "committees share " + jwg + " --to CN-MPS", fc_analyst_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no committee"), std::string::npos) << r.err;

  // CN-MPS's instance, which trusts PK-NACTA's signing key.
  const Partner partner = MpsInstance();
  const fs::path& mps = partner.db;
  const std::string& mps_committee = partner.committee_token;
  const std::string& ingest = partner.ingest;
  r = Corridor(mps, ingest + Q(bundle.string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  json report = json::parse(r.out);
  EXPECT_EQ(report["committee_inserted"], 7) << r.out;
  EXPECT_EQ(report["rejected"], 0) << r.out;

  r = Corridor(mps, "--json actions list --overdue --org CN-MPS", mps_committee);
  ASSERT_EQ(r.status, 0) << r.err;
  json listed = json::parse(r.out);
  ASSERT_EQ(listed["actions"].size(), 1u) << r.out;
  EXPECT_EQ(listed["actions"][0]["id"], late);
  EXPECT_EQ(listed["actions"][0]["title"], "Share the route survey");
  EXPECT_EQ(listed["actions"][0]["owner_account"], "");
  EXPECT_EQ(listed["actions"][0]["author_org"], "PK-NACTA");
  EXPECT_EQ(listed["actions"][0]["marking"], "TLP:AMBER");
  r = Corridor(mps, "--json committees show " + jwg, mps_committee);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["decisions"].size(), 2u) << r.out;
  EXPECT_EQ(json::parse(r.out)["meetings"].size(), 1u) << r.out;

  // The same bundle again changes nothing; a newer status from the originator moves it.
  r = Corridor(mps, ingest + Q(bundle.string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)["committee_inserted"], 0) << r.out;
  EXPECT_EQ(json::parse(r.out)["unchanged"], 7) << r.out;
  r = Corridor(db_, "actions update " + late + " --from open --to done", secretary_);
  ASSERT_EQ(r.status, 0) << r.err;
  const fs::path second = dir_.path() / "jwg-again.json";
  ASSERT_EQ(Corridor(db_, "committees share " + jwg + " --to CN-MPS --output " + Q(second.string()),
                     secretary_)
                .status,
            0);
  r = Corridor(mps, ingest + Q(second.string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)["committee_updated"], 1) << r.out;
  r = Corridor(mps, "--json actions list --overdue --org CN-MPS", mps_committee);
  EXPECT_TRUE(json::parse(r.out)["actions"].empty()) << r.out;

  // A changed word breaks the signature; nothing of it is kept.
  json tampered = json::parse(testing::ReadFile(second));
  for (auto& o : tampered["objects"]) {
    if (o["type"] == "note" && o.value("content", "") == "Staff the desk") {
      o["content"] = "Staff the desk, and hand over the duty roster";
      o["modified"] = NowTimestamp();
    }
  }
  const fs::path bad = dir_.path() / "tampered.json";
  testing::WriteFile(bad, tampered.dump());
  r = Corridor(mps, ingest + Q(bad.string()));
  EXPECT_EQ(r.status, 3) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)["rejected_by_kind"]["signature"], 1) << r.out;

  // CN-MPS reports progress on the action it owns (WAVE2 "Shared actions"): its own
  // object, referencing the action, sent back to PK-NACTA. It may not write on PK-NACTA's.
  r = Corridor(mps,
               "actions update " + desk +
                   " --from open --to in_progress --note 'Two officers named for the desk'",
               mps_committee);
  ASSERT_EQ(r.status, 0) << r.err;
  r = Corridor(mps, "actions update " + escort + " --note 'we will help'", mps_committee);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("only they update it"), std::string::npos) << r.err;
  const fs::path back = dir_.path() / "progress-for-nacta.json";
  r = Corridor(mps,
               "--json committees share " + jwg + " --to PK-NACTA --output " + Q(back.string()),
               mps_committee);
  ASSERT_EQ(r.status, 0) << r.err;
  // Only the note: everything else PK-NACTA sent (never sent back).
  EXPECT_EQ(json::parse(r.out)["objects"], 1) << r.out;
  r = ValidateStix(back);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("note 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" 0 failures"), std::string::npos) << r.out;
  EXPECT_EQ(testing::ReadFile(back).find("mps-committee"), std::string::npos);
  const std::string from_mps = IngestTrusting(mps, "mps");
  r = Corridor(db_, from_mps + Q(back.string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)["committee_inserted"], 1) << r.out;
  EXPECT_EQ(json::parse(r.out)["committee_updated"], 1) << r.out;
  r = Corridor(db_, "--json actions show " + desk, secretary_);
  ASSERT_EQ(r.status, 0) << r.err;
  json shown = json::parse(r.out);
  EXPECT_EQ(shown["status"], "in_progress") << r.out;
  ASSERT_EQ(shown["notes"].size(), 1u) << r.out;
  EXPECT_EQ(shown["notes"][0]["org"], "CN-MPS");
  EXPECT_EQ(shown["notes"][0]["author"], "");  // account names never travel
  EXPECT_EQ(shown["notes"][0]["text"], "Two officers named for the desk");
  // Again: kept once.
  r = Corridor(db_, from_mps + Q(back.string()));
  EXPECT_EQ(json::parse(r.out)["committee_inserted"], 0) << r.out;
  EXPECT_EQ(json::parse(r.out)["committee_updated"], 0) << r.out;

  // A committee CN-MPS is not in is refused at CN-MPS's door, and its notes with it.
  IdOf(Corridor(db_, "--json committees add 'PK internal' --org PK-FC", secretary_));
  IdOf(Corridor(db_,
                "--json actions add --committee 'PK internal' --title 'Internal' --owner-org "
                "PK-FC --due " +
                    Day(3),
                secretary_));
  const fs::path internal = dir_.path() / "internal.json";
  ASSERT_EQ(
      Corridor(db_, "committees share 'PK internal' --to PK-FC --output " + Q(internal.string()),
               secretary_)
          .status,
      0);
  r = Corridor(mps, ingest + Q(internal.string()));
  EXPECT_EQ(r.status, 3) << r.out << r.err;
  report = json::parse(r.out);
  EXPECT_EQ(report["rejected_by_kind"]["not-member"], 1) << r.out;
  EXPECT_EQ(report["rejected_by_kind"]["invalid"], 1) << r.out;
  EXPECT_EQ(report["committee_inserted"], 0) << r.out;
}

TEST_F(CommitteeCliTest, AnExerciseLessonBecomesAnActionAndATeamHasAnArea) {
  ASSERT_EQ(Corridor(db_, "areas load --level 2 " +
                              Q(testing::SharedPath("data/ocha-cod-ab-pakistan-2022/"
                                                    "pak_admbnda_adm2_wfp_20220909.shp")
                                    .string()))
                .status,
            0);
  IdOf(Corridor(db_, "--json committees add JWG --org CN-MPS", secretary_));
  auto unknown = Corridor(db_,
                          "exercises add --committee JWG --title drill --start 2026-10-05 "
                          "--org CN-MPS --district PK999",
                          secretary_);
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("/districts/0: no district PK999"), std::string::npos) << unknown.err;
  const std::string x = IdOf(Corridor(db_,
                                      "--json exercises add --committee JWG --title "
                                      "'Convoy ambush drill' --start 2026-10-05 --end 2026-10-07 "
                                      "--org CN-MPS --org PK-NACTA --district PK205",
                                      secretary_));
  // A lesson waits for the report; the report is written once.
  auto early = Corridor(
      db_, "exercises lesson " + x + " --text 'spare radios' --owner-org CN-MPS --due 2026-12-31",
      secretary_);
  EXPECT_EQ(early.status, 2);
  EXPECT_NE(early.err.find("/findings"), std::string::npos) << early.err;
  ASSERT_EQ(
      Corridor(db_, "exercises report " + x + " --findings 'radio net failed'", secretary_).status,
      0);
  EXPECT_EQ(Corridor(db_, "exercises report " + x + " --findings again", secretary_).status, 1);
  auto lesson = Corridor(
      db_,
      "--json exercises lesson " + x + " --text 'spare radios' --owner-org CN-MPS --due 2026-12-31",
      secretary_);
  ASSERT_EQ(lesson.status, 0) << lesson.err;
  const json l = json::parse(lesson.out);
  EXPECT_EQ(l["lesson"], 1);
  // CN-MPS's analyst finds it among CN-MPS's actions, and the exercise with it.
  auto actions = Corridor(db_, "--json actions list --org CN-MPS", cn_analyst_);
  ASSERT_EQ(actions.status, 0) << actions.err;
  EXPECT_EQ(json::parse(actions.out)["actions"][0]["id"], l["id"]);
  auto shown = Corridor(db_, "--json exercises show " + x, cn_analyst_);
  ASSERT_EQ(shown.status, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["lessons"][0]["action"]["id"], l["id"]);
  EXPECT_EQ(Corridor(db_, "exercises show " + x, fc_analyst_).status, 1);

  const fs::path area = dir_.path() / "perimeter.geojson";
  testing::WriteFile(area, R"({"type": "Polygon", "coordinates": [[[62.3, 25.1], [62.4, 25.1], )"
                           R"([62.4, 25.2], [62.3, 25.1]]]})");
  IdOf(Corridor(db_,
                "--json teams add 'Port perimeter' --committee JWG --mandate 'Guard the gate' "
                "--org CN-MPS --area " +
                    Q(area.string()) + " --start 2026-06-01 --end 2026-06-30",
                secretary_));
  auto teams = Corridor(db_, "--json teams list --on 2026-06-15", cn_analyst_);
  ASSERT_EQ(teams.status, 0) << teams.err;
  const json t = json::parse(teams.out)["teams"];
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0]["area"]["type"], "Polygon");
  EXPECT_TRUE(
      json::parse(Corridor(db_, "--json teams list --on 2026-07-01", cn_analyst_).out)["teams"]
          .empty());

  // Both travel to CN-MPS's instance with the rest of the committee (issue 15 §2); an
  // exercise shared with PK-NACTA alone stays here, said so.
  const std::string red = IdOf(Corridor(db_,
                                        "--json exercises add --committee JWG --title 'Internal "
                                        "review' --start 2026-10-10 --org PK-NACTA --district "
                                        "PK205 --marking TLP:AMBER+STRICT --share-org PK-NACTA",
                                        secretary_));
  const fs::path bundle = dir_.path() / "jwg-exercises.json";
  auto r = Corridor(db_, "--json committees share JWG --to CN-MPS --output " + Q(bundle.string()),
                    secretary_);
  ASSERT_EQ(r.status, 0) << r.err;
  const json shared = json::parse(r.out);
  EXPECT_EQ(shared["objects"], 4) << r.out;  // the committee, the lesson's action, exercise, team
  ASSERT_EQ(shared["withheld"].size(), 1u) << r.out;
  EXPECT_EQ(shared["withheld"][0]["id"], red);
  r = ValidateStix(bundle);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(" 0 failures"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("note 3"), std::string::npos) << r.out;

  const Partner partner = MpsInstance();
  const fs::path& mps = partner.db;
  const std::string& mps_committee = partner.committee_token;
  const std::string& ingest = partner.ingest;
  r = Corridor(mps, ingest + Q(bundle.string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)["committee_inserted"], 4) << r.out;
  auto there = Corridor(mps, "--json exercises show " + x, mps_committee);
  ASSERT_EQ(there.status, 0) << there.err;
  const json got = json::parse(there.out);
  EXPECT_EQ(got["findings"], "radio net failed");
  EXPECT_EQ(got["author_org"], "PK-NACTA");
  EXPECT_EQ(got["participants"], json::array({"CN-MPS", "PK-NACTA"}));
  ASSERT_EQ(got["lessons"].size(), 1u) << there.out;
  EXPECT_EQ(got["lessons"][0]["text"], "spare radios");
  EXPECT_EQ(got["lessons"][0]["action"]["id"], l["id"]);
  teams = Corridor(mps, "--json teams list --on 2026-06-15", mps_committee);
  ASSERT_EQ(teams.status, 0) << teams.err;
  ASSERT_EQ(json::parse(teams.out)["teams"].size(), 1u) << teams.out;
  EXPECT_EQ(json::parse(teams.out)["teams"][0]["area"], t[0]["area"]);
  EXPECT_EQ(Corridor(mps, "exercises show " + red, mps_committee).status, 1);

  // A second lesson is a new version: it arrives with its action; the rest is unchanged.
  ASSERT_EQ(Corridor(db_,
                     "exercises lesson " + x +
                         " --text 'a second net' --owner-org PK-NACTA --due 2027-01-31",
                     secretary_)
                .status,
            0);
  ASSERT_EQ(
      Corridor(db_, "committees share JWG --to CN-MPS --output " + Q(bundle.string()), secretary_)
          .status,
      0);
  r = Corridor(mps, ingest + Q(bundle.string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)["committee_inserted"], 1) << r.out;  // the new action
  EXPECT_EQ(json::parse(r.out)["committee_updated"], 1) << r.out;   // the exercise
  there = Corridor(mps, "--json exercises show " + x, mps_committee);
  EXPECT_EQ(json::parse(there.out)["lessons"].size(), 2u) << there.out;
}

TEST_F(CommitteeCliTest, ErrorsNameTheField) {
  IdOf(Corridor(db_, "--json committees add JWG --org CN-MPS", secretary_));
  auto bad_date = Corridor(
      db_, "actions add --committee JWG --title t --owner-org CN-MPS --due tomorrow", secretary_);
  EXPECT_EQ(bad_date.status, 2);
  EXPECT_NE(bad_date.err.find("/due"), std::string::npos) << bad_date.err;
  auto no_place = Corridor(db_, "meetings add --committee JWG --date 2026-11-30", secretary_);
  EXPECT_EQ(no_place.status, 2);
  EXPECT_NE(no_place.err.find("/place"), std::string::npos) << no_place.err;
  auto unknown =
      Corridor(db_, "meetings add --committee NOPE --date 2026-11-30 --virtual", secretary_);
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("/committee"), std::string::npos) << unknown.err;
  auto no_token = Corridor(db_, "committees add X --org CN-MPS");
  EXPECT_EQ(no_token.status, 2);
  EXPECT_NE(no_token.err.find("CORRIDOR_TOKEN"), std::string::npos) << no_token.err;
}

// Issue 15 §3 across two instances: CN-MPS's instance opens and sends an MLA
// request to PK-NACTA; PK-NACTA's instance receives it, acknowledges and
// starts it, and sends its part back. Each state makes only its own moves.
TEST_F(CommitteeCliTest, AJudicialRequestIsTrackedAcrossBothStatesInstances) {
  const Partner mps = MpsInstance();
  const std::string& cn = mps.committee_token;
  ASSERT_EQ(Corridor(mps.db, "orgs add PK-FC --trust-group bilateral").status, 0);
  const std::string id = IdOf(Corridor(mps.db,
                                       "--json judicial add --type mla --requesting CN-MPS "
                                       "--requested PK-NACTA --offence terrorist-bombing "
                                       "--reference CN-2026-201",
                                       cn));
  ASSERT_EQ(Corridor(mps.db, "judicial send " + id, cn).status, 0);

  // CN-MPS's part, to PK-NACTA's instance: valid STIX, no account name.
  const fs::path part = dir_.path() / "cn-part.json";
  auto r = Corridor(
      mps.db, "--json judicial share " + id + " --to PK-NACTA --output " + Q(part.string()), cn);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["objects"], 1) << r.out;
  r = ValidateStix(part);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(" 0 failures"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("note 1"), std::string::npos) << r.out;
  EXPECT_EQ(testing::ReadFile(part).find("mps-committee"), std::string::npos);
  r = Corridor(mps.db, "judicial share " + id + " --to PK-FC", cn);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("/to: PK-FC is not a party"), std::string::npos) << r.err;

  const std::string from_mps = IngestTrusting(mps.db, "mps");
  r = Corridor(db_, from_mps + Q(part.string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)["committee_inserted"], 1) << r.out;
  r = Corridor(db_, "--json judicial show " + id, secretary_);
  ASSERT_EQ(r.status, 0) << r.err;
  json shown = json::parse(r.out);
  EXPECT_EQ(shown["state"], "sent") << r.out;
  EXPECT_EQ(shown["reference"], "CN-2026-201");
  EXPECT_EQ(shown["author_org"], "CN-MPS");
  ASSERT_EQ(shown["history"].size(), 1u) << r.out;
  EXPECT_EQ(shown["history"][0]["by"], "CN-MPS");  // the organisation: accounts stay home

  // PK-NACTA acknowledges and starts it here, and sends its part back.
  ASSERT_EQ(Corridor(db_, "judicial move " + id + " --to acknowledged", secretary_).status, 0);
  ASSERT_EQ(Corridor(db_, "judicial move " + id + " --to under_execution", secretary_).status, 0);
  const fs::path back = dir_.path() / "nacta-part.json";
  ASSERT_EQ(Corridor(db_, "judicial share " + id + " --to CN-MPS --output " + Q(back.string()),
                     secretary_)
                .status,
            0);
  r = Corridor(mps.db, mps.ingest + Q(back.string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)["committee_updated"], 1) << r.out;
  r = Corridor(mps.db, "--json judicial show " + id, cn);
  ASSERT_EQ(r.status, 0) << r.err;
  shown = json::parse(r.out);
  EXPECT_EQ(shown["state"], "under_execution") << r.out;
  ASSERT_EQ(shown["history"].size(), 3u) << r.out;
  EXPECT_EQ(shown["history"][2]["by"], "PK-NACTA");
  // The same part again changes nothing; nor does CN-MPS's own part coming back.
  r = Corridor(mps.db, mps.ingest + Q(back.string()));
  EXPECT_EQ(json::parse(r.out)["committee_updated"], 0) << r.out;
  r = Corridor(db_, from_mps + Q(part.string()));
  EXPECT_EQ(json::parse(r.out)["committee_inserted"], 0) << r.out;
  EXPECT_EQ(json::parse(r.out)["committee_updated"], 0) << r.out;
}

// An extradition request citing a bombing: the political-offence ground is
// blocked by the checklist, and the decision exits 1 with the reason.
TEST_F(CommitteeCliTest, ThePoliticalOffenceGroundIsBlockedForABombing) {
  const std::string id = IdOf(
      Corridor(db_,
               "--json judicial add --type extradition --requesting CN-MPS --requested PK-NACTA "
               "--offence terrorist-bombing --reference CN-2026-117",
               cn_committee_));
  auto refuse = Corridor(
      db_,
      "judicial decide " + id + " --refuse --ground political-offence --reason 'a political act'",
      secretary_);
  EXPECT_EQ(refuse.status, 1);
  EXPECT_NE(refuse.err.find("political-offence ground is blocked"), std::string::npos)
      << refuse.err;
  EXPECT_NE(refuse.err.find("Terrorist Bombings"), std::string::npos) << refuse.err;
  EXPECT_NE(refuse.err.find("art. 11"), std::string::npos) << refuse.err;
  auto answer = Corridor(
      db_, "judicial answer " + id + " --ground political-offence --applies --reason 'political'",
      secretary_);
  EXPECT_EQ(answer.status, 1);
  EXPECT_NE(answer.err.find("blocked"), std::string::npos) << answer.err;
  auto shown = Corridor(db_, "judicial show " + id, secretary_);
  ASSERT_EQ(shown.status, 0) << shown.err;
  const json j = json::parse(shown.out);
  EXPECT_EQ(j["state"], "draft");
  bool blocked = false;
  for (const auto& g : j["checklist"]) {
    if (g["ground"] == "political-offence") blocked = g.contains("blocked");
  }
  EXPECT_TRUE(blocked) << shown.out;
  // Other readers: a non-party analyst finds no such request.
  EXPECT_EQ(Corridor(db_, "judicial show " + id, fc_analyst_).status, 1);
  // No names or identifiers of people.
  auto personal = Corridor(db_,
                           "judicial add --type mla --requesting CN-MPS --requested PK-NACTA "
                           "--offence terrorist-bombing --reference 'passport AB1234567'",
                           cn_committee_);
  EXPECT_EQ(personal.status, 2);
  EXPECT_NE(personal.err.find("/reference"), std::string::npos) << personal.err;
}

// A refusal on an open ground: every ground answered, a consultation recorded,
// the workflow followed; the history is audited.
TEST_F(CommitteeCliTest, ARefusalNeedsEveryGroundAnsweredAndAConsultation) {
  const std::string id = IdOf(
      Corridor(db_,
               "--json judicial add --type extradition --requesting CN-MPS --requested PK-NACTA "
               "--offence terrorist-bombing",
               cn_committee_));
  ASSERT_EQ(Corridor(db_, "judicial send " + id, cn_committee_).status, 0);
  ASSERT_EQ(Corridor(db_, "judicial move " + id + " --to acknowledged", secretary_).status, 0);
  auto early = Corridor(
      db_, "judicial decide " + id + " --refuse --ground nationality --reason own", secretary_);
  EXPECT_EQ(early.status, 1);
  EXPECT_NE(early.err.find("not answered"), std::string::npos) << early.err;
  const json show = json::parse(Corridor(db_, "judicial show " + id, secretary_).out);
  ASSERT_EQ(show["checklist"].size(), 15u);  // Model Treaty on Extradition art. 3 (7) + art. 4 (8)
  for (const auto& g : show["checklist"]) {
    const std::string ground = g["ground"];
    const std::string how = ground == "nationality" ? "--applies" : "--not-applies";
    auto r = Corridor(db_,
                      "judicial answer " + id + " --ground " + ground + " " + how +
                          " --reason 'checked by the legal adviser'",
                      secretary_);
    ASSERT_EQ(r.status, 0) << ground << ": " << r.err;
  }
  auto unconsulted = Corridor(
      db_, "judicial decide " + id + " --refuse --ground nationality --reason 'a national'",
      secretary_);
  EXPECT_EQ(unconsulted.status, 1);
  EXPECT_NE(unconsulted.err.find("consultation"), std::string::npos) << unconsulted.err;
  ASSERT_EQ(
      Corridor(db_, "judicial consult " + id + " --note 'video call with the requesting authority'",
               secretary_)
          .status,
      0);
  auto refused =
      Corridor(db_,
               "--json judicial decide " + id +
                   " --refuse --ground nationality --reason 'a national; prosecuted at home'",
               secretary_);
  ASSERT_EQ(refused.status, 0) << refused.err;
  const json after = json::parse(Corridor(db_, "judicial show " + id, cn_committee_).out);
  EXPECT_EQ(after["state"], "refused");
  ASSERT_EQ(after["history"].size(), 3u);
  EXPECT_EQ(after["history"][2]["to"], "refused");
  auto audit = Corridor(db_, "--json audit list --action committee-write --object " + id);
  ASSERT_EQ(audit.status, 0) << audit.err;
  EXPECT_EQ(json::parse(audit.out).size(), 1u + 3u + 15u + 1u);  // add, 3 moves, answers, consult
}

// An MLA request's shared evidence cannot go to a third organisation without
// the requested state's consent; the refusal is audited.
TEST_F(CommitteeCliTest, SharedEvidenceKeepsItsPurpose) {
  const std::string id =
      IdOf(Corridor(db_,
                    "--json judicial add --type mla --requesting PK-NACTA --requested CN-MPS "
                    "--offence terrorism-financing",
                    secretary_));
  auto not_requested =
      Corridor(db_, "judicial evidence add " + id + " --reference X --purpose Y", secretary_);
  EXPECT_EQ(not_requested.status, 2) << not_requested.err;
  const std::string evidence =
      IdOf(Corridor(db_,
                    "--json judicial evidence add " + id +
                        " --reference EXH-4 --purpose 'prosecution of case PK-2026-9 only'",
                    cn_committee_));
  auto third = Corridor(db_, "judicial evidence export " + evidence + " --to PK-FC", secretary_);
  EXPECT_EQ(third.status, 1);
  EXPECT_NE(third.err.find("speciality"), std::string::npos) << third.err;
  auto refusals = Corridor(db_, "--json audit list --action speciality-refused");
  ASSERT_EQ(json::parse(refusals.out).size(), 1u) << refusals.out;
  EXPECT_EQ(json::parse(refusals.out)[0]["objects"][0], evidence);
  auto party = Corridor(db_, "judicial evidence export " + evidence + " --to PK-NACTA", secretary_);
  EXPECT_EQ(party.status, 0) << party.err;
  // Only the requested state consents; then the third party may receive it.
  EXPECT_EQ(
      Corridor(db_, "judicial evidence consent " + evidence + " --org PK-FC", secretary_).status,
      1);
  ASSERT_EQ(
      Corridor(db_, "judicial evidence consent " + evidence + " --org PK-FC", cn_committee_).status,
      0);
  auto allowed = Corridor(db_, "judicial evidence export " + evidence + " --to PK-FC", secretary_);
  ASSERT_EQ(allowed.status, 0) << allowed.err;
  EXPECT_EQ(json::parse(allowed.out)["purpose"], "prosecution of case PK-2026-9 only");
}

}  // namespace
}  // namespace corridor
