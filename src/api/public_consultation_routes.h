// The consultation routes of the public API (public_consultation_routes.cc).
// Private to src/api.
#pragma once

#include <vector>

#include "api/public_limits.h"
#include "corridor/api/route.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::api {

// Adds the routes to `routes`: reading consultations is open; proposing and
// supporting need a participation code (and count against the client's
// allowance of code checks); opening and answering need a moderator's (or,
// to answer, a public-admin's) token. Without an audit log only the reads.
void AddConsultationRoutes(std::vector<Route>& routes, store::Database& db,
                           public_side::PublicAuditLog* audit, const ResidentLimits& limits);

}  // namespace corridor::api
