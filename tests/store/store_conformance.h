// The Store conformance suite: every backend must pass it. A backend's test
// file instantiates it with a factory that opens an empty store in `dir`:
//
//   namespace corridor::store::conformance {
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//       ::testing::Values(StoreBackend{"sqlite", [](const std::string& dir) {...}}),
//       StoreBackendName);
//   }
//
// Include this header from exactly one .cc per test binary (it defines tests).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "corridor/common/search_key.h"
#include "corridor/common/uuid.h"
#include "corridor/store/store.h"
#include "testing/testing.h"

namespace corridor::store::conformance {

using StoreFactory = std::function<std::unique_ptr<Store>(const std::string& dir)>;

struct StoreBackend {
  std::string name;
  StoreFactory factory;
};

// Test names and ctest labels show the backend's name, not the struct's bytes.
inline void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

inline std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

inline Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

// A complete, valid incident with every field set; `key` makes the id.
inline model::Incident MakeIncident(const std::string& key, Date start, Date end) {
  model::Incident inc;
  inc.id = RecordId("test", key);
  inc.provenance = {"ucdp-ged", "20.1", key, "ged201.csv", 2};
  inc.date_start = start;
  inc.date_end = end;
  inc.date_precision = model::DatePrecision::kDay;
  inc.latitude = 30.2;
  inc.longitude = 67.0;
  inc.location_precision = model::LocationPrecision::kExact;
  inc.location = "Quetta town";
  inc.country = "PAK";
  inc.admin1 = "PK2";
  inc.admin2 = "PK201";
  inc.admin_method = model::AssignMethod::kInside;
  inc.source_admin1 = "Balochistan province";
  inc.source_admin2 = "Quetta district";
  inc.category = model::Category::kArmedAssault;
  inc.source_type = "ucdp:type_of_violence=3";
  inc.violence_type = 3;
  inc.target_types = {"civilians"};
  inc.target_nationalities = {"PAK"};
  inc.parties = {"Government of Pakistan", "TTP"};
  inc.perpetrators = {"TTP"};
  inc.killed = 2;
  inc.killed_low = 1;
  inc.killed_high = 3;
  inc.wounded = 5;
  inc.hostages = std::nullopt;
  inc.property_damage = 1;
  inc.headline = "Incident " + key;
  inc.description = "Event number " + key;
  inc.licence = {"CC-BY-4.0", true, "UCDP GED, Uppsala University"};
  return inc;
}

inline model::Incident MakeIncident(const std::string& key, Date day) {
  return MakeIncident(key, day, day);
}

class StoreConformanceTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().factory(dir_.path().string());
    ASSERT_NE(store_, nullptr) << "the factory could not open a store";
  }

  void Upsert(const std::vector<model::Incident>& incidents) {
    auto r = store_->UpsertIncidents(incidents);
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }

  // Source ids (provenance.source_id) of every incident matching `filter`,
  // sorted, read through QueryIncidents; also checks CountIncidents agrees.
  std::vector<std::string> Matching(const model::IncidentFilter& filter) {
    auto page = store_->QueryIncidents(store::SystemViewer(), filter, PageRequest{10000, ""});
    EXPECT_TRUE(page.has_value()) << page.error().message;
    if (!page) return {};
    std::vector<std::string> keys;
    for (const auto& inc : page->items) keys.push_back(inc.provenance.source_id);
    std::sort(keys.begin(), keys.end());
    auto count = store_->CountIncidents(store::SystemViewer(), filter);
    EXPECT_TRUE(count.has_value()) << count.error().message;
    if (count) {
      EXPECT_EQ(*count, static_cast<std::int64_t>(keys.size()));
    }
    return keys;
  }

  using Keys = std::vector<std::string>;

  corridor::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

// ---- upsert and versions

TEST_P(StoreConformanceTest, UpsertInsertsThenLeavesUnchangedThenUpdates) {
  std::vector<model::Incident> batch = {MakeIncident("1", D(2019, 1, 1)),
                                        MakeIncident("2", D(2019, 1, 2)),
                                        MakeIncident("3", D(2019, 1, 3))};
  auto first = store_->UpsertIncidents(batch);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->inserted, 3);
  EXPECT_EQ(first->updated, 0);
  EXPECT_EQ(first->unchanged, 0);

  auto stored = store_->GetIncident(store::SystemViewer(), batch[1].id);
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  EXPECT_EQ(stored->version, 1);
  EXPECT_FALSE(stored->created.empty());
  EXPECT_EQ(stored->created, stored->modified);
  // Everything the caller gave comes back; bookkeeping is the store's.
  model::Incident expected = batch[1];
  expected.created = stored->created;
  expected.modified = stored->modified;
  expected.version = 1;
  EXPECT_EQ(*stored, expected);

  // Same content again (file/line differ: not content) → nothing written.
  std::vector<model::Incident> again = batch;
  again[0].provenance.line = 99;
  again[1].version = 7;  // bookkeeping given by a caller is ignored
  again[1].created = "1999-01-01T00:00:00.000Z";
  auto second = store_->UpsertIncidents(again);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(second->unchanged, 3);
  auto still = store_->GetIncident(store::SystemViewer(), batch[1].id);
  ASSERT_TRUE(still.has_value());
  EXPECT_EQ(*still, *stored);

  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<model::Incident> changed = {batch[1]};
  changed[0].killed = 4;
  auto third = store_->UpsertIncidents(changed);
  ASSERT_TRUE(third.has_value()) << third.error().message;
  EXPECT_EQ(third->updated, 1);
  EXPECT_EQ(third->inserted + third->unchanged, 0);
  auto updated = store_->GetIncident(store::SystemViewer(), batch[1].id);
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->killed, 4);
  EXPECT_EQ(updated->created, stored->created);
  EXPECT_GT(updated->modified, stored->modified);

  // A second change goes on counting.
  changed[0].revoked = true;
  ASSERT_TRUE(store_->UpsertIncidents(changed).has_value());
  EXPECT_EQ(store_->GetIncident(store::SystemViewer(), batch[1].id)->version, 3);
  EXPECT_EQ(store_->GetIncident(store::SystemViewer(), batch[0].id)->version, 1);
}

TEST_P(StoreConformanceTest, RoundTripsEmptyAndUnusualValues) {
  model::Incident inc = MakeIncident("odd", D(1989, 1, 1), D(1989, 12, 31));
  inc.latitude.reset();
  inc.longitude.reset();
  inc.killed.reset();
  inc.killed_low.reset();
  inc.killed_high.reset();
  inc.wounded = 0;
  inc.hostages = 12;
  inc.property_damage.reset();
  inc.target_types = {};
  inc.parties = {"\"quoted\"", "comma, inside", "ڈیرہ اسماعیل خان", "瓜达尔"};
  inc.headline = "It's a 'quote' and a \"double\"; DROP TABLE incidents; --";
  inc.description = "";
  inc.location.clear();
  inc.admin1.clear();
  inc.admin2.clear();
  inc.admin_method = model::AssignMethod::kNone;
  inc.category = model::Category::kRemoteViolence;
  inc.date_precision = model::DatePrecision::kYear;
  inc.location_precision = model::LocationPrecision::kNone;
  inc.licence = {"GTD-terms", false, ""};
  Upsert({inc});
  auto got = store_->GetIncident(store::SystemViewer(), inc.id);
  ASSERT_TRUE(got.has_value()) << got.error().message;
  inc.created = got->created;
  inc.modified = got->modified;
  inc.version = 1;
  EXPECT_EQ(*got, inc);
}

