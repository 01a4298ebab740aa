// `corridor risk forecast|backtest` (docs/methods.md, "Early warning").
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "cli/caller.h"
#include "cli/output.h"
#include "cli/risk_command.h"
#include "corridor/risk/early_warning.h"
#include "corridor/store/store.h"

namespace corridor::cli {
namespace {

std::string Num(double v) { return fmt::format("{}", v); }

struct ModelFlags {
  std::string dataset = "ucdp-ged";
  std::string as_of;
  double cutoff = 365;
  double sigma = 0;
  std::string format = "table";
};

void AddModelFlags(CLI::App* cmd, ModelFlags& f) {
  cmd->add_option("--dataset", f.dataset, "One dataset of the store (sources are never mixed)")
      ->capture_default_str();
  cmd->add_option("--as-of", f.as_of,
                  "Use events dated up to this day, YYYY-MM-DD (default: the dataset's latest)");
  cmd->add_option("--cutoff", f.cutoff, "Only parents within this many days are candidates")
      ->capture_default_str();
  cmd->add_option("--sigma", f.sigma,
                  "Gaussian spatial trigger between cell centres, km (0: offspring stay in "
                  "their cell)")
      ->capture_default_str();
}

Result<risk::EarlyWarningOptions> ReadModel(const ModelFlags& f) {
  risk::EarlyWarningOptions o;
  o.dataset = f.dataset;
  if (!f.as_of.empty()) {
    auto d = Date::ParseIso(f.as_of);
    if (!d) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--as-of: expected YYYY-MM-DD, got '" + f.as_of + "'");
    }
    o.as_of = *d;
  }
  o.cutoff_days = f.cutoff;
  o.sigma_km = f.sigma;
  return o;
}

Result<std::unique_ptr<store::Store>> OpenExisting(const std::string& db) {
  if (!std::filesystem::exists(db)) {
    return Fail(ErrorCode::kNotFound,
                "no store at " + db + " (corridor init, then load areas and ingest incidents)");
  }
  return store::OpenStore(db);
}

std::string Label(const std::string& dataset) {
  return dataset == "ucdp-ged" ? "organised violence (UCDP GED)" : dataset;
}

// ---- forecast

struct ForecastFlags {
  ModelFlags model;
  double horizon = 30;
  std::string level = "district";
  int top = 15;
};

int RunForecast(const std::string& db, const ForecastFlags& f) {
  auto o = ReadModel(f.model);
  if (!o) return ReportError(o.error());
  auto store = OpenExisting(db);
  if (!store) return ReportError(store.error());
  auto r = risk::ComputeForecast(**store, *o, f.horizon);
  if (!r) return ReportError(r.error());
  const std::string& format = f.model.format;
  if (format == "json") {
    std::cout << risk::ToJson(*r).dump() << "\n";
    return kExitOk;
  }
  if (format == "geojson") {
    std::cout << risk::ForecastGeoJson(*r).dump() << "\n";
    return kExitOk;
  }
  const bool csv = format == "csv";
  std::vector<std::vector<std::string>> rows;
  if (f.level == "cell") {
    rows.push_back({"gid", "lat", "lon", "area_km2", "expected", "p_any"});
    std::vector<std::size_t> order(r->cells.size());
    std::iota(order.begin(), order.end(), 0);
    if (!csv) {
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return r->cells[a].expected > r->cells[b].expected;
      });
      if (order.size() > static_cast<std::size_t>(f.top)) order.resize(f.top);
    }
    for (const std::size_t k : order) {
      const auto& c = r->cells[k];
      rows.push_back({std::to_string(c.cell.gid),
                      fmt::format("{:.2f}", (c.cell.row + 0.5) * risk::kPrioCellDeg - 90),
                      fmt::format("{:.2f}", (c.cell.col + 0.5) * risk::kPrioCellDeg - 180),
                      csv ? Num(c.cell.area_km2) : fmt::format("{:.0f}", c.cell.area_km2),
                      csv ? Num(c.expected) : fmt::format("{:.3f}", c.expected),
                      csv ? Num(c.p_any) : fmt::format("{:.3f}", c.p_any)});
    }
  } else {
    rows.push_back({"pcode", "name", "expected", "p_any"});
    std::size_t shown = 0;
    for (const auto& d : r->districts) {
      if (!csv && shown++ >= static_cast<std::size_t>(f.top)) break;
      rows.push_back({d.pcode, d.name, csv ? Num(d.expected) : fmt::format("{:.3f}", d.expected),
                      csv ? Num(d.p_any) : fmt::format("{:.3f}", d.p_any)});
    }
  }
  const auto& p = r->fit.params;
  const std::string model = fmt::format(
      "ensemble: the mean of the long-run average and a grid Hawkes model (PRIO-GRID 0.5°, {} "
      "cells): branching ratio θ {:.3f}, decay ω {:.4f}/day "
      "(mean delay {:.1f} days), cut-off {} days, spatial trigger {}; background {:.3f} "
      "events/day; {} events used (where_prec 1-2), {} outside the grid",
      r->cells.size(), p.theta, p.omega, 1 / p.omega, r->options.cutoff_days,
      r->options.sigma_km > 0 ? fmt::format("σ {} km", r->options.sigma_km) : "none",
      std::accumulate(p.mu.begin(), p.mu.end(), 0.0), r->events_used, r->events_outside);
  if (csv) {
    WriteCsvRows(std::cout, rows);
    std::cerr << "corridor: forecast, data through " << r->data_through.iso() << "; " << model
              << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("expected events of {} in the {} days from {}, data through {}\n",
                           Label(r->dataset), r->horizon_days, r->first_day.iso(),
                           r->data_through.iso())
            << model << "\n"
            << (f.level == "cell" ? "cells" : "districts") << " with the most expected events:\n\n";
  WriteTable(std::cout, rows);
  return kExitOk;
}

