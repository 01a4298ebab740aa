// The TAXII 2.1 server (issue 6 point 3, docs/sync_protocol.md) and the egress
// preview route. Private to api/.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/api/api.h"

namespace corridor::api {

struct TaxiiContext {
  TaxiiContext(store::Store& s, auth::Accounts& a, auth::AuditLog& l, TaxiiOptions o)
      : store(s), accounts(a), audit(l), options(std::move(o)) {}
  store::Store& store;
  auth::Accounts& accounts;
  auth::AuditLog& audit;
  TaxiiOptions options;
  // Status resources of POSTs, by id (kept in memory for the process's life;
  // every POST completes before it answers).
  std::mutex status_mu;
  std::map<std::string, nlohmann::json> statuses;
};

// Adds the /taxii2/ routes (open: they authenticate the bearer token
// themselves and answer with TAXII error resources) and
// GET /api/v1/sync/preview/{id}.
void AddTaxiiRoutes(std::vector<Route>& routes, TaxiiContext& ctx);

}  // namespace corridor::api
