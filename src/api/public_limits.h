// The residents' routes' per-client limits (public_side/client_limits.h),
// shared by the grievance and consultation routes so that one allowance of
// each kind covers them all. Private to src/api.
#pragma once

#include <memory>
#include <string>

#include "corridor/api/http.h"
#include "corridor/api/route.h"
#include "corridor/public_side/client_limits.h"

namespace corridor::api {

// Whether the body is the portal's form (application/x-www-form-urlencoded).
bool IsForm(const Request& request);
// The portal language `lang` names, else Urdu.
std::string LangOr(const std::string& lang);

class ResidentLimits {
 public:
  explicit ResidentLimits(public_side::ClientLimits allowance);
  const public_side::ClientLimits& allowance() const { return allowance_; }
  // `r` with each request counted against its client's hourly allowance of
  // `kind` before anything else is read; past it, 429 with Retry-After (a
  // portal page in `lang`, or the form's language, for a form post). Every
  // try counts, valid or not.
  Route Limit(const char* kind, int per_hour, const std::string& lang, Route r) const;

 private:
  public_side::ClientLimits allowance_;
  std::shared_ptr<public_side::ClientLimiter> limiter_;
};

}  // namespace corridor::api
