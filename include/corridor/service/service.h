// The service layer (issue 18 §1): each use case is one call,
//   Result<Out> Do(const Context&, const Caller&, const Params&),
// that decides (auth::Decide), reads or writes, and audits in one place; the
// HTTP route (api/) and the CLI command (cli/) only translate. Params are
// typed structs with a schema (service/schema.h) and Validate().
#pragma once

#include <string>
#include <vector>

#include "corridor/auth/audit_log.h"
#include "corridor/auth/policy.h"
#include "corridor/common/result.h"
#include "corridor/model/incident.h"
#include "corridor/store/store.h"

namespace corridor::service {

// Who asks: the signed-in principal and what it may see, and where the
// request came from (recorded in audit details).
struct Caller {
  std::string actor;          // username; "" for the system
  auth::Principal principal;  // roles, organisation, second factor
  store::Viewer viewer;       // the store's visibility filter for the principal
  std::string via;            // "GET /api/v1/incidents", "cli query", ...
  // The machine's operator at the CLI without a token: may run any use case
  // (they hold the store file), reading only what `viewer` shows (TLP:CLEAR).
  bool local_operator = false;
};

// The system itself (imports, maintenance): sees everything, audits as "".
Caller SystemCaller(std::string via);
// The CLI's operator (no $CORRIDOR_TOKEN): `viewer` is the operator's (CLEAR only).
Caller OperatorCaller(std::string actor, store::Viewer viewer, std::string via);
// A principal signed in by token or session (auth::ViewerFor gives the viewer).
Caller CallerFor(const auth::Principal& principal, std::string via);

// What every use case runs against. Both must outlive the calls.
struct Context {
  store::Store& store;
  auth::AuditLog& audit;
};

// kPermissionDenied "not allowed: <reason>" unless `caller` may `action` (on
// `object`'s marking when given).
Result<void> Require(const Caller& caller, auth::Action action,
                     const model::Marking* object = nullptr);

// The audited-read rule, in one place (DESIGN.md line 3): one "read" entry
// listing the ids of the marked objects (AMBER and stricter) a response is
// about to show; nothing when there are none. The response must not be given
// when this fails (kUnavailable).
struct MarkedObject {
  std::string id;
  model::Tlp tlp;
};
Result<void> AuditMarkedReads(const Context& ctx, const Caller& caller,
                              const std::vector<MarkedObject>& objects);
Result<void> AuditMarkedReads(const Context& ctx, const Caller& caller,
                              const std::vector<model::Incident>& incidents);

// Appends one audit entry; a failure is kUnavailable "the audit log cannot be
// written: ...".
Result<void> Audit(const Context& ctx, const Caller& caller, const std::string& action,
                   std::vector<std::string> objects, const std::string& detail_json = "{}");

}  // namespace corridor::service
