#include "corridor/risk/budget.h"

namespace corridor::risk {

Budget::Budget(std::chrono::milliseconds limit) : deadline_(Clock::now() + limit), limit_(limit) {}

void Budget::OnProgress(std::function<bool(double)> fn) { progress_ = std::move(fn); }

Result<void> Budget::Check() const {
  if (cancelled_) return Fail(ErrorCode::kUnavailable, "the computation was cancelled");
  if (!expired_ && deadline_ != Clock::time_point::max() && Clock::now() > deadline_) {
    expired_ = true;
  }
  if (expired_) {
    return Fail(ErrorCode::kUnavailable,
                "the computation took longer than its budget of " +
                    (limit_.count() >= 1000 ? std::to_string(limit_.count() / 1000) + " s"
                                             : std::to_string(limit_.count()) + " ms"));
  }
  return {};
}

Result<void> Budget::Progress(double fraction) const {
  if (progress_) {
    std::lock_guard<std::mutex> lock(progress_mu_);
    const auto now = Clock::now();
    if (now - last_report_ >= std::chrono::milliseconds(500) || fraction >= 1.0) {
      last_report_ = now;
      if (!progress_(fraction < 0 ? 0 : fraction > 1 ? 1 : fraction)) cancelled_ = true;
    }
  }
  return Check();
}

}  // namespace corridor::risk
