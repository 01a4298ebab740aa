#include "api/security_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "corridor/api/route.h"
#include "corridor/common/date.h"
#include "corridor/common/json_get.h"
#include "corridor/common/strings.h"
#include "corridor/datasets/catalog.h"
#include "corridor/model/json.h"

namespace corridor::api {
namespace {

using nlohmann::json;

constexpr const char* kSessionCookie = "corridor_session";

bool IsStateChanging(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

std::string Header(const Request& r, const std::string& lower_name) {
  const auto it = r.headers.find(lower_name);
  return it == r.headers.end() ? "" : it->second;
}

Response Unauthenticated(const std::string& message) {
  Response r = ErrorResponse({ErrorCode::kUnauthenticated, message});
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"corridor\"");
  return r;
}

std::string SessionCookie(const std::string& value, bool tls, std::int64_t max_age) {
  std::string c = std::string(kSessionCookie) + "=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (tls) c += "; Secure";
  return c;
}

json PrincipalJson(const auth::Principal& p) {
  json roles = json::array();
  for (auto r : p.roles) roles.push_back(model::RoleName(r));
  // What the roles grant without an object (the policy's own answer, so the
  // web application shows only the screens a user can use). Actions decided
  // per object (marking changes, approvals) are not listed.
  json may = json::array();
  for (int a = 0; a < auth::kActionCount; ++a) {
    const auto action = static_cast<auth::Action>(a);
    if (auth::Decide(p, action, nullptr)) may.push_back(auth::ActionName(action));
  }
  return {{"username", p.username},         {"organisation", p.org},  {"roles", roles},
          {"trust_groups", p.trust_groups}, {"second_factor", p.mfa}, {"may", may}};
}

Response Forbidden(const auth::Decision& d) {
  return ErrorResponse({ErrorCode::kPermissionDenied, "not allowed: " + d.reason});
}

// An audit append that failed makes the request fail (DESIGN.md, line 3).
Response AuditFailed(const Error& e) {
  return ErrorResponse({ErrorCode::kUnavailable, "the audit log cannot be written: " + e.message});
}

Result<json> ParseBody(const Request& request) {
  auto body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "/: the request body must be a JSON object");
  }
  return body;
}

// ---- sign-in

// The one answer to every failed sign-in, whatever the reason (wrong
// password, unknown user, missing or wrong code, disabled account): the audit
// entry keeps the reason, the caller learns nothing about the account.
constexpr const char* kSignInFailed = "sign-in failed: check the username, password and code";

// Login CSRF: a form on another site must not sign a browser in to an account
// of the attacker's choosing. The body must be JSON (a cross-site form cannot
// send that without a preflight), and a browser's Origin, when sent, must be
// this server's own (scheme-less host:port equality with Host; "null" and any
// other origin are refused). Scripts send no Origin and are allowed.
std::optional<Response> RefuseCrossSiteLogin(const Request& request) {
  std::string type = ToLower(Header(request, "content-type"));
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type != "application/json") {
    Response r = ErrorResponse({ErrorCode::kInvalidArgument,
                                "sign-in takes a JSON body (Content-Type: application/json)"});
    r.status = 415;
    return r;
  }
  if (!OriginIsHostOrAbsent(request)) {
    const std::string origin = Header(request, "origin");
    return ErrorResponse(
        {ErrorCode::kPermissionDenied,
         "sign-in from another origin is refused (Origin: " + Excerpt(origin, 100) + ")"});
  }
  return std::nullopt;
}

