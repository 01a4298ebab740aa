#include "corridor/service/analyses.h"

#include <memory>

#include "corridor/model/datasets.h"
#include "corridor/risk/columns.h"
#include "corridor/risk/early_warning.h"
#include "corridor/risk/exposure.h"
#include "corridor/risk/hotspots.h"
#include "corridor/risk/impact.h"
#include "corridor/risk/report.h"
#include "corridor/risk/vulnerability.h"
#include "corridor/service/admin.h"
#include "corridor/service/organisations.h"

namespace corridor::service {
namespace {

using nlohmann::json;

const std::vector<std::string> kDatasets = model::IncidentDatasetNames();

// ---- shared parameter groups

// The UCDP type_of_violence list ("1,2,3"), the same in every analysis.
template <typename P>
void AddViolenceTypes(ParamSchema<P>& s, std::vector<int> P::*field, const char* doc,
                      bool with_example) {
  nlohmann::json schema = {{"type", "string"}, {"maxLength", 8}};
  if (with_example) schema["example"] = "1,2,3";
  s.Custom("violence_types", doc, schema, 8, [field](P& p, std::string_view v) -> Result<void> {
    auto parsed = risk::ParseViolenceTypes(v);
    if (!parsed) {
      return Fail(ErrorCode::kInvalidArgument,
                  "violence_types: expected some of 1,2,3 separated by commas");
    }
    p.*field = *parsed;
    return {};
  });
}

// Which events an analysis counts: dataset, as_of, from, to, violence_types,
// precision (risk::EventWindow).
struct WindowParams {
  std::string dataset = "ucdp-ged";
  std::optional<Date> as_of, from, to;
  std::vector<int> violence_types = {1, 2, 3};
  std::string precision = "near";

  static const ParamSchema<WindowParams>& Schema(bool with_precision) {
    static const auto kMake = [](bool precision) {
      ParamSchema<WindowParams> s;
      s.Enum("dataset", &WindowParams::dataset, "The dataset analysed (default ucdp-ged)",
             kDatasets);
      s.Day("as_of", &WindowParams::as_of,
            "Count events dated up to this day (default: the dataset's latest event)");
      s.Day("from", &WindowParams::from, "Only events whose date_start is on or after this day");
      s.Day("to", &WindowParams::to, "Only events whose date_start is on or before this day");
      AddViolenceTypes(
          s, &WindowParams::violence_types,
          "UCDP type_of_violence to count, separated by commas (1 state-based, 2 non-state, "
          "3 one-sided; default 1,2,3)",
          true);
      if (precision) {
        s.Enum("precision", &WindowParams::precision,
               "Coarsest location precision kept (default near: UCDP where_prec 1-2)",
               {"exact", "near", "district", "province"});
      }
      s.AfterParse([](WindowParams& p) -> Result<void> {
        if (p.from && p.to && *p.to < *p.from) {
          return Fail(ErrorCode::kInvalidArgument, "from, to: from is after to");
        }
        return {};
      });
      return s;
    };
    static const auto kWith = kMake(true);
    static const auto kWithout = kMake(false);
    return with_precision ? kWith : kWithout;
  }

  Result<risk::EventWindow> Window() const {
    risk::EventWindow w;
    w.as_of = as_of;
    w.from = from;
    w.to = to;
    w.violence_types = violence_types;
    auto coarsest = risk::ParseCoarsestPrecision(precision);
    if (!coarsest) return Fail(coarsest.error());
    w.coarsest = *coarsest;
    return w;
  }
};

// The early-warning model's parameters (forecast, backtest).
struct ModelParams {
  std::string dataset = "ucdp-ged";
  std::optional<Date> as_of;
  double cutoff_days = 365;
  double sigma_km = 0;
  double horizon_days = 30;