TEST_P(StoreConformanceTest, BulkLoadKeepsQueriesCorrectAndCounts) {
  ASSERT_TRUE(store_->BeginBulkLoad());
  std::vector<model::Incident> batch;
  for (int i = 0; i < 50; ++i) {
    auto inc = MakeIncident("bulk" + std::to_string(i), D(2010, 1 + i % 12, 1 + i % 28));
    inc.admin1 = i % 2 ? "PK5" : "PK7";
    batch.push_back(inc);
  }
  auto written = store_->UpsertIncidents(batch);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(written->inserted, 50);
  // Mid-load, filters and pages still answer exactly.
  model::IncidentFilter kp;
  kp.area = "PK5";
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), kp), 25);
  ASSERT_TRUE(store_->EndBulkLoad());
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), kp), 25);
  EXPECT_EQ(*store_->IncidentCount(), 50);
  auto page = store_->QueryIncidents(store::SystemViewer(), {}, {.limit = 10, .cursor = ""});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 10u);
  EXPECT_GE(page->items.front().date_start, page->items.back().date_start);
}

TEST_P(StoreConformanceTest, GetIncidentNotFound) {
  auto got = store_->GetIncident(store::SystemViewer(), RecordId("test", "missing"));
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, EmptyUpsertIsANoOp) {
  auto r = store_->UpsertIncidents({});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->inserted + r->updated + r->unchanged, 0);
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), {}), 0);
}

// ---- filters