Response Login(SecurityContext& ctx, const Request& request) {
  if (auto refused = RefuseCrossSiteLogin(request)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  for (const char* key : {"username", "password"}) {
    if (!body->contains(key) || !(*body)[key].is_string()) {
      return ErrorResponse(
          {ErrorCode::kInvalidArgument, std::string("/") + key + ": required string"});
    }
  }
  if (body->contains("totp") && !(*body)["totp"].is_string()) {
    return ErrorResponse({ErrorCode::kInvalidArgument, "/totp: expected a string of digits"});
  }
  std::string username = Excerpt((*body)["username"].get<std::string>(), 64);
  auto signed_in = ctx.accounts.SignIn(username, (*body)["password"].get<std::string>(),
                                       StringOr(*body, "totp"), request.remote_addr);
  if (!signed_in) {
    const auto& e = signed_in.error();
    if (e.kind == auth::AuthFailure::kBusy) {
      // Refused before any check: nothing about the account happened, so no
      // audit entry (a flood of these must not flood the audit log; the
      // access log has every request).
      Response r = ErrorResponse({ErrorCode::kRateLimited, e.message});
      r.headers.emplace_back("Retry-After", std::to_string(e.retry_after));
      return r;
    }
    // Audited: every failed check, and the first refusal of a lock-out (the
    // refusals after it are the same fact; auditing each let a flood of them
    // flood the log).
    const bool repeated_refusal = e.kind == auth::AuthFailure::kRateLimited && !e.first_refusal;
    json detail = {{"address", request.remote_addr}, {"reason", e.message}};
    if (!repeated_refusal) {
      if (auto a = ctx.audit.Record(username, "sign-in-failed", {}, detail.dump()); !a) {
        return AuditFailed(a.error());
      }
    }
    if (e.kind == auth::AuthFailure::kRateLimited) {
      Response r = ErrorResponse({ErrorCode::kRateLimited, e.message});
      r.headers.emplace_back("Retry-After", std::to_string(e.retry_after));
      return r;
    }
    return Unauthenticated(kSignInFailed);
  }
  json detail = {{"address", request.remote_addr}, {"second_factor", signed_in->principal.mfa}};
  if (auto a = ctx.audit.Record(username, "sign-in", {}, detail.dump()); !a) {
    (void)ctx.accounts.SignOut(signed_in->cookie_value);
    return AuditFailed(a.error());
  }
  json out = PrincipalJson(signed_in->principal);
  out["csrf_token"] = signed_in->csrf_token;
  Response r = JsonResponse(out);
  r.headers.emplace_back("Set-Cookie", SessionCookie(signed_in->cookie_value, request.tls,
                                                     ctx.accounts.limits().absolute_seconds));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response Logout(SecurityContext& ctx, const Request& request) {
  const std::string cookie = CookieValue(Header(request, "cookie"), kSessionCookie);
  if (!cookie.empty()) {
    if (auto r = ctx.accounts.SignOut(cookie); !r) return ErrorResponse(r.error());
  }
  if (auto a = ctx.audit.Record(request.actor, "sign-out", {}); !a) return AuditFailed(a.error());
  Response r = JsonResponse({{"signed_out", true}});
  r.headers.emplace_back("Set-Cookie", SessionCookie("", request.tls, 0));
  return r;
}

Response Me(const Request& request) { return JsonResponse(PrincipalJson(request.principal)); }

// ---- manual reports

Result<model::Marking> ReadMarking(const json& body, const auth::Principal& author,
                                   model::Tlp default_tlp) {
  model::Marking m;
  m.tlp = default_tlp;
  m.author = author.username;
  m.author_org = author.org;
  if (body.contains("marking")) {
    const auto& v = body["marking"];
    const auto tlp = v.is_string() ? model::ParseTlp(v.get<std::string>()) : std::nullopt;
    if (!tlp) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "/marking: expected TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED");
    }
    m.tlp = *tlp;
  }
  if (body.contains("distribution") && !body["distribution"].is_null()) {
    auto d = model::DistributionFromJson(body["distribution"], "/distribution");
    if (!d) return Fail(d.error());
    m.distribution = std::move(*d);
  }
  if (auto ok = auth::ValidateMarking(m); !ok) return Fail(ok.error());
  return m;
}

const geo::AreaIndex* AreaIndexOf(SecurityContext& ctx) {
  std::call_once(ctx.index_once, [&] {
    auto areas = ctx.store.ListAreas(std::nullopt, /*with_geometry=*/true);
    if (!areas) return;
    auto index = geo::AreaIndex::Build(*areas);
    if (index) ctx.index = std::move(*index);
  });
  return ctx.index ? &*ctx.index : nullptr;
}

Response CreateIncident(SecurityContext& ctx, const Request& request) {
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  for (const char* key : {"id", "provenance", "licence", "created", "modified", "version",
                          "revoked", "author", "author_org", "admin1", "admin2", "admin_method"}) {
    if (body->contains(key)) {
      return ErrorResponse({ErrorCode::kInvalidArgument,
                            std::string("/") + key + ": set by the server, not by a report"});
    }
  }
  auto incident = model::IncidentFromJson(*body);
  if (!incident) return ErrorResponse(incident.error());
  auto marking = ReadMarking(*body, request.principal, model::Tlp::kAmber);
  if (!marking) return ErrorResponse(marking.error());
  if (auto d = auth::Decide(request.principal, auth::Action::kCreateIncident, &*marking); !d) {
    return Forbidden(d);
  }
  incident->id = Uuid::V4();
  incident->marking = std::move(*marking);
  incident->provenance = {"manual", "", "", "api", 0};
  incident->licence = datasets::LicenceOf("manual");
  if (incident->location_precision == model::LocationPrecision::kNone && incident->latitude) {
    incident->location_precision = model::LocationPrecision::kExact;
  }
  if (const geo::AreaIndex* index = AreaIndexOf(ctx)) index->Assign(*incident);
  // Audited before it is written: a write the log cannot record does not happen.
  json detail = {{"marking", model::TlpName(incident->marking.tlp)}};
  if (auto a = ctx.audit.Record(request.actor, "write", {incident->id.str()}, detail.dump()); !a) {
    return AuditFailed(a.error());
  }
  auto stored = ctx.store.UpsertIncidents(std::span(&*incident, 1));
  if (!stored) return ErrorResponse(stored.error());
  auto back = ctx.store.GetIncident(store::SystemViewer(), incident->id);
  if (!back) return ErrorResponse(back.error());
  return JsonResponse(model::ToJson(*back), 201);
}

