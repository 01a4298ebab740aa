// What the CLI's service commands share (issue 18: one service call per use
// case, the same from the API and the CLI): the exit codes, the error report
// and the caller a command runs as.
#pragma once

#include <string>
#include <utility>

#include "cli/report.h"
#include "cli/security_command.h"
#include "corridor/common/result.h"
#include "corridor/service/service.h"

namespace corridor::cli {

// Opens the store and runs `fn(store, ctx, caller)` as $CORRIDOR_TOKEN's user,
// or, without a token, as the operator (who reads TLP:CLEAR only).
template <typename F>
int WithCaller(const std::string& db, bool create, const std::string& via, F&& fn) {
  auto s = OpenSecureStore(db, create);
  if (!s) {
    // A store that will not open is a failure (exit 1), whatever its code.
    (void)ReportError(s.error());
    return kExitFailed;
  }
  auto identity = CliIdentityOf(**s);
  if (!identity) return ReportError(identity.error());
  service::Context ctx{*(*s)->store, *(*s)->audit};
  const service::Caller caller =
      identity->principal
          ? service::CallerFor(*identity->principal, "cli " + via)
          : service::OperatorCaller(identity->actor, identity->viewer, "cli " + via);
  return std::forward<F>(fn)(**s, ctx, caller);
}

// As WithCaller, for use cases that need only `fn(ctx, caller)`.
template <typename F>
int AsCaller(const std::string& db, bool create, const std::string& via, F&& fn) {
  return WithCaller(db, create, via,
                    [&fn](SecureStore&, const service::Context& ctx, const service::Caller& c) {
                      return std::forward<F>(fn)(ctx, c);
                    });
}

}  // namespace corridor::cli
