// STIX export and import through the real `corridor` binary, between two
// instances with separate stores and keys (issue 6, part A): signatures,
// refusals, idempotency, upsert by `modified`, revocation, key rotation and
// compromise, each refusal audited.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "corridor/common/date.h"
#include "corridor/stix/mapping.h"
#include "corridor/stix/signature.h"
#include "testing/testing.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunCommand;

std::string Bin() { return (testing::BuildDir() / "corridor").string(); }
std::string Q(const fs::path& p) { return "'" + p.string() + "'"; }

testing::CommandResult Corridor(const fs::path& db, const std::string& args,
                                const std::string& token = "") {
  const std::string env = token.empty() ? "" : "CORRIDOR_TOKEN='" + token + "' ";
  return RunCommand(env + Bin() + " --db " + Q(db) + " " + args);
}

json ReadJson(const fs::path& p) { return json::parse(testing::ReadFile(p)); }
void WriteJson(const fs::path& p, const json& j) { testing::WriteFile(p, j.dump()); }

// The first `rows` data rows of the real UCDP GED file (a real subset).
fs::path UcdpSubset(const fs::path& dir, int rows) {
  std::ifstream in(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv"));
  std::ofstream out(dir / "ucdp-subset.csv");
  std::string line;
  for (int i = 0; i <= rows && std::getline(in, line); ++i) out << line << "\n";
  return dir / "ucdp-subset.csv";
}

// Adds an analyst to `org` and returns its bearer token.
std::string AnalystToken(const fs::path& db, const std::string& user, const std::string& org) {
  auto r = RunCommand("echo 'a long enough password' | " + Bin() + " --db " + Q(db) +
                      " users add " + user + " --org " + org + " --role analyst");
  EXPECT_EQ(r.status, 0) << r.err;
  r = Corridor(db, "tokens create " + user);
  EXPECT_EQ(r.status, 0) << r.err;
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.rfind('\n') + 1);
}

json AuditOf(const fs::path& db, const std::string& action) {
  const auto r = Corridor(db, "--json audit list --action " + action);
  EXPECT_EQ(r.status, 0) << r.err;
  return json::parse(r.out);
}

// Instance A (PK-A) with 40 real UCDP incidents, the GTD fixture and two
// assessments; instance B (PK-B), a partner in the same trust group.
class StixCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = dir_ / "a.db";
    b_ = dir_ / "b.db";
    for (const auto& [db, own, other] :
         {std::tuple{a_, "PK-A", "PK-B"}, std::tuple{b_, "PK-B", "PK-A"}}) {
      ASSERT_EQ(Corridor(db, std::string("orgs add ") + own + " --own --trust-group bilateral").status, 0);
      ASSERT_EQ(Corridor(db, std::string("orgs add ") + other + " --trust-group bilateral").status, 0);
    }
    auto r = Corridor(a_, "ingest --format ucdp-ged " + Q(UcdpSubset(dir_.path(), 40)));
    ASSERT_EQ(r.status, 0) << r.err;
    r = Corridor(a_, "ingest --format gtd " +
                         Q(testing::TestPath("fixtures/gtd/gtd_codebook_fixture.csv")));
    ASSERT_TRUE(r.status == 0 || r.status == 3) << r.err;
    token_a_ = AnalystToken(a_, "analyst-a", "PK-A");
    token_b_ = AnalystToken(b_, "analyst-b", "PK-B");
    const std::string incident = RecordId("ucdp-ged", FirstUcdpId()).str();
    r = Corridor(a_, "--json assessments add --title 'Road attacks rising' --body '# Why\n\nTwo "
                     "**new** groups.' --incident " + incident +
                         " --marking TLP:AMBER --org PK-B", token_a_);
    ASSERT_EQ(r.status, 0) << r.err;
    amber_id_ = json::parse(r.out)["id"];
    r = Corridor(a_, "--json assessments add --title 'Regional picture' --marking TLP:GREEN "
                     "--trust-group bilateral", token_a_);
    ASSERT_EQ(r.status, 0) << r.err;
    green_id_ = json::parse(r.out)["id"];
    r = Corridor(a_, "--json keys show");
    ASSERT_EQ(r.status, 0) << r.err;
    a_keys_ = dir_ / "a-keys.json";
    testing::WriteFile(a_keys_, r.out);
  }

  static std::string FirstUcdpId() {
    std::ifstream in(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv"));
    std::string header, row;
    std::getline(in, header);
    std::getline(in, row);
    return row.substr(0, row.find(','));
  }

  // A's bundle, exported by A's analyst.
  fs::path ExportA(const std::string& name = "a.json") {
    const auto r = Corridor(a_, "export stix --output " + Q(dir_ / name), token_a_);
    EXPECT_EQ(r.status, 0) << r.err;
    return dir_ / name;
  }

  json IngestB(const fs::path& bundle, bool trust = true, int want_status = 0,
               const fs::path& db = {}) {
    const auto r = Corridor(db.empty() ? b_ : db,
                            "--json ingest --format stix " + Q(bundle) +
                                (trust ? " --trusted-keys " + Q(a_keys_) : "") + " --rejects " +
                                Q(dir_ / "rejects.json"));
    EXPECT_EQ(r.status, want_status) << r.out << r.err;
    return json::parse(r.out);
  }

  testing::TempDir dir_;
  fs::path a_, b_, a_keys_;
  std::string token_a_, token_b_, amber_id_, green_id_;
};

