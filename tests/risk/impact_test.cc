// Unit tests of the impact index formula (table-driven): per-incident weight,
// five-year weighting with missing years, score with M = 0, ranks with ties.
#include "corridor/risk/impact.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace corridor::risk {
namespace {

TEST(ImpactWeightTest, Presets) {
  struct Case {
    const char* preset;
    double killed, wounded, hostages;
    int band;
    double want;
  };
  const Case cases[] = {
      {"gti-2022", 0, 0, 0, 0, 1.0},
      {"gti-2022", 2, 4, 6, 3, 1 + 6 + 2 + 3},  // property damage not counted since 2022
      {"gti-2022", 10, 0, 0, 0, 31.0},
      {"gtd-era", 2, 4, 6, 0, 1 + 6 + 2},  // no hostage term
      {"gtd-era", 0, 0, 0, 1, 2.0},
      {"gtd-era", 0, 0, 0, 2, 3.0},
      {"gtd-era", 1, 1, 0, 3, 1 + 3 + 0.5 + 3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.preset) + " band " + std::to_string(c.band));
    auto w = ParseWeightsPreset(c.preset);
    ASSERT_TRUE(w);
    EXPECT_DOUBLE_EQ(IncidentWeight(*w, c.killed, c.wounded, c.hostages, c.band), c.want);
  }
  EXPECT_FALSE(ParseWeightsPreset("gti-2015"));
}

TEST(FiveYearWeightedTest, Table) {
  struct Case {
    std::array<double, 5> a;  // A_t, A_{t-1}, ..., A_{t-4}
    double want;
  };
  const Case cases[] = {
      {{0, 0, 0, 0, 0}, 0},
      {{31, 0, 0, 0, 0}, 16},
      {{0, 0, 0, 0, 31}, 1},                         // only the oldest year
      {{1, 1, 1, 1, 1}, 1},                          // a constant A gives w = A
      {{10, 0, 10, 0, 10}, (160 + 40 + 10) / 31.0},  // missing years count 0
      {{0, 62, 0, 0, 0}, 16},
  };
  for (const auto& c : cases) EXPECT_DOUBLE_EQ(FiveYearWeighted(c.a), c.want);
}

std::vector<IndexRow> Rows(std::initializer_list<std::pair<const char*, double>> ws) {
  std::vector<IndexRow> rows;
  for (const auto& [name, w] : ws) {
    IndexRow r;
    r.code = name;
    r.name = name;
    r.w = w;
    rows.push_back(r);
  }
  return rows;
}

TEST(ScoreAndRankTest, TiesShareARankAndTheNextRankSkips) {
  auto rows = Rows({{"c", 5}, {"a", 10}, {"b", 5}, {"d", 0}, {"e", 0}});
  ScoreAndRank(rows);
  const std::vector<std::pair<std::string, int>> want = {
      {"a", 1}, {"b", 2}, {"c", 2}, {"d", 4}, {"e", 4}};
  ASSERT_EQ(rows.size(), want.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    EXPECT_EQ(rows[k].name, want[k].first);
    EXPECT_EQ(rows[k].rank, want[k].second);
  }
  EXPECT_DOUBLE_EQ(rows[0].score, 10.0);
  EXPECT_DOUBLE_EQ(rows[1].score, 10 * std::log(6.0) / std::log(11.0));
  EXPECT_DOUBLE_EQ(rows[3].score, 0.0);
}

TEST(ScoreAndRankTest, AllZeroGivesScoreZeroAndRankOne) {
  auto rows = Rows({{"x", 0}, {"y", 0}});
  ScoreAndRank(rows);
  for (const auto& r : rows) {
    EXPECT_EQ(r.score, 0.0);
    EXPECT_EQ(r.rank, 1);
    EXPECT_FALSE(std::isnan(r.score));
  }
}

TEST(CountryIndexTest, AggregatesAreExcludedAndMissingYearsCountZero) {
  const std::vector<CountryYear> data = {
      {"Aland", 2019, 1, 0, 0},   // weight 1
      {"Aland", 2015, 31, 0, 0},  // A_{t-4} = 31 -> contributes 1
      {"Bland", 2018, 2, 2, 2},   // 2 + 6 + 1 = 9 -> 8*9/31
      {"World", 2019, 1000, 1000, 1000}, {"South Asia", 2019, 500, 0, 0},
      {"Soviet Union", 1990, 5, 5, 5},  // a historical state is a country (w = 0 in 2019)
      {"Cland", 2020, 99, 99, 99},      // after t: not counted
  };
  const auto rows = CountryIndex(data, 2019, Gti2022Weights());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].name, "Bland");
  EXPECT_DOUBLE_EQ(rows[0].w, 72.0 / 31);
  EXPECT_EQ(rows[1].name, "Aland");
  EXPECT_DOUBLE_EQ(rows[1].w, (16.0 + 31) / 31);
  EXPECT_EQ(rows[2].rank, 3);
  EXPECT_EQ(rows[3].rank, 3);
  EXPECT_EQ(rows[2].name, "Cland");
  EXPECT_EQ(rows[3].name, "Soviet Union");
  EXPECT_TRUE(IsOwidAggregateEntity("Australasia & Oceania"));
  EXPECT_TRUE(IsOwidAggregateEntity("International"));
  EXPECT_FALSE(IsOwidAggregateEntity("South Africa"));
  EXPECT_FALSE(IsOwidAggregateEntity("Central African Republic"));
}

