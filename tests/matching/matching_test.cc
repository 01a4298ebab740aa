// The candidate rules of corridor/matching/matching.h, one test per rule.
#include "corridor/matching/matching.h"

#include <gtest/gtest.h>

#include "corridor/common/date.h"

namespace corridor::matching {
namespace {

using model::LocationPrecision;

std::int32_t Day(const char* iso) { return Date::ParseIso(iso)->days(); }

Row Point(const std::string& id, const std::string& dataset, const char* day, double lat,
          double lon, std::optional<int> killed, LocationPrecision p = LocationPrecision::kExact) {
  Row r;
  r.id = id;
  r.dataset = dataset;
  r.country = "PAK";
  r.admin1 = "PK2";
  r.admin2 = "PK201";
  r.day_start = r.day_end = Day(day);
  r.lat = lat;
  r.lon = lon;
  r.has_point = true;
  r.precision = p;
  r.killed = killed;
  return r;
}

TEST(MatchingTest, TheSameAttackInTwoSourcesIsACandidateWithItsReasons) {
  // Quetta: the same day, 1.2 km apart, 4 and 5 killed.
  const Row ucdp = Point("u1", "ucdp-ged", "2019-03-15", 30.1841, 67.0014, 4);
  const Row gtd = Point("g1", "gtd", "2019-03-15", 30.1950, 67.0050, 5);
  auto c = Compare(ucdp, gtd);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->a, "g1");  // ordered
  EXPECT_EQ(c->b, "u1");
  EXPECT_NEAR(c->distance_km, 1.25, 0.05);
  EXPECT_EQ(c->gap_days, 0);
  ASSERT_EQ(c->reasons.size(), 3u);
  EXPECT_EQ(c->reasons[0], "1.3 km apart (exact, exact)");
  EXPECT_EQ(c->reasons[1], "same day");
  EXPECT_EQ(c->reasons[2], "killed 5 and 4");  // in the order of a, b
  // place 1 - 1.25/10, date 1, deaths 5/6
  EXPECT_NEAR(c->score, 0.45 * (1 - c->distance_km / 10) + 0.35 + 0.2 * 5 / 6, 0.001);
  EXPECT_EQ(Compare(gtd, ucdp), c);  // symmetric
}

TEST(MatchingTest, RecordsOfOneSourceNeverLink) {
  EXPECT_FALSE(Compare(Point("a", "ucdp-ged", "2019-03-15", 30.18, 67.0, 4),
                       Point("b", "ucdp-ged", "2019-03-15", 30.18, 67.0, 4)));
}

TEST(MatchingTest, PointsFartherThanTheirRadiiDoNotLink) {
  const Row x = Point("a", "ucdp-ged", "2019-03-15", 30.18, 67.0, 4);
  // 0.1 degree of latitude is 11 km: beyond two exact radii (10 km), within exact + near (30 km).
  EXPECT_FALSE(Compare(x, Point("b", "gtd", "2019-03-15", 30.28, 67.0, 4)));
  auto near = Compare(x, Point("b", "gtd", "2019-03-15", 30.28, 67.0, 4, LocationPrecision::kNear));
  ASSERT_TRUE(near.has_value());
  EXPECT_EQ(near->reasons[0], "11.1 km apart (exact, near)");
}

TEST(MatchingTest, DatesMayBeADayApartButNoMore) {
  const Row x = Point("a", "ucdp-ged", "2019-03-15", 30.18, 67.0, 4);
  auto next = Compare(x, Point("b", "gtd", "2019-03-16", 30.18, 67.0, 4));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->gap_days, 1);
  EXPECT_EQ(next->reasons[1], "1 day apart");
  EXPECT_FALSE(Compare(x, Point("b", "gtd", "2019-03-17", 30.18, 67.0, 4)));
  // A record dated only to its month never links.
  Row month = Point("m", "gtd", "2019-03-01", 30.18, 67.0, 4);
  month.day_end = Day("2019-03-31");
  EXPECT_FALSE(Compare(x, month));
}

TEST(MatchingTest, DeathTollsMustBeAlike) {
  const Row x = Point("a", "ucdp-ged", "2019-03-15", 30.18, 67.0, 4);
  EXPECT_FALSE(Compare(x, Point("b", "gtd", "2019-03-15", 30.18, 67.0, 10)));  // 4 < 0.5 x 10
  EXPECT_TRUE(Compare(x, Point("b", "gtd", "2019-03-15", 30.18, 67.0, 6)));    // within 2
  EXPECT_TRUE(Compare(x, Point("b", "gtd", "2019-03-15", 30.18, 67.0, 8)));    // half
  auto unknown = Compare(x, Point("b", "gtd", "2019-03-15", 30.18, 67.0, std::nullopt));
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->reasons[2], "deaths not given by both");
}

TEST(MatchingTest, ImprecisePlacesLinkOnlyWithinTheirArea) {
  const Row x = Point("a", "ucdp-ged", "2019-03-15", 30.18, 67.0, 4);
  Row district = Point("d", "gtd", "2019-03-15", 30.5, 67.5, 4, LocationPrecision::kDistrict);
  auto c = Compare(x, district);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->distance_km, -1);  // no metre-level distance from a district
  EXPECT_EQ(c->reasons[0], "same district (PK201), one placed only to it");
  district.admin2 = "PK202";
  EXPECT_FALSE(Compare(x, district));
  Row province = Point("p", "gtd", "2019-03-15", 29.0, 66.0, 4, LocationPrecision::kProvince);
  province.admin2 = "";
  auto p = Compare(x, province);
  ASSERT_TRUE(p.has_value());
  EXPECT_LT(p->score, c->score);
  Row country = Point("c", "gtd", "2019-03-15", 30.18, 67.0, 4, LocationPrecision::kCountry);
  EXPECT_FALSE(Compare(x, country));
}

TEST(MatchingTest, FindCandidatesSweepsByDateAndRanksByScore) {
  std::vector<Row> rows = {
      Point("u1", "ucdp-ged", "2019-03-15", 30.18, 67.00, 4),
      Point("g1", "gtd", "2019-03-15", 30.18, 67.00, 4),       // the same: score 1
      Point("a1", "acled", "2019-03-16", 30.20, 67.00, 5),     // a day later, 2 km
      Point("g2", "gtd", "2019-06-01", 30.18, 67.00, 4),       // months later: none
      Point("u2", "ucdp-ged", "2019-03-15", 33.60, 73.06, 4),  // Rawalpindi: too far
  };
  rows[3].revoked = true;
  auto all = FindCandidates(rows);
  ASSERT_EQ(all.size(), 3u);  // u1-g1, u1-a1, g1-a1
  EXPECT_EQ(all[0].a, "g1");
  EXPECT_EQ(all[0].b, "u1");
  EXPECT_DOUBLE_EQ(all[0].score, 1.0);
  for (std::size_t k = 1; k < all.size(); ++k) EXPECT_LE(all[k].score, all[k - 1].score);
  for (const auto& c : all) {
    EXPECT_EQ(
        Compare(*std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.id == c.a; }),
                *std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.id == c.b; })),
        c);
  }
}

}  // namespace
}  // namespace corridor::matching
