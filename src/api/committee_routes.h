// The committee workspace's routes (committee_routes.cc, docs/committee.md).
// Private to api/.
#pragma once

#include <vector>

#include "corridor/api/http.h"
#include "corridor/service/service.h"
#include "corridor/stix/signature.h"

namespace corridor::api {

// GET/POST /api/v1/committees, GET /api/v1/committees/{id}, POST /api/v1/meetings,
// POST /api/v1/decisions, GET/POST /api/v1/actions, POST /api/v1/actions/{id},
// POST /api/v1/committees/{id}/share (signed with `signing_key`; null answers
// 503). `ctx` and the key must outlive them.
void AddCommitteeRoutes(std::vector<Route>& routes, const service::Context& ctx,
                        const stix::SigningKey* signing_key);

}  // namespace corridor::api
