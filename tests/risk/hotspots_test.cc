// Hotspot analyses on synthetic data with known answers: the LAEA plane, KDE
// (analytic kernel, integral, direct sum), Gi* against R spdep's localG
// (golden files from tools/gistar_golden.R), Knox on planted and uniform data.
#include "corridor/risk/hotspots.h"

#include <gtest/gtest.h>

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/PolygonArea.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "corridor/risk/gistar.h"
#include "corridor/risk/kde.h"
#include "corridor/risk/knox.h"
#include "corridor/risk/laea.h"
#include "testing/testing.h"

namespace corridor::risk {
namespace {

TEST(LaeaTest, CentreIsOriginAndInverseRoundTrips) {
  auto p = LaeaProjection::Create(30.0, 69.0);
  ASSERT_TRUE(p) << p.error().message;
  const std::vector<double> lat = {30.0, 24.5, 36.9, 33.7}, lon = {69.0, 67.0, 75.0, 73.1};
  std::vector<double> x(4), y(4), lat2(4), lon2(4);
  p->Forward(lat, lon, x, y);
  EXPECT_NEAR(x[0], 0, 1e-9);
  EXPECT_NEAR(y[0], 0, 1e-9);
  p->Inverse(x, y, lat2, lon2);
  // PROJ's ellipsoidal inverse goes through a series for the authalic
  // latitude: ~1e-8° (about 1 mm) is its accuracy.
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(lat2[i], lat[i], 1e-7);
    EXPECT_NEAR(lon2[i], lon[i], 1e-7);
  }
  EXPECT_FALSE(LaeaProjection::Create(95, 0));
}

// Equal area: a 10 × 10 km square of the plane, 800 km from the centre, is
// 100 km² on the WGS84 ellipsoid (GeographicLib), to 0.01 %.
TEST(LaeaTest, PlaneSquaresHaveTheirAreaOnTheEllipsoid) {
  auto p = LaeaProjection::Create(30.0, 69.0);
  ASSERT_TRUE(p);
  for (const auto& [cx, cy] : {std::pair{0.0, 0.0}, {600.0, 530.0}, {-700.0, -300.0}}) {
    SCOPED_TRACE(cx);
    // Edges densified so that geodesic edges follow the plane's straight ones.
    std::vector<double> x, y;
    for (int side = 0; side < 4; ++side) {
      for (int k = 0; k < 20; ++k) {
        const double t = k / 20.0 * 10;
        const double xs[4] = {cx + t, cx + 10, cx + 10 - t, cx};
        const double ys[4] = {cy, cy + t, cy + 10, cy + 10 - t};
        x.push_back(xs[side]);
        y.push_back(ys[side]);
      }
    }
    std::vector<double> lat(x.size()), lon(x.size());
    p->Inverse(x, y, lat, lon);
    GeographicLib::PolygonArea poly(GeographicLib::Geodesic::WGS84());
    for (std::size_t i = 0; i < lat.size(); ++i) poly.AddPoint(lat[i], lon[i]);
    double perimeter = 0, area = 0;
    poly.Compute(false, true, perimeter, area);
    EXPECT_NEAR(std::abs(area) / 1e6, 100.0, 0.01);
  }
}

TEST(KdeTest, OnePointOnANodeGivesTheAnalyticKernel) {
  for (const auto kernel : {Kernel::kGaussian, Kernel::kQuartic}) {
    SCOPED_TRACE(std::string(KernelName(kernel)));
    Grid g{0, 0, 1.0, 61, 61};
    const double h = 7.5;
    const std::vector<double> x = {30.0}, y = {30.0};
    auto d = KernelDensity(x, y, {}, g, kernel, h);
    ASSERT_TRUE(d) << d.error().message;
    for (int j = 0; j < g.ny; j += 3) {
      for (int i = 0; i < g.nx; i += 3) {
        const double r2 = (i - 30.0) * (i - 30.0) + (j - 30.0) * (j - 30.0);
        const double want = KernelValue(kernel, h, r2);
        if (kernel == Kernel::kGaussian && r2 > 25 * h * h) {  // truncated at 5h
          EXPECT_LT(want, 4e-6 * KernelValue(kernel, h, 0));
          EXPECT_NEAR((*d)[j * g.nx + i], 0, 1e-15);
          continue;
        }
        EXPECT_NEAR((*d)[j * g.nx + i], want, 1e-15 + 1e-9 * want) << i << "," << j;
      }
    }
  }
  // The Gaussian at 0 is 1/(2πh²); the quartic 3/(πh²).
  EXPECT_DOUBLE_EQ(KernelValue(Kernel::kGaussian, 2, 0), 1 / (8 * M_PI));
  EXPECT_DOUBLE_EQ(KernelValue(Kernel::kQuartic, 2, 0), 3 / (4 * M_PI));
  EXPECT_EQ(KernelValue(Kernel::kQuartic, 2, 4.0), 0);
}

std::vector<double> Uniform(std::mt19937_64& rng, int n, double lo, double hi) {
  std::vector<double> v(n);
  for (auto& x : v) x = lo + (hi - lo) * static_cast<double>(rng() >> 11) / 9007199254740992.0;
  return v;
}

TEST(KdeTest, IntegralIsTheNumberOfEventsInsideTheGrid) {
  std::mt19937_64 rng(1);
  const auto x = Uniform(rng, 800, 60, 140), y = Uniform(rng, 800, 50, 100);
  Grid g{0, 0, 2.0, 101, 76};  // 0..200 × 0..150 km, 3+ bandwidths around the points
  for (const auto kernel : {Kernel::kGaussian, Kernel::kQuartic}) {
    auto d = KernelDensity(x, y, {}, g, kernel, 12.0);
    ASSERT_TRUE(d);
    double mass = 0;
    for (const double v : *d) mass += v * g.cell * g.cell;
    EXPECT_NEAR(mass, 800.0, 800 * 2e-3) << KernelName(kernel);
  }
}

// The FFT surface against the direct sum at every node: the error is that of
// linear binning (O(cell²/h²)); docs/methods.md quotes the figures measured here.
TEST(KdeTest, MatchesTheDirectSum) {
  std::mt19937_64 rng(2);
  std::normal_distribution<double> n01(0, 1);
  std::vector<double> x, y;
  for (int i = 0; i < 3000; ++i) {
    const bool hot = i % 3 == 0;
    x.push_back(hot ? 300 + 15 * n01(rng) : 100 + 400 * (rng() % 10000) / 10000.0);
    y.push_back(hot ? 250 + 15 * n01(rng) : 100 + 300 * (rng() % 10000) / 10000.0);
  }
  struct Case {
    Kernel kernel;
    double h, cell, tolerance;  // max |fft − direct| / max(direct)
  };
  for (const Case c : {Case{Kernel::kGaussian, 20, 2, 2e-3}, Case{Kernel::kGaussian, 20, 5, 1e-2},
                       Case{Kernel::kQuartic, 40, 2, 5e-3}}) {
    Grid g{0, 0, c.cell, static_cast<int>(600 / c.cell) + 1, static_cast<int>(500 / c.cell) + 1};
    auto d = KernelDensity(x, y, {}, g, c.kernel, c.h);
    ASSERT_TRUE(d);
    double max_direct = 0, max_diff = 0;
    for (int j = 0; j < g.ny; ++j) {
      for (int i = 0; i < g.nx; ++i) {
        const double want = DirectDensity(x, y, {}, c.kernel, c.h, g.X(i), g.Y(j));
        max_direct = std::max(max_direct, want);
        max_diff = std::max(max_diff, std::abs((*d)[j * g.nx + i] - want));
      }
    }
    const double rel = max_diff / max_direct;
    std::cout << "KDE " << KernelName(c.kernel) << " h=" << c.h << " cell=" << c.cell
              << ": max |fft - direct| / max = " << rel << "\n";
    EXPECT_LT(rel, c.tolerance);
  }
}

TEST(KdeTest, ScottsRule) {
  // s_x = s_y = 1 (n − 1 divisor) and n = 64: h = 64^(−1/6) = 0.5.
  std::vector<double> x, y;
  for (int i = 0; i < 32; ++i) {
    x.insert(x.end(), {-1, 1});
    y.insert(y.end(), {1, -1});
  }
  const double s = std::sqrt(64.0 / 63.0);
  EXPECT_NEAR(ScottBandwidthKm(x, y), s * 0.5, 1e-12);
  EXPECT_EQ(ScottBandwidthKm(std::vector<double>{1}, std::vector<double>{2}), 0);
}

TEST(KdeTest, RejectsBadInput) {
  Grid g{0, 0, 1, 10, 10};
  const std::vector<double> x = {1}, y = {1};
  EXPECT_FALSE(KernelDensity(x, y, {}, g, Kernel::kGaussian, 0));
  EXPECT_FALSE(KernelDensity(x, y, {}, Grid{}, Kernel::kGaussian, 1));
  EXPECT_FALSE(KernelDensity(x, std::vector<double>{1, 2}, {}, g, Kernel::kGaussian, 1));
  EXPECT_FALSE(ParseKernel("epanechnikov"));
}

TEST(ShareableTest, CellsFinerThanFiveKmAreRefused) {
  EXPECT_TRUE(CheckCellSize(5.0, true));
  EXPECT_TRUE(CheckCellSize(1.0, false));
  const auto fine = CheckCellSize(4.99, true);
  ASSERT_FALSE(fine);
  EXPECT_EQ(fine.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(fine.error().message.find("5 km"), std::string::npos);
  EXPECT_FALSE(CheckCellSize(0, false));
}

// ---- Gi* against spdep

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

// Tolerance: spdep's answers are printed to 15 significant digits; the two
// computations differ only in summation order.
TEST(GiStarTest, MatchesSpdepLocalG) {
  const auto input = ReadCsv(testing::TestPath("golden/risk/gistar_input.csv").string());
  const auto golden = ReadCsv(testing::TestPath("golden/risk/gistar_spdep.csv").string());
  ASSERT_EQ(input.size(), 201u);
  ASSERT_EQ(golden.size(), 201u);
  std::vector<double> x, y, v;
  for (std::size_t r = 1; r < input.size(); ++r) {
    x.push_back(std::stod(input[r][0]));
    y.push_back(std::stod(input[r][1]));
    v.push_back(std::stod(input[r][2]));
  }
  using Kind = SpatialWeights::Kind;
  const std::vector<std::pair<std::string, SpatialWeights>> cases = {
      {"band_60", {Kind::kDistanceBand, 60, 0}},
      {"band_100", {Kind::kDistanceBand, 100, 0}},
      {"knn_4", {Kind::kKNearest, 0, 4}},
      {"knn_8", {Kind::kKNearest, 0, 8}}};
  for (std::size_t c = 0; c < cases.size(); ++c) {
    SCOPED_TRACE(cases[c].first);
    ASSERT_EQ(golden[0][c + 1], cases[c].first);
    auto gi = GetisOrdGiStar(x, y, v, cases[c].second);
    ASSERT_TRUE(gi) << gi.error().message;
    double max_diff = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      max_diff = std::max(max_diff, std::abs((*gi)[i].z - std::stod(golden[i + 1][c + 1])));
    }
    std::cout << "Gi* " << cases[c].first << ": max |z - spdep| = " << max_diff << "\n";
    EXPECT_LT(max_diff, 1e-9);
  }
}

TEST(GiStarTest, PValuesAndErrors) {
  const std::vector<double> x = {0, 1, 2, 3}, y = {0, 0, 0, 0}, v = {5, 1, 1, 1};
  auto gi = GetisOrdGiStar(x, y, v, {SpatialWeights::Kind::kKNearest, 0, 1});
  ASSERT_TRUE(gi);
  for (const auto& g : *gi) EXPECT_NEAR(g.p, std::erfc(std::abs(g.z) / std::sqrt(2.0)), 1e-15);
  const std::vector<double> same = {2, 2, 2, 2};
  auto flat = GetisOrdGiStar(x, y, same, {SpatialWeights::Kind::kDistanceBand, 1.5, 0});
  ASSERT_TRUE(flat);
  for (const auto& g : *flat) EXPECT_EQ(g.z, 0);
  EXPECT_FALSE(GetisOrdGiStar(x, y, v, {SpatialWeights::Kind::kKNearest, 0, 4}));
  EXPECT_FALSE(GetisOrdGiStar(x, y, v, {SpatialWeights::Kind::kDistanceBand, 0, 0}));
  EXPECT_FALSE(GetisOrdGiStar(std::vector<double>{0, 1}, std::vector<double>{0, 1},
                              std::vector<double>{1, 2}, {SpatialWeights::Kind::kKNearest, 0, 1}));
}

// ---- Knox

struct Events {
  std::vector<double> x, y;
  std::vector<std::int32_t> day;
};

Events UniformEvents(std::uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  Events e;
  e.x = Uniform(rng, n, 0, 300);
  e.y = Uniform(rng, n, 0, 300);
  for (int i = 0; i < n; ++i) e.day.push_back(static_cast<std::int32_t>(rng() % 1000));
  return e;
}

TEST(KnoxTest, PlantedClusterGivesASmallP) {
  Events e = UniformEvents(3, 400);
  // 40 events within 3 km and 5 days of (150, 150, day 500).
  std::mt19937_64 rng(4);
  for (int i = 0; i < 40; ++i) {
    e.x.push_back(150 + static_cast<double>(rng() % 3000) / 1000);
    e.y.push_back(150 + static_cast<double>(rng() % 3000) / 1000);
    e.day.push_back(500 + static_cast<std::int32_t>(rng() % 5));
  }
  auto r = KnoxTest(e.x, e.y, e.day, {5, 7, 999, 42});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->permutations, 999);
  EXPECT_LE(r->p_value, 0.002);
  EXPECT_GT(r->ratio, 2);
}

