#include "corridor/risk/early_warning.h"

#include <fmt/core.h>
#include <ogr_geometry.h>

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/PolygonArea.hpp>
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>

#include "corridor/model/incident.h"
#include "corridor/risk/columns.h"
#include "corridor/risk/laea.h"

namespace corridor::risk {
namespace {

using nlohmann::json;
constexpr int kCols = 720, kRows = 360;

std::unique_ptr<OGRGeometry> FromGeoJson(const std::string& text) {
  return std::unique_ptr<OGRGeometry>(OGRGeometryFactory::createFromGeoJson(text.c_str()));
}

// Ellipsoidal area (km²) of a polygonal geometry: each ring densified to
// 0.01° and measured by GeographicLib (holes subtract).
double EllipsoidalAreaKm2(const OGRGeometry& g) {
  const auto type = wkbFlatten(g.getGeometryType());
  if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
    double sum = 0;
    const auto& coll = *g.toGeometryCollection();
    for (int i = 0; i < coll.getNumGeometries(); ++i)
      sum += EllipsoidalAreaKm2(*coll.getGeometryRef(i));
    return sum;
  }
  if (type != wkbPolygon) return 0;
  std::unique_ptr<OGRPolygon> poly(g.toPolygon()->clone());
  poly->segmentize(0.01);
  const auto& geod = GeographicLib::Geodesic::WGS84();
  double area = 0;
  for (int r = 0; r < poly->getNumInteriorRings() + 1; ++r) {
    const OGRLinearRing* ring = r == 0 ? poly->getExteriorRing() : poly->getInteriorRing(r - 1);
    GeographicLib::PolygonArea pa(geod);
    const int n = ring->getNumPoints();
    for (int i = 0; i + 1 < n; ++i) pa.AddPoint(ring->getY(i), ring->getX(i));  // closed ring
    double perimeter = 0, a = 0;
    pa.Compute(false, true, perimeter, a);
    area += (r == 0 ? 1 : -1) * std::abs(a);
  }
  return area / 1e6;
}

std::unique_ptr<OGRPolygon> CellPolygon(int row, int col) {
  const double s = row * kPrioCellDeg - 90, w = col * kPrioCellDeg - 180;
  auto ring = std::make_unique<OGRLinearRing>();
  ring->addPoint(w, s);
  ring->addPoint(w + kPrioCellDeg, s);
  ring->addPoint(w + kPrioCellDeg, s + kPrioCellDeg);
  ring->addPoint(w, s + kPrioCellDeg);
  ring->addPoint(w, s);
  auto poly = std::make_unique<OGRPolygon>();
  poly->addRingDirectly(ring.release());
  return poly;
}

double Intersected(const OGRGeometry& area, const OGRGeometry& cell) {
  if (!area.Intersects(&cell)) return 0;
  std::unique_ptr<OGRGeometry> clip(area.Intersection(&cell));
  return clip ? EllipsoidalAreaKm2(*clip) : 0;
}

// Valid polygonal geometry of a stored boundary.
std::unique_ptr<OGRGeometry> Boundary(const std::string& geojson) {
  auto g = FromGeoJson(geojson);
  if (!g || g->IsEmpty()) return nullptr;
  if (!g->IsValid()) g.reset(g->Buffer(0));
  return g;
}

// Events for the early-warning analyses: UCDP where_prec 1–2 (exact or near)
// with a point in a cell, dated by date_start, up to `through`, sorted by
// day. Times get a fixed within-day offset: the k-th of m events of a day is
// at day + (k + ½)/m, so that same-day events are ordered, not tied.
struct CellEvents {
  std::vector<std::int32_t> day, cell;
  std::vector<double> t;
  std::int64_t outside = 0;
};

CellEvents SelectCellEvents(const IncidentColumns& c, const PrioGrid& grid, Date through) {
  std::vector<std::pair<std::int32_t, std::int32_t>> rows;  // (day, cell)
  CellEvents out;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.day[i] > through.days()) continue;
    if (c.location_precision[i] > static_cast<std::int8_t>(model::LocationPrecision::kNear))
      continue;
    if (!std::isfinite(c.lat[i]) || !std::isfinite(c.lon[i])) continue;
    const int cell = grid.CellOf(c.lat[i], c.lon[i]);
    if (cell < 0) {
      ++out.outside;
      continue;
    }
    rows.emplace_back(c.day[i], cell);
  }
  std::sort(rows.begin(), rows.end());
  out.day.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t j = i;
    while (j < rows.size() && rows[j].first == rows[i].first) ++j;
    for (std::size_t k = i; k < j; ++k) {
      out.day.push_back(rows[k].first);
      out.cell.push_back(rows[k].second);
      out.t.push_back(rows[k].first +
                      (static_cast<double>(k - i) + 0.5) / static_cast<double>(j - i));
    }
    i = j;
  }
  return out;
}

