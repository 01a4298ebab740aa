// `corridor risk hotspots|gistar|knox` (docs/methods.md, "Hotspots").
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "cli/caller.h"
#include "cli/output.h"
#include "cli/risk_command.h"
#include "corridor/risk/hotspots.h"
#include "corridor/risk/impact.h"
#include "corridor/risk/laea.h"
#include "corridor/store/store.h"

namespace corridor::cli {
namespace {

std::string Num(double v) { return fmt::format("{}", v); }

// The event window, common to the three commands.
struct WindowFlags {
  std::string dataset = "ucdp-ged";
  std::string as_of, from, to;
  std::string violence_types = "1,2,3";
  std::string precision = "near";
};

void AddWindowFlags(CLI::App* cmd, WindowFlags& f) {
  cmd->add_option("--dataset", f.dataset, "One dataset of the store (sources are never mixed)")
      ->capture_default_str();
  cmd->add_option("--as-of", f.as_of,
                  "Use events dated up to this day, YYYY-MM-DD (default: the dataset's latest)");
  cmd->add_option("--from", f.from, "First day of the window, YYYY-MM-DD (default: none)");
  cmd->add_option("--to", f.to, "Last day of the window, YYYY-MM-DD (default and cap: --as-of)");
  cmd->add_option("--violence-types", f.violence_types,
                  "UCDP type_of_violence: 1 state-based, 2 non-state, 3 one-sided")
      ->capture_default_str();
  cmd->add_option("--precision", f.precision,
                  "Coarsest location precision kept: exact, near (UCDP where_prec 1-2), "
                  "district, province")
      ->capture_default_str();
}

Result<risk::EventWindow> ReadWindow(const WindowFlags& f) {
  risk::EventWindow w;
  auto date = [](const std::string& text, const char* flag) -> Result<std::optional<Date>> {
    if (text.empty()) return std::optional<Date>();
    auto d = Date::ParseIso(text);
    if (!d) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string(flag) + ": expected YYYY-MM-DD, got '" + text + "'");
    }
    return std::optional<Date>(*d);
  };
  auto as_of = date(f.as_of, "--as-of");
  if (!as_of) return Fail(as_of.error());
  auto from = date(f.from, "--from");
  if (!from) return Fail(from.error());
  auto to = date(f.to, "--to");
  if (!to) return Fail(to.error());
  w.as_of = *as_of;
  w.from = *from;
  w.to = *to;
  auto types = risk::ParseViolenceTypes(f.violence_types);
  if (!types) return Fail(types.error());
  w.violence_types = *types;
  auto precision = risk::ParseCoarsestPrecision(f.precision);
  if (!precision) return Fail(precision.error());
  w.coarsest = *precision;
  return w;
}

Result<std::unique_ptr<store::Store>> OpenExisting(const std::string& db) {
  if (!std::filesystem::exists(db)) {
    return Fail(ErrorCode::kNotFound,
                "no store at " + db + " (corridor init, then load areas and ingest incidents)");
  }
  return store::OpenStore(db);
}

std::string WindowLine(const risk::WindowSummary& w) {
  std::string types;
  for (const int t : w.violence_types) types += (types.empty() ? "" : ",") + std::to_string(t);
  return fmt::format(
      "dataset {}{}, events {} to {} (data through {}), locations {} or finer: {} events used, "
      "{} too imprecise, {} without a point",
      w.dataset, types.empty() ? "" : ", violence types " + types,
      w.from ? w.from->iso() : "the first", w.to.iso(), w.data_through.iso(), w.coarsest_precision,
      w.events_used, w.events_in_window_imprecise, w.events_in_window_no_point);
}

// ---- hotspots (KDE)

struct HotspotFlags {
  WindowFlags window;
  std::string kernel = "gaussian";
  std::optional<double> bandwidth;
  double cell = risk::kShareableMinCellKm;
  bool shareable = false;
  double min_fraction = 0.001;
  int top = 10;
  std::string format = "table";
};

