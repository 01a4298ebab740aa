// The admin console's routes (admin_routes.cc, docs/security.md
// "Administration"). Private to api/.
#pragma once

#include <vector>

#include "corridor/api/http.h"
#include "corridor/auth/accounts.h"
#include "corridor/service/service.h"

namespace corridor::api {

// GET/POST /api/v1/admin/organisations, GET/POST /api/v1/admin/users,
// POST /api/v1/admin/users/{username}/disable, GET/POST /api/v1/admin/tokens,
// POST /api/v1/admin/tokens/{id}/revoke, GET /api/v1/admin/audit,
// GET /api/v1/admin/audit/verify, GET /api/v1/admin/partners.
// `ctx` and `accounts` must outlive them.
void AddAdminRoutes(std::vector<Route>& routes, const service::Context& ctx,
                    auth::Accounts& accounts);

}  // namespace corridor::api
