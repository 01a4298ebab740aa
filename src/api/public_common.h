// Pieces every route of the public API shares (public_api.cc and the
// grievance routes): response policies and the staff bearer token. Private
// to src/api.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/api/http.h"
#include "corridor/api/route.h"
#include "corridor/common/result.h"
#include "corridor/public_side/attachments.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::api::public_http {

// Open data: cacheable for five minutes, readable cross-origin.
Response Cached(Response r);
// A portal page (strict CSP, no script), cached as open data.
Response Html(std::string body, int status = 200);
// A portal page that holds a resident's receipt or passphrase, or answers a
// form post: never cached, never sent as a Referer.
Response PrivateHtml(std::string body, int status = 200);
// A staff page: as PrivateHtml, but a Referer (and so a form's Origin) goes to
// this origin only, never elsewhere.
Response StaffHtml(std::string body, int status = 200);
// Staff and resident answers: never cached nor readable cross-origin.
Response Private(Response r);
// 401 with WWW-Authenticate: Bearer.
Response Unauthenticated(const Error& e);

// kUnauthenticated unless the request came over HTTPS or from loopback (a
// TLS-terminating proxy in front): no staff credential crosses the network in clear.
Result<void> RequireSecureTransport(const Request& request);
// The account of `Authorization: Bearer <token>`. Over HTTPS or from
// loopback only (a TLS-terminating proxy in front).
Result<public_side::PublicCaller> BearerCaller(const store::Database& db, const Request& request);
// A cleaned attachment as a download that the browser never renders as a
// page of this origin (sandboxed, nosniff, never cached).
Response AttachmentDownload(public_side::CleanFile file, const std::string& case_id,
                            std::int64_t seq);
// `r` as a staff route: its own authentication (a bearer token of a public
// account, checked before the handler runs; the handler decides the role),
// never cached. `db` must outlive the route.
Route StaffRoute(const store::Database& db, Route r);

// A JSON object body with exactly the string members `required` and
// optionally `optional` (each at most `max_bytes`, no control characters);
// errors name the JSON pointer.
Result<std::map<std::string, std::string>> StringMembers(const std::string& body,
                                                         const std::vector<std::string>& required,
                                                         const std::vector<std::string>& optional,
                                                         std::size_t max_bytes);

// The strings of the JSON array `value` (member `key` of a body, at most 100)
// appended to `out`; errors name the JSON pointer.
Result<void> StringArray(const nlohmann::json& value, const std::string& key,
                         std::vector<std::string>& out);

// `r` as an open route: anyone may call it, no action to authorise.
Route OpenRoute(Route r);
// A JSON Schema (OpenAPI) of an object body: `required` members, the
// `properties`, nothing else.
nlohmann::json ObjectSchema(std::vector<std::string> required, nlohmann::json properties);

// The client's address, for the per-client limits only (never logged or
// stored): the peer's, or, when the peer is `trusted_proxy` (the TLS proxy in
// front, `corridor public serve --trusted-proxy ADDR`), the last
// X-Forwarded-For entry if it is an address. Any other peer's header is
// ignored; so is every header when `trusted_proxy` is empty.
std::string ClientAddress(const Request& request, const std::string& trusted_proxy);

}  // namespace corridor::api::public_http
