#include "corridor/service/jobs.h"

#include "corridor/auth/accounts.h"
#include "corridor/common/date.h"
#include "corridor/common/json_get.h"
#include "corridor/common/uuid.h"

namespace corridor::service {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kStaleAfter{60};

std::string SecondsAgo(std::chrono::seconds s) {
  return FormatTimestamp(std::chrono::system_clock::now() - s);
}

QueryPairs PairsOf(const std::map<std::string, std::string>& params, PathParams* path,
                   const Analysis& a) {
  QueryPairs q;
  for (const auto& [k, v] : params) {
    bool in_path = false;
    for (const auto& p : a.parameters) {
      if (StringOr(p, "name") == k && StringOr(p, "in") == "path") in_path = true;
    }
    if (in_path) {
      (*path)[k] = v;
    } else {
      q.emplace_back(k, v);
    }
  }
  return q;
}

// The job without its result when `caller` may no longer run its analysis.
store::Job Withheld(const Caller& caller, store::Job job) {
  const Analysis* a = FindAnalysis(job.kind);
  if (a == nullptr || job.result.empty()) return job;
  if (auto ok = Require(caller, a->action); !ok) {
    job.result.clear();
    job.message = "result withheld: " + ok.error().message;
  }
  return job;
}

}  // namespace