Result<void> CheckModel(const EarlyWarningOptions& o) {
  if (!(o.cutoff_days > 0) || !std::isfinite(o.cutoff_days)) {
    return Fail(ErrorCode::kInvalidArgument, "cutoff: must be > 0 days");
  }
  if (!(o.sigma_km >= 0) || !std::isfinite(o.sigma_km)) {
    return Fail(ErrorCode::kInvalidArgument, "sigma: must be >= 0 km");
  }
  return {};
}

SpatialTrigger TriggerFor(const PrioGrid& grid, double sigma_km) {
  std::vector<double> x, y;
  for (const auto& c : grid.cells) {
    x.push_back(c.x_km);
    y.push_back(c.y_km);
  }
  return MakeSpatialTrigger(x, y, sigma_km);
}

Result<Date> DataThrough(const IncidentColumns& c, const EarlyWarningOptions& o) {
  if (o.as_of) return *o.as_of;
  if (!c.latest) {
    return Fail(ErrorCode::kNotFound,
                "no incident of dataset '" + o.dataset + "' in the store (give --as-of or ingest)");
  }
  return *c.latest;
}

// Cells by descending score, ties by ascending gid.
void RankCells(const std::vector<double>& score, const PrioGrid& grid,
               std::vector<std::int32_t>& order) {
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    const double sa = score[static_cast<std::size_t>(a)], sb = score[static_cast<std::size_t>(b)];
    if (sa != sb) return sa > sb;
    return grid.cells[static_cast<std::size_t>(a)].gid <
           grid.cells[static_cast<std::size_t>(b)].gid;
  });
}

// Cells ordered by descending score, ties by ascending gid; the selection
// takes them while the cumulative area stays within `fraction` of the total.
// Returns the area taken; `take` is filled with 0/1.
double Select(const std::vector<double>& score, const PrioGrid& grid, double fraction,
              std::vector<std::int32_t>& order, std::vector<char>& take) {
  RankCells(score, grid, order);
  std::fill(take.begin(), take.end(), 0);
  const double limit = fraction * grid.total_area_km2;
  double taken = 0;
  for (const std::int32_t k : order) {
    const double a = grid.cells[static_cast<std::size_t>(k)].area_km2;
    if (taken + a > limit) break;
    taken += a;
    take[static_cast<std::size_t>(k)] = 1;
  }
  return taken;
}

struct Tally {
  double hits5 = 0, hits10 = 0, share5 = 0, share10 = 0, brier = 0;
  // Per reliability bin: cell-months, Σ P, cell-months with an event.
  std::array<double, kReliabilityBins> bin_n{}, bin_p{}, bin_y{};
  void AddProbability(double p, double y) {
    brier += (p - y) * (p - y);
    const auto b = static_cast<std::size_t>(
        std::clamp(static_cast<int>(p * kReliabilityBins), 0, kReliabilityBins - 1));
    bin_n[b] += 1;
    bin_p[b] += p;
    bin_y[b] += y;
  }
  void Add(const std::vector<double>& score, const std::vector<std::int32_t>& count,
           const PrioGrid& grid, std::vector<std::int32_t>& order, std::vector<char>& take) {
    for (const double fraction : {0.05, 0.10}) {
      const double taken = Select(score, grid, fraction, order, take);
      double hits = 0;
      for (std::size_t c = 0; c < count.size(); ++c) hits += take[c] ? count[c] : 0;
      (fraction == 0.05 ? hits5 : hits10) += hits;
      (fraction == 0.05 ? share5 : share10) += taken / grid.total_area_km2;
    }
  }
  MethodScore Score(double events, double months, bool with_brier, double cell_months) const {
    MethodScore s;
    s.hit_rate_5 = events > 0 ? hits5 / events : 0;
    s.hit_rate_10 = events > 0 ? hits10 / events : 0;
    s.pai_5 = share5 > 0 ? s.hit_rate_5 / (share5 / months) : 0;
    s.pai_10 = share10 > 0 ? s.hit_rate_10 / (share10 / months) : 0;
    if (!with_brier) return s;
    s.brier = brier / cell_months;
    s.reliability.reserve(kReliabilityBins);
    for (std::size_t b = 0; b < kReliabilityBins; ++b) {
      const double lo = static_cast<double>(b) / kReliabilityBins;
      const double n = bin_n[b];
      s.reliability.push_back({.p_lo = lo,
                               .p_hi = lo + 1.0 / kReliabilityBins,
                               .n = static_cast<std::int64_t>(n),
                               .mean_predicted = n > 0 ? bin_p[b] / n : 0,
                               .observed = n > 0 ? bin_y[b] / n : 0});
    }
    return s;
  }
};

