// The risk routes (/api/v1/risk/...): typed parameters in, risk library calls,
// JSON out. Registered by the Api constructor.
#pragma once

#include <vector>

#include "corridor/api/api.h"
#include "corridor/store/store.h"

namespace corridor::api {



// Appends the subscription routes and GET /api/v1/alerts, POST /api/v1/alerts/{id}/read (alert_service.cc).
void AddAlertRoutes(std::vector<Route>& routes, store::Store& store, auth::AuditLog& audit);
// Appends GET /api/v1/assessments, GET /api/v1/assessments/{id} and POST
// /api/v1/assessments (assessment_service.cc, issue 6).
void AddAssessmentRoutes(std::vector<Route>& routes, store::Store& store, auth::AuditLog& audit);

// Appends the web map's routes (map_service.cc): GET /api/v1/stats/grid,
// /api/v1/stats/timeline and /api/v1/areas.geojson.
void AddMapRoutes(std::vector<Route>& routes, store::Store& store);

}  // namespace corridor::api
