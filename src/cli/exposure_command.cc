// `corridor risk exposure`: corridor sites ranked by violence near them
// (risk/exposure.h, docs/methods.md "Site exposure").
#include <fmt/core.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/caller.h"
#include "cli/output.h"
#include "cli/risk_command.h"
#include "corridor/risk/exposure.h"
#include "corridor/store/store.h"

namespace corridor::cli {
namespace {

struct ExposureFlags {
  std::string dataset = "ucdp-ged";
  double radius_km = 50;
  double decay_km = 10;
  std::string from, to, as_of;
  int days = 365;
  std::string violence_types = "1,2,3";
  std::string weights = "gti-2022";
  int threads = 0;
  int top = 0;
  std::string format = "table";
};

Result<std::optional<Date>> OptDate(const std::string& text, const char* flag) {
  if (text.empty()) return std::optional<Date>();
  auto d = Date::ParseIso(text);
  if (!d) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(flag) + ": expected YYYY-MM-DD, got '" + text + "'");
  }
  return d;
}

int RunExposure(const std::string& db, const ExposureFlags& f, bool days_given) {
  risk::ExposureOptions o;
  o.radius_km = f.radius_km;
  o.decay_km = f.decay_km;
  o.days = f.days;
  o.threads = f.threads;
  auto types = risk::ParseViolenceTypes(f.violence_types);
  if (!types) return ReportError(types.error());
  o.violence_types = *types;
  auto weights = risk::ParseWeightsPreset(f.weights);
  if (!weights) return ReportError(weights.error());
  o.weights = *weights;
  auto from = OptDate(f.from, "--from");
  auto to = OptDate(f.to, "--to");
  auto as_of = OptDate(f.as_of, "--as-of");
  for (const auto* r : {&from, &to, &as_of}) {
    if (!*r) return ReportError(r->error());
  }
  if (days_given && *from) {
    return ReportError({ErrorCode::kInvalidArgument, "--days and --from exclude each other"});
  }
  o.from = *from;
  o.to = *to;
  o.as_of = *as_of;
  if (!std::filesystem::exists(db)) {
    return ReportError({ErrorCode::kNotFound,
                        "no store at " + db + " (corridor init, assets import, then ingest)"});
  }
  store::OpenOptions open;
  open.create = false;
  auto store = store::OpenStore(db, open);
  if (!store) return ReportError(store.error());
  auto result = risk::ComputeExposureFromStore(**store, f.dataset, o);
  if (!result) return ReportError(result.error());
  auto& r = *result;
  if (f.top > 0 && r.rows.size() > static_cast<std::size_t>(f.top)) r.rows.resize(f.top);
  if (f.format == "json") {
    std::cout << risk::ToJson(r).dump() << "\n";
    return kExitOk;
  }
  const bool csv = f.format == "csv";
  std::vector<std::vector<std::string>> table = {{"rank", "site", "name", "incidents", "killed",
                                                  "impact", "exposure", "nearest_km", "latest",
                                                  "forecast_expected"}};
  if (csv) {
    for (const char* c : {"data_through", "from", "to", "radius_km", "decay_km"}) {
      table[0].push_back(c);
    }
  }
  auto num = [&](double v, int digits) {
    return csv ? fmt::format("{}", v) : fmt::format("{:.{}f}", v, digits);
  };
  for (const auto& row : r.rows) {
    std::vector<std::string> line = {std::to_string(row.rank),
                                     row.id.str(),
                                     row.name,
                                     std::to_string(row.incidents),
                                     num(row.killed, 0),
                                     num(row.impact, 1),
                                     num(row.exposure, 2),
                                     row.nearest_km ? num(*row.nearest_km, 2) : "",
                                     row.latest ? row.latest->iso() : "",
                                     row.forecast_expected ? num(*row.forecast_expected, 2) : ""};
    if (csv) {
      line.push_back(r.data_through.iso());
      line.push_back(r.from.iso());
      line.push_back(r.to.iso());
      line.push_back(num(r.radius_km, 0));
      line.push_back(num(r.decay_km, 0));
    }
    if (!csv) line[2] = line[2].substr(0, 60);
    table.push_back(std::move(line));
  }
  if (csv) {
    WriteCsvRows(std::cout, table);
    return kExitOk;
  }
  std::cout << "site exposure, dataset " << r.dataset << ", data through " << r.data_through.iso()
            << "; incidents " << r.from.iso() << " to " << r.to.iso() << " within "
            << fmt::format("{}", r.radius_km) << " km of each footprint, weighted by impact and "
            << "exp(-d/" << fmt::format("{}", r.decay_km) << " km)\n"
            << r.incidents_in_window << " incidents in the window (" << r.incidents_without_point
            << " more without a point); "
            << fmt::format("index {:.0f} ms, matching {:.0f} ms on {} threads", r.index_ms,
                           r.match_ms, r.threads)
            << "\n\n";
  WriteTable(std::cout, table);
  return kExitOk;
}

}  // namespace

void AddExposureCommand(CLI::App& risk_cmd, const std::string& db, const bool& json, int& status) {
  auto* cmd = risk_cmd.add_subcommand(
      "exposure",
      "Corridor sites ranked by the violence within R km of their footprint over a window, "
      "weighted by impact and distance (docs/methods.md)");
  static ExposureFlags flags;
  cmd->add_option("--dataset", flags.dataset, "One dataset of the store")->capture_default_str();
  cmd->add_option("--radius-km", flags.radius_km, "R: incidents within this geodesic distance")
      ->capture_default_str();
  cmd->add_option("--decay-km", flags.decay_km, "L: distance weight exp(-d/L)")
      ->capture_default_str();
  cmd->add_option("--from", flags.from, "First day of the window (default: --days before --to)");
  cmd->add_option("--to", flags.to, "Last day of the window (default: --as-of)");
  auto* days = cmd->add_option("--days", flags.days, "Window length in days ending at --to")
                   ->capture_default_str();
  cmd->add_option("--as-of", flags.as_of, "Data through this day (default: the latest event)");
  cmd->add_option("--violence-types", flags.violence_types, "UCDP type_of_violence to count")
      ->capture_default_str();
  cmd->add_option("--weights", flags.weights, "gti-2022 or gtd-era")
      ->check(CLI::IsMember({"gti-2022", "gtd-era"}))
      ->capture_default_str();
  cmd->add_option("--threads", flags.threads, "Worker threads (0: one per core)")
      ->capture_default_str();
  cmd->add_option("--top", flags.top, "Print only the first N sites (0: all)");
  cmd->add_option("--format", flags.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  cmd->callback([&, days] {
    ExposureFlags f = flags;
    if (json) f.format = "json";
    status = RunExposure(db, f, days->count() > 0);
  });
}

}  // namespace corridor::cli