// Events in the cells ranked first by `score` within 5 % and within 10 % of
// the area (Select's order and rule), summed: the selection's objective.
double HitsAt5And10(const std::vector<double>& score, const std::vector<std::int32_t>& count,
                    const PrioGrid& grid, std::vector<std::int32_t>& order) {
  RankCells(score, grid, order);
  double hits = 0, taken = 0;
  bool in5 = true;
  for (const std::int32_t k : order) {
    const auto c = static_cast<std::size_t>(k);
    taken += grid.cells[c].area_km2;
    if (taken > 0.10 * grid.total_area_km2) break;
    in5 = in5 && taken <= 0.05 * grid.total_area_km2;
    hits += (in5 ? 2 : 1) * count[c];
  }
  return hits;
}

int MonthIndex(Date d) { return d.year() * 12 + d.month() - 1; }
Date MonthStart(int index) { return *Date::FromYmd(index / 12, index % 12 + 1, 1); }

nlohmann::ordered_json ScoreJson(const MethodScore& s) {
  nlohmann::ordered_json out = {{"hit_rate_5", s.hit_rate_5},
                                {"pai_5", s.pai_5},
                                {"hit_rate_10", s.hit_rate_10},
                                {"pai_10", s.pai_10}};
  if (s.brier) out["brier"] = *s.brier;
  if (!s.reliability.empty()) {
    nlohmann::ordered_json bins = nlohmann::ordered_json::array();
    for (const auto& b : s.reliability) {
      bins.push_back({{"p_lo", b.p_lo},
                      {"p_hi", b.p_hi},
                      {"n", b.n},
                      {"mean_predicted", b.mean_predicted},
                      {"observed", b.observed}});
    }
    out["reliability"] = std::move(bins);
  }
  return out;
}

nlohmann::ordered_json WeightsJson(const PoolWeights& w) {
  return {{"hawkes", w.hawkes}, {"long_run_average", w.long_run}, {"decayed_history", w.decayed}};
}

}  // namespace

std::vector<PoolWeights> PoolVariants() {
  std::vector<PoolWeights> out{{.hawkes = 0.5, .long_run = 0.5, .decayed = 0}};
  for (int h = 0; h <= 10; ++h) {
    for (int l = 0; h + l <= 10; ++l) {
      const PoolWeights w{.hawkes = h / 10.0, .long_run = l / 10.0, .decayed = (10 - h - l) / 10.0};
      if (!(w == out.front())) out.push_back(w);
    }
  }
  return out;
}

std::size_t ChooseVariant(const std::vector<double>& hits) {
  return static_cast<std::size_t>(std::max_element(hits.begin(), hits.end()) - hits.begin());
}

std::int32_t PrioGid(double lat, double lon) {
  const int row = static_cast<int>(std::floor((lat + 90) / kPrioCellDeg));
  const int col = static_cast<int>(std::floor((lon + 180) / kPrioCellDeg));
  return row * kCols + col + 1;
}

int PrioGrid::CellOf(double lat, double lon) const {
  if (!(lat >= -90 && lat < 90 && lon >= -180 && lon < 180)) return -1;
  const std::int32_t gid = PrioGid(lat, lon);
  if (gid < 1 || static_cast<std::size_t>(gid) > index.size()) return -1;
  return index[static_cast<std::size_t>(gid - 1)];
}

namespace {

// Clipping and measuring is the slow part of a forecast: the grid and the
// district shares are kept per process, keyed by the boundaries' text.
struct DistrictShares {
  std::string pcode, name;
  double area_km2 = 0;
  std::vector<std::pair<std::int32_t, double>> cells;  // (cell index, area share of the cell)
};
std::mutex geometry_cache_mutex;
std::map<std::size_t, PrioGrid>& GridCache() {
  static std::map<std::size_t, PrioGrid> cache;
  return cache;
}
std::map<std::size_t, std::vector<DistrictShares>>& DistrictCache() {
  static std::map<std::size_t, std::vector<DistrictShares>> cache;
  return cache;
}
std::size_t AreasKey(const std::vector<model::Area>& areas, std::size_t seed = 0) {
  std::size_t h = seed;
  for (const auto& a : areas) {
    h = h * 1'000'003 ^ std::hash<std::string>{}(a.pcode);
    h = h * 1'000'003 ^ std::hash<std::string>{}(a.geometry);
  }
  return h;
}

}  // namespace

