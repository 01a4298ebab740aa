// The risk routes (/api/v1/risk/...): typed parameters in, risk library calls,
// JSON out. Registered by the Api constructor.
#pragma once

#include <vector>

#include "corridor/api/api.h"
#include "corridor/store/store.h"

namespace corridor::api {

// Appends GET /api/v1/risk/index and GET /api/v1/risk/vulnerability to
// `routes`. `store` must outlive the routes. The vulnerability route reads
// Data4Pakistan from risk::DefaultDataDir() ($CORRIDOR_DATA_DIR or
// ../shared/data) at each request; 503 when it is not there.
void AddRiskRoutes(std::vector<Route>& routes, store::Store& store);

// Appends the hotspot routes (hotspot_service.cc): GET /api/v1/risk/hotspots,
// /api/v1/risk/hotspots.geojson, /api/v1/risk/gistar, /api/v1/risk/knox.
// Called by AddRiskRoutes.
void AddHotspotRoutes(std::vector<Route>& routes, store::Store& store);

// Appends GET /api/v1/risk/exposure[/{site}], the subscription routes and
// GET /api/v1/alerts, POST /api/v1/alerts/{id}/read (alert_service.cc).
void AddAlertRoutes(std::vector<Route>& routes, store::Store& store, auth::AuditLog& audit);
// Appends GET /api/v1/assessments, GET /api/v1/assessments/{id} and POST
// /api/v1/assessments (assessment_service.cc, issue 6).
void AddAssessmentRoutes(std::vector<Route>& routes, store::Store& store, auth::AuditLog& audit);
// Appends GET /api/v1/risk/forecast, /api/v1/risk/forecast.geojson and
// /api/v1/risk/backtest (forecast_service.cc). Called by AddRiskRoutes.
void AddForecastRoutes(std::vector<Route>& routes, store::Store& store);

// Appends the web map's routes (map_service.cc): GET /api/v1/stats/grid,
// /api/v1/stats/timeline and /api/v1/areas.geojson.
void AddMapRoutes(std::vector<Route>& routes, store::Store& store);

}  // namespace corridor::api
