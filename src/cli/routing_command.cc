#include "cli/routing_command.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "cli/caller.h"
#include "corridor/service/routing.h"

namespace corridor::cli {
namespace {

using nlohmann::json;

json ExtractJson(const store::RoadExtract& e) {
  return {{"name", e.name},
          {"sha256", e.sha256},
          {"loaded", e.loaded},
          {"ways", e.ways},
          {"vertices", e.vertices}};
}

std::string Minutes(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d min %02d s", static_cast<int>(seconds) / 60,
                static_cast<int>(std::lround(seconds)) % 60);
  return buf;
}

void PrintPlan(const json& plan) {
  std::printf("%-12s %10s %14s %12s\n", "route", "length", "time", "risk");
  for (const auto& r : plan["routes"]) {
    std::printf("%-12s %7.2f km %14s %12.3f\n", r["kind"].get<std::string>().c_str(),
                r["length_m"].get<double>() / 1000, Minutes(r["duration_s"].get<double>()).c_str(),
                r["risk"].get<double>());
  }
  const auto& shortest = plan["routes"][0];
  const auto& safest = plan["routes"][1];
  const double extra_s = safest["duration_s"].get<double>() - shortest["duration_s"].get<double>();
  const double avoided = shortest["risk"].get<double>() - safest["risk"].get<double>();
  if (avoided > 0.0005) {
    std::printf("the lower-risk route takes %s more and avoids %.3f incident-km\n",
                Minutes(extra_s).c_str(), avoided);
  } else {
    std::printf("the shortest route is also the lowest-risk one\n");
  }
  std::printf(
      "risk: incident-km (km driven x decay-weighted incidents nearby), %zu incidents of "
      "the %d days to %s; lambda %g s per incident-km\n",
      plan["incidents_used"].get<std::size_t>(), plan["window_days"].get<int>(),
      plan["as_of"].get<std::string>().c_str(), plan["lambda_s_per_unit"].get<double>());
  std::printf("%s\n", plan["attribution"].get<std::string>().c_str());
}

struct RouteFlags {
  std::string from, to, as_of, avoid, format = "text";
  std::optional<int> window_days;
  std::optional<double> decay_m, lambda, max_snap_m;
};

}  // namespace

void AddRoutingCommands(CLI::App& app, const std::string& db, const bool& json_out, int& status) {
  auto* roads =
      app.add_subcommand("roads", "The road network for routing (OpenStreetMap extracts)");
  roads->require_subcommand(1);
  auto* load = roads->add_subcommand(
      "load", "Read the drivable roads of an .osm.pbf into the store (replaces that extract)");
  auto file = std::make_shared<std::string>();
  load->add_option("FILE", *file,
                   "An OpenStreetMap extract, e.g. ../shared/data/osm-islamabad/"
                   "islamabad.osm.pbf (Geofabrik .osm.pbf files work)")
      ->required();
  load->callback([&db, &json_out, &status, file] {
    status = AsCaller(db, /*create=*/true, "roads load",
                      [&](const service::Context& ctx, const service::Caller& c) {
                        std::cerr << "reading " << *file << " ...\n";
                        auto e = service::LoadRoads(ctx, c, *file);
                        if (!e) return ReportError(e.error());
                        if (json_out) {
                          std::cout << ExtractJson(*e).dump() << "\n";
                        } else {
                          std::cout << "loaded " << e->name << ": " << e->ways << " drivable ways, "
                                    << e->vertices << " vertices\n";
                        }
                        return kExitOk;
                      });
  });
  auto* list = roads->add_subcommand("list", "The loaded extracts");
  list->callback([&db, &json_out, &status] {
    status = AsCaller(db, /*create=*/false, "roads list",
                      [&](const service::Context& ctx, const service::Caller&) {
                        auto all = service::ListRoadExtracts(ctx);
                        if (!all) return ReportError(all.error());
                        json items = json::array();
                        for (const auto& e : *all) {
                          items.push_back(ExtractJson(e));
                          if (!json_out) {
                            std::cout << e.name << "  " << e.ways << " ways  loaded " << e.loaded
                                      << "  sha256 " << e.sha256 << "\n";
                          }
                        }
                        if (json_out) std::cout << json{{"items", items}}.dump() << "\n";
                        return kExitOk;
                      });
  });

  auto f = std::make_shared<RouteFlags>();
  auto* route = app.add_subcommand(
      "route",
      "The shortest and the lowest-risk route between two points on the loaded roads, with the "
      "risk along each (same result as GET /api/v1/route; docs/routing.md)");
  route->add_option("--from", f->from, "Start, LAT,LON")->required();
  route->add_option("--to", f->to, "Destination, LAT,LON")->required();
  route->add_option("--as-of", f->as_of,
                    "Date of the risk picture, YYYY-MM-DD (default: the latest incident you may "
                    "read)");
  route->add_option("--window-days", f->window_days, "Days of incidents up to --as-of (365)");
  route->add_option("--decay-m", f->decay_m, "Distance decay of an incident's risk, metres (500)");
  route->add_option("--lambda", f->lambda,
                    "Seconds of driving worth avoiding one incident-km (600)");
  route->add_option("--max-snap-m", f->max_snap_m,
                    "Farthest a point may be from a drivable road, metres (1000)");
  route->add_option("--avoid", f->avoid,
                    "Areas never entered: LAT,LON;LAT,LON;LAT,LON, polygons separated by |");
  route->add_option("--format", f->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  route->callback([&db, &json_out, &status, f] {
    // The same parameter grammar and bounds as the API's query string.
    std::vector<std::pair<std::string, std::string>> pairs = {{"from", f->from}, {"to", f->to}};
    if (!f->as_of.empty()) pairs.emplace_back("as_of", f->as_of);
    if (!f->avoid.empty()) pairs.emplace_back("avoid", f->avoid);
    if (f->window_days) pairs.emplace_back("window_days", std::to_string(*f->window_days));
    const auto number = [](double v) { return json(v).dump(); };
    if (f->decay_m) pairs.emplace_back("decay_m", number(*f->decay_m));
    if (f->lambda) pairs.emplace_back("lambda", number(*f->lambda));
    if (f->max_snap_m) pairs.emplace_back("max_snap_m", number(*f->max_snap_m));
    service::RouteParams p;
    if (auto ok = service::RouteParams::Schema().ParseInto(p, pairs); !ok) {
      status = ReportError(ok.error());
      return;
    }
    if (auto ok = p.Validate(); !ok) {
      status = ReportError(ok.error());
      return;
    }
    const bool as_json = json_out || f->format == "json";
    status = AsCaller(db, /*create=*/false, "route",
                      [&](const service::Context& ctx, const service::Caller& c) {
                        auto plan = service::PlanRoute(ctx, c, p);
                        if (!plan) return ReportError(plan.error());
                        if (as_json) {
                          std::cout << plan->dump() << "\n";
                        } else {
                          PrintPlan(*plan);
                        }
                        return kExitOk;
                      });
  });
}

}  // namespace corridor::cli