Result<PrioGrid> BuildPrioGrid(const store::Store& store) {
  auto areas = store.ListAreas(0, /*with_geometry=*/true);
  if (!areas) return Fail(areas.error());
  const std::size_t key = AreasKey(*areas);
  {
    std::lock_guard lock(geometry_cache_mutex);
    if (auto it = GridCache().find(key); it != GridCache().end()) return it->second;
  }
  std::unique_ptr<OGRGeometry> outline;
  PrioGrid grid;
  for (const auto& a : *areas) {
    auto g = Boundary(a.geometry);
    if (!g) continue;
    grid.outline += (grid.outline.empty() ? "" : ",") + a.pcode;
    outline = outline ? std::unique_ptr<OGRGeometry>(outline->Union(g.get())) : std::move(g);
  }
  if (!outline) {
    return Fail(ErrorCode::kNotFound,
                "no level-0 boundary in the store (corridor areas load --level 0 ...): the "
                "early-warning grid is the PRIO-GRID cells over the country outline");
  }
  OGREnvelope e;
  outline->getEnvelope(&e);
  const int row0 = static_cast<int>(std::floor((e.MinY + 90) / kPrioCellDeg));
  const int row1 = static_cast<int>(std::floor((e.MaxY + 90) / kPrioCellDeg));
  const int col0 = static_cast<int>(std::floor((e.MinX + 180) / kPrioCellDeg));
  const int col1 = static_cast<int>(std::floor((e.MaxX + 180) / kPrioCellDeg));
  for (int row = std::max(row0, 0); row <= std::min(row1, kRows - 1); ++row) {
    for (int col = std::max(col0, 0); col <= std::min(col1, kCols - 1); ++col) {
      const auto cell = CellPolygon(row, col);
      const double area = Intersected(*outline, *cell);
      if (!(area > 0)) continue;
      grid.cells.push_back({row * kCols + col + 1, row, col, area, 0, 0});
    }
  }
  if (grid.cells.empty()) return Fail(ErrorCode::kNotFound, "the level-0 boundary covers no cell");
  // Row-major from the south-west is ascending gid already.
  grid.index.assign(static_cast<std::size_t>(kRows) * kCols, -1);
  for (std::size_t k = 0; k < grid.cells.size(); ++k) {
    grid.index[static_cast<std::size_t>(grid.cells[k].gid - 1)] = static_cast<std::int32_t>(k);
    grid.total_area_km2 += grid.cells[k].area_km2;
  }
  auto plane = LaeaProjection::Create((e.MinY + e.MaxY) / 2, (e.MinX + e.MaxX) / 2);
  if (!plane) return Fail(plane.error());
  std::vector<double> lat, lon, x(grid.cells.size()), y(grid.cells.size());
  for (const auto& c : grid.cells) {
    lat.push_back((c.row + 0.5) * kPrioCellDeg - 90);
    lon.push_back((c.col + 0.5) * kPrioCellDeg - 180);
  }
  plane->Forward(lat, lon, x, y);
  for (std::size_t k = 0; k < grid.cells.size(); ++k) {
    grid.cells[k].x_km = x[k];
    grid.cells[k].y_km = y[k];
  }
  std::lock_guard lock(geometry_cache_mutex);
  if (GridCache().size() > 8) GridCache().clear();
  GridCache()[key] = grid;
  return grid;
}

void WritePrioGridCsv(std::ostream& out, const PrioGrid& grid) {
  out << "gid,row,col,area_km2\n";
  for (const auto& c : grid.cells) {
    out << fmt::format("{},{},{},{}\n", c.gid, c.row, c.col, c.area_km2);
  }
}