// ---- backtest

struct BacktestFlags {
  ModelFlags model;
  std::string first = "2010-01", last = "2019-12";
  std::string cells_csv;
};

Result<std::pair<int, int>> ParseMonth(const std::string& text, const char* flag) {
  int y = 0, m = 0;
  char dash = 0;
  if (text.size() != 7 || std::sscanf(text.c_str(), "%4d%c%2d", &y, &dash, &m) != 3 ||
      dash != '-' || m < 1 || m > 12) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(flag) + ": expected YYYY-MM, got '" + text + "'");
  }
  return std::pair{y, m};
}

int RunBacktest(const std::string& db, const BacktestFlags& f) {
  risk::BacktestOptions o;
  auto model = ReadModel(f.model);
  if (!model) return ReportError(model.error());
  o.model = *model;
  auto first = ParseMonth(f.first, "--first-month");
  if (!first) return ReportError(first.error());
  auto last = ParseMonth(f.last, "--last-month");
  if (!last) return ReportError(last.error());
  std::tie(o.first_year, o.first_month) = *first;
  std::tie(o.last_year, o.last_month) = *last;
  auto store = OpenExisting(db);
  if (!store) return ReportError(store.error());
  risk::PrioGrid grid;
  auto r = risk::RunBacktest(**store, o, &grid);
  if (!r) return ReportError(r.error());
  if (!f.cells_csv.empty()) {
    std::ofstream out(f.cells_csv);
    risk::WritePrioGridCsv(out, grid);
    if (!out) return ReportError({ErrorCode::kInternal, "cannot write " + f.cells_csv});
  }
  const std::string line = fmt::format(
      "backtest of {} months {}..{}, data through {}: {} PRIO-GRID cells over {}, {} events in "
      "the months ({} in cells up to {}), each month forecast from the events before its first "
      "day; Hawkes cut-off {} days, spatial trigger {}",
      Label(r->dataset), r->first_month, r->last_month, r->data_through.iso(), r->cells,
      grid.outline, r->events, r->events_total, r->data_through.iso(), o.model.cutoff_days,
      o.model.sigma_km > 0 ? fmt::format("σ {} km", o.model.sigma_km) : "none");
  if (f.model.format == "json") {
    std::cout << risk::BacktestJson(*r).dump() << "\n";
    std::cerr << "corridor: " << line << "\n";
    return kExitOk;
  }
  const bool csv = f.model.format == "csv";
  auto cell = [&](double v) { return csv ? Num(v) : fmt::format("{:.4f}", v); };
  std::vector<std::vector<std::string>> rows = {
      {"method", "hit_rate_5", "pai_5", "hit_rate_10", "pai_10", "brier"}};
  const std::pair<const char*, const risk::MethodScore*> methods[] = {
      {"hawkes", &r->hawkes},
      {"persistence", &r->persistence},
      {"long_run_average", &r->long_run_average},
      {"decayed_history", &r->decayed_history},
      {"ensemble", &r->ensemble},
      {"selected", &r->selected}};
  for (const auto& [name, s] : methods) {
    rows.push_back({name, cell(s->hit_rate_5), cell(s->pai_5), cell(s->hit_rate_10),
                    cell(s->pai_10), s->brier ? cell(*s->brier) : ""});
  }
  if (csv) {
    WriteCsvRows(std::cout, rows);
    std::cerr << "corridor: " << line << "\n";
    return kExitOk;
  }
  std::cout << line << "\n"
            << fmt::format(
                   "last month's fit: θ {:.3f}, ω {:.4f}/day, {:.1f} EM iterations a month on "
                   "average\n\n",
                   r->last_params.theta, r->last_params.omega, r->mean_iterations);
  WriteTable(std::cout, rows);
  const auto& w = r->next_weights;
  std::cout << fmt::format(
      "\nselected: each month the pool of Hawkes, long-run average and decayed history (weights "
      "in tenths, {} variants) with the most hits over the earlier months ({} warm-up months "
      "before {}); next month's weights: Hawkes {:.1f}, long-run {:.1f}, decayed {:.1f}\n",
      risk::PoolVariants().size(), r->selection_months, r->first_month, w.hawkes, w.long_run,
      w.decayed);
  return kExitOk;
}

}  // namespace