int RunHotspots(const std::string& db, const HotspotFlags& f) {
  risk::HotspotOptions o;
  auto window = ReadWindow(f.window);
  if (!window) return ReportError(window.error());
  o.window = *window;
  o.dataset = f.window.dataset;
  o.kernel = *risk::ParseKernel(f.kernel);
  o.bandwidth_km = f.bandwidth;
  o.cell_km = f.cell;
  o.shareable = f.shareable;
  if (auto ok = risk::CheckCellSize(o.cell_km, o.shareable); !ok) return ReportError(ok.error());
  auto store = OpenExisting(db);
  if (!store) return ReportError(store.error());
  auto s = risk::ComputeHotspots(**store, o);
  if (!s) return ReportError(s.error());
  if (f.format == "json") {
    std::cout << risk::RasterJson(*s).dump() << "\n";
    return kExitOk;
  }
  if (f.format == "geojson") {
    auto cells = risk::CellsGeoJson(*s, f.min_fraction);
    if (!cells) return ReportError(cells.error());
    std::cout << cells->dump() << "\n";
    return kExitOk;
  }
  if (f.format == "asc") {
    std::cout << risk::EsriAsciiGrid(*s);
    return kExitOk;
  }
  // Table and CSV: cells by descending density (CSV: every cell above the
  // threshold; table: the top ones).
  std::vector<std::size_t> order;
  const double threshold = std::max(0.0, f.min_fraction) * s->max_density;
  for (std::size_t k = 0; k < s->density.size(); ++k) {
    if (s->density[k] > 0 && s->density[k] >= threshold) order.push_back(k);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return s->density[a] > s->density[b]; });
  if (f.format == "table" && order.size() > static_cast<std::size_t>(f.top)) order.resize(f.top);
  auto projection = risk::LaeaProjection::Create(s->lat0, s->lon0);
  if (!projection) return ReportError(projection.error());
  std::vector<std::vector<std::string>> rows = {
      {"col", "row", "lat", "lon", "density_per_km2", "expected_in_cell"}};
  for (const std::size_t k : order) {
    const int i = static_cast<int>(k % s->grid.nx), j = static_cast<int>(k / s->grid.nx);
    const double x = s->grid.X(i), y = s->grid.Y(j);
    double lat = 0, lon = 0;
    projection->Inverse({&x, 1}, {&y, 1}, {&lat, 1}, {&lon, 1});
    const double v = s->density[k];
    const bool csv = f.format == "csv";
    rows.push_back({std::to_string(i), std::to_string(j), fmt::format("{:.4f}", lat),
                    fmt::format("{:.4f}", lon), csv ? Num(v) : fmt::format("{:.5f}", v),
                    csv ? Num(v * s->grid.cell * s->grid.cell)
                        : fmt::format("{:.2f}", v * s->grid.cell * s->grid.cell)});
  }
  if (f.format == "csv") {
    WriteCsvRows(std::cout, rows);
    std::cerr << "corridor: kernel density, " << WindowLine(s->window) << "\n";
    return kExitOk;
  }
  std::cout << "kernel density of "
            << (s->window.dataset == "ucdp-ged" ? "organised violence "
                                                  "(UCDP GED)"
                                                : s->window.dataset)
            << ", data through " << s->window.data_through.iso() << "\n"
            << WindowLine(s->window) << "\n"
            << fmt::format(
                   "{} kernel, bandwidth {:.2f} km ({}), cells {} km, grid {} × {} "
                   "(areas' extent + 3 bandwidths), {} events outside the grid\n",
                   risk::KernelName(s->kernel), s->bandwidth_km, s->bandwidth_rule, s->grid.cell,
                   s->grid.nx, s->grid.ny, s->events_outside_grid)
            << fmt::format(
                   "density in events per km²; maximum {:.5f}; integral over the grid "
                   "{:.1f} events\n",
                   s->max_density, s->mass_in_grid)
            << "plane: " << s->projection << "\n\n";
  WriteTable(std::cout, rows);
  return kExitOk;
}

// ---- Gi*

struct GiFlags {
  WindowFlags window;
  std::string units = "district";
  double cell = 25;
  bool shareable = false;
  std::optional<int> k;
  std::optional<double> band;
  double alpha = 0.05;
  std::string format = "table";
};

