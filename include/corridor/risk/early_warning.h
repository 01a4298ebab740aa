// Early warning (issue 4 §4, docs/methods.md "Early warning"): the grid Hawkes
// model of hawkes.h on PRIO-GRID cells over the store's country outline, its
// 30-day forecasts per cell and district, and the rolling-origin backtest
// against persistence, long-run average and decayed-history baselines, by the
// issue's default protocol. The JSON forms are shared by the CLI and the API.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/risk/hawkes.h"
#include "corridor/store/store.h"

namespace corridor::risk {

// ---- PRIO-GRID cells

inline constexpr double kPrioCellDeg = 0.5;

// gid = row·720 + col + 1, row = ⌊(lat+90)/0.5⌋, col = ⌊(lon+180)/0.5⌋.
std::int32_t PrioGid(double lat, double lon);

struct PrioCell {
  std::int32_t gid = 0;
  int row = 0, col = 0;
  double area_km2 = 0;        // of the cell ∩ the country outline, on the WGS84 ellipsoid
  double x_km = 0, y_km = 0;  // centre in the LAEA plane of the country (for σ)
};

// The cells that intersect the store's level-0 boundary, ascending gid, each
// weighted by the ellipsoidal area of the intersection (GDAL/GEOS clips; the
// clipped rings are densified to 0.01° and measured by GeographicLib's
// PolygonArea on WGS84). Cells whose intersection has no area are left out.
// kNotFound when the store has no level-0 area. The result is kept per process,
// keyed by the boundaries (clipping is the slow part); thread-safe.
struct PrioGrid {
  std::vector<PrioCell> cells;
  double total_area_km2 = 0;                 // Σ area_km2 in ascending gid order
  std::string outline;                       // P-code(s) of the level-0 area(s)
  std::vector<std::int32_t> index;           // gid − 1 → cell index, or −1 (size 259200)
  int CellOf(double lat, double lon) const;  // −1 when in no cell
};
Result<PrioGrid> BuildPrioGrid(const store::Store& store);

// "gid,row,col,area_km2" (areas printed round-trip exact): the input that
// tools/backtest_check.py takes instead of clipping shapefiles itself.
void WritePrioGridCsv(std::ostream& out, const PrioGrid& grid);

// ---- model options shared by the forecast and the backtest

struct EarlyWarningOptions {
  std::string dataset = "ucdp-ged";
  std::optional<Date> as_of;  // default: the dataset's latest date_end
  double cutoff_days = 365;   // D of hawkes.h
  double sigma_km = 0;        // Gaussian spatial trigger; 0: offspring stay in their cell
  int threads = 0;
  const Budget* budget = nullptr;  // time, progress, cancellation (null: unlimited)
};

// ---- forecast

// The forecast is the backtest's ensemble (docs/methods.md): the mean of the
// grid Hawkes model's expectation and the long-run average's, and of their
// probabilities of at least one event. It beats the Hawkes model alone on
// every measure of the backtest.
struct CellForecast {
  PrioCell cell;
  double expected = 0;  // events expected in the horizon: (hawkes + long_run) / 2
  double p_any = 0;     // (1 − e^{−hawkes} + share of months with an event) / 2
  double hawkes_expected = 0;
  double long_run_expected = 0;  // events per day up to data_through × horizon
};

struct DistrictForecast {
  std::string pcode, name;
  double area_km2 = 0;  // covered by the grid
  double expected = 0;  // Σ over cells of expected × (cell ∩ district area) / cell area
  double p_any = 0;     // 1 − e^{−expected}
};

struct ForecastReport {
  std::string dataset;
  Date data_through;
  Date first_day;  // data_through + 1
  double horizon_days = 30;
  EarlyWarningOptions options;
  std::int64_t events_used = 0;     // where_prec 1–2 in a cell, up to data_through
  std::int64_t events_outside = 0;  // precise enough but in no cell
  HawkesFit fit;
  std::vector<CellForecast> cells;          // ascending gid
  std::vector<DistrictForecast> districts;  // descending expected
};

// kInvalidArgument for bad options (horizon not in (0, 366], cut-off <= 0,
// σ < 0), kNotFound when there is no outline or no event.
Result<ForecastReport> ComputeForecast(const store::Store& store,
                                       const EarlyWarningOptions& options,
                                       double horizon_days = 30);
nlohmann::json ToJson(const ForecastReport& report);
// Cells as GeoJSON squares (WGS84) with gid, expected, p_any, area_km2.
nlohmann::json ForecastGeoJson(const ForecastReport& report);

// ---- backtest

struct BacktestOptions {
  EarlyWarningOptions model;
  int first_year = 2010, first_month = 1;  // the protocol's months
  int last_year = 2019, last_month = 12;
  double decay_days = 180;  // decayed history's e-folding time
  // Months before the first whose forecasts only train the selection (below):
  // they are forecast and scored for it, and never counted in any score.
  int selection_warmup_months = 24;
};

// ---- the selected pool (WAVE2: "choose among model variants on earlier
// origins only; report the held-out result")
//
// A variant is a linear pool of three forecasts of a month's count per cell:
// the Hawkes model's, the long-run average's and the decayed history's (its
// Σ e^{−age/τ} read as a rate: × days / τ). Weights are tenths on the simplex:
// 66 variants, the equal Hawkes + long-run pool (the ensemble) first. Each
// month, the variant with the most hits at 5 % and 10 % of the area, summed
// over every earlier month (warm-up months included), forecasts it; ties go
// to the earlier variant. The month's own outcome never enters its choice.
struct PoolWeights {
  double hawkes = 0, long_run = 0, decayed = 0;
  bool operator==(const PoolWeights&) const = default;
};
std::vector<PoolWeights> PoolVariants();

// The variant chosen for a month from the hits so far: index of the largest
// `hits[k]`, the first on ties. REQUIRES: !hits.empty().
std::size_t ChooseVariant(const std::vector<double>& hits);

// One bin of a reliability diagram: the cell-months whose forecast
// probability P of at least one event fell in [p_lo, p_hi) (the last bin
// includes 1), their mean P and the share of them that had an event.
struct ReliabilityBin {
  double p_lo = 0, p_hi = 0;
  std::int64_t n = 0;
  double mean_predicted = 0, observed = 0;  // 0 when n is 0
};
inline constexpr int kReliabilityBins = 10;  // equal width in P

struct MethodScore {
  double hit_rate_5 = 0, pai_5 = 0, hit_rate_10 = 0, pai_10 = 0;
  std::optional<double> brier;
  std::vector<ReliabilityBin> reliability;  // kReliabilityBins when brier is set, else empty
};

struct BacktestReport {
  std::string dataset;
  Date data_through;
  std::string first_month, last_month;  // "YYYY-MM"
  BacktestOptions options;
  MethodScore hawkes, persistence, long_run_average, decayed_history;
  // The mean of the model's and the long-run average's expected counts (the
  // ranking) and of their probabilities (the Brier score): a linear pool.
  MethodScore ensemble;
  // The pool chosen each month on earlier months only (above): the held-out
  // score of the selection procedure, not of one variant.
  MethodScore selected;
  std::vector<PoolWeights> selected_weights;  // per evaluated month, in order
  PoolWeights next_weights;                   // the choice for the month after the last
  std::int64_t selection_months = 0;          // warm-up months that trained the choice
  std::int64_t cells = 0;
  std::int64_t events = 0;  // events in the evaluated months (the pooled denominator)
  std::int64_t months = 0;
  std::int64_t events_total = 0;  // in cells, up to data_through (training + evaluation)
  HawkesParams last_params;       // the fit for the last month
  double last_log_likelihood = 0;
  double mean_iterations = 0;
};

// Runs the protocol. Months starting after data_through are not evaluated;
// events after data_through are not counted. `grid_out`
// receives the cells used. kNotFound when no month can be evaluated.
Result<BacktestReport> RunBacktest(const store::Store& store, const BacktestOptions& options,
                                   PrioGrid* grid_out = nullptr);
// Exactly {"hawkes":{…},"persistence":{…},"long_run_average":{…},
// "decayed_history":{…},"ensemble":{…},"selected":{…},"cells":…,"events":…,
// "months":…,"data_through":"YYYY-MM-DD","first_month":"YYYY-MM",
// "last_month":"YYYY-MM","selection":{"variants","warmup_months",
// "objective","next_weights":{"hawkes","long_run_average","decayed_history"},
// "weights_by_month":[{"month","hawkes","long_run_average","decayed_history"},…]}}
// (each month is forecast whole, from its first day); a method with a Brier score also has
// "reliability":
// [{"p_lo","p_hi","n","mean_predicted","observed"}, …].
nlohmann::ordered_json BacktestJson(const BacktestReport& report);

}  // namespace corridor::risk
