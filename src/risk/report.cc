#include "corridor/risk/report.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace corridor::risk {

using nlohmann::json;

namespace {

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kUnavailable, path + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string DefaultDataDir() {
  const char* dir = std::getenv("CORRIDOR_DATA_DIR");
  return dir != nullptr && *dir != '\0' ? dir : "../shared/data";
}

Result<VulnerabilityResult> ComputeVulnerabilityFromFiles(const std::string& indicators_path,
                                                          const std::string& config_path,
                                                          const std::string& crosswalk_path,
                                                          std::optional<int> year) {
  std::string config_text(BuiltinVulnerabilityConfig());
  std::string config_name = "config/vulnerability.json (built in)";
  if (!config_path.empty()) {
    auto text = ReadText(config_path);
    if (!text) return Fail(text.error());
    config_text = std::move(*text);
    config_name = config_path;
  }
  auto config = ParseVulnerabilityConfig(config_text, config_name);
  if (!config) return Fail(config.error());
  std::string crosswalk_text(BuiltinDistrictCrosswalk());
  std::string crosswalk_name = "config/district_crosswalk.csv (built in)";
  if (!crosswalk_path.empty()) {
    auto text = ReadText(crosswalk_path);
    if (!text) return Fail(text.error());
    crosswalk_text = std::move(*text);
    crosswalk_name = crosswalk_path;
  }
  auto crosswalk = ParseCrosswalk(crosswalk_text, crosswalk_name);
  if (!crosswalk) return Fail(crosswalk.error());
  return ComputeVulnerability(indicators_path, *config, *crosswalk, year);
}

ImpactCorrelation CorrelateWithImpact(const VulnerabilityResult& vulnerability,
                                      const AreaIndexResult& district_impact) {
  ImpactCorrelation c;
  c.impact_label = district_impact.label;
  c.impact_data_through = district_impact.data_through.iso();
  std::map<std::string, double> w;
  for (const auto& r : district_impact.rows) w.emplace(r.code, r.w);
  std::vector<double> x, y;
  for (const auto& a : vulnerability.areas) {
    if (!a.index) continue;
    auto it = w.find(a.pcode);
    if (it == w.end()) continue;
    x.push_back(*a.index);
    y.push_back(it->second);
  }
  c.n = static_cast<int>(x.size());
  c.rho = SpearmanRho(x, y);
  if (!c.rho) c.note = "fewer than 3 areas with both values, or no spread";
  return c;
}

json WeightsJson(const ImpactWeights& w) {
  return {{"incident", w.incident},
          {"killed", w.killed},
          {"wounded", w.wounded},
          {"hostages", w.hostages},
          {"property_band", w.property_band}};
}

json ToJson(const AreaIndexResult& result, const ImpactWeights& weights) {
  json rows = json::array();
  for (const auto& r : result.rows) {
    rows.push_back({{"pcode", r.code},
                    {"name", r.name},
                    {"a_t", r.a_t},
                    {"w", r.w},
                    {"score", r.score},
                    {"rank", r.rank}});
  }
  json out = {{"label", result.label},
              {"dataset", result.dataset},
              {"level", AreaLevelName(result.level)},
              {"year", result.year},
              {"data_through", result.data_through.iso()},
              {"weights", WeightsJson(weights)},
              {"incidents_counted", result.incidents_counted},
              {"incidents_unassigned", result.incidents_unassigned},
              {"rows", std::move(rows)}};
  out["violence_types"] =
      result.violence_types.empty() ? json(nullptr) : json(result.violence_types);
  if (result.dataset == "ucdp-ged") {
    out["note"] =
        "UCDP measures organised violence (state-based, non-state and one-sided), including "
        "state operations; it is not terrorism as the GTD defines it. killed = best_est; "
        "UCDP has no wounded or hostages.";
  }
  return out;
}

json CountryIndexJson(const std::vector<IndexRow>& rows, int year, const ImpactWeights& weights) {
  json items = json::array();
  for (const auto& r : rows) {
    items.push_back(
        {{"name", r.name}, {"year", year}, {"w", r.w}, {"score", r.score}, {"rank", r.rank}});
  }
  return {{"label", kCountryIndexLabel},
          {"year", year},
          {"weights", WeightsJson(weights)},
          {"note", kCountryIndexNote},
          {"rows", std::move(items)}};
}

json ToJson(const VulnerabilityResult& result,
            const std::optional<ImpactCorrelation>& correlation) {
  const auto& cfg = result.config;
  json indicators = json::array();
  for (const auto& s : cfg.indicators) {
    indicators.push_back(
        {{"column", s.column},
         {"short_name", s.short_name},
         {"dimension", s.dimension},
         {"direction",
          s.direction == Direction::kHigherIsWorse ? "higher-is-worse" : "higher-is-better"},
         {"log", s.log_transform}});
  }
  json areas = json::array();
  json without = json::array();
  for (const auto& a : result.areas) {
    json dims = json::object();
    for (std::size_t k = 0; k < cfg.dimensions.size() && k < a.dimensions.size(); ++k) {
      dims[cfg.dimensions[k]] = OptionalNumber(a.dimensions[k]);
    }
    json item = {{"pcode", a.pcode},
                 {"name", a.name},
                 {"province", a.province},
                 {"source_district", a.source_district},
                 {"relation", CrosswalkRelationName(a.relation)},
                 {"index", OptionalNumber(a.index)},
                 {"dimensions", std::move(dims)},
                 {"missing_indicators", a.missing_indicators},
                 {"missing_dimensions", a.missing_dimensions}};
    if (!a.index) {
      item["no_index_reason"] = a.no_index_reason;
      without.push_back({{"pcode", a.pcode}, {"name", a.name}, {"reason", a.no_index_reason}});
    }
    areas.push_back(std::move(item));
  }
  json out = {{"label", "structural vulnerability (Data4Pakistan, INFORM-style)"},
              {"reference_year", cfg.reference_year},
              {"dimensions", cfg.dimensions},
              {"indicators", std::move(indicators)},
              {"areas", std::move(areas)},
              {"without_index", std::move(without)},
              {"dropped_indicators", result.scores.dropped_indicators},
              {"d4p_without_area", result.d4p_without_area},
              {"note", kVulnerabilityNote}};
  if (correlation) {
    out["correlation_with_impact"] = {{"method", "spearman"},
                                      {"rho", OptionalNumber(correlation->rho)},
                                      {"n", correlation->n},
                                      {"impact_label", correlation->impact_label},
                                      {"impact_data_through", correlation->impact_data_through},
                                      {"note", correlation->note}};
  } else {
    out["correlation_with_impact"] = nullptr;
  }
  return out;
}

}  // namespace corridor::risk