// ---- markings

json MarkingJson(const model::Marking& m) {
  return json{{"marking", model::TlpName(m.tlp)}, {"distribution", model::ToJson(m.distribution)}};
}

json RequestJson(const store::MarkingRequest& r) {
  return {{"id", r.id},
          {"object", r.object.str()},
          {"from", MarkingJson(r.from)},
          {"to", MarkingJson(r.to)},
          {"requester", r.requester},
          {"requested", r.requested},
          {"status", r.status},
          {"approver", r.approver},
          {"decided", r.decided}};
}

// Audits the pending requests a marking change voided.
Result<void> AuditCancelled(SecurityContext& ctx, const std::string& actor, const Uuid& object,
                            const std::vector<std::string>& cancelled, const model::Marking& now) {
  if (cancelled.empty()) return {};
  json detail = {{"requests", cancelled},
                 {"reason", "the marking changed since the request"},
                 {"marking", MarkingJson(now)}};
  auto a = ctx.audit.Record(actor, "marking-request-cancel", {object.str()}, detail.dump());
  if (!a) return Fail(a.error());
  return {};
}

auth::ReaderDirectory DirectoryOf(store::Store& store) {
  auth::ReaderDirectory d;
  d.org_of_user = [&store](const std::string& username) -> std::optional<std::string> {
    auto u = store.GetUser(username);
    if (!u) return std::nullopt;
    return u->org;
  };
  d.org_in_group = [&store](const std::string& org, const std::string& group) {
    auto o = store.GetOrganisation(org);
    if (!o) return false;
    return std::find(o->trust_groups.begin(), o->trust_groups.end(), group) !=
           o->trust_groups.end();
  };
  return d;
}

Response ChangeMarking(SecurityContext& ctx, const Request& request) {
  const auto id = Uuid::Parse(request.path_params.at("id"));
  if (!id) return ErrorResponse({ErrorCode::kInvalidArgument, "id: not a UUID"});
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  if (!body->contains("marking"))
    return ErrorResponse({ErrorCode::kInvalidArgument, "/marking: required"});
  auto incident = ctx.store.GetIncident(request.viewer, *id);
  if (!incident) return ErrorResponse(incident.error());  // invisible = missing
  const model::Marking& from = incident->marking;
  auth::Principal as_author = request.principal;
  as_author.username = from.author;
  as_author.org = from.author_org;
  auto to = ReadMarking(*body, as_author, from.tlp);
  if (!to) return ErrorResponse(to.error());
  const std::string now = NowTimestamp();
  if (!auth::IsLoosening(from, *to, DirectoryOf(ctx.store))) {
    if (auto d = auth::Decide(request.principal, auth::Action::kTightenMarking, &from); !d) {
      return Forbidden(d);
    }
    json detail = {{"from", MarkingJson(from)}, {"to", MarkingJson(*to)}};
    if (auto a = ctx.audit.Record(request.actor, "marking", {id->str()}, detail.dump()); !a) {
      return AuditFailed(a.error());
    }
    auto cancelled = ctx.store.SetMarking(*id, *to, from);
    if (!cancelled) return ErrorResponse(cancelled.error());
    if (auto a = AuditCancelled(ctx, request.actor, *id, *cancelled, *to); !a) {
      return AuditFailed(a.error());
    }
    return JsonResponse({{"applied", true},
                         {"marking", model::TlpName(to->tlp)},
                         {"distribution", model::ToJson(to->distribution)}});
  }
  if (auto d = auth::Decide(request.principal, auth::Action::kRequestLoosening, &from); !d) {
    return Forbidden(d);
  }
  store::MarkingRequest req;
  req.id = Uuid::V4().str();
  req.object = *id;
  req.from = from;
  req.to = *to;
  req.requester = request.actor;
  req.requested = now;
  req.status = "pending";
  json detail = {{"request", req.id}, {"from", MarkingJson(from)}, {"to", MarkingJson(*to)}};
  if (auto a = ctx.audit.Record(request.actor, "marking-request", {id->str()}, detail.dump()); !a) {
    return AuditFailed(a.error());
  }
  if (auto r = ctx.store.AddMarkingRequest(req); !r) return ErrorResponse(r.error());
  json out = {{"applied", false},
              {"message", "loosening a marking needs a second user of the organisation to approve"},
              {"request", RequestJson(req)}};
  return JsonResponse(out, 202);
}

