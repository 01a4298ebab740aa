// The committee's "public perception" view (service/perception.h) on a real
// security store: a release made and signed as the public side does, taken in
// by the ingest use case, read back beside incidents that each reader may or
// may not see.
#include "corridor/service/perception.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "corridor/auth/audit_log.h"
#include "corridor/auth/crypto.h"
#include "corridor/release/release.h"
#include "corridor/store/store.h"
#include "testing/testing.h"

namespace corridor::service {
namespace {

using model::Role;
using nlohmann::json;

// An incident in Awaran (PK201) on `day`, CLEAR unless changed.
model::Incident IncidentOn(const std::string& key, Date day) {
  model::Incident inc;
  inc.id = Uuid::V5(Uuid(), "perception-test/" + key);
  inc.provenance = {"manual", "1", key, "test", 1};
  inc.date_start = inc.date_end = day;
  inc.date_precision = model::DatePrecision::kDay;
  inc.latitude = 26.4;
  inc.longitude = 65.2;
  inc.location_precision = model::LocationPrecision::kExact;
  inc.country = "PAK";
  inc.admin1 = "PK2";
  inc.admin2 = "PK201";
  inc.admin_method = model::AssignMethod::kInside;
  inc.category = model::Category::kArmedAssault;
  inc.headline = "Incident " + key;
  inc.marking.tlp = model::Tlp::kClear;
  return inc;
}

auth::Principal Principal(std::string name, std::string org, Role role) {
  return auth::Principal{std::move(name), std::move(org), {role}, {}, true, false};
}

class PerceptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto s = store::OpenStore((dir_.path() / "s.db").string());
    ASSERT_TRUE(s.has_value()) << s.error().message;
    store_ = std::move(*s);
    auto keys = auth::LoadOrCreateInstanceKeys((dir_.path() / "s.db.keys").string());
    ASSERT_TRUE(keys.has_value());
    keys_ = std::move(*keys);
    audit_ = std::make_unique<auth::AuditLog>(*store_, keys_);
    ctx_ = std::make_unique<Context>(Context{*store_, *audit_});
    auto public_keys = auth::LoadOrCreateInstanceKeys((dir_.path() / "public.keys").string());
    ASSERT_TRUE(public_keys.has_value());
    public_keys_ = std::move(*public_keys);
    trusted_ = release::TrustedKeysFromJson(release::PublicKeyFile(public_keys_, "public")).value();

    // Quetta (PK201 in the test incidents' district) in May and June 2026.
    std::vector<release::Count> counts = {
        {"grievance", "PK201", "2026-05", "land-compensation", "web", 12},
        {"grievance", "PK201", "2026-05", "land-compensation", "phone", 3},
        {"grievance", "PK201", "2026-05", "labour-wages", "web", 25},
        {"grievance", "PK201", "2026-05", "labour-wages", "in-person", 11},
        {"grievance", "PK201", "2026-06", "environment", "web", 30},
        {"consultation", "PK201", "2026-05", "access-roads", "web", 14},
        {"grievance", "PK101", "2026-06", "corruption", "letter", 2},
    };
    auto r = release::MakeRelease(counts, {.generated_at = "2026-07-01T00:00:00Z"});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    doc_ = r->document;
    bytes_ = doc_.dump(1);
    signature_ = release::SignDetached(public_keys_, bytes_).dump();

    // Two incidents in the district in May: one CLEAR, one AMBER of PK-A.
    auto clear = IncidentOn("clear", *Date::FromYmd(2026, 5, 10));
    auto amber = IncidentOn("amber", *Date::FromYmd(2026, 5, 12));
    amber.marking.tlp = model::Tlp::kAmber;
    amber.marking.author_org = "PK-A";
    auto june = IncidentOn("june", *Date::FromYmd(2026, 6, 2));
    auto up = store_->UpsertIncidents(std::vector{clear, amber, june});
    ASSERT_TRUE(up) << up.error().message;
  }

