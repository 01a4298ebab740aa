// The TAXII 2.1 server of a real `corridor serve` on loopback, as a partner
// sees it: media types (406, 415), authentication (401) and membership (403),
// unknown roots, collections and objects (404), the size limit (413), bad
// content (422), pagination by limit/next and added_after with the
// X-TAXII-Date-Added-First/Last headers, match[] filters, manifest, versions,
// and POST with its status resource.
#include <set>

#include "corridor/auth/crypto.h"
#include "corridor/common/date.h"
#include "corridor/datasets/catalog.h"
#include "corridor/stix/signature.h"
#include "corridor/sync/codec.h"
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
using sync_testing::TaxiiHeaders;

constexpr const char* kTaxii = "application/taxii+json;version=2.1";

model::Incident Report(const std::string& headline, model::Tlp tlp) {
  model::Incident inc;
  inc.id = Uuid::V4();
  inc.provenance = {"manual", "", "", "api", 0};
  inc.licence = datasets::LicenceOf("manual");
  inc.date_start = *Date::ParseIso("2024-03-01");
  inc.date_end = inc.date_start;
  inc.country = "PAK";
  inc.headline = headline;
  inc.marking.tlp = tlp;
  inc.marking.author = "analyst-a";
  inc.marking.author_org = "PK-A";
  if (tlp == model::Tlp::kRed) inc.marking.distribution.users = {"analyst-a"};
  return inc;
}

class TaxiiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    a_ = std::make_unique<Instance>(dir_.path(), "a");
    a_->MustRun("orgs add PK-A --own --trust-group bilateral --trust-group regional");
    a_->MustRun("orgs add CN-B --trust-group bilateral");
    token_ = a_->TokenFor("sync-cn-b", "CN-B");
    own_token_ = a_->TokenFor("guard-a", "PK-A");
    // CN-B's signing key, pinned at A (its instance is not needed here).
    cn_b_key_ = stix::NewSigningKey();
    a_->MustRun(
        "sync add-partner --name cn-b --org CN-B --url http://127.0.0.1:9 --api-root "
        "bilateral --public-key " +
            cn_b_key_.public_key,
        "unused-token");
    auto store = a_->OpenStore();
    ASSERT_TRUE(store);
    // Three batches (three `modified` times), 25 CLEAR objects in all, and one RED.
    for (int b = 0; b < 3; ++b) {
      std::vector<model::Incident> batch;
      for (int i = 0; i < (b == 1 ? 5 : 10); ++i) {
        batch.push_back(
            Report("clear " + std::to_string(b) + "." + std::to_string(i), model::Tlp::kClear));
        clear_.insert(sync::StixIdOf(batch.back().id));
      }
      ASSERT_TRUE(store->UpsertIncidents(batch));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    red_ = Report("red", model::Tlp::kRed);
    const model::Incident red[] = {red_};
    ASSERT_TRUE(store->UpsertIncidents(red));
    a_->Start({"--max-body", "32768"});
    objects_ = "/taxii2/bilateral/collections/" + sync::CollectionIdFor("bilateral") + "/objects/";
  }

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", a_->port());
    c.set_read_timeout(30, 0);
    return c;
  }

  static void ExpectTaxiiError(const httplib::Result& res, int status) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), kTaxii);
    const json body = json::parse(res->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << res->body;
    EXPECT_EQ(body.value("http_status", ""), std::to_string(status)) << res->body;
    EXPECT_TRUE(body.contains("title")) << res->body;
  }

  testing::TempDir dir_;
  std::unique_ptr<Instance> a_;
  std::string token_, own_token_, objects_, amber_id_;
  std::set<std::string> clear_;
  model::Incident red_;
  stix::SigningKey cn_b_key_;
};