Result<ForecastReport> ComputeForecast(const store::Store& store, const EarlyWarningOptions& o,
                                       double horizon_days) {
  if (auto ok = CheckModel(o); !ok) return Fail(ok.error());
  if (!(horizon_days > 0 && horizon_days <= 366)) {
    return Fail(ErrorCode::kInvalidArgument, "horizon: must be in (0, 366] days");
  }
  auto columns = LoadIncidentColumns(store, o.dataset);
  if (!columns) return Fail(columns.error());
  auto through = DataThrough(*columns, o);
  if (!through) return Fail(through.error());
  auto grid = BuildPrioGrid(store);
  if (!grid) return Fail(grid.error());
  const CellEvents ce = SelectCellEvents(*columns, *grid, *through);
  if (ce.t.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no event with a precise point in the grid up to " + through->iso());
  }
  ForecastReport r;
  r.dataset = o.dataset;
  r.data_through = *through;
  r.first_day = Date(through->days() + 1);
  r.horizon_days = horizon_days;
  r.options = o;
  r.events_used = static_cast<std::int64_t>(ce.t.size());
  r.events_outside = ce.outside;
  const SpatialTrigger tr = TriggerFor(*grid, o.sigma_km);
  HawkesEvents ev{ce.t, ce.cell};
  const double t0 = ce.day.front(), t1 = through->days() + 1;
  auto fit = FitHawkes(ev, tr, t0, t1,
                       {.cutoff_days = o.cutoff_days, .threads = o.threads, .budget = o.budget});
  if (!fit) return Fail(fit.error());
  r.fit = *fit;
  const auto hawkes = ForecastHawkes(ev, tr, fit->params, t1, horizon_days, o.cutoff_days);
  // The long-run average: each cell's events per day from the first day of the
  // earliest event's month, and the share of calendar months (that one to the
  // month of data_through) with an event.
  const std::size_t cells = grid->cells.size();
  const int m0 = MonthIndex(Date(ce.day.front())), m1 = MonthIndex(*through);
  const double days = static_cast<double>(through->days() - MonthStart(m0).days() + 1);
  // Events come in day order, so a cell's months with an event are counted
  // as its month changes.
  std::vector<double> total(cells, 0);
  std::vector<int> months_with(cells, 0), last_month(cells, m0 - 1);
  for (std::size_t i = 0; i < ce.t.size(); ++i) {
    const auto c = static_cast<std::size_t>(ce.cell[i]);
    const int month = MonthIndex(Date(ce.day[i]));
    total[c] += 1;
    months_with[c] += month != last_month[c];
    last_month[c] = month;
  }
  r.cells.reserve(cells);
  for (std::size_t k = 0; k < cells; ++k) {
    const double long_run = total[k] / days * horizon_days;
    const double share = static_cast<double>(months_with[k]) / (m1 - m0 + 1);
    r.cells.push_back({.cell = grid->cells[k],
                       .expected = (hawkes[k] + long_run) / 2,
                       .p_any = (1 - std::exp(-hawkes[k]) + share) / 2,
                       .hawkes_expected = hawkes[k],
                       .long_run_expected = long_run});
  }
  // Districts: each cell's expectation shared by the area of cell ∩ district.
  auto districts = store.ListAreas(2, /*with_geometry=*/true);
  if (!districts) return Fail(districts.error());
  const std::size_t key = AreasKey(*districts, grid->cells.size() * 7919 + grid->cells[0].gid);
  std::vector<DistrictShares> shares;
  {
    std::lock_guard lock(geometry_cache_mutex);
    if (auto it = DistrictCache().find(key); it != DistrictCache().end()) shares = it->second;
  }
  if (shares.empty()) {
    for (const auto& d : *districts) {
      auto g = Boundary(d.geometry);
      if (!g) continue;
      OGREnvelope e;
      g->getEnvelope(&e);
      DistrictShares ds{d.pcode, d.name, 0, {}};
      for (std::size_t k = 0; k < grid->cells.size(); ++k) {
        const auto& c = grid->cells[k];
        const double s = c.row * kPrioCellDeg - 90, w = c.col * kPrioCellDeg - 180;
        if (s > e.MaxY || s + kPrioCellDeg < e.MinY || w > e.MaxX || w + kPrioCellDeg < e.MinX) {
          continue;
        }
        const double a = Intersected(*g, *CellPolygon(c.row, c.col));
        if (!(a > 0)) continue;
        ds.area_km2 += a;
        ds.cells.emplace_back(static_cast<std::int32_t>(k), std::min(1.0, a / c.area_km2));
      }
      shares.push_back(std::move(ds));
    }
    std::lock_guard lock(geometry_cache_mutex);
    if (DistrictCache().size() > 8) DistrictCache().clear();
    DistrictCache()[key] = shares;
  }
  for (const auto& ds : shares) {
    DistrictForecast df{ds.pcode, ds.name, ds.area_km2, 0, 0};
    for (const auto& [k, share] : ds.cells)
      df.expected += r.cells[static_cast<std::size_t>(k)].expected * share;
    df.p_any = 1 - std::exp(-df.expected);
    r.districts.push_back(std::move(df));
  }
  std::stable_sort(r.districts.begin(), r.districts.end(),
                   [](const auto& a, const auto& b) { return a.expected > b.expected; });
  return r;
}

