#include "corridor/api/api.h"

#include <set>
#include <string>

#include "api/params.h"
#include "api/risk_service.h"
#include "api/security_service.h"
#include "api/taxii_service.h"
#include "corridor/datasets/catalog.h"
#include "corridor/model/json.h"

namespace corridor::api {
namespace {

using nlohmann::json;

constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 10'000;
constexpr int kDefaultGeoJsonPage = 10'000;
constexpr int kMaxGeoJsonPage = 100'000;

// Attribution of every dataset behind `incidents`, for the response body.
json AttributionOf(const std::vector<model::Incident>& incidents) {
  std::set<std::string> seen;
  json out = json::array();
  for (const auto& i : incidents) {
    if (!seen.insert(i.provenance.dataset).second) continue;
    out.push_back({{"dataset", i.provenance.dataset}, {"licence", model::ToJson(i.licence)}});
  }
  return out;
}

json FilterEcho(const model::IncidentFilter& f) {
  json out = json::object();
  if (f.from) out["from"] = f.from->iso();
  if (f.to) out["to"] = f.to->iso();
  if (f.area) out["area"] = *f.area;
  if (f.bbox) out["bbox"] = {f.bbox->min_lon, f.bbox->min_lat, f.bbox->max_lon, f.bbox->max_lat};
  if (f.near) out["near"] = {{"lat", f.near->lat}, {"lon", f.near->lon}, {"km", f.near->km}};
  if (!f.categories.empty()) {
    out["category"] = json::array();
    for (auto c : f.categories) out["category"].push_back(model::CategoryName(c));
  }
  if (f.text) out["text"] = *f.text;
  if (f.dataset) out["dataset"] = *f.dataset;
  return out;
}

// ---- services

// A text filter is a full-text search: the role must be allowed to search.
Result<void> SearchAllowed(const Request& request, const model::IncidentFilter& filter) {
  if (!filter.text) return {};
  if (auto d = auth::Decide(request.principal, auth::Action::kSearch, nullptr); !d) {
    return Fail(ErrorCode::kPermissionDenied, "not allowed: " + d.reason);
  }
  return {};
}

// Audits what a list response shows: the marked objects on the page, the
// full-text query, and an export (`export_format` non-empty). A failed append
// fails the request (503).
Result<void> AuditResponse(auth::AuditLog& audit, const Request& request,
                           const model::IncidentFilter& filter, const std::string& export_format,
                           const std::vector<model::Incident>& items) {
  const auto failed = [](const Error& e) {
    return Fail(ErrorCode::kUnavailable, "the audit log cannot be written: " + e.message);
  };
  if (auto a = AuditMarkedReads(audit, request, items); !a) return failed(a.error());
  if (filter.text) {
    json detail = {{"text", *filter.text}, {"route", request.path}, {"results", items.size()}};
    if (auto a = audit.Record(request.actor, "search", {}, detail.dump()); !a) return failed(a.error());
  }
  if (!export_format.empty()) {
    json detail = {{"format", export_format}, {"filter", FilterEcho(filter)}, {"count", items.size()}};
    if (auto a = audit.Record(request.actor, "export", {}, detail.dump()); !a) return failed(a.error());
  }
  return {};
}

Response Healthz(store::Store& store) {
  return JsonResponse({{"status", "ok"}, {"schema_version", store.SchemaVersion()}});
}

Response ListIncidents(store::Store& store, auth::AuditLog& audit, const Request& request) {
  ParamReader reader(request);
  auto filter = ReadFilter(reader);
  if (!filter) return ErrorResponse(filter.error());
  auto page = ReadPage(reader, kDefaultPage, kMaxPage);
  if (!page) return ErrorResponse(page.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  if (auto d = SearchAllowed(request, *filter); !d) return ErrorResponse(d.error());
  auto result = store.QueryIncidents(request.viewer, *filter, *page);
  if (!result) return ErrorResponse(result.error());
  if (auto a = AuditResponse(audit, request, *filter, "", result->items); !a) {
    return ErrorResponse(a.error());
  }
  json items = json::array();
  for (const auto& i : result->items) items.push_back(model::ToJson(i));
  json body = {{"items", std::move(items)},
               {"count", result->items.size()},
               {"next_cursor", result->next_cursor.empty() ? json(nullptr) : json(result->next_cursor)},
               {"filter", FilterEcho(*filter)},
               {"attribution", AttributionOf(result->items)}};
  return JsonResponse(body);
}

Response IncidentsGeoJson(store::Store& store, auth::AuditLog& audit, const Request& request) {
  ParamReader reader(request);
  auto filter = ReadFilter(reader);
  if (!filter) return ErrorResponse(filter.error());
  auto page = ReadPage(reader, kDefaultGeoJsonPage, kMaxGeoJsonPage);
  if (!page) return ErrorResponse(page.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  if (auto d = SearchAllowed(request, *filter); !d) return ErrorResponse(d.error());
  auto result = store.QueryIncidents(request.viewer, *filter, *page);
  if (!result) return ErrorResponse(result.error());
  if (auto a = AuditResponse(audit, request, *filter, "geojson", result->items); !a) {
    return ErrorResponse(a.error());
  }
  json features = json::array();
  for (const auto& i : result->items) features.push_back(model::ToGeoJsonFeature(i));
  json body = {{"type", "FeatureCollection"},
               {"features", std::move(features)},
               {"next_cursor", result->next_cursor.empty() ? json(nullptr) : json(result->next_cursor)},
               {"attribution", AttributionOf(result->items)}};
  Response response = JsonResponse(body);
  response.content_type = "application/geo+json";
  return response;
}

Response GetIncident(store::Store& store, auth::AuditLog& audit, const Request& request) {
  ParamReader reader(request);
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  const auto id = Uuid::Parse(request.path_params.at("id"));
  if (!id) return ErrorResponse({ErrorCode::kInvalidArgument, "id: not a UUID"});
  auto incident = store.GetIncident(request.viewer, *id);
  if (!incident) return ErrorResponse(incident.error());
  if (auto a = AuditMarkedReads(audit, request, {*incident}); !a) {
    return ErrorResponse({ErrorCode::kUnavailable, "the audit log cannot be written: " + a.error().message});
  }
  return JsonResponse(model::ToJson(*incident));
}

Response ListAreas(store::Store& store, const Request& request) {
  ParamReader reader(request);
  auto level_text = reader.Get("level");
  if (!level_text) return ErrorResponse(level_text.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  std::optional<int> level;
  if (*level_text) {
    const std::string& t = **level_text;
    if (t != "0" && t != "1" && t != "2") {
      return ErrorResponse({ErrorCode::kInvalidArgument, "level: expected 0, 1 or 2, got '" + t + "'"});
    }
    level = t[0] - '0';
  }
  auto areas = store.ListAreas(level, /*with_geometry=*/false);
  if (!areas) return ErrorResponse(areas.error());
  json items = json::array();
  for (const auto& a : *areas) items.push_back(model::ToJson(a, false));
  return JsonResponse({{"items", std::move(items)}, {"count", areas->size()}});
}

Response GetArea(store::Store& store, const Request& request) {
  ParamReader reader(request);
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  auto area = store.GetArea(request.path_params.at("pcode"));
  if (!area) return ErrorResponse(area.error());
  return JsonResponse(model::ToJson(*area, /*with_geometry=*/true));
}

Result<bool> ReadBool(ParamReader& reader, std::string_view name) {
  auto v = reader.Get(name);
  if (!v) return Fail(v.error());
  if (!*v) return false;
  if (**v == "true" || **v == "1") return true;
  if (**v == "false" || **v == "0") return false;
  return Fail(ErrorCode::kInvalidArgument,
              std::string(name) + ": expected true or false, got '" + **v + "'");
}

Response ListSites(store::Store& store, const Request& request) {
  ParamReader reader(request);
  auto geometry = ReadBool(reader, "geometry");
  if (!geometry) return ErrorResponse(geometry.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  auto sites = store.ListSites();
  if (!sites) return ErrorResponse(sites.error());
  json items = json::array();
  std::set<std::string> datasets;
  for (const auto& s : *sites) {
    items.push_back(model::ToJson(s, *geometry));
    datasets.insert(s.provenance.dataset);
  }
  json attribution = json::array();
  for (const auto& d : datasets) {
    attribution.push_back({{"dataset", d}, {"licence", model::ToJson(datasets::LicenceOf(d))}});
  }
  return JsonResponse(
      {{"items", std::move(items)}, {"count", sites->size()}, {"attribution", attribution}});
}

Response GetSite(store::Store& store, const Request& request) {
  ParamReader reader(request);
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  const auto id = Uuid::Parse(request.path_params.at("id"));
  if (!id) return ErrorResponse({ErrorCode::kInvalidArgument, "id: not a UUID"});
  auto site = store.GetSite(*id);
  if (!site) return ErrorResponse(site.error());
  return JsonResponse(model::ToJson(*site, /*with_geometry=*/true));
}

Response Stats(store::Store& store, const Request& request) {
  ParamReader reader(request);
  auto by_text = reader.Get("by");
  if (!by_text) return ErrorResponse(by_text.error());
  auto filter = ReadFilter(reader);
  if (!filter) return ErrorResponse(filter.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  if (!*by_text) {
    return ErrorResponse({ErrorCode::kInvalidArgument,
                          "by: required (admin1, admin2, year, month, category or dataset)"});
  }
  const auto by = store::ParseGroupBy(**by_text);
  if (!by) {
    return ErrorResponse({ErrorCode::kInvalidArgument,
                          "by: expected admin1, admin2, year, month, category or dataset, got '" +
                              **by_text + "'"});
  }
  auto counts = store.CountIncidentsBy(request.viewer, *filter, *by);
  if (!counts) return ErrorResponse(counts.error());
  json out = json::array();
  for (const auto& kc : *counts) out.push_back({{"key", kc.key}, {"count", kc.count}});
  return JsonResponse(out);
}

// The datasets whose data this instance shows, with licence and attribution.
Result<json> DatasetsInUse(store::Store& store) {
  std::set<std::string> names;
  auto imports = store.ListImports();
  if (!imports) return Fail(imports.error());
  for (const auto& run : *imports) names.insert(run.dataset);
  auto areas = store.ListAreas(std::nullopt, /*with_geometry=*/false);
  if (!areas) return Fail(areas.error());
  for (const auto& a : *areas) names.insert(a.source);
  auto sites = store.ListSites();
  if (!sites) return Fail(sites.error());
  for (const auto& s : *sites) names.insert(s.provenance.dataset);
  json out = json::array();
  for (const auto& n : names) {
    out.push_back({{"dataset", n}, {"licence", model::ToJson(datasets::LicenceOf(n))}});
  }
  return out;
}

Response ListDatasets(store::Store& store, const Request& request) {
  ParamReader reader(request);
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  auto datasets = DatasetsInUse(store);
  if (!datasets) return ErrorResponse(datasets.error());
  return JsonResponse({{"items", *datasets}});
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

Response Home(store::Store& store, const Request& request) {
  auto datasets = DatasetsInUse(store);
  if (!datasets) return ErrorResponse(datasets.error());
  auto count = store.CountIncidents(request.viewer, {});
  if (!count) return ErrorResponse(count.error());
  std::string html =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Corridor</title><style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;"
      "line-height:1.5;color:#1a1a1a}code{background:#f0f0f0}</style></head><body>"
      "<h1>Corridor</h1><p>" +
      std::to_string(*count) +
      " incidents loaded. The web application is not built yet; the API is:</p><ul>"
      "<li><a href=\"/api/v1/incidents?limit=20\">/api/v1/incidents</a></li>"
      "<li><a href=\"/api/v1/incidents.geojson?limit=100\">/api/v1/incidents.geojson</a></li>"
      "<li><a href=\"/api/v1/stats?by=admin1\">/api/v1/stats?by=admin1</a></li>"
      "<li><a href=\"/api/v1/areas?level=1\">/api/v1/areas?level=1</a></li>"
      "<li><a href=\"/api/v1/sites\">/api/v1/sites</a></li>"
      "<li><a href=\"/api/v1/datasets\">/api/v1/datasets</a></li>"
      "<li><a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1)</li>"
      "</ul><p>Boundaries in Jammu and Kashmir (Azad Kashmir, Gilgit-Baltistan) are disputed; "
      "they are shown as in the OCHA dataset without endorsement.</p><h2>Data and attribution</h2><ul>";
  for (const auto& d : *datasets) {
    html += "<li><b>" + HtmlEscape(d["dataset"].get<std::string>()) + "</b> (" +
            HtmlEscape(d["licence"]["id"].get<std::string>()) + "): " +
            HtmlEscape(d["licence"]["attribution"].get<std::string>()) + "</li>";
  }
  html += "</ul></body></html>";
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(html);
  return r;
}

}  // namespace

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kRateLimited: return 429;
  }
  return 500;
}

Response JsonResponse(const json& body, int status) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
  return r;
}

Response ErrorResponse(const Error& error) {
  return JsonResponse({{"error", {{"code", ErrorCodeName(error.code)}, {"message", error.message}}}},
                      HttpStatus(error.code));
}

nlohmann::json BuildOpenApi(const std::vector<Route>& routes);

Api::Api(store::Store& store, auth::Accounts& accounts, auth::AuditLog& audit,
         TaxiiOptions taxii)
    : store_(store),
      security_(new SecurityContext{store, accounts, audit, {}, {}}),
      taxii_(new TaxiiContext(store, accounts, audit, std::move(taxii))) {
  store::Store* s = &store_;
  auth::AuditLog* log = &audit;
  routes_ = {
      {"GET", "/healthz", "/healthz", {}, "Liveness and schema version",
       [s](const Request&) { return Healthz(*s); }, std::nullopt, /*open=*/true},
      {"GET", "/", "/", {}, "A plain page linking the API, with dataset attribution",
       [s](const Request& r) { return Home(*s, r); }},
      {"GET", "/api/v1/incidents", "/api/v1/incidents", {},
       "Incidents matching the filters, newest first, paginated by an opaque cursor",
       [s, log](const Request& r) { return ListIncidents(*s, *log, r); }},
      {"GET", "/api/v1/incidents.geojson", "/api/v1/incidents\\.geojson", {},
       "Incidents matching the filters as a GeoJSON FeatureCollection",
       [s, log](const Request& r) { return IncidentsGeoJson(*s, *log, r); }, auth::Action::kExport},
      {"GET", "/api/v1/incidents/{id}", "/api/v1/incidents/([^/]+)", {"id"},
       "One incident by id", [s, log](const Request& r) { return GetIncident(*s, *log, r); }},
      {"GET", "/api/v1/areas", "/api/v1/areas", {}, "Administrative areas (no geometry)",
       [s](const Request& r) { return ListAreas(*s, r); }},
      {"GET", "/api/v1/areas/{pcode}", "/api/v1/areas/([^/]+)", {"pcode"},
       "One area by P-code, with its GeoJSON geometry",
       [s](const Request& r) { return GetArea(*s, r); }},
      {"GET", "/api/v1/sites", "/api/v1/sites", {}, "Corridor sites",
       [s](const Request& r) { return ListSites(*s, r); }, auth::Action::kReadSites},
      {"GET", "/api/v1/sites/{id}", "/api/v1/sites/([^/]+)", {"id"},
       "One site by id, with its GeoJSON geometry", [s](const Request& r) { return GetSite(*s, r); },
       auth::Action::kReadSites},
      {"GET", "/api/v1/stats", "/api/v1/stats", {},
       "Incident counts grouped by admin1, admin2, year, month, category or dataset",
       [s](const Request& r) { return Stats(*s, r); }},
      {"GET", "/api/v1/datasets", "/api/v1/datasets", {},
       "Datasets shown by this instance, with licence and required attribution",
       [s](const Request& r) { return ListDatasets(*s, r); }},
  };
  AddMapRoutes(routes_, store_);
  AddRiskRoutes(routes_, store_);
  AddAlertRoutes(routes_, store_, audit);
  AddAssessmentRoutes(routes_, store_, audit);
  AddSecurityRoutes(routes_, *security_);
  AddTaxiiRoutes(routes_, *taxii_);
  routes_.push_back({"GET", "/api/v1/openapi.json", "/api/v1/openapi\\.json", {},
                     "This OpenAPI 3.1 document", [this](const Request&) {
                       Response r = JsonResponse(openapi_);
                       return r;
                     }});
  openapi_ = BuildOpenApi(routes_);
  WrapWithAuthentication(routes_, *security_);
}

Api::~Api() = default;

}  // namespace corridor::api
