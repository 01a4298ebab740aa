// The grievance aggregate (corridor/store/grievance_store.h) over the typed SQL layer.
#include "corridor/store/grievance_store.h"

#include <map>
#include <tuple>

#include "corridor/common/date.h"
#include "store/karachi_month.h"
#include "store/sql/sql.h"

namespace corridor::store {
namespace {

constexpr const char* kColumns =
    "id, receipt_digest, passphrase_hash, lang, channel, topic, district, project_id, "
    "description, contact_sealed, reprisal_fear, tier, state, officer, filed_at, "
    "tier_started_at, failed_attempts, attempts_since, version";

model::Grievance ReadGrievance(const sql::Row& r) {
  model::Grievance g;
  g.id = r.Text(0);
  g.receipt_digest = r.Text(1);
  g.passphrase_hash = r.Text(2);
  g.lang = r.Text(3);
  g.channel = r.Text(4);
  g.topic = r.Text(5);
  g.district = r.Text(6);
  g.project_id = r.Text(7);
  g.description = r.Text(8);
  g.contact_sealed = r.Text(9);
  g.reprisal_fear = r.Int(10) != 0;
  g.tier = model::ParseGrievanceTier(r.Text(11)).value_or(model::GrievanceTier::kProject);
  g.state = model::ParseGrievanceState(r.Text(12)).value_or(model::GrievanceState::kReceived);
  g.officer = r.Text(13);
  g.filed_at = r.Text(14);
  g.tier_started_at = r.Text(15);
  g.failed_attempts = r.Int(16);
  g.attempts_since = r.Text(17);
  g.version = r.Int(18);
  return g;
}

model::GrievanceEvent ReadEvent(const sql::Row& r) {
  model::GrievanceEvent e;
  e.grievance_id = r.Text(0);
  e.seq = r.Int(1);
  e.at = r.Text(2);
  e.actor = r.Text(3);
  e.action = model::ParseGrievanceAction(r.Text(4)).value_or(model::GrievanceAction::kFile);
  e.text = r.Text(5);
  e.state = model::ParseGrievanceState(r.Text(6)).value_or(model::GrievanceState::kReceived);
  e.tier = model::ParseGrievanceTier(r.Text(7)).value_or(model::GrievanceTier::kProject);
  return e;
}

Result<void> AppendEvent(sql::Tx& tx, const model::GrievanceEvent& e) {
  auto last = tx.QueryInt("SELECT max(seq) FROM public_grievance_events WHERE grievance_id = ?",
                          e.grievance_id);
  if (!last) return Fail(last.error());
  if (e.seq != last->value_or(0) + 1) {
    return Fail(ErrorCode::kConflict, "grievance " + e.grievance_id + ": event " +
                                          std::to_string(e.seq) + " is not the next");
  }
  auto r = tx.Exec(
      "INSERT INTO public_grievance_events (grievance_id, seq, at, actor, action, text, state, "
      "tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      e.grievance_id, e.seq, e.at, e.actor, std::string(model::GrievanceActionName(e.action)),
      e.text, std::string(model::GrievanceStateName(e.state)),
      std::string(model::GrievanceTierName(e.tier)));
  if (!r) return Fail(r.error());
  return {};
}

class SqlGrievanceStore final : public GrievanceStore {
 public:
  Result<void> Add(Transaction& t, const model::Grievance& g,
                   const model::GrievanceEvent& filed) override {
    if (g.id.empty() || g.receipt_digest.empty() || g.passphrase_hash.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "a grievance needs an id, a receipt digest and a passphrase hash");
    }
    if (filed.grievance_id != g.id || filed.seq != 1) {
      return Fail(ErrorCode::kInvalidArgument, "the filing event must be the case's event 1");
    }
    auto& tx = sql::Of(t);
    auto r = tx.Exec(std::string("INSERT INTO public_grievances (") + kColumns +
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                     g.id, g.receipt_digest, g.passphrase_hash, g.lang, g.channel, g.topic,
                     g.district, g.project_id, g.description, g.contact_sealed, g.reprisal_fear,
                     std::string(model::GrievanceTierName(g.tier)),
                     std::string(model::GrievanceStateName(g.state)), g.officer, g.filed_at,
                     g.tier_started_at, g.failed_attempts, g.attempts_since);
    if (!r) return Fail(r.error());
    return AppendEvent(tx, filed);
  }

  Result<std::optional<model::Grievance>> Get(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        std::string("SELECT ") + kColumns + " FROM public_grievances WHERE id = ?", ReadGrievance,
        id);
  }

  Result<std::optional<model::Grievance>> FindByReceipt(Transaction& t,
                                                        const std::string& digest) override {
    return sql::Of(t).QueryOne(
        std::string("SELECT ") + kColumns + " FROM public_grievances WHERE receipt_digest = ?",
        ReadGrievance, digest);
  }

