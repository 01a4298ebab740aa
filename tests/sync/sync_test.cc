// Partner sync between real instances on loopback (issue 6): three
// `corridor serve` processes with separate databases, ports and policies,
// pulling each other's TAXII 2.1 collections with `corridor sync run`. Each
// receives exactly what the sender's egress policy allows; RED, GTD-licensed
// and other organisations' AMBER objects never leave; AMBER received is never
// passed on; GREEN stays in its trust group; a revocation and a tightening
// reach every past recipient as tombstones, a loosening reaches the newly
// allowed; an interrupted sync resumes without loss or duplicates.
#include <signal.h>
#include <sys/wait.h>

#include <map>
#include <set>

#include "corridor/common/date.h"
#include "corridor/datasets/catalog.h"
#include "sync/sync_harness.h"

namespace corridor {
namespace {

store::AuditQuery AuditAction(const std::string& action) {
  store::AuditQuery q;
  q.action = action;
  return q;
}

using sync_testing::Instance;
using sync_testing::json;

model::Incident Report(const std::string& headline, model::Tlp tlp,
                       const std::string& author_org = "PK-A") {
  model::Incident inc;
  inc.id = Uuid::V4();
  inc.provenance = {"manual", "", "", "api", 0};
  inc.licence = datasets::LicenceOf("manual");
  inc.date_start = *Date::ParseIso("2024-03-01");
  inc.date_end = inc.date_start;
  inc.latitude = 30.18;
  inc.longitude = 66.99;
  inc.country = "PAK";
  inc.category = model::Category::kBombing;
  inc.headline = headline;
  inc.description = headline + ": the full text of the report";
  inc.killed = 2;
  inc.marking.tlp = tlp;
  inc.marking.author = "analyst-a";
  inc.marking.author_org = author_org;
  return inc;
}

// Whether `db` holds `id` with its content (not revoked).
bool Holds(store::Store& s, const Uuid& id) {
  auto inc = s.GetIncident(store::SystemViewer(), id);
  return inc && !inc->revoked;
}

class SyncTest : public ::testing::Test {
 protected:
  // A (PK-A: bilateral, regional), B (CN-B: bilateral, regional), C (XX-C:
  // regional). B pulls A's bilateral root; C pulls A's and B's regional roots.
  void SetUp() override {
    a_ = std::make_unique<Instance>(dir_.path(), "a");
    b_ = std::make_unique<Instance>(dir_.path(), "b");
    c_ = std::make_unique<Instance>(dir_.path(), "c");
    a_->MustRun("orgs add PK-A --own --trust-group bilateral --trust-group regional");
    a_->MustRun("orgs add CN-B --trust-group bilateral --trust-group regional");
    a_->MustRun("orgs add XX-C --trust-group regional");
    b_->MustRun("orgs add CN-B --own --trust-group bilateral --trust-group regional");
    b_->MustRun("orgs add XX-C --trust-group regional");
    c_->MustRun("orgs add XX-C --own --trust-group regional");
    token_a_for_b_ = a_->TokenFor("sync-cn-b", "CN-B");
    token_a_for_c_ = a_->TokenFor("sync-xx-c", "XX-C");
    token_b_for_c_ = b_->TokenFor("sync-xx-c", "XX-C");
    a_->Start();
    b_->Start();
    c_->Start();
    b_->MustRun("sync add-partner --name a --org PK-A --url " + a_->url() +
                    " --api-root bilateral --public-key " + a_->PublicKey(),
                token_a_for_b_);
    c_->MustRun("sync add-partner --name a --org PK-A --url " + a_->url() +
                    " --api-root regional --public-key " + a_->PublicKey(),
                token_a_for_c_);
    c_->MustRun("sync add-partner --name b --org CN-B --url " + b_->url() +
                    " --api-root regional --public-key " + b_->PublicKey(),
                token_b_for_c_);
  }