TEST_P(StoreConformanceTest, DateFilterMatchesOverlappingRanges) {
  // A: 01-10..01-10   B: 01-05..01-15   C: 01-20..01-31   D: 2019-12-25..2020-01-01
  Upsert({MakeIncident("A", D(2020, 1, 10)), MakeIncident("B", D(2020, 1, 5), D(2020, 1, 15)),
          MakeIncident("C", D(2020, 1, 20), D(2020, 1, 31)),
          MakeIncident("D", D(2019, 12, 25), D(2020, 1, 1))});
  struct Case {
    const char* name;
    std::optional<Date> from, to;
    Keys want;
  };
  const Case cases[] = {
      {"one day inside A and B", D(2020, 1, 10), D(2020, 1, 10), {"A", "B"}},
      {"edges touch B's end and C's start", D(2020, 1, 15), D(2020, 1, 20), {"B", "C"}},
      {"gap between D and B", D(2020, 1, 2), D(2020, 1, 4), {}},
      {"from only", D(2020, 1, 16), std::nullopt, {"C"}},
      {"from on C's last day", D(2020, 1, 31), std::nullopt, {"C"}},
      {"from after everything", D(2020, 2, 1), std::nullopt, {}},
      {"to only, D's last day", std::nullopt, D(2020, 1, 1), {"D"}},
      {"to on D's first day", std::nullopt, D(2019, 12, 25), {"D"}},
      {"to before everything", std::nullopt, D(2019, 12, 24), {}},
      {"range containing all", D(2019, 1, 1), D(2021, 1, 1), {"A", "B", "C", "D"}},
      {"range inside C", D(2020, 1, 22), D(2020, 1, 23), {"C"}},
      {"no dates", std::nullopt, std::nullopt, {"A", "B", "C", "D"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    model::IncidentFilter f;
    f.from = c.from;
    f.to = c.to;
    EXPECT_EQ(Matching(f), c.want);
  }
  model::IncidentFilter reversed;
  reversed.from = D(2020, 2, 1);
  reversed.to = D(2020, 1, 1);
  auto bad = store_->CountIncidents(store::SystemViewer(), reversed);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

inline model::Area MakeArea(int level, const std::string& pcode, const std::string& parent) {
  model::Area a;
  a.level = level;
  a.pcode = pcode;
  a.name = "Area " + pcode;
  a.alt_names = {"Alt " + pcode, "علاقہ"};
  a.parent_pcode = parent;
  a.geometry = R"({"type":"Polygon","coordinates":[[[66,29],[68,29],[68,31],[66,31],[66,29]]]})";
  a.source = "ocha-cod-ab-pak-2022";
  a.licence = {"CC-BY-IGO-3.0", true, "OCHA"};
  return a;
}

TEST_P(StoreConformanceTest, AreaFilterMatchesProvinceOrDistrict) {
  auto a = MakeIncident("a", D(2020, 1, 1));
  a.admin1 = "PK6";
  a.admin2 = "PK604";
  auto b = MakeIncident("b", D(2020, 1, 1));
  b.admin1 = "PK6";
  b.admin2 = "PK605";
  auto c = MakeIncident("c", D(2020, 1, 1));
  c.admin1 = "PK5";
  c.admin2 = "PK501";
  auto d = MakeIncident("d", D(2020, 1, 1));
  d.admin1.clear();
  d.admin2.clear();
  Upsert({a, b, c, d});
  struct Case {
    std::string area;
    Keys want;
  };
  const std::vector<Case> cases = {Case{"PK6", {"a", "b"}}, Case{"PK604", {"a"}},
                                   Case{"PK5", {"c"}},      Case{"PK501", {"c"}},
                                   Case{"PK", {}},          Case{"PK60", {}}};
  for (const Case& cs : cases) {
    SCOPED_TRACE(cs.area);
    model::IncidentFilter f;
    f.area = cs.area;
    EXPECT_EQ(Matching(f), cs.want);
  }
  // With the areas held, the store may compare one column per level: the
  // same incidents match, and a page of one area continues by its cursor.
  ASSERT_TRUE(store_->ReplaceAreas(
      1, std::vector<model::Area>{MakeArea(1, "PK5", "PK"), MakeArea(1, "PK6", "PK")}));
  ASSERT_TRUE(store_->ReplaceAreas(
      2, std::vector<model::Area>{MakeArea(2, "PK501", "PK5"), MakeArea(2, "PK604", "PK6"),
                                  MakeArea(2, "PK605", "PK6")}));
  for (const Case& cs : cases) {
    SCOPED_TRACE("areas held: " + cs.area);
    model::IncidentFilter f;
    f.area = cs.area;
    EXPECT_EQ(Matching(f), cs.want);
  }
  model::IncidentFilter pk6;
  pk6.area = "PK6";
  auto first = store_->QueryIncidents(store::SystemViewer(), pk6, PageRequest{1, ""});
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->items.size(), 1u);
  ASSERT_FALSE(first->next_cursor.empty());
  auto second =
      store_->QueryIncidents(store::SystemViewer(), pk6, PageRequest{1, first->next_cursor});
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_TRUE(second->next_cursor.empty());
  EXPECT_NE(first->items[0].id, second->items[0].id);
}

TEST_P(StoreConformanceTest, BboxFilterIncludesEdgesAndSkipsMissingCoordinates) {
  auto at = [](const std::string& key, std::optional<double> lat, std::optional<double> lon) {
    auto inc = MakeIncident(key, D(2020, 1, 1));
    inc.latitude = lat;
    inc.longitude = lon;
    return inc;
  };
  Upsert({at("sw-corner", 30, 70), at("ne-corner", 31, 71), at("centre", 30.5, 70.5),
          at("just-south", 29.999, 70.5), at("just-east", 30.5, 71.001),
          at("no-coords", std::nullopt, std::nullopt)});
  model::IncidentFilter f;
  f.bbox = model::BoundingBox{70, 30, 71, 31};
  EXPECT_EQ(Matching(f), (Keys{"centre", "ne-corner", "sw-corner"}));
  f.bbox = model::BoundingBox{70.4, 29.9, 71.1, 30.6};
  EXPECT_EQ(Matching(f), (Keys{"centre", "just-east", "just-south"}));
  f.bbox = model::BoundingBox{0, 0, 1, 1};
  EXPECT_EQ(Matching(f), Keys{});
}

TEST_P(StoreConformanceTest, NearFilterUsesGeodesicDistance) {
  // On WGS84 at the equator 0.1° of longitude is 11.132 km and 0.1° of
  // latitude 11.057 km (a sphere would give 11.120 km for both).
  auto at = [](const std::string& key, double lat, double lon) {
    auto inc = MakeIncident(key, D(2020, 1, 1));
    inc.latitude = lat;
    inc.longitude = lon;
    return inc;
  };
  auto none = MakeIncident("no-coords", D(2020, 1, 1));
  none.latitude.reset();
  none.longitude.reset();
  Upsert({at("origin", 0, 0), at("east-0.1", 0, 0.1), at("east-0.2", 0, 0.2),
          at("north-0.1", 0.1, 0), at("west-0.1", 0, -0.1), none});
  struct Case {
    double km;
    Keys want;
  };
  for (const Case& c : {Case{11.0, {"origin"}}, Case{11.1, {"north-0.1", "origin"}},
                        Case{11.14, {"east-0.1", "north-0.1", "origin", "west-0.1"}},
                        Case{22.2, {"east-0.1", "north-0.1", "origin", "west-0.1"}},
                        Case{22.3, {"east-0.1", "east-0.2", "north-0.1", "origin", "west-0.1"}}}) {
    SCOPED_TRACE(c.km);
    model::IncidentFilter f;
    f.near = model::NearFilter{0, 0, c.km};
    EXPECT_EQ(Matching(f), c.want);
  }
  // Centred elsewhere: Quetta to Islamabad is about 690 km.
  Upsert({at("quetta", 30.1798, 66.9750), at("islamabad", 33.6844, 73.0479)});
  model::IncidentFilter f;
  f.near = model::NearFilter{30.1798, 66.9750, 650};
  EXPECT_EQ(Matching(f), Keys{"quetta"});
  f.near = model::NearFilter{30.1798, 66.9750, 750};
  EXPECT_EQ(Matching(f), (Keys{"islamabad", "quetta"}));
}

TEST_P(StoreConformanceTest, CategoryDatasetAndRevokedFilters) {
  auto a = MakeIncident("a", D(2020, 1, 1));
  a.category = model::Category::kBombing;
  auto b = MakeIncident("b", D(2020, 1, 1));
  b.category = model::Category::kSuicideBombing;
  b.provenance.dataset = "gtd";
  auto c = MakeIncident("c", D(2020, 1, 1));
  c.category = model::Category::kArmedAssault;
  auto r = MakeIncident("revoked", D(2020, 1, 1));
  r.category = model::Category::kBombing;
  r.revoked = true;
  Upsert({a, b, c, r});
  model::IncidentFilter f;
  EXPECT_EQ(Matching(f), (Keys{"a", "b", "c"}));
  f.include_revoked = true;
  EXPECT_EQ(Matching(f), (Keys{"a", "b", "c", "revoked"}));
  f.include_revoked = false;
  f.categories = {model::Category::kBombing, model::Category::kSuicideBombing};
  EXPECT_EQ(Matching(f), (Keys{"a", "b"}));
  f.categories = {model::Category::kHijacking};
  EXPECT_EQ(Matching(f), Keys{});
  f.categories.clear();
  f.dataset = "gtd";
  EXPECT_EQ(Matching(f), Keys{"b"});
  f.dataset = "ucdp-ged";
  f.categories = {model::Category::kBombing};
  EXPECT_EQ(Matching(f), Keys{"a"});
  f.include_revoked = true;
  EXPECT_EQ(Matching(f), (Keys{"a", "revoked"}));
}

// An organisation filter compares the search keys of the sides and
// perpetrators with the names the service resolved, per dataset; the raw
// names never (docs/organisations.md).
TEST_P(StoreConformanceTest, OrganisationFilterMatchesResolvedNamesPerDataset) {
  auto side = MakeIncident("side", D(2020, 1, 1));
  side.parties = {"Government of Pakistan", "  TTP - MR "};  // spacing differs from the key
  side.perpetrators = {};
  auto perpetrator = MakeIncident("perpetrator", D(2020, 1, 2));
  perpetrator.parties = {};
  perpetrator.perpetrators = {"TTP"};
  auto gtd = MakeIncident("gtd", D(2020, 1, 3));
  gtd.provenance.dataset = "gtd";
  gtd.parties = {"Tehrik-i-Taliban Pakistan (TTP)"};
  gtd.perpetrators = {};
  auto other_dataset = MakeIncident("other-dataset", D(2020, 1, 4));
  other_dataset.provenance.dataset = "acled";
  other_dataset.parties = {"TTP"};  // not one of its names for ACLED
  other_dataset.perpetrators = {};
  auto none = MakeIncident("none", D(2020, 1, 5));
  none.parties = {"Government of Pakistan", "Civilians"};
  none.perpetrators = {};
  Upsert({side, perpetrator, gtd, other_dataset, none});
  model::IncidentFilter f;
  f.organisation = "ttp";
  f.organisation_names = {{"ucdp-ged", SearchKey("TTP")},
                          {"ucdp-ged", SearchKey("TTP-MR")},
                          {"gtd", SearchKey("Tehrik-i-Taliban Pakistan (TTP)")}};
  EXPECT_EQ(Matching(f), (Keys{"gtd", "perpetrator", "side"}));
  f.dataset = "gtd";
  EXPECT_EQ(Matching(f), Keys{"gtd"});
  f.dataset.reset();
  // "*" names match in every dataset.
  f.organisation_names = {{"*", SearchKey("TTP")}};
  EXPECT_EQ(Matching(f), (Keys{"other-dataset", "perpetrator"}));
  // A quote in a name is a value, never SQL.
  f.organisation_names = {{"ucdp-ged", "x') OR 1=1 --"}};
  EXPECT_EQ(Matching(f), Keys{});
  // Unresolved, it is refused rather than matching everything or nothing.
  f.organisation_names.clear();
  auto refused = store_->CountIncidents(store::SystemViewer(), f);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("organisation"), std::string::npos);
}

TEST_P(StoreConformanceTest, TextFilterMatchesAllWordsAndNeverInjects) {
  auto a = MakeIncident("a", D(2020, 1, 1));
  a.headline = "Bomb blast near market in Quetta";
  a.description = "A device exploded.";
  auto b = MakeIncident("b", D(2020, 1, 2));
  b.headline = "Armed clash on the highway";
  b.description = "Gunmen attacked a convoy of engineers";
  auto c = MakeIncident("c", D(2020, 1, 3));
  c.headline = "Attack on \"convoy\" OR checkpoint";
  c.description = "Rockets fired; no casualties";
  Upsert({a, b, c});
  struct Case {
    const char* text;
    Keys want;
  };
  const Case cases[] = {
      {"bomb market", {"a"}},
      {"BLAST", {"a"}},
      {"bomb highway", {}},
      {"convoy", {"b", "c"}},      // description of b, headline of c
      {"\"convoy\"", {"b", "c"}},  // a quote is just a character
      {"\"convoy", {"b", "c"}},
      {"OR", {"c"}},            // an operator word is just a word
      {"bomb OR highway", {}},  // ... so this asks for all three words
      {"*", {}},
      {"bom*", {}},                    // no prefix queries
      {"NEAR( bomb market )", {"a"}},  // "near", "bomb", "market" all occur in a
      {"NEAR(bomb market)", {}},       // "NEAR(bomb" is the phrase "near bomb": not in a
      {"blast near", {"a"}},
      {"bomb blast", {"a"}},
      {"checkpoint)", {"c"}},
      {"headline:bomb", {}},  // column filters are not syntax either
      {"'; DROP TABLE incidents; --", {}},
      {"\" OR 1=1 --", {}},
      {"x' OR '1'='1", {}},
      {"   ", {"a", "b", "c"}},  // no words: no text condition
      {"engineers convoy", {"b"}},
  };
  for (const Case& cs : cases) {
    SCOPED_TRACE(cs.text);
    model::IncidentFilter f;
    f.text = cs.text;
    EXPECT_EQ(Matching(f), cs.want);
  }
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), {}), 3);  // the table is still there

  // Text search follows updates.
  b.headline = "Market bomb";
  Upsert({b});
  model::IncidentFilter f;
  f.text = "bomb market";
  EXPECT_EQ(Matching(f), (Keys{"a", "b"}));
  f.text = "highway";
  EXPECT_EQ(Matching(f), Keys{});
}

