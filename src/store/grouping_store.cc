// The project-grouping aggregate (corridor/store/grouping_store.h) over the typed SQL layer.
#include "corridor/store/grouping_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/sql/sql.h"

namespace corridor::store {
namespace {

using nlohmann::json;

GroupingDecision ReadDecision(const sql::Row& r) {
  GroupingDecision d;
  d.seq = r.Int(0);
  d.kind = r.Text(1);
  d.aiddata_ids = json::parse(r.Text(2)).get<std::vector<std::int64_t>>();
  d.reason = r.Text(3);
  d.decided_by = r.Text(4);
  d.decided_at = r.Text(5);
  return d;
}

class SqlProjectGroupingStore final : public ProjectGroupingStore {
 public:
  Result<std::int64_t> AddDecision(Transaction& t, const GroupingDecision& d) override {
    if (d.kind != "merge" && d.kind != "split") {
      return Fail(ErrorCode::kInvalidArgument, "kind: expected merge or split, not " + d.kind);
    }
    if (d.aiddata_ids.empty() ||
        std::adjacent_find(d.aiddata_ids.begin(), d.aiddata_ids.end(),
                           [](auto a, auto b) { return a >= b; }) != d.aiddata_ids.end()) {
      return Fail(ErrorCode::kInvalidArgument, "aiddata_ids: one or more, ascending and distinct");
    }
    if (d.reason.empty() || d.decided_by.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a decision needs a reason and an editor");
    }
    auto& q = sql::Of(t);
    auto last = q.QueryInt("SELECT max(seq) FROM public_grouping_decisions");
    if (!last) return Fail(last.error());
    const std::int64_t seq = last->value_or(0) + 1;
    if (seq > kMaxGroupingDecisions) {
      return Fail(ErrorCode::kConflict, "the store holds " + std::to_string(seq - 1) +
                                            " grouping decisions, the most it keeps");
    }
    auto r = q.Exec(
        "INSERT INTO public_grouping_decisions (seq, kind, aiddata_ids, reason, decided_by, "
        "decided_at) VALUES (?, ?, ?, ?, ?, ?)",
        seq, d.kind, json(d.aiddata_ids).dump(), d.reason, d.decided_by, d.decided_at);
    if (!r) return Fail(r.error());
    return seq;
  }

  Result<std::vector<GroupingDecision>> Decisions(Transaction& t) override {
    return sql::Of(t).QueryAll(
        "SELECT seq, kind, aiddata_ids, reason, decided_by, decided_at "
        "FROM public_grouping_decisions ORDER BY seq",
        ReadDecision);
  }

  Result<void> PutSource(Transaction& t, const GroupingSource& s) override {
    if (s.name != "aiddata" && s.name != "districts") {
      return Fail(ErrorCode::kInvalidArgument, "source: expected aiddata or districts");
    }
    auto& q = sql::Of(t);
    if (auto r = q.Exec("DELETE FROM public_grouping_sources WHERE name = ?", s.name); !r) {
      return Fail(r.error());
    }
    auto r = q.Exec(
        "INSERT INTO public_grouping_sources (name, body, sha256, stored_at) VALUES (?, ?, ?, ?)",
        s.name, s.body, s.sha256, s.stored_at);
    if (!r) return Fail(r.error());
    return {};
  }

  Result<std::optional<GroupingSource>> Source(Transaction& t, const std::string& name) override {
    return sql::Of(t).QueryOne(
        "SELECT name, body, sha256, stored_at FROM public_grouping_sources WHERE name = ?",
        [](const sql::Row& r) {
          return GroupingSource{r.Text(0), r.Text(1), r.Text(2), r.Text(3)};
        },
        name);
  }
};

}  // namespace

std::unique_ptr<ProjectGroupingStore> NewProjectGroupingStore() {
  return std::make_unique<SqlProjectGroupingStore>();
}

const Module& GroupingModule() {
  static const Module kModule = {"public.grouping",
                                 {{1, R"sql(
CREATE TABLE public_grouping_decisions (
  seq         BIGINT PRIMARY KEY NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
  aiddata_ids TEXT NOT NULL,
  reason      TEXT NOT NULL,
  decided_by  TEXT NOT NULL,
  decided_at  TEXT NOT NULL
);
CREATE TABLE public_grouping_sources (
  name      TEXT PRIMARY KEY NOT NULL CHECK (name IN ('aiddata', 'districts')),
  body      TEXT NOT NULL,
  sha256    TEXT NOT NULL,
  stored_at TEXT NOT NULL
);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
