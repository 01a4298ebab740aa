// The analysis and job routes (analysis_routes.cc). Private to api/.
#pragma once

#include <vector>

#include "corridor/api/http.h"
#include "corridor/service/analyses.h"

namespace corridor::api {

// One GET route per service::Analyses() entry. `ctx` and `gate` must outlive them.
void AddAnalysisRoutes(std::vector<Route>& routes, const service::Context& ctx,
                       service::ComputeGate& gate);
// GET /api/v1/route: the shortest and lowest-risk routes (service/routing.h),
// admitted by `gate` like an analysis.
void AddRoutePlanningRoutes(std::vector<Route>& routes, const service::Context& ctx,
                            service::ComputeGate& gate);
// GET /api/v1/places (issue 17 item 1): the gazetteer's place search.
void AddPlaceRoutes(std::vector<Route>& routes, const service::Context& ctx);
// GET /api/v1/briefing (issue 15 §4): the briefing as HTML or PDF, admitted
// by `gate` like an analysis (printing runs Chromium).
void AddBriefingRoute(std::vector<Route>& routes, const service::Context& ctx,
                      service::ComputeGate& gate);
// POST/GET /api/v1/jobs, GET /api/v1/jobs/{id}, POST /api/v1/jobs/{id}/cancel.
void AddJobRoutes(std::vector<Route>& routes, const service::Context& ctx);

}  // namespace corridor::api
