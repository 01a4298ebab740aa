// The results-tracking aggregate (corridor/store/outcome_store.h) over the typed SQL layer.
#include "corridor/store/outcome_store.h"

#include <array>

#include "store/sql/sql.h"

namespace corridor::store {
namespace {

constexpr const char* kOutcomeColumns =
    "id, consultation_id, title, description, status, progress, decision, decided_on, "
    "created_at, updated_at, version";

Outcome ReadOutcome(const sql::Row& r) {
  Outcome o;
  o.id = r.Text(0);
  o.consultation_id = r.Text(1);
  o.title = r.Text(2);
  o.description = r.Text(3);
  o.status = r.Text(4);
  o.progress = r.Int(5);
  o.decision = r.Text(6);
  o.decided_on = r.Text(7);
  o.created_at = r.Text(8);
  o.updated_at = r.Text(9);
  o.version = r.Int(10);
  return o;
}

class SqlOutcomeStore final : public OutcomeStore {
 public:
  Result<void> AddOutcome(Transaction& t, const Outcome& o) override {
    if (o.id.empty() || o.consultation_id.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a result needs an id and a consultation");
    }
    auto& q = sql::Of(t);
    auto held = q.QueryInt("SELECT COUNT(*) FROM public_results WHERE id = ?", o.id);
    if (!held) return Fail(held.error());
    if (held->value_or(0) > 0) return Fail(ErrorCode::kConflict, "result " + o.id + " exists");
    auto r = q.Exec("INSERT INTO public_results (" + std::string(kOutcomeColumns) +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    o.id, o.consultation_id, o.title, o.description, o.status, o.progress,
                    o.decision, o.decided_on, o.created_at, o.updated_at, o.version);
    if (!r) return Fail(r.error());
    return WriteLinks(t, o);
  }

  Result<std::optional<Outcome>> GetOutcome(Transaction& t, const std::string& id) override {
    auto o = sql::Of(t).QueryOne(
        "SELECT " + std::string(kOutcomeColumns) + " FROM public_results WHERE id = ?", ReadOutcome,
        id);
    if (!o) return Fail(o.error());
    if (*o) {
      if (auto ok = ReadLinks(t, **o); !ok) return Fail(ok.error());
    }
    return o;
  }

  Result<std::vector<Outcome>> ListOutcomes(Transaction& t,
                                            const std::string& consultation_id) override {
    auto all = sql::Of(t).QueryAll("SELECT " + std::string(kOutcomeColumns) +
                                       " FROM public_results WHERE consultation_id = ? "
                                       "ORDER BY created_at, id",
                                   ReadOutcome, consultation_id);
    if (!all) return Fail(all.error());
    for (auto& o : *all) {
      if (auto ok = ReadLinks(t, o); !ok) return Fail(ok.error());
    }
    return all;
  }