  testing::TempDir dir_;
  std::unique_ptr<Instance> a_, b_, c_;
  std::string token_a_for_b_, token_a_for_c_, token_b_for_c_;
};

TEST_F(SyncTest, EachInstanceReceivesExactlyWhatThePolicyAllows) {
  auto a = a_->OpenStore();
  ASSERT_TRUE(a);
  std::map<std::string, model::Incident> r;
  r["clear"] = Report("clear", model::Tlp::kClear);
  r["green-bilateral"] = Report("green bilateral", model::Tlp::kGreen);
  r["green-bilateral"].marking.distribution.trust_group = "bilateral";
  r["green-regional"] = Report("green regional", model::Tlp::kGreen);
  r["green-regional"].marking.distribution.trust_group = "regional";
  r["amber-b"] = Report("amber for B", model::Tlp::kAmber);
  r["amber-b"].marking.distribution.organisations = {"CN-B"};
  r["amber-bc"] = Report("amber for B and C", model::Tlp::kAmber);
  r["amber-bc"].marking.distribution.organisations = {"CN-B", "XX-C"};
  r["strict-bc"] = Report("amber+strict for B and C", model::Tlp::kAmberStrict);
  r["strict-bc"].marking.distribution.organisations = {"CN-B", "XX-C"};
  r["red"] = Report("red", model::Tlp::kRed);
  r["red"].marking.distribution.users = {"analyst-a"};
  std::vector<model::Incident> batch;
  for (const auto& [k, v] : r) batch.push_back(v);
  ASSERT_TRUE(a->UpsertIncidents(batch));
  // GTD-licensed rows (the codebook fixture), public CLEAR data that may not leave.
  a_->MustRun("ingest --format gtd " +
              sync_testing::Q(testing::TestPath("fixtures/gtd/gtd_codebook_fixture.csv").string()) +
              " --rejects " + sync_testing::Q((dir_.path() / "gtd.rejects.csv").string()));
  std::vector<Uuid> gtd;
  model::IncidentFilter gtd_filter;
  gtd_filter.dataset = "gtd";
  ASSERT_TRUE(a->ForEachIncident(store::SystemViewer(), gtd_filter, [&](const model::Incident& i) {
    gtd.push_back(i.id);
    return true;
  }));
  ASSERT_FALSE(gtd.empty());

  // C pulls B first: B has nothing yet.
  c_->MustRun("sync run --partner b");
  b_->MustRun("sync run");
  auto b = b_->OpenStore();
  const std::set<std::string> b_expected = {"clear", "green-bilateral", "amber-b", "amber-bc",
                                            "strict-bc"};
  for (const auto& [k, v] : r) {
    SCOPED_TRACE("B: " + k);
    EXPECT_EQ(Holds(*b, v.id), b_expected.count(k) == 1);
  }
  for (const auto& id : gtd) EXPECT_FALSE(Holds(*b, id)) << "GTD row " << id.str() << " left A";
  // AMBER+STRICT names only the recipient in the copy it receives.
  auto strict = b->GetIncident(store::SystemViewer(), r["strict-bc"].id);
  ASSERT_TRUE(strict);
  EXPECT_EQ(strict->marking.distribution.organisations, std::vector<std::string>{"CN-B"});
  EXPECT_EQ(strict->marking.author_org, "PK-A");
  // What B received keeps its content and marking.
  auto amber = b->GetIncident(store::SystemViewer(), r["amber-b"].id);
  ASSERT_TRUE(amber);
  EXPECT_EQ(amber->description, r["amber-b"].description);
  EXPECT_EQ(amber->marking.tlp, model::Tlp::kAmber);

  // C pulls B: only what B may pass on (CLEAR); never AMBER received from A,
  // never GREEN of a group C is not in.
  c_->MustRun("sync run --partner b");
  auto c = c_->OpenStore();
  for (const auto& [k, v] : r) {
    SCOPED_TRACE("C from B: " + k);
    EXPECT_EQ(Holds(*c, v.id), k == "clear");
  }
  const Uuid clear_id[] = {r["clear"].id};
  auto from = c->GetReceived(clear_id);
  ASSERT_TRUE(from);
  ASSERT_EQ(from->size(), 1u);
  EXPECT_EQ(from->front().org, "CN-B");

  // C pulls A's regional root directly.
  c_->MustRun("sync run --partner a");
  const std::set<std::string> c_expected = {"clear", "green-regional", "amber-bc", "strict-bc"};
  for (const auto& [k, v] : r) {
    SCOPED_TRACE("C: " + k);
    EXPECT_EQ(Holds(*c, v.id), c_expected.count(k) == 1);
  }
  for (const auto& id : gtd) EXPECT_FALSE(Holds(*c, id));
  auto strict_c = c->GetIncident(store::SystemViewer(), r["strict-bc"].id);
  ASSERT_TRUE(strict_c);
  EXPECT_EQ(strict_c->marking.distribution.organisations, std::vector<std::string>{"XX-C"});

  // Running again changes nothing (idempotent).
  const auto again = b_->Run("--json sync run");
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)[0]["applied"], 0) << again.out;