void AddEarlyWarningCommands(CLI::App& risk_cmd, const std::string& db, const bool& json,
                             int& status) {
  auto* fc = risk_cmd.add_subcommand(
      "forecast",
      "Expected events per district (or PRIO-GRID cell) in the 30 days after --as-of, from a "
      "grid Hawkes model fitted by EM; table, CSV, JSON or GeoJSON cells");
  static ForecastFlags ff;
  AddModelFlags(fc, ff.model);
  fc->add_option("--horizon", ff.horizon, "Days forecast")->capture_default_str();
  fc->add_option("--level", ff.level, "Table/CSV rows: district or cell")
      ->check(CLI::IsMember({"district", "cell"}))
      ->capture_default_str();
  fc->add_option("--top", ff.top, "Table: how many rows")->capture_default_str();
  fc->add_option("--format", ff.model.format, "table, csv, json or geojson (cells)")
      ->check(CLI::IsMember({"table", "csv", "json", "geojson"}))
      ->capture_default_str();
  fc->callback([&] {
    ForecastFlags f = ff;
    if (json) f.model.format = "json";
    status = RunForecast(db, f);
  });

  auto* bt = risk_cmd.add_subcommand(
      "backtest",
      "Rolling-origin backtest by the default protocol (issue 4): each month forecast from the "
      "events before it; hit rate and PAI at 5 % and 10 % of the area, Brier score; Hawkes "
      "against persistence, long-run average and decayed history, their ensemble, and a pool "
      "selected each month on the earlier months only");
  static BacktestFlags bf;
  AddModelFlags(bt, bf.model);
  bt->add_option("--first-month", bf.first, "First month forecast, YYYY-MM")->capture_default_str();
  bt->add_option("--last-month", bf.last, "Last month forecast, YYYY-MM")->capture_default_str();
  bt->add_option("--cells-csv", bf.cells_csv,
                 "Also write the cells (gid,row,col,area_km2) to this file, for "
                 "tools/backtest_check.py");
  bt->add_option("--format", bf.model.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  bt->callback([&] {
    BacktestFlags f = bf;
    if (json) f.model.format = "json";
    status = RunBacktest(db, f);
  });
}

}  // namespace corridor::cli
