// GET /api/v1/risk/hotspots[.geojson], /api/v1/risk/gistar, /api/v1/risk/knox.
// Layers served here may be shared: KDE and grid cells finer than 5 km are
// refused (risk::kShareableMinCellKm).
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include "api/params.h"
#include "api/risk_service.h"
#include "corridor/risk/hotspots.h"
#include "corridor/risk/impact.h"

namespace corridor::api {
namespace {

Result<std::optional<std::int64_t>> ReadInteger(ParamReader& reader, std::string_view name) {
  auto text = reader.Get(name);
  if (!text) return Fail(text.error());
  if (!*text) return std::optional<std::int64_t>();
  std::int64_t v = 0;
  const std::string& t = **text;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(name) + ": expected an integer, got '" + t + "'");
  }
  return std::optional<std::int64_t>(v);
}

// dataset, as_of, from, to, violence_types, precision.
Result<risk::EventWindow> ReadWindow(ParamReader& reader, std::string& dataset) {
  risk::EventWindow w;
  for (const char* name : {"as_of", "from", "to"}) {
    auto text = reader.Get(name);
    if (!text) return Fail(text.error());
    if (!*text) continue;
    const auto d = Date::ParseIso(**text);
    if (!d) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string(name) + ": expected YYYY-MM-DD, got '" + **text + "'");
    }
    (std::string_view(name) == "as_of"  ? w.as_of
     : std::string_view(name) == "from" ? w.from
                                        : w.to) = d;
  }
  auto types = reader.Get("violence_types");
  if (!types) return Fail(types.error());
  if (*types) {
    auto parsed = risk::ParseViolenceTypes(**types);
    if (!parsed) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "violence_types" + parsed.error().message.substr(std::string("violence-types").size()));
    }
    w.violence_types = *parsed;
  }
  auto precision = reader.Get("precision");
  if (!precision) return Fail(precision.error());
  if (*precision) {
    auto parsed = risk::ParseCoarsestPrecision(**precision);
    if (!parsed) return Fail(parsed.error());
    w.coarsest = *parsed;
  }
  auto ds = reader.Get("dataset");
  if (!ds) return Fail(ds.error());
  if (*ds) dataset = **ds;
  return w;
}

Result<risk::HotspotOptions> ReadHotspotParams(ParamReader& reader, double* min_fraction) {
  risk::HotspotOptions o;
  o.shareable = true;
  auto window = ReadWindow(reader, o.dataset);
  if (!window) return Fail(window.error());
  o.window = *window;
  auto kernel = reader.Get("kernel");
  if (!kernel) return Fail(kernel.error());
  if (*kernel) {
    const auto k = risk::ParseKernel(**kernel);
    if (!k) {
      return Fail(ErrorCode::kInvalidArgument,
                  "kernel: expected gaussian or quartic, got '" + **kernel + "'");
    }
    o.kernel = *k;
  }
  auto bandwidth = ReadNumber(reader, "bandwidth");
  if (!bandwidth) return Fail(bandwidth.error());
  o.bandwidth_km = *bandwidth;
  auto cell = ReadNumber(reader, "cell");
  if (!cell) return Fail(cell.error());
  if (*cell) o.cell_km = **cell;
  if (min_fraction) {
    auto f = ReadNumber(reader, "min_fraction");
    if (!f) return Fail(f.error());
    *min_fraction = f->value_or(0.001);
  }
  if (auto ok = reader.CheckAllKnown(); !ok) return Fail(ok.error());
  if (auto ok = risk::CheckCellSize(o.cell_km, true); !ok) return Fail(ok.error());
  return o;
}

Response Hotspots(store::Store& store, const Request& request) {
  ParamReader reader(request);
  auto o = ReadHotspotParams(reader, nullptr);
  if (!o) return ErrorResponse(o.error());
  auto s = risk::ComputeHotspots(store, *o);
  if (!s) return ErrorResponse(s.error());
  return JsonResponse(risk::RasterJson(*s));
}

Response HotspotsGeoJson(store::Store& store, const Request& request) {
  ParamReader reader(request);
  double min_fraction = 0.001;
  auto o = ReadHotspotParams(reader, &min_fraction);
  if (!o) return ErrorResponse(o.error());
  auto s = risk::ComputeHotspots(store, *o);
  if (!s) return ErrorResponse(s.error());
  auto cells = risk::CellsGeoJson(*s, min_fraction);
  if (!cells) return ErrorResponse(cells.error());
  Response r = JsonResponse(*cells);
  r.content_type = "application/geo+json";
  return r;
}

