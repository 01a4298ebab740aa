// The grievance routes of the public API and portal (public_grievance_routes.cc).
// Private to src/api.
#pragma once

#include <vector>

#include "api/public_limits.h"
#include "corridor/api/route.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::api {

// Adds the routes to `routes`. Without an audit log (a read-only server)
// only the statistics are served. `db` and `audit` must outlive the routes.
// The residents' routes are limited per client (public_side/client_limits.h):
// past `limits`, 429 with Retry-After (the portal's forms: a page saying so).
void AddGrievanceRoutes(std::vector<Route>& routes, store::Database& db,
                        public_side::PublicAuditLog* audit, const ResidentLimits& limits);

}  // namespace corridor::api
