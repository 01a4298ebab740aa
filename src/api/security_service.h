// The security model's side of the API (docs/security.md): the
// authentication step wrapped around every route, sign-in and sign-out,
// manual incident reports, marking changes with the two-person rule, and the
// audit of marked reads. Private to api/.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "corridor/api/api.h"
#include "corridor/auth/accounts.h"
#include "corridor/auth/audit_log.h"
#include "corridor/geo/area_index.h"

namespace corridor::api {

struct SecurityContext {
  store::Store& store;
  auth::Accounts& accounts;
  auth::AuditLog& audit;
  // The district index for manual reports, built on first use.
  std::once_flag index_once;
  std::optional<geo::AreaIndex> index;
};

// Adds /api/v1/auth/*, POST /api/v1/incidents, marking changes and requests.
void AddSecurityRoutes(std::vector<Route>& routes, SecurityContext& ctx);

// Replaces each route's handler with one that first authenticates the request
// (bearer token, or session cookie plus X-CSRF-Token on a state-changing
// method), fills Request::actor, principal and viewer, checks the route's
// action with auth::Decide, and answers 401/403 itself when it must. Routes
// marked `open` run without a signed-in user.
void WrapWithAuthentication(std::vector<Route>& routes, SecurityContext& ctx);

// Appends one audit entry for the marked objects (AMBER and stricter) among
// `incidents` that a response is about to show; Ok when there are none. The
// response must not be sent when this fails.
Result<void> AuditMarkedReads(auth::AuditLog& audit, const Request& request,
                              const std::vector<model::Incident>& incidents);

}  // namespace corridor::api