json ToJson(const ForecastReport& r) {
  json cells = json::array(), districts = json::array();
  for (const auto& c : r.cells) {
    cells.push_back({{"gid", c.cell.gid},
                     {"row", c.cell.row},
                     {"col", c.cell.col},
                     {"lat", (c.cell.row + 0.5) * kPrioCellDeg - 90},
                     {"lon", (c.cell.col + 0.5) * kPrioCellDeg - 180},
                     {"area_km2", c.cell.area_km2},
                     {"expected", c.expected},
                     {"p_any", c.p_any},
                     {"hawkes_expected", c.hawkes_expected},
                     {"long_run_expected", c.long_run_expected}});
  }
  for (const auto& d : r.districts) {
    districts.push_back({{"pcode", d.pcode},
                         {"name", d.name},
                         {"area_km2", d.area_km2},
                         {"expected", d.expected},
                         {"p_any", d.p_any}});
  }
  return {{"type", "corridor.forecast"},
          {"dataset", r.dataset},
          {"data_through", r.data_through.iso()},
          {"first_day", r.first_day.iso()},
          {"horizon_days", r.horizon_days},
          {"events_used", r.events_used},
          {"events_outside_grid", r.events_outside},
          {"model",
           {{"kind", "ensemble"},
            {"members", {"grid Hawkes, exponential kernel", "long-run average"}},
            {"weights", {0.5, 0.5}},
            {"theta", r.fit.params.theta},
            {"omega_per_day", r.fit.params.omega},
            {"mean_delay_days", 1 / r.fit.params.omega},
            {"cutoff_days", r.options.cutoff_days},
            {"sigma_km", r.options.sigma_km},
            {"background_per_day",
             std::accumulate(r.fit.params.mu.begin(), r.fit.params.mu.end(), 0.0)},
            {"log_likelihood", r.fit.log_likelihood},
            {"iterations", r.fit.iterations},
            {"converged", r.fit.converged}}},
          {"cells", cells},
          {"districts", districts}};
}

json ForecastGeoJson(const ForecastReport& r) {
  json features = json::array();
  for (const auto& c : r.cells) {
    const double s = c.cell.row * kPrioCellDeg - 90, w = c.cell.col * kPrioCellDeg - 180;
    const double n = s + kPrioCellDeg, e = w + kPrioCellDeg;
    features.push_back(
        {{"type", "Feature"},
         {"geometry",
          {{"type", "Polygon"},
           {"coordinates", json::array({json::array({{w, s}, {e, s}, {e, n}, {w, n}, {w, s}})})}}},
         {"properties",
          {{"gid", c.cell.gid},
           {"expected", c.expected},
           {"p_any", c.p_any},
           {"hawkes_expected", c.hawkes_expected},
           {"long_run_expected", c.long_run_expected},
           {"area_km2", c.cell.area_km2}}}});
  }
  return {{"type", "FeatureCollection"},
          {"data_through", r.data_through.iso()},
          {"first_day", r.first_day.iso()},
          {"horizon_days", r.horizon_days},
          {"model", "ensemble"},
          {"features", features}};
}