  Result<bool> UpdateOutcome(Transaction& t, const Outcome& expected,
                             const Outcome& next) override {
    auto& q = sql::Of(t);
    auto changed = q.Exec(
        "UPDATE public_results SET title = ?, description = ?, status = ?, progress = ?, "
        "decision = ?, decided_on = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?",
        next.title, next.description, next.status, next.progress, next.decision, next.decided_on,
        next.updated_at, expected.version + 1, expected.id, expected.version);
    if (!changed) return Fail(changed.error());
    if (*changed == 0) {
      auto held = q.QueryInt("SELECT COUNT(*) FROM public_results WHERE id = ?", expected.id);
      if (!held) return Fail(held.error());
      if (held->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no result " + expected.id);
      return false;
    }
    if (auto r = q.Exec("DELETE FROM public_result_links WHERE result_id = ?", expected.id); !r) {
      return Fail(r.error());
    }
    Outcome written = next;
    written.id = expected.id;
    if (auto ok = WriteLinks(t, written); !ok) return Fail(ok.error());
    return true;
  }

  Result<OutcomeUpdate> AddUpdate(Transaction& t, const OutcomeUpdate& u) override {
    auto& q = sql::Of(t);
    auto last =
        q.QueryInt("SELECT max(seq) FROM public_result_updates WHERE result_id = ?", u.outcome_id);
    if (!last) return Fail(last.error());
    OutcomeUpdate out = u;
    out.seq = last->value_or(0) + 1;
    auto r = q.Exec(
        "INSERT INTO public_result_updates (result_id, seq, at, status, progress, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        out.outcome_id, out.seq, out.at, out.status, out.progress, out.note);
    if (!r) return Fail(r.error());
    return out;
  }

  Result<std::vector<OutcomeUpdate>> Updates(Transaction& t,
                                             const std::string& outcome_id) override {
    return sql::Of(t).QueryAll(
        "SELECT seq, result_id, at, status, progress, note FROM public_result_updates "
        "WHERE result_id = ? ORDER BY seq",
        [](const sql::Row& r) {
          return OutcomeUpdate{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5)};
        },
        outcome_id);
  }

 private:
  // The linked proposals (kind 'proposal') and meetings (kind 'meeting'), in order.
  static Result<void> WriteLinks(Transaction& t, const Outcome& o) {
    auto& q = sql::Of(t);
    for (const auto& [kind, ids] :
         {std::pair{"proposal", &o.proposal_ids}, std::pair{"meeting", &o.meeting_ids}}) {
      for (std::size_t i = 0; i < ids->size(); ++i) {
        auto r = q.Exec(
            "INSERT INTO public_result_links (result_id, kind, position, target) "
            "VALUES (?, ?, ?, ?)",
            o.id, std::string(kind), static_cast<std::int64_t>(i), (*ids)[i]);
        if (!r) return Fail(r.error());
      }
    }
    return {};
  }

  static Result<void> ReadLinks(Transaction& t, Outcome& o) {
    o.proposal_ids.clear();
    o.meeting_ids.clear();
    return sql::Of(t).QueryArgs(
        "SELECT kind, target FROM public_result_links WHERE result_id = ? ORDER BY kind, position",
        std::array<sql::Value, 1>{sql::ToValue(o.id)}, [&](const sql::Row& r) {
          (r.Text(0) == "proposal" ? o.proposal_ids : o.meeting_ids).push_back(r.Text(1));
          return true;
        });
  }
};

}  // namespace

std::unique_ptr<OutcomeStore> NewOutcomeStore() { return std::make_unique<SqlOutcomeStore>(); }

const Module& OutcomeModule() {
  static const Module kModule = {"public.results",
                                 {{1, R"sql(
CREATE TABLE public_results (
  id              TEXT PRIMARY KEY NOT NULL,
  consultation_id TEXT NOT NULL,
  title           TEXT NOT NULL,
  description     TEXT NOT NULL,
  status          TEXT NOT NULL
                  CHECK (status IN ('not-started', 'in-progress', 'completed', 'cancelled')),
  progress        BIGINT NOT NULL CHECK (progress >= 0 AND progress <= 100),
  decision        TEXT NOT NULL,
  decided_on      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  version         BIGINT NOT NULL
);
CREATE INDEX public_results_consultation ON public_results (consultation_id, created_at);
CREATE TABLE public_result_links (
  result_id TEXT NOT NULL REFERENCES public_results (id),
  kind      TEXT NOT NULL CHECK (kind IN ('proposal', 'meeting')),
  position  BIGINT NOT NULL,
  target    TEXT NOT NULL,
  PRIMARY KEY (result_id, kind, position)
);
CREATE INDEX public_result_links_target ON public_result_links (target);
CREATE TABLE public_result_updates (
  result_id TEXT NOT NULL REFERENCES public_results (id),
  seq       BIGINT NOT NULL,
  at        TEXT NOT NULL,
  status    TEXT NOT NULL,
  progress  BIGINT NOT NULL,
  note      TEXT NOT NULL,
  PRIMARY KEY (result_id, seq)
);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
