// The HTTP API of Corridor, independent of any HTTP library: `server/` turns
// an incoming request into an api::Request, calls the route's handler and
// writes back the api::Response (OSRM's split of server and services).
//
// Each service parses its parameters into a typed *Params struct with a
// Validate() step, calls the store and fills JSON. Every route is listed in
// Routes() and documented in OpenApiDocument(); a test fails when they differ.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "corridor/api/http.h"
#include "corridor/auth/accounts.h"
#include "corridor/auth/audit_log.h"
#include "corridor/auth/policy.h"
#include "corridor/service/analyses.h"
#include "corridor/common/result.h"
#include "corridor/stix/signature.h"
#include "corridor/store/store.h"

namespace corridor::api {


struct SecurityContext;  // security_service.h
struct TaxiiContext;     // taxii_service.h

// The TAXII 2.1 server under /taxii2/ (docs/sync_protocol.md): one API root
// per trust group, each with one collection of this instance's shareable
// objects.
struct TaxiiOptions {
  std::vector<std::string> api_roots = {"bilateral", "regional", "un"};
  std::string title = "Corridor TAXII 2.1 server";
  // Announced as max_content_length; keep it equal to the server's body limit
  // (server::ServerOptions::max_body_bytes), which answers 413 above it.
  std::size_t max_content_length = 1 << 20;
  // Signs every object this instance sends (its key ring's current key,
  // corridor/stix/signature.h); unset, objects go unsigned and partners
  // reject them.
  std::optional<stix::SigningKey> signing_key;
  // This instance's public key file (corridor-public-keys-1, `corridor keys
  // show --json`), served to partners at /taxii2/corridor/keys/ so that a
  // rotated key reaches them; null serves 404.
  nlohmann::json public_keys;
};

class Api {
 public:
  // `store`, `accounts` and `audit` must outlive the Api. Handlers are thread-safe.
  // `compute` bounds the analyses (per-request budget, per-user and total
  // concurrency: service/analyses.h).
  Api(store::Store& store, auth::Accounts& accounts, auth::AuditLog& audit,
      TaxiiOptions taxii = {}, service::ComputeLimits compute = {});
  // What the use cases run against (for the job runner of `corridor serve`).
  const service::Context& context() const { return *context_; }
  ~Api();
  const std::vector<Route>& routes() const { return routes_; }
  // The OpenAPI 3.1 document describing routes(), served at /api/v1/openapi.json.
  const nlohmann::json& openapi() const { return openapi_; }

 private:
  store::Store& store_;
  std::unique_ptr<service::Context> context_;
  std::unique_ptr<service::ComputeGate> compute_;
  std::unique_ptr<SecurityContext> security_;
  std::unique_ptr<TaxiiContext> taxii_;
  std::vector<Route> routes_;
  nlohmann::json openapi_;
};

}  // namespace corridor::api
