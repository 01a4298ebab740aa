// Site exposure (GET /api/v1/risk/exposure[/{site}]) and site alerts
// (subscriptions, GET /api/v1/alerts, POST /api/v1/alerts/{id}/read); docs/api.md.
#include <charconv>
#include <optional>
#include <string>

#include "api/params.h"
#include "api/risk_service.h"
#include "api/security_service.h"
#include "corridor/model/json.h"
#include "corridor/risk/exposure.h"

namespace corridor::api {
namespace {

using json = nlohmann::json;

Result<std::optional<double>> OptNumber(ParamReader& reader, std::string_view name) {
  auto text = reader.Get(name);
  if (!text) return Fail(text.error());
  if (!*text) return std::optional<double>();
  double v = 0;
  const std::string& t = **text;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(name) + ": expected a number, got '" + t + "'");
  }
  return std::optional<double>(v);
}

Result<std::optional<Date>> OptDate(ParamReader& reader, std::string_view name) {
  auto text = reader.Get(name);
  if (!text) return Fail(text.error());
  if (!*text) return std::optional<Date>();
  auto d = Date::ParseIso(**text);
  if (!d) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(name) + ": expected YYYY-MM-DD, got '" + **text + "'");
  }
  return d;
}

// Parameters of GET /api/v1/risk/exposure: dataset, radius_km, decay_km,
// from, to, days, as_of, violence_types.
struct ExposureParams {
  std::string dataset = "ucdp-ged";
  risk::ExposureOptions options;

  static Result<ExposureParams> Read(ParamReader& reader) {
    ExposureParams p;
    auto dataset = reader.Get("dataset");
    if (!dataset) return Fail(dataset.error());
    if (*dataset) p.dataset = **dataset;
    auto radius = OptNumber(reader, "radius_km");
    auto decay = OptNumber(reader, "decay_km");
    auto days = OptNumber(reader, "days");
    for (auto* r : {&radius, &decay, &days}) {
      if (!*r) return Fail(r->error());
    }
    if (*radius) p.options.radius_km = **radius;
    if (*decay) p.options.decay_km = **decay;
    if (*days) {
      if (**days != static_cast<int>(**days) || **days < 1 || **days > 36'600) {
        return Fail(ErrorCode::kInvalidArgument, "days: expected a whole number 1..36600");
      }
      p.options.days = static_cast<int>(**days);
    }
    auto from = OptDate(reader, "from");
    auto to = OptDate(reader, "to");
    auto as_of = OptDate(reader, "as_of");
    for (auto* r : {&from, &to, &as_of}) {
      if (!*r) return Fail(r->error());
    }
    if (*days && *from) {
      return Fail(ErrorCode::kInvalidArgument, "days and from exclude each other");
    }
    p.options.from = *from;
    p.options.to = *to;
    p.options.as_of = *as_of;
    auto types = reader.Get("violence_types");
    if (!types) return Fail(types.error());
    if (*types) {
      auto parsed = risk::ParseViolenceTypes(**types);
      if (!parsed) return Fail(parsed.error());
      p.options.violence_types = *parsed;
    }
    if (auto ok = reader.CheckAllKnown(); !ok) return Fail(ok.error());
    return p;
  }
};

Response Exposure(store::Store& store, const Request& request) {
  ParamReader reader(request);
  auto params = ExposureParams::Read(reader);
  if (!params) return ErrorResponse(params.error());
  auto result = risk::ComputeExposureFromStore(store, params->dataset, params->options);
  if (!result) return ErrorResponse(result.error());
  auto it = request.path_params.find("site");
  if (it == request.path_params.end()) return JsonResponse(risk::ToJson(*result));
  for (const auto& row : result->rows) {
    if (row.id.str() == it->second) {
      json body = risk::ToJson(*result);
      body.erase("rows");
      body["site"] = risk::ToJson(row);
      body["sites_ranked"] = result->rows.size();
      return JsonResponse(body);
    }
  }
  return ErrorResponse({ErrorCode::kNotFound, "no site " + it->second});
}

