// The hotspot analyses on the real UCDP GED Pakistan events: the event
// selection against a count over the raw file, the KDE against the direct sum,
// Gi* district totals, Knox's p, the CLI's shareable guard and formats.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "corridor/ingest/csv_reader.h"
#include "corridor/risk/hotspots.h"
#include "corridor/risk/laea.h"
#include "testing/real_store.h"
#include "testing/testing.h"

namespace corridor::risk {
namespace {

using nlohmann::json;

class Env : public ::testing::Environment {
 public:
  void SetUp() override {
    dir_ = std::make_unique<testing::TempDir>();
    db_ = (dir_->path() / "hotspots.db").string();
    auto loaded = testing::LoadRealStore(db_);
    ASSERT_TRUE(loaded) << loaded.error().message;
    store_ = std::move(*loaded);
  }
  void TearDown() override {
    store_.reset();
    dir_.reset();
  }
  static Env* instance;
  store::Store& store() { return *store_; }
  const std::string& db() const { return db_; }

 private:
  std::unique_ptr<testing::TempDir> dir_;
  std::string db_;
  std::unique_ptr<store::Store> store_;
};
Env* Env::instance = nullptr;

std::string Corridor() { return (testing::BuildDir() / "corridor").string(); }

// UCDP rows with where_prec 1–2 and date_start in [from, to] (ISO text compares).
std::int64_t CountRawPrecise(const std::string& from, const std::string& to) {
  std::ifstream in(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv"));
  ingest::CsvReader reader(in, "pakistan.csv");
  ingest::CsvRecord record;
  std::vector<std::string> header;
  std::int64_t n = 0;
  int prec = -1, start = -1;
  while (true) {
    auto next = reader.Next(record);
    if (!next || !*next) break;
    if (header.empty()) {
      header = record.fields;
      for (int i = 0; i < static_cast<int>(header.size()); ++i) {
        if (header[i] == "where_prec") prec = i;
        if (header[i] == "date_start") start = i;
      }
      continue;
    }
    const std::string& us = record.fields[start];  // MM/DD/YYYY hh:mm:ss
    const std::string day = us.substr(6, 4) + "-" + us.substr(0, 2) + "-" + us.substr(3, 2);
    const std::string p = record.fields[prec];
    if ((p == "1" || p == "2") && day >= from && day <= to) ++n;
  }
  return n;
}

TEST(HotspotsData, SurfaceMatchesTheDirectSumAndCountsEveryPreciseEvent) {
  HotspotOptions o;
  o.bandwidth_km = 25;
  o.cell_km = 5;
  auto s = ComputeHotspots(Env::instance->store(), o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->window.data_through.iso(), "2019-12-19");
  EXPECT_EQ(s->window.events_used, CountRawPrecise("0000", "2019-12-19"));
  EXPECT_EQ(s->extent_source, "areas");
  EXPECT_EQ(s->events_outside_grid, 0);
  EXPECT_NEAR(s->mass_in_grid, static_cast<double>(s->window.events_used),
              1e-3 * s->window.events_used);
  // Direct sum at every 4th node, over the same projected events.
  auto columns = LoadIncidentColumns(Env::instance->store(), "ucdp-ged");
  ASSERT_TRUE(columns);
  std::vector<double> lat, lon;
  for (std::size_t i = 0; i < columns->size(); ++i) {
    if (columns->location_precision[i] <= 1 && columns->violence_type[i] >= 1) {
      lat.push_back(columns->lat[i]);
      lon.push_back(columns->lon[i]);
    }
  }
  auto plane = LaeaProjection::Create(s->lat0, s->lon0);
  ASSERT_TRUE(plane);
  std::vector<double> x(lat.size()), y(lat.size());
  plane->Forward(lat, lon, x, y);
  double max_diff = 0, max_direct = 0;
  int peak_i = 0, peak_j = 0;
  for (int j = 0; j < s->grid.ny; j += 4) {
    for (int i = 0; i < s->grid.nx; i += 4) {
      const double want =
          DirectDensity(x, y, {}, Kernel::kGaussian, 25, s->grid.X(i), s->grid.Y(j));
      if (want > max_direct) {
        max_direct = want;
        peak_i = i;
        peak_j = j;
      }
      max_diff = std::max(max_diff, std::abs(s->density[j * s->grid.nx + i] - want));
    }
  }
  std::cout << "real UCDP KDE (h 25 km, cell 5 km): max |fft - direct| / max = "
            << max_diff / max_direct << "\n";
  EXPECT_LT(max_diff / max_direct, 5e-3);
  // The densest part of the picture is the Khyber–Peshawar–Kurram belt.
  double plat = 0, plon = 0;
  const double px = s->grid.X(peak_i), py = s->grid.Y(peak_j);
  plane->Inverse({&px, 1}, {&py, 1}, {&plat, 1}, {&plon, 1});
  EXPECT_NEAR(plat, 33.6, 1.0);
  EXPECT_NEAR(plon, 70.8, 1.2);
}

TEST(HotspotsData, WindowAndShareableGuard) {
  HotspotOptions o;
  o.window.from = Date::ParseIso("2016-01-01");
  o.window.as_of = Date::ParseIso("2018-12-31");
  o.kernel = Kernel::kQuartic;
  o.bandwidth_km = 40;
  o.cell_km = 10;
  o.shareable = true;
  auto s = ComputeHotspots(Env::instance->store(), o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->window.events_used, CountRawPrecise("2016-01-01", "2018-12-31"));
  auto cells = CellsGeoJson(*s, 0.01);
  ASSERT_TRUE(cells);
  ASSERT_FALSE((*cells)["features"].empty());
  const auto& ring = (*cells)["features"][0]["geometry"]["coordinates"][0];
  EXPECT_EQ(ring.size(), 5u);
  EXPECT_EQ(ring[0], ring[4]);
  o.cell_km = 2;
  auto refused = ComputeHotspots(Env::instance->store(), o);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
}

TEST(HotspotsData, GiStarOnDistricts) {
  GiStarOptions o;
  o.window.coarsest = model::LocationPrecision::kDistrict;
  auto r = ComputeGiStar(Env::instance->store(), o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->units_out.size(), 160u);
  double total = 0;
  const GiStarUnit* hottest = &r->units_out[0];
  for (const auto& u : r->units_out) {
    total += u.count;
    EXPECT_EQ(u.gi.neighbours, 8);
    if (u.gi.z > hottest->gi.z) hottest = &u;
  }
  EXPECT_EQ(total + r->events_outside_units, r->window.events_used);
  EXPECT_EQ(hottest->id.substr(0, 3), "PK5");  // Khyber Pakhtunkhwa
  EXPECT_GT(hottest->gi.z, 3);
  std::cout << "Gi* districts: hottest " << hottest->id << " " << hottest->name
            << " z=" << hottest->gi.z << "\n";
}

TEST(HotspotsData, KnoxFindsSpaceTimeClusteringAndIsReproducible) {
  KnoxRunOptions o;
  o.window.from = Date::ParseIso("2015-01-01");
  o.knox = {5, 7, 999, 20'240'501};
  auto a = ComputeKnox(Env::instance->store(), o);
  auto b = ComputeKnox(Env::instance->store(), o);
  ASSERT_TRUE(a && b);
  std::cout << "Knox 2015-2019, 5 km / 7 days: observed " << a->result.observed << ", expected "
            << a->result.expected << ", p = " << a->result.p_value << "\n";
  EXPECT_LE(a->result.p_value, 0.01);
  EXPECT_EQ(a->result.as_extreme, b->result.as_extreme);
}

TEST(HotspotsData, Cli) {
  const std::string base = Corridor() + " --db " + Env::instance->db() + " risk ";
  auto refused = testing::RunCommand(base + "hotspots --shareable --cell 2");
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("finer than the 5 km"), std::string::npos) << refused.err;
  auto raster = testing::RunCommand(base + "hotspots --cell 20 --format json");
  ASSERT_EQ(raster.status, 0) << raster.err;
  const auto j = json::parse(raster.out);
  EXPECT_EQ(j["type"], "corridor.kde.raster");
  EXPECT_EQ(j["values"].size(), j["grid"]["nrows"].get<std::size_t>());
  auto table = testing::RunCommand(base + "hotspots --cell 20");
  ASSERT_EQ(table.status, 0);
  EXPECT_NE(table.out.find("data through 2019-12-19"), std::string::npos);
  auto asc = testing::RunCommand(base + "hotspots --cell 20 --format asc");
  ASSERT_EQ(asc.status, 0);
  EXPECT_EQ(asc.out.rfind("ncols ", 0), 0u);
  auto gi = testing::RunCommand(base + "gistar --format csv");
  ASSERT_EQ(gi.status, 0) << gi.err;
  EXPECT_EQ(gi.out.rfind("id,name,lat,lon,count,neighbours,z,p\n", 0), 0u);
  auto knox = testing::RunCommand(base + "knox --from 2018-01-01 --permutations 99 --format csv");
  ASSERT_EQ(knox.status, 0) << knox.err;
  EXPECT_EQ(knox.out.rfind("distance_km,days,n,", 0), 0u);
  auto help = testing::RunCommand(Corridor() + " risk hotspots --help");
  EXPECT_NE(help.out.find("--shareable"), std::string::npos);
  auto bad = testing::RunCommand(base + "knox --precision everywhere");
  EXPECT_EQ(bad.status, 2);
}

}  // namespace
}  // namespace corridor::risk

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  corridor::risk::Env::instance = new corridor::risk::Env;
  ::testing::AddGlobalTestEnvironment(corridor::risk::Env::instance);
  return RUN_ALL_TESTS();
}