  Result<std::vector<model::Grievance>> List(Transaction& t, const GrievanceFilter& f) override {
    if (f.limit < 1 || f.limit > 1000) {
      return Fail(ErrorCode::kInvalidArgument, "limit: expected 1 to 1000");
    }
    if (f.offset < 0) return Fail(ErrorCode::kInvalidArgument, "offset: expected 0 or more");
    if (!f.state.empty() && !model::ParseGrievanceState(f.state)) {
      return Fail(ErrorCode::kInvalidArgument, "state: unknown '" + f.state + "'");
    }
    return sql::Of(t).QueryAll(
        std::string("SELECT ") + kColumns +
            " FROM public_grievances WHERE (? = '' OR state = ?) AND (? = '' OR district = ?)"
            " AND (? = '' OR officer = ?) AND (? = 1 OR reprisal_fear = 0 OR officer = ?)"
            " ORDER BY filed_at, id LIMIT ? OFFSET ?",
        ReadGrievance, f.state, f.state, f.district, f.district, f.officer, f.officer,
        static_cast<std::int64_t>(f.all_visible ? 1 : 0), f.visible_to,
        static_cast<std::int64_t>(f.limit), static_cast<std::int64_t>(f.offset));
  }

  Result<bool> Update(Transaction& t, const model::Grievance& expected,
                      const model::Grievance& next,
                      const std::optional<model::GrievanceEvent>& event) override {
    auto& tx = sql::Of(t);
    auto n = tx.Exec(
        "UPDATE public_grievances SET lang = ?, channel = ?, topic = ?, district = ?, "
        "project_id = ?, description = ?, contact_sealed = ?, reprisal_fear = ?, tier = ?, "
        "state = ?, officer = ?, tier_started_at = ?, failed_attempts = ?, attempts_since = ?, "
        "version = version + 1 WHERE id = ? AND version = ?",
        next.lang, next.channel, next.topic, next.district, next.project_id, next.description,
        next.contact_sealed, next.reprisal_fear, std::string(model::GrievanceTierName(next.tier)),
        std::string(model::GrievanceStateName(next.state)), next.officer, next.tier_started_at,
        next.failed_attempts, next.attempts_since, expected.id, expected.version);
    if (!n) return Fail(n.error());
    if (*n == 0) {
      auto exists = tx.QueryInt("SELECT count(*) FROM public_grievances WHERE id = ?", expected.id);
      if (!exists) return Fail(exists.error());
      if (exists->value_or(0) == 0) {
        return Fail(ErrorCode::kNotFound, "no grievance " + expected.id);
      }
      return false;
    }
    if (event) {
      if (event->grievance_id != expected.id) {
        return Fail(ErrorCode::kInvalidArgument, "the event belongs to another case");
      }
      if (auto r = AppendEvent(tx, *event); !r) return Fail(r.error());
    }
    return true;
  }

  Result<std::vector<model::GrievanceEvent>> Events(Transaction& t,
                                                    const std::string& id) override {
    return sql::Of(t).QueryAll(
        "SELECT grievance_id, seq, at, actor, action, text, state, tier "
        "FROM public_grievance_events WHERE grievance_id = ? ORDER BY seq",
        ReadEvent, id);
  }

  Result<std::vector<GrievanceCount>> Counts(Transaction& t) override {
    auto rows = sql::Of(t).QueryAll(
        "SELECT district, filed_at, topic, channel, reprisal_fear FROM public_grievances",
        [](const sql::Row& r) {
          return std::make_tuple(r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4) != 0);
        });
    if (!rows) return Fail(rows.error());
    std::map<std::tuple<std::string, std::string, std::string, std::string>,
             std::pair<std::int64_t, std::int64_t>>
        counts;
    for (const auto& [district, filed_at, topic, channel, reprisal] : *rows) {
      auto& c = counts[{district, KarachiMonthOf(filed_at), topic, channel}];
      ++c.first;
      if (reprisal) ++c.second;
    }
    std::vector<GrievanceCount> out;
    out.reserve(counts.size());
    for (const auto& [key, n] : counts) {
      out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key),
                     n.first, n.second});
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<GrievanceStore> NewGrievanceStore() {
  return std::make_unique<SqlGrievanceStore>();
}

const Module& GrievanceModule() {
  static const Module kModule = {"public.grievances",
                                 {{1, R"sql(
CREATE TABLE public_grievances (
  id              TEXT PRIMARY KEY NOT NULL,
  receipt_digest  TEXT NOT NULL UNIQUE,
  passphrase_hash TEXT NOT NULL,
  lang            TEXT NOT NULL,
  channel         TEXT NOT NULL,
  topic           TEXT NOT NULL,
  district        TEXT NOT NULL,
  project_id      TEXT NOT NULL,
  description     TEXT NOT NULL,
  contact_sealed  TEXT NOT NULL,
  reprisal_fear   INTEGER NOT NULL,
  tier            TEXT NOT NULL,
  state           TEXT NOT NULL,
  officer         TEXT NOT NULL,
  filed_at        TEXT NOT NULL,
  tier_started_at TEXT NOT NULL,
  failed_attempts BIGINT NOT NULL,
  attempts_since  TEXT NOT NULL,
  version         BIGINT NOT NULL
);
CREATE INDEX public_grievances_filed ON public_grievances (filed_at, id);
CREATE TABLE public_grievance_events (
  grievance_id TEXT NOT NULL REFERENCES public_grievances (id),
  seq          BIGINT NOT NULL,
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL,
  action       TEXT NOT NULL,
  text         TEXT NOT NULL,
  state        TEXT NOT NULL,
  tier         TEXT NOT NULL,
  PRIMARY KEY (grievance_id, seq)
);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