// The current marking of a request's object when the user may see the request:
// who may read the object, or an admin of the author's organisation (who sees
// the request, never the object). nullopt answers 404, as for a missing one.
std::optional<model::Marking> RequestObjectMarking(SecurityContext& ctx, const Request& request,
                                                   const store::MarkingRequest& r) {
  if (auto visible = ctx.store.GetIncident(request.viewer, r.object)) return visible->marking;
  const auto& roles = request.principal.roles;
  if (std::find(roles.begin(), roles.end(), model::Role::kAdmin) == roles.end())
    return std::nullopt;
  auto object = ctx.store.GetIncident(store::SystemViewer(), r.object);
  if (!object || object->marking.author_org.empty() ||
      object->marking.author_org != request.principal.org) {
    return std::nullopt;
  }
  return object->marking;
}

struct MarkingRequestsParams {
  std::string status = "pending";
  static const service::ParamSchema<MarkingRequestsParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<MarkingRequestsParams>()
            .Enum("status", &MarkingRequestsParams::status, "Which requests (default pending)",
                  {"pending", "approved", "rejected", "cancelled", "all"})
            .Default("pending");
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Response ListMarkingRequests(SecurityContext& ctx, const Request& request,
                             const MarkingRequestsParams& p) {
  const std::string& wanted = p.status;
  auto requests = ctx.store.ListMarkingRequests(wanted == "all" ? "" : wanted);
  if (!requests) return ErrorResponse(requests.error());
  json items = json::array();
  for (const auto& r : *requests) {
    // Only requests the user may see exist for them.
    if (RequestObjectMarking(ctx, request, r)) items.push_back(RequestJson(r));
  }
  return JsonResponse({{"items", items}, {"count", items.size()}});
}

Response DecideRequest(SecurityContext& ctx, const Request& request, bool approve) {
  const std::string id = request.path_params.at("id");
  auto req = ctx.store.GetMarkingRequest(id);
  if (!req) return ErrorResponse(req.error());
  const auto marking = RequestObjectMarking(ctx, request, *req);
  if (!marking) return ErrorResponse({ErrorCode::kNotFound, "no marking request " + id});
  if (req->status != "pending") {
    return ErrorResponse(
        {ErrorCode::kConflict, "marking request " + id + " is already " + req->status});
  }
  if (auto d = auth::DecideApproval(request.principal, req->requester, *marking); !d) {
    return Forbidden(d);
  }
  json detail = {{"request", id},
                 {"approved", approve},
                 {"requester", req->requester},
                 {"from", MarkingJson(req->from)},
                 {"to", MarkingJson(req->to)}};
  if (auto a = ctx.audit.Record(request.actor, approve ? "approve" : "reject", {req->object.str()},
                                detail.dump());
      !a) {
    return AuditFailed(a.error());
  }
  // Compare-and-set in the store: the approval applies only if the object is
  // still marked exactly as the request's `from`.
  auto decision = ctx.store.DecideMarkingRequest(id, approve, request.actor, NowTimestamp());
  if (!decision) return ErrorResponse(decision.error());
  if (decision->status == "cancelled") {
    if (auto a = AuditCancelled(ctx, request.actor, req->object, {id}, decision->current); !a) {
      return AuditFailed(a.error());
    }
    return ErrorResponse(
        {ErrorCode::kConflict, "marking request " + id + " is cancelled: the object is now " +
                                   std::string(model::TlpName(decision->current.tlp)) +
                                   ", not the " + std::string(model::TlpName(req->from.tlp)) +
                                   " it was requested from; ask again from its current marking"});
  }
  if (auto a =
          AuditCancelled(ctx, request.actor, req->object, decision->cancelled, decision->current);
      !a) {
    return AuditFailed(a.error());
  }
  auto after = ctx.store.GetMarkingRequest(id);
  if (!after) return ErrorResponse(after.error());
  return JsonResponse(RequestJson(*after));
}

}  // namespace