  // The audit on each side shows each crossing.
  auto sent = a->ListAudit(AuditAction("sync-send"));
  ASSERT_TRUE(sent);
  std::set<std::string> sent_ids;
  for (const auto& e : *sent) sent_ids.insert(e.objects.begin(), e.objects.end());
  for (const char* k : {"clear", "amber-b", "strict-bc", "green-regional"}) {
    EXPECT_TRUE(sent_ids.count(r[k].id.str())) << k;
  }
  EXPECT_FALSE(sent_ids.count(r["red"].id.str()));
  auto got = b->ListAudit(AuditAction("sync-receive"));
  ASSERT_TRUE(got);
  std::set<std::string> got_ids;
  for (const auto& e : *got) got_ids.insert(e.objects.begin(), e.objects.end());
  EXPECT_TRUE(got_ids.count(r["amber-b"].id.str()));

  // The preview answers who would receive each object, and why.
  const auto preview = a_->Run("--json sync preview " + r["amber-b"].id.str());
  ASSERT_EQ(preview.status, 1) << "the operator reads CLEAR only: " << preview.out;
  const auto clear_preview = a_->Run("--json sync preview " + r["clear"].id.str());
  ASSERT_EQ(clear_preview.status, 0) << clear_preview.err;
  const json rows = json::parse(clear_preview.out)["recipients"];
  int yes = 0;
  for (const auto& row : rows) yes += row["send"].get<bool>() ? 1 : 0;
  EXPECT_EQ(yes, 3) << rows.dump();  // CN-B bilateral and regional, XX-C regional
  const auto gtd_preview = a_->Run("--json sync preview " + gtd.front().str());
  ASSERT_EQ(gtd_preview.status, 0) << gtd_preview.err;
  const json gtd_rows = json::parse(gtd_preview.out)["recipients"];
  for (const auto& row : gtd_rows) {
    EXPECT_FALSE(row["send"].get<bool>());
    EXPECT_NE(row["reason"].get<std::string>().find("forbids redistribution"), std::string::npos);
  }

  // The same answer over the API and from the CLI as a user who may read the
  // AMBER report (site-security of its organisation).
  const std::string guard = a_->TokenFor("guard-a", "PK-A", "site-security");
  httplib::Client http("127.0.0.1", a_->port());
  http.set_read_timeout(30, 0);
  auto api_preview = http.Get("/api/v1/sync/preview/" + r["amber-b"].id.str(),
                              {{"Authorization", "Bearer " + guard}});
  ASSERT_TRUE(api_preview);
  ASSERT_EQ(api_preview->status, 200) << api_preview->body;
  std::map<std::string, bool> decided;
  const json api_rows = json::parse(api_preview->body)["recipients"];
  for (const auto& row : api_rows) {
    decided[row["organisation"].get<std::string>() + "/" + row["api_root"].get<std::string>()] =
        row["send"].get<bool>();
  }
  EXPECT_EQ(decided,
            (std::map<std::string, bool>{
                {"CN-B/bilateral", true}, {"CN-B/regional", true}, {"XX-C/regional", false}}))
      << api_preview->body;
  const auto cli_preview =
      a_->Run("--json sync preview " + r["amber-b"].id.str(), "", "CORRIDOR_TOKEN=" + guard);
  ASSERT_EQ(cli_preview.status, 0) << cli_preview.err;
  EXPECT_EQ(json::parse(cli_preview.out)["recipients"],
            json::parse(api_preview->body)["recipients"]);
  EXPECT_EQ(http.Get("/api/v1/sync/preview/" + r["amber-b"].id.str())->status, 401);

