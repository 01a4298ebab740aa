// The HTTP shapes the servers and the APIs share, independent of any HTTP
// library and of either side's store: `server/` turns an incoming request into
// an api::Request, calls the route's handler and writes back the
// api::Response (OSRM's split of server and services). The security API
// (corridor/api/api.h) and the public API both declare api::Routes.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/auth/policy.h"
#include "corridor/common/result.h"
#include "corridor/store/viewer.h"

namespace corridor::api {

struct Request {
  std::string method;                                      // "GET", "POST", ...
  std::string path;                                        // "/api/v1/incidents/1b4e..."
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> path_params;          // {"id": "..."}
  std::string body;
  // A multipart/form-data body's parts (a file upload form; body is then empty).
  struct Part {
    std::string name, filename, content_type, content;
  };
  std::vector<Part> parts;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string remote_addr;                     // the peer's IP address
  bool tls = false;                            // arrived over HTTPS

  // Set by the authentication step before a route's handler runs (Api wraps
  // every handler; docs/security.md): who is asking and what they may see.
  std::string actor;  // username, "" when not signed in
  auth::Principal principal;
  store::Viewer viewer;  // default: TLP:CLEAR only
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct Route {
  std::string method;  // "GET"
  std::string path;    // OpenAPI form: "/api/v1/incidents/{id}"
  std::string regex;   // for the server: "/api/v1/incidents/([0-9a-fA-F-]{36})"
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
  // The route's OpenAPI parameter objects, derived from its params type's
  // schema (api/route_table.h: Declare); null for a route declared by hand.
  nlohmann::json parameters = nullptr;
  // The JSON Schema of the request body (POST), or null.
  nlohmann::json request_body = nullptr;
};

// The HTTP status of an error code (400, 404, 409, 503, 500).
int HttpStatus(ErrorCode code);
// {"error":{"code":"InvalidArgument","message":...}} with the matching status.
Response ErrorResponse(const Error& error);
Response JsonResponse(const nlohmann::json& body, int status = 200);
// The text JsonResponse writes for `value` (compact; bad UTF-8 replaced).
std::string JsonText(const nlohmann::json& value);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or "".
std::string CookieValue(const std::string& header, std::string_view name);

// Whether a browser's Origin header, when sent, names this server (scheme-less
// host:port equal to Host; "null" and any other origin are not). No Origin
// (a script) is allowed: state-changing forms carry their own token too.
bool OriginIsHostOrAbsent(const Request& request);

}  // namespace corridor::api
