#include "corridor/store/jobs.h"

#include <array>

#include "store/sql/sql.h"

namespace corridor::store {
namespace {

constexpr std::array<std::string_view, 5> kStateNames = {"queued", "running", "done", "failed",
                                                         "cancelled"};

constexpr const char* kColumns =
    "id, kind, owner, params, state, progress, message, result, worker, created, started, "
    "finished, heartbeat";

Job ReadJob(const sql::Row& r) {
  Job j;
  j.id = r.Text(0);
  j.kind = r.Text(1);
  j.owner = r.Text(2);
  j.params = r.Text(3);
  j.state = ParseJobState(r.Text(4)).value_or(JobState::kFailed);
  j.progress = r.Double(5);
  j.message = r.Text(6);
  j.result = r.Text(7);
  j.worker = r.Text(8);
  j.created = r.Text(9);
  j.started = r.Text(10);
  j.finished = r.Text(11);
  j.heartbeat = r.Text(12);
  return j;
}

class SqlJobStore final : public JobStore {
 public:
  Result<void> Add(Transaction& t, const Job& j) override {
    if (j.id.empty() || j.kind.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a job needs an id and a kind");
    }
    auto r = sql::Of(t).Exec(
        std::string("INSERT INTO jobs (") + kColumns +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        j.id, j.kind, j.owner, j.params, JobStateName(j.state), j.progress, j.message, j.result,
        j.worker, j.created, j.started, j.finished, j.heartbeat);
    if (!r) {
      Error e = r.error();
      if (e.code == ErrorCode::kConflict) e.message = "job " + j.id + " exists";
      return Fail(std::move(e));
    }
    return {};
  }

  Result<std::optional<Job>> Get(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?",
                               ReadJob, id);
  }

  Result<std::vector<Job>> List(Transaction& t, const std::string& owner, int limit) override {
    if (limit < 1 || limit > 1000) {
      return Fail(ErrorCode::kInvalidArgument, "limit: expected 1 to 1000");
    }
    return sql::Of(t).QueryAll(std::string("SELECT ") + kColumns +
                                   " FROM jobs WHERE (? = '' OR owner = ?) "
                                   "ORDER BY created DESC, id DESC LIMIT ?",
                               ReadJob, owner, owner, limit);
  }

  Result<std::int64_t> CountActive(Transaction& t, const std::string& owner) override {
    auto n = sql::Of(t).QueryInt(
        "SELECT count(*) FROM jobs WHERE owner = ? AND state IN ('queued', 'running')", owner);
    if (!n) return Fail(n.error());
    return n->value_or(0);
  }

  Result<std::optional<Job>> ClaimNext(Transaction& t, const std::string& worker,
                                       const std::string& now) override {
    auto& tx = sql::Of(t);
    for (int attempt = 0; attempt < 8; ++attempt) {
      auto next = tx.QueryOne(std::string("SELECT ") + kColumns +
                                  " FROM jobs WHERE state = 'queued' ORDER BY created, id LIMIT 1",
                              ReadJob);
      if (!next) return Fail(next.error());
      if (!*next) return std::optional<Job>();
      // Compare-and-set: only a job still queued is taken.
      auto changed = tx.Exec(
          "UPDATE jobs SET state = 'running', worker = ?, started = ?, heartbeat = ? "
          "WHERE id = ? AND state = 'queued'",
          worker, now, now, (*next)->id);
      if (!changed) return Fail(changed.error());
      if (*changed == 1) {
        Job j = std::move(**next);
        j.state = JobState::kRunning;
        j.worker = worker;
        j.started = now;
        j.heartbeat = now;
        return std::optional<Job>(std::move(j));
      }
    }
    return std::optional<Job>();
  }

  Result<bool> Progress(Transaction& t, const std::string& id, const std::string& worker,
                        double progress, const std::string& message,
                        const std::string& now) override {
    auto changed = sql::Of(t).Exec(
        "UPDATE jobs SET progress = ?, message = ?, heartbeat = ? "
        "WHERE id = ? AND worker = ? AND state = 'running'",
        progress, message, now, id, worker);
    if (!changed) return Fail(changed.error());
    return *changed == 1;
  }

  Result<bool> Finish(Transaction& t, const std::string& id, const std::string& worker,
                      JobState state, const std::string& result, const std::string& message,
                      const std::string& now) override {
    if (state != JobState::kDone && state != JobState::kFailed) {
      return Fail(ErrorCode::kInvalidArgument, "a job finishes done or failed");
    }
    auto changed = sql::Of(t).Exec(
        "UPDATE jobs SET state = ?, result = ?, message = ?, finished = ?, heartbeat = ?, "
        "progress = CASE WHEN ? = 'done' THEN 1.0 ELSE progress END "
        "WHERE id = ? AND worker = ? AND state = 'running'",
        JobStateName(state), result, message, now, now, JobStateName(state), id, worker);
    if (!changed) return Fail(changed.error());
    return *changed == 1;
  }

  Result<bool> Cancel(Transaction& t, const std::string& id, const std::string& now) override {
    auto changed = sql::Of(t).Exec(
        "UPDATE jobs SET state = 'cancelled', finished = ? "
        "WHERE id = ? AND state IN ('queued', 'running')",
        now, id);
    if (!changed) return Fail(changed.error());
    return *changed == 1;
  }

  Result<std::int64_t> RequeueStale(Transaction& t, const std::string& stale_before) override {
    return sql::Of(t).Exec(
        "UPDATE jobs SET state = 'queued', worker = '', started = '', progress = 0, "
        "message = 'requeued: its worker stopped' WHERE state = 'running' AND heartbeat < ?",
        stale_before);
  }
};

}  // namespace

std::string_view JobStateName(JobState s) { return kStateNames[static_cast<std::size_t>(s)]; }

std::optional<JobState> ParseJobState(std::string_view name) {
  for (std::size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == name) return static_cast<JobState>(i);
  }
  return std::nullopt;
}

std::unique_ptr<JobStore> NewJobStore() { return std::make_unique<SqlJobStore>(); }

const Module& JobsModule() {
  static const Module kModule = {"jobs",
                                 {{1, R"sql(
CREATE TABLE jobs (
  id        TEXT PRIMARY KEY NOT NULL,
  kind      TEXT NOT NULL,
  owner     TEXT NOT NULL,
  params    TEXT NOT NULL,
  state     TEXT NOT NULL,
  progress  DOUBLE PRECISION NOT NULL,
  message   TEXT NOT NULL,
  result    TEXT NOT NULL,
  worker    TEXT NOT NULL,
  created   TEXT NOT NULL,
  started   TEXT NOT NULL,
  finished  TEXT NOT NULL,
  heartbeat TEXT NOT NULL
);
CREATE INDEX jobs_queue ON jobs (state, created, id);
CREATE INDEX jobs_owner ON jobs (owner, created DESC);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
