// Issue 12: a hostile partner, through every door an object comes in by.
//
// Each case runs through the three ingress paths with the code they run in
// production: `corridor ingest --format stix` (stix::ImportBundleStream, what
// the CLI calls, fed the bundle as a stream), a TAXII POST
// (sync::ReceiveObjects with no cursor, what PostObjects calls) and the sync
// client (sync::ReceiveObjects with the partner's cursor, what SyncPartner
// calls for each fetched page). Keys are the partners' pinned keys
// (sync::PinnedKeys) as a real instance holds them.
//
// The instance is PK-NACTA. CN-MPS and AF-NDS are pinned partners; CN-MPS is
// the attacker unless a case says otherwise.
#include <gtest/gtest.h>

#include <sstream>

#include "corridor/auth/audit_log.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/date.h"
#include "corridor/stix/exchange.h"
#include "corridor/stix/ingress.h"
#include "corridor/stix/mapping.h"
#include "corridor/sync/client.h"
#include "corridor/sync/codec.h"
#include "testing/testing.h"

namespace corridor {
namespace {

using nlohmann::json;

enum class Path { kIngestStix, kTaxiiPost, kSyncClient };

std::string PathName(const ::testing::TestParamInfo<Path>& info) {
  switch (info.param) {
    case Path::kIngestStix:
      return "IngestStix";
    case Path::kTaxiiPost:
      return "TaxiiPost";
    case Path::kSyncClient:
      return "SyncClient";
  }
  return "unknown";
}

const std::string kExt(stix::kCorridorExtensionId);

// What one delivery did: ids accepted, and (id, kind-or-message) refused.
struct Outcome {
  std::vector<std::string> accepted;
  std::vector<std::pair<std::string, std::string>> refused;
  std::vector<std::string> sha256;  // of the refused objects, where reported

  bool Refused(const std::string& id, const std::string& why) const {
    for (const auto& [i, m] : refused) {
      if (i == id && m.find(why) != std::string::npos) return true;
    }
    return false;
  }
  bool Accepted(const std::string& id) const {
    return std::find(accepted.begin(), accepted.end(), id) != accepted.end();
  }
  std::string Dump() const {
    std::string out;
    for (const auto& a : accepted) out += "accepted " + a + "\n";
    for (const auto& [i, m] : refused) out += "refused " + i + ": " + m + "\n";
    return out;
  }
};

class HostilePartnerTest : public ::testing::TestWithParam<Path> {
 protected:
  void SetUp() override {
    auto s = store::OpenStore((dir_ / "pk.db").string());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    auto keys = auth::LoadOrCreateInstanceKeys((dir_ / "pk.db.keys").string());
    ASSERT_TRUE(keys) << keys.error().message;
    keys_ = *keys;
    audit_ = std::make_unique<auth::AuditLog>(*store_, keys_);
    ASSERT_TRUE(store_->AddOrganisation({"PK-NACTA", {"bilateral"}, true, ""}));
    ASSERT_TRUE(store_->AddOrganisation({"CN-MPS", {"bilateral"}, false, ""}));
    ASSERT_TRUE(store_->AddOrganisation({"AF-NDS", {"bilateral"}, false, ""}));
    for (auto* p : {&cn_, &af_}) {
      store::Partner partner;
      partner.name = p == &cn_ ? "cn" : "af";
      partner.org = p == &cn_ ? "CN-MPS" : "AF-NDS";
      partner.base_url = "https://" + partner.name + ".invalid";
      partner.api_root = "bilateral";
      partner.collection = sync::CollectionIdFor("bilateral");
      partner.token_sealed = "x";
      partner.public_key = p->public_key;
      partner.trust_group = "bilateral";
      partner.created = "2026-01-01T00:00:00.000Z";
      ASSERT_TRUE(store_->AddPartner(partner)) << partner.name;
    }
    // Our own AMBER and RED incidents, and a UCDP record imported here.
    amber_ = OurIncident(model::Tlp::kAmber, "Our AMBER report of an IED on the N-25");
    red_ = OurIncident(model::Tlp::kRed, "Our RED source report");
    ucdp_.id = RecordId("ucdp-ged", "51720");
    ucdp_.provenance = {"ucdp-ged", "20.1", "51720", "pakistan.csv", 2};
    ucdp_.date_start = *Date::ParseIso("2013-05-12");
    ucdp_.date_end = ucdp_.date_start;
    ucdp_.headline = "UCDP event 51720";
    ucdp_.killed = 4;
    ucdp_.marking.tlp = model::Tlp::kClear;
    ucdp_.licence = {"CC-BY-4.0", true, "UCDP GED"};
    for (const auto* i : {&amber_, &red_, &ucdp_}) {
      ASSERT_TRUE(store_->UpsertIncidents(std::span<const model::Incident>(i, 1)));
    }
  }