TEST(AreaIndexTest, ColumnsAreaWindowTypesAndAsOf) {
  IncidentColumns c;
  c.dataset = "ucdp-ged";
  c.district_codes = {"PK1", "PK2"};
  c.province_codes = {"P"};
  auto add = [&](const char* date, int killed, int type, std::int16_t district) {
    const auto d = *Date::ParseIso(date);
    c.day.push_back(d.days());
    c.day_end.push_back(d.days());
    c.lat.push_back(0);
    c.lon.push_back(0);
    c.killed.push_back(static_cast<float>(killed));
    c.wounded.push_back(0);
    c.hostages.push_back(0);
    c.property_band.push_back(0);
    c.violence_type.push_back(static_cast<std::int8_t>(type));
    c.province.push_back(0);
    c.district.push_back(district);
    if (!c.latest || d > *c.latest) c.latest = d;
  };
  add("2019-06-01", 1, 1, 0);        // A_t(PK1) += 4
  add("2018-01-01", 0, 3, 0);        // A_{t-1}(PK1) += 1
  add("2014-12-31", 5, 1, 0);        // before the window (t-5): not counted
  add("2015-01-01", 0, 2, 1);        // A_{t-4}(PK2) += 1
  add("2019-03-01", 9, 2, kNoArea);  // counted, unassigned
  add("2019-05-01", 2, 3, 1);        // excluded below by violence type
  std::vector<model::Area> areas(3);
  areas[0].pcode = "PK1";
  areas[0].name = "One";
  areas[1].pcode = "PK2";
  areas[1].name = "Two";
  areas[2].pcode = "PK3";
  areas[2].name = "Three";
  AreaIndexOptions o;
  o.level = AreaLevel::kDistrict;
  o.violence_types = {1, 2};
  auto r = ComputeAreaIndex(c, areas, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->year, 2019);
  EXPECT_EQ(r->data_through.iso(), "2019-06-01");
  EXPECT_EQ(r->label, "organised-violence impact (UCDP)");
  EXPECT_EQ(r->incidents_counted, 3);  // 2019-06 (type 1), 2015 (type 2), 2019-03 (type 2)
  EXPECT_EQ(r->incidents_unassigned, 1);
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[0].code, "PK1");
  EXPECT_DOUBLE_EQ(r->rows[0].w, 16.0 * 4 / 31);
  EXPECT_DOUBLE_EQ(r->rows[0].a_t, 4);
  EXPECT_EQ(r->rows[1].code, "PK2");
  EXPECT_DOUBLE_EQ(r->rows[1].w, 1.0 / 31);
  EXPECT_EQ(r->rows[2].code, "PK3");
  EXPECT_EQ(r->rows[2].rank, 3);
  EXPECT_EQ(r->rows[2].w, 0.0);

  // As of 2018-12-31: t = 2018, the 2019 events are after as_of.
  o.as_of = Date::ParseIso("2018-12-31");
  o.violence_types = {1, 2, 3};
  r = ComputeAreaIndex(c, areas, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->year, 2018);
  EXPECT_EQ(r->rows[0].code, "PK1");
  // the 2018 type-3 event (1) and the 2014 event (16), now at t-4
  EXPECT_DOUBLE_EQ(r->rows[0].w, (16.0 * 1 + 1.0 * 16) / 31);
  EXPECT_EQ(r->rows[1].code, "PK2");
  EXPECT_DOUBLE_EQ(r->rows[1].w, 2.0 / 31);  // 2015 is t-3 now

  // No incidents and no as_of: an error, not a silent zero index.
  IncidentColumns empty;
  empty.dataset = "ucdp-ged";
  EXPECT_FALSE(ComputeAreaIndex(empty, areas, AreaIndexOptions{}));
}

TEST(ViolenceTypesTest, Parse) {
  EXPECT_EQ(*ParseViolenceTypes("3,1"), (std::vector<int>{1, 3}));
  EXPECT_EQ(*ParseViolenceTypes(" 2 "), (std::vector<int>{2}));
  for (const char* bad : {"", "0", "4", "1,1", "1;2", "a", "12"}) {
    EXPECT_FALSE(ParseViolenceTypes(bad)) << bad;
  }
  EXPECT_EQ(ParseAreaLevel("2"), AreaLevel::kDistrict);
  EXPECT_EQ(ParseAreaLevel("province"), AreaLevel::kProvince);
  EXPECT_FALSE(ParseAreaLevel("country"));
}

}  // namespace
}  // namespace corridor::risk
