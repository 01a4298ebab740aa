#include "corridor/api/api.h"

#include <set>
#include <string>

#include "api/admin_routes.h"
#include "api/analysis_routes.h"
#include "api/committee_routes.h"
#include "api/link_routes.h"
#include "api/risk_service.h"
#include "api/security_service.h"
#include "api/taxii_service.h"
#include "corridor/api/route.h"
#include "corridor/common/html.h"
#include "corridor/datasets/catalog.h"
#include "corridor/model/incident_csv.h"
#include "corridor/model/json.h"
#include "corridor/service/incidents.h"

namespace corridor::api {
namespace {

using nlohmann::json;

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

// ---- services

service::Caller CallerOf(const Request& request) {
  service::Caller c;
  c.actor = request.actor;
  c.principal = request.principal;
  c.viewer = request.viewer;
  c.via = request.path;
  return c;
}

// A page written by concatenation, the members in the order json's std::map
// keeps them (the text a tree of the same members writes; api_test pins it):
// no tree per incident (issue 18 §2: the tree was three quarters of a page's
// time).
template <typename AppendItem>
std::string PageText(const std::vector<model::Incident>& items, std::string_view head,
                     std::string_view list_key, std::string_view tail,
                     const std::string& next_cursor, AppendItem append) {
  std::string out;
  out.reserve(256 + items.size() * 1400);
  out += head;
  out += "\"";
  out += list_key;
  out += "\":[";
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k > 0) out += ',';
    append(out, items[k]);
  }
  out += "],\"next_cursor\":";
  out += next_cursor.empty() ? std::string("null") : JsonText(next_cursor);
  out += tail;
  return out;
}

Response ListIncidents(const service::Context& ctx, const Request& request,
                       const service::ListIncidentsParams& p) {
  auto page = service::ListIncidents(ctx, CallerOf(request), p);
  if (!page) return ErrorResponse(page.error());
  const std::string head = "{\"attribution\":" + JsonText(AttributionOf(page->items)) +
                           ",\"count\":" + std::to_string(page->items.size()) +
                           ",\"filter\":" + JsonText(service::FilterJson(p.filter)) + ",";
  Response r;
  r.body = PageText(page->items, head, "items", "}", page->next_cursor,
                    [](std::string& out, const model::Incident& i) { model::AppendJson(out, i); });
  return r;
}

Response IncidentsGeoJson(const service::Context& ctx, const Request& request,
                          service::ExportIncidentsParams p) {
  p.format = "geojson";
  auto page = service::ExportIncidentPage(ctx, CallerOf(request), p);
  if (!page) return ErrorResponse(page.error());
  const std::string head = "{\"attribution\":" + JsonText(AttributionOf(page->items)) + ",";
  Response response;
  response.body = PageText(
      page->items, head, "features", ",\"type\":\"FeatureCollection\"}", page->next_cursor,
      [](std::string& out, const model::Incident& i) { model::AppendGeoJsonFeature(out, i); });
  response.content_type = "application/geo+json";
  return response;
}

// The same export as CSV (model/incident_csv.h): attribution on every row; the
// cursor of the next page, if any, in the X-Next-Cursor header.
Response IncidentsCsv(const service::Context& ctx, const Request& request,
                      service::ExportIncidentsParams p) {
  p.format = "csv";
  auto page = service::ExportIncidentPage(ctx, CallerOf(request), p);
  if (!page) return ErrorResponse(page.error());
  Response response;
  response.body.reserve(page->items.size() * 400);
  response.body += model::IncidentCsvHeader();
  response.body += "\r\n";
  for (const auto& i : page->items) {
    response.body += model::IncidentCsvRow(i);
    response.body += "\r\n";
  }
  response.content_type = "text/csv; charset=utf-8";
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"corridor-incidents.csv\"");
  if (!page->next_cursor.empty()) response.headers.emplace_back("X-Next-Cursor", page->next_cursor);
  return response;
}

Response GetIncident(const service::Context& ctx, const Request& request,
                     const service::GetIncidentParams& p) {
  auto incident = service::GetIncident(ctx, CallerOf(request), p);
  if (!incident) return ErrorResponse(incident.error());
  Response r;
  model::AppendJson(r.body, *incident);
  return r;
}

Response Stats(const service::Context& ctx, const Request& request, const service::StatsParams& p) {
  auto counts = service::CountIncidentsBy(ctx, CallerOf(request), p);
  if (!counts) return ErrorResponse(counts.error());
  json out = json::array();
  for (const auto& kc : *counts) out.push_back({{"key", kc.key}, {"count", kc.count}});
  return JsonResponse(out);
}

