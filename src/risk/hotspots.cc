#include "corridor/risk/hotspots.h"

#include <fmt/core.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <sstream>

#include "corridor/geo/area_index.h"
#include "corridor/risk/laea.h"

namespace corridor::risk {
namespace {

using model::LocationPrecision;
using nlohmann::json;

// The events of the window, projected.
struct Selected {
  WindowSummary summary;
  std::vector<std::size_t> rows;  // into the columns
  std::vector<double> lat, lon, x, y;
  std::vector<std::int32_t> day;
};

Result<Selected> SelectEvents(const IncidentColumns& c, const std::string& dataset,
                              const EventWindow& w) {
  Selected s;
  s.summary.dataset = dataset;
  if (!w.as_of && !c.latest) {
    return Fail(ErrorCode::kNotFound,
                "no incident of dataset '" + dataset + "' in the store (give --as-of or ingest)");
  }
  const Date as_of = w.as_of ? *w.as_of : *c.latest;
  const Date to = w.to && *w.to < as_of ? *w.to : as_of;
  if (w.from && *w.from > to) {
    return Fail(ErrorCode::kInvalidArgument,
                "from: " + w.from->iso() + " is after the window's end " + to.iso());
  }
  s.summary.data_through = as_of;
  s.summary.from = w.from;
  s.summary.to = to;
  s.summary.coarsest_precision = std::string(model::LocationPrecisionName(w.coarsest));
  const bool ucdp = dataset == "ucdp-ged";
  if (ucdp) s.summary.violence_types = w.violence_types;
  bool type_ok[4] = {!ucdp, !ucdp, !ucdp, !ucdp};
  if (ucdp) {
    for (const int t : w.violence_types) {
      if (t < 1 || t > 3) {
        return Fail(ErrorCode::kInvalidArgument,
                    "violence-types: " + std::to_string(t) + " is not 1, 2 or 3");
      }
      type_ok[t] = true;
    }
  }
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.day[i] > to.days() || (w.from && c.day[i] < w.from->days())) continue;
    const int vt = c.violence_type[i];
    if (ucdp && (vt < 1 || vt > 3 || !type_ok[vt])) continue;
    if (!std::isfinite(c.lat[i]) || !std::isfinite(c.lon[i]) ||
        c.location_precision[i] == static_cast<std::int8_t>(LocationPrecision::kNone)) {
      ++s.summary.events_in_window_no_point;
      continue;
    }
    if (c.location_precision[i] > static_cast<std::int8_t>(w.coarsest)) {
      ++s.summary.events_in_window_imprecise;
      continue;
    }
    s.rows.push_back(i);
    s.lat.push_back(c.lat[i]);
    s.lon.push_back(c.lon[i]);
    s.day.push_back(c.day[i]);
  }
  s.summary.events_used = static_cast<std::int64_t>(s.rows.size());
  s.x.resize(s.rows.size());
  s.y.resize(s.rows.size());
  return s;
}

// The plane of the analysis: an LAEA projection centred on the loaded areas
// (the country outline, else the provinces), or on the events when the store
// holds no area.
struct Plane {
  std::unique_ptr<LaeaProjection> projection;
  PlaneBox box;  // the areas' (or events') extent, km
  std::string extent_source;
};

