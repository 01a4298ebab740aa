// The OpenAPI 3.1 document of the routes. Query parameters are declared here,
// per route, and tests/api checks that each route accepts exactly these.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "corridor/api/api.h"

namespace corridor::api {
namespace {

using nlohmann::json;

struct ParamSpec {
  const char* description;
  json schema;
};

const std::map<std::string, ParamSpec>& QueryParams() {
  static const std::map<std::string, ParamSpec> kParams = {
      {"from", {"Incidents whose [date_start, date_end] overlaps [from, to] (/api/v1/risk/"
                "hotspots, gistar, knox: events whose date_start is in [from, to]); YYYY-MM-DD",
                {{"type", "string"}, {"format", "date"}}}},
      {"to", {"End of the date range (inclusive); YYYY-MM-DD", {{"type", "string"}, {"format", "date"}}}},
      {"area", {"Province or district P-code (e.g. PK6, PK604)", {{"type", "string"}}}},
      {"bbox", {"MINLON,MINLAT,MAXLON,MAXLAT (GeoJSON order), degrees", {{"type", "string"}}}},
      {"near", {"LAT,LON,KM: within KM kilometres (geodesic, WGS84) of the point, latitude first",
                {{"type", "string"}}}},
      {"category", {"One or more categories separated by commas",
                    {{"type", "string"}, {"example", "bombing,suicide-bombing"}}}},
      {"text", {"Full-text words over headlines and descriptions (all must match)",
                {{"type", "string"}}}},
      {"dataset", {"Only incidents of this dataset",
                   {{"type", "string"}, {"enum", {"ucdp-ged", "gtd", "acled", "manual", "stix"}}}}},
      {"limit", {"Page size", {{"type", "integer"}, {"minimum", 1}}}},
      {"cursor", {"Opaque cursor from a previous page's next_cursor", {{"type", "string"}}}},
      {"level", {"Administrative level: 0 country, 1 province, 2 district (/api/v1/risk/index: "
                 "province or district, also spelled 1 or 2; default province)",
                 {{"type", json::array({"integer", "string"})},
                  {"enum", {0, 1, 2, "province", "district"}}}}},
      {"as_of", {"Count events dated up to this day; its year is t (default: the dataset's latest "
                 "event date); YYYY-MM-DD",
                 {{"type", "string"}, {"format", "date"}}}},
      {"violence_types", {"UCDP type_of_violence to count, separated by commas (1 state-based, 2 "
                          "non-state, 3 one-sided; default 1,2,3)",
                          {{"type", "string"}, {"example", "1,2,3"}}}},
      {"year", {"Reference year of the Data4Pakistan indicators (default: the configured one)",
                {{"type", "integer"}}}},
      {"precision", {"Coarsest location precision kept (default near: UCDP where_prec 1-2)",
                     {{"type", "string"}, {"enum", {"exact", "near", "district", "province"}}}}},
      {"kernel", {"Kernel: gaussian (bandwidth = standard deviation) or quartic (bandwidth = "
                  "radius); default gaussian",
                  {{"type", "string"}, {"enum", {"gaussian", "quartic"}}}}},
      {"bandwidth", {"Bandwidth in km (default: Scott's rule)",
                     {{"type", "number"}, {"exclusiveMinimum", 0}}}},
      {"cell", {"Cell side in km; at least 5 (layers that may be shared); default 5 for "
                "hotspots, 25 for gistar grids",
                {{"type", "number"}, {"minimum", 5}}}},
      {"min_fraction", {"Leave out cells whose density is below this fraction of the maximum "
                        "(default 0.001)",
                        {{"type", "number"}, {"minimum", 0}}}},
      {"units", {"Gi* units: district (default) or grid",
                 {{"type", "string"}, {"enum", {"district", "grid"}}}}},
      {"k", {"Gi* k-nearest weights: the k nearest other units (default 8)",
             {{"type", "integer"}, {"minimum", 1}}}},
      {"band", {"Gi* distance-band weights: units within this many km (instead of k)",
                {{"type", "number"}, {"exclusiveMinimum", 0}}}},
      {"distance", {"Knox: closeness in space, km (default 10)",
                    {{"type", "number"}, {"exclusiveMinimum", 0}}}},
      {"days", {"Knox: closeness in time, days (default 14); /api/v1/risk/exposure: window length "
                "ending at to (default 365, not with from)",
                {{"type", "number"}, {"minimum", 0}}}},
      {"radius_km", {"Exposure: incidents within this geodesic distance of a site's footprint "
                     "(default 50, at most 500)",
                     {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 500}}}},
      {"decay_km", {"Exposure: length scale L of the distance weight exp(-d/L) (default 10)",
                    {{"type", "number"}, {"exclusiveMinimum", 0}}}},
      {"unread", {"Only unread alerts", {{"type", "boolean"}}}},
      {"permutations", {"Knox: Monte-Carlo permutations (default 999)",
                        {{"type", "integer"}, {"minimum", 1}, {"maximum", 9999}}}},
      {"seed", {"Knox: random seed (default 20240501); results are reproducible",
                {{"type", "integer"}, {"minimum", 0}}}},
      {"cutoff", {"Hawkes: only parents within this many days are candidates (default 365)",
                  {{"type", "number"}, {"exclusiveMinimum", 0}}}},
      {"sigma", {"Hawkes: Gaussian spatial trigger between cell centres, km (default 0: "
                 "offspring stay in their cell)",
                 {{"type", "number"}, {"minimum", 0}}}},
      {"horizon", {"Forecast horizon, days after as_of (default 30)",
                   {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 366}}}},
      {"geometry", {"Include each site's GeoJSON geometry", {{"type", "boolean"}}}},
      {"status", {"Which requests: pending (default), approved, rejected or all",
                  {{"type", "string"}, {"enum", {"pending", "approved", "rejected", "all"}}}}},
      {"cell_deg", {"Grid cell side in degrees of latitude and longitude (default 0.5)",
                    {{"type", "number"}, {"minimum", 0.01}, {"maximum", 10}}}},
      {"tolerance", {"Douglas-Peucker simplification tolerance in degrees (default 0.01; 0 keeps "
                     "the full geometry)",
                     {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}}},
      {"added_after", {"TAXII: only objects added after this timestamp (exclusive)",
                       {{"type", "string"}, {"format", "date-time"}}}},
      {"next", {"TAXII: the opaque token of the next page (from a response with more: true)",
                {{"type", "string"}}}},
      {"match[id]", {"TAXII: only these STIX ids (comma-separated)", {{"type", "string"}}}},
      {"match[type]", {"TAXII: only these STIX types (comma-separated)", {{"type", "string"}}}},
      {"match[version]", {"TAXII: last (default), first, all, or version timestamps",
                          {{"type", "string"}}}},
      {"match[spec_version]", {"TAXII: only these STIX spec versions (comma-separated; 2.1)",
                               {{"type", "string"}}}},
      {"by", {"Grouping key",
              {{"type", "string"},
               {"enum", {"admin1", "admin2", "year", "month", "category", "dataset"}}}}},
  };
  return kParams;
}

