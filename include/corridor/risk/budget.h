// A computation's allowance of time, its progress and its cancellation (issue
// 12 #6): every analytic route runs under a budget, so that no parameter
// choice pins a core for minutes; a long computation runs as a job whose
// progress is reported here and which a user may cancel.
//
// Thread-safe: the loops of one computation check it from several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "corridor/common/result.h"

namespace corridor::risk {

class Budget {
 public:
  using Clock = std::chrono::steady_clock;
  // No limit, no progress callback.
  Budget() = default;
  // At most `limit` of wall time from now.
  explicit Budget(std::chrono::milliseconds limit);
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;

  // `fn(fraction)` receives progress in [0, 1], at most twice a second; when
  // it returns false the computation is cancelled.
  void OnProgress(std::function<bool(double fraction)> fn);

  // Ok while time is left and nobody cancelled. kUnavailable otherwise (the
  // message says which, and the limit). Cheap enough for an outer loop.
  Result<void> Check() const;
  // Reports progress (forwarded to the callback, rate-limited) and checks.
  Result<void> Progress(double fraction) const;
  void Cancel() const { cancelled_ = true; }

  // A null budget is unlimited: these accept one.
  static Result<void> Check(const Budget* b) { return b ? b->Check() : Result<void>{}; }
  static Result<void> Progress(const Budget* b, double f) {
    return b ? b->Progress(f) : Result<void>{};
  }

 private:
  Clock::time_point deadline_ = Clock::time_point::max();
  std::chrono::milliseconds limit_{0};
  mutable std::atomic<bool> cancelled_{false};
  mutable std::atomic<bool> expired_{false};
  std::function<bool(double)> progress_;
  mutable std::mutex progress_mu_;
  mutable Clock::time_point last_report_{};
};

}  // namespace corridor::risk