TEST_P(StoreConformanceTest, FiltersCombine) {
  auto a = MakeIncident("a", D(2020, 1, 1));
  a.headline = "bomb";
  a.category = model::Category::kBombing;
  auto b = MakeIncident("b", D(2021, 1, 1));
  b.headline = "bomb";
  b.category = model::Category::kBombing;
  auto c = MakeIncident("c", D(2020, 1, 1));
  c.headline = "bomb";
  c.admin1 = "PK7";
  c.admin2 = "PK701";
  Upsert({a, b, c});
  model::IncidentFilter f;
  f.text = "bomb";
  f.from = D(2020, 1, 1);
  f.to = D(2020, 12, 31);
  f.area = "PK2";
  f.near = model::NearFilter{30.2, 67.0, 1};
  f.bbox = model::BoundingBox{66, 29, 68, 31};
  EXPECT_EQ(Matching(f), Keys{"a"});
}

// ---- pages

TEST_P(StoreConformanceTest, PagesAreOrderedByDateDescThenId) {
  std::vector<model::Incident> all;
  all.reserve(25);
  for (int i = 0; i < 25; ++i) {
    all.push_back(MakeIncident("p" + std::to_string(i), D(2020, 1, 1 + i % 6)));
  }
  Upsert(all);
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
    if (x.date_start != y.date_start) return x.date_start > y.date_start;
    return x.id < y.id;
  });
  std::vector<Uuid> got;
  PageRequest page{7, ""};
  int pages = 0;
  for (;;) {
    auto r = store_->QueryIncidents(store::SystemViewer(), {}, page);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ++pages;
    EXPECT_LE(r->items.size(), 7u);
    for (const auto& inc : r->items) got.push_back(inc.id);
    if (r->next_cursor.empty()) break;
    page.cursor = r->next_cursor;
  }
  EXPECT_EQ(pages, 4);
  ASSERT_EQ(got.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(got[i], all[i].id) << i;

  // An exact multiple ends with an empty next_cursor, not an empty page.
  auto exact = store_->QueryIncidents(store::SystemViewer(), {}, PageRequest{25, ""});
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->items.size(), 25u);
  EXPECT_TRUE(exact->next_cursor.empty());
}

TEST_P(StoreConformanceTest, PagingIsStableWhileIncidentsAreAdded) {
  std::vector<model::Incident> original;
  original.reserve(40);
  for (int i = 0; i < 40; ++i) {
    original.push_back(MakeIncident("o" + std::to_string(i), D(2020, 3, 1 + i % 10)));
  }
  Upsert(original);
  std::set<Uuid> originals;
  for (const auto& inc : original) originals.insert(inc.id);

  std::vector<Uuid> seen;
  PageRequest page{6, ""};
  int added = 0;
  for (;;) {
    auto r = store_->QueryIncidents(store::SystemViewer(), {}, page);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    for (const auto& inc : r->items) seen.push_back(inc.id);
    if (r->next_cursor.empty()) break;
    page.cursor = r->next_cursor;
    // Between pages, add incidents before, at and after the current position.
    const Date last = r->items.back().date_start;
    std::vector<model::Incident> more;
    for (int delta : {-1, 0, 1, 100, -100}) {
      more.push_back(MakeIncident("n" + std::to_string(added++), Date(last.days() + delta)));
    }
    Upsert(more);
  }
  std::set<Uuid> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "an incident was repeated";
  for (const Uuid& id : originals) EXPECT_EQ(unique.count(id), 1u) << "skipped " << id.str();
  // The order of what was seen is still the page order.
  std::vector<std::pair<int, Uuid>> keys;
  keys.reserve(seen.size());
  for (const Uuid& id : seen)
    keys.emplace_back(-store_->GetIncident(store::SystemViewer(), id)->date_start.days(), id);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

TEST_P(StoreConformanceTest, PagesWithAFilter) {
  std::vector<model::Incident> all;
  for (int i = 0; i < 30; ++i) {
    auto inc = MakeIncident("f" + std::to_string(i), D(2020, 5, 1 + i));
    inc.category = i % 3 == 0 ? model::Category::kBombing : model::Category::kArmedClash;
    all.push_back(inc);
  }
  Upsert(all);
  model::IncidentFilter f;
  f.categories = {model::Category::kBombing};
  std::vector<std::string> got;
  PageRequest page{3, ""};
  for (;;) {
    auto r = store_->QueryIncidents(store::SystemViewer(), f, page);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    for (const auto& inc : r->items) got.push_back(inc.provenance.source_id);
    if (r->next_cursor.empty()) break;
    page.cursor = r->next_cursor;
  }
  EXPECT_EQ(got, (std::vector<std::string>{"f27", "f24", "f21", "f18", "f15", "f12", "f9", "f6",
                                           "f3", "f0"}));
}

TEST_P(StoreConformanceTest, BadCursorAndLimitAreInvalidArguments) {
  Upsert({MakeIncident("1", D(2020, 1, 1)), MakeIncident("2", D(2020, 1, 2))});
  auto first = store_->QueryIncidents(store::SystemViewer(), {}, PageRequest{1, ""});
  ASSERT_TRUE(first.has_value());
  ASSERT_FALSE(first->next_cursor.empty());
  std::string tampered = first->next_cursor;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  for (const std::string& cursor :
       {std::string("not a cursor!"), std::string("AAAA"), std::string("MTIzfGFiYw"),
        std::string("'; DROP TABLE incidents; --"), first->next_cursor + "x", tampered,
        std::string(1000, 'A')}) {
    SCOPED_TRACE(cursor);
    auto r = store_->QueryIncidents(store::SystemViewer(), {}, PageRequest{10, cursor});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("cursor"), std::string::npos) << r.error().message;
  }
  for (int limit : {0, -1, 100001}) {
    SCOPED_TRACE(limit);
    auto r = store_->QueryIncidents(store::SystemViewer(), {}, PageRequest{limit, ""});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("limit"), std::string::npos) << r.error().message;
  }
  EXPECT_TRUE(
      store_->QueryIncidents(store::SystemViewer(), {}, PageRequest{100000, ""}).has_value());
  auto next = store_->QueryIncidents(store::SystemViewer(), {}, PageRequest{1, first->next_cursor});
  ASSERT_TRUE(next.has_value()) << next.error().message;
  ASSERT_EQ(next->items.size(), 1u);
  EXPECT_EQ(next->items[0].provenance.source_id, "1");
  EXPECT_TRUE(next->next_cursor.empty());
}