  model::Incident OurIncident(model::Tlp tlp, const std::string& headline) {
    model::Incident i;
    i.id = Uuid::V4();
    i.provenance.dataset = "manual";
    i.date_start = *Date::ParseIso("2026-11-20");
    i.date_end = i.date_start;
    i.latitude = 25.1;
    i.longitude = 62.3;
    i.headline = headline;
    i.killed = 2;
    i.marking.tlp = tlp;
    i.marking.author_org = "PK-NACTA";
    return i;
  }

  // A partner's incident, honestly authored by `org`.
  static model::Incident PartnerIncident(const std::string& org, const Uuid& id) {
    model::Incident i;
    i.id = id;
    i.provenance.dataset = "manual";
    i.date_start = *Date::ParseIso("2026-11-25");
    i.date_end = i.date_start;
    i.latitude = 35.9;
    i.longitude = 74.3;
    i.headline = "Convoy attacked near Gilgit";
    i.description = "Reported by the partner's field office.";
    i.killed = 1;
    i.marking.tlp = model::Tlp::kGreen;
    i.marking.author_org = org;
    i.created = "2026-11-25T00:00:00.000Z";
    i.modified = "2026-11-26T00:00:00.000Z";
    return i;
  }

  // The STIX objects of `incident`, each changed by `change` and signed by `key`.
  static std::vector<json> Objects(const model::Incident& incident, const stix::SigningKey& key,
                                   const std::function<void(json&)>& change = nullptr) {
    std::vector<json> out;
    for (json o : stix::IncidentToStix(incident)) {
      if (change && o["type"] == "incident") change(o);
      auto s = stix::Sign(std::move(o), key);
      EXPECT_TRUE(s) << s.error().message;
      out.push_back(*s);
    }
    return out;
  }

  Outcome Deliver(const std::vector<json>& objects) {
    Outcome out;
    auto known = sync::PinnedKeys(*store_);
    EXPECT_TRUE(known) << known.error().message;
    if (GetParam() == Path::kIngestStix) {
      json bundle = stix::MakeBundle(objects);
      std::istringstream in(bundle.dump());
      stix::BundleImportOptions options;
      options.source = "file:hostile.json";
      options.known = &*known;
      options.now = NowTimestamp();
      auto summary = stix::ImportBundleStream(*store_, in, options);
      EXPECT_TRUE(summary) << summary.error().message;
      if (!summary) return out;
      out.accepted = summary->accepted_ids;
      for (const auto& r : summary->rejections) {
        out.refused.emplace_back(r.id, r.kind + ": " + r.reason);
        out.sha256.push_back(r.sha256);
      }
      return out;
    }
    sync::Origin origin{GetParam() == Path::kTaxiiPost ? "post:CN-MPS" : "cn", "CN-MPS",
                        "bilateral", GetParam() == Path::kTaxiiPost ? "cn-user" : "sync:cn"};
    store::PartnerPage cursor;
    cursor.partner = "cn";
    cursor.cursor_added = NowTimestamp();
    auto result = sync::ReceiveObjects(*store_, *audit_, origin, json(objects), *known,
                                       GetParam() == Path::kSyncClient ? &cursor : nullptr);
    EXPECT_TRUE(result) << result.error().message;
    if (!result) return out;
    for (const auto& [id, version] : result->successes) out.accepted.push_back(id);
    for (const auto& f : result->failures) {
      out.refused.emplace_back(f.id, f.message);
      if (!f.sha256.empty()) out.sha256.push_back(f.sha256);
    }
    return out;
  }

