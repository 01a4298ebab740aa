#include "corridor/risk/exposure.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "corridor/geo/geodesic.h"
#include "corridor/model/incident.h"

namespace corridor::risk {
namespace {

void Add(IncidentColumns& c, int day, double lat, double lon, float killed, int type = 1) {
  c.day.push_back(day);
  c.day_end.push_back(day);
  c.lat.push_back(lat);
  c.lon.push_back(lon);
  c.killed.push_back(killed);
  c.wounded.push_back(0);
  c.hostages.push_back(0);
  c.property_band.push_back(0);
  c.violence_type.push_back(static_cast<std::int8_t>(type));
  c.location_precision.push_back(1);
  c.province.push_back(kNoArea);
  c.district.push_back(kNoArea);
  if (!c.latest || Date(day) > *c.latest) c.latest = Date(day);
}

model::Site PointSite(const char* name, double lat, double lon) {
  model::Site s;
  s.id = *Uuid::Parse(std::string("00000000-0000-4000-8000-00000000000") + name[0]);
  s.name = name;
  s.latitude = lat;
  s.longitude = lon;
  s.geometry =
      R"({"type":"Point","coordinates":[)" + std::to_string(lon) + "," + std::to_string(lat) + "]}";
  return s;
}

TEST(ExposureTest, FormulaOnAHandMadeCase) {
  IncidentColumns c;
  c.dataset = "ucdp-ged";
  const int day = Date::FromYmd(2019, 6, 1)->days();
  Add(c, day, 33.0, 73.0, 2);                  // at site A
  Add(c, day - 10, 33.1, 73.0, 0);             // ~11 km north of A
  Add(c, day - 400, 33.0, 73.0, 5);            // outside the 365-day window
  Add(c, day, 33.0, 73.0, 1, 2);               // violence type 2, excluded below
  Add(c, day, 34.0, 73.0, 9);                  // ~111 km from A: beyond R
  Add(c, day, std::nan(""), std::nan(""), 3);  // no point
  const model::Site sites[] = {PointSite("A", 33.0, 73.0), PointSite("B", 34.0, 73.0)};
  ExposureOptions o;
  o.radius_km = 50;
  o.decay_km = 10;
  o.violence_types = {1};
  o.threads = 2;
  auto r = ComputeExposure(c, sites, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->to.iso(), "2019-06-01");
  EXPECT_EQ(r->from.iso(), "2018-06-02");
  EXPECT_EQ(r->incidents_in_window, 3);
  EXPECT_EQ(r->incidents_without_point, 1);
  ASSERT_EQ(r->rows.size(), 2u);
  const double d = geo::GeodesicDistanceM(33.1, 73.0, 33.0, 73.0);
  // B: one incident at distance 0 with 9 killed: w = 28, E = 28. A: 7 + 1·e^(-d/L).
  EXPECT_EQ(r->rows[0].name, "B");
  EXPECT_DOUBLE_EQ(r->rows[0].exposure, 28);
  EXPECT_EQ(r->rows[0].rank, 1);
  const SiteExposure& a = r->rows[1];
  EXPECT_EQ(a.name, "A");
  EXPECT_EQ(a.incidents, 2);
  EXPECT_DOUBLE_EQ(a.impact, 8);
  EXPECT_NEAR(a.exposure, 7 + std::exp(-d / 10'000), 1e-5);
  EXPECT_NEAR(*a.nearest_km, 0, 1e-9);
  EXPECT_EQ(a.latest->iso(), "2019-06-01");
  EXPECT_EQ(a.rank, 2);
  EXPECT_FALSE(a.forecast_expected.has_value());
  EXPECT_FALSE(a.lists_counted);
  EXPECT_FALSE(ToJson(a).contains("counted"));

  // Asked for, A's row lists exactly the incidents it counted, by date: what
  // the site map draws.
  o.list_counted_of = sites[0].id;
  auto listed = ComputeExposure(c, sites, o);
  ASSERT_TRUE(listed) << listed.error().message;
  const SiteExposure& la = listed->rows[1];
  ASSERT_TRUE(la.lists_counted);
  ASSERT_EQ(la.counted.size(), static_cast<std::size_t>(la.incidents));
  EXPECT_EQ(la.counted[0].date.iso(), "2019-05-22");
  EXPECT_NEAR(la.counted[0].distance_km, d / 1000, 1e-6);
  EXPECT_EQ(la.counted[0].killed, 0);
  EXPECT_EQ(la.counted[1].date.iso(), "2019-06-01");
  EXPECT_EQ(la.counted[1].killed, 2);
  EXPECT_NEAR(la.counted[1].distance_km, 0, 1e-9);
  EXPECT_EQ(ToJson(la)["counted"].size(), 2u);
  EXPECT_FALSE(listed->rows[0].lists_counted);  // B's row is not listed
  EXPECT_EQ(ToJson(la)["counted_omitted"], 0);
}

// A row lists at most kMaxCountedListed counted incidents, the newest, and
// says how many older ones it left out; the counts are of all of them.
TEST(ExposureTest, TheCountedListIsBoundedToTheNewest) {
  IncidentColumns c;
  c.dataset = "ucdp-ged";
  const int last = Date::FromYmd(2019, 6, 1)->days();
  const int total = static_cast<int>(kMaxCountedListed) + 25;
  for (int i = 0; i < total; ++i) Add(c, last - total + 1 + i, 33.0 + i * 1e-5, 73.0, 1);
  const model::Site sites[] = {PointSite("A", 33.0, 73.0)};
  ExposureOptions o;
  o.radius_km = 10;
  o.days = total;
  o.list_counted_of = sites[0].id;
  auto r = ComputeExposure(c, sites, o);
  ASSERT_TRUE(r) << r.error().message;
  const SiteExposure& a = r->rows[0];
  EXPECT_EQ(a.incidents, total);
  ASSERT_EQ(a.counted.size(), kMaxCountedListed);
  EXPECT_EQ(a.counted_omitted, 25);
  EXPECT_EQ(a.counted.front().date, Date(last - static_cast<int>(kMaxCountedListed) + 1));
  EXPECT_EQ(a.counted.back().date, Date(last));
  EXPECT_EQ(ToJson(a)["counted_omitted"], 25);
}

// Issue 17 §3: an event placed only to a district or a province has no
// metre-level distance. Next to site A sit a province-precise event (0.6 km
// away, the trap of the trial) and a district-precise one in A's district:
// neither is counted as near A, neither sets its nearest distance; the district
// one is "within the district" of A, and not of B, which is elsewhere.
TEST(ExposureTest, ImpreciseEventsHaveNoDistance) {
  IncidentColumns c;
  c.dataset = "ucdp-ged";
  c.district_codes = {"PK101", "PK202"};
  const int day = Date::FromYmd(2019, 6, 1)->days();
  Add(c, day, 33.2, 73.0, 1);  // precise, ~22 km from A
  Add(c, day, 33.005, 73.0, 40);
  c.location_precision.back() = static_cast<std::int8_t>(model::LocationPrecision::kProvince);
  Add(c, day, 33.0, 73.0, 12);
  c.location_precision.back() = static_cast<std::int8_t>(model::LocationPrecision::kDistrict);
  c.district.back() = 0;  // PK101
  model::Site a = PointSite("A", 33.0, 73.0);
  a.admin2 = "PK101";
  model::Site b = PointSite("B", 36.0, 70.0);
  b.admin2 = "PK202";
  const model::Site sites[] = {a, b};
  auto r = ComputeExposure(c, sites, {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->incidents_in_window, 1);
  EXPECT_EQ(r->incidents_district_precise, 1);
  EXPECT_EQ(r->incidents_too_coarse, 1);
  const auto& row_a = r->rows[0].name == "A" ? r->rows[0] : r->rows[1];
  const auto& row_b = r->rows[0].name == "A" ? r->rows[1] : r->rows[0];
  EXPECT_EQ(row_a.incidents, 1);
  EXPECT_DOUBLE_EQ(row_a.killed, 1);
  ASSERT_TRUE(row_a.nearest_km.has_value());
  EXPECT_NEAR(*row_a.nearest_km, geo::GeodesicDistanceM(33.2, 73.0, 33.0, 73.0) / 1000, 1e-6);
  EXPECT_EQ(row_a.in_district, 1);
  EXPECT_DOUBLE_EQ(row_a.in_district_killed, 12);
  EXPECT_EQ(row_b.incidents, 0);
  EXPECT_EQ(row_b.in_district, 0);
  EXPECT_FALSE(row_b.nearest_km.has_value());
  const auto j = ToJson(*r);
  EXPECT_EQ(j["incidents_too_coarse"], 1);
  EXPECT_EQ(j["rows"][0]["in_district"]["incidents"].get<int>() +
                j["rows"][1]["in_district"]["incidents"].get<int>(),
            1);
}

TEST(ExposureTest, RejectsBadOptions) {
  IncidentColumns c;
  c.dataset = "gtd";
  const model::Site sites[] = {PointSite("A", 33.0, 73.0)};
  ExposureOptions o;
  o.as_of = Date::FromYmd(2019, 1, 1);
  o.radius_km = 0;
  EXPECT_FALSE(ComputeExposure(c, sites, o));
  o.radius_km = 10;
  o.decay_km = -1;
  EXPECT_FALSE(ComputeExposure(c, sites, o));
  o.decay_km = 5;
  o.from = Date::FromYmd(2019, 2, 1);
  EXPECT_FALSE(ComputeExposure(c, sites, o));
  o.from.reset();
  o.as_of.reset();
  EXPECT_FALSE(ComputeExposure(c, sites, o));  // no incidents, no date
}

// Random incidents and polygon sites: the R-tree and the planar bound give
// exactly the brute-force counts, with 1 and with 2 threads.
TEST(ExposureTest, MatchesBruteForce) {
  IncidentColumns c;
  c.dataset = "gtd";
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> lat(24, 37), lon(61, 77);
  for (int i = 0; i < 5'000; ++i) Add(c, 100, lat(rng), lon(rng), 1);
  std::vector<model::Site> sites;
  for (int s = 0; s < 12; ++s) {
    model::Site site = PointSite("S", 0, 0);
    site.id = Uuid::V4();
    site.name = "site " + std::to_string(s);
    const double la = lat(rng), lo = lon(rng);
    site.geometry = R"({"type":"MultiPolygon","coordinates":[[[)";
    for (int k = 0; k <= 40; ++k) {
      const double a = 2 * 3.14159265358979 * (k % 40) / 40;
      site.geometry += (k ? "," : "") + ("[" + std::to_string(lo + 0.2 * std::cos(a)) + "," +
                                         std::to_string(la + 0.1 * std::sin(a)) + "]");
    }
    site.geometry += "]]]}";
    sites.push_back(site);
  }
  for (int threads : {1, 2}) {
    ExposureOptions o;
    o.radius_km = 30;
    o.threads = threads;
    auto r = ComputeExposure(c, sites, o);
    ASSERT_TRUE(r) << r.error().message;
    for (const SiteExposure& row : r->rows) {
      const auto& site = *std::find_if(sites.begin(), sites.end(),
                                       [&](const model::Site& s) { return s.id == row.id; });
      auto f = geo::Footprint::FromGeoJson(site.geometry);
      ASSERT_TRUE(f);
      // Brute force over every incident within 0.5° of the footprint's box
      // (0.5° is more than 40 km at these latitudes: the rest is beyond R).
      const geo::LatLonBox b = f->box();
      std::int64_t want = 0;
      for (std::size_t i = 0; i < c.size(); ++i) {
        if (c.lat[i] < b.min_lat - 0.5 || c.lat[i] > b.max_lat + 0.5 ||
            c.lon[i] < b.min_lon - 0.5 || c.lon[i] > b.max_lon + 0.5) {
          continue;
        }
        want += f->DistanceM(c.lat[i], c.lon[i]) <= 30'000;
      }
      EXPECT_EQ(row.incidents, want) << row.name;
    }
  }
}

TEST(ExposureTest, ForecastOverBuffer) {
  const geo::Footprint f = geo::Footprint::FromPoint(33.25, 73.25);  // centre of a 0.5° cell
  const int gid =
      static_cast<int>((33.25 + 90) / 0.5) * 720 + static_cast<int>((73.25 + 180) / 0.5) + 1;
  const CellExpectation cells[] = {{gid, 4.0}, {1, 100.0}};
  // A radius covering the whole cell: all of its 4 expected events.
  EXPECT_DOUBLE_EQ(ForecastOverBuffer(f, 100'000, cells), 4.0);
  // A tiny radius catches no lattice point.
  EXPECT_DOUBLE_EQ(ForecastOverBuffer(f, 100, cells), 0.0);
  // About a quarter of the cell's lattice within ~ 0.5·cell of the centre.
  const double part = ForecastOverBuffer(f, 20'000, cells);
  EXPECT_GT(part, 0.5);
  EXPECT_LT(part, 4.0);
}

}  // namespace
}  // namespace corridor::risk