  // ---- revocation, tightening and loosening
  a_->MustRun("revoke " + r["clear"].id.str());
  model::Marking tightened = r["amber-b"].marking;
  tightened.distribution.organisations = {};  // B may no longer hold it
  ASSERT_TRUE(a->SetMarking(r["amber-b"].id, tightened, r["amber-b"].marking));
  model::Marking loosened = r["green-regional"].marking;
  loosened.tlp = model::Tlp::kAmber;  // now AMBER for CN-B only: C must drop it, B gets it
  loosened.distribution = {};
  loosened.distribution.organisations = {"CN-B"};
  ASSERT_TRUE(a->SetMarking(r["green-regional"].id, loosened, r["green-regional"].marking));
  // (B pulls bilateral; the AMBER object for CN-B is served there now.)
  b_->MustRun("sync run");
  c_->MustRun("sync run --partner a");
  c_->MustRun("sync run --partner b");
  EXPECT_FALSE(Holds(*b, r["clear"].id));
  EXPECT_FALSE(Holds(*b, r["amber-b"].id));
  EXPECT_TRUE(Holds(*b, r["green-regional"].id));
  EXPECT_FALSE(Holds(*c, r["clear"].id));
  EXPECT_FALSE(Holds(*c, r["green-regional"].id));
  EXPECT_TRUE(Holds(*c, r["amber-bc"].id));
  // The removed copies keep no content.
  auto removed = b->GetIncident(store::SystemViewer(), r["amber-b"].id);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(removed->revoked);
  EXPECT_TRUE(removed->description.empty());
  EXPECT_TRUE(removed->headline.empty());
  // The ledger at A lists both recipients of the revoked object and their tombstones.
  auto ledger = a->ListSent(r["clear"].id);
  ASSERT_TRUE(ledger);
  std::set<std::string> tombstoned;
  for (const auto& s : *ledger) {
    if (s.tombstone) tombstoned.insert(s.org);
  }
  EXPECT_EQ(tombstoned, (std::set<std::string>{"CN-B", "XX-C"}));
}