TEST_P(StoreConformanceTest, PagesInEveryOrderMatchASortedListAndCursorsKeepTheirOrder) {
  // Deaths with ties, unknown figures and equal dates, so every tie-break is used.
  std::vector<model::Incident> all;
  for (int i = 0; i < 23; ++i) {
    auto inc = MakeIncident("s" + std::to_string(i), D(2021, 1 + i % 4, 1 + i % 3));
    if (i % 5 == 0) {
      inc.killed.reset();
    } else {
      inc.killed = (i * 7) % 6;
    }
    all.push_back(inc);
  }
  Upsert(all);
  const auto newest = [](const model::Incident& x, const model::Incident& y) {
    if (x.date_start != y.date_start) return x.date_start > y.date_start;
    return x.id < y.id;
  };
  const auto deaths = [&](bool most) {
    return [&newest, most](const model::Incident& x, const model::Incident& y) {
      if (x.killed.has_value() != y.killed.has_value()) return x.killed.has_value();
      if (x.killed && *x.killed != *y.killed)
        return most ? *x.killed > *y.killed : *x.killed < *y.killed;
      return newest(x, y);
    };
  };
  const std::vector<std::pair<store::IncidentOrder,
                              std::function<bool(const model::Incident&, const model::Incident&)>>>
      orders = {{store::IncidentOrder::kNewest, newest},
                {store::IncidentOrder::kOldest,
                 [](const model::Incident& x, const model::Incident& y) {
                   if (x.date_start != y.date_start) return x.date_start < y.date_start;
                   return x.id < y.id;
                 }},
                {store::IncidentOrder::kMostDeaths, deaths(true)},
                {store::IncidentOrder::kFewestDeaths, deaths(false)}};
  std::string other_cursor;
  for (const auto& [order, less] : orders) {
    SCOPED_TRACE(std::string(store::IncidentOrderName(order)));
    auto expected = all;
    std::sort(expected.begin(), expected.end(), less);
    std::vector<Uuid> got;
    PageRequest page{4, "", order};
    for (int pages = 0; pages < 10; ++pages) {
      auto r = store_->QueryIncidents(store::SystemViewer(), {}, page);
      ASSERT_TRUE(r.has_value()) << r.error().message;
      for (const auto& inc : r->items) got.push_back(inc.id);
      if (r->next_cursor.empty()) break;
      page.cursor = r->next_cursor;
    }
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(got[i], expected[i].id) << i << " " << expected[i].provenance.source_id;
    }
    // A cursor continues only its own order.
    auto first = store_->QueryIncidents(store::SystemViewer(), {}, PageRequest{3, "", order});
    ASSERT_TRUE(first.has_value());
    if (!other_cursor.empty()) {
      auto mixed =
          store_->QueryIncidents(store::SystemViewer(), {}, PageRequest{3, other_cursor, order});
      ASSERT_FALSE(mixed.has_value());
      EXPECT_EQ(mixed.error().code, ErrorCode::kInvalidArgument);
      EXPECT_NE(mixed.error().message.find("cursor: it continues a page sorted by"),
                std::string::npos)
          << mixed.error().message;
    }
    other_cursor = first->next_cursor;
  }
}

// ---- aggregates and streaming

TEST_P(StoreConformanceTest, CountIncidentsByKeysAscending) {
  auto mk = [](const std::string& key, Date day, const char* a1, const char* a2,
               model::Category cat, const char* dataset) {
    auto inc = MakeIncident(key, day);
    inc.admin1 = a1;
    inc.admin2 = a2;
    inc.category = cat;
    inc.provenance.dataset = dataset;
    return inc;
  };
  Upsert({mk("1", D(2019, 7, 3), "PK6", "PK604", model::Category::kBombing, "ucdp-ged"),
          mk("2", D(2019, 7, 30), "PK6", "PK605", model::Category::kBombing, "gtd"),
          mk("3", D(2019, 12, 31), "PK2", "PK201", model::Category::kArmedClash, "ucdp-ged"),
          mk("4", D(2020, 1, 1), "", "", model::Category::kUnknown, "acled"),
          mk("5", D(2009, 2, 1), "PK2", "PK201", model::Category::kArmedClash, "ucdp-ged")});
  auto by = [&](GroupBy g, const model::IncidentFilter& f = {}) {
    auto r = store_->CountIncidentsBy(store::SystemViewer(), f, g);
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.value_or(std::vector<KeyCount>{});
  };
  using V = std::vector<KeyCount>;
  EXPECT_EQ(by(GroupBy::kAdmin1), (V{{"", 1}, {"PK2", 2}, {"PK6", 2}}));
  EXPECT_EQ(by(GroupBy::kAdmin2), (V{{"", 1}, {"PK201", 2}, {"PK604", 1}, {"PK605", 1}}));
  EXPECT_EQ(by(GroupBy::kYear), (V{{"2009", 1}, {"2019", 3}, {"2020", 1}}));
  EXPECT_EQ(by(GroupBy::kMonth),
            (V{{"2009-02", 1}, {"2019-07", 2}, {"2019-12", 1}, {"2020-01", 1}}));
  EXPECT_EQ(by(GroupBy::kCategory), (V{{"armed-clash", 2}, {"bombing", 2}, {"unknown", 1}}));
  EXPECT_EQ(by(GroupBy::kDataset), (V{{"acled", 1}, {"gtd", 1}, {"ucdp-ged", 3}}));
  model::IncidentFilter f;
  f.from = D(2019, 1, 1);
  f.to = D(2019, 12, 31);
  EXPECT_EQ(by(GroupBy::kMonth, f), (V{{"2019-07", 2}, {"2019-12", 1}}));
  EXPECT_EQ(ParseGroupBy("month"), GroupBy::kMonth);
  EXPECT_EQ(ParseGroupBy("admin2"), GroupBy::kAdmin2);
  EXPECT_EQ(ParseGroupBy("person"), std::nullopt);
}

