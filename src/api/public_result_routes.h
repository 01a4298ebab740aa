// The results-tracking routes of the public API (public_result_routes.cc).
// Private to src/api.
#pragma once

#include <vector>

#include "corridor/api/route.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::api {

// Reading a result is open (a consultation's results come with it);
// recording one and reporting progress need a moderator's or public-admin's
// token (and an audit log: without one, only the read).
void AddResultRoutes(std::vector<Route>& routes, store::Database& db,
                     public_side::PublicAuditLog* audit);

}  // namespace corridor::api