  static const ParamSchema<ModelParams>& Schema(bool with_horizon) {
    static const auto kMake = [](bool horizon) {
      ParamSchema<ModelParams> s;
      s.Enum("dataset", &ModelParams::dataset, "The dataset modelled (default ucdp-ged)",
             kDatasets);
      s.Day("as_of", &ModelParams::as_of,
            "The forecast's issue date: events up to this day are history (default: the "
            "dataset's latest event)");
      s.Number("cutoff", &ModelParams::cutoff_days,
               "Hawkes: only parents within this many days are candidates (default 365)", 0, 730,
               true)
          .Default(365);
      s.Number("sigma", &ModelParams::sigma_km,
               "Hawkes: Gaussian spatial trigger between cell centres, km (default 0: offspring "
               "stay in their cell)",
               0, 200)
          .Default(0);
      if (horizon) {
        s.Number("horizon", &ModelParams::horizon_days,
                 "Forecast horizon, days after as_of (default 30)", 0, 366, true)
            .Default(30);
      }
      return s;
    };
    static const auto kWith = kMake(true);
    static const auto kWithout = kMake(false);
    return with_horizon ? kWith : kWithout;
  }

  risk::EarlyWarningOptions Options(const risk::Budget* budget) const {
    risk::EarlyWarningOptions o;
    o.dataset = dataset;
    o.as_of = as_of;
    o.cutoff_days = cutoff_days;
    o.sigma_km = sigma_km;
    o.budget = budget;
    return o;
  }
};

// ---- the analyses' own parameters

struct IndexParams {
  std::string level = "province";
  std::optional<Date> as_of;
  std::vector<int> violence_types = {1, 2, 3};
  std::string dataset = "ucdp-ged";
  static const ParamSchema<IndexParams>& Schema() {
    static const auto kSchema = [] {
      ParamSchema<IndexParams> s;
      s.Enum("level", &IndexParams::level,
             "province or district (also spelled 1 or 2; default province)",
             {"province", "district", "1", "2"});
      s.Day("as_of", &IndexParams::as_of,
            "Count events dated up to this day; its year is t (default: the dataset's latest "
            "event date)");
      AddViolenceTypes(s, &IndexParams::violence_types,
                       "UCDP type_of_violence to count (default 1,2,3)", false);
      s.Enum("dataset", &IndexParams::dataset, "The dataset counted (default ucdp-ged)", kDatasets);
      return s;
    }();
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct VulnerabilityParams {
  std::optional<int> year;
  std::optional<Date> as_of;
  static const ParamSchema<VulnerabilityParams>& Schema() {
    static const auto kSchema =
        ParamSchema<VulnerabilityParams>()
            .Integer("year", &VulnerabilityParams::year,
                     "Reference year of the Data4Pakistan indicators (default: the configured one)",
                     1990, 2100)
            .Day("as_of", &VulnerabilityParams::as_of,
                 "The impact index it is correlated with counts events up to this day");
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct HotspotParams {
  WindowParams window;
  std::string kernel = "gaussian";
  std::optional<double> bandwidth_km;
  double cell_km = risk::kShareableMinCellKm;
  double min_fraction = 0.001;
  static const ParamSchema<HotspotParams>& Schema(bool geojson) {
    static const auto kMake = [](bool cells) {
      ParamSchema<HotspotParams> s;
      s.Include(&HotspotParams::window, WindowParams::Schema(true));
      s.Enum("kernel", &HotspotParams::kernel,
             "gaussian (bandwidth = standard deviation) or quartic (bandwidth = radius); default "
             "gaussian",
             {"gaussian", "quartic"});
      s.Number("bandwidth", &HotspotParams::bandwidth_km, "Bandwidth in km (default: Scott's rule)",
               0, 500, true);
      s.Number("cell", &HotspotParams::cell_km,
               "Cell side in km; at least 5 (layers that may be shared); default 5",
               risk::kShareableMinCellKm, 200)
          .Default(risk::kShareableMinCellKm);
      if (cells) {
        s.Number("min_fraction", &HotspotParams::min_fraction,
                 "Leave out cells whose density is below this fraction of the maximum (default "
                 "0.001)",
                 0, 1)
            .Default(0.001);
      }
      return s;
    };
    static const auto kRaster = kMake(false);
    static const auto kCells = kMake(true);
    return geojson ? kCells : kRaster;
  }
  Result<risk::HotspotOptions> Options(const risk::Budget* budget) const {
    risk::HotspotOptions o;
    o.shareable = true;
    o.dataset = window.dataset;
    auto w = window.Window();
    if (!w) return Fail(w.error());
    o.window = *w;
    o.kernel = risk::ParseKernel(kernel).value_or(risk::Kernel::kGaussian);
    o.bandwidth_km = bandwidth_km;
    o.cell_km = cell_km;
    o.budget = budget;
    return o;
  }
};
struct GiStarParams {
  WindowParams window;
  std::string units = "district";
  double cell_km = 25;
  std::optional<int> k;
  std::optional<double> band_km;
  static const ParamSchema<GiStarParams>& Schema() {
    static const auto kSchema = [] {
      ParamSchema<GiStarParams> s;
      s.Include(&GiStarParams::window, WindowParams::Schema(true));
      s.Enum("units", &GiStarParams::units, "Gi* units: district (default) or grid",
             {"district", "grid"});
      s.Number("cell", &GiStarParams::cell_km, "Grid cell side in km (units=grid; default 25)",
               risk::kShareableMinCellKm, 200)
          .Default(25);
      s.Integer("k", &GiStarParams::k, "k-nearest weights: the k nearest other units (default 8)",
                1, 64);
      s.Number("band", &GiStarParams::band_km,
               "Distance-band weights: units within this many km (instead of k)", 0, 500, true);
      s.AfterParse([](GiStarParams& p) -> Result<void> {
        if (p.k && p.band_km)
          return Fail(ErrorCode::kInvalidArgument, "k, band: give one, not both");
        return {};
      });
      return s;
    }();
    return kSchema;
  }
};

struct KnoxParams {
  WindowParams window;
  double distance_km = 10;
  double days = 14;
  int permutations = 999;
  std::int64_t seed = 20'240'501;
  static const ParamSchema<KnoxParams>& Schema() {
    static const auto kSchema = [] {
      ParamSchema<KnoxParams> s;
      s.Include(&KnoxParams::window, WindowParams::Schema(true));
      s.Number("distance", &KnoxParams::distance_km, "Closeness in space, km (default 10)", 0, 200,
               true)
          .Default(10);
      s.Number("days", &KnoxParams::days, "Closeness in time, days (default 14)", 0, 365)
          .Default(14);
      s.Integer("permutations", &KnoxParams::permutations,
                "Monte-Carlo permutations (default 999); many permutations over a wide window "
                "exceed a request's budget: submit them as a job",
                1, 9'999)
          .Default(999);
      s.Integer("seed", &KnoxParams::seed,
                "Random seed (default 20240501); results are reproducible", 0,
                9'007'199'254'740'991LL)
          .Default(20'240'501);
      return s;
    }();
    return kSchema;
  }
};

struct ExposureParams {
  std::string dataset = "ucdp-ged";
  double radius_km = 50;
  double decay_km = 10;
  std::optional<Date> from, to, as_of;
  std::optional<int> days;
  std::vector<int> violence_types = {1, 2, 3};
  std::optional<Uuid> site;
  static const ParamSchema<ExposureParams>& Schema(bool one_site) {
    static const auto kMake = [](bool site) {
      ParamSchema<ExposureParams> s;
      s.Enum("dataset", &ExposureParams::dataset, "The dataset counted (default ucdp-ged)",
             kDatasets);
      s.Number("radius_km", &ExposureParams::radius_km,
               "Incidents within this geodesic distance of a site's footprint (default 50)", 0, 500,
               true)
          .Default(50);
      s.Number("decay_km", &ExposureParams::decay_km,
               "Length scale L of the distance weight exp(-d/L) (default 10)", 0, 500, true)
          .Default(10);
      s.Day("from", &ExposureParams::from, "Window start (by date_start); not with days");
      s.Day("to", &ExposureParams::to, "Window end (default: as_of)");
      s.Integer("days", &ExposureParams::days,
                "Window length ending at to (default 365, not with from)", 1, 36'600);
      s.Day("as_of", &ExposureParams::as_of, "Data through this day (default: the latest event)");
      AddViolenceTypes(s, &ExposureParams::violence_types,
                       "UCDP type_of_violence to count (default 1,2,3)", false);
      if (site) {
        s.Id("site", &ExposureParams::site, "The site's id").In(ParamIn::kPath);
      }
      s.AfterParse([](ExposureParams& p) -> Result<void> {
        if (p.days && p.from) {
          return Fail(ErrorCode::kInvalidArgument, "days and from exclude each other");
        }
        return {};
      });
      return s;
    };
    static const auto kAll = kMake(false);
    static const auto kOne = kMake(true);
    return one_site ? kOne : kAll;
  }
};

// ---- computations

std::string Dump(const json& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

Result<std::string> Index(const Context& ctx, const IndexParams& p, const risk::Budget* budget) {
  risk::AreaIndexOptions o;
  o.level = *risk::ParseAreaLevel(p.level);
  o.as_of = p.as_of;
  o.violence_types = p.violence_types;
  if (auto ok = risk::Budget::Check(budget); !ok) return Fail(ok.error());
  auto r = risk::ComputeAreaIndexFromStore(ctx.store, p.dataset, o);
  if (!r) return Fail(r.error());
  return Dump(risk::ToJson(*r, o.weights));
}

Result<std::string> Vulnerability(const Context& ctx, const VulnerabilityParams& p,
                                  const risk::Budget* budget) {
  risk::AreaIndexOptions options;
  options.level = risk::AreaLevel::kDistrict;
  options.as_of = p.as_of;
  const std::string path =
      risk::DefaultDataDir() + "/data4pakistan-district-indicators/pakistan_indicators.csv";
  auto result = risk::ComputeVulnerabilityFromFiles(path, "", "", p.year);
  if (!result) return Fail(result.error());
  if (auto ok = risk::Budget::Check(budget); !ok) return Fail(ok.error());
  std::optional<risk::ImpactCorrelation> correlation;
  std::string note;
  auto impact = risk::ComputeAreaIndexFromStore(ctx.store, "ucdp-ged", options);
  if (impact) {
    correlation = risk::CorrelateWithImpact(*result, *impact);
  } else {
    note = impact.error().message;
  }
  auto body = risk::ToJson(*result, correlation);
  if (!correlation) body["correlation_note"] = note;
  return Dump(body);
}

Result<std::string> Hotspots(const Context& ctx, const HotspotParams& p, bool geojson,
                             const risk::Budget* budget) {
  auto o = p.Options(budget);
  if (!o) return Fail(o.error());
  if (auto ok = risk::CheckCellSize(o->cell_km, true); !ok) return Fail(ok.error());
  auto s = risk::ComputeHotspots(ctx.store, *o);
  if (!s) return Fail(s.error());
  if (!geojson) return Dump(risk::RasterJson(*s));
  auto cells = risk::CellsGeoJson(*s, p.min_fraction);
  if (!cells) return Fail(cells.error());
  return Dump(*cells);
}

Result<std::string> GiStar(const Context& ctx, const GiStarParams& p, const risk::Budget* budget) {
  risk::GiStarOptions o;
  o.shareable = true;
  o.dataset = p.window.dataset;
  auto w = p.window.Window();
  if (!w) return Fail(w.error());
  o.window = *w;
  o.units = p.units == "grid" ? risk::GiUnits::kGrid : risk::GiUnits::kDistrict;
  o.cell_km = p.cell_km;
  if (p.band_km) {
    o.weights = {risk::SpatialWeights::Kind::kDistanceBand, *p.band_km, 0};
  } else if (p.k) {
    o.weights = {risk::SpatialWeights::Kind::kKNearest, 0, *p.k};
  }
  o.budget = budget;
  auto r = risk::ComputeGiStar(ctx.store, o);
  if (!r) return Fail(r.error());
  return Dump(risk::ToJson(*r));
}

Result<std::string> Knox(const Context& ctx, const KnoxParams& p, const risk::Budget* budget) {
  risk::KnoxRunOptions o;
  o.dataset = p.window.dataset;
  auto w = p.window.Window();
  if (!w) return Fail(w.error());
  o.window = *w;
  o.knox.distance_km = p.distance_km;
  o.knox.days = p.days;
  o.knox.permutations = p.permutations;
  o.knox.seed = static_cast<std::uint64_t>(p.seed);
  o.knox.budget = budget;
  auto r = risk::ComputeKnox(ctx.store, o);
  if (!r) return Fail(r.error());
  return Dump(risk::ToJson(*r));
}

Result<std::string> Forecast(const Context& ctx, const ModelParams& p, bool geojson,
                             const risk::Budget* budget) {
  auto r = risk::ComputeForecast(ctx.store, p.Options(budget), p.horizon_days);
  if (!r) return Fail(r.error());
  return Dump(geojson ? risk::ForecastGeoJson(*r) : risk::ToJson(*r));
}

// The backtest fits the model 120 times: its result is kept per model
// parameters and the data's fingerprint (events and days), so it is computed
// once per as-of and data; a later request or job reads it.
struct BacktestCache {
  std::mutex mu;
  std::map<std::string, std::string> bodies;
};

Result<std::string> Backtest(const Context& ctx, const ModelParams& p, const risk::Budget* budget) {
  static BacktestCache cache;
  auto columns = risk::LoadIncidentColumns(ctx.store, p.dataset);
  if (!columns) return Fail(columns.error());
  std::int64_t day_sum = 0;
  for (const auto d : columns->day) day_sum += d;
  const std::string key = p.dataset + "|" + (p.as_of ? p.as_of->iso() : "latest") + "|" +
                          std::to_string(p.cutoff_days) + "|" + std::to_string(p.sigma_km) + "|" +
                          std::to_string(columns->size()) + "|" + std::to_string(day_sum) + "|" +
                          (columns->latest ? columns->latest->iso() : "");
  {
    std::lock_guard lock(cache.mu);
    if (auto it = cache.bodies.find(key); it != cache.bodies.end()) return it->second;
  }
  risk::BacktestOptions bo;
  bo.model = p.Options(budget);
  auto r = risk::RunBacktest(ctx.store, bo);
  if (!r) return Fail(r.error());
  std::string body = risk::BacktestJson(*r).dump();
  std::lock_guard lock(cache.mu);
  if (cache.bodies.size() > 64) cache.bodies.clear();
  cache.bodies[key] = body;
  return body;
}

Result<std::string> Exposure(const Context& ctx, const ExposureParams& p,
                             const risk::Budget* budget) {
  risk::ExposureOptions o;
  o.radius_km = p.radius_km;
  o.decay_km = p.decay_km;
  o.from = p.from;
  o.to = p.to;
  o.as_of = p.as_of;
  if (p.days) o.days = *p.days;
  o.violence_types = p.violence_types;
  o.budget = budget;
  o.list_counted_of = p.site;  // one site: the incidents it counted, for the map
  auto result = risk::ComputeExposureFromStore(ctx.store, p.dataset, o);
  if (!result) return Fail(result.error());
  if (!p.site) return Dump(risk::ToJson(*result));
  for (const auto& row : result->rows) {
    if (row.id == *p.site) {
      json body = risk::ToJson(*result);
      body.erase("rows");
      body["site"] = risk::ToJson(row);
      body["sites_ranked"] = result->rows.size();
      return Dump(body);
    }
  }
  return Fail(ErrorCode::kNotFound, "no site " + p.site->str());
}

// ---- the table

// An analysis whose computation needs the caller (who it is, not only that
// it may: the decision on `action` is made before `fn` runs).
template <typename P>
Analysis MakeForCaller(
    std::string kind, std::string path, std::string summary, bool geojson, auth::Action action,
    const ParamSchema<P>& schema,
    std::function<Result<std::string>(const Context&, const Caller&, const P&, const risk::Budget*)>
        fn) {
  Analysis a;
  a.kind = std::move(kind);
  a.path = std::move(path);
  a.summary = std::move(summary);
  a.content_type = geojson ? "application/geo+json" : "application/json";
  a.action = action;
  a.parameters = schema.OpenApi();
  const ParamSchema<P>* s = &schema;
  auto parse = [s](const QueryPairs& q, const PathParams& path) -> Result<P> {
    P p{};
    if (auto ok = s->ParseInto(p, q, path); !ok) return Fail(ok.error());
    if (auto ok = s->Check(p); !ok) return Fail(ok.error());
    return p;
  };
  a.validate = [parse](const QueryPairs& q, const PathParams& path) -> Result<void> {
    auto p = parse(q, path);
    if (!p) return Fail(p.error());
    return {};
  };
  a.run = [parse, fn = std::move(fn), action](const Context& ctx, const Caller& caller,
                                              const QueryPairs& q, const PathParams& path,
                                              const risk::Budget* budget) -> Result<std::string> {
    if (auto ok = Require(caller, action); !ok) return Fail(ok.error());
    auto p = parse(q, path);
    if (!p) return Fail(p.error());
    return fn(ctx, caller, *p, budget);
  };
  return a;
}

template <typename P>
Analysis Make(
    std::string kind, std::string path, std::string summary, bool geojson, auth::Action action,
    const ParamSchema<P>& schema,
    std::function<Result<std::string>(const Context&, const P&, const risk::Budget*)> fn) {
  return MakeForCaller<P>(std::move(kind), std::move(path), std::move(summary), geojson, action,
                          schema,
                          [fn = std::move(fn)](const Context& ctx, const Caller&, const P& p,
                                               const risk::Budget* b) { return fn(ctx, p, b); });
}

std::vector<Analysis> BuildAnalyses() {
  using A = auth::Action;
  std::vector<Analysis> out;
  out.push_back(Make<IndexParams>(
      "risk.index", "/api/v1/risk/index",
      "Impact index (GTI method) of every province or district from one dataset", false, A::kRead,
      IndexParams::Schema(), [](const Context& c, const IndexParams& p, const risk::Budget* b) {
        return Index(c, p, b);
      }));
  out.push_back(Make<VulnerabilityParams>(
      "risk.vulnerability", "/api/v1/risk/vulnerability",
      "Structural vulnerability per OCHA district (Data4Pakistan, INFORM-style) and its Spearman "
      "correlation with the district impact index",
      false, A::kRead, VulnerabilityParams::Schema(),
      [](const Context& c, const VulnerabilityParams& p, const risk::Budget* b) {
        return Vulnerability(c, p, b);
      }));
  out.push_back(Make<HotspotParams>(
      "risk.hotspots", "/api/v1/risk/hotspots",
      "Kernel density surface (events per km², LAEA plane) as a raster JSON; cells of 5 km or more",
      false, A::kRead, HotspotParams::Schema(false),
      [](const Context& c, const HotspotParams& p, const risk::Budget* b) {
        return Hotspots(c, p, false, b);
      }));
  out.push_back(Make<HotspotParams>(
      "risk.hotspots.geojson", "/api/v1/risk/hotspots.geojson",
      "Kernel density surface as GeoJSON cell polygons (WGS84); cells of 5 km or more", true,
      A::kRead, HotspotParams::Schema(true),
      [](const Context& c, const HotspotParams& p, const risk::Budget* b) {
        return Hotspots(c, p, true, b);
      }));
  out.push_back(Make<GiStarParams>("risk.gistar", "/api/v1/risk/gistar",
                                   "Getis-Ord Gi* z and p on district or grid counts", false,
                                   A::kRead, GiStarParams::Schema(),
                                   [](const Context& c, const GiStarParams& p,
                                      const risk::Budget* b) { return GiStar(c, p, b); }));
  out.push_back(Make<KnoxParams>(
      "risk.knox", "/api/v1/risk/knox", "Knox space-time test with a seeded Monte-Carlo p-value",
      false, A::kRead, KnoxParams::Schema(),
      [](const Context& c, const KnoxParams& p, const risk::Budget* b) { return Knox(c, p, b); }));
  out.push_back(Make<ModelParams>(
      "risk.forecast", "/api/v1/risk/forecast",
      "Expected events per PRIO-GRID cell and district in the horizon (default 30 days) after "
      "as_of, from a grid Hawkes model fitted by EM",
      false, A::kRead, ModelParams::Schema(true),
      [](const Context& c, const ModelParams& p, const risk::Budget* b) {
        return Forecast(c, p, false, b);
      }));
  out.push_back(Make<ModelParams>(
      "risk.forecast.geojson", "/api/v1/risk/forecast.geojson",
      "The forecast as GeoJSON cells (0.5° squares) with expected and p_any", true, A::kRead,
      ModelParams::Schema(true), [](const Context& c, const ModelParams& p, const risk::Budget* b) {
        return Forecast(c, p, true, b);
      }));
  out.push_back(Make<ModelParams>(
      "risk.backtest", "/api/v1/risk/backtest",
      "Rolling-origin backtest by the default protocol: Hawkes against persistence, long-run "
      "average and decayed history (computed once per as_of and data, then cached)",
      false, A::kRead, ModelParams::Schema(false),
      [](const Context& c, const ModelParams& p, const risk::Budget* b) {
        return Backtest(c, p, b);
      }));
  out.push_back(Make<ExposureParams>(
      "risk.exposure", "/api/v1/risk/exposure",
      "Corridor sites ranked by the impact-weighted, distance-decayed violence within R km of "
      "their footprint over a window",
      false, A::kReadSites, ExposureParams::Schema(false),
      [](const Context& c, const ExposureParams& p, const risk::Budget* b) {
        return Exposure(c, p, b);
      }));
  out.push_back(Make<ExposureParams>("risk.exposure.site", "/api/v1/risk/exposure/{site}",
                                     "The exposure of one site, with its rank among all sites and "
                                     "the incidents it counted (site.counted)",
                                     false, A::kReadSites, ExposureParams::Schema(true),
                                     [](const Context& c, const ExposureParams& p,
                                        const risk::Budget* b) { return Exposure(c, p, b); }));
  for (const bool one : {false, true}) {
    out.push_back(MakeForCaller<OrganisationParams>(
        one ? "organisations.page" : "organisations.list",
        one ? "/api/v1/armed-organisations/{organisation}" : "/api/v1/armed-organisations",
        one ? "One armed organisation's page: incidents and deaths per year, districts, "
              "categories, target types, other sides, latest incidents and the assessments citing "
              "them (docs/organisations.md)"
            : "Armed organisations (config/armed_organisations.tsv) ranked by the incidents one "
              "dataset attributes to them or shows them in; states, ethnic or communal groups, "
              "parties and persons are never listed",
        false, A::kRead, OrganisationParams::Schema(one),
        [one](const Context& c, const Caller& caller, const OrganisationParams& p,
              const risk::Budget* b) -> Result<std::string> {
          auto body = one ? ArmedOrganisationPage(c, caller, p, b)
                          : ListArmedOrganisations(c, caller, p, b);
          if (!body) return Fail(body.error());
          return Dump(*body);
        }));
  }
  out.push_back(MakeForCaller<NoParams>(
      "audit.verify", "/api/v1/admin/audit/verify",
      "Check every audit entry's hash and link and every checkpoint's signature, up to the head "
      "when the check began",
      false, A::kReadAudit, NoParams::Schema(),
      [](const Context& c, const Caller& caller, const NoParams&,
         const risk::Budget* b) -> Result<std::string> {
        auto report = VerifyAudit(c, caller, std::nullopt, b);
        if (!report) return Fail(report.error());
        return ToJson(*report).dump();
      }));
  return out;
}

}  // namespace

const std::vector<Analysis>& Analyses() {
  static const std::vector<Analysis> kAnalyses = BuildAnalyses();
  return kAnalyses;
}

const Analysis* FindAnalysis(std::string_view kind) {
  for (const auto& a : Analyses()) {
    if (a.kind == kind) return &a;
  }
  return nullptr;
}

Result<std::string> ComputeGate::Run(const std::string& user,
                                     const std::function<Result<std::string>()>& fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (total_ >= limits_.total) {
      return Fail(ErrorCode::kRateLimited,
                  "the server is running " + std::to_string(limits_.total) +
                      " analyses already; try again shortly or submit a job (POST /api/v1/jobs)");
    }
    int& mine = running_[user];
    if (mine >= limits_.per_user) {
      return Fail(ErrorCode::kRateLimited, "you are running " + std::to_string(limits_.per_user) +
                                               " analyses already; wait for one to finish");
    }
    ++mine;
    ++total_;
  }
  struct Release {
    ComputeGate* gate;
    const std::string& user;
    ~Release() {
      std::lock_guard<std::mutex> lock(gate->mu_);
      if (--gate->running_[user] <= 0) gate->running_.erase(user);
      --gate->total_;
    }
  } release{this, user};
  return fn();
}

Result<std::string> RunAnalysis(const Context& ctx, ComputeGate& gate, const Caller& caller,
                                const Analysis& analysis, const QueryPairs& query,
                                const PathParams& path) {
  // Bad parameters are answered before a slot is taken.
  if (auto ok = analysis.validate(query, path); !ok) return Fail(ok.error());
  return gate.Run(caller.actor, [&]() -> Result<std::string> {
    risk::Budget budget(gate.limits().request_budget);
    auto out = analysis.run(ctx, caller, query, path, &budget);
    if (!out && budget.Check().has_value() == false) {
      json params = json::object();
      for (const auto& [k, v] : query) params[k] = v;
      for (const auto& [k, v] : path) params[k] = v;
      return Fail(ErrorCode::kUnavailable,
                  out.error().message + "; submit it as a job: POST /api/v1/jobs " +
                      json{{"kind", analysis.kind}, {"params", params}}.dump());
    }
    return out;
  });
}

}  // namespace corridor::service