int RunGiStar(const std::string& db, const GiFlags& f) {
  risk::GiStarOptions o;
  auto window = ReadWindow(f.window);
  if (!window) return ReportError(window.error());
  o.window = *window;
  o.dataset = f.window.dataset;
  o.units = f.units == "grid" ? risk::GiUnits::kGrid : risk::GiUnits::kDistrict;
  o.cell_km = f.cell;
  o.shareable = f.shareable;
  if (f.k && f.band)
    return ReportError({ErrorCode::kInvalidArgument, "give --k or --band, not both"});
  if (f.band) {
    o.weights = {risk::SpatialWeights::Kind::kDistanceBand, *f.band, 0};
  } else {
    o.weights = {risk::SpatialWeights::Kind::kKNearest, 0, f.k.value_or(8)};
  }
  if (o.units == risk::GiUnits::kGrid) {
    if (auto ok = risk::CheckCellSize(o.cell_km, o.shareable); !ok) return ReportError(ok.error());
  }
  auto store = OpenExisting(db);
  if (!store) return ReportError(store.error());
  auto r = risk::ComputeGiStar(**store, o);
  if (!r) return ReportError(r.error());
  if (f.format == "json") {
    std::cout << risk::ToJson(*r).dump() << "\n";
    return kExitOk;
  }
  if (f.format == "geojson") {
    std::cout << risk::GiStarGeoJson(*r).dump() << "\n";
    return kExitOk;
  }
  const bool csv = f.format == "csv";
  std::vector<std::size_t> order(r->units_out.size());
  std::iota(order.begin(), order.end(), 0);
  if (!csv) {  // the table lists the significant units, hottest first
    std::erase_if(order, [&](std::size_t k) { return r->units_out[k].gi.p >= f.alpha; });
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return r->units_out[a].gi.z > r->units_out[b].gi.z;
    });
  }
  std::vector<std::vector<std::string>> rows = {
      {"id", "name", "lat", "lon", "count", "neighbours", "z", "p"}};
  for (const std::size_t k : order) {
    const auto& u = r->units_out[k];
    rows.push_back({u.id, u.name, fmt::format("{:.4f}", u.lat), fmt::format("{:.4f}", u.lon),
                    Num(u.count), std::to_string(u.gi.neighbours),
                    csv ? Num(u.gi.z) : fmt::format("{:.3f}", u.gi.z),
                    csv ? Num(u.gi.p) : fmt::format("{:.4g}", u.gi.p)});
  }
  if (csv) {
    WriteCsvRows(std::cout, rows);
    std::cerr << "corridor: Getis-Ord Gi*, " << WindowLine(r->window) << "\n";
    return kExitOk;
  }
  const std::string weights = r->weights.kind == risk::SpatialWeights::Kind::kDistanceBand
                                  ? fmt::format("distance band {} km", r->weights.band_km)
                                  : fmt::format("{} nearest", r->weights.k);
  std::cout << "Getis-Ord Gi* on "
            << (r->units == risk::GiUnits::kDistrict ? "district counts"
                                                     : fmt::format("{} km grid counts", r->cell_km))
            << ", data through " << r->window.data_through.iso() << "\n"
            << WindowLine(r->window) << "\n"
            << fmt::format(
                   "{} units, weights: {} (binary, unit itself included); {} events in "
                   "no unit\n",
                   r->units_out.size(), weights, r->events_outside_units)
            << fmt::format(
                   "units with two-sided p < {} (normal, not corrected for multiple "
                   "testing), hottest first: {}\n\n",
                   f.alpha, order.size());
  WriteTable(std::cout, rows);
  return kExitOk;
}

// ---- Knox

struct KnoxFlags {
  WindowFlags window;
  double distance = 10;
  double days = 14;
  int permutations = 999;
  std::uint64_t seed = risk::KnoxOptions{}.seed;
  std::string format = "table";
};

int RunKnox(const std::string& db, const KnoxFlags& f) {
  risk::KnoxRunOptions o;
  auto window = ReadWindow(f.window);
  if (!window) return ReportError(window.error());
  o.window = *window;
  o.dataset = f.window.dataset;
  o.knox = {f.distance, f.days, f.permutations, f.seed};
  auto store = OpenExisting(db);
  if (!store) return ReportError(store.error());
  auto r = risk::ComputeKnox(**store, o);
  if (!r) return ReportError(r.error());
  if (f.format == "json") {
    std::cout << risk::ToJson(*r).dump() << "\n";
    return kExitOk;
  }
  const auto& k = r->result;
  std::vector<std::vector<std::string>> rows = {
      {"distance_km", "days", "n", "close_in_space", "close_in_time", "observed", "expected",
       "ratio", "permutations", "p_value", "data_through"},
      {Num(r->distance_km), Num(r->days), std::to_string(k.n), std::to_string(k.close_space),
       std::to_string(k.close_time), std::to_string(k.observed), Num(k.expected), Num(k.ratio),
       std::to_string(k.permutations), Num(k.p_value), r->window.data_through.iso()}};
  if (f.format == "csv") {
    WriteCsvRows(std::cout, rows);
    return kExitOk;
  }
  std::cout << "Knox space-time test, data through " << r->window.data_through.iso() << "\n"
            << WindowLine(r->window) << "\n"
            << fmt::format(
                   "pairs within {} km and {} days: {} observed, {:.1f} expected "
                   "(ratio {:.2f})\n",
                   r->distance_km, r->days, k.observed, k.expected, k.ratio)
            << fmt::format(
                   "Monte-Carlo p = {:.4g} ({} of {} permutations of the times as "
                   "extreme, seed {})\n",
                   k.p_value, k.as_extreme, k.permutations, k.seed);
  return kExitOk;
}

}  // namespace