TEST_F(StixCliTest, PartnerImportsEverythingOnceAndTwiceChangesNothing) {
  const fs::path bundle = ExportA();
  const json exported = ReadJson(bundle);
  EXPECT_EQ(exported["type"], "bundle");
  const json first = IngestB(bundle);
  const int incidents = first["incidents_inserted"];
  EXPECT_GE(incidents, 41);  // 40 UCDP rows and the GTD fixture's rows
  EXPECT_EQ(first["assessments_inserted"], 2);
  EXPECT_EQ(first["rejected"], 0) << first.dump();
  EXPECT_EQ(first["constant"], 8);  // project identity, 2 extension definitions, 5 TLP
  // B's operator sees the CLEAR incidents; B's analyst also the AMBER
  // assessment for PK-B and the GREEN one for the trust group.
  auto r = Corridor(b_, "query --count");
  EXPECT_EQ(std::stoi(r.out), incidents);
  r = Corridor(b_, "--json assessments list", token_b_);
  ASSERT_EQ(r.status, 0) << r.err;
  const json listed = json::parse(r.out);
  ASSERT_EQ(listed.size(), 2u);
  r = Corridor(b_, "--json assessments show " + amber_id_, token_b_);
  ASSERT_EQ(r.status, 0) << r.err;
  const json amber = json::parse(r.out);
  EXPECT_EQ(amber["title"], "Road attacks rising");
  EXPECT_EQ(amber["marking"], "TLP:AMBER");
  EXPECT_EQ(amber["author_org"], "PK-A");
  EXPECT_EQ(amber["distribution"]["organisations"], json::array({"PK-B"}));
  // B's own CLEAR-only operator does not see it.
  EXPECT_NE(Corridor(b_, "assessments show " + amber_id_).status, 0);
  // The import is audited with every object taken.
  const json imports = AuditOf(b_, "import");
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0]["detail"]["incidents_inserted"], incidents);

  const json second = IngestB(bundle);
  EXPECT_EQ(second["incidents_inserted"], 0);
  EXPECT_EQ(second["incidents_updated"], 0);
  EXPECT_EQ(second["assessments_inserted"], 0);
  EXPECT_EQ(second["rejected"], 0);
  EXPECT_EQ(second["unchanged"], first["objects"].get<int>() - 8);
  EXPECT_EQ(std::stoi(Corridor(b_, "query --count").out), incidents);
  r = Corridor(b_, "--json assessments list", token_b_);
  EXPECT_EQ(json::parse(r.out).size(), 2u);
  // A's export was audited as an export and a read of its marked records.
  const json exports = AuditOf(a_, "export");
  ASSERT_FALSE(exports.empty());
  EXPECT_EQ(exports.back()["detail"]["format"], "stix");
}

