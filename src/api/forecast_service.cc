// GET /api/v1/risk/forecast[.geojson] and /api/v1/risk/backtest (docs/methods.md,
// "Early warning"). The backtest fits the model 120 times: its result is kept
// per (dataset, as_of, cutoff, sigma) and the dataset's fingerprint (events and
// latest date), so it is computed once per as-of and data.
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>

#include "api/params.h"
#include "api/risk_service.h"
#include "corridor/risk/columns.h"
#include "corridor/risk/early_warning.h"

namespace corridor::api {
namespace {

// dataset, as_of, cutoff, sigma (and horizon when `horizon` is given).
Result<risk::EarlyWarningOptions> ReadModel(ParamReader& reader, double* horizon) {
  risk::EarlyWarningOptions o;
  auto ds = reader.Get("dataset");
  if (!ds) return Fail(ds.error());
  if (*ds) o.dataset = **ds;
  auto as_of = reader.Get("as_of");
  if (!as_of) return Fail(as_of.error());
  if (*as_of) {
    const auto d = Date::ParseIso(**as_of);
    if (!d) {
      return Fail(ErrorCode::kInvalidArgument, "as_of: expected YYYY-MM-DD, got '" + **as_of + "'");
    }
    o.as_of = *d;
  }
  auto cutoff = ReadNumber(reader, "cutoff");
  if (!cutoff) return Fail(cutoff.error());
  if (*cutoff) o.cutoff_days = **cutoff;
  auto sigma = ReadNumber(reader, "sigma");
  if (!sigma) return Fail(sigma.error());
  if (*sigma) o.sigma_km = **sigma;
  if (horizon) {
    auto h = ReadNumber(reader, "horizon");
    if (!h) return Fail(h.error());
    if (*h) *horizon = **h;
  }
  if (auto ok = reader.CheckAllKnown(); !ok) return Fail(ok.error());
  return o;
}

Response Forecast(store::Store& store, const Request& request, bool geojson) {
  ParamReader reader(request);
  double horizon = 30;
  auto o = ReadModel(reader, &horizon);
  if (!o) return ErrorResponse(o.error());
  auto r = risk::ComputeForecast(store, *o, horizon);
  if (!r) return ErrorResponse(r.error());
  if (!geojson) return JsonResponse(risk::ToJson(*r));
  Response out = JsonResponse(risk::ForecastGeoJson(*r));
  out.content_type = "application/geo+json";
  return out;
}

struct BacktestCache {
  std::mutex mutex;
  std::map<std::string, std::string> bodies;  // key -> JSON body
};

Response Backtest(store::Store& store, BacktestCache& cache, const Request& request) {
  ParamReader reader(request);
  auto o = ReadModel(reader, nullptr);
  if (!o) return ErrorResponse(o.error());
  // The data's fingerprint: how many events and the latest date.
  auto columns = risk::LoadIncidentColumns(store, o->dataset);
  if (!columns) return ErrorResponse(columns.error());
  std::int64_t day_sum = 0;
  for (const auto d : columns->day) day_sum += d;
  const std::string key = o->dataset + "|" + (o->as_of ? o->as_of->iso() : "latest") + "|" +
                          std::to_string(o->cutoff_days) + "|" + std::to_string(o->sigma_km) + "|" +
                          std::to_string(columns->size()) + "|" + std::to_string(day_sum) + "|" +
                          (columns->latest ? columns->latest->iso() : "");
  std::lock_guard lock(cache.mutex);  // one computation at a time; later calls read the cache
  if (auto it = cache.bodies.find(key); it != cache.bodies.end()) {
    Response hit;
    hit.body = it->second;
    return hit;
  }
  risk::BacktestOptions bo;
  bo.model = *o;
  auto r = risk::RunBacktest(store, bo);
  if (!r) return ErrorResponse(r.error());
  Response out;
  out.body = risk::BacktestJson(*r).dump();
  if (cache.bodies.size() > 64) cache.bodies.clear();
  cache.bodies[key] = out.body;
  return out;
}

}  // namespace

void AddForecastRoutes(std::vector<Route>& routes, store::Store& store) {
  store::Store* s = &store;
  auto cache = std::make_shared<BacktestCache>();
  routes.push_back({"GET",
                    "/api/v1/risk/forecast",
                    "/api/v1/risk/forecast",
                    {},
                    "Expected events per PRIO-GRID cell and district in the horizon (default 30 "
                    "days) after as_of, from a grid Hawkes model fitted by EM",
                    [s](const Request& r) { return Forecast(*s, r, false); }});
  routes.push_back({"GET",
                    "/api/v1/risk/forecast.geojson",
                    "/api/v1/risk/forecast\\.geojson",
                    {},
                    "The forecast as GeoJSON cells (0.5° squares) with expected and p_any",
                    [s](const Request& r) { return Forecast(*s, r, true); }});
  routes.push_back({"GET",
                    "/api/v1/risk/backtest",
                    "/api/v1/risk/backtest",
                    {},
                    "Rolling-origin backtest by the default protocol: Hawkes against "
                    "persistence, long-run average and decayed history (computed once per "
                    "as_of and data, then cached)",
                    [s, cache](const Request& r) { return Backtest(*s, *cache, r); }});
}

}  // namespace corridor::api