void AddHotspotCommands(CLI::App& risk_cmd, const std::string& db, const bool& json, int& status) {
  auto* hot = risk_cmd.add_subcommand(
      "hotspots",
      "Kernel density surface (events per km²) in a Lambert equal-area plane centred on the "
      "loaded areas, by linear binning and FFT; as a table of the densest cells, CSV, a raster "
      "JSON, GeoJSON cells or an ESRI ASCII grid");
  static HotspotFlags h;
  AddWindowFlags(hot, h.window);
  hot->add_option("--kernel", h.kernel,
                  "gaussian (bandwidth = standard deviation) or quartic (bandwidth = radius)")
      ->check(CLI::IsMember({"gaussian", "quartic"}))
      ->capture_default_str();
  hot->add_option("--bandwidth", h.bandwidth, "Bandwidth in km (default: Scott's rule)");
  hot->add_option("--cell", h.cell, "Cell side in km")->capture_default_str();
  hot->add_flag("--shareable", h.shareable,
                "The layer is meant for sharing or the public: refuse cells finer than 5 km");
  hot->add_option("--min-fraction", h.min_fraction,
                  "GeoJSON/CSV: leave out cells below this fraction of the maximum")
      ->capture_default_str();
  hot->add_option("--top", h.top, "Table: how many of the densest cells")->capture_default_str();
  hot->add_option("--format", h.format, "table, csv, json (raster), geojson (cells) or asc")
      ->check(CLI::IsMember({"table", "csv", "json", "geojson", "asc"}))
      ->capture_default_str();
  hot->callback([&] {
    HotspotFlags f = h;
    if (json) f.format = "json";
    status = RunHotspots(db, f);
  });

  auto* gi = risk_cmd.add_subcommand(
      "gistar",
      "Getis-Ord Gi* z-scores and p-values on district or grid-cell event counts, with "
      "k-nearest (default k = 8) or distance-band weights, each unit included in its own "
      "neighbourhood");
  static GiFlags g;
  AddWindowFlags(gi, g.window);
  gi->add_option("--units", g.units, "district (OCHA 2022 districts) or grid")
      ->check(CLI::IsMember({"district", "grid"}))
      ->capture_default_str();
  gi->add_option("--cell", g.cell, "Grid cell side in km (--units grid)")->capture_default_str();
  gi->add_flag("--shareable", g.shareable, "Refuse grid cells finer than 5 km");
  gi->add_option("--k", g.k, "k-nearest weights: the k nearest other units (default 8)");
  gi->add_option("--band", g.band, "Distance-band weights: units within this many km");
  gi->add_option("--alpha", g.alpha, "Table: list units with p below this")->capture_default_str();
  gi->add_option("--format", g.format,
                 "table (significant units), csv (all), json or geojson (unit points)")
      ->check(CLI::IsMember({"table", "csv", "json", "geojson"}))
      ->capture_default_str();
  gi->callback([&] {
    GiFlags f = g;
    if (json) f.format = "json";
    status = RunGiStar(db, f);
  });

  auto* knox = risk_cmd.add_subcommand(
      "knox",
      "Knox space-time interaction test: pairs of events close in space and in time, against "
      "a seeded Monte-Carlo permutation of the event times");
  static KnoxFlags k;
  AddWindowFlags(knox, k.window);
  knox->add_option("--distance", k.distance, "Closeness in space, km")->capture_default_str();
  knox->add_option("--days", k.days, "Closeness in time, days")->capture_default_str();
  knox->add_option("--permutations", k.permutations, "Monte-Carlo permutations")
      ->check(CLI::Range(1, 99'999))
      ->capture_default_str();
  knox->add_option("--seed", k.seed, "Random seed (results are reproducible)")
      ->capture_default_str();
  knox->add_option("--format", k.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  knox->callback([&] {
    KnoxFlags f = k;
    if (json) f.format = "json";
    status = RunKnox(db, f);
  });
}

}  // namespace corridor::cli
