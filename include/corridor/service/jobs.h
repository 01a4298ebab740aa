// Long analyses as jobs (issue 12 #6): POST /api/v1/jobs {"kind", "params"}
// queues an analysis (service/analyses.h) with the same parameters as its GET
// route; a worker of any server process runs it under the job budget with
// progress; only its owner reads or cancels it.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "corridor/service/analyses.h"
#include "corridor/service/service.h"
#include "corridor/store/jobs.h"

namespace corridor::service {

struct SubmitJobParams {
  std::string kind;                           // an Analysis kind
  std::map<std::string, std::string> params;  // the GET route's parameters, as text
};

// Reads {"kind": "...", "params": {name: string|number|boolean}} (a JSON
// pointer names each error).
Result<SubmitJobParams> SubmitJobParamsFromJson(const nlohmann::json& body);

// Queues the job after checking the kind, the parameters (as the GET route
// would) and the caller's right to run it; kRateLimited when the caller has
// `max_active` jobs queued or running. Audited ("job-submit").
Result<store::Job> SubmitJob(const Context& ctx, const Caller& caller, const SubmitJobParams& p,
                             int max_active = 4);
// The caller's job; kNotFound for another user's (exactly as a missing one).
// A result is shown only while the caller may still run its analysis: when
// they may not, the job is given without its result, and the message says why.
Result<store::Job> GetJob(const Context& ctx, const Caller& caller, const std::string& id);
// The caller's jobs, newest first (results withheld as GetJob does).
Result<std::vector<store::Job>> ListJobs(const Context& ctx, const Caller& caller, int limit);
// Cancels the caller's queued or running job (a running one stops at its
// next budget check). kConflict when it has ended.
Result<store::Job> CancelJob(const Context& ctx, const Caller& caller, const std::string& id);

// The job as the API shows it (result parsed back into JSON when done).
nlohmann::json JobJson(const store::Job& job);

// Runs queued jobs on `threads` worker threads until Stop(): claims one (a
// compare-and-set in the store, so several servers share one queue), runs its
// analysis under the job budget reporting progress every half second, and
// records the result. A job runs as its owner as the store holds them when
// it is claimed (auth::LoadPrincipal; never with a second factor, so never
// reading TLP:RED): an owner since disabled, or no longer allowed the
// analysis, gets a failed job saying why ("job-refused" in the audit log),
// and nothing is computed. Jobs whose worker died (no heartbeat for a minute) go
// back to the queue.
class JobRunner {
 public:
  JobRunner(const Context& ctx, ComputeLimits limits, std::string worker_name, int threads = 1);
  ~JobRunner();  // stops and joins
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;
  void Start();
  void Stop();
  // Runs one queued job on the calling thread, if there is one (tests).
  // Returns whether one ran.
  Result<bool> RunOne();

 private:
  void Loop();
  const Context& ctx_;
  const ComputeLimits limits_;
  const std::string worker_;
  const int threads_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> pool_;
  std::unique_ptr<store::JobStore> jobs_ = store::NewJobStore();
};

}  // namespace corridor::service