Result<BacktestReport> RunBacktest(const store::Store& store, const BacktestOptions& o,
                                   PrioGrid* grid_out) {
  if (auto ok = CheckModel(o.model); !ok) return Fail(ok.error());
  const auto first = Date::FromYmd(o.first_year, o.first_month, 1);
  const auto last = Date::FromYmd(o.last_year, o.last_month, 1);
  if (!first || !last || *last < *first) {
    return Fail(ErrorCode::kInvalidArgument, "months: the first month must not be after the last");
  }
  if (!(o.decay_days > 0)) return Fail(ErrorCode::kInvalidArgument, "decay: must be > 0 days");
  auto columns = LoadIncidentColumns(store, o.model.dataset);
  if (!columns) return Fail(columns.error());
  auto through = DataThrough(*columns, o.model);
  if (!through) return Fail(through.error());
  auto grid = BuildPrioGrid(store);
  if (!grid) return Fail(grid.error());
  const CellEvents ce = SelectCellEvents(*columns, *grid, *through);
  if (ce.t.empty()) return Fail(ErrorCode::kNotFound, "no event with a precise point in the grid");

  // The months evaluated: those of [first, last] that start on or before
  // `through` (events after it are not counted, so a month cut by --as-of is
  // scored on its observed part).
  int m_first = MonthIndex(*first), m_last = MonthIndex(*last);
  while (m_last >= m_first && MonthStart(m_last).days() > through->days()) --m_last;
  if (m_last < m_first) {
    return Fail(ErrorCode::kNotFound, "no month of the protocol starts by " + through->iso());
  }
  const std::size_t cells = grid->cells.size(), n = ce.t.size();
  // Monthly counts per cell from the earliest event's month on.
  const int m0 = MonthIndex(Date(ce.day.front()));
  // Months before the earliest event's have no counts to score or learn from.
  m_first = std::max(m_first, m0);
  if (m_last < m_first) {
    return Fail(ErrorCode::kNotFound, "no month of the protocol ends after the first event");
  }
  const int span = std::max(m_last, MonthIndex(Date(ce.day.back()))) - m0 + 1;
  std::vector<std::int32_t> counts(static_cast<std::size_t>(span) * cells, 0);
  auto count = [&](int month, std::size_t c) -> std::int32_t& {
    return counts[static_cast<std::size_t>(month - m0) * cells + c];
  };
  for (std::size_t i = 0; i < n; ++i)
    ++count(MonthIndex(Date(ce.day[i])), static_cast<std::size_t>(ce.cell[i]));

  BacktestReport r;
  r.dataset = o.model.dataset;
  r.data_through = *through;
  r.options = o;
  r.first_month = fmt::format("{:04}-{:02}", m_first / 12, m_first % 12 + 1);
  r.last_month = fmt::format("{:04}-{:02}", m_last / 12, m_last % 12 + 1);
  r.cells = static_cast<std::int64_t>(cells);
  r.events_total = static_cast<std::int64_t>(n);
  const SpatialTrigger tr = TriggerFor(*grid, o.model.sigma_km);

  Tally hawkes, persistence, long_run, decayed, ensemble, selected;
  std::vector<double> s_hawkes(cells), s_persist(cells), s_long(cells), s_decay(cells),
      s_ensemble(cells), s_rate(cells), s_selected(cells), s_variant(cells);
  const std::vector<PoolWeights> variants = PoolVariants();
  std::vector<double> gain(variants.size(), 0);  // hits of each variant over earlier months
  // The warm-up months train the selection only; the first needs a month before it.
  const int m_start = std::max(m_first - std::max(0, o.selection_warmup_months), m0 + 1);
  std::vector<std::int32_t> month_count(cells), order(cells);
  std::vector<char> take(cells);
  std::vector<std::int64_t> total_before(cells, 0), months_with(cells, 0);
  HawkesParams warm;
  bool have_warm = false;
  double iterations = 0;
  std::size_t before = 0;  // events with day < the month's first day
  for (int m = m0; m < std::min(m_start, m_first); ++m) {
    for (std::size_t c = 0; c < cells; ++c) {
      total_before[c] += count(m, c);
      months_with[c] += count(m, c) > 0;
    }
  }
  for (int m = std::min(m_start, m_first); m <= m_last; ++m) {
    if (auto ok = Budget::Progress(
            o.model.budget, static_cast<double>(m - m_start) / std::max(1, m_last - m_start + 1));
        !ok) {
      return Fail(ok.error());
    }
    const bool scored = m >= m_first;
    // The scored months' fits start as they would without a warm-up.
    if (m == m_first) have_warm = false;
    const Date start = MonthStart(m);
    const double days = MonthStart(m + 1).days() - start.days();
    while (before < n && ce.day[before] < start.days()) ++before;
    const double months_since = m - m0;  // months from the earliest event's month to m − 1
    for (std::size_t c = 0; c < cells; ++c) {
      month_count[c] = count(m, c);
      if (scored) r.events += month_count[c];
      s_persist[c] = m - 1 >= m0 ? count(m - 1, c) : 0;
      s_long[c] = months_since > 0 ? static_cast<double>(total_before[c]) / months_since : 0;
      s_decay[c] = 0;
    }
    for (std::size_t i = 0; i < before; ++i) {
      s_decay[static_cast<std::size_t>(ce.cell[i])] +=
          std::exp(-static_cast<double>(start.days() - ce.day[i]) / o.decay_days);
    }
    // The model, fitted to the events before the month, warm-started.
    std::fill(s_hawkes.begin(), s_hawkes.end(), 0.0);
    if (before > 0) {
      HawkesEvents ev;
      ev.t.assign(ce.t.begin(), ce.t.begin() + static_cast<std::ptrdiff_t>(before));
      ev.cell.assign(ce.cell.begin(), ce.cell.begin() + static_cast<std::ptrdiff_t>(before));
      auto fit = FitHawkes(ev, tr, ce.day.front(), start.days(),
                           {.cutoff_days = o.model.cutoff_days,
                            .start = have_warm ? &warm : nullptr,
                            .threads = o.model.threads,
                            .budget = o.model.budget});
      if (!fit) return Fail(fit.error());
      warm = fit->params;
      have_warm = true;
      if (scored) iterations += fit->iterations;
      r.last_log_likelihood = fit->log_likelihood;
      s_hawkes = ForecastHawkes(ev, tr, fit->params, start.days(), days, o.model.cutoff_days);
    }
    // The selection: chosen on earlier months, then every variant scored on
    // this one for the months after it.
    const PoolWeights w = variants[ChooseVariant(gain)];
    for (std::size_t c = 0; c < cells; ++c) {
      s_ensemble[c] = (s_hawkes[c] + s_long[c]) / 2;
      s_rate[c] = s_decay[c] * days / o.decay_days;
      s_selected[c] = w.hawkes * s_hawkes[c] + w.long_run * s_long[c] + w.decayed * s_rate[c];
    }
    for (std::size_t k = 0; k < variants.size(); ++k) {
      const PoolWeights& v = variants[k];
      for (std::size_t c = 0; c < cells; ++c)
        s_variant[c] = v.hawkes * s_hawkes[c] + v.long_run * s_long[c] + v.decayed * s_rate[c];
      gain[k] += HitsAt5And10(s_variant, month_count, *grid, order);
    }
    if (scored) {
      r.selected_weights.push_back(w);
      hawkes.Add(s_hawkes, month_count, *grid, order, take);
      ensemble.Add(s_ensemble, month_count, *grid, order, take);
      selected.Add(s_selected, month_count, *grid, order, take);
      persistence.Add(s_persist, month_count, *grid, order, take);
      long_run.Add(s_long, month_count, *grid, order, take);
      decayed.Add(s_decay, month_count, *grid, order, take);
    } else {
      ++r.selection_months;
    }
    for (std::size_t c = 0; c < cells; ++c) {
      const double y = month_count[c] > 0 ? 1 : 0;
      const double ph = 1 - std::exp(-s_hawkes[c]);
      const double pl = months_since > 0 ? static_cast<double>(months_with[c]) / months_since : 0;
      const double pd = 1 - std::exp(-s_rate[c]);
      if (scored) {
        hawkes.AddProbability(ph, y);
        long_run.AddProbability(pl, y);
        ensemble.AddProbability((ph + pl) / 2, y);
        selected.AddProbability(w.hawkes * ph + w.long_run * pl + w.decayed * pd, y);
      }
      total_before[c] += month_count[c];
      months_with[c] += month_count[c] > 0;
    }
  }
  r.next_weights = variants[ChooseVariant(gain)];
  r.months = m_last - m_first + 1;
  const double events = static_cast<double>(r.events), months = static_cast<double>(r.months);
  const double cell_months = months * static_cast<double>(cells);
  r.hawkes = hawkes.Score(events, months, true, cell_months);
  r.persistence = persistence.Score(events, months, false, cell_months);
  r.long_run_average = long_run.Score(events, months, true, cell_months);
  r.decayed_history = decayed.Score(events, months, false, cell_months);
  r.ensemble = ensemble.Score(events, months, true, cell_months);
  r.selected = selected.Score(events, months, true, cell_months);
  r.last_params = warm;
  r.mean_iterations = iterations / months;
  if (grid_out) *grid_out = std::move(*grid);
  return r;
}