TEST_F(StixCliTest, UnknownKeyTamperedAndBadSignaturesAreRejectedAndAudited) {
  const fs::path bundle = ExportA();
  // Without A's public keys nothing signed is taken.
  json report = IngestB(bundle, /*trust=*/false, /*want_status=*/3);
  EXPECT_EQ(report["incidents_inserted"], 0);
  EXPECT_EQ(report["rejected"], report["objects"].get<int>() - 8);
  EXPECT_NE(report["rejections"][0]["reason"].get<std::string>().find("signed by unknown key"),
            std::string::npos);

  json objects = ReadJson(bundle);
  std::string tampered_id, bad_sig_id;
  for (auto& o : objects["objects"]) {
    if (o["type"] != "incident") continue;
    if (tampered_id.empty()) {  // one byte of one property
      std::string name = o["name"];
      name[0] = static_cast<char>(name[0] ^ 1);
      o["name"] = name;
      tampered_id = o["id"];
    } else if (bad_sig_id.empty()) {
      std::string sig = o["extensions"][std::string(stix::kSignatureExtensionId)]["signature"];
      sig[0] = sig[0] == 'a' ? 'b' : 'a';
      o["extensions"][std::string(stix::kSignatureExtensionId)]["signature"] = sig;
      bad_sig_id = o["id"];
    }
  }
  const fs::path changed = dir_ / "changed.json";
  WriteJson(changed, objects);
  const fs::path c = dir_ / "c.db";
  report = IngestB(changed, /*trust=*/true, /*want_status=*/3, c);
  EXPECT_EQ(report["rejected"], 2) << report.dump();
  for (const auto& r : report["rejections"]) {
    EXPECT_EQ(r["kind"], "signature");
    EXPECT_NE(r["reason"].get<std::string>().find("does not verify"), std::string::npos);
  }
  // Kept with their reasons and a hash, never their content (issue 12 #4),
  // and audited one by one.
  const json kept = ReadJson(dir_ / "rejects.json");
  ASSERT_EQ(kept["rejections"].size(), 2u);
  EXPECT_EQ(kept["rejected"], 2);
  EXPECT_EQ(kept["rejections"][0]["id"], tampered_id);
  EXPECT_EQ(kept["rejections"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_FALSE(kept["rejections"][0].contains("object"));
  EXPECT_EQ(testing::ReadFile(dir_ / "rejects.json").find("\"extensions\""), std::string::npos);
  const json audited = AuditOf(c, "import-rejected");
  ASSERT_EQ(audited.size(), 2u);
  EXPECT_EQ(audited[0]["objects"], json::array({tampered_id}));
  EXPECT_EQ(audited[1]["objects"], json::array({bad_sig_id}));
  EXPECT_EQ(audited[0]["detail"]["kind"], "signature");
  // The untouched objects were taken.
  EXPECT_GE(report["incidents_inserted"].get<int>(), 39);
}

// Issue 12 #4 through the real binary: person-level objects and personal
// identifiers are refused (kept as pointer, reason and hash), undeclared
// properties are dropped and reported; every object here is signed by A, so
// the signature is not what refuses them.
TEST_F(StixCliTest, PersonLevelContentIsRefusedAndEachRefusalAudited) {
  json bundle = ReadJson(ExportA());
  auto instance = auth::LoadOrCreateInstanceKeys((dir_ / "a.db.keys").string());
  ASSERT_TRUE(instance) << instance.error().message;
  auto ring = stix::LoadOrCreateKeyRing((dir_ / "a.db.signing-keys").string(), *instance, "x");
  ASSERT_TRUE(ring) << ring.error().message;
  json incident;
  for (const auto& o : bundle["objects"]) {
    if (o["type"] == "incident") {
      incident = o;
      break;
    }
  }
  incident["id"] = "incident--" + Uuid::V4().str();
  incident["description"] = "Witness on \u06F0\u06F3\u06F0\u06F0 \u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7";
  const std::pair<json, std::string> people[] = {
      {{{"type", "identity"}, {"spec_version", "2.1"},
        {"id", "identity--" + Uuid::V4().str()}, {"created", "2026-01-01T00:00:00Z"},
        {"modified", "2026-01-01T00:00:00Z"}, {"name", "A. Person"},
        {"identity_class", "individual"}},
       "unsupported"},
      {{{"type", "email-addr"}, {"spec_version", "2.1"}, {"id", "email-addr--" + Uuid::V4().str()},
        {"value", "someone@example.org"}},
       "unsupported"},
      {{{"type", "user-account"}, {"spec_version", "2.1"},
        {"id", "user-account--" + Uuid::V4().str()}, {"account_login", "someone"}},
       "unsupported"},
      {incident, "personal-data"},
  };
  for (const auto& [object, _] : people) {
    auto signed_object = stix::Sign(object, ring->current);
    ASSERT_TRUE(signed_object);
    bundle["objects"].push_back(*signed_object);
  }
  // An organisation with an undeclared contact property: taken, the property dropped.
  json ngo = {{"type", "identity"}, {"spec_version", "2.1"}, {"id", "identity--" + Uuid::V4().str()},
              {"created", "2026-01-01T00:00:00Z"}, {"modified", "2026-01-01T00:00:00Z"},
              {"name", "Some NGO"}, {"identity_class", "organization"},
              {"x_contact_phone", "+92 51 0000000"}};
  bundle["objects"].push_back(*stix::Sign(ngo, ring->current));
  const fs::path with_people = dir_ / "people.json";
  WriteJson(with_people, bundle);
  const json report = IngestB(with_people, true, 3);
  ASSERT_EQ(report["rejected"], 4) << report.dump();
  const json audited = AuditOf(b_, "import-rejected");
  ASSERT_EQ(audited.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(people[i].second);
    EXPECT_EQ(report["rejections"][i]["kind"], people[i].second);
    EXPECT_EQ(audited[i]["objects"], json::array({people[i].first["id"]}));
    EXPECT_EQ(audited[i]["detail"]["kind"], people[i].second);
  }
  EXPECT_EQ(report["rejections"][3]["reason"].get<std::string>().rfind("/description:", 0), 0u);
  const std::string rejects = testing::ReadFile(dir_ / "rejects.json");
  EXPECT_EQ(ReadJson(dir_ / "rejects.json")["rejections"].size(), 4u);
  for (const char* content : {"someone@example.org", "A. Person", "Witness", "\u06F1\u06F2\u06F3"}) {
    EXPECT_EQ(rejects.find(content), std::string::npos) << content;
  }
  // The dropped property is reported by pointer in the import's audit entry.
  const json imports = AuditOf(b_, "import");
  ASSERT_FALSE(imports.empty());
  EXPECT_EQ(imports.back()["detail"]["objects_with_dropped_properties"], 1);
  EXPECT_EQ(imports.back()["detail"]["dropped"][0]["dropped"], json::array({"/x_contact_phone"}));
  EXPECT_EQ(imports.back()["detail"].dump().find("0000000"), std::string::npos);
  EXPECT_GE(report["incidents_inserted"].get<int>(), 41);  // the rest came in
}

TEST_F(StixCliTest, NewerModifiedWinsOlderIsIgnoredAndRevocationRemovesTheCopy) {
  const fs::path bundle = ExportA();
  IngestB(bundle);
  const int before = std::stoi(Corridor(b_, "query --count").out);
  // A's own signing key, as A would use it for a new version of its record.
  auto instance = auth::LoadOrCreateInstanceKeys((dir_ / "a.db.keys").string());
  ASSERT_TRUE(instance) << instance.error().message;
  auto ring = stix::LoadOrCreateKeyRing((dir_ / "a.db.signing-keys").string(), *instance, "x");
  ASSERT_TRUE(ring) << ring.error().message;
  json original;
  const json exported = ReadJson(bundle);
  for (const auto& o : exported["objects"]) {
    if (o["type"] == "incident") {
      original = o;
      break;
    }
  }
  const std::string id = original["id"];
  const std::string uuid = id.substr(10);
  const auto versioned = [&](const std::string& modified, const std::string& headline) {
    json o = original;
    o["modified"] = modified;
    o["name"] = headline;
    o["extensions"][std::string(stix::kCorridorExtensionId)]["incident"]["headline"] = headline;
    auto signed_object = stix::Sign(o, ring->current);
    EXPECT_TRUE(signed_object);
    json b = {{"type", "bundle"}, {"id", "bundle--" + Uuid::V4().str()},
              {"objects", json::array({*signed_object})}};
    const fs::path p = dir_ / ("v-" + headline.substr(0, 5) + ".json");
    WriteJson(p, b);
    return p;
  };
  // Versions dated just ahead of now (within the 5-minute skew; 2099 is
  // refused since issue 12 #5, see FutureVersionIsRefused below).
  const std::int64_t now = *ParseUnixTimestamp(NowTimestamp());
  const std::string newer = FormatUnixTimestamp(now + 120), older = FormatUnixTimestamp(now + 60),
                    revoked_at = FormatUnixTimestamp(now + 180);
  json report = IngestB(versioned(newer, "Newer headline"));
  EXPECT_EQ(report["incidents_updated"], 1) << report.dump();
  auto shown = json::parse(Corridor(b_, "query --format json --limit 100000").out);
  bool found = false;
  for (const auto& i : shown) {
    if (i["id"] == uuid) {
      found = true;
      EXPECT_EQ(i["headline"], "Newer headline");
    }
  }
  EXPECT_TRUE(found);
  // An older version (still newer than the first export) changes nothing now.
  report = IngestB(versioned(older, "Older headline"));
  EXPECT_EQ(report["unchanged"], 1);
  EXPECT_EQ(report["incidents_updated"], 0);
  // A content-free revocation from the originator removes B's copy.
  json tombstone = {{"type", "incident"}, {"spec_version", "2.1"}, {"id", id},
                    {"created", original["created"]}, {"modified", revoked_at},
                    {"revoked", true}};
  auto signed_tombstone = stix::Sign(tombstone, ring->current);
  ASSERT_TRUE(signed_tombstone);
  WriteJson(dir_ / "tombstone.json", {{"type", "bundle"}, {"id", "bundle--" + Uuid::V4().str()},
                                      {"objects", json::array({*signed_tombstone})}});
  report = IngestB(dir_ / "tombstone.json");
  EXPECT_EQ(report["revoked"], 1) << report.dump();
  EXPECT_EQ(std::stoi(Corridor(b_, "query --count").out), before - 1);
  // A forged tombstone (not signed by the originator's key) is rejected.
  tombstone["id"] = "incident--" + RecordId("ucdp-ged", FirstUcdpId()).str();
  WriteJson(dir_ / "forged.json", {{"type", "bundle"}, {"id", "bundle--" + Uuid::V4().str()},
                                   {"objects", json::array({tombstone})}});
  report = IngestB(dir_ / "forged.json", true, 3);
  EXPECT_EQ(report["revoked"], 0);
  EXPECT_EQ(std::stoi(Corridor(b_, "query --count").out), before - 1);
}

TEST_F(StixCliTest, RotatedKeysStillVerifyAndACompromisedKeyInvalidatesLaterObjects) {
  const fs::path old_bundle = ExportA("old.json");
  auto shown = json::parse(Corridor(a_, "--json keys show").out);
  const std::string first_key = shown["current"];
  auto r = Corridor(a_, "--json keys rotate");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string second_key = json::parse(r.out)["new_key"];
  EXPECT_NE(first_key, second_key);
  const fs::path new_bundle = ExportA("new.json");
  EXPECT_EQ(ReadJson(new_bundle)["objects"][8]["extensions"][std::string(stix::kSignatureExtensionId)]["key_id"],
            second_key);
  testing::WriteFile(a_keys_, Corridor(a_, "--json keys show").out);
  // A partner with A's published keys takes both the old and the new bundle.
  json report = IngestB(old_bundle);
  EXPECT_EQ(report["rejected"], 0) << report.dump();
  report = IngestB(new_bundle);
  EXPECT_EQ(report["rejected"], 0) << report.dump();
  // The rotation is audited.
  bool rotation_audited = false;
  for (const auto& e : AuditOf(a_, "admin")) {
    rotation_audited |= e["detail"].value("new_key", "") == second_key;
  }
  EXPECT_TRUE(rotation_audited);

  // The first key is marked compromised from a time before A's records were
  // modified: what it signed is rejected, what the new key signed is not.
  r = Corridor(a_, "keys compromise " + first_key + " --from 2000-01-01T00:00:00Z");
  ASSERT_EQ(r.status, 0) << r.err;
  testing::WriteFile(a_keys_, Corridor(a_, "--json keys show").out);
  const fs::path c = dir_ / "c.db";
  report = IngestB(old_bundle, true, 3, c);
  EXPECT_EQ(report["incidents_inserted"], 0);
  EXPECT_NE(report["rejections"][0]["reason"].get<std::string>().find("compromised from 2000-01-01T00:00:00Z"),
            std::string::npos) << report["rejections"][0];
  report = IngestB(new_bundle, true, 0, c);
  EXPECT_GE(report["incidents_inserted"].get<int>(), 41);
  // A compromise from a later time leaves earlier signatures valid.
  const fs::path d = dir_ / "d.db";
  r = Corridor(a_, "keys compromise " + first_key + " --from 2999-01-01T00:00:00Z");
  ASSERT_EQ(r.status, 0);
  json later = json::parse(Corridor(a_, "--json keys show").out);
  for (auto& k : later["keys"]) {
    if (k["key_id"] == first_key) k["compromised_from"] = "2999-01-01T00:00:00Z";
  }
  testing::WriteFile(a_keys_, later.dump());
  report = IngestB(old_bundle, true, 0, d);
  EXPECT_EQ(report["rejected"], 0);
  // Bad input is named.
  r = Corridor(a_, "keys compromise " + first_key + " --from yesterday");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("--from"), std::string::npos) << r.err;
}

// The whole real UCDP GED file (and the GTD and ACLED fixtures, and
// assessments) exported and checked by an independent validator against the
// OFFICIAL STIX 2.1 schemas, and each Corridor extension against its schema.
TEST(StixSchemaTest, ExportOfRealIncidentsValidatesAgainstTheOfficialSchemas) {
  testing::TempDir dir;
  const fs::path db = dir / "real.db";
  ASSERT_EQ(Corridor(db, "orgs add PK-NACTA --own --trust-group bilateral").status, 0);
  auto r = Corridor(db, "ingest --format ucdp-ged " +
                            Q(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv")));
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* fixture : {"fixtures/gtd/gtd_codebook_fixture.csv", "fixtures/acled/acled_format_fixture.csv"}) {
    const std::string format = std::string(fixture).find("gtd") != std::string::npos ? "gtd" : "acled";
    r = Corridor(db, "ingest --format " + format + " " + Q(testing::TestPath(fixture)));
    ASSERT_TRUE(r.status == 0 || r.status == 3) << r.err;
  }
  const std::string token = AnalystToken(db, "analyst", "PK-NACTA");
  r = Corridor(db, "assessments add --title 'Assessment with references' --incident " +
                       RecordId("ucdp-ged", "51720").str() + " --marking TLP:AMBER", token);
  ASSERT_EQ(r.status, 0) << r.err;
  r = Corridor(db, "assessments add --title 'No references' --marking TLP:GREEN --trust-group bilateral",
               token);
  ASSERT_EQ(r.status, 0) << r.err;
  const fs::path bundle = dir / "bundle.json";
  r = Corridor(db, "export stix --output " + Q(bundle), token);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string validate =
      "/usr/bin/python3 " + Q(testing::TestPath("stix/validate_stix.py")) + " " +
      Q(testing::SharedPath("standards/stix2.1/schemas")) + " " +
      Q(testing::TestPath("../docs/stix/corridor-extension.schema.json")) + " " +
      Q(testing::TestPath("../docs/stix/corridor-signature-extension.schema.json")) + " " +
      Q(bundle);
  r = RunCommand(validate + " 2>&1");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(" 0 failures"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("report 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("incident 58"), std::string::npos) << r.out;
  // And a broken object is caught by the same validator (the check can fail).
  const json all = ReadJson(bundle);
  json broken = {{"type", "bundle"}, {"id", all["id"]}, {"objects", json::array()}};
  for (std::size_t i = 0; i < 20; ++i) broken["objects"].push_back(all["objects"][i]);
  for (auto& o : broken["objects"]) {
    if (o["type"] == "location") {
      o["latitude"] = 123.0;
      break;
    }
  }
  WriteJson(dir / "broken.json", broken);
  r = RunCommand(validate.substr(0, validate.rfind(' ')) + " " + Q(dir / "broken.json") + " 2>&1");
  EXPECT_NE(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("latitude"), std::string::npos) << r.out;
}

// Issue 12 #12 through the real binary: a bundle of many refused objects
// leaves the first 100 audited one by one, one summary entry with the counts
// by kind, and a rejects file of at most 100 entries with no content.
TEST_F(StixCliTest, ManyRejectionsAreSummarisedAndTheRejectsFileBounded_Issue12_12) {
  json bundle = {{"type", "bundle"}, {"id", "bundle--" + Uuid::V4().str()}, {"objects", json::array()}};
  constexpr int kObjects = 250;
  for (int k = 0; k < kObjects; ++k) {
    bundle["objects"].push_back({{"type", "incident"}, {"spec_version", "2.1"},
                                 {"id", "incident--" + Uuid::V4().str()},
                                 {"created", "2026-11-20T00:00:00.000Z"},
                                 {"modified", "2026-11-20T00:00:00.000Z"},
                                 {"name", "unsigned " + std::to_string(k)},
                                 {"description", "secret content " + std::to_string(k)}});
  }
  bundle["objects"].push_back({{"type", "incident"}, {"id", "incident--" + Uuid::V4().str()},
                               {"description", std::string(70 * 1024, 'x')}});
  const fs::path file = dir_ / "many.json";
  WriteJson(file, bundle);
  const json report = IngestB(file, true, 3);
  EXPECT_EQ(report["rejected"], kObjects + 1);
  EXPECT_EQ(report["rejections"].size(), 100u);
  EXPECT_EQ(AuditOf(b_, "import-rejected").size(), 100u);
  const json summary = AuditOf(b_, "import-rejected-summary");
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0]["detail"]["rejected"], kObjects + 1);
  EXPECT_EQ(summary[0]["detail"]["by_kind"]["signature"], kObjects);
  EXPECT_EQ(summary[0]["detail"]["by_kind"]["oversized"], 1);
  const json kept = ReadJson(dir_ / "rejects.json");
  EXPECT_EQ(kept["rejections"].size(), 100u);
  EXPECT_EQ(kept["rejected"], kObjects + 1);
  EXPECT_EQ(testing::ReadFile(dir_ / "rejects.json").find("secret content"), std::string::npos);
}

}  // namespace
}  // namespace corridor