Response GiStar(store::Store& store, const Request& request) {
  ParamReader reader(request);
  risk::GiStarOptions o;
  o.shareable = true;
  auto window = ReadWindow(reader, o.dataset);
  if (!window) return ErrorResponse(window.error());
  o.window = *window;
  auto units = reader.Get("units");
  if (!units) return ErrorResponse(units.error());
  auto cell = ReadNumber(reader, "cell");
  if (!cell) return ErrorResponse(cell.error());
  auto k = ReadInteger(reader, "k");
  if (!k) return ErrorResponse(k.error());
  auto band = ReadNumber(reader, "band");
  if (!band) return ErrorResponse(band.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  if (*units && **units != "district" && **units != "grid") {
    return ErrorResponse(
        {ErrorCode::kInvalidArgument, "units: expected district or grid, got '" + **units + "'"});
  }
  o.units = *units && **units == "grid" ? risk::GiUnits::kGrid : risk::GiUnits::kDistrict;
  if (*cell) o.cell_km = **cell;
  if (*k && *band)
    return ErrorResponse({ErrorCode::kInvalidArgument, "k, band: give one, not both"});
  if (*band) {
    o.weights = {risk::SpatialWeights::Kind::kDistanceBand, **band, 0};
  } else if (*k) {
    if (**k < 1 || **k > 10'000) {
      return ErrorResponse({ErrorCode::kInvalidArgument, "k: expected 1 to 10000"});
    }
    o.weights = {risk::SpatialWeights::Kind::kKNearest, 0, static_cast<int>(**k)};
  }
  auto r = risk::ComputeGiStar(store, o);
  if (!r) return ErrorResponse(r.error());
  return JsonResponse(risk::ToJson(*r));
}

Response Knox(store::Store& store, const Request& request) {
  ParamReader reader(request);
  risk::KnoxRunOptions o;
  auto window = ReadWindow(reader, o.dataset);
  if (!window) return ErrorResponse(window.error());
  o.window = *window;
  auto distance = ReadNumber(reader, "distance");
  if (!distance) return ErrorResponse(distance.error());
  auto days = ReadNumber(reader, "days");
  if (!days) return ErrorResponse(days.error());
  auto permutations = ReadInteger(reader, "permutations");
  if (!permutations) return ErrorResponse(permutations.error());
  auto seed = ReadInteger(reader, "seed");
  if (!seed) return ErrorResponse(seed.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  if (*distance) o.knox.distance_km = **distance;
  if (*days) o.knox.days = **days;
  if (*permutations) {
    if (**permutations < 1 || **permutations > 9'999) {
      return ErrorResponse({ErrorCode::kInvalidArgument, "permutations: expected 1 to 9999"});
    }
    o.knox.permutations = static_cast<int>(**permutations);
  }
  if (*seed) {
    if (**seed < 0) return ErrorResponse({ErrorCode::kInvalidArgument, "seed: expected >= 0"});
    o.knox.seed = static_cast<std::uint64_t>(**seed);
  }
  auto r = risk::ComputeKnox(store, o);
  if (!r) return ErrorResponse(r.error());
  return JsonResponse(risk::ToJson(*r));
}

}  // namespace

void AddHotspotRoutes(std::vector<Route>& routes, store::Store& store) {
  store::Store* s = &store;
  routes.push_back({"GET",
                    "/api/v1/risk/hotspots",
                    "/api/v1/risk/hotspots",
                    {},
                    "Kernel density surface (events per km², LAEA plane) as a raster JSON; "
                    "cells of 5 km or more",
                    [s](const Request& r) { return Hotspots(*s, r); }});
  routes.push_back({"GET",
                    "/api/v1/risk/hotspots.geojson",
                    "/api/v1/risk/hotspots\\.geojson",
                    {},
                    "Kernel density surface as GeoJSON cell polygons (WGS84); cells of 5 km or "
                    "more",
                    [s](const Request& r) { return HotspotsGeoJson(*s, r); }});
  routes.push_back({"GET",
                    "/api/v1/risk/gistar",
                    "/api/v1/risk/gistar",
                    {},
                    "Getis-Ord Gi* z and p on district or grid counts",
                    [s](const Request& r) { return GiStar(*s, r); }});
  routes.push_back({"GET",
                    "/api/v1/risk/knox",
                    "/api/v1/risk/knox",
                    {},
                    "Knox space-time test with a seeded Monte-Carlo p-value",
                    [s](const Request& r) { return Knox(*s, r); }});
}

}  // namespace corridor::api