Result<SubmitJobParams> SubmitJobParamsFromJson(const json& body) {
  if (!body.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected a JSON object");
  for (const auto& [k, v] : body.items()) {
    if (k != "kind" && k != "params") {
      return Fail(ErrorCode::kInvalidArgument, "/" + k + ": unknown member (kind, params)");
    }
  }
  SubmitJobParams p;
  const auto kind = body.find("kind");
  if (kind == body.end() || !kind->is_string()) {
    return Fail(ErrorCode::kInvalidArgument,
                "/kind: required string (an analysis, e.g. risk.knox)");
  }
  p.kind = kind->get<std::string>();
  if (auto ok = CheckText("/kind", p.kind, 64); !ok) return Fail(ok.error());
  if (const auto params = body.find("params"); params != body.end()) {
    if (!params->is_object())
      return Fail(ErrorCode::kInvalidArgument, "/params: expected an object");
    if (params->size() > 32) return Fail(ErrorCode::kInvalidArgument, "/params: too many members");
    for (const auto& [k, v] : params->items()) {
      std::string text;
      if (v.is_string()) {
        text = v.get<std::string>();
      } else if (v.is_number() || v.is_boolean()) {
        text = v.dump();
      } else {
        return Fail(ErrorCode::kInvalidArgument,
                    "/params/" + k + ": expected a string, number or boolean");
      }
      p.params[k] = std::move(text);
    }
  }
  return p;
}

Result<store::Job> SubmitJob(const Context& ctx, const Caller& caller, const SubmitJobParams& p,
                             int max_active) {
  const Analysis* a = FindAnalysis(p.kind);
  if (a == nullptr) {
    std::string kinds;
    for (const auto& x : Analyses()) kinds += (kinds.empty() ? "" : ", ") + x.kind;
    return Fail(ErrorCode::kInvalidArgument, "/kind: unknown analysis (one of " + kinds + ")");
  }
  if (auto ok = Require(caller, a->action); !ok) return Fail(ok.error());
  PathParams path;
  const QueryPairs query = PairsOf(p.params, &path, *a);
  if (auto ok = a->validate(query, path); !ok) {
    return Fail(ErrorCode::kInvalidArgument, "/params/" + ok.error().message);
  }
  store::Job job;
  job.id = Uuid::V4().str();
  job.kind = a->kind;
  job.owner = caller.actor;
  job.params = json(p.params).dump();
  job.created = NowTimestamp();
  auto jobs = store::NewJobStore();
  auto added =
      store::InWriteTransaction(ctx.store.database(), [&](store::Transaction& tx) -> Result<void> {
        auto active = jobs->CountActive(tx, caller.actor);
        if (!active) return Fail(active.error());
        if (*active >= max_active) {
          return Fail(ErrorCode::kRateLimited,
                      "you have " + std::to_string(*active) +
                          " jobs queued or running; wait for one to finish");
        }
        return jobs->Add(tx, job);
      });
  if (!added) return Fail(added.error());
  json detail = {{"kind", job.kind}, {"params", p.params}};
  if (auto a2 = Audit(ctx, caller, "job-submit", {job.id}, detail.dump()); !a2)
    return Fail(a2.error());
  return job;
}

Result<store::Job> GetJob(const Context& ctx, const Caller& caller, const std::string& id) {
  auto jobs = store::NewJobStore();
  auto job = store::InReadTransaction(ctx.store.database(),
                                      [&](store::Transaction& tx) { return jobs->Get(tx, id); });
  if (!job) return Fail(job.error());
  if (!*job || (*job)->owner != caller.actor) return Fail(ErrorCode::kNotFound, "no job " + id);
  return Withheld(caller, std::move(**job));
}

Result<std::vector<store::Job>> ListJobs(const Context& ctx, const Caller& caller, int limit) {
  auto jobs = store::NewJobStore();
  auto listed = store::InReadTransaction(ctx.store.database(), [&](store::Transaction& tx) {
    return jobs->List(tx, caller.actor, limit);
  });
  if (!listed) return Fail(listed.error());
  for (auto& j : *listed) j = Withheld(caller, std::move(j));
  return listed;
}

Result<store::Job> CancelJob(const Context& ctx, const Caller& caller, const std::string& id) {
  auto job = GetJob(ctx, caller, id);
  if (!job) return Fail(job.error());
  auto jobs = store::NewJobStore();
  auto cancelled = store::InWriteTransaction(ctx.store.database(), [&](store::Transaction& tx) {
    return jobs->Cancel(tx, id, NowTimestamp());
  });
  if (!cancelled) return Fail(cancelled.error());
  if (!*cancelled) {
    return Fail(ErrorCode::kConflict,
                "job " + id + " has ended (" + std::string(store::JobStateName(job->state)) + ")");
  }
  if (auto a = Audit(ctx, caller, "job-cancel", {id}); !a) return Fail(a.error());
  return GetJob(ctx, caller, id);
}

json JobJson(const store::Job& j) {
  json out = {{"id", j.id},
              {"kind", j.kind},
              {"state", store::JobStateName(j.state)},
              {"progress", j.progress},
              {"params", json::parse(j.params, nullptr, false)},
              {"created", j.created}};
  if (!j.message.empty()) out["message"] = j.message;
  if (!j.started.empty()) out["started"] = j.started;
  if (!j.finished.empty()) out["finished"] = j.finished;
  if (j.state == store::JobState::kDone) {
    out["result"] = json::parse(j.result, nullptr, false);
  }
  return out;
}

JobRunner::JobRunner(const Context& ctx, ComputeLimits limits, std::string worker_name, int threads)
    : ctx_(ctx), limits_(limits), worker_(std::move(worker_name)), threads_(threads) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Start() {
  for (int i = 0; i < threads_; ++i) pool_.emplace_back([this] { Loop(); });
}

void JobRunner::Stop() {
  stop_ = true;
  for (auto& t : pool_) {
    if (t.joinable()) t.join();
  }
  pool_.clear();
}

void JobRunner::Loop() {
  while (!stop_) {
    auto ran = RunOne();
    if (!ran || !*ran) {
      for (int i = 0; i < 10 && !stop_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }
}

Result<bool> JobRunner::RunOne() {
  store::Database& db = ctx_.store.database();
  auto claimed = store::InWriteTransaction(
      db, [&](store::Transaction& tx) -> Result<std::optional<store::Job>> {
        if (auto r = jobs_->RequeueStale(tx, SecondsAgo(kStaleAfter)); !r) return Fail(r.error());
        return jobs_->ClaimNext(tx, worker_, NowTimestamp());
      });
  if (!claimed) return Fail(claimed.error());
  if (!*claimed) return false;
  const store::Job job = std::move(**claimed);
  const Analysis* a = FindAnalysis(job.kind);
  std::string result, message;
  store::JobState end = store::JobState::kFailed;
  // Decided again now, with the owner as the store holds them: what they
  // held when they submitted may have been taken away since.
  auto owner = auth::LoadPrincipal(ctx_.store, job.owner, /*mfa=*/false);
  if (!owner && owner.error().code != ErrorCode::kNotFound &&
      owner.error().code != ErrorCode::kInvalidArgument) {
    // The store could not say (busy, unavailable): the job stays claimed and
    // goes back to the queue when its heartbeat is stale, never refused for it.
    return Fail(owner.error());
  }
  Caller caller = owner ? CallerFor(*owner, "job " + job.id) : SystemCaller("job " + job.id);
  Result<void> allowed;
  if (!owner) {
    allowed = Fail(owner.error());
  } else if (a != nullptr) {
    allowed = Require(caller, a->action);
  }
  if (a == nullptr) {
    message = "unknown analysis " + job.kind;
  } else if (!allowed) {
    message = "not run: " + job.owner + " may no longer run " + job.kind + " (" +
              allowed.error().message + ")";
    const json detail = {{"kind", job.kind}, {"owner", job.owner}, {"reason", message}};
    // Under the owner's name, so that their entries in the log show it.
    Caller system = SystemCaller("job " + job.id);
    system.actor = job.owner;
    if (auto audited = Audit(ctx_, system, "job-refused", {job.id}, detail.dump()); !audited) {
      return Fail(audited.error());
    }
  } else {
    std::map<std::string, std::string> params;
    const json stored = json::parse(job.params, nullptr, false);
    if (stored.is_object()) {
      for (const auto& [k, v] : stored.items()) {
        if (v.is_string()) params[k] = v.get<std::string>();
      }
    }
    PathParams path;
    const QueryPairs query = PairsOf(params, &path, *a);
    risk::Budget budget(limits_.job_budget);
    budget.OnProgress([&](double fraction) {
      auto still = store::InWriteTransaction(db, [&](store::Transaction& tx) {
        return jobs_->Progress(tx, job.id, worker_, fraction,
                               std::to_string(static_cast<int>(fraction * 100)) + " %",
                               NowTimestamp());
      });
      return still.has_value() && *still && !stop_;
    });
    auto out = a->run(ctx_, caller, query, path, &budget);
    if (out) {
      result = std::move(*out);
      end = store::JobState::kDone;
    } else {
      message = out.error().message;
    }
  }
  auto finished = store::InWriteTransaction(db, [&](store::Transaction& tx) {
    return jobs_->Finish(tx, job.id, worker_, end, result, message, NowTimestamp());
  });
  if (!finished) return Fail(finished.error());
  return true;
}

}  // namespace corridor::service