TEST_P(StoreConformanceTest, ForEachStreamsInPageOrderAndStopsEarly) {
  std::vector<model::Incident> all;
  all.reserve(12);
  for (int i = 0; i < 12; ++i)
    all.push_back(MakeIncident("s" + std::to_string(i), D(2018, 1, 1 + i)));
  all[3].revoked = true;
  Upsert(all);
  std::vector<std::string> seen;
  auto r = store_->ForEachIncident(store::SystemViewer(), {}, [&](const model::Incident& inc) {
    seen.push_back(inc.provenance.source_id);
    return true;
  });
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(seen, (std::vector<std::string>{"s11", "s10", "s9", "s8", "s7", "s6", "s5", "s4", "s2",
                                            "s1", "s0"}));
  seen.clear();
  model::IncidentFilter f;
  f.to = D(2018, 1, 5);
  r = store_->ForEachIncident(store::SystemViewer(), f, [&](const model::Incident& inc) {
    seen.push_back(inc.provenance.source_id);
    return seen.size() < 2;
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(seen, (std::vector<std::string>{"s4", "s2"}));
  // The callback may call back into the store.
  int nested = 0;
  r = store_->ForEachIncident(store::SystemViewer(), {}, [&](const model::Incident& inc) {
    nested += store_->GetIncident(store::SystemViewer(), inc.id).has_value() ? 1 : 0;
    return true;
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(nested, 11);
}

TEST_P(StoreConformanceTest, UpdateAssignmentsChangesOnlyDifferentRows) {
  auto a = MakeIncident("a", D(2020, 1, 1));
  auto b = MakeIncident("b", D(2020, 1, 1));
  b.admin1.clear();
  b.admin2.clear();
  b.admin_method = model::AssignMethod::kNone;
  Upsert({a, b});
  const std::string a_modified = store_->GetIncident(store::SystemViewer(), a.id)->modified;
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<Assignment> assignments = {
      {a.id, a.admin1, a.admin2, a.admin_method},             // same: untouched
      {b.id, "PK6", "PK604", model::AssignMethod::kSnapped},  // changed
      {RecordId("test", "absent"), "PK6", "PK604", model::AssignMethod::kInside}};  // ignored
  auto changed = store_->UpdateAssignments(assignments);
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  EXPECT_EQ(*changed, 1);
  auto ga = store_->GetIncident(store::SystemViewer(), a.id);
  auto gb = store_->GetIncident(store::SystemViewer(), b.id);
  ASSERT_TRUE(ga && gb);
  EXPECT_EQ(ga->version, 1);
  EXPECT_EQ(ga->modified, a_modified);
  EXPECT_EQ(gb->version, 2);
  EXPECT_EQ(gb->admin1, "PK6");
  EXPECT_EQ(gb->admin2, "PK604");
  EXPECT_EQ(gb->admin_method, model::AssignMethod::kSnapped);
  EXPECT_GT(gb->modified, gb->created);
  model::IncidentFilter f;
  f.area = "PK604";
  EXPECT_EQ(Matching(f), Keys{"b"});
  // Re-importing the row with the same assignment changes nothing.
  b.admin1 = "PK6";
  b.admin2 = "PK604";
  b.admin_method = model::AssignMethod::kSnapped;
  auto again = store_->UpsertIncidents(std::vector<model::Incident>{b});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->unchanged, 1);
  // Same assignments twice: nothing changes the second time.
  EXPECT_EQ(*store_->UpdateAssignments(assignments), 0);
}

TEST_P(StoreConformanceTest, LatestIncidentDate) {
  const Viewer all = SystemViewer();
  auto empty = store_->LatestIncidentDate(all);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(*empty, std::nullopt);
  Upsert({MakeIncident("1", D(2019, 1, 1), D(2019, 3, 1)), MakeIncident("2", D(2019, 2, 1))});
  EXPECT_EQ(*store_->LatestIncidentDate(all), D(2019, 3, 1));
}

// Issue 12 #7: a record the viewer may not read does not move their date.
TEST_P(StoreConformanceTest, LatestIncidentDateIsTheViewersOwn) {
  model::Incident clear = MakeIncident("c", D(2019, 1, 1));
  clear.marking.tlp = model::Tlp::kClear;
  model::Incident red = MakeIncident("r", D(2024, 6, 1));
  red.marking.tlp = model::Tlp::kRed;
  red.marking.author_org = "PK-A";
  red.marking.author = "a-analyst";
  red.marking.distribution.users = {"a-analyst"};
  model::Incident revoked = MakeIncident("x", D(2025, 1, 1));
  revoked.marking.tlp = model::Tlp::kClear;
  revoked.revoked = true;
  Upsert({clear, red, revoked});
  EXPECT_EQ(*store_->LatestIncidentDate(Viewer{}), D(2019, 1, 1));
  Viewer author;
  author.username = "a-analyst";
  author.org = "PK-A";
  author.max_tlp = model::Tlp::kRed;
  EXPECT_EQ(*store_->LatestIncidentDate(author), D(2024, 6, 1));
  Viewer other = author;
  other.username = "b-analyst";
  other.org = "PK-B";
  EXPECT_EQ(*store_->LatestIncidentDate(other), D(2019, 1, 1));
}

// ---- areas, sites, imports

TEST_P(StoreConformanceTest, AreasReplaceListGet) {
  std::vector<model::Area> provinces = {MakeArea(1, "PK6", "PK"), MakeArea(1, "PK2", "PK")};
  std::vector<model::Area> districts = {MakeArea(2, "PK604", "PK6"), MakeArea(2, "PK201", "PK2"),
                                        MakeArea(2, "PK605", "PK6")};
  ASSERT_TRUE(store_->ReplaceAreas(1, provinces).has_value());
  ASSERT_TRUE(store_->ReplaceAreas(2, districts).has_value());
  auto all = store_->ListAreas(std::nullopt, true);
  ASSERT_TRUE(all.has_value()) << all.error().message;
  std::vector<std::string> codes;
  for (const auto& a : *all) codes.push_back(a.pcode);
  EXPECT_EQ(codes, (std::vector<std::string>{"PK2", "PK6", "PK201", "PK604", "PK605"}));
  EXPECT_EQ((*all)[0], provinces[1]);
  auto bare = store_->ListAreas(2, false);
  ASSERT_TRUE(bare.has_value());
  ASSERT_EQ(bare->size(), 3u);
  EXPECT_TRUE((*bare)[0].geometry.empty());
  EXPECT_EQ((*bare)[0].alt_names, districts[1].alt_names);
  auto got = store_->GetArea("PK604");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, districts[0]);

  ASSERT_TRUE(store_->ReplaceAreas(2, std::vector<model::Area>{districts[2]}).has_value());
  EXPECT_EQ(store_->ListAreas(2, false)->size(), 1u);
  EXPECT_EQ(store_->ListAreas(1, false)->size(), 2u);
  auto missing = store_->GetArea("PK604");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  // All or nothing: a bad area leaves the previous set in place.
  std::vector<model::Area> bad = {MakeArea(2, "PK701", "PK7"), MakeArea(2, "PK701", "PK7")};
  EXPECT_FALSE(store_->ReplaceAreas(2, bad).has_value());
  bad = {MakeArea(2, "PK702", "PK7"), MakeArea(2, "PK703", "PK7")};
  bad[1].geometry = "{not json";
  EXPECT_FALSE(store_->ReplaceAreas(2, bad).has_value());
  auto after = store_->ListAreas(2, false);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].pcode, "PK605");
}

inline model::Site MakeSite(const std::string& key, const std::string& name) {
  model::Site s;
  s.id = RecordId("aiddata", key);
  s.name = name;
  s.sector = "Energy";
  s.status = "Completion";
  s.amount_usd = 1.5e9;
  s.commitment_year = 2015;
  s.start_year = std::nullopt;
  s.completion_year = 2019;
  s.funding_agencies = {"China Development Bank"};
  s.receiving_agencies = {};
  s.implementing_agencies = {"Power Construction Corporation of China"};
  s.geometry = R"({"type":"Point","coordinates":[66.5,25.1]})";
  s.latitude = 25.1;
  s.longitude = 66.5;
  s.admin1 = "PK2";
  s.admin2 = "PK210";
  s.provenance = {"aiddata", "3.0", key, "projects.csv", 7};
  s.licence = {"ODC-By-1.0", true, "AidData"};
  return s;
}

TEST_P(StoreConformanceTest, SitesUpsertListGet) {
  std::vector<model::Site> sites = {MakeSite("1", "Port Qasim power plant"),
                                    MakeSite("2", "Gwadar port")};
  auto first = store_->UpsertSites(sites);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->inserted, 2);
  auto second = store_->UpsertSites(sites);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->unchanged, 2);
  sites[0].status = "Implementation";
  auto third = store_->UpsertSites(sites);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->updated, 1);
  EXPECT_EQ(third->unchanged, 1);
  auto list = store_->ListSites();
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0], sites[1]);  // by name
  EXPECT_EQ((*list)[1], sites[0]);
  auto got = store_->GetSite(sites[0].id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, sites[0]);
  auto missing = store_->GetSite(RecordId("aiddata", "none"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, ImportsRecordedInOrder) {
  ImportRun a{"ucdp-ged",
              "ged201.csv",
              std::string(64, 'a'),
              100,
              90,
              5,
              3,
              2,
              "2026-01-01T00:00:00.000Z",
              "2026-01-01T00:01:00.000Z"};
  ImportRun b = a;
  b.dataset = "gtd";
  b.rows = 7;
  ASSERT_TRUE(store_->RecordImport(a).has_value());
  ASSERT_TRUE(store_->RecordImport(b).has_value());
  auto list = store_->ListImports();
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].dataset, "ucdp-ged");
  EXPECT_EQ((*list)[0].rows, 100);
  EXPECT_EQ((*list)[0].rejected, 2);
  EXPECT_EQ((*list)[0].finished, a.finished);
  EXPECT_EQ((*list)[1].dataset, "gtd");
  EXPECT_EQ((*list)[1].rows, 7);
}

