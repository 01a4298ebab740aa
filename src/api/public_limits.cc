#include "api/public_limits.h"

#include "api/form.h"
#include "api/public_common.h"
#include "api/public_portal_grievances.h"
#include "corridor/common/strings.h"

namespace corridor::api {

bool IsForm(const Request& request) {
  auto it = request.headers.find("content-type");
  return it != request.headers.end() &&
         ToLower(it->second).rfind("application/x-www-form-urlencoded", 0) == 0;
}

std::string LangOr(const std::string& lang) {
  return lang == "ur" || lang == "en" || lang == "zh" ? lang : "ur";
}

ResidentLimits::ResidentLimits(public_side::ClientLimits allowance)
    : allowance_(std::move(allowance)), limiter_(std::make_shared<public_side::ClientLimiter>()) {}

Route ResidentLimits::Limit(const char* kind, int per_hour, const std::string& lang,
                            Route r) const {
  r.handler = [limiter = limiter_, proxy = allowance_.trusted_proxy, kind, per_hour, lang,
               inner = std::move(r.handler)](const Request& request) {
    const auto v = limiter->Take(kind, public_http::ClientAddress(request, proxy), per_hour);
    if (v.allowed) return inner(request);
    Response res;
    if (!lang.empty() || IsForm(request)) {
      std::string l = lang;
      if (l.empty()) {
        auto form = ParseForm(request.body, 16);
        l = LangOr(form ? Field(*form, "lang").value_or("") : "");
      }
      res = public_http::PrivateHtml(portal::TooManyTries(l, v.retry_after_s), 429);
    } else {
      res = public_http::Private(ErrorResponse(
          {ErrorCode::kRateLimited, std::string("too many ") + kind +
                                        " requests from this client in the last hour; try again "
                                        "in " +
                                        std::to_string(v.retry_after_s) + " s"}));
    }
    res.headers.emplace_back("Retry-After", std::to_string(v.retry_after_s));
    return res;
  };
  return r;
}

}  // namespace corridor::api