Result<Plane> MakePlane(const store::Store& store, Selected& events) {
  auto areas = store.ListAreas(0, /*with_geometry=*/true);
  if (!areas) return Fail(areas.error());
  if (areas->empty()) {
    areas = store.ListAreas(1, /*with_geometry=*/true);
    if (!areas) return Fail(areas.error());
  }
  double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180;
  auto extend = [&](double lat, double lon) {
    min_lat = std::min(min_lat, lat);
    max_lat = std::max(max_lat, lat);
    min_lon = std::min(min_lon, lon);
    max_lon = std::max(max_lon, lon);
  };
  for (const auto& a : *areas) {
    std::unique_ptr<OGRGeometry> g(OGRGeometryFactory::createFromGeoJson(a.geometry.c_str()));
    if (!g || g->IsEmpty()) continue;
    OGREnvelope e;
    g->getEnvelope(&e);
    extend(e.MinY, e.MinX);
    extend(e.MaxY, e.MaxX);
  }
  Plane plane;
  plane.extent_source = "areas";
  if (min_lat > max_lat) {
    plane.extent_source = "events";
    for (std::size_t i = 0; i < events.lat.size(); ++i) extend(events.lat[i], events.lon[i]);
  }
  if (min_lat > max_lat) {
    return Fail(ErrorCode::kNotFound, "no area and no event with a point: nothing to project");
  }
  auto projection = LaeaProjection::Create((min_lat + max_lat) / 2, (min_lon + max_lon) / 2);
  if (!projection) return Fail(projection.error());
  plane.projection = std::make_unique<LaeaProjection>(std::move(*projection));
  plane.projection->Forward(events.lat, events.lon, events.x, events.y);
  PlaneBox box{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
               -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  auto extend_box = [&](const PlaneBox& b) {
    box.min_x = std::min(box.min_x, b.min_x);
    box.min_y = std::min(box.min_y, b.min_y);
    box.max_x = std::max(box.max_x, b.max_x);
    box.max_y = std::max(box.max_y, b.max_y);
  };
  if (plane.extent_source == "areas") {
    for (const auto& a : *areas) {
      auto b = plane.projection->ProjectedBox(a.geometry);
      if (b) extend_box(*b);
    }
  } else {
    for (std::size_t i = 0; i < events.x.size(); ++i) {
      extend_box({events.x[i], events.y[i], events.x[i], events.y[i]});
    }
  }
  plane.box = box;
  return plane;
}

// The columns of `dataset`, the window's events and the plane, loaded once.
struct Loaded {
  IncidentColumns columns;
  Selected events;
  Plane plane;
};

Result<Loaded> LoadWindow(const store::Store& store, const std::string& dataset,
                          const EventWindow& window) {
  auto columns = LoadIncidentColumns(store, dataset);
  if (!columns) return Fail(columns.error());
  auto events = SelectEvents(*columns, dataset, window);
  if (!events) return Fail(events.error());
  auto plane = MakePlane(store, *events);
  if (!plane) return Fail(plane.error());
  return Loaded{std::move(*columns), std::move(*events), std::move(*plane)};
}

std::string Label(const std::string& dataset) {
  return dataset == "ucdp-ged" ? "organised violence (UCDP GED)" : dataset;
}

}  // namespace

Result<model::LocationPrecision> ParseCoarsestPrecision(std::string_view text) {
  const auto p = model::ParseLocationPrecision(text);
  if (!p || *p == LocationPrecision::kCountry || *p == LocationPrecision::kNone) {
    return Fail(ErrorCode::kInvalidArgument,
                "precision: expected exact, near, district or "
                "province, got '" +
                    std::string(text) + "'");
  }
  return *p;
}

Result<void> CheckCellSize(double cell_km, bool shareable) {
  if (!(cell_km > 0) || !std::isfinite(cell_km)) {
    return Fail(ErrorCode::kInvalidArgument, "cell: must be > 0 km");
  }
  if (shareable && cell_km < kShareableMinCellKm) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("cell: {} km is finer than the {} km allowed for layers meant for "
                            "sharing or the public",
                            cell_km, kShareableMinCellKm));
  }
  return {};
}

json ToJson(const WindowSummary& w) {
  json out = {{"dataset", w.dataset},
              {"label", Label(w.dataset)},
              {"data_through", w.data_through.iso()},
              {"from", w.from ? json(w.from->iso()) : json(nullptr)},
              {"to", w.to.iso()},
              {"coarsest_precision", w.coarsest_precision},
              {"events_used", w.events_used},
              {"events_imprecise", w.events_in_window_imprecise},
              {"events_without_point", w.events_in_window_no_point}};
  if (!w.violence_types.empty()) out["violence_types"] = w.violence_types;
  return out;
}

