// Site alerts (subscriptions, GET /api/v1/alerts, POST /api/v1/alerts/{id}/read); docs/api.md.
#include <charconv>
#include <optional>
#include <string>

#include "corridor/api/route.h"
#include "api/risk_service.h"
#include "api/security_service.h"
#include "corridor/model/json.h"

namespace corridor::api {
namespace {

using json = nlohmann::json;

// The {id} of a site or alert route, as text (a malformed id answers 404, as
// a missing one).
struct PathId {
  std::string id;
  static const service::ParamSchema<PathId>& Schema() {
    static const auto kSchema = service::ParamSchema<PathId>()
                                    .Text("id", &PathId::id, "The object's id", 64)
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct AlertsParams {
  bool unread = false;
  int limit = 100;
  static const service::ParamSchema<AlertsParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<AlertsParams>()
            .Boolean("unread", &AlertsParams::unread, "Only unread alerts")
            .Integer("limit", &AlertsParams::limit, "At most this many (default 100)", 1, 1000)
            .Default(100);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Result<Uuid> SiteId(const store::Store& store, const std::string& text) {
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

Response Subscribe(store::Store& store, const Request& request, const PathId& p) {
  auto site = SiteId(store, p.id);
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

Response Unsubscribe(store::Store& store, const Request& request, const PathId& p) {
  auto id = Uuid::Parse(p.id);
  if (!id) return ErrorResponse({ErrorCode::kNotFound, "no subscription"});
  if (auto r = store.DeleteSubscription(request.actor, *id); !r) return ErrorResponse(r.error());
  Response r;
  r.status = 204;
  return r;
}

Response ListSubscriptions(store::Store& store, const Request& request) {
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

Response ListAlerts(store::Store& store, auth::AuditLog& audit, const Request& request,
                    const AlertsParams& p) {
  auto alerts = store.ListAlerts(request.viewer, request.actor, p.unread, p.limit);
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

Response MarkRead(store::Store& store, auth::AuditLog& audit, const Request& request,
                  const PathId& p) {
  const std::string& text = p.id;
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
  using A = auth::Action;
  routes.push_back(Declare<PathId>(
      "POST", "/api/v1/sites/{id}/subscription",
      "Subscribe the signed-in user to alerts within radius_km of a site",
      [s](const Request& r, const PathId& p) { return Subscribe(*s, r, p); }, A::kSubscribeAlerts));
  routes.back().request_body = {
      {"type", "object"},
      {"required", {"radius_km"}},
      {"additionalProperties", false},
      {"properties", {{"radius_km", {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 500}}}}}};
  routes.push_back(Declare<PathId>(
      "DELETE", "/api/v1/sites/{id}/subscription", "End the signed-in user's subscription to a site",
      [s](const Request& r, const PathId& p) { return Unsubscribe(*s, r, p); },
      A::kSubscribeAlerts));
  routes.push_back(Declare<service::NoParams>(
      "GET", "/api/v1/subscriptions", "The signed-in user's site subscriptions",
      [s](const Request& r, const service::NoParams&) { return ListSubscriptions(*s, r); },
      A::kSubscribeAlerts));
  routes.push_back(Declare<AlertsParams>(
      "GET", "/api/v1/alerts",
      "The signed-in user's alerts about incidents they may see, unread first",
      [s, log](const Request& r, const AlertsParams& p) { return ListAlerts(*s, *log, r, p); },
      A::kSubscribeAlerts));
  routes.push_back(Declare<PathId>(
      "POST", "/api/v1/alerts/{id}/read", "Mark one of the signed-in user's alerts read",
      [s, log](const Request& r, const PathId& p) { return MarkRead(*s, *log, r, p); },
      A::kSubscribeAlerts));
}

}  // namespace corridor::api