Result<void> AuditMarkedReads(auth::AuditLog& audit, const Request& request,
                              const std::vector<model::Incident>& incidents) {
  std::vector<std::string> ids;
  for (const auto& i : incidents) {
    if (model::Strictness(i.marking.tlp) >= model::Strictness(model::Tlp::kAmber)) {
      ids.push_back(i.id.str());
    }
  }
  if (ids.empty()) return {};
  json detail = {{"route", request.path}};
  auto r = audit.Record(request.actor, "read", std::move(ids), detail.dump());
  if (!r) return Fail(r.error());
  return {};
}

void AddSecurityRoutes(std::vector<Route>& routes, SecurityContext& ctx) {
  SecurityContext* c = &ctx;
  routes.push_back({"POST",
                    "/api/v1/auth/login",
                    "/api/v1/auth/login",
                    {},
                    "Sign in with username, password and (when enrolled) the TOTP code; sets the "
                    "session cookie and returns the CSRF token",
                    [c](const Request& r) { return Login(*c, r); },
                    std::nullopt,
                    /*open=*/true});
  routes.push_back({"POST",
                    "/api/v1/auth/logout",
                    "/api/v1/auth/logout",
                    {},
                    "Sign out",
                    [c](const Request& r) { return Logout(*c, r); },
                    std::nullopt});
  routes.push_back({"GET",
                    "/api/v1/auth/me",
                    "/api/v1/auth/me",
                    {},
                    "The signed-in user: organisation, roles, second factor",
                    [](const Request& r) { return Me(r); },
                    std::nullopt});
  routes.push_back({"POST",
                    "/api/v1/incidents",
                    "/api/v1/incidents",
                    {},
                    "File a manual incident report (date_start required; marking defaults to "
                    "TLP:AMBER)",
                    [c](const Request& r) { return CreateIncident(*c, r); },
                    std::nullopt});
  routes.push_back({"POST",
                    "/api/v1/incidents/{id}/marking",
                    "/api/v1/incidents/([^/]+)/marking",
                    {"id"},
                    "Change an incident's marking: a tightening applies now, a loosening waits "
                    "for a second user's approval",
                    [c](const Request& r) { return ChangeMarking(*c, r); },
                    std::nullopt});
  routes.push_back(Declare<MarkingRequestsParams>(
      "GET", "/api/v1/marking-requests", "Requests to loosen a marking",
      [c](const Request& r, const MarkingRequestsParams& p) {
        return ListMarkingRequests(*c, r, p);
      }));
  routes.push_back({"POST",
                    "/api/v1/marking-requests/{id}/approve",
                    "/api/v1/marking-requests/([^/]+)/approve",
                    {"id"},
                    "Approve a loosening (a second analyst of the organisation)",
                    [c](const Request& r) { return DecideRequest(*c, r, true); },
                    std::nullopt});
  routes.push_back({"POST",
                    "/api/v1/marking-requests/{id}/reject",
                    "/api/v1/marking-requests/([^/]+)/reject",
                    {"id"},
                    "Reject a loosening",
                    [c](const Request& r) { return DecideRequest(*c, r, false); },
                    std::nullopt});
}

void WrapWithAuthentication(std::vector<Route>& routes, SecurityContext& ctx) {
  for (Route& route : routes) {
    if (route.open || route.own_authentication) continue;
    auto inner = std::move(route.handler);
    const std::optional<auth::Action> action = route.action;
    SecurityContext* c = &ctx;
    route.handler = [c, inner = std::move(inner), action](const Request& original) -> Response {
      Request request = original;
      const std::string authorization = Header(request, "authorization");
      if (authorization.rfind("Bearer ", 0) == 0) {
        auto principal = c->accounts.FromToken(authorization.substr(7));
        if (!principal) return Unauthenticated(principal.error().message);
        request.principal = std::move(*principal);
      } else {
        const std::string cookie = CookieValue(Header(request, "cookie"), kSessionCookie);
        if (cookie.empty()) {
          return Unauthenticated("sign in first (POST /api/v1/auth/login) or send a bearer token");
        }
        auto session = c->accounts.FromSession(cookie);
        if (!session) return Unauthenticated(session.error().message);
        if (IsStateChanging(request.method) &&
            !auth::ConstantTimeEquals(Header(request, "x-csrf-token"),
                                      session->second.csrf_token)) {
          return ErrorResponse({ErrorCode::kPermissionDenied,
                                "missing or wrong X-CSRF-Token header (sent at sign-in)"});
        }
        request.principal = std::move(session->first);
      }
      request.actor = request.principal.username;
      request.viewer = auth::ViewerFor(request.principal);
      if (action) {
        if (auto d = auth::Decide(request.principal, *action, nullptr); !d) return Forbidden(d);
      }
      return inner(request);
    };
  }
}

}  // namespace corridor::api