// ---- kernel density

Result<HotspotSurface> ComputeHotspots(const store::Store& store, const HotspotOptions& o) {
  if (auto ok = CheckCellSize(o.cell_km, o.shareable); !ok) return Fail(ok.error());
  if (o.bandwidth_km && (!(*o.bandwidth_km > 0) || !std::isfinite(*o.bandwidth_km))) {
    return Fail(ErrorCode::kInvalidArgument, "bandwidth: must be > 0 km");
  }
  auto loaded = LoadWindow(store, o.dataset, o.window);
  if (!loaded) return Fail(loaded.error());
  if (auto ok = Budget::Check(o.budget); !ok) return Fail(ok.error());
  const Selected* events = &loaded->events;
  const Plane* plane = &loaded->plane;
  const std::size_t need = o.bandwidth_km ? 1 : 2;
  if (events->rows.size() < need) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("{} usable event(s) in the window; a surface needs {}",
                            events->rows.size(), need));
  }

  HotspotSurface s;
  s.window = events->summary;
  s.projection = plane->projection->proj();
  s.lat0 = plane->projection->lat0();
  s.lon0 = plane->projection->lon0();
  s.kernel = o.kernel;
  s.shareable = o.shareable;
  s.extent_source = plane->extent_source;
  if (o.bandwidth_km) {
    s.bandwidth_km = *o.bandwidth_km;
    s.bandwidth_rule = "given";
  } else {
    s.bandwidth_km = ScottBandwidthKm(events->x, events->y);
    s.bandwidth_rule = "scott";
    if (!(s.bandwidth_km > 0)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "bandwidth: Scott's rule gives 0 (all events at one point); give --bandwidth");
    }
  }
  // The areas' extent plus three bandwidths on every side, whole cells.
  const double pad = 3 * s.bandwidth_km;
  const PlaneBox& b = plane->box;
  const double width = b.max_x - b.min_x + 2 * pad, height = b.max_y - b.min_y + 2 * pad;
  const double nx = std::ceil(width / o.cell_km), ny = std::ceil(height / o.cell_km);
  if (nx * ny > static_cast<double>(o.max_cells)) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("cell: {} km gives {:.0f} × {:.0f} cells, more than {}; use larger "
                            "cells",
                            o.cell_km, nx, ny, o.max_cells));
  }
  s.grid.cell = o.cell_km;
  s.grid.nx = static_cast<int>(nx);
  s.grid.ny = static_cast<int>(ny);
  const double cx = (b.min_x + b.max_x) / 2, cy = (b.min_y + b.max_y) / 2;
  s.grid.x0 = cx - (s.grid.nx - 1) * o.cell_km / 2;
  s.grid.y0 = cy - (s.grid.ny - 1) * o.cell_km / 2;
  auto density = KernelDensity(events->x, events->y, {}, s.grid, o.kernel, s.bandwidth_km);
  if (!density) return Fail(density.error());
  s.density = std::move(*density);
  const double x1 = s.grid.X(s.grid.nx - 1), y1 = s.grid.Y(s.grid.ny - 1);
  for (std::size_t i = 0; i < events->x.size(); ++i) {
    const double x = events->x[i], y = events->y[i];
    if (!(x >= s.grid.x0 && x <= x1 && y >= s.grid.y0 && y <= y1)) ++s.events_outside_grid;
  }
  for (const double v : s.density) {
    s.mass_in_grid += v;
    s.max_density = std::max(s.max_density, v);
  }
  s.mass_in_grid *= o.cell_km * o.cell_km;
  return s;
}

namespace {

json SurfaceHeader(const HotspotSurface& s) {
  return {{"window", ToJson(s.window)},
          {"kernel", KernelName(s.kernel)},
          {"bandwidth_km", s.bandwidth_km},
          {"bandwidth_rule", s.bandwidth_rule},
          {"cell_km", s.grid.cell},
          {"shareable", s.shareable},
          {"extent_source", s.extent_source},
          {"events_outside_grid", s.events_outside_grid},
          {"mass_in_grid", s.mass_in_grid},
          {"max_density", s.max_density},
          {"units", "events per km²"},
          {"projection", {{"proj", s.projection}, {"lat_0", s.lat0}, {"lon_0", s.lon0}}}};
}

}  // namespace

