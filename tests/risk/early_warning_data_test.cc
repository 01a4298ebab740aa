// Early warning on the real UCDP GED Pakistan events: the PRIO-GRID cells and
// their ellipsoidal areas, the backtest's baselines against an independent
// computation of the protocol (tools/backtest_check.py), the exact JSON shape,
// the forecast per cell and district, the CLI formats and the API routes.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>

#include "corridor/api/api.h"
#include "corridor/risk/early_warning.h"
#include "testing/api_harness.h"
#include "testing/real_store.h"
#include "testing/testing.h"

namespace corridor::risk {
namespace {

using nlohmann::json;

class Env : public ::testing::Environment {
 public:
  void SetUp() override {
    dir_ = std::make_unique<testing::TempDir>();
    db_ = (dir_->path() / "early_warning.db").string();
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
  const std::filesystem::path& dir() const { return dir_->path(); }

 private:
  std::unique_ptr<testing::TempDir> dir_;
  std::string db_;
  std::unique_ptr<store::Store> store_;
};
Env* Env::instance = nullptr;

std::string Corridor() { return (testing::BuildDir() / "corridor").string(); }
std::string Quote(const std::string& s) { return "'" + s + "'"; }

TEST(PrioGridTest, CellsOverTheOutline) {
  auto grid = BuildPrioGrid(Env::instance->store());
  ASSERT_TRUE(grid) << grid.error().message;
  EXPECT_EQ(PrioGid(33.72, 73.06), 247 * 720 + 506 + 1);  // Islamabad: row 247, col 506
  EXPECT_GT(grid->cells.size(), 350u);
  EXPECT_LT(grid->cells.size(), 450u);
  // OCHA's outline (with the areas Pakistan administers) is about 0.88–0.95 M km².
  EXPECT_GT(grid->total_area_km2, 850'000);
  EXPECT_LT(grid->total_area_km2, 960'000);
  for (std::size_t k = 0; k < grid->cells.size(); ++k) {
    const auto& c = grid->cells[k];
    if (k > 0) {
      EXPECT_LT(grid->cells[k - 1].gid, c.gid);
    }
    // A full 0.5° cell at latitude φ is about 55.6 × 55.6·cos φ km².
    const double lat = (c.row + 0.5) * 0.5 - 90;
    const double full = 55.57 * 55.57 * std::cos(lat * M_PI / 180);
    EXPECT_LE(c.area_km2, full * 1.01) << c.gid;
    EXPECT_GT(c.area_km2, 0) << c.gid;
  }
}

TEST(BacktestTest, BaselinesMatchAnIndependentComputation) {
  const auto cells = (Env::instance->dir() / "cells.csv").string();
  const auto run = testing::RunCommand(Corridor() + " --db " + Quote(Env::instance->db()) +
                                       " risk backtest --format json --cells-csv " + Quote(cells));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("data through 2019-12-"), std::string::npos) << run.err;
  // The exact shape of the protocol's JSON, keys in its order.
  const auto got = nlohmann::ordered_json::parse(run.out);
  std::vector<std::string> keys;
  for (const auto& [k, v] : got.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"hawkes", "persistence", "long_run_average",
                                            "decayed_history", "ensemble", "selected", "cells",
                                            "events", "months", "data_through", "first_month",
                                            "last_month", "selection"}));
  EXPECT_EQ(got["months"], 120);
  EXPECT_EQ(got["first_month"], "2010-01");
  EXPECT_EQ(got["last_month"], "2019-12");
  EXPECT_EQ(got["data_through"].get<std::string>().substr(0, 8), "2019-12-");
  for (const char* m :
       {"hawkes", "persistence", "long_run_average", "decayed_history", "ensemble", "selected"}) {
    SCOPED_TRACE(m);
    for (const char* f : {"hit_rate_5", "pai_5", "hit_rate_10", "pai_10"}) {
      ASSERT_TRUE(got[m].contains(f)) << f;
      EXPECT_GE(got[m][f].get<double>(), 0);
    }
    const bool brier = std::string(m) == "hawkes" || std::string(m) == "long_run_average" ||
                       std::string(m) == "ensemble" || std::string(m) == "selected";
    EXPECT_EQ(got[m].contains("brier"), brier);
    EXPECT_EQ(got[m].contains("reliability"), brier);
    if (brier) {
      // The bins partition every cell-month; their P means stay inside them and
      // their n-weighted means give back the mean P and the event share.
      const auto& bins = got[m]["reliability"];
      ASSERT_EQ(bins.size(), 10U);
      std::int64_t n = 0;
      for (const auto& b : bins) {
        n += b["n"].get<std::int64_t>();
        if (b["n"].get<std::int64_t>() == 0) continue;
        EXPECT_GE(b["mean_predicted"].get<double>(), b["p_lo"].get<double>());
        EXPECT_LE(b["mean_predicted"].get<double>(), b["p_hi"].get<double>());
        EXPECT_GE(b["observed"].get<double>(), 0);
        EXPECT_LE(b["observed"].get<double>(), 1);
      }
      EXPECT_EQ(n, got["cells"].get<std::int64_t>() * 120);
    }
    EXPECT_LE(got[m]["hit_rate_5"].get<double>(), got[m]["hit_rate_10"].get<double>());
  }
  const auto check = testing::RunCommand(
      "python3 " + Quote((testing::TestPath("..") / "tools/backtest_check.py").string()) + " " +
      Quote(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv").string()) + " " +
      Quote(cells));
  ASSERT_EQ(check.status, 0) << check.err;
  const auto want = json::parse(check.out);
  EXPECT_EQ(got["cells"].get<int>(), want["cells"].get<int>());
  EXPECT_EQ(got["events"].get<int>(), want["events"].get<int>());
  EXPECT_EQ(got["months"].get<int>(), want["months"].get<int>());
  for (const char* m : {"persistence", "long_run_average", "decayed_history"}) {
    for (const auto& [field, value] : want[m].items()) {
      if (field == "reliability") {
        ASSERT_EQ(got[m][field].size(), value.size()) << m;
        for (std::size_t b = 0; b < value.size(); ++b) {
          for (const auto& [k, v] : value[b].items()) {
            EXPECT_NEAR(got[m][field][b][k].get<double>(), v.get<double>(), 1e-12)
                << m << ".reliability[" << b << "]." << k;
          }
        }
        continue;
      }
      EXPECT_NEAR(got[m][field].get<double>(), value.get<double>(), 1e-12) << m << "." << field;
    }
  }
  // The finding the forecast rests on (docs/methods.md): the ensemble the map
  // draws is at least as good as the Hawkes model alone on every measure.
  for (const char* f : {"hit_rate_5", "pai_5", "hit_rate_10", "pai_10"}) {
    EXPECT_GE(got["ensemble"][f].get<double>(), got["hawkes"][f].get<double>()) << f;
  }
  EXPECT_LE(got["ensemble"]["brier"].get<double>(), got["hawkes"]["brier"].get<double>());
  // The selection: one choice per evaluated month, each a pool on the simplex
  // in tenths, trained by 24 warm-up months (2008-01 to 2009-12).
  const auto& sel = got["selection"];
  EXPECT_EQ(sel["variants"], 66);
  EXPECT_EQ(sel["warmup_months"], 24);
  ASSERT_EQ(sel["weights_by_month"].size(), 120U);
  EXPECT_EQ(sel["weights_by_month"][0]["month"], "2010-01");
  EXPECT_EQ(sel["weights_by_month"][119]["month"], "2019-12");
  for (const auto& w : sel["weights_by_month"]) {
    const double sum = w["hawkes"].get<double>() + w["long_run_average"].get<double>() +
                       w["decayed_history"].get<double>();
    EXPECT_NEAR(sum, 1, 1e-9) << w.dump();
  }
  std::printf("backtest: %s\n", run.out.c_str());
}

TEST(BacktestTest, TheSelectionNeverSeesTheMonthItForecasts) {
  // A choice depends only on the months before it: the weights chosen for
  // 2015-01..2015-03 are the same whether or not the run goes on to 2015-06,
  // and the choice after the shorter run is the longer run's 4th month's.
  auto run = [](const char* last) {
    const auto r = testing::RunCommand(Corridor() + " --db " + Quote(Env::instance->db()) +
                                       " risk backtest --format json --first-month 2015-01 "
                                       "--last-month " +
                                       last);
    EXPECT_EQ(r.status, 0) << r.err;
    return json::parse(r.out.empty() ? "{}" : r.out);
  };
  const auto half = run("2015-03"), year = run("2015-06");
  ASSERT_EQ(half["selection"]["weights_by_month"].size(), 3U);
  ASSERT_EQ(year["selection"]["weights_by_month"].size(), 6U);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(half["selection"]["weights_by_month"][i], year["selection"]["weights_by_month"][i])
        << i;
  }
  auto next = half["selection"]["next_weights"];
  auto fourth = year["selection"]["weights_by_month"][3];
  EXPECT_EQ(fourth["month"], "2015-04");
  fourth.erase("month");
  EXPECT_EQ(next, fourth);
}

TEST(BacktestTest, MonthsBeforeTheFirstEventAreNotScored) {
  // UCDP GED Pakistan starts in 1989: a protocol asked to start in 1980 is
  // scored from the first event's month on (it once read before its counts).
  const auto r = testing::RunCommand(Corridor() + " --db " + Quote(Env::instance->db()) +
                                     " risk backtest --format json --first-month 1980-01 "
                                     "--last-month 1990-06");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto got = json::parse(r.out);
  EXPECT_EQ(got["first_month"].get<std::string>().substr(0, 3), "198");
  EXPECT_GT(got["first_month"].get<std::string>(), "1988-12");
  EXPECT_EQ(got["last_month"], "1990-06");
  EXPECT_EQ(got["selection"]["weights_by_month"].size(), got["months"].get<std::size_t>());
  const auto none = testing::RunCommand(Corridor() + " --db " + Quote(Env::instance->db()) +
                                        " risk backtest --first-month 1980-01 --last-month "
                                        "1981-12");
  EXPECT_NE(none.status, 0);
  EXPECT_NE(none.err.find("first event"), std::string::npos) << none.err;
}

TEST(BacktestTest, PoolVariantsAndTheirChoice) {
  const auto v = PoolVariants();
  ASSERT_EQ(v.size(), 66U);  // (h, l, d) in tenths with h + l + d = 10
  EXPECT_EQ(v.front(), (PoolWeights{.hawkes = 0.5, .long_run = 0.5, .decayed = 0}));
  for (std::size_t i = 0; i < v.size(); ++i) {
    EXPECT_NEAR(v[i].hawkes + v[i].long_run + v[i].decayed, 1, 1e-12) << i;
    for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(v[i] == v[j]) << i << " " << j;
  }
  EXPECT_EQ(ChooseVariant({3, 5, 5, 1}), 1U);  // the first of the best
  EXPECT_EQ(ChooseVariant({0, 0}), 0U);        // no history: the ensemble
}

TEST(ForecastTest, CellsAndDistrictsAgree) {
  EarlyWarningOptions o;
  o.as_of = *Date::ParseIso("2014-06-30");
  auto r = ComputeForecast(Env::instance->store(), o, 30);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->first_day.iso(), "2014-07-01");
  EXPECT_GT(r->fit.params.theta, 0);
  EXPECT_LT(r->fit.params.theta, 1);
  const double cells = std::accumulate(r->cells.begin(), r->cells.end(), 0.0,
                                       [](double s, const auto& c) { return s + c.expected; });
  const double districts = std::accumulate(r->districts.begin(), r->districts.end(), 0.0,
                                           [](double s, const auto& d) { return s + d.expected; });
  EXPECT_GT(cells, 1.0);
  EXPECT_NEAR(districts, cells, 0.02 * cells);  // districts tile the outline
  // Each cell: the ensemble is the mean of its two members.
  double long_run = 0;
  for (const auto& c : r->cells) {
    EXPECT_DOUBLE_EQ(c.expected, (c.hawkes_expected + c.long_run_expected) / 2) << c.cell.gid;
    EXPECT_GE(c.p_any, 0);
    EXPECT_LE(c.p_any, 1);
    long_run += c.long_run_expected;
  }
  // The long-run member spreads the events used over the days since the first
  // event's month: about 30 days' worth of 25 years of UCDP events.
  EXPECT_GT(long_run, 30.0 * static_cast<double>(r->events_used) / (366 * 27));
  EXPECT_LT(long_run, 30.0 * static_cast<double>(r->events_used) / (365 * 25));
  for (std::size_t k = 1; k < r->districts.size(); ++k) {
    EXPECT_GE(r->districts[k - 1].expected, r->districts[k].expected);
  }
  // Bad options.
  o.cutoff_days = 0;
  EXPECT_EQ(ComputeForecast(Env::instance->store(), o, 30).error().code,
            ErrorCode::kInvalidArgument);
  o.cutoff_days = 365;
  EXPECT_EQ(ComputeForecast(Env::instance->store(), o, 0).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(ForecastTest, CliFormats) {
  const std::string base =
      Corridor() + " --db " + Quote(Env::instance->db()) + " risk forecast --as-of 2013-12-31";
  auto table = testing::RunCommand(base);
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_NE(table.out.find("data through 2013-12-31"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("pcode"), std::string::npos);
  auto csv = testing::RunCommand(base + " --format csv --level cell");
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("gid,lat,lon,area_km2,expected,p_any\n", 0), 0u);
  EXPECT_NE(csv.err.find("data through 2013-12-31"), std::string::npos);
  auto bad = testing::RunCommand(base + " --sigma -1");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("sigma"), std::string::npos);
  auto bad_month = testing::RunCommand(Corridor() + " --db " + Quote(Env::instance->db()) +
                                       " risk backtest --first-month 2010-13");
  EXPECT_EQ(bad_month.status, 2);
}

const api::Route& FindRoute(const api::Api& a, const std::string& path) {
  for (const auto& r : a.routes()) {
    if (r.path == path) return r;
  }
  throw std::runtime_error("no route " + path);
}

TEST(ForecastApiTest, ForecastAndCachedBacktest) {
  testing::TempDir dir;
  auto harness = testing::ApiHarness::Create(Env::instance->store(), dir.path() / "keys");
  ASSERT_TRUE(harness) << harness.error().message;
  const api::Api& a = (*harness)->api();
  api::Request req = (*harness)->Authorised();
  req.query = {{"as_of", "2012-12-31"}, {"horizon", "30"}};
  auto res = FindRoute(a, "/api/v1/risk/forecast").handler(req);
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = json::parse(res.body);
  EXPECT_EQ(body["data_through"], "2012-12-31");
  EXPECT_FALSE(body["districts"].empty());
  res = FindRoute(a, "/api/v1/risk/forecast.geojson").handler(req);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.content_type, "application/geo+json");
  const auto g = json::parse(res.body);
  EXPECT_EQ(g["type"], "FeatureCollection");
  EXPECT_GT(g["features"].size(), 350u);
  EXPECT_TRUE(g["features"][0]["properties"].contains("expected"));

  req.query = {{"as_of", "2010-06-30"}};
  const auto& backtest = FindRoute(a, "/api/v1/risk/backtest");
  auto first = backtest.handler(req);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(json::parse(first.body)["months"], 6);
  auto second = backtest.handler(req);  // from the cache
  EXPECT_EQ(second.body, first.body);

  for (const auto& bad : std::vector<std::pair<std::string, std::string>>{
           {"cutoff", "0"}, {"sigma", "x"}, {"as_of", "2019-02-30"}, {"colour", "red"}}) {
    req.query = {bad};
    res = backtest.handler(req);
    EXPECT_EQ(res.status, 400) << bad.first << " " << res.body;
  }
  req.query = {{"horizon", "400"}};
  EXPECT_EQ(FindRoute(a, "/api/v1/risk/forecast").handler(req).status, 400);
}

}  // namespace
}  // namespace corridor::risk

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  corridor::risk::Env::instance = new corridor::risk::Env;
  ::testing::AddGlobalTestEnvironment(corridor::risk::Env::instance);
  return RUN_ALL_TESTS();
}