Result<Uuid> SiteId(const store::Store& store, const Request& request) {
  const std::string& text = request.path_params.at("id");
  auto id = Uuid::Parse(text);
  if (!id) return Fail(ErrorCode::kNotFound, "no site " + text);
  auto site = store.GetSite(*id);
  if (!site) return Fail(site.error());
  return *id;
}

json SubscriptionJson(const store::Subscription& s) {
  return {{"site", s.site.str()},
          {"site_name", s.site_name},
          {"radius_km", s.radius_m / 1000},
          {"created", s.created}};
}

Response Subscribe(store::Store& store, const Request& request) {
  auto site = SiteId(store, request);
  if (!site) return ErrorResponse(site.error());
  const auto body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    return ErrorResponse({ErrorCode::kInvalidArgument, "body: expected a JSON object"});
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "radius_km") {
      return ErrorResponse({ErrorCode::kInvalidArgument, "/" + key + ": unknown field"});
    }
  }
  const auto radius = body.find("radius_km");
  if (radius == body.end() || !radius->is_number()) {
    return ErrorResponse({ErrorCode::kInvalidArgument, "/radius_km: required, a number of km"});
  }
  store::Subscription s{request.actor, *site, radius->get<double>() * 1000, NowTimestamp(), ""};
  if (auto r = store.PutSubscription(s); !r) return ErrorResponse(r.error());
  auto list = store.ListSubscriptions(request.actor);
  if (!list) return ErrorResponse(list.error());
  for (const auto& stored : *list) {
    if (stored.site == *site) return JsonResponse(SubscriptionJson(stored));
  }
  return ErrorResponse({ErrorCode::kInternal, "subscription not stored"});
}

Response Unsubscribe(store::Store& store, const Request& request) {
  auto id = Uuid::Parse(request.path_params.at("id"));
  if (!id) return ErrorResponse({ErrorCode::kNotFound, "no subscription"});
  if (auto r = store.DeleteSubscription(request.actor, *id); !r) return ErrorResponse(r.error());
  Response r;
  r.status = 204;
  return r;
}

Response ListSubscriptions(store::Store& store, const Request& request) {
  ParamReader reader(request);
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  auto list = store.ListSubscriptions(request.actor);
  if (!list) return ErrorResponse(list.error());
  json items = json::array();
  for (const auto& s : *list) items.push_back(SubscriptionJson(s));
  return JsonResponse({{"subscriptions", std::move(items)}});
}

// The alert with the incident it is about, read through the viewer again.
Result<json> AlertJson(store::Store& store, const Request& request, const store::Alert& a,
                       std::vector<model::Incident>& shown) {
  auto incident = store.GetIncident(request.viewer, a.incident);
  if (!incident) return Fail(incident.error());
  json j = {{"id", std::to_string(a.id)},
            {"site", a.site.str()},
            {"site_name", a.site_name},
            {"distance_km", a.distance_m / 1000},
            {"created", a.created},
            {"read", a.read.empty() ? json(nullptr) : json(a.read)},
            {"incident", model::ToJson(*incident)}};
  shown.push_back(std::move(*incident));
  return j;
}