json RasterJson(const HotspotSurface& s) {
  json out = SurfaceHeader(s);
  out["type"] = "corridor.kde.raster";
  out["grid"] = {{"ncols", s.grid.nx},
                 {"nrows", s.grid.ny},
                 {"cell_km", s.grid.cell},
                 {"xllcorner_km", s.grid.x0 - s.grid.cell / 2},
                 {"yllcorner_km", s.grid.y0 - s.grid.cell / 2},
                 {"row_order", "north_to_south"},
                 {"value", "density at the cell centre, events per km²"}};
  json values = json::array();
  for (int j = s.grid.ny - 1; j >= 0; --j) {
    json row = json::array();
    for (int i = 0; i < s.grid.nx; ++i) {
      row.push_back(s.density[static_cast<std::size_t>(j) * s.grid.nx + i]);
    }
    values.push_back(std::move(row));
  }
  out["values"] = std::move(values);
  return out;
}

Result<json> CellsGeoJson(const HotspotSurface& s, double min_fraction) {
  auto projection = LaeaProjection::Create(s.lat0, s.lon0);
  if (!projection) return Fail(projection.error());
  const double threshold = std::max(0.0, min_fraction) * s.max_density;
  const double half = s.grid.cell / 2;
  json features = json::array();
  double cx[4], cy[4], lat[4], lon[4];
  for (int j = 0; j < s.grid.ny; ++j) {
    for (int i = 0; i < s.grid.nx; ++i) {
      const double v = s.density[static_cast<std::size_t>(j) * s.grid.nx + i];
      if (v <= 0 || v < threshold) continue;
      const double x = s.grid.X(i), y = s.grid.Y(j);
      const double xs[4] = {x - half, x + half, x + half, x - half};
      const double ys[4] = {y - half, y - half, y + half, y + half};
      std::copy(xs, xs + 4, cx);
      std::copy(ys, ys + 4, cy);
      projection->Inverse(cx, cy, lat, lon);
      json ring = json::array();
      for (int k = 0; k <= 4; ++k) ring.push_back({lon[k % 4], lat[k % 4]});
      features.push_back({{"type", "Feature"},
                          {"geometry", {{"type", "Polygon"}, {"coordinates", {ring}}}},
                          {"properties",
                           {{"col", i},
                            {"row", j},
                            {"density", v},
                            {"expected", v * s.grid.cell * s.grid.cell}}}});
    }
  }
  json out = {{"type", "FeatureCollection"}, {"features", std::move(features)}};
  out["metadata"] = SurfaceHeader(s);
  out["metadata"]["min_fraction"] = min_fraction;
  return out;
}

std::string EsriAsciiGrid(const HotspotSurface& s) {
  std::ostringstream out;
  out << "ncols " << s.grid.nx << "\nnrows " << s.grid.ny << "\n"
      << fmt::format("xllcorner {}\nyllcorner {}\ncellsize {}\nNODATA_value -9999\n",
                     s.grid.x0 - s.grid.cell / 2, s.grid.y0 - s.grid.cell / 2, s.grid.cell);
  for (int j = s.grid.ny - 1; j >= 0; --j) {
    for (int i = 0; i < s.grid.nx; ++i) {
      out << (i ? " " : "")
          << fmt::format("{:.6g}", s.density[static_cast<std::size_t>(j) * s.grid.nx + i]);
    }
    out << "\n";
  }
  return out.str();
}

// ---- Getis–Ord Gi*

