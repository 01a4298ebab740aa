// The analytic use cases (impact index, vulnerability, hotspots, Gi*, Knox,
// forecast, backtest, site exposure), each declared once with its bounded
// parameters (issue 12 #6): the same row serves its GET route and its job
// kind ("risk.knox": POST /api/v1/jobs). Every computation runs under a
// risk::Budget; a request gets a short one and is refused past it (with the
// advice to submit a job), a job a long one with progress and cancellation.
//
// Analyses read public datasets only (risk/ loads TLP:CLEAR columns): their
// results do not depend on who asks, beyond the route's action.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "corridor/risk/budget.h"
#include "corridor/service/schema.h"
#include "corridor/service/service.h"

namespace corridor::service {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;
using PathParams = std::map<std::string, std::string>;

struct Analysis {
  std::string kind;  // "risk.knox" (a job kind too)
  std::string path;  // "/api/v1/risk/knox"
  std::string summary;
  std::string content_type;  // "application/json" or "application/geo+json"
  auth::Action action = auth::Action::kRead;
  nlohmann::json parameters;  // OpenAPI parameter objects, from the params schema
  // Parses and validates the parameters (errors name them; nothing runs).
  std::function<Result<void>(const QueryPairs&, const PathParams&)> validate;
  // Parses, validates and computes under `budget` (null: unlimited).
  // The result is the response body (JSON text).
  std::function<Result<std::string>(const Context&, const Caller&, const QueryPairs&,
                                    const PathParams&, const risk::Budget*)>
      run;
};

// Every analysis, in documentation order.
const std::vector<Analysis>& Analyses();
const Analysis* FindAnalysis(std::string_view kind);

// How much computing one server process gives its users (issue 12 #6).
struct ComputeLimits {
  std::chrono::milliseconds request_budget{10'000};   // one synchronous request
  std::chrono::milliseconds job_budget{30 * 60'000};  // one job
  // One briefing (five analyses and the document; 3 s in a release build).
  std::chrono::milliseconds briefing_budget{120'000};
  int per_user = 2;  // analyses one user may run at once (requests and jobs)
  int total = 4;     // in this process
};

// Admits computations: at most ComputeLimits::per_user per user and `total`
// in all at once; the others are refused (kRateLimited), never queued behind
// a long one. Thread-safe.
class ComputeGate {
 public:
  explicit ComputeGate(ComputeLimits limits = {}) : limits_(limits) {}
  const ComputeLimits& limits() const { return limits_; }

  // Runs `fn` if `user` has a free slot; kRateLimited naming the limit otherwise.
  Result<std::string> Run(const std::string& user, const std::function<Result<std::string>()>& fn);

 private:
  const ComputeLimits limits_;
  std::mutex mu_;
  std::map<std::string, int> running_;
  int total_ = 0;
};

// A synchronous analysis request: admitted by `gate`, computed under the
// request budget. Past the budget: kUnavailable saying how to submit it as a
// job.
Result<std::string> RunAnalysis(const Context& ctx, ComputeGate& gate, const Caller& caller,
                                const Analysis& analysis, const QueryPairs& query,
                                const PathParams& path);

}  // namespace corridor::service