  model::Incident Held(const Uuid& id) {
    auto i = store_->GetIncident(store::SystemViewer(), id);
    EXPECT_TRUE(i) << i.error().message;
    return i ? *i : model::Incident{};
  }

  // Every byte this instance stored about received objects: raw copies and
  // the audit log.
  std::string EverythingStored(const std::vector<Uuid>& ids) {
    std::string all;
    auto received = store_->GetReceived(ids);
    EXPECT_TRUE(received);
    if (received) {
      for (const auto& r : *received) all += r.object_json + "\n";
    }
    auto audit = store_->ListAudit({});
    EXPECT_TRUE(audit);
    if (audit) {
      for (const auto& e : *audit) all += e.detail + "\n";
    }
    return all;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  auth::InstanceKeys keys_;
  std::unique_ptr<auth::AuditLog> audit_;
  stix::SigningKey cn_ = stix::NewSigningKey();
  stix::SigningKey af_ = stix::NewSigningKey();
  model::Incident amber_, red_, ucdp_;
};

// #2: CN-signed objects with the ids of our AMBER and RED incidents, a later
// `modified` and CLEAR content — claiming our authorship (the attack) or
// honestly CN's (not in the issue) — change nothing.
TEST_P(HostilePartnerTest, OverwriteOfOurAmberAndRedIncidentsIsRefused_Issue12_2) {
  for (const auto* ours : {&amber_, &red_}) {
    for (const bool claim_ours : {true, false}) {
      SCOPED_TRACE(ours->headline + (claim_ours ? " (claiming PK-NACTA)" : " (as CN-MPS)"));
      model::Incident forged = *ours;
      forged.headline = "Nothing happened";
      forged.marking.tlp = model::Tlp::kClear;
      forged.marking.author_org = claim_ours ? "PK-NACTA" : "CN-MPS";
      forged.created = "2026-11-20T00:00:00.000Z";
      forged.modified = "2026-12-01T00:00:00.000Z";
      const auto out = Deliver(Objects(forged, cn_));
      const std::string id = stix::IncidentStixId(ours->id);
      EXPECT_FALSE(out.Accepted(id)) << out.Dump();
      EXPECT_TRUE(out.Refused(id, claim_ours ? "spoofed" : "protected")) << out.Dump();
      const auto held = Held(ours->id);
      EXPECT_EQ(held.headline, ours->headline);
      EXPECT_EQ(held.marking.tlp, ours->marking.tlp);
      EXPECT_EQ(held.marking.author_org, "PK-NACTA");
    }
  }
}

// #2: a CN-signed "update" of the UCDP record imported here is refused: the
// local import wins.
TEST_P(HostilePartnerTest, UpdateOfALocallyImportedUcdpRecordIsRefused_Issue12_2) {
  model::Incident forged = ucdp_;
  forged.killed = 40;
  forged.headline = "UCDP event 51720 (corrected)";
  forged.marking.author_org = "CN-MPS";
  forged.created = "2026-11-20T00:00:00.000Z";
  forged.modified = "2026-12-01T00:00:00.000Z";
  const auto out = Deliver(Objects(forged, cn_));
  const std::string id = stix::IncidentStixId(ucdp_.id);
  EXPECT_TRUE(out.Refused(id, "protected")) << out.Dump();
  EXPECT_TRUE(out.Refused(id, "ucdp-ged")) << out.Dump();
  const auto held = Held(ucdp_.id);
  EXPECT_EQ(held.killed, 4);
  EXPECT_EQ(held.headline, "UCDP event 51720");
}

// #3: a CN-signed new object claiming PK-NACTA (or AF-NDS) authorship is
// refused; an honest one is stored as CN-MPS's whatever it says.
TEST_P(HostilePartnerTest, SpoofedOriginatorIsRefusedAndTheVerifiedOneStored_Issue12_3) {
  const Uuid spoof_pk = Uuid::V4(), spoof_af = Uuid::V4(), honest = Uuid::V4();
  std::vector<json> objects = Objects(PartnerIncident("PK-NACTA", spoof_pk), cn_);
  for (auto& o : Objects(PartnerIncident("AF-NDS", spoof_af), cn_)) objects.push_back(o);
  for (auto& o : Objects(PartnerIncident("CN-MPS", honest), cn_)) objects.push_back(o);
  const auto out = Deliver(objects);
  EXPECT_TRUE(out.Refused(stix::IncidentStixId(spoof_pk), "spoofed")) << out.Dump();
  EXPECT_TRUE(out.Refused(stix::IncidentStixId(spoof_af), "spoofed")) << out.Dump();
  EXPECT_TRUE(out.Accepted(stix::IncidentStixId(honest))) << out.Dump();
  for (const Uuid& id : {spoof_pk, spoof_af}) {
    auto i = store_->GetIncident(store::SystemViewer(), id);
    EXPECT_FALSE(i) << "a spoofed object was stored";
  }
  EXPECT_EQ(Held(honest).marking.author_org, "CN-MPS");
}

// Not in the issue: AF-NDS (also pinned) may not change CN-MPS's record
// received here; CN-MPS itself may.
TEST_P(HostilePartnerTest, OnlyTheOriginatorChangesARecordReceivedFromOutside_Issue12_2) {
  const Uuid id = Uuid::V4();
  model::Incident original = PartnerIncident("CN-MPS", id);
  ASSERT_TRUE(Deliver(Objects(original, cn_)).Accepted(stix::IncidentStixId(id)));
  model::Incident by_af = original;
  by_af.marking.author_org = "AF-NDS";
  by_af.killed = 30;
  by_af.modified = "2026-11-27T00:00:00.000Z";
  const auto out = Deliver(Objects(by_af, af_));
  EXPECT_TRUE(out.Refused(stix::IncidentStixId(id), "conflict")) << out.Dump();
  EXPECT_EQ(Held(id).killed, 1);
  model::Incident by_cn = original;
  by_cn.killed = 2;
  by_cn.modified = "2026-11-27T00:00:00.000Z";
  EXPECT_TRUE(Deliver(Objects(by_cn, cn_)).Accepted(stix::IncidentStixId(id)));
  EXPECT_EQ(Held(id).killed, 2);
}

// #4: undeclared properties are removed before anything is stored, raw
// copies and audit entries included.
TEST_P(HostilePartnerTest, UndeclaredPropertiesNeverReachTheStore_Issue12_4) {
  const Uuid id = Uuid::V4();
  const auto objects = Objects(PartnerIncident("CN-MPS", id), cn_, [](json& o) {
    o["mobile"] = "+92 300 1234567";
    o["cnic"] = "35202-1234567-1";
    o["x_phone"] = "+86 138 0013 8000";
    o["dob"] = "1990-01-01";
    o["extensions"][kExt]["incident"]["username"] = "ali.khan@example.pk";
  });
  const auto out = Deliver(objects);
  EXPECT_TRUE(out.Accepted(stix::IncidentStixId(id))) << out.Dump();
  const std::string stored = EverythingStored({id});
  // (Whole values with their separators: a bare "0013" turns up by chance in
  // the random hex of a signature or id.)
  for (const char* leaked :
       {"300 1234567", "35202-1234567", "138 0013 8000", "1990-01-01", "ali.khan"}) {
    EXPECT_EQ(stored.find(leaked), std::string::npos) << leaked << " was stored:\n" << stored;
  }
  // What was dropped is reported by pointer (the names only, never the values).
  if (GetParam() != Path::kIngestStix) {
    for (const char* pointer :
         {"\"/mobile\"", "\"/cnic\"", "\"/x_phone\"", "\"/dob\"", "/incident/username"}) {
      EXPECT_NE(stored.find(pointer), std::string::npos) << pointer << " not reported:\n" << stored;
    }
  }
  const auto held = Held(id);
  EXPECT_EQ(held.headline, "Convoy attacked near Gilgit");
  EXPECT_EQ(held.marking.author_org, "CN-MPS");
}

// #4: a phone number written in Urdu digits in the description refuses the
// object; what is kept is a pointer, a reason and a hash, never the number.
TEST_P(HostilePartnerTest, UrduDigitPhoneInDescriptionIsRefusedAndNotKept_Issue12_4) {
  const Uuid id = Uuid::V4(), cnic = Uuid::V4();
  const std::string urdu_phone =
      "\u06F0\u06F3\u06F0\u06F0-\u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7";
  std::vector<json> objects = Objects(PartnerIncident("CN-MPS", id), cn_, [&](json& o) {
    o["description"] = "Informant reachable on " + urdu_phone;
  });
  // Not in the issue: a CNIC in the extension's location text.
  for (auto& o : Objects(PartnerIncident("CN-MPS", cnic), cn_, [](json& o) {
         o["extensions"][kExt]["incident"]["location"] = "house of 35202-1234567-1";
       })) {
    objects.push_back(o);
  }
  const auto out = Deliver(objects);
  EXPECT_TRUE(out.Refused(stix::IncidentStixId(id), "personal-data")) << out.Dump();
  EXPECT_TRUE(out.Refused(stix::IncidentStixId(id), "/description")) << out.Dump();
  EXPECT_TRUE(out.Refused(stix::IncidentStixId(cnic), "cnic")) << out.Dump();
  ASSERT_FALSE(out.sha256.empty());
  EXPECT_EQ(out.sha256.front().size(), 64u);
  const std::string stored = EverythingStored({id, cnic});
  EXPECT_EQ(stored.find(urdu_phone), std::string::npos) << stored;
  EXPECT_EQ(stored.find("1234567"), std::string::npos) << stored;
  EXPECT_EQ(stored.find("Informant"), std::string::npos) << stored;
  EXPECT_FALSE(store_->GetIncident(store::SystemViewer(), id));
}

// #5: an object dated 2099 is refused, so the originator's later correction
// still applies.
TEST_P(HostilePartnerTest, FutureDatesAreRefusedAndCorrectionsStillApply_Issue12_5) {
  const Uuid id = Uuid::V4();
  model::Incident first = PartnerIncident("CN-MPS", id);
  ASSERT_TRUE(Deliver(Objects(first, cn_)).Accepted(stix::IncidentStixId(id)));
  model::Incident future = first;
  future.killed = 99;
  future.modified = "2099-01-01T00:00:00.000Z";
  auto out = Deliver(Objects(future, cn_));
  EXPECT_TRUE(out.Refused(stix::IncidentStixId(id), "future")) << out.Dump();
  model::Incident correction = first;
  correction.killed = 3;
  correction.modified = "2026-11-30T00:00:00.000Z";
  out = Deliver(Objects(correction, cn_));
  EXPECT_TRUE(out.Accepted(stix::IncidentStixId(id))) << out.Dump();
  EXPECT_EQ(Held(id).killed, 3);
  // Not in the issue: a future `created` on a new object.
  model::Incident born_later = PartnerIncident("CN-MPS", Uuid::V4());
  born_later.created = FormatUnixTimestamp(*ParseUnixTimestamp(NowTimestamp()) + 3600);
  born_later.modified = born_later.created;
  out = Deliver(Objects(born_later, cn_));
  EXPECT_TRUE(out.Refused(stix::IncidentStixId(born_later.id), "future")) << out.Dump();
}

// #12: a 60 MB description is not stored; here just past the 64 KiB cap,
// and a signed object that is too big in all.
TEST_P(HostilePartnerTest, OversizedFieldIsRefused_Issue12_12) {
  const Uuid id = Uuid::V4();
  const auto objects = Objects(PartnerIncident("CN-MPS", id), cn_, [](json& o) {
    o["description"] = std::string(stix::kMaxTextBytes + 1, 'x');
  });
  const auto out = Deliver(objects);
  EXPECT_TRUE(out.Refused(stix::IncidentStixId(id), "oversized")) << out.Dump();
  EXPECT_FALSE(store_->GetIncident(store::SystemViewer(), id));
}

INSTANTIATE_TEST_SUITE_P(AllIngressPaths, HostilePartnerTest,
                         ::testing::Values(Path::kIngestStix, Path::kTaxiiPost, Path::kSyncClient),
                         PathName);

// #12: an oversized unsigned bundle: every object refused as it is read,
// rejections listed up to the bound and counted beyond it.
TEST(HostileBundleTest, ManyRefusedObjectsAreCountedNotListed_Issue12_12) {
  testing::TempDir dir;
  auto s = store::OpenStore((dir / "pk.db").string());
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE((*s)->AddOrganisation({"PK-NACTA", {"bilateral"}, true, ""}));
  std::ostringstream text;
  constexpr int kObjects = 5000;
  text << R"({"type":"bundle","id":"bundle--)" << Uuid::V4().str() << R"(","objects":[)";
  for (int k = 0; k < kObjects; ++k) {
    model::Incident i;
    i.id = Uuid::V4();
    i.provenance.dataset = "manual";
    i.date_start = *Date::ParseIso("2026-11-20");
    i.date_end = i.date_start;
    i.headline = "unsigned " + std::to_string(k);
    i.description = std::string(2000, 'z');
    text << (k ? "," : "") << stix::IncidentToStix(i)[0].dump();
  }
  text << "]}";
  std::istringstream in(text.str());
  stix::PublicKeys none;
  int callbacks = 0;
  stix::BundleImportOptions options;
  options.source = "file:big.json";
  options.known = &none;
  options.now = NowTimestamp();
  options.on_reject = [&](const stix::ImportRejection& r) -> Result<void> {
    ++callbacks;
    EXPECT_FALSE(r.sha256.empty());
    return {};
  };
  auto summary = stix::ImportBundleStream(**s, in, options);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->objects, kObjects);
  EXPECT_EQ(summary->rejected, kObjects);
  EXPECT_EQ(summary->rejections.size(), stix::kMaxListedRejections);
  EXPECT_EQ(callbacks, static_cast<int>(stix::kMaxListedRejections));
  EXPECT_EQ(summary->rejected_by_kind.at("signature"), kObjects);
}

// Not a bundle: nothing is written, and the error names the place.
TEST(HostileBundleTest, NotABundleWritesNothing_Issue12_12) {
  testing::TempDir dir;
  auto s = store::OpenStore((dir / "pk.db").string());
  ASSERT_TRUE(s) << s.error().message;
  stix::PublicKeys none;
  stix::BundleImportOptions options;
  options.known = &none;
  options.now = NowTimestamp();
  for (const char* text :
       {R"({"type":"not-a-bundle","objects":[]})", R"({"type":"bundle","objects":{}})",
        R"({"type":"bundle","objects":[)", "[1,2]"}) {
    SCOPED_TRACE(text);
    std::istringstream in(text);
    auto summary = stix::ImportBundleStream(**s, in, options);
    EXPECT_FALSE(summary);
  }
}

}  // namespace
}  // namespace corridor