Result<GiStarReport> ComputeGiStar(const store::Store& store, const GiStarOptions& o) {
  if (o.units == GiUnits::kGrid) {
    if (auto ok = CheckCellSize(o.cell_km, o.shareable); !ok) return Fail(ok.error());
  }
  auto loaded = LoadWindow(store, o.dataset, o.window);
  if (!loaded) return Fail(loaded.error());
  const IncidentColumns* columns = &loaded->columns;
  const Selected* events = &loaded->events;
  const Plane* plane = &loaded->plane;
  GiStarReport r;
  r.window = events->summary;
  r.projection = plane->projection->proj();
  r.units = o.units;
  r.weights = o.weights;
  auto& units = r.units_out;
  if (o.units == GiUnits::kDistrict) {
    auto districts = store.ListAreas(2, /*with_geometry=*/true);
    if (!districts) return Fail(districts.error());
    if (districts->size() < 3) {
      return Fail(ErrorCode::kNotFound, "fewer than 3 districts in the store (load boundaries)");
    }
    std::map<std::string, std::size_t> index;
    for (const auto& a : *districts) {
      auto c = plane->projection->ProjectedCentroid(a.geometry);
      if (!c) return Fail(c.error().code, "district " + a.pcode + ": " + c.error().message);
      GiStarUnit u;
      u.id = a.pcode;
      u.name = a.name;
      u.x_km = c->first;
      u.y_km = c->second;
      index[a.pcode] = units.size();
      units.push_back(std::move(u));
    }
    std::vector<std::size_t> slot(columns->district_codes.size(), units.size());
    for (std::size_t d = 0; d < slot.size(); ++d) {
      const auto it = index.find(columns->district_codes[d]);
      if (it != index.end()) slot[d] = it->second;
    }
    for (const std::size_t row : events->rows) {
      const auto d = columns->district[row];
      if (d == kNoArea || slot[d] == units.size()) {
        ++r.events_outside_units;
        continue;
      }
      units[slot[d]].count += 1;
    }
  } else {
    r.cell_km = o.cell_km;
    auto areas = store.ListAreas(std::nullopt, /*with_geometry=*/true);
    if (!areas) return Fail(areas.error());
    auto area_index = geo::AreaIndex::Build(*areas);
    if (!area_index) return Fail(area_index.error());
    const PlaneBox& b = plane->box;
    const int nx = static_cast<int>(std::ceil((b.max_x - b.min_x) / o.cell_km));
    const int ny = static_cast<int>(std::ceil((b.max_y - b.min_y) / o.cell_km));
    if (static_cast<double>(nx) * ny > 4e6) {
      return Fail(ErrorCode::kInvalidArgument, "cell: too small for the extent; use larger cells");
    }
    std::vector<double> cx(static_cast<std::size_t>(nx) * ny), cy(cx.size()), lat(cx.size()),
        lon(cx.size());
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        cx[static_cast<std::size_t>(j) * nx + i] = b.min_x + (i + 0.5) * o.cell_km;
        cy[static_cast<std::size_t>(j) * nx + i] = b.min_y + (j + 0.5) * o.cell_km;
      }
    }
    plane->projection->Inverse(cx, cy, lat, lon);
    std::vector<std::int64_t> slot(cx.size(), -1);
    for (std::size_t k = 0; k < cx.size(); ++k) {
      const bool inside =
          area_index->empty() || !area_index->Locate(1, lat[k], lon[k]).pcode.empty();
      if (!inside) continue;
      slot[k] = static_cast<std::int64_t>(units.size());
      GiStarUnit u;
      u.id = fmt::format("c{}r{}", k % nx, k / nx);
      u.x_km = cx[k];
      u.y_km = cy[k];
      units.push_back(std::move(u));
    }
    for (std::size_t e = 0; e < events->x.size(); ++e) {
      const double fi = std::floor((events->x[e] - b.min_x) / o.cell_km);
      const double fj = std::floor((events->y[e] - b.min_y) / o.cell_km);
      if (!(fi >= 0 && fj >= 0 && fi < nx && fj < ny)) {
        ++r.events_outside_units;
        continue;
      }
      const auto s = slot[static_cast<std::size_t>(fj) * nx + static_cast<std::size_t>(fi)];
      if (s < 0) {
        ++r.events_outside_units;
        continue;
      }
      units[static_cast<std::size_t>(s)].count += 1;
    }
  }
  std::vector<double> x(units.size()), y(units.size()), v(units.size()), lat(units.size()),
      lon(units.size());
  for (std::size_t k = 0; k < units.size(); ++k) {
    x[k] = units[k].x_km;
    y[k] = units[k].y_km;
    v[k] = units[k].count;
  }
  auto gi = GetisOrdGiStar(x, y, v, o.weights, o.budget);
  if (!gi) return Fail(gi.error());
  plane->projection->Inverse(x, y, lat, lon);
  for (std::size_t k = 0; k < units.size(); ++k) {
    units[k].gi = (*gi)[k];
    units[k].lat = lat[k];
    units[k].lon = lon[k];
  }
  return r;
}

