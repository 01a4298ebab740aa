// The admin console over HTTP (issue 17 item 7): each route reads its
// parameters or JSON body and calls the same service as the CLI
// (service/admin.h). Errors in a body name the member as a JSON pointer.
#include "api/admin_routes.h"

#include "api/caller.h"
#include "api/json_body.h"
#include "corridor/api/route.h"
#include "corridor/service/admin.h"

namespace corridor::api {
namespace {

using nlohmann::json;

struct UsernameParams {
  std::string username;
  static const service::ParamSchema<UsernameParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<UsernameParams>()
            .Text("username", &UsernameParams::username, "The account name", 64)
            .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct TokenIdParams {
  std::string id;
  static const service::ParamSchema<TokenIdParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<TokenIdParams>()
            .Text("id", &TokenIdParams::id, "The token's public id (never its secret)", 64)
            .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

template <typename T>
Response Items(const Result<std::vector<T>>& list) {
  if (!list) return ErrorResponse(list.error());
  json items = json::array();
  for (const auto& x : *list) items.push_back(service::ToJson(x));
  return JsonResponse({{"items", items}, {"count", items.size()}});
}

template <typename T>
Response Items(const Result<service::ListPage<T>>& page) {
  if (!page) return ErrorResponse(page.error());
  json items = json::array();
  for (const auto& x : page->items) items.push_back(service::ToJson(x));
  return JsonResponse(
      {{"items", items},
       {"count", items.size()},
       {"next_cursor", page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)}});
}

// The answer of a change: `body` when it was made, the error otherwise.
Response Done(const Result<void>& r, const json& body) {
  if (!r) return ErrorResponse(r.error());
  return JsonResponse(body);
}

const json kString = {{"type", "string"}};
const json kRoles = {{"type", "array"},
                     {"minItems", 1},
                     {"maxItems", 4},
                     {"items",
                      {{"type", "string"},
                       {"enum", {"admin", "analyst", "committee", "site-security", "partner"}}}}};

}  // namespace

void AddAdminRoutes(std::vector<Route>& routes, const service::Context& ctx,
                    auth::Accounts& accounts) {
  using auth::Action;
  const service::Context* c = &ctx;
  auth::Accounts* a = &accounts;

  routes.push_back(Declare<service::AdminListParams>(
      "GET", "/api/v1/admin/organisations", "This instance's organisation and its partners",
      [c](const Request& r, const service::AdminListParams& p) {
        return Items(service::ListOrganisations(*c, CallerOf(r), p));
      },
      Action::kManageAccounts));
  Route add_org = Declare<service::NoParams>(
      "POST", "/api/v1/admin/organisations", "Add an organisation (audited)",
      [c, a](const Request& r, const service::NoParams&) {
        auto body = Body::Parse(r.body, {"name", "trust_groups"});
        if (!body) return ErrorResponse(body.error());
        service::AddOrganisationParams p;
        if (auto ok = All({body->Require("name"), body->Text("name", &p.name),
                           body->List("trust_groups", &p.trust_groups)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        auto org = service::AddOrganisation(*c, *a, CallerOf(r), p);
        if (!org) return ErrorResponse(org.error());
        return JsonResponse(service::ToJson(*org), 201);
      },
      Action::kManageAccounts);
  add_org.request_body = {
      {"type", "object"},
      {"required", {"name"}},
      {"additionalProperties", false},
      {"properties",
       {{"name", kString}, {"trust_groups", {{"type", "array"}, {"items", kString}}}}}};
  routes.push_back(std::move(add_org));

  routes.push_back(Declare<service::AdminListParams>(
      "GET", "/api/v1/admin/users",
      "Every account with its organisation, roles, second factor and state (no secrets)",
      [c](const Request& r, const service::AdminListParams& p) {
        return Items(service::ListUsers(*c, CallerOf(r), p));
      },
      Action::kManageAccounts));
  Route add_user = Declare<service::NoParams>(
      "POST", "/api/v1/admin/users",
      "Add an account (audited); the answer carries its TOTP secret once when its roles read "
      "TLP:RED",
      [c, a](const Request& r, const service::NoParams&) {
        auto body = Body::Parse(r.body, {"username", "organisation", "roles", "password"});
        if (!body) return ErrorResponse(body.error());
        service::AddUserParams p;
        if (auto ok = All({body->Require("username"), body->Require("organisation"),
                           body->Require("roles"), body->Require("password"),
                           body->Text("username", &p.username), body->Text("organisation", &p.org),
                           body->List("roles", &p.roles), body->Text("password", &p.password)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        auto user = service::AddUser(*c, *a, CallerOf(r), p);
        if (!user) return ErrorResponse(user.error());
        return JsonResponse(service::ToJson(*user), 201);
      },
      Action::kManageAccounts);
  add_user.request_body = {{"type", "object"},
                           {"required", {"username", "organisation", "roles", "password"}},
                           {"additionalProperties", false},
                           {"properties",
                            {{"username", kString},
                             {"organisation", kString},
                             {"roles", kRoles},
                             {"password", {{"type", "string"}, {"minLength", 12}}}}}};
  routes.push_back(std::move(add_user));
  Route set_roles = Declare<UsernameParams>(
      "PUT", "/api/v1/admin/users/{username}/roles",
      "Give an account exactly these roles and end its sessions (audited with the roles before "
      "and after)",
      [c, a](const Request& r, const UsernameParams& u) {
        auto body = Body::Parse(r.body, {"roles"});
        if (!body) return ErrorResponse(body.error());
        service::SetRolesParams p;
        p.username = u.username;
        if (auto ok = All({body->Require("roles"), body->List("roles", &p.roles)}); !ok) {
          return ErrorResponse(ok.error());
        }
        auto user = service::SetUserRoles(*c, *a, CallerOf(r), p);
        if (!user) return ErrorResponse(user.error());
        return JsonResponse(service::ToJson(user->user));
      },
      Action::kManageAccounts);
  set_roles.request_body = {{"type", "object"},
                            {"required", {"roles"}},
                            {"additionalProperties", false},
                            {"properties", {{"roles", kRoles}}}};
  routes.push_back(std::move(set_roles));
  routes.push_back(Declare<UsernameParams>(
      "POST", "/api/v1/admin/users/{username}/disable",
      "Disable an account: ends its sessions and revokes its tokens (audited)",
      [c, a](const Request& r, const UsernameParams& p) {
        return Done(service::DisableUser(*c, *a, CallerOf(r), p.username),
                    {{"username", p.username}, {"disabled", true}});
      },
      Action::kManageAccounts));

  routes.push_back(Declare<service::AdminListParams>(
      "GET", "/api/v1/admin/tokens", "Every bearer token by id (never the secrets)",
      [c](const Request& r, const service::AdminListParams& p) {
        return Items(service::ListTokens(*c, CallerOf(r), p));
      },
      Action::kManageAccounts));
  Route add_token = Declare<service::NoParams>(
      "POST", "/api/v1/admin/tokens",
      "Create a bearer token for an account (audited); the answer carries it once",
      [c, a](const Request& r, const service::NoParams&) {
        auto body = Body::Parse(r.body, {"username", "label"});
        if (!body) return ErrorResponse(body.error());
        std::string username, label;
        if (auto ok = All({body->Require("username"), body->Text("username", &username),
                           body->Text("label", &label)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        auto token = service::CreateToken(*c, *a, CallerOf(r), username, label);
        if (!token) return ErrorResponse(token.error());
        return JsonResponse(service::ToJson(*token), 201);
      },
      Action::kManageAccounts);
  add_token.request_body = {{"type", "object"},
                            {"required", {"username"}},
                            {"additionalProperties", false},
                            {"properties", {{"username", kString}, {"label", kString}}}};
  routes.push_back(std::move(add_token));
  routes.push_back(Declare<TokenIdParams>(
      "POST", "/api/v1/admin/tokens/{id}/revoke", "Revoke a token (audited)",
      [c, a](const Request& r, const TokenIdParams& p) {
        return Done(service::RevokeToken(*c, *a, CallerOf(r), p.id),
                    {{"id", p.id}, {"revoked", true}});
      },
      Action::kManageAccounts));

  routes.push_back(Declare<service::AuditListParams>(
      "GET", "/api/v1/admin/audit", "The audit log, filtered, newest first",
      [c](const Request& r, const service::AuditListParams& p) {
        return Items(service::ListAudit(*c, CallerOf(r), p));
      },
      Action::kReadAudit));
  // GET /api/v1/admin/audit/verify is the analysis "audit.verify" (analysis_routes.cc): a
  // log too long for one request's budget is checked as a job.

  routes.push_back(Declare<service::AdminListParams>(
      "GET", "/api/v1/admin/partners",
      "The partner instances this one pulls from, with their cursor and last sync",
      [c](const Request& r, const service::AdminListParams& p) {
        return Items(service::ListPartners(*c, CallerOf(r), p));
      },
      Action::kManageAccounts));
}

}  // namespace corridor::api