  Result<IngestedRelease> Ingest(const std::string& bytes, const std::string& signature) {
    return IngestPublicRelease(*ctx_, operator_, bytes, signature, trusted_);
  }

  // The published value of one row of the release document.
  json Published(const std::string& kind, const std::string& district, const std::string& month,
                 const std::string& topic) {
    for (const auto& row : doc_["totals"]) {
      if (row["kind"] == kind && row["district"] == district && row["month"] == month &&
          row.value("topic", "*") == topic && !row.contains("channel")) {
        if (row["count"].is_number_integer()) return row["count"];
        return {{"suppressed", true}, {"reason", row["reason"]}};
      }
    }
    return 0;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  auth::InstanceKeys keys_, public_keys_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<Context> ctx_;
  std::vector<std::string> trusted_;
  json doc_;
  std::string bytes_, signature_;
  const Caller operator_ = OperatorCaller("operator", store::Viewer{}, "test");
  const Caller a_committee_ = CallerFor(Principal("a-sec", "PK-A", Role::kCommittee), "test");
  const Caller b_analyst_ = CallerFor(Principal("b-analyst", "PK-B", Role::kAnalyst), "test");
  const Caller site_ = CallerFor(Principal("guard", "PK-A", Role::kSiteSecurity), "test");
  const Caller admin_ = CallerFor(Principal("admin", "PK-A", Role::kAdmin), "test");
};

TEST_F(PerceptionTest, IngestTakesOnlyASignedCheckedReleaseOnce) {
  auto forged = Ingest(bytes_ + " ", signature_);  // one byte more: the signature fails
  ASSERT_FALSE(forged.has_value());
  EXPECT_EQ(forged.error().code, ErrorCode::kPermissionDenied);
  json small = doc_;
  small["cells"][0]["count"] = 4;  // a count 1–9, signed by the right key, still refused
  const std::string small_bytes = small.dump();
  auto refused = Ingest(small_bytes, release::SignDetached(public_keys_, small_bytes).dump());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(IngestPublicRelease(*ctx_, a_committee_, bytes_, signature_, trusted_));

  auto first = Ingest(bytes_, signature_);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(first->added);
  EXPECT_EQ(first->cells, doc_["suppression"]["cells"].get<std::int64_t>());
  EXPECT_EQ(first->suppressed, doc_["suppression"]["suppressed"].get<std::int64_t>());
  EXPECT_GT(first->suppressed, 0);
  auto again = Ingest(bytes_, signature_);
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->added);
  EXPECT_EQ(again->id, first->id);
  store::AuditQuery q;
  q.action = "public-release-ingested";
  EXPECT_EQ(store_->ListAudit(q).value().size(), 2U);
}