namespace {

json WeightsJson(const SpatialWeights& w) {
  if (w.kind == SpatialWeights::Kind::kDistanceBand) {
    return {{"kind", "distance-band"}, {"band_km", w.band_km}, {"self_included", true}};
  }
  return {{"kind", "k-nearest"}, {"k", w.k}, {"self_included", true}};
}

json UnitsHeader(const GiStarReport& r) {
  json out = {{"window", ToJson(r.window)},
              {"units", r.units == GiUnits::kDistrict ? "district" : "grid"},
              {"weights", WeightsJson(r.weights)},
              {"events_outside_units", r.events_outside_units},
              {"projection", r.projection},
              {"p_value", "two-sided, standard normal, not corrected for multiple testing"}};
  if (r.units == GiUnits::kGrid) out["cell_km"] = r.cell_km;
  return out;
}

}  // namespace

json ToJson(const GiStarReport& r) {
  json out = UnitsHeader(r);
  json rows = json::array();
  for (const auto& u : r.units_out) {
    rows.push_back({{"id", u.id},
                    {"name", u.name},
                    {"lat", u.lat},
                    {"lon", u.lon},
                    {"count", u.count},
                    {"neighbours", u.gi.neighbours},
                    {"z", u.gi.z},
                    {"p", u.gi.p}});
  }
  out["rows"] = std::move(rows);
  return out;
}

json GiStarGeoJson(const GiStarReport& r) {
  json features = json::array();
  for (const auto& u : r.units_out) {
    features.push_back({{"type", "Feature"},
                        {"geometry", {{"type", "Point"}, {"coordinates", {u.lon, u.lat}}}},
                        {"properties",
                         {{"id", u.id},
                          {"name", u.name},
                          {"count", u.count},
                          {"neighbours", u.gi.neighbours},
                          {"z", u.gi.z},
                          {"p", u.gi.p}}}});
  }
  return {{"type", "FeatureCollection"}, {"features", features}, {"metadata", UnitsHeader(r)}};
}

// ---- Knox

Result<KnoxReport> ComputeKnox(const store::Store& store, const KnoxRunOptions& o) {
  auto loaded = LoadWindow(store, o.dataset, o.window);
  if (!loaded) return Fail(loaded.error());
  const Selected& events = loaded->events;
  auto result = KnoxTest(events.x, events.y, events.day, o.knox);
  if (!result) return Fail(result.error());
  return KnoxReport{events.summary, loaded->plane.projection->proj(), o.knox.distance_km,
                    o.knox.days, *result};
}

json ToJson(const KnoxReport& r) {
  const auto& k = r.result;
  return {{"window", ToJson(r.window)},
          {"projection", r.projection},
          {"distance_km", r.distance_km},
          {"days", r.days},
          {"n", k.n},
          {"pairs", k.pairs},
          {"close_in_space", k.close_space},
          {"close_in_time", k.close_time},
          {"observed", k.observed},
          {"expected", k.expected},
          {"ratio", k.ratio},
          {"as_extreme", k.as_extreme},
          {"permutations", k.permutations},
          {"seed", k.seed},
          {"p_value", k.p_value}};
}

}  // namespace corridor::risk