// Assessments (STIX reports) cross like incidents: an AMBER one for CN-B
// reaches B and nobody else, a RED one never leaves, B never passes on what it
// received, and a revocation reaches B as a content-free tombstone. Both
// sides audit each crossing.
TEST_F(SyncTest, AssessmentsCrossAsTheirMarkingAllowsAndRevocationsFollow) {
  a_->MustRun(
      "areas load --level 1 " +
      sync_testing::Q(
          testing::SharedPath("data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm1_wfp_20220909.shp")
              .string()));
  const std::string analyst = a_->TokenFor("ayesha", "PK-A", "analyst");
  const auto added = a_->Run(
      "--json assessments add --title 'Road attacks rising near Quetta' --body '**Three** attacks "
      "on the N-25 since March.' --area PK2 --marking TLP:AMBER --org CN-B",
      "", "CORRIDOR_TOKEN=" + analyst);
  ASSERT_EQ(added.status, 0) << added.err << added.out;
  const json amber_json = json::parse(added.out);
  const Uuid amber_id = *Uuid::Parse(amber_json["id"].get<std::string>());
  auto a = a_->OpenStore();
  ASSERT_TRUE(a);
  model::Assessment red;
  red.id = Uuid::V4();
  red.title = "Source-sensitive assessment";
  red.body = "Never leaves this instance.";
  red.marking.tlp = model::Tlp::kRed;
  red.marking.author = "ayesha";
  red.marking.author_org = "PK-A";
  red.marking.distribution.users = {"ayesha"};
  red.created = red.modified = NowTimestamp();
  red.version = 1;
  ASSERT_TRUE(a->PutAssessment(red));

  b_->MustRun("sync run");
  auto b = b_->OpenStore();
  auto got = b->GetAssessment(store::SystemViewer(), amber_id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_FALSE(got->revoked);
  EXPECT_EQ(got->title, "Road attacks rising near Quetta");
  EXPECT_EQ(got->body, amber_json["body"].get<std::string>());
  EXPECT_EQ(got->areas, std::vector<std::string>{"PK2"});
  EXPECT_EQ(got->marking.tlp, model::Tlp::kAmber);
  EXPECT_EQ(got->marking.author_org, "PK-A");
  EXPECT_EQ(got->marking.distribution.organisations, std::vector<std::string>{"CN-B"});
  EXPECT_EQ(b->GetAssessment(store::SystemViewer(), red.id).error().code, ErrorCode::kNotFound);
  const Uuid amber_ids[] = {amber_id};
  auto from = b->GetReceived(amber_ids);
  ASSERT_TRUE(from);
  ASSERT_EQ(from->size(), 1u);
  EXPECT_EQ(from->front().org, "PK-A");

  // The report is served by id to B, and the RED one is not there.
  httplib::Client http("127.0.0.1", a_->port());
  http.set_read_timeout(30, 0);
  const httplib::Headers taxii = {{"Accept", "application/taxii+json;version=2.1"},
                                  {"Authorization", "Bearer " + token_a_for_b_}};
  auto collections = http.Get("/taxii2/bilateral/collections/", taxii);
  ASSERT_TRUE(collections);
  ASSERT_EQ(collections->status, 200) << collections->body;
  const std::string objects =
      "/taxii2/bilateral/collections/" +
      json::parse(collections->body)["collections"][0]["id"].get<std::string>() + "/objects/";
  auto one = http.Get(objects + "report--" + amber_id.str() + "/", taxii);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_EQ(json::parse(one->body)["objects"][0]["type"], "report");
  auto hidden = http.Get(objects + "report--" + red.id.str() + "/", taxii);
  ASSERT_TRUE(hidden);
  EXPECT_EQ(hidden->status, 404) << hidden->body;

  // C gets it from nobody: not from A (AMBER for CN-B only), not from B
  // (AMBER received is never passed on).
  c_->MustRun("sync run");
  auto c = c_->OpenStore();
  EXPECT_EQ(c->GetAssessment(store::SystemViewer(), amber_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(c->GetAssessment(store::SystemViewer(), red.id).error().code, ErrorCode::kNotFound);

  // Each crossing is in the audit on both sides.
  auto sent = a->ListAudit(AuditAction("sync-send"));
  ASSERT_TRUE(sent);
  std::set<std::string> sent_ids;
  for (const auto& e : *sent) sent_ids.insert(e.objects.begin(), e.objects.end());
  EXPECT_TRUE(sent_ids.count(amber_id.str()));
  EXPECT_FALSE(sent_ids.count(red.id.str()));
  auto received = b->ListAudit(AuditAction("sync-receive"));
  ASSERT_TRUE(received);
  std::set<std::string> received_ids;
  for (const auto& e : *received) received_ids.insert(e.objects.begin(), e.objects.end());
  EXPECT_TRUE(received_ids.count(amber_id.str()));

  // Revoked at A (by its author): B's copy loses its content.
  const auto revoked = a_->Run("revoke " + amber_id.str(), "", "CORRIDOR_TOKEN=" + analyst);
  ASSERT_EQ(revoked.status, 0) << revoked.err << revoked.out;
  b_->MustRun("sync run");
  auto removed = b->GetAssessment(store::SystemViewer(), amber_id);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(removed->revoked);
  EXPECT_TRUE(removed->title.empty());
  EXPECT_TRUE(removed->body.empty());
  auto ledger = a->ListSent(amber_id);
  ASSERT_TRUE(ledger);
  ASSERT_FALSE(ledger->empty());
  EXPECT_EQ(ledger->back().org, "CN-B");
  EXPECT_TRUE(ledger->back().tombstone);
  // Syncing again changes nothing.
  const auto again = b_->Run("--json sync run");
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)[0]["applied"], 0) << again.out;
}

// A partner's rotated key reaches the receiver: the sync client fetches the
// key file, accepts the new key because the pinned one signed its rotation
// statement, and verifies what the new key signed. A key marked compromised
// from T then invalidates what it signs from T on.
TEST_F(SyncTest, ARotatedKeyIsFollowedAndACompromisedOneRefused) {
  auto a = a_->OpenStore();
  ASSERT_TRUE(a);
  const model::Incident before = Report("before the rotation", model::Tlp::kClear);
  ASSERT_TRUE(a->UpsertIncidents(std::vector<model::Incident>{before}));
  b_->MustRun("sync run");
  auto b = b_->OpenStore();
  EXPECT_TRUE(Holds(*b, before.id));

  const auto rotated = a_->Run("--json keys rotate");
  ASSERT_EQ(rotated.status, 0) << rotated.err;
  const std::string new_key = json::parse(rotated.out)["new_key"].get<std::string>();
  a_->Restart();  // serve signs with the current key of the ring it loads
  const model::Incident after = Report("after the rotation", model::Tlp::kClear);
  ASSERT_TRUE(a->UpsertIncidents(std::vector<model::Incident>{after}));
  const auto run = b_->Run("--json sync run");
  ASSERT_EQ(run.status, 0) << run.err << run.out;
  EXPECT_EQ(json::parse(run.out)[0]["rejected"], 0) << run.out;
  EXPECT_TRUE(Holds(*b, after.id));
  auto partner = b->GetPartner("a");
  ASSERT_TRUE(partner);
  const json keys = json::parse(partner->keys_json);
  std::set<std::string> ids;
  for (const auto& k : keys["keys"]) ids.insert(k["key_id"].get<std::string>());
  EXPECT_TRUE(ids.count(new_key)) << partner->keys_json;
  EXPECT_EQ(ids.size(), 2u);
  auto audited = b->ListAudit(AuditAction("sync-keys"));
  ASSERT_TRUE(audited);
  EXPECT_EQ(audited->size(), 1u);

  // The new key is compromised from now: what it signs from now on is refused.
  const auto compromised =
      a_->Run("keys compromise " + new_key + " --from " + NowTimestamp());
  ASSERT_EQ(compromised.status, 0) << compromised.err;
  a_->Restart();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const model::Incident late = Report("signed by a compromised key", model::Tlp::kClear);
  ASSERT_TRUE(a->UpsertIncidents(std::vector<model::Incident>{late}));
  const auto refused = b_->Run("--json sync run");
  ASSERT_EQ(refused.status, 0) << refused.err << refused.out;
  // The incident's four objects (incident, location, relationship, sighting).
  EXPECT_EQ(json::parse(refused.out)[0]["rejected"], 4) << refused.out;
  EXPECT_FALSE(Holds(*b, late.id));
  auto rejects = b->ListAudit(AuditAction("sync-reject"));
  ASSERT_TRUE(rejects);
  ASSERT_FALSE(rejects->empty());
  EXPECT_NE(rejects->back().detail.find("compromised"), std::string::npos) << rejects->back().detail;
}

TEST_F(SyncTest, AnInterruptedSyncResumesWithoutLossOrDuplicates) {
  auto a = a_->OpenStore();
  ASSERT_TRUE(a);
  // 300 objects in one transaction: they share one `modified`, so pages split
  // inside one timestamp.
  std::vector<model::Incident> batch;
  std::set<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    batch.push_back(Report("clear " + std::to_string(i), model::Tlp::kClear));
    // Without a point an incident is one STIX object, so a page of 40 is 40 incidents.
    batch.back().latitude.reset();
    batch.back().longitude.reset();
    ids.insert(batch.back().id.str());
  }
  ASSERT_TRUE(a->UpsertIncidents(batch));
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string d = "--db=" + b_->db();
    if (!freopen("/dev/null", "w", stdout)) _exit(126);
    execl(sync_testing::Bin().c_str(), "corridor", d.c_str(), "sync", "run", "--page-limit", "40",
          "--pause-before-apply-ms", "60000", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the first page is committed, then kill the run while it holds
  // the second page (read, not applied).
  auto b = b_->OpenStore();
  ASSERT_TRUE(b);
  bool committed = false;
  for (int i = 0; i < 600 && !committed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto p = b->GetPartner("a");
    committed = p && !p->cursor_next.empty();
  }
  ASSERT_TRUE(committed) << "the first page was never committed";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto count_held = [&] {
    int n = 0;
    for (const auto& inc : batch) n += Holds(*b, inc.id) ? 1 : 0;
    return n;
  };
  EXPECT_EQ(count_held(), 40) << "exactly the committed page";

  const auto resumed = b_->Run("--json sync run --page-limit 40");
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  const json report = json::parse(resumed.out)[0];
  EXPECT_EQ(report["applied"], 260) << report.dump();  // nothing applied twice
  EXPECT_EQ(report["stale"], 0) << report.dump();
  EXPECT_EQ(count_held(), 300) << "nothing lost";
  // One received-from record per object.
  std::vector<Uuid> all;
  for (const auto& inc : batch) all.push_back(inc.id);
  auto received = b->GetReceived(all);
  ASSERT_TRUE(received);
  EXPECT_EQ(received->size(), 300u);
  auto count = b->CountIncidents(store::SystemViewer(), {});
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 300);
}

TEST_F(SyncTest, ServePullsPartnersPeriodically) {
  auto a = a_->OpenStore();
  ASSERT_TRUE(a);
  const model::Incident inc = Report("periodic", model::Tlp::kClear);
  const model::Incident batch[] = {inc};
  ASSERT_TRUE(a->UpsertIncidents(batch));
  b_->Stop();
  b_->Start({"--sync-every", "1s"});
  auto b = b_->OpenStore();
  bool arrived = false;
  for (int i = 0; i < 200 && !arrived; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    arrived = Holds(*b, inc.id);
  }
  EXPECT_TRUE(arrived) << "serve --sync-every 1s did not pull A";
}

}  // namespace
}  // namespace corridor