TEST_F(TaxiiTest, DiscoveryRootsAndCollections) {
  auto c = Client();
  auto res = c.Get("/taxii2/", TaxiiHeaders(token_));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), kTaxii);
  const json discovery = json::parse(res->body);
  ASSERT_EQ(discovery["api_roots"].size(), 1u) << "CN-B is in bilateral only: " << res->body;
  EXPECT_EQ(discovery["api_roots"][0], a_->url() + "/taxii2/bilateral/");
  EXPECT_EQ(discovery["default"], discovery["api_roots"][0]);

  res = c.Get("/taxii2/bilateral/", TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  const json root = json::parse(res->body);
  EXPECT_EQ(root["versions"], json::array({kTaxii}));
  EXPECT_EQ(root["max_content_length"], 32768);

  res = c.Get("/taxii2/bilateral/collections/", TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  const json collections = json::parse(res->body)["collections"];
  ASSERT_EQ(collections.size(), 1u);
  EXPECT_EQ(collections[0]["id"], sync::CollectionIdFor("bilateral"));
  EXPECT_TRUE(collections[0]["can_read"].get<bool>());
  EXPECT_TRUE(collections[0]["can_write"].get<bool>());
  EXPECT_EQ(collections[0]["media_types"], json::array({"application/stix+json;version=2.1"}));

  ExpectTaxiiError(
      c.Get("/taxii2/regional/collections/" + sync::CollectionIdFor("regional") + "/objects/",
            TaxiiHeaders(token_)),
      403);
  ExpectTaxiiError(c.Get("/taxii2/nowhere/", TaxiiHeaders(token_)), 404);
  ExpectTaxiiError(c.Get("/taxii2/bilateral/collections/" + sync::CollectionIdFor("regional") + "/",
                         TaxiiHeaders(token_)),
                   404);
}

TEST_F(TaxiiTest, MediaTypesAndAuthentication) {
  auto c = Client();
  ExpectTaxiiError(c.Get("/taxii2/", {{"Authorization", "Bearer " + token_}}), 406);
  ExpectTaxiiError(
      c.Get("/taxii2/", {{"Accept", "application/json"}, {"Authorization", "Bearer " + token_}}),
      406);
  ExpectTaxiiError(c.Get("/taxii2/", {{"Accept", "application/taxii+json;version=2.0"},
                                      {"Authorization", "Bearer " + token_}}),
                   406);
  auto ok = c.Get("/taxii2/", {{"Accept", "text/html, application/taxii+json; version=2.1"},
                               {"Authorization", "Bearer " + token_}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  ExpectTaxiiError(c.Get("/taxii2/", {{"Accept", kTaxii}}), 401);
  ExpectTaxiiError(c.Get("/taxii2/", TaxiiHeaders("not-a-token")), 401);
  ExpectTaxiiError(c.Get("/taxii2/", TaxiiHeaders(own_token_)), 403);

  // POST: the TAXII media type only (415), a valid envelope (422), the size limit (413).
  const std::string envelope = json{{"objects", json::array()}}.dump();
  ExpectTaxiiError(c.Post(objects_, TaxiiHeaders(token_), envelope, "application/json"), 415);
  ExpectTaxiiError(c.Post(objects_, TaxiiHeaders(token_), "{not json", kTaxii), 422);
  ExpectTaxiiError(c.Post(objects_, TaxiiHeaders(token_), R"({"objects":{}})", kTaxii), 422);
  ExpectTaxiiError(c.Post(objects_, TaxiiHeaders(token_), std::string(40000, ' '), kTaxii), 413);
}

// Issue 12 #10: TAXII authorised by organisation only, so a partner's admin
// token pulled AMBER objects that the same user could not read on /api/v1.
// Now TAXII needs a user who may export (the partner role), and every object
// sent is one that user may export through /api/v1 as well.
TEST_F(TaxiiTest, OnePolicyWithApiV1ForEveryToken) {
  {
    auto store = a_->OpenStore();
    ASSERT_TRUE(store);
    model::Incident amber = Report("amber for cn-b", model::Tlp::kAmber);
    amber.marking.distribution.organisations = {"CN-B"};
    const model::Incident rows[] = {amber};
    ASSERT_TRUE(store->UpsertIncidents(rows));
    amber_id_ = sync::StixIdOf(amber.id);
  }
  auto c = Client();
  const std::string admin = a_->TokenFor("admin-cn-b", "CN-B", "admin");
  const std::string guard = a_->TokenFor("guard-cn-b", "CN-B", "site-security");
  const std::string analyst = a_->TokenFor("analyst-cn-b", "CN-B", "analyst");
  for (const auto& refused : {admin, guard}) {
    ExpectTaxiiError(c.Get("/taxii2/", TaxiiHeaders(refused)), 403);
    ExpectTaxiiError(c.Get(objects_, TaxiiHeaders(refused)), 403);
    ExpectTaxiiError(c.Post(objects_, TaxiiHeaders(refused), R"({"objects":[]})", kTaxii), 403);
  }
  // The admin of CN-B reads CLEAR only on /api/v1 ...
  auto api = c.Get("/api/v1/incidents/" + amber_id_.substr(std::string("incident--").size()),
                   {{"Authorization", "Bearer " + admin}});
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404) << api->body;
  // ... and the partner account gets the AMBER object over TAXII and on /api/v1.
  const auto pulled = [&](const std::string& token) {
    std::set<std::string> ids;
    auto res = c.Get(objects_ + "?limit=1000", TaxiiHeaders(token));
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "");
    if (!res || res->status != 200) return ids;
    const json page = json::parse(res->body);
    for (const auto& o : page.value("objects", json::array()))
      ids.insert(o["id"].get<std::string>());
    return ids;
  };
  const auto partner_ids = pulled(token_);
  EXPECT_TRUE(partner_ids.count(amber_id_));
  EXPECT_FALSE(partner_ids.count(sync::StixIdOf(red_.id)));
  auto partner_api =
      c.Get("/api/v1/incidents/" + amber_id_.substr(std::string("incident--").size()),
            {{"Authorization", "Bearer " + token_}});
  ASSERT_TRUE(partner_api);
  EXPECT_EQ(partner_api->status, 200) << partner_api->body;
  // An analyst of CN-B may export too: the same objects, never RED by token.
  const auto analyst_ids = pulled(analyst);
  EXPECT_TRUE(analyst_ids.count(amber_id_));
  EXPECT_FALSE(analyst_ids.count(sync::StixIdOf(red_.id)));
}

TEST_F(TaxiiTest, PaginationFollowsLimitNextAndAddedAfter) {
  auto c = Client();
  std::vector<std::string> seen;
  std::string next;
  std::string previous_last;
  int pages = 0;
  for (;;) {
    std::string target = objects_ + "?limit=4";
    if (!next.empty()) target += "&next=" + next;
    auto res = c.Get(target, TaxiiHeaders(token_));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    ++pages;
    const json page = json::parse(res->body);
    const json objects = page.value("objects", json::array());
    EXPECT_LE(objects.size(), 4u);
    for (const auto& o : objects) seen.push_back(o["id"]);
    if (!objects.empty()) {
      const std::string first = res->get_header_value("X-TAXII-Date-Added-First");
      const std::string last = res->get_header_value("X-TAXII-Date-Added-Last");
      EXPECT_FALSE(first.empty());
      EXPECT_LE(first, last);
      EXPECT_LE(previous_last, first) << "pages go forward in date_added";
      previous_last = last;
    }
    if (!page["more"].get<bool>()) {
      EXPECT_FALSE(page.contains("next"));
      break;
    }
    next = page["next"];
    ASSERT_LT(pages, 20);
  }
  EXPECT_EQ(pages, 7);  // 25 objects, 4 a page
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), clear_) << "no RED, nothing twice";

  // added_after the first batch's date_added: the later 15.
  auto first_page = c.Get(objects_ + "?limit=10", TaxiiHeaders(token_));
  ASSERT_TRUE(first_page && first_page->status == 200);
  const std::string boundary = first_page->get_header_value("X-TAXII-Date-Added-Last");
  auto after = c.Get(objects_ + "?added_after=" + boundary, TaxiiHeaders(token_));
  ASSERT_TRUE(after && after->status == 200);
  const json later = json::parse(after->body);
  EXPECT_EQ(later["objects"].size(), 15u);
  EXPECT_FALSE(later["more"].get<bool>());
  EXPECT_GT(after->get_header_value("X-TAXII-Date-Added-First"), boundary);
  // After everything: an empty envelope.
  auto none = c.Get(objects_ + "?added_after=2999-01-01T00:00:00Z", TaxiiHeaders(token_));
  ASSERT_TRUE(none && none->status == 200);
  EXPECT_EQ(json::parse(none->body), (json{{"more", false}}));

  // Bad parameters: 400 with the TAXII error naming them.
  for (const char* bad : {"?limit=0", "?limit=x", "?next=zz", "?added_after=yesterday",
                          "?match[version]=soon", "?colour=red"}) {
    SCOPED_TRACE(bad);
    auto res = c.Get(objects_ + bad, TaxiiHeaders(token_));
    ExpectTaxiiError(res, 400);
  }
}