TEST_F(PerceptionTest, ShowsThePublishedCountsBesideTheReadersOwnIncidents) {
  ASSERT_TRUE(Ingest(bytes_, signature_));
  PerceptionParams p;
  p.from = "2026-05";
  p.to = "2026-06";
  auto a = PublicPerception(*ctx_, a_committee_, p);
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->months, (std::vector<std::string>{"2026-05", "2026-06"}));
  const json j = ToJson(*a);
  ASSERT_EQ(j["districts"].size(), 2U);  // PK101 (suppressed, not zero) and PK201
  const json* quetta = nullptr;
  for (const auto& d : j["districts"]) {
    if (d["district"] == "PK201") quetta = &d;
  }
  ASSERT_NE(quetta, nullptr);
  EXPECT_EQ((*quetta)["name"], "Awaran");
  // Every published figure as the release has it, month by month; a hidden
  // one stays hidden with its reason (never summed, never a number).
  for (std::size_t m = 0; m < 2; ++m) {
    const std::string month = a->months[m];
    EXPECT_EQ((*quetta)["grievances"][m], Published("grievance", "PK201", month, "*")) << month;
    EXPECT_EQ((*quetta)["consultations"][m], Published("consultation", "PK201", month, "*"));
    for (const auto& t : (*quetta)["topics"]) {
      EXPECT_EQ(t["months"][m], Published("grievance", "PK201", month, t["topic"]))
          << month << " " << t["topic"];
    }
  }
  EXPECT_EQ((*quetta)["grievances"][0], 51);  // 12 + 3 + 25 + 11: over every topic and channel
  EXPECT_EQ((*quetta)["grievances"][1], 30);
  // The incidents are the reader's: PK-A's committee sees its AMBER one, PK-B's analyst not.
  EXPECT_EQ((*quetta)["incidents"], json({2, 1}));
  auto b = PublicPerception(*ctx_, b_analyst_, p);
  ASSERT_TRUE(b.has_value());
  for (const auto& d : b->districts) {
    if (d.pcode == "PK201") {
      EXPECT_EQ(d.incidents, (std::vector<std::int64_t>{1, 1}));
    }
  }
  // Nothing but counts, names and the release's provenance: no key that could
  // carry a resident's text, receipt, contact or attachment.
  const std::set<std::string> allowed = {"release",
                                         "id",
                                         "generated_at",
                                         "received_at",
                                         "signed_by",
                                         "cells",
                                         "suppressed",
                                         "reason",
                                         "months",
                                         "topics",
                                         "threshold",
                                         "vulnerability_year",
                                         "vulnerability_note",
                                         "districts",
                                         "district",
                                         "name",
                                         "province",
                                         "vulnerability",
                                         "incidents",
                                         "grievances",
                                         "consultations",
                                         "topic"};
  std::function<void(const json&)> walk = [&](const json& v) {
    if (v.is_object()) {
      for (const auto& [k, x] : v.items()) {
        EXPECT_TRUE(allowed.contains(k)) << k;
        walk(x);
      }
    } else if (v.is_array()) {
      for (const auto& x : v) walk(x);
    }
  };
  walk(j);
}

TEST_F(PerceptionTest, DefaultsToTheLastTwelveMonthsOfTheLastRelease) {
  ASSERT_TRUE(Ingest(bytes_, signature_));
  auto v = PublicPerception(*ctx_, a_committee_, {});
  ASSERT_TRUE(v.has_value()) << v.error().message;
  ASSERT_EQ(v->months.size(), 12U);
  EXPECT_EQ(v->months.front(), "2025-07");
  EXPECT_EQ(v->months.back(), "2026-06");
  PerceptionParams one;
  one.districts = {"PK101", "PK101"};  // given twice: one row, with its counts
  auto only = PublicPerception(*ctx_, a_committee_, one);
  ASSERT_TRUE(only.has_value());
  ASSERT_EQ(only->districts.size(), 1U);
  EXPECT_EQ(only->districts[0].grievances.back().reason, "small");
  EXPECT_FALSE(only->districts[0].grievances.back().count.has_value());
}

TEST_F(PerceptionTest, RefusesOtherRolesAndBadParameters) {
  ASSERT_TRUE(Ingest(bytes_, signature_));
  for (const Caller* c : {&site_, &admin_}) {
    auto denied = PublicPerception(*ctx_, *c, {});
    ASSERT_FALSE(denied.has_value());
    EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  }
  auto bad = [&](const PerceptionParams& p, const std::string& word) {
    auto r = PublicPerception(*ctx_, a_committee_, p);
    ASSERT_FALSE(r.has_value()) << word;
    EXPECT_NE(r.error().message.find(word), std::string::npos) << r.error().message;
  };
  bad({"2026-07", "2026-05", {}, ""}, "from");
  bad({"2023-01", "2026-06", {}, ""}, "36 months");
  bad({"2026-13", "", {}, ""}, "YYYY-MM");
  bad({"", "0000-05", {}, ""}, "from 1970");  // (no month index below zero)
  bad({"", "", {"PK999"}, ""}, "PK999");
  bad({"", "", std::vector<std::string>(41, "PK201"), ""}, "at most 40");
  auto missing = PublicPerception(*ctx_, a_committee_, {"", "", {}, std::string(64, 'f')});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace corridor::service
