// The grievance routes of the public API and portal (public_grievance_routes.cc).
// Private to src/api.
#pragma once

#include <vector>

#include "corridor/api/route.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::api {

// Adds the routes to `routes`. Without an audit log (a read-only server)
// only the statistics are served. `db` and `audit` must outlive the routes.
void AddGrievanceRoutes(std::vector<Route>& routes, store::Database& db,
                        public_side::PublicAuditLog* audit);

}  // namespace corridor::api