TEST_F(TaxiiTest, MatchFiltersManifestVersionsAndOneObject) {
  auto c = Client();
  const std::string one = *clear_.begin();
  auto res = c.Get(objects_ + "?match[id]=" + one, TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  json page = json::parse(res->body);
  ASSERT_EQ(page["objects"].size(), 1u);
  EXPECT_EQ(page["objects"][0]["id"], one);
  const std::string version = page["objects"][0]["modified"];

  res = c.Get(objects_ + "?match[type]=location", TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  EXPECT_FALSE(json::parse(res->body).contains("objects"));
  res = c.Get(objects_ + "?match[type]=incident,location&match[spec_version]=2.1&limit=1000",
              TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  EXPECT_EQ(json::parse(res->body)["objects"].size(), 25u);
  res = c.Get(objects_ + "?match[spec_version]=2.0", TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  EXPECT_FALSE(json::parse(res->body).contains("objects"));
  res = c.Get(objects_ + "?match[id]=" + one + "&match[version]=" + version, TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  EXPECT_EQ(json::parse(res->body)["objects"].size(), 1u);
  res = c.Get(objects_ + "?match[id]=" + one + "&match[version]=2001-01-01T00:00:00.000Z",
              TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  EXPECT_FALSE(json::parse(res->body).contains("objects"));

  // The manifest lists the same objects with their versions.
  const std::string manifest =
      "/taxii2/bilateral/collections/" + sync::CollectionIdFor("bilateral") + "/manifest/";
  res = c.Get(manifest + "?limit=1000", TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  const json entries = json::parse(res->body)["objects"];
  ASSERT_EQ(entries.size(), 25u);
  std::set<std::string> ids;
  for (const auto& e : entries) {
    ids.insert(e["id"]);
    EXPECT_EQ(e["media_type"], "application/stix+json;version=2.1");
    EXPECT_TRUE(e.contains("date_added") && e.contains("version"));
  }
  EXPECT_EQ(ids, clear_);

  // One object, its versions; RED and unknown ids are 404.
  res = c.Get(objects_ + one + "/", TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "");
  EXPECT_EQ(json::parse(res->body)["objects"][0]["id"], one);
  EXPECT_FALSE(res->get_header_value("X-TAXII-Date-Added-First").empty());
  res = c.Get(objects_ + one + "/versions/", TaxiiHeaders(token_));
  ASSERT_TRUE(res && res->status == 200);
  EXPECT_EQ(json::parse(res->body)["versions"], json::array({version}));
  ExpectTaxiiError(c.Get(objects_ + sync::StixIdOf(red_.id) + "/", TaxiiHeaders(token_)), 404);
  ExpectTaxiiError(c.Get(objects_ + sync::StixIdOf(Uuid::V4()) + "/", TaxiiHeaders(token_)), 404);
}

TEST_F(TaxiiTest, PostReturnsAStatusResource) {
  auto c = Client();
  model::Incident theirs = Report("a report of CN-B", model::Tlp::kAmber);
  theirs.marking.author_org = "CN-B";
  theirs.marking.author = "analyst-b";
  theirs.marking.distribution.organisations = {"PK-A"};
  theirs.created = theirs.modified = "2026-01-01T00:00:00.000Z";
  auto signed_objects = sync::EncodeIncident(theirs, {"CN-B"}, &cn_b_key_);
  ASSERT_TRUE(signed_objects) << signed_objects.error().message;
  ASSERT_EQ(signed_objects->size(), 1u);  // no point: the incident SDO alone
  const json good = signed_objects->front();
  // Changed after signing: the signature no longer verifies.
  model::Incident other = Report("another report of CN-B", model::Tlp::kClear);
  other.marking.author_org = "CN-B";
  other.created = other.modified = "2026-01-01T00:00:00.000Z";
  json tampered = sync::EncodeIncident(other, {"CN-B"}, &cn_b_key_)->front();
  tampered["name"] = "changed on the way";
  // Signed by a key nobody pinned.
  const stix::SigningKey stranger = stix::NewSigningKey();
  model::Incident third = Report("a third report", model::Tlp::kClear);
  third.marking.author_org = "CN-B";
  third.created = third.modified = "2026-01-01T00:00:00.000Z";
  const json unknown_key = sync::EncodeIncident(third, {"CN-B"}, &stranger)->front();
  const json envelope = {{"objects", json::array({good, tampered, unknown_key})}};
  auto res = c.Post(objects_, TaxiiHeaders(token_), envelope.dump(), kTaxii);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const json status = json::parse(res->body);
  EXPECT_EQ(status["status"], "complete");
  EXPECT_EQ(status["total_count"], 3);
  EXPECT_EQ(status["success_count"], 1);
  EXPECT_EQ(status["failure_count"], 2);
  EXPECT_EQ(status["pending_count"], 0);
  EXPECT_EQ(status["successes"][0]["id"], good["id"]);
  for (const auto& f : status["failures"]) {
    EXPECT_NE(f["message"].get<std::string>().find("signature"), std::string::npos) << f.dump();
  }
  // Both refusals are audited with their reasons; neither object is held.
  auto store = a_->OpenStore();
  auto rejects = store->ListAudit(AuditAction("sync-reject"));
  ASSERT_TRUE(rejects);
  ASSERT_EQ(rejects->size(), 1u);
  EXPECT_EQ(rejects->front().objects.size(), 2u);
  EXPECT_FALSE(store->GetIncident(store::SystemViewer(), other.id));
  EXPECT_FALSE(store->GetIncident(store::SystemViewer(), third.id));
  auto again = c.Get("/taxii2/bilateral/status/" + status["id"].get<std::string>() + "/",
                     TaxiiHeaders(token_));
  ASSERT_TRUE(again && again->status == 200);
  EXPECT_EQ(json::parse(again->body), status);
  ExpectTaxiiError(
      c.Get("/taxii2/bilateral/status/" + Uuid::V4().str() + "/", TaxiiHeaders(token_)), 404);
  // The object is held, as received from CN-B, and never served back to it.
  auto held = store->GetIncident(store::SystemViewer(), theirs.id);
  ASSERT_TRUE(held);
  EXPECT_EQ(held->headline, theirs.headline);
  ExpectTaxiiError(c.Get(objects_ + good["id"].get<std::string>() + "/", TaxiiHeaders(token_)),
                   404);
}

// An envelope's members have one type each; a wrong one is a 422 naming the
// pointer on the server and an error on the client, never a default or a
// crash (found by fuzz_taxii_envelope).
TEST(EnvelopeTest, MembersOfTheWrongTypeAreErrorsNamingThePointer) {
  const auto ok = sync::ReadEnvelope(R"({"objects":[{"type":"x"}],"more":true,"next":"7"})", true);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->objects.size(), 1u);
  EXPECT_TRUE(ok->more);
  EXPECT_EQ(ok->next, "7");
  EXPECT_TRUE(sync::ReadEnvelope(R"({"more":false})", false));
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"[]", "/:"},
      {"{\"objects\":[]", "/:"},
      {R"({"more":false})", "/objects"},
      {R"({"objects":{}})", "/objects"},
      {R"({"objects":[],"more":"yes"})", "/more"},
      {R"({"objects":[],"more":1})", "/more"},
      {R"({"objects":[],"more":true})", "/next"},
      {R"({"objects":[],"more":true,"next":5})", "/next"},
      {R"({"objects":[],"more":true,"next":""})", "/next"},
  };
  for (const auto& [body, pointer] : bad) {
    const auto r = sync::ReadEnvelope(body, true);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().message.rfind(pointer, 0), 0u) << body << ": " << r.error().message;
  }
}

TEST_F(TaxiiTest, APostedEnvelopeOfTheWrongShapeIs422NamingThePointer) {
  auto c = Client();
  for (const auto& [body, pointer] :
       std::vector<std::pair<std::string, std::string>>{{R"({"objects":{}})", "/objects"},
                                                        {R"({"objects":[],"more":"yes"})", "/more"},
                                                        {"[1]", "/"}}) {
    auto res = c.Post(objects_, TaxiiHeaders(token_), body, kTaxii);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << body;
    EXPECT_NE(res->body.find(pointer), std::string::npos) << res->body;
  }
}

}  // namespace
}  // namespace corridor