const std::vector<std::string> kFilterParams = {"from", "to",       "area", "bbox",
                                                "near", "category", "text", "dataset"};

std::vector<std::string> RouteQueryParams(const std::string& path) {
  std::vector<std::string> out;
  if (path == "/api/v1/incidents" || path == "/api/v1/incidents.geojson") {
    out = kFilterParams;
    out.push_back("limit");
    out.push_back("cursor");
  } else if (path == "/api/v1/stats") {
    out = {"by"};
    out.insert(out.end(), kFilterParams.begin(), kFilterParams.end());
  } else if (path == "/api/v1/stats/grid" || path == "/api/v1/stats/timeline") {
    for (const auto& f : kFilterParams) {
      if (f != "near") out.push_back(f);
    }
    if (path == "/api/v1/stats/grid") out.push_back("cell_deg");
  } else if (path == "/api/v1/areas.geojson") {
    out = {"level", "tolerance"};
  } else if (path == "/api/v1/areas") {
    out = {"level"};
  } else if (path == "/api/v1/sites") {
    out = {"geometry"};
  } else if (path == "/api/v1/risk/index") {
    out = {"level", "as_of", "violence_types", "dataset"};
  } else if (path == "/api/v1/risk/vulnerability") {
    out = {"year", "as_of"};
  } else if (path == "/api/v1/risk/exposure" || path == "/api/v1/risk/exposure/{site}") {
    out = {"dataset", "radius_km", "decay_km", "from", "to", "days", "as_of", "violence_types"};
  } else if (path == "/api/v1/alerts") {
    out = {"unread", "limit"};
  } else if (path == "/api/v1/assessments") {
    out = {"limit"};
  } else if (path.ends_with("/objects/") || path.ends_with("/manifest/")) {
    out = {"added_after", "limit", "next", "match[id]", "match[type]", "match[version]",
           "match[spec_version]"};
  } else if (path.rfind("/taxii2/", 0) == 0 && path.find("/objects/{object}/") != std::string::npos) {
    out = {"match[version]", "match[spec_version]"};
  } else if (path == "/api/v1/marking-requests") {
    out = {"status"};
  } else if (path == "/api/v1/risk/forecast" || path == "/api/v1/risk/forecast.geojson") {
    out = {"dataset", "as_of", "cutoff", "sigma", "horizon"};
  } else if (path == "/api/v1/risk/backtest") {
    out = {"dataset", "as_of", "cutoff", "sigma"};
  } else if (path.rfind("/api/v1/risk/", 0) == 0 && path != "/api/v1/risk/index" &&
             path.rfind("/api/v1/risk/exposure", 0) != 0) {
    const std::vector<std::string> window = {"dataset", "as_of", "from", "to", "violence_types",
                                             "precision"};
    out = window;
    if (path == "/api/v1/risk/hotspots" || path == "/api/v1/risk/hotspots.geojson") {
      out.insert(out.end(), {"kernel", "bandwidth", "cell"});
      if (path == "/api/v1/risk/hotspots.geojson") out.push_back("min_fraction");
    } else if (path == "/api/v1/risk/gistar") {
      out.insert(out.end(), {"units", "cell", "k", "band"});
    } else if (path == "/api/v1/risk/knox") {
      out.insert(out.end(), {"distance", "days", "permutations", "seed"});
    } else {
      out.clear();
    }
  }
  return out;
}

