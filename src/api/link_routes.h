// One event, several sources (docs/links.md): GET /api/v1/links, POST
// /api/v1/links/find, POST /api/v1/links/{id}/decision and GET
// /api/v1/incidents/{id}/links, over service/links.h. Private to api/.
#pragma once

#include <vector>

#include "corridor/api/http.h"
#include "corridor/service/service.h"

namespace corridor::api {

// `ctx` must outlive the routes.
void AddLinkRoutes(std::vector<Route>& routes, const service::Context& ctx);

}  // namespace corridor::api