// ---- maintenance and concurrency

TEST_P(StoreConformanceTest, BackupThenRestore) {
  Upsert({MakeIncident("1", D(2020, 1, 1)), MakeIncident("2", D(2020, 1, 2))});
  ASSERT_TRUE(store_->ReplaceAreas(1, std::vector<model::Area>{MakeArea(1, "PK6", "PK")}));
  const std::string backup = (dir_ / "backup.db").string();
  auto b = store_->Backup(backup);
  ASSERT_TRUE(b.has_value()) << b.error().message;
  Upsert({MakeIncident("3", D(2020, 1, 3))});
  ASSERT_EQ(*store_->CountIncidents(store::SystemViewer(), {}), 3);
  auto r = store_->Restore(backup);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), {}), 2);
  EXPECT_FALSE(store_->GetIncident(store::SystemViewer(), RecordId("test", "3")).has_value());
  EXPECT_TRUE(store_->GetArea("PK6").has_value());
  model::IncidentFilter f;
  f.text = "Incident";
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), f), 2);  // the text index came back too
  // And the store goes on working.
  Upsert({MakeIncident("3", D(2020, 1, 3))});
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), f), 3);
}

TEST_P(StoreConformanceTest, RestoreRefusesWhatIsNotABackup) {
  Upsert({MakeIncident("1", D(2020, 1, 1))});
  const auto junk = dir_ / "junk.db";
  corridor::testing::WriteFile(junk, "this is not a database, just some text\n");
  for (const std::string& path : {junk.string(), (dir_ / "absent.db").string()}) {
    SCOPED_TRACE(path);
    auto r = store_->Restore(path);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << r.error().message;
  }
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), {}), 1);
  auto unwritable = store_->Backup((dir_ / "no-such-dir" / "backup.db").string());
  ASSERT_FALSE(unwritable.has_value());
  EXPECT_EQ(unwritable.error().code, ErrorCode::kUnavailable);
}

TEST_P(StoreConformanceTest, ReadersRunWhileAWriterWrites) {
  constexpr int kBatches = 20;
  constexpr int kBatchSize = 50;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<model::Incident> batch;
      batch.reserve(kBatchSize);
      for (int i = 0; i < kBatchSize; ++i) {
        batch.push_back(MakeIncident("w" + std::to_string(b * kBatchSize + i),
                                     D(2015, 1, 1 + (b * kBatchSize + i) % 28)));
      }
      if (!store_->UpsertIncidents(batch)) ++failures;
    }
    done = true;
  });
  std::vector<std::thread> readers;
  readers.reserve(3);
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      std::int64_t last = 0;
      while (!done) {
        auto n = store_->CountIncidents(store::SystemViewer(), {});
        if (!n || *n % kBatchSize != 0 || *n < last) ++failures;  // whole batches only
        if (n) last = *n;
        if (!store_->QueryIncidents(store::SystemViewer(), {}, PageRequest{20, ""})) ++failures;
      }
    });
  }
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*store_->CountIncidents(store::SystemViewer(), {}), kBatches * kBatchSize);
}

// ---- subscriptions and alerts (docs/security.md, "Alerts")

class AlertConformance {
 public:
  static void AddWorld(Store& store) {
    ASSERT_TRUE(store.AddOrganisation({"ORG-A", {"regional"}, true, "2024-01-01T00:00:00Z"}));
    ASSERT_TRUE(store.AddOrganisation({"ORG-B", {}, false, "2024-01-01T00:00:00Z"}));
    for (const auto& [name, org] :
         {std::pair{"guard", "ORG-A"}, std::pair{"other", "ORG-B"}, std::pair{"gone", "ORG-A"}}) {
      model::User u;
      u.username = name;
      u.org = org;
      u.roles = {model::Role::kSiteSecurity};
      u.password_hash = "x";
      u.disabled = std::string(name) == "gone";
      u.created = "2024-01-01T00:00:00Z";
      ASSERT_TRUE(store.AddUser(u));
    }
  }
};

TEST_P(StoreConformanceTest, SubscriptionsPutListDelete) {
  AlertConformance::AddWorld(*store_);
  const model::Site site = MakeSite("port", "Port");
  ASSERT_TRUE(store_->UpsertSites(std::span(&site, 1)));
  Subscription s{"guard", site.id, 20'000, "2024-02-01T00:00:00Z", ""};
  ASSERT_TRUE(store_->PutSubscription(s));
  s.radius_m = 30'000;
  ASSERT_TRUE(store_->PutSubscription(s));  // replaces
  auto list = store_->ListSubscriptions("guard");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].radius_m, 30'000);
  EXPECT_EQ((*list)[0].site_name, "Port");
  EXPECT_TRUE(store_->ListSubscriptions("other")->empty());
  Subscription bad = s;
  bad.radius_m = 0;
  EXPECT_EQ(store_->PutSubscription(bad).error().code, ErrorCode::kInvalidArgument);
  bad = s;
  bad.site = RecordId("aiddata", "missing");
  EXPECT_EQ(store_->PutSubscription(bad).error().code, ErrorCode::kNotFound);
  bad = s;
  bad.username = "nobody";
  EXPECT_EQ(store_->PutSubscription(bad).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store_->DeleteSubscription("guard", site.id));
  EXPECT_EQ(store_->DeleteSubscription("guard", site.id).error().code, ErrorCode::kNotFound);
}