namespace {

nlohmann::ordered_json SelectionJson(const BacktestReport& r) {
  nlohmann::ordered_json by_month = nlohmann::ordered_json::array();
  const auto first = Date::ParseIso(r.first_month + "-01");
  for (std::size_t i = 0; first && i < r.selected_weights.size(); ++i) {
    const int m = MonthIndex(*first) + static_cast<int>(i);
    nlohmann::ordered_json row = {{"month", fmt::format("{:04}-{:02}", m / 12, m % 12 + 1)}};
    const auto weights = WeightsJson(r.selected_weights[i]);
    for (const auto& [k, v] : weights.items()) row[k] = v;
    by_month.push_back(std::move(row));
  }
  return {{"variants", PoolVariants().size()},
          {"warmup_months", r.selection_months},
          {"objective",
           "events in the cells ranked within 5 % and within 10 % of the area, summed "
           "over earlier months"},
          {"next_weights", WeightsJson(r.next_weights)},
          {"weights_by_month", std::move(by_month)}};
}

}  // namespace

nlohmann::ordered_json BacktestJson(const BacktestReport& r) {
  return nlohmann::ordered_json{{"hawkes", ScoreJson(r.hawkes)},
                                {"persistence", ScoreJson(r.persistence)},
                                {"long_run_average", ScoreJson(r.long_run_average)},
                                {"decayed_history", ScoreJson(r.decayed_history)},
                                {"ensemble", ScoreJson(r.ensemble)},
                                {"selected", ScoreJson(r.selected)},
                                {"cells", r.cells},
                                {"events", r.events},
                                {"months", r.months},
                                {"data_through", r.data_through.iso()},
                                {"first_month", r.first_month},
                                {"last_month", r.last_month},
                                {"selection", SelectionJson(r)}};
}

}  // namespace corridor::risk
