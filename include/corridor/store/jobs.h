// Long computations as jobs (issue 12 #6): an analytic request over the
// per-request budget is queued, claimed by a worker of any server process,
// reports progress, and leaves its result for its owner. The first aggregate
// store in the redesign's shape (corridor/store/database.h): every method runs
// in the caller's transaction.
//
// Thread safety: as the Transaction's (one thread per transaction).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store {

enum class JobState { kQueued, kRunning, kDone, kFailed, kCancelled };
std::string_view JobStateName(JobState s);  // "queued", "running", "done", "failed", "cancelled"
std::optional<JobState> ParseJobState(std::string_view name);

struct Job {
  std::string id;       // UUIDv4
  std::string kind;     // the use case: "risk.knox", "risk.backtest", ...
  std::string owner;    // the username that submitted it; only they read it
  std::string params;   // the validated parameters, JSON text
  JobState state = JobState::kQueued;
  double progress = 0;  // 0..1
  std::string message;  // what it is doing, or why it failed
  std::string result;   // JSON text when done
  std::string worker;   // the worker that claimed it ("" while queued)
  std::string created, started, finished, heartbeat;  // RFC 3339 ("" = not yet)
  friend bool operator==(const Job&, const Job&) = default;
};

class JobStore {
 public:
  virtual ~JobStore() = default;
  // kConflict when a job with this id exists; kInvalidArgument for an empty id or kind.
  virtual Result<void> Add(Transaction& tx, const Job& job) = 0;
  virtual Result<std::optional<Job>> Get(Transaction& tx, const std::string& id) = 0;
  // `owner`'s jobs ("" = everybody's), newest first, at most `limit` (1..1000).
  virtual Result<std::vector<Job>> List(Transaction& tx, const std::string& owner, int limit) = 0;
  // Queued or running jobs of `owner`.
  virtual Result<std::int64_t> CountActive(Transaction& tx, const std::string& owner) = 0;
  // Moves the oldest queued job to running for `worker` and returns it; nullopt
  // when none is queued. Two workers never claim the same job (compare-and-set
  // on the state inside the write transaction).
  virtual Result<std::optional<Job>> ClaimNext(Transaction& tx, const std::string& worker,
                                               const std::string& now) = 0;
  // Records progress of a job `worker` runs. False when the job is no longer
  // running for `worker` (cancelled, or reclaimed after its worker stalled):
  // the worker should stop.
  virtual Result<bool> Progress(Transaction& tx, const std::string& id, const std::string& worker,
                                double progress, const std::string& message,
                                const std::string& now) = 0;
  // Ends a job `worker` runs: done with `result`, or failed with `message`.
  // False when it is no longer running for `worker` (nothing is written).
  virtual Result<bool> Finish(Transaction& tx, const std::string& id, const std::string& worker,
                              JobState state, const std::string& result,
                              const std::string& message, const std::string& now) = 0;
  // Cancels a queued or running job. False when it had ended already.
  virtual Result<bool> Cancel(Transaction& tx, const std::string& id, const std::string& now) = 0;
  // Puts running jobs whose heartbeat is older than `stale_before` back in the
  // queue (their worker died). Returns how many.
  virtual Result<std::int64_t> RequeueStale(Transaction& tx, const std::string& stale_before) = 0;
};

// The SQL implementation (every backend).
std::unique_ptr<JobStore> NewJobStore();
// Its tables (the "jobs" module).
const Module& JobsModule();

}  // namespace corridor::store