json ErrorSchema() {
  return {{"type", "object"},
          {"required", {"error"}},
          {"properties",
           {{"error",
             {{"type", "object"},
              {"required", {"code", "message"}},
              {"properties",
               {{"code", {{"type", "string"},
                          {"enum", {"InvalidArgument", "NotFound", "Conflict", "Unavailable",
                                    "Internal", "Unauthenticated", "PermissionDenied",
                                    "RateLimited"}}}},
                {"message", {{"type", "string"}}}}}}}}}};
}

}  // namespace

// Declared for tests: the query parameters the document lists for `path`.
std::vector<std::string> DocumentedQueryParams(const std::string& path) {
  return RouteQueryParams(path);
}

json BuildOpenApi(const std::vector<Route>& routes) {
  json paths = json::object();
  for (const auto& route : routes) {
    json parameters = json::array();
    for (const auto& name : route.path_param_names) {
      parameters.push_back(
          {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    // A declared route documents what its params type parses (api/route.h).
    if (route.parameters.is_array()) {
      parameters = route.parameters;
    }
    // Query parameters belong to the GET route of a path (POST takes a JSON body).
    const auto query_params = route.method == "GET" && !route.parameters.is_array()
                                  ? RouteQueryParams(route.path)
                                  : std::vector<std::string>{};
    for (const auto& name : query_params) {
      const auto& spec = QueryParams().at(name);
      parameters.push_back({{"name", name},
                            {"in", "query"},
                            {"required", name == "by"},
                            {"description", spec.description},
                            {"schema", spec.schema}});
    }
    const bool html = route.path == "/";
    const bool taxii = route.path.rfind("/taxii2/", 0) == 0;
    json ok = html ? json{{"description", "HTML page"},
                          {"content", {{"text/html", {{"schema", {{"type", "string"}}}}}}}}
                   : json{{"description", "OK"},
                          {"content",
                           {{route.path.ends_with(".geojson") ? "application/geo+json"
                                                                       : "application/json",
                             {{"schema", {{"type", route.path == "/api/v1/stats" ? "array"
                                                                                  : "object"}}}}}}}};
    if (taxii) {
      ok = {{"description", "OK"},
            {"content", {{"application/taxii+json;version=2.1", {{"schema", {{"type", "object"}}}}}}}};
    }
    json responses = {{route.method == "POST" && taxii ? "202" : "200", ok}};
    if (!parameters.empty()) {
      responses["400"] = {{"description", "A parameter is invalid; the message names it"},
                          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    }
    if (!route.path_param_names.empty()) {
      responses["404"] = {{"description", "No such object"},
                          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    }
    std::string op_id;
    for (const char c : route.method + route.path) {
      if (std::isalnum(static_cast<unsigned char>(c))) op_id += c;
      else if (!op_id.empty() && op_id.back() != '_') op_id += '_';
    }
    const json error_ref = {
        {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    if (!route.open) {
      responses["401"] = error_ref;
      responses["401"]["description"] = "Not signed in";
      responses["403"] = error_ref;
      responses["403"]["description"] = "The role may not do this (or no CSRF token)";
    }
    if (taxii) {
      // TAXII errors are TAXII error message resources (docs/sync_protocol.md).
      const json taxii_error = {{"content", {{"application/taxii+json;version=2.1",
                                              {{"schema", {{"type", "object"},
                                                           {"required", {"title", "http_status"}}}}}}}}};
      for (const auto& [code, what] : std::vector<std::pair<std::string, std::string>>{
               {"400", "A bad parameter (named)"},
               {"401", "No or bad partner token"},
               {"403", "The partner's organisation is not in this API root's trust group"},
               {"404", "Unknown API root, collection, object or status"},
               {"406", "Accept is not application/taxii+json;version=2.1"}}) {
        responses[code] = taxii_error;
        responses[code]["description"] = what;
      }
      if (route.method == "POST") {
        for (const auto& [code, what] : std::vector<std::pair<std::string, std::string>>{
                 {"413", "Body over max_content_length"},
                 {"415", "Content-Type is not application/taxii+json;version=2.1"},
                 {"422", "Not an envelope with an objects array"}}) {
          responses[code] = taxii_error;
          responses[code]["description"] = what;
        }
      }
    }
    json operation = {{"summary", route.summary}, {"operationId", op_id}, {"responses", responses}};
    if (taxii) operation["security"] = json::array({{{"bearer", json::array()}}});
    if (!parameters.empty()) operation["parameters"] = parameters;
    if (route.open) operation["security"] = json::array();
    if (route.method == "POST") {
      const std::string body_type = taxii ? "application/taxii+json;version=2.1" : "application/json";
      operation["requestBody"] = {
          {"required", route.path.find("/approve") == std::string::npos &&
                           route.path.find("/reject") == std::string::npos &&
                           route.path != "/api/v1/auth/logout"},
          {"content", {{body_type, {{"schema", {{"type", "object"}}}}}}}};
    }
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[route.path][method] = operation;
  }
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "Corridor API"},
            {"version", "1"},
            {"description",
             "Incidents, areas, sites and statistics of a Corridor instance. Errors are "
             "{\"error\":{\"code\":...,\"message\":...}}; a bad parameter gets 400 naming it."}}},
          {"paths", paths},
          {"security", json::array({{{"bearer", json::array()}}, {{"session", json::array()}}})},
          {"components",
           {{"schemas", {{"Error", ErrorSchema()}}},
            {"securitySchemes",
             {{"bearer", {{"type", "http"}, {"scheme", "bearer"},
                          {"description", "A token from `corridor tokens create`"}}},
              {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "corridor_session"},
                           {"description", "Set by POST /api/v1/auth/login; state-changing "
                                           "requests also send the X-CSRF-Token header"}}}}}}}};
}

}  // namespace corridor::api
