#include "corridor/service/service.h"

#include <nlohmann/json.hpp>

#include "corridor/auth/accounts.h"

namespace corridor::service {

Caller SystemCaller(std::string via) {
  Caller c;
  c.viewer = store::SystemViewer();
  c.via = std::move(via);
  return c;
}

Caller OperatorCaller(std::string actor, store::Viewer viewer, std::string via) {
  Caller c;
  c.actor = std::move(actor);
  c.viewer = std::move(viewer);
  c.via = std::move(via);
  c.local_operator = true;
  return c;
}

Caller CallerFor(const auth::Principal& principal, std::string via) {
  Caller c;
  c.actor = principal.username;
  c.principal = principal;
  c.viewer = auth::ViewerFor(principal);
  c.via = std::move(via);
  return c;
}

Result<void> Require(const Caller& caller, auth::Action action, const model::Marking* object) {
  if (caller.viewer.system) return {};
  // The operator may run any use case, but a decision on a marked object goes
  // through the policy like anybody's (and an operator holds no reading role).
  if (caller.local_operator && object == nullptr) return {};
  if (auto d = auth::Decide(caller.principal, action, object); !d) {
    return Fail(ErrorCode::kPermissionDenied, "not allowed: " + d.reason);
  }
  return {};
}

Result<void> Audit(const Context& ctx, const Caller& caller, const std::string& action,
                   std::vector<std::string> objects, const std::string& detail_json) {
  auto r = ctx.audit.Record(caller.actor, action, std::move(objects), detail_json);
  if (!r) {
    return Fail(ErrorCode::kUnavailable, "the audit log cannot be written: " + r.error().message);
  }
  return {};
}

Result<void> AuditMarkedReads(const Context& ctx, const Caller& caller,
                              const std::vector<MarkedObject>& objects) {
  std::vector<std::string> ids;
  for (const auto& o : objects) {
    if (model::Strictness(o.tlp) >= model::Strictness(model::Tlp::kAmber)) ids.push_back(o.id);
  }
  if (ids.empty()) return {};
  const nlohmann::json detail = {{"route", caller.via}};
  return Audit(ctx, caller, "read", std::move(ids), detail.dump());
}

Result<void> AuditMarkedReads(const Context& ctx, const Caller& caller,
                              const std::vector<model::Incident>& incidents) {
  std::vector<MarkedObject> objects;
  objects.reserve(incidents.size());
  for (const auto& i : incidents) objects.push_back({i.id.str(), i.marking.tlp});
  return AuditMarkedReads(ctx, caller, objects);
}

}  // namespace corridor::service
