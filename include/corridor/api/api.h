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

#include "corridor/auth/accounts.h"
#include "corridor/auth/audit_log.h"
#include "corridor/auth/policy.h"
#include "corridor/common/result.h"
#include "corridor/stix/signature.h"
#include "corridor/store/store.h"

namespace corridor::api {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/api/v1/incidents/1b4e..."
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> path_params;           // {"id": "..."}
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string remote_addr;                     // the peer's IP address
  bool tls = false;                            // arrived over HTTPS

  // Set by the authentication step before a route's handler runs (Api wraps
  // every handler; docs/security.md): who is asking and what they may see.
  std::string actor;         // username, "" when not signed in
  auth::Principal principal;
  store::Viewer viewer;      // default: TLP:CLEAR only
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct Route {
  std::string method;        // "GET"
  std::string path;          // OpenAPI form: "/api/v1/incidents/{id}"
  std::string regex;         // for the server: "/api/v1/incidents/([0-9a-fA-F-]{36})"
  std::vector<std::string> path_param_names;  // names of the regex groups, in order
  std::string summary;
  std::function<Response(const Request&)> handler;
  // What the route does, checked with auth::Decide before the handler runs
  // (nullopt: the handler decides per object). `open` routes need no sign-in.
  std::optional<auth::Action> action = auth::Action::kRead;
  bool open = false;
  // The handler authenticates the request itself (the TAXII routes: partners'
  // bearer tokens, TAXII error resources); it still answers 401 without one.
  bool own_authentication = false;
};

// The HTTP status of an error code (400, 404, 409, 503, 500).
int HttpStatus(ErrorCode code);
// {"error":{"code":"InvalidArgument","message":...}} with the matching status.
Response ErrorResponse(const Error& error);
Response JsonResponse(const nlohmann::json& body, int status = 200);

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
  Api(store::Store& store, auth::Accounts& accounts, auth::AuditLog& audit,
      TaxiiOptions taxii = {});
  ~Api();
  const std::vector<Route>& routes() const { return routes_; }
  // The OpenAPI 3.1 document describing routes(), served at /api/v1/openapi.json.
  const nlohmann::json& openapi() const { return openapi_; }

 private:
  store::Store& store_;
  std::unique_ptr<SecurityContext> security_;
  std::unique_ptr<TaxiiContext> taxii_;
  std::vector<Route> routes_;
  nlohmann::json openapi_;
};

}  // namespace corridor::api
