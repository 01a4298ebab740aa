#include "cli/risk_command.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/caller.h"
#include "cli/output.h"
#include "corridor/risk/impact.h"
#include "corridor/risk/report.h"
#include "corridor/risk/vulnerability.h"
#include "corridor/store/store.h"

namespace corridor::cli {
namespace {

// Shortest text that reads back as the same double.
std::string Num(double v) { return fmt::format("{}", v); }
std::string Fixed(double v, int digits) { return fmt::format("{:.{}f}", v, digits); }

struct IndexFlags {
  std::string level;
  std::string aggregates;
  std::optional<int> year;
  std::string dataset = "ucdp-ged";
  std::string violence_types = "1,2,3";
  std::string as_of;
  std::string weights = "gti-2022";
  std::string format = "table";
};

int RunCountryIndex(const IndexFlags& f, const risk::ImpactWeights& weights) {
  const std::string path =
      !f.aggregates.empty()
          ? f.aggregates
          : risk::DefaultDataDir() + "/owid-gtd-country-year/Global Terrorism Database.csv";
  auto data = risk::ReadOwidAggregates(path);
  if (!data) return ReportError(data.error());
  int year = 0;
  if (f.year) {
    year = *f.year;
  } else {
    for (const auto& r : *data) year = std::max(year, r.year);
  }
  const auto rows = risk::CountryIndex(*data, year, weights);
  if (f.format == "json") {
    std::cout << risk::CountryIndexJson(rows, year, weights).dump() << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> table = {{"name", "year", "w", "score", "rank"}};
  for (const auto& r : rows) {
    table.push_back({r.name, std::to_string(year), f.format == "csv" ? Num(r.w) : Fixed(r.w, 2),
                     f.format == "csv" ? Num(r.score) : Fixed(r.score, 3), std::to_string(r.rank)});
  }
  if (f.format == "csv") {
    WriteCsvRows(std::cout, table);
    std::cerr << "corridor: " << risk::kCountryIndexLabel << ", " << year << "; "
              << risk::kCountryIndexNote << "\n";
  } else {
    std::cout << risk::kCountryIndexLabel << ", " << year << " (data through " << year << ")\n"
              << risk::kCountryIndexNote << "\n\n";
    WriteTable(std::cout, table);
  }
  return kExitOk;
}

int RunAreaIndex(const std::string& db, const IndexFlags& f, risk::AreaLevel level,
                 const risk::ImpactWeights& weights) {
  risk::AreaIndexOptions options;
  options.level = level;
  options.weights = weights;
  auto types = risk::ParseViolenceTypes(f.violence_types);
  if (!types) return ReportError(types.error());
  options.violence_types = *types;
  if (!f.as_of.empty()) {
    options.as_of = Date::ParseIso(f.as_of);
    if (!options.as_of) {
      return ReportError(
          {ErrorCode::kInvalidArgument, "--as-of: expected YYYY-MM-DD, got '" + f.as_of + "'"});
    }
  }
  if (!std::filesystem::exists(db)) {
    return ReportError({ErrorCode::kNotFound, "no store at " + db +
                                                  " (corridor init, then load "
                                                  "areas and ingest incidents)"});
  }
  auto store = store::OpenStore(db);
  if (!store) return ReportError(store.error());
  auto result = risk::ComputeAreaIndexFromStore(**store, f.dataset, options);
  if (!result) return ReportError(result.error());
  const auto& r = *result;
  if (f.format == "json") {
    std::cout << risk::ToJson(r, weights).dump() << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> table = {
      {"pcode", "name", "year", "a_t", "w", "score", "rank"}};
  if (f.format == "csv") {
    table[0].push_back("data_through");
    table[0].push_back("label");
  }
  for (const auto& row : r.rows) {
    std::vector<std::string> line = {row.code,
                                     row.name,
                                     std::to_string(r.year),
                                     f.format == "csv" ? Num(row.a_t) : Fixed(row.a_t, 1),
                                     f.format == "csv" ? Num(row.w) : Fixed(row.w, 2),
                                     f.format == "csv" ? Num(row.score) : Fixed(row.score, 3),
                                     std::to_string(row.rank)};
    if (f.format == "csv") {
      line.push_back(r.data_through.iso());
      line.push_back(r.label);
    }
    table.push_back(std::move(line));
  }
  if (f.format == "csv") {
    WriteCsvRows(std::cout, table);
    return kExitOk;
  }
  std::string types_text;
  for (const int t : r.violence_types)
    types_text += (types_text.empty() ? "" : ",") + std::to_string(t);
  std::cout << r.label << " by " << risk::AreaLevelName(r.level) << ", " << r.year
            << ", data through " << r.data_through.iso() << "\n"
            << "dataset " << r.dataset
            << (types_text.empty() ? "" : ", violence types " + types_text) << "; "
            << r.incidents_counted << " incidents in the five-year window, "
            << r.incidents_unassigned << " of them without a " << risk::AreaLevelName(r.level)
            << "\n\n";
  WriteTable(std::cout, table);
  return kExitOk;
}

int RunIndex(const std::string& db, const IndexFlags& f) {
  auto weights = risk::ParseWeightsPreset(f.weights);
  if (!weights) return ReportError(weights.error());
  if (f.level == "country") return RunCountryIndex(f, *weights);
  if (!f.aggregates.empty()) {
    return ReportError(
        {ErrorCode::kInvalidArgument, "--from-aggregates applies to --level country only"});
  }
  if (f.year) {
    return ReportError({ErrorCode::kInvalidArgument,
                        "--year applies to --level country; use --as-of DATE for provinces and "
                        "districts"});
  }
  const auto level = risk::ParseAreaLevel(f.level);
  if (!level) {
    return ReportError({ErrorCode::kInvalidArgument,
                        "--level: expected country, province or district, got '" + f.level + "'"});
  }
  return RunAreaIndex(db, f, *level, *weights);
}

struct VulnerabilityFlags {
  std::optional<int> year;
  std::string indicators;
  std::string config;
  std::string crosswalk;
  std::string impact_as_of;
  std::string format = "table";
};

int RunVulnerability(const std::string& db, const VulnerabilityFlags& f) {
  const std::string path =
      !f.indicators.empty()
          ? f.indicators
          : risk::DefaultDataDir() + "/data4pakistan-district-indicators/pakistan_indicators.csv";
  auto result = risk::ComputeVulnerabilityFromFiles(path, f.config, f.crosswalk, f.year);
  if (!result) return ReportError(result.error());
  // The rank correlation with the district impact index, when the store has UCDP data.
  std::optional<risk::ImpactCorrelation> correlation;
  std::string correlation_note;
  if (std::filesystem::exists(db)) {
    risk::AreaIndexOptions options;
    options.level = risk::AreaLevel::kDistrict;
    if (!f.impact_as_of.empty()) {
      options.as_of = Date::ParseIso(f.impact_as_of);
      if (!options.as_of) {
        return ReportError({ErrorCode::kInvalidArgument,
                            "--impact-as-of: expected YYYY-MM-DD, got '" + f.impact_as_of + "'"});
      }
    }
    auto store = store::OpenStore(db);
    if (!store) return ReportError(store.error());
    auto impact = risk::ComputeAreaIndexFromStore(**store, "ucdp-ged", options);
    if (impact) {
      correlation = risk::CorrelateWithImpact(*result, *impact);
    } else {
      correlation_note = impact.error().message;
    }
  } else {
    correlation_note = "no store at " + db;
  }
  if (f.format == "json") {
    auto out = risk::ToJson(*result, correlation);
    if (!correlation) out["correlation_note"] = correlation_note;
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  const auto& cfg = result->config;
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header = {"pcode",           "name",     "province",
                                     "source_district", "relation", "index"};
  for (const auto& d : cfg.dimensions) header.push_back(d);
  header.push_back("missing");
  table.push_back(header);
  const int digits = f.format == "csv" ? -1 : 2;
  auto show = [&](const std::optional<double>& v) -> std::string {
    if (!v) return f.format == "csv" ? "" : "-";
    return digits < 0 ? Num(*v) : Fixed(*v, digits);
  };
  for (const auto& a : result->areas) {
    std::vector<std::string> line = {a.pcode,
                                     a.name,
                                     a.province,
                                     a.source_district,
                                     std::string(risk::CrosswalkRelationName(a.relation)),
                                     show(a.index)};
    for (const auto& d : a.dimensions) line.push_back(show(d));
    std::string missing;
    for (const auto& m : a.missing_indicators) missing += (missing.empty() ? "" : ";") + m;
    if (!a.index) {
      const bool all = a.missing_indicators.size() == cfg.indicators.size();
      missing = a.no_index_reason + (missing.empty() || all ? "" : " [" + missing + "]");
    }
    line.push_back(missing);
    table.push_back(std::move(line));
  }
  if (f.format == "csv") {
    WriteCsvRows(std::cout, table);
    return kExitOk;
  }
  int with_index = 0;
  for (const auto& a : result->areas) with_index += a.index ? 1 : 0;
  std::cout << "structural vulnerability (Data4Pakistan, INFORM-style), reference year "
            << cfg.reference_year << "\n"
            << risk::kVulnerabilityNote << "\n"
            << with_index << " of " << result->areas.size()
            << " OCHA 2022 districts have an index\n";
  if (!result->scores.dropped_indicators.empty()) {
    std::cout << "indicators dropped (no spread): ";
    for (const auto& d : result->scores.dropped_indicators) std::cout << d << " ";
    std::cout << "\n";
  }
  if (!result->d4p_without_area.empty()) {
    std::cout << "Data4Pakistan units outside the crosswalk: ";
    for (const auto& d : result->d4p_without_area) std::cout << d << "  ";
    std::cout << "\n";
  }
  if (correlation && correlation->rho) {
    std::cout << "Spearman rho with the district " << correlation->impact_label << " (data through "
              << correlation->impact_data_through << "): " << Fixed(*correlation->rho, 3)
              << " over " << correlation->n << " districts\n";
  } else {
    std::cout << "Spearman rho with the district impact index: not computed ("
              << (correlation ? correlation->note : correlation_note) << ")\n";
  }
  std::cout << "\n";
  WriteTable(std::cout, table);
  return kExitOk;
}

}  // namespace

void AddRiskCommands(CLI::App& app, const std::string& db, const bool& json, int& status) {
  auto* risk_cmd = app.add_subcommand(
      "risk", "Risk analytics: impact index, structural vulnerability, hotspots (docs/methods.md)");
  risk_cmd->require_subcommand(1);
  static const std::vector<std::string> kFormats = {"table", "csv", "json"};

  auto* index = risk_cmd->add_subcommand(
      "index",
      "Impact index in the Global Terrorism Index manner, for countries (from "
      "country-year aggregates) or provinces and districts (from one dataset in the store)");
  static IndexFlags index_flags;
  index->add_option("--level", index_flags.level, "country, province or district")
      ->required()
      ->check(CLI::IsMember({"country", "province", "district"}));
  index->add_option("--from-aggregates", index_flags.aggregates,
                    "Country-year CSV in OWID's GTD layout (country level; default: "
                    "$CORRIDOR_DATA_DIR or ../shared/data, owid-gtd-country-year)");
  index->add_option("--year", index_flags.year, "Year t (country level; default: the latest)");
  index
      ->add_option("--dataset", index_flags.dataset,
                   "One dataset of the store (province/district; sources are never mixed)")
      ->capture_default_str();
  index
      ->add_option("--violence-types", index_flags.violence_types,
                   "UCDP type_of_violence to count: 1 state-based, 2 non-state, 3 one-sided")
      ->capture_default_str();
  index->add_option("--as-of", index_flags.as_of,
                    "Count events dated up to this day; its year is t (default: the dataset's "
                    "latest event date)");
  index
      ->add_option("--weights", index_flags.weights,
                   "gti-2022 (1+3k+0.5w+0.5h) or gtd-era (1+3k+0.5w+property band)")
      ->check(CLI::IsMember({"gti-2022", "gtd-era"}))
      ->capture_default_str();
  index->add_option("--format", index_flags.format, "table, csv or json")
      ->check(CLI::IsMember(kFormats))
      ->capture_default_str();
  index->callback([&] {
    IndexFlags f = index_flags;
    if (json) f.format = "json";
    status = RunIndex(db, f);
  });

  auto* vulnerability = risk_cmd->add_subcommand(
      "vulnerability",
      "Structural vulnerability per district (Data4Pakistan, INFORM-style), with its Spearman "
      "correlation with the district impact index when the store holds UCDP data");
  static VulnerabilityFlags v_flags;
  vulnerability->add_option("--year", v_flags.year,
                            "Reference year (default: config/vulnerability.json's)");
  vulnerability->add_option("--indicators", v_flags.indicators,
                            "pakistan_indicators.csv (default: $CORRIDOR_DATA_DIR or "
                            "../shared/data, data4pakistan-district-indicators); the metadata "
                            "file domain_source_pak_indicators.csv is read beside it");
  vulnerability->add_option("--config", v_flags.config,
                            "Indicator configuration JSON (default: the built-in "
                            "config/vulnerability.json)");
  vulnerability->add_option("--crosswalk", v_flags.crosswalk,
                            "District crosswalk CSV (default: the built-in "
                            "config/district_crosswalk.csv)");
  vulnerability->add_option("--impact-as-of", v_flags.impact_as_of,
                            "As-of date of the impact index it is correlated with (default: the "
                            "latest UCDP event)");
  vulnerability->add_option("--format", v_flags.format, "table, csv or json")
      ->check(CLI::IsMember(kFormats))
      ->capture_default_str();
  vulnerability->callback([&] {
    VulnerabilityFlags f = v_flags;
    if (json) f.format = "json";
    status = RunVulnerability(db, f);
  });

  AddHotspotCommands(*risk_cmd, db, json, status);
  AddExposureCommand(*risk_cmd, db, json, status);
  AddEarlyWarningCommands(*risk_cmd, db, json, status);
}

}  // namespace corridor::cli
