#include "corridor/service/routing.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>

#include "corridor/common/strings.h"
#include "corridor/routing/graph.h"

namespace corridor::service {
namespace {

using nlohmann::json;

constexpr const char* kAttribution =
    "Roads: © OpenStreetMap contributors (ODbL 1.0); incidents: the records the caller may read";
constexpr std::size_t kMaxAvoidPolygons = 8;
constexpr std::size_t kMaxAvoidVertices = 64;

// "LAT,LON" → a point; errors name the parameter.
Result<routing::LatLon> ParsePoint(const std::string& name, std::string_view text) {
  const auto comma = text.find(',');
  routing::LatLon p;
  const auto number = [](std::string_view s, double* out) {
    s = Trim(s);
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(*out);
  };
  if (comma == std::string_view::npos || !number(text.substr(0, comma), &p.lat) ||
      !number(text.substr(comma + 1), &p.lon) || std::fabs(p.lat) > 90 || std::fabs(p.lon) > 180) {
    return Fail(ErrorCode::kInvalidArgument,
                name +
                    ": expected LAT,LON in degrees (latitude -90..90, longitude -180..180), "
                    "got '" +
                    Excerpt(text, 40) + "'");
  }
  return p;
}

Result<std::vector<routing::Polygon>> ParseAvoid(std::string_view text) {
  std::vector<routing::Polygon> out;
  if (Trim(text).empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const auto bar = text.find('|', start);
    const std::string_view ring =
        text.substr(start, bar == std::string_view::npos ? bar : bar - start);
    const std::string where = "avoid: polygon " + std::to_string(out.size() + 1);
    if (out.size() == kMaxAvoidPolygons) {
      return Fail(ErrorCode::kInvalidArgument,
                  "avoid: at most " + std::to_string(kMaxAvoidPolygons) + " polygons");
    }
    routing::Polygon polygon;
    std::size_t s = 0;
    for (;;) {
      const auto semi = ring.find(';', s);
      auto p = ParsePoint(where + " vertex " + std::to_string(polygon.size() + 1),
                          ring.substr(s, semi == std::string_view::npos ? semi : semi - s));
      if (!p) return Fail(p.error());
      polygon.push_back(*p);
      if (polygon.size() > kMaxAvoidVertices) {
        return Fail(ErrorCode::kInvalidArgument,
                    where + ": at most " + std::to_string(kMaxAvoidVertices) + " vertices");
      }
      if (semi == std::string_view::npos) break;
      s = semi + 1;
    }
    if (polygon.size() < 3) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + ": at least 3 vertices (LAT,LON;LAT,LON;...)");
    }
    out.push_back(std::move(polygon));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return out;
}

// The graph of the stored roads, built once per set of loaded extracts and
// shared by every request until an extract is (re)loaded. Keyed by the store
// and by the extracts' names and load times.
struct CachedGraph {
  std::string key;
  std::shared_ptr<const routing::Graph> graph;
  std::vector<std::string> names;
  model::BoundingBox bbox;
};

Result<CachedGraph> RoadGraph(const Context& ctx) {
  static std::mutex mu;
  static std::map<const store::Store*, CachedGraph> cache;
  auto roads = store::NewRoadStore();
  store::Database& db = ctx.store.database();
  // One build at a time; readers wait for it. The extracts (the key) and
  // their ways are read under the lock, so a graph is never stored under the
  // key of another load.
  std::lock_guard<std::mutex> lock(mu);
  auto extracts =
      store::InReadTransaction(db, [&](store::Transaction& tx) { return roads->Extracts(tx); });
  if (!extracts) return Fail(extracts.error());
  if (extracts->empty()) {
    return Fail(ErrorCode::kNotFound,
                "no roads are loaded: run `corridor roads load FILE.osm.pbf` first");
  }
  std::string key;
  std::vector<std::string> names;
  for (const auto& e : *extracts) {
    key += e.name + "@" + e.loaded + "#" + e.sha256 + ";";
    names.push_back(e.name);
  }
  auto it = cache.find(&ctx.store);
  if (it != cache.end() && it->second.key == key) return it->second;
  auto ways = store::InReadTransaction(db, [&](store::Transaction& tx) { return roads->Ways(tx); });
  if (!ways) return Fail(ways.error());
  std::vector<routing::Way> graph_ways;
  graph_ways.reserve(ways->size());
  model::BoundingBox box{180, 90, -180, -90};
  for (const auto& w : *ways) {
    if (w.nodes.size() < 2) continue;
    routing::Way g;
    g.id = w.id;
    g.nodes = w.nodes;
    g.rule = {w.speed_kmh, w.forward, w.backward};
    g.points.reserve(w.nodes.size());
    for (std::size_t i = 0; i < w.nodes.size(); ++i) {
      g.points.push_back({w.lat[i], w.lon[i]});
      box.min_lat = std::min(box.min_lat, w.lat[i]);
      box.max_lat = std::max(box.max_lat, w.lat[i]);
      box.min_lon = std::min(box.min_lon, w.lon[i]);
      box.max_lon = std::max(box.max_lon, w.lon[i]);
    }
    graph_ways.push_back(std::move(g));
  }
  CachedGraph built{key, std::make_shared<const routing::Graph>(routing::Graph::Build(graph_ways)),
                    names, box};
  cache[&ctx.store] = built;
  return built;
}

// `v` to `decimals` places, printed without binary noise (14832.8, not 14832.800000000001).
double Rounded(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

json LineString(const std::vector<routing::LatLon>& points) {
  json coords = json::array();
  for (const auto& p : points) {
    coords.push_back({Rounded(p.lon, 6), Rounded(p.lat, 6)});
  }
  return {{"type", "LineString"}, {"coordinates", coords}};
}

// One route as the API shows it; `segments` lists the driven edges that carry
// risk, in order, so a map can colour them.
json RouteJson(const char* kind, const routing::Path& path, const routing::Graph& graph,
               const routing::RiskSurface& risk) {
  json segments = json::array();
  const auto add = [&](std::int64_t edge, double fraction) {
    if (edge < 0) return;
    const auto e = static_cast<std::uint32_t>(edge);
    const double r = risk.Risk(e, fraction);
    if (r <= 0.0005) return;
    const routing::Edge& ed = graph.edges()[e];
    const routing::LatLon a = graph.position(ed.from);
    const routing::LatLon b = graph.position(ed.to);
    segments.push_back({{"from", {Rounded(a.lon, 6), Rounded(a.lat, 6)}},
                        {"to", {Rounded(b.lon, 6), Rounded(b.lat, 6)}},
                        {"length_m", Rounded(ed.length_m * fraction, 1)},
                        {"risk", Rounded(r, 3)}});
  };
  add(path.start_edge, path.start_fraction);
  for (const auto e : path.edges) add(e, 1.0);
  if (path.end_edge != path.start_edge || !path.edges.empty())
    add(path.end_edge, path.end_fraction);
  const double total_risk = path.Sum([&](std::uint32_t e, double f) { return risk.Risk(e, f); });
  return {{"kind", kind},
          {"length_m", Rounded(path.length_m, 1)},
          {"duration_s", Rounded(path.duration_s, 1)},
          {"risk", Rounded(total_risk, 3)},
          {"geometry", LineString(path.geometry)},
          {"segments", segments}};
}

}  // namespace

const ParamSchema<RouteParams>& RouteParams::Schema() {
  static const auto kSchema =
      ParamSchema<RouteParams>()
          .Text("from", &RouteParams::from, "start, LAT,LON in WGS84 degrees", 64)
          .Required()
          .Example("33.7000,73.0300")
          .Text("to", &RouteParams::to, "destination, LAT,LON in WGS84 degrees", 64)
          .Required()
          .Example("33.6400,73.0700")
          .Day("as_of", &RouteParams::as_of,
               "date of the risk picture (default: the latest incident the caller may read)")
          .Integer("window_days", &RouteParams::window_days,
                   "incidents of the days up to as_of that count", 1, 3650)
          .Default(365)
          .Number("decay_m", &RouteParams::decay_m,
                  "distance over which an incident's risk decays by e, metres (an incident "
                  "reaches 5 times as far; bounded so one request's risk pass stays small)",
                  50, 5000)
          .Default(500)
          .Number("lambda", &RouteParams::lambda,
                  "seconds of driving worth avoiding one incident-km", 0, 86400)
          .Default(600)
          .Number("max_snap_m", &RouteParams::max_snap_m,
                  "farthest a point may be from a drivable road, metres", 1, 20000)
          .Default(1000)
          .Text("avoid", &RouteParams::avoid,
                "areas never entered: LAT,LON;LAT,LON;LAT,LON, polygons separated by | (at most 8 "
                "of 3 to 64 vertices)",
                kMaxAvoidPolygons * kMaxAvoidVertices * 48);
  return kSchema;
}

Result<void> RouteParams::Validate() {
  if (auto ok = Schema().Check(*this); !ok) return ok;
  auto f = ParsePoint("from", from);
  if (!f) return Fail(f.error());
  auto t = ParsePoint("to", to);
  if (!t) return Fail(t.error());
  auto a = ParseAvoid(avoid);
  if (!a) return Fail(a.error());
  from_point = *f;
  to_point = *t;
  avoid_polygons = std::move(*a);
  return {};
}

Result<store::RoadExtract> LoadRoads(const Context& ctx, const Caller& caller,
                                     const std::string& pbf_path) {
  if (auto ok = Require(caller, auth::Action::kManageSites); !ok) return Fail(ok.error());
  auto ways = routing::ReadOsmPbf(pbf_path);
  if (!ways) return Fail(ways.error());
  // The bytes whose sha256 is recorded: every byte of the file, or an error
  // (a short read is not a different file).
  std::ifstream in(pbf_path, std::ios::binary | std::ios::ate);
  const std::streamoff size = in ? static_cast<std::streamoff>(in.tellg()) : -1;
  std::string bytes(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  if (size < 0 || !in.seekg(0) || !in.read(bytes.data(), size) || in.gcount() != size) {
    return Fail(ErrorCode::kInvalidArgument, pbf_path + ": cannot be read");
  }
  store::RoadExtract extract;
  extract.name = std::filesystem::path(pbf_path).filename().string();
  extract.sha256 = Sha256Hex(bytes);
  extract.loaded = NowTimestamp();
  std::vector<store::RoadWay> rows;
  rows.reserve(ways->size());
  for (const auto& w : *ways) {
    store::RoadWay r;
    r.id = w.id;
    r.speed_kmh = w.rule.speed_kmh;
    r.forward = w.rule.forward;
    r.backward = w.rule.backward;
    r.nodes = w.nodes;
    for (const auto& p : w.points) {
      r.lat.push_back(p.lat);
      r.lon.push_back(p.lon);
    }
    extract.vertices += static_cast<std::int64_t>(w.nodes.size());
    rows.push_back(std::move(r));
  }
  extract.ways = static_cast<std::int64_t>(rows.size());
  auto roads = store::NewRoadStore();
  auto stored = store::InWriteTransaction(ctx.store.database(), [&](store::Transaction& tx) {
    return roads->ReplaceExtract(tx, extract, rows);
  });
  if (!stored) {
    Error e = stored.error();
    e.message = pbf_path + ": " + e.message;
    return Fail(std::move(e));
  }
  const json detail = {{"file", extract.name}, {"sha256", extract.sha256}, {"ways", extract.ways}};
  if (auto a = Audit(ctx, caller, "roads-load", {extract.name}, detail.dump()); !a) {
    return Fail(a.error());
  }
  return extract;
}

Result<std::vector<store::RoadExtract>> ListRoadExtracts(const Context& ctx) {
  auto roads = store::NewRoadStore();
  return store::InReadTransaction(ctx.store.database(),
                                  [&](store::Transaction& tx) { return roads->Extracts(tx); });
}

Result<json> PlanRoute(const Context& ctx, const Caller& caller, const RouteParams& p) {
  if (auto ok = Require(caller, auth::Action::kReadSites); !ok) return Fail(ok.error());
  auto cached = RoadGraph(ctx);
  if (!cached) return Fail(cached.error());
  const routing::Graph& graph = *cached->graph;
  auto from = graph.SnapPoint(p.from_point, p.max_snap_m);
  if (!from) return Fail(ErrorCode::kNotFound, "from: " + from.error().message);
  auto to = graph.SnapPoint(p.to_point, p.max_snap_m);
  if (!to) return Fail(ErrorCode::kNotFound, "to: " + to.error().message);

  // The risk picture: incidents the caller may read, placed exactly or
  // nearly, in the window up to as_of, around the loaded roads.
  std::optional<Date> as_of = p.as_of;
  if (!as_of) {
    auto latest = ctx.store.LatestIncidentDate(caller.viewer);
    if (!latest) return Fail(latest.error());
    as_of = latest->value_or(Date::ParseIso(NowTimestamp().substr(0, 10)).value_or(Date()));
  }
  model::IncidentFilter filter;
  filter.from = Date(as_of->days() - p.window_days + 1);
  filter.to = *as_of;
  // Incidents reach 5 decay lengths: widen the roads' box by that much (a
  // degree of longitude shrinks with the cosine of the latitude).
  const double margin_lat = 5 * p.decay_m / 111000.0 + 0.01;
  const double widest = std::max(std::fabs(cached->bbox.min_lat), std::fabs(cached->bbox.max_lat));
  const double margin_lon =
      margin_lat / std::max(0.05, std::cos(std::min(89.0, widest) * std::numbers::pi / 180));
  filter.bbox =
      model::BoundingBox{cached->bbox.min_lon - margin_lon, cached->bbox.min_lat - margin_lat,
                         cached->bbox.max_lon + margin_lon, cached->bbox.max_lat + margin_lat};
  std::vector<routing::RiskIncident> incidents;
  std::vector<MarkedObject> marked;
  auto read = ctx.store.ForEachIncident(caller.viewer, filter, [&](const model::Incident& i) {
    if (!i.latitude || !i.longitude) return true;
    if (i.location_precision != model::LocationPrecision::kExact &&
        i.location_precision != model::LocationPrecision::kNear) {
      return true;
    }
    // An event counts on the day it ended (the last day it was still going on);
    // one still going on after as_of is not in the picture of that day.
    if (i.date_end > *as_of) return true;
    incidents.push_back({{*i.latitude, *i.longitude}, i.date_end.days(), 1.0});
    marked.push_back({i.id.str(), i.marking.tlp});
    return true;
  });
  if (!read) return Fail(read.error());

  routing::RiskParams rp;
  rp.as_of_day = as_of->days();
  rp.window_days = p.window_days;
  rp.decay_m = p.decay_m;
  rp.lambda_s_per_unit = p.lambda;
  const routing::RiskSurface risk(graph, incidents, rp, p.avoid_polygons);
  auto shortest = graph.Route(*from, *to, risk.TimeCost());
  if (!shortest) return Fail(shortest.error());
  auto safest = graph.Route(*from, *to, risk.RiskCost());
  if (!safest) return Fail(safest.error());
  // Reading the route's risk reads the marked incidents behind it.
  if (auto a = AuditMarkedReads(ctx, caller, marked); !a) return Fail(a.error());

  const auto snapped = [](const routing::Snap& s) {
    return json{{"lat", Rounded(s.point.lat, 6)},
                {"lon", Rounded(s.point.lon, 6)},
                {"distance_m", Rounded(s.distance_m, 1)}};
  };
  return json{{"routes",
               {RouteJson("shortest", *shortest, graph, risk),
                RouteJson("lowest_risk", *safest, graph, risk)}},
              {"as_of", as_of->iso()},
              {"window_days", p.window_days},
              {"decay_m", p.decay_m},
              {"risk_unit", "incident-km"},
              {"lambda_s_per_unit", p.lambda},
              {"incidents_used", risk.incidents_used()},
              {"avoid_areas", p.avoid_polygons.size()},
              {"snapped", {{"from", snapped(*from)}, {"to", snapped(*to)}}},
              {"roads", cached->names},
              {"attribution", kAttribution}};
}

}  // namespace corridor::service