Response Healthz(store::Store& store) {
  return JsonResponse({{"status", "ok"}, {"schema_version", store.SchemaVersion()}});
}

struct AreasParams {
  std::optional<int> level;
  static const service::ParamSchema<AreasParams>& Schema() {
    static const auto kSchema = service::ParamSchema<AreasParams>().Integer(
        "level", &AreasParams::level, "0 country, 1 province, 2 district (default: all)", 0, 2);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Response ListAreas(store::Store& store, const AreasParams& p) {
  auto areas = store.ListAreas(p.level, /*with_geometry=*/false);
  if (!areas) return ErrorResponse(areas.error());
  json items = json::array();
  for (const auto& a : *areas) items.push_back(model::ToJson(a, false));
  return JsonResponse({{"items", std::move(items)}, {"count", areas->size()}});
}

struct AreaParams {
  std::string pcode;
  static const service::ParamSchema<AreaParams>& Schema() {
    static const auto kSchema = service::ParamSchema<AreaParams>()
                                    .Text("pcode", &AreaParams::pcode, "The area's P-code", 16)
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Response GetArea(store::Store& store, const AreaParams& p) {
  auto area = store.GetArea(p.pcode);
  if (!area) return ErrorResponse(area.error());
  return JsonResponse(model::ToJson(*area, /*with_geometry=*/true));
}

struct SitesParams {
  bool geometry = false;
  static const service::ParamSchema<SitesParams>& Schema() {
    static const auto kSchema = service::ParamSchema<SitesParams>().Boolean(
        "geometry", &SitesParams::geometry, "Include each site's GeoJSON footprint");
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Response ListSites(store::Store& store, const SitesParams& p) {
  auto sites = store.ListSites();
  if (!sites) return ErrorResponse(sites.error());
  json items = json::array();
  std::set<std::string> datasets;
  for (const auto& s : *sites) {
    items.push_back(model::ToJson(s, p.geometry));
    datasets.insert(s.provenance.dataset);
  }
  json attribution = json::array();
  for (const auto& d : datasets) {
    attribution.push_back({{"dataset", d}, {"licence", model::ToJson(datasets::LicenceOf(d))}});
  }
  return JsonResponse(
      {{"items", std::move(items)}, {"count", sites->size()}, {"attribution", attribution}});
}

struct SiteParams {
  Uuid id;
  static const service::ParamSchema<SiteParams>& Schema() {
    static const auto kSchema = service::ParamSchema<SiteParams>()
                                    .Id("id", &SiteParams::id, "The site's id")
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Response GetSite(store::Store& store, const SiteParams& p) {
  auto site = store.GetSite(p.id);
  if (!site) return ErrorResponse(site.error());
  json out = model::ToJson(*site, /*with_geometry=*/true);
  // A financing record an import grouped into its project (issue 17 item 3)
  // still answers, for the links made to it, and names the project.
  auto successor = store.SiteSuccessor(p.id);
  if (!successor) return ErrorResponse(successor.error());
  if (*successor) out["superseded_by"] = (*successor)->str();
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

Response ListDatasets(store::Store& store) {
  auto datasets = DatasetsInUse(store);
  if (!datasets) return ErrorResponse(datasets.error());
  return JsonResponse({{"items", *datasets}});
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
      "they are shown as in the OCHA dataset without endorsement.</p><h2>Data and "
      "attribution</h2><ul>";
  for (const auto& d : *datasets) {
    html += "<li><b>" + HtmlEscape(d["dataset"].get<std::string>()) + "</b> (" +
            HtmlEscape(d["licence"]["id"].get<std::string>()) +
            "): " + HtmlEscape(d["licence"]["attribution"].get<std::string>()) + "</li>";
  }
  html += "</ul></body></html>";
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(html);
  return r;
}

}  // namespace

nlohmann::json BuildOpenApi(const std::vector<Route>& routes);

Api::Api(store::Store& store, auth::Accounts& accounts, auth::AuditLog& audit, TaxiiOptions taxii,
         service::ComputeLimits compute)
    : store_(store),
      context_(new service::Context{store, audit}),
      compute_(new service::ComputeGate(compute)),
      security_(new SecurityContext{store, accounts, audit, {}, {}}),
      taxii_(new TaxiiContext(store, accounts, audit, std::move(taxii))) {
  store::Store* s = &store_;
  Route healthz = Declare<service::NoParams>(
      "GET", "/healthz", "Liveness and schema version",
      [s](const Request&, const service::NoParams&) { return Healthz(*s); }, std::nullopt);
  healthz.open = true;
  routes_.push_back(std::move(healthz));
  routes_.push_back(Declare<service::NoParams>(
      "GET", "/", "A plain page linking the API, with dataset attribution",
      [s](const Request& r, const service::NoParams&) { return Home(*s, r); }));
  routes_.push_back(
      Declare<AreasParams>("GET", "/api/v1/areas", "Administrative areas (no geometry)",
                           [s](const Request&, const AreasParams& p) { return ListAreas(*s, p); }));
  routes_.push_back(Declare<AreaParams>(
      "GET", "/api/v1/areas/{pcode}", "One area by P-code, with its GeoJSON geometry",
      [s](const Request&, const AreaParams& p) { return GetArea(*s, p); }));
  routes_.push_back(Declare<SitesParams>(
      "GET", "/api/v1/sites", "Corridor sites",
      [s](const Request&, const SitesParams& p) { return ListSites(*s, p); },
      auth::Action::kReadSites));
  routes_.push_back(Declare<SiteParams>(
      "GET", "/api/v1/sites/{id}", "One site by id, with its GeoJSON geometry",
      [s](const Request&, const SiteParams& p) { return GetSite(*s, p); },
      auth::Action::kReadSites));
  routes_.push_back(Declare<service::NoParams>(
      "GET", "/api/v1/datasets",
      "Datasets shown by this instance, with licence and required attribution",
      [s](const Request&, const service::NoParams&) { return ListDatasets(*s); }));
  const service::Context* ctx = context_.get();
  routes_.push_back(Declare<service::ListIncidentsParams>(
      "GET", "/api/v1/incidents",
      "Incidents matching the filters, newest first, paginated by an opaque cursor",
      [ctx](const Request& r, const service::ListIncidentsParams& p) {
        return ListIncidents(*ctx, r, p);
      }));
  routes_.push_back(Declare<service::ExportIncidentsParams>(
      "GET", "/api/v1/incidents.geojson",
      "Incidents matching the filters as a GeoJSON FeatureCollection (an export)",
      [ctx](const Request& r, const service::ExportIncidentsParams& p) {
        return IncidentsGeoJson(*ctx, r, p);
      },
      auth::Action::kExport));
  routes_.push_back(Declare<service::ExportIncidentsParams>(
      "GET", "/api/v1/incidents.csv",
      "Incidents matching the filters as CSV (an export): precision, description, parties, "
      "marking and the attribution on every row; X-Next-Cursor names the next page",
      [ctx](const Request& r, const service::ExportIncidentsParams& p) {
        return IncidentsCsv(*ctx, r, p);
      },
      auth::Action::kExport));
  routes_.push_back(Declare<service::GetIncidentParams>(
      "GET", "/api/v1/incidents/{id}", "One incident by id",
      [ctx](const Request& r, const service::GetIncidentParams& p) {
        return GetIncident(*ctx, r, p);
      }));
  routes_.push_back(Declare<service::StatsParams>(
      "GET", "/api/v1/stats",
      "Incident counts grouped by admin1, admin2, year, month, category or dataset",
      [ctx](const Request& r, const service::StatsParams& p) { return Stats(*ctx, r, p); }));
  AddMapRoutes(routes_, store_);
  AddAnalysisRoutes(routes_, *context_, *compute_);
  AddRoutePlanningRoutes(routes_, *context_, *compute_);
  AddBriefingRoute(routes_, *context_, *compute_);
  AddPlaceRoutes(routes_, *context_);
  AddJobRoutes(routes_, *context_);
  AddCommitteeRoutes(routes_, *context_,
                     taxii_->options.signing_key ? &*taxii_->options.signing_key : nullptr);
  AddAlertRoutes(routes_, store_, audit);
  AddAssessmentRoutes(routes_, store_, audit);
  AddSecurityRoutes(routes_, *security_);
  AddAdminRoutes(routes_, *context_, accounts);
  AddLinkRoutes(routes_, *context_);
  AddTaxiiRoutes(routes_, *taxii_);
  routes_.push_back({"GET",
                     "/api/v1/openapi.json",
                     "/api/v1/openapi\\.json",
                     {},
                     "This OpenAPI 3.1 document",
                     [this](const Request&) {
                       Response r = JsonResponse(openapi_);
                       return r;
                     }});
  openapi_ = BuildOpenApi(routes_);
  WrapWithAuthentication(routes_, *security_);
}

Api::~Api() = default;

}  // namespace corridor::api
