#include "api/risk_service.h"

#include <optional>
#include <string>

#include "api/params.h"
#include "corridor/risk/impact.h"
#include "corridor/risk/report.h"
#include "corridor/risk/vulnerability.h"

namespace corridor::api {
namespace {

// Parameters of GET /api/v1/risk/index.
struct IndexParams {
  risk::AreaIndexOptions options;
  std::string dataset = "ucdp-ged";

  static Result<IndexParams> Read(ParamReader& reader) {
    IndexParams p;
    auto level = reader.Get("level");
    if (!level) return Fail(level.error());
    auto as_of = reader.Get("as_of");
    if (!as_of) return Fail(as_of.error());
    auto types = reader.Get("violence_types");
    if (!types) return Fail(types.error());
    auto dataset = reader.Get("dataset");
    if (!dataset) return Fail(dataset.error());
    if (auto ok = reader.CheckAllKnown(); !ok) return Fail(ok.error());
    if (*level) {
      const auto parsed = risk::ParseAreaLevel(**level);
      if (!parsed) {
        return Fail(ErrorCode::kInvalidArgument,
                    "level: expected province or district (or 1, 2), got '" + **level + "'");
      }
      p.options.level = *parsed;
    }
    if (*as_of) {
      p.options.as_of = Date::ParseIso(**as_of);
      if (!p.options.as_of) {
        return Fail(ErrorCode::kInvalidArgument,
                    "as_of: expected YYYY-MM-DD, got '" + **as_of + "'");
      }
    }
    if (*types) {
      auto parsed = risk::ParseViolenceTypes(**types);
      if (!parsed) {
        return Fail(
            ErrorCode::kInvalidArgument,
            "violence_types" + parsed.error().message.substr(std::string("violence-types").size()));
      }
      p.options.violence_types = *parsed;
    }
    if (*dataset) p.dataset = **dataset;
    return p;
  }
};

Response RiskIndex(store::Store& store, const Request& request) {
  ParamReader reader(request);
  auto params = IndexParams::Read(reader);
  if (!params) return ErrorResponse(params.error());
  auto result = risk::ComputeAreaIndexFromStore(store, params->dataset, params->options);
  if (!result) return ErrorResponse(result.error());
  return JsonResponse(risk::ToJson(*result, params->options.weights));
}

Response RiskVulnerability(store::Store& store, const Request& request) {
  ParamReader reader(request);
  auto year_text = reader.Get("year");
  if (!year_text) return ErrorResponse(year_text.error());
  auto as_of_text = reader.Get("as_of");
  if (!as_of_text) return ErrorResponse(as_of_text.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  std::optional<int> year;
  if (*year_text) {
    const std::string& t = **year_text;
    if (t.size() != 4 || t.find_first_not_of("0123456789") != std::string::npos) {
      return ErrorResponse({ErrorCode::kInvalidArgument, "year: expected YYYY, got '" + t + "'"});
    }
    year = std::stoi(t);
  }
  risk::AreaIndexOptions options;
  options.level = risk::AreaLevel::kDistrict;
  if (*as_of_text) {
    options.as_of = Date::ParseIso(**as_of_text);
    if (!options.as_of) {
      return ErrorResponse(
          {ErrorCode::kInvalidArgument, "as_of: expected YYYY-MM-DD, got '" + **as_of_text + "'"});
    }
  }
  const std::string path =
      risk::DefaultDataDir() + "/data4pakistan-district-indicators/pakistan_indicators.csv";
  auto result = risk::ComputeVulnerabilityFromFiles(path, "", "", year);
  if (!result) return ErrorResponse(result.error());
  std::optional<risk::ImpactCorrelation> correlation;
  std::string note;
  auto impact = risk::ComputeAreaIndexFromStore(store, "ucdp-ged", options);
  if (impact) {
    correlation = risk::CorrelateWithImpact(*result, *impact);
  } else {
    note = impact.error().message;
  }
  auto body = risk::ToJson(*result, correlation);
  if (!correlation) body["correlation_note"] = note;
  return JsonResponse(body);
}

}  // namespace

void AddRiskRoutes(std::vector<Route>& routes, store::Store& store) {
  store::Store* s = &store;
  routes.push_back({"GET",
                    "/api/v1/risk/index",
                    "/api/v1/risk/index",
                    {},
                    "Impact index (GTI method) of every province or district from one dataset",
                    [s](const Request& r) { return RiskIndex(*s, r); }});
  routes.push_back({"GET",
                    "/api/v1/risk/vulnerability",
                    "/api/v1/risk/vulnerability",
                    {},
                    "Structural vulnerability per OCHA district (Data4Pakistan, INFORM-style) "
                    "and its Spearman correlation with the district impact index",
                    [s](const Request& r) { return RiskVulnerability(*s, r); }});
  AddHotspotRoutes(routes, store);
  AddForecastRoutes(routes, store);
}

}  // namespace corridor::api