// Issue 17 item 3: an import turns financing-record sites into the projects
// that group them; subscriptions and alerts follow, the records stay readable.
TEST_P(StoreConformanceTest, ReplaceSitesRetiresRecordsAndMovesTheirSubscriptions) {
  AlertConformance::AddWorld(*store_);
  model::Site rec1 = MakeSite("101", "Loan for the port"), rec2 = MakeSite("102", "Port credit"),
              lone = MakeSite("200", "Pledge for a school"), other = MakeSite("9", "Manual site");
  other.provenance.dataset = "manual";
  for (auto* s : {&rec1, &rec2, &lone})
    s->geometry = R"({"type":"Point","coordinates":[62.3,25.1]})";
  ASSERT_TRUE(store_->UpsertSites(std::vector<model::Site>{rec1, rec2, lone, other}));
  // "guard" follows both records (the nearer radius first), "other" one.
  ASSERT_TRUE(store_->PutSubscription({"guard", rec1.id, 5'000, "2024-02-01T00:00:00Z", ""}));
  ASSERT_TRUE(store_->PutSubscription({"guard", rec2.id, 9'000, "2024-02-02T00:00:00Z", ""}));
  ASSERT_TRUE(store_->PutSubscription({"other", rec2.id, 7'000, "2024-02-03T00:00:00Z", ""}));
  auto near = MakeIncident("near-port", D(2024, 3, 1));
  near.marking.tlp = model::Tlp::kClear;
  near.latitude = 25.1;
  near.longitude = 62.3;
  Upsert({near});  // an alert for each of the three subscriptions

  model::Site project = MakeSite("project", "Gwadar Port");
  project.provenance.source_id = "101,102";
  project.geometry = rec1.geometry;
  model::Site school = MakeSite("school", "A school");
  school.provenance.source_id = "300";

  // Every site must be of the dataset, and an id may be given once.
  model::Site stray = other;
  EXPECT_EQ(store_->ReplaceSites("aiddata", std::vector<model::Site>{project, stray}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      store_->ReplaceSites("aiddata", std::vector<model::Site>{project, project}).error().code,
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->ListSites()->size(), 4u);  // nothing was written

  auto replaced = store_->ReplaceSites("aiddata", std::vector<model::Site>{project, school});
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->upserted.inserted, 2);
  EXPECT_EQ(replaced->retired, 3);
  EXPECT_EQ(replaced->superseded, 2);
  EXPECT_EQ(replaced->subscriptions_moved, 3);  // guard's two merge into one

  auto list = store_->ListSites();
  ASSERT_TRUE(list) << list.error().message;
  std::vector<std::string> names;
  for (const auto& s : *list) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"A school", "Gwadar Port", "Manual site"}));
  // The records stay readable and name their successor; the lone pledge has none.
  ASSERT_TRUE(store_->GetSite(rec1.id));
  EXPECT_EQ(*store_->SiteSuccessor(rec1.id), project.id);
  EXPECT_EQ(*store_->SiteSuccessor(rec2.id), project.id);
  EXPECT_EQ(*store_->SiteSuccessor(lone.id), std::nullopt);
  EXPECT_EQ(*store_->SiteSuccessor(project.id), std::nullopt);
  EXPECT_EQ(store_->SiteSuccessor(RecordId("aiddata", "none")).error().code, ErrorCode::kNotFound);

  auto guard_subs = store_->ListSubscriptions("guard");
  ASSERT_TRUE(guard_subs);
  ASSERT_EQ(guard_subs->size(), 1u);
  EXPECT_EQ((*guard_subs)[0].site, project.id);
  EXPECT_EQ((*guard_subs)[0].radius_m, 9'000);  // the wider of the two
  auto other_subs = store_->ListSubscriptions("other");
  ASSERT_EQ(other_subs->size(), 1u);
  EXPECT_EQ((*other_subs)[0].site, project.id);
  // A retired site takes no new subscription.
  EXPECT_EQ(
      store_->PutSubscription({"guard", rec1.id, 5'000, "2024-04-01T00:00:00Z", ""}).error().code,
      ErrorCode::kNotFound);

  // guard's two alerts on the same incident became one on the project.
  Viewer guard;
  guard.username = "guard";
  guard.org = "ORG-A";
  guard.max_tlp = model::Tlp::kRed;
  auto alerts = store_->ListAlerts(guard, "guard", false, 100);
  ASSERT_TRUE(alerts) << alerts.error().message;
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].site, project.id);

  // Replacing again with the same sites changes nothing; upserting a retired
  // record makes it current again.
  auto again = store_->ReplaceSites("aiddata", std::vector<model::Site>{project, school});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->upserted.unchanged, 2);
  EXPECT_EQ(again->retired, 0);
  ASSERT_TRUE(store_->UpsertSites(std::span(&lone, 1)));
  EXPECT_EQ(store_->ListSites()->size(), 4u);
}

TEST_P(StoreConformanceTest, UpsertRecordsAlertsNearSubscribedSitesAndListsOnlyVisibleOnes) {
  AlertConformance::AddWorld(*store_);
  model::Site site = MakeSite("plant", "Plant");
  site.geometry =
      R"({"type":"Polygon","coordinates":[[[66.5,25.0],[66.6,25.0],[66.6,25.1],[66.5,25.1],[66.5,25.0]]]})";
  ASSERT_TRUE(store_->UpsertSites(std::span(&site, 1)));
  for (const char* user : {"guard", "other", "gone"}) {
    ASSERT_TRUE(store_->PutSubscription({user, site.id, 10'000, "2024-02-01T00:00:00Z", ""}));
  }
  auto near = MakeIncident("near", D(2024, 3, 1));  // inside the polygon: CLEAR
  near.marking.tlp = model::Tlp::kClear;
  near.latitude = 25.05;
  near.longitude = 66.55;
  auto close = MakeIncident("close", D(2024, 3, 2));  // ~5 km east, AMBER of ORG-A
  close.latitude = 25.05;
  close.longitude = 66.65;
  close.marking.tlp = model::Tlp::kAmber;
  close.marking.author = "analyst";
  close.marking.author_org = "ORG-A";
  auto far = MakeIncident("far", D(2024, 3, 3));  // ~30 km away
  far.latitude = 25.05;
  far.longitude = 66.9;
  auto revoked = MakeIncident("revoked", D(2024, 3, 3));
  revoked.latitude = 25.05;
  revoked.longitude = 66.55;
  revoked.revoked = true;
  Upsert({near, close, far, revoked});
  Upsert({near});  // unchanged: no second alert

  Viewer guard;
  guard.username = "guard";
  guard.org = "ORG-A";
  guard.trust_groups = {"regional"};
  guard.max_tlp = model::Tlp::kAmberStrict;
  auto alerts = store_->ListAlerts(guard, "guard", false, 100);
  ASSERT_TRUE(alerts) << alerts.error().message;
  ASSERT_EQ(alerts->size(), 2u);
  std::map<std::string, Alert> by_incident;
  for (const Alert& a : *alerts) by_incident[a.incident.str()] = a;
  ASSERT_TRUE(by_incident.count(near.id.str()));
  ASSERT_TRUE(by_incident.count(close.id.str()));
  EXPECT_EQ(by_incident[near.id.str()].distance_m, 0);
  EXPECT_NEAR(by_incident[close.id.str()].distance_m, 5'050, 100);
  EXPECT_EQ(by_incident[close.id.str()].site_name, "Plant");

  // ORG-B may not see the AMBER incident: its alert is not there, and
  // cannot be marked read either (404 like a missing one).
  Viewer other;
  other.username = "other";
  other.org = "ORG-B";
  other.max_tlp = model::Tlp::kAmberStrict;
  auto theirs = store_->ListAlerts(other, "other", false, 100);
  ASSERT_TRUE(theirs);
  ASSERT_EQ(theirs->size(), 1u);
  EXPECT_EQ((*theirs)[0].incident, near.id);
  const std::int64_t hidden = by_incident[close.id.str()].id;  // guard's; other's is its own row
  EXPECT_EQ(store_->MarkAlertRead(other, "other", hidden, "2024-03-05T00:00:00Z").error().code,
            ErrorCode::kNotFound);
  // A disabled user gets no alerts.
  EXPECT_TRUE(store_->ListAlerts(SystemViewer(), "gone", false, 100)->empty());

  // Read ones sort after unread ones; marking twice keeps the first time.
  const std::int64_t first = by_incident[near.id.str()].id;
  auto marked = store_->MarkAlertRead(guard, "guard", first, "2024-03-05T00:00:00Z");
  ASSERT_TRUE(marked) << marked.error().message;
  EXPECT_EQ(marked->read, "2024-03-05T00:00:00Z");
  EXPECT_EQ(store_->MarkAlertRead(guard, "guard", first, "2024-03-06T00:00:00Z")->read,
            "2024-03-05T00:00:00Z");
  alerts = store_->ListAlerts(guard, "guard", false, 100);
  ASSERT_EQ(alerts->size(), 2u);
  EXPECT_EQ((*alerts)[0].incident, close.id);
  EXPECT_TRUE((*alerts)[0].read.empty());
  EXPECT_EQ((*alerts)[1].read, "2024-03-05T00:00:00Z");
  EXPECT_EQ(store_->ListAlerts(guard, "guard", true, 100)->size(), 1u);
  EXPECT_EQ(store_->ListAlerts(guard, "guard", false, 0).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace corridor::store::conformance