Response ListAlerts(store::Store& store, auth::AuditLog& audit, const Request& request) {
  ParamReader reader(request);
  auto unread = reader.Get("unread");
  if (!unread) return ErrorResponse(unread.error());
  auto limit = OptNumber(reader, "limit");
  if (!limit) return ErrorResponse(limit.error());
  if (auto ok = reader.CheckAllKnown(); !ok) return ErrorResponse(ok.error());
  if (*unread && **unread != "true" && **unread != "false") {
    return ErrorResponse({ErrorCode::kInvalidArgument, "unread: expected true or false"});
  }
  const int n = limit->value_or(100);
  if (*limit && (**limit != n || n < 1 || n > 1000)) {
    return ErrorResponse({ErrorCode::kInvalidArgument, "limit: expected 1..1000"});
  }
  auto alerts =
      store.ListAlerts(request.viewer, request.actor, *unread && **unread == "true", n);
  if (!alerts) return ErrorResponse(alerts.error());
  json items = json::array();
  std::vector<model::Incident> shown;
  std::int64_t unread_count = 0;
  for (const auto& a : *alerts) {
    auto j = AlertJson(store, request, a, shown);
    if (!j) {
      if (j.error().code == ErrorCode::kNotFound) continue;  // changed since the list
      return ErrorResponse(j.error());
    }
    unread_count += a.read.empty();
    items.push_back(std::move(*j));
  }
  if (auto r = AuditMarkedReads(audit, request, shown); !r) return ErrorResponse(r.error());
  return JsonResponse({{"alerts", std::move(items)}, {"unread", unread_count}});
}

Response MarkRead(store::Store& store, auth::AuditLog& audit, const Request& request) {
  const std::string& text = request.path_params.at("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return ErrorResponse({ErrorCode::kNotFound, "no alert " + text});
  }
  auto alert = store.MarkAlertRead(request.viewer, request.actor, id, NowTimestamp());
  if (!alert) return ErrorResponse(alert.error());
  std::vector<model::Incident> shown;
  auto j = AlertJson(store, request, *alert, shown);
  if (!j) return ErrorResponse(j.error());
  if (auto r = AuditMarkedReads(audit, request, shown); !r) return ErrorResponse(r.error());
  return JsonResponse(*j);
}

}  // namespace

void AddAlertRoutes(std::vector<Route>& routes, store::Store& store, auth::AuditLog& audit) {
  store::Store* s = &store;
  auth::AuditLog* log = &audit;
  routes.push_back({"GET", "/api/v1/risk/exposure", "/api/v1/risk/exposure", {},
                    "Corridor sites ranked by the impact-weighted, distance-decayed violence "
                    "within R km of their footprint over a window",
                    [s](const Request& r) { return Exposure(*s, r); }, auth::Action::kReadSites});
  routes.push_back({"GET", "/api/v1/risk/exposure/{site}", "/api/v1/risk/exposure/([^/]+)",
                    {"site"}, "The exposure of one site, with its rank among all sites",
                    [s](const Request& r) { return Exposure(*s, r); }, auth::Action::kReadSites});
  routes.push_back({"POST", "/api/v1/sites/{id}/subscription", "/api/v1/sites/([^/]+)/subscription",
                    {"id"}, "Subscribe the signed-in user to alerts within radius_km of a site",
                    [s](const Request& r) { return Subscribe(*s, r); },
                    auth::Action::kSubscribeAlerts});
  routes.push_back({"DELETE", "/api/v1/sites/{id}/subscription",
                    "/api/v1/sites/([^/]+)/subscription", {"id"},
                    "End the signed-in user's subscription to a site",
                    [s](const Request& r) { return Unsubscribe(*s, r); },
                    auth::Action::kSubscribeAlerts});
  routes.push_back({"GET", "/api/v1/subscriptions", "/api/v1/subscriptions", {},
                    "The signed-in user's site subscriptions",
                    [s](const Request& r) { return ListSubscriptions(*s, r); },
                    auth::Action::kSubscribeAlerts});
  routes.push_back({"GET", "/api/v1/alerts", "/api/v1/alerts", {},
                    "The signed-in user's alerts about incidents they may see, unread first",
                    [s, log](const Request& r) { return ListAlerts(*s, *log, r); },
                    auth::Action::kSubscribeAlerts});
  routes.push_back({"POST", "/api/v1/alerts/{id}/read", "/api/v1/alerts/([^/]+)/read", {"id"},
                    "Mark one of the signed-in user's alerts read",
                    [s, log](const Request& r) { return MarkRead(*s, *log, r); },
                    auth::Action::kSubscribeAlerts});
}

}  // namespace corridor::api