TEST(KnoxTest, UniformDataGivesAPNotSmall) {
  const Events e = UniformEvents(5, 600);
  auto r = KnoxTest(e.x, e.y, e.day, {10, 14, 999, 42});
  ASSERT_TRUE(r);
  EXPECT_GT(r->p_value, 0.05);
  EXPECT_NEAR(r->ratio, 1, 0.5);
}

TEST(KnoxTest, CountsMatchBruteForceAndSeedIsDeterministic) {
  const Events e = UniformEvents(6, 300);
  auto a = KnoxTest(e.x, e.y, e.day, {20, 30, 199, 9});
  auto b = KnoxTest(e.x, e.y, e.day, {20, 30, 199, 9});
  ASSERT_TRUE(a && b);
  std::int64_t s = 0, t = 0, x = 0;
  for (std::size_t i = 0; i < e.x.size(); ++i) {
    for (std::size_t j = i + 1; j < e.x.size(); ++j) {
      const bool near = std::hypot(e.x[i] - e.x[j], e.y[i] - e.y[j]) <= 20;
      const bool soon = std::abs(e.day[i] - e.day[j]) <= 30;
      s += near;
      t += soon;
      x += near && soon;
    }
  }
  EXPECT_EQ(a->close_space, s);
  EXPECT_EQ(a->close_time, t);
  EXPECT_EQ(a->observed, x);
  EXPECT_DOUBLE_EQ(a->expected, static_cast<double>(s) * t / (300.0 * 299 / 2));
  EXPECT_EQ(a->as_extreme, b->as_extreme);
  EXPECT_EQ(a->p_value, b->p_value);
  EXPECT_EQ(a->p_value, (1.0 + a->as_extreme) / 200);
}

TEST(KnoxTest, RejectsBadOptions) {
  const Events e = UniformEvents(7, 10);
  EXPECT_FALSE(KnoxTest(e.x, e.y, e.day, {0, 1, 9, 1}));
  EXPECT_FALSE(KnoxTest(e.x, e.y, e.day, {1, -1, 9, 1}));
  EXPECT_FALSE(KnoxTest(e.x, e.y, e.day, {1, 1, 0, 1}));
}

}  // namespace
}  // namespace corridor::risk
