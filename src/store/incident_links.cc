#include "corridor/store/incident_links.h"

#include <algorithm>

#include "corridor/common/uuid.h"
#include "store/json_columns.h"
#include "store/sql/sql.h"

namespace corridor::store {
namespace {

constexpr const char* kColumns =
    "id, a, b, score, reasons, distance_km, gap_days, state, kept, decided_by, decided_at, note, "
    "created, updated";

IncidentLink ReadLink(const sql::Row& r) {
  IncidentLink l;
  l.id = r.Text(0);
  l.a = r.Text(1);
  l.b = r.Text(2);
  l.score = r.Double(3);
  l.reasons = ReadList(r.Text(4));
  l.distance_km = r.Double(5);
  l.gap_days = static_cast<int>(r.Int(6));
  l.state = r.Text(7);
  l.kept = r.Text(8);
  l.decided_by = r.Text(9);
  l.decided_at = r.Text(10);
  l.note = r.Text(11);
  l.created = r.Text(12);
  l.updated = r.Text(13);
  return l;
}

// The record a confirmed event is counted in: its own id, or the record it
// was already counted in.
Result<std::string> CountedIn(sql::Tx& tx, const std::string& id) {
  auto r = tx.QueryOne(
      "SELECT counted_in FROM incidents WHERE id = ?",
      [](const sql::Row& row) { return row.Text(0); }, id);
  if (!r) return Fail(r.error());
  return r->has_value() && !(*r)->empty() ? **r : id;
}

// Counts the group of `other` in the group of `kept` (both may already hold
// records confirmed earlier): each event is counted once, in one record.
Result<void> MarkCounted(sql::Tx& tx, const std::string& kept, const std::string& other) {
  // The security side's incidents live in SQLite only so far (issue 16).
  if (tx.dialect() != sql::Dialect::kSqlite) return {};
  auto has_incidents =
      tx.QueryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'incidents'");
  if (!has_incidents) return Fail(has_incidents.error());
  if (has_incidents->value_or(0) == 0) return {};
  auto root = CountedIn(tx, kept);
  if (!root) return Fail(root.error());
  auto merged = CountedIn(tx, other);
  if (!merged) return Fail(merged.error());
  if (*root == *merged) return {};
  auto moved = tx.Exec("UPDATE incidents SET counted_in = ? WHERE id = ? OR counted_in = ?", *root,
                       *merged, *merged);
  if (!moved) return Fail(moved.error());
  return {};
}

class SqlIncidentLinkStore final : public IncidentLinkStore {
 public:
  Result<int> PutCandidates(Transaction& t, std::span<const IncidentLink> links,
                            const std::string& at) override {
    auto& tx = sql::Of(t);
    int added = 0;
    for (const auto& l : links) {
      if (l.a.empty() || l.a >= l.b || l.id != LinkId(l.a, l.b)) {
        return Fail(ErrorCode::kInvalidArgument, "link " + l.id +
                                                     ": ends out of order or id not "
                                                     "the pair's");
      }
      auto inserted =
          tx.Exec(std::string("INSERT INTO incident_links (") + kColumns +
                      ") VALUES (?, ?, ?, ?, ?, ?, ?, 'candidate', '', '', '', '', ?, ?) "
                      "ON CONFLICT (id) DO NOTHING",
                  l.id, l.a, l.b, l.score, ListText(l.reasons), l.distance_km, l.gap_days, at, at);
      if (!inserted) return Fail(inserted.error());
      if (*inserted == 1) {
        ++added;
        continue;
      }
      auto updated = tx.Exec(
          "UPDATE incident_links SET score = ?, reasons = ?, distance_km = ?, gap_days = ?, "
          "updated = ? WHERE id = ? AND state = 'candidate' AND (score <> ? OR reasons <> ? OR "
          "distance_km <> ? OR gap_days <> ?)",
          l.score, ListText(l.reasons), l.distance_km, l.gap_days, at, l.id, l.score,
          ListText(l.reasons), l.distance_km, l.gap_days);
      if (!updated) return Fail(updated.error());
    }
    return added;
  }

  Result<std::optional<IncidentLink>> Get(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        std::string("SELECT ") + kColumns + " FROM incident_links WHERE id = ?", ReadLink, id);
  }

  Result<std::vector<IncidentLink>> List(Transaction& t, const std::string& state, int limit,
                                         int offset) override {
    if (auto ok = CheckLimit(limit); !ok) return Fail(ok.error());
    if (offset < 0) return Fail(ErrorCode::kInvalidArgument, "offset below 0");
    if (!state.empty() &&
        std::find(kLinkStates.begin(), kLinkStates.end(), state) == kLinkStates.end()) {
      return Fail(ErrorCode::kInvalidArgument, "no link state " + state);
    }
    return sql::Of(t).QueryAll(std::string("SELECT ") + kColumns +
                                   " FROM incident_links WHERE (? = '' OR state = ?) "
                                   "ORDER BY score DESC, id LIMIT ? OFFSET ?",
                               ReadLink, state, state, limit, offset);
  }

  Result<std::vector<IncidentLink>> Of(Transaction& t, const std::string& incident) override {
    return sql::Of(t).QueryAll(std::string("SELECT ") + kColumns +
                                   " FROM incident_links WHERE a = ? OR b = ? "
                                   "ORDER BY score DESC, id",
                               ReadLink, incident, incident);
  }

  Result<std::map<std::string, std::int64_t>> Counts(Transaction& t) override {
    auto rows = sql::Of(t).QueryAll("SELECT state, count(*) FROM incident_links GROUP BY state",
                                    [](const sql::Row& r) {
                                      return std::pair{r.Text(0), r.Int(1)};
                                    });
    if (!rows) return Fail(rows.error());
    return std::map<std::string, std::int64_t>(rows->begin(), rows->end());
  }

  Result<bool> Decide(Transaction& t, const LinkDecision& d) override {
    if (d.to != "confirmed" && d.to != "rejected") {
      return Fail(ErrorCode::kInvalidArgument, "a link is confirmed or rejected, not " + d.to);
    }
    auto& tx = sql::Of(t);
    auto link = Get(t, d.id);
    if (!link) return Fail(link.error());
    if (!*link) return Fail(ErrorCode::kNotFound, "no link " + d.id);
    const auto& l = **link;
    if (d.to == "confirmed" && d.kept != l.a && d.kept != l.b) {
      return Fail(ErrorCode::kInvalidArgument, "the kept record must be one end of link " + d.id);
    }
    const std::string kept = d.to == "confirmed" ? d.kept : "";
    auto changed = tx.Exec(
        "UPDATE incident_links SET state = ?, kept = ?, decided_by = ?, decided_at = ?, note = ?, "
        "updated = ? WHERE id = ? AND state = 'candidate'",
        d.to, kept, d.by, d.at, d.note, d.at, d.id);
    if (!changed) return Fail(changed.error());
    if (*changed != 1) return false;
    if (d.to == "confirmed") {
      if (auto m = MarkCounted(tx, kept, kept == l.a ? l.b : l.a); !m) return Fail(m.error());
    }
    return true;
  }
};

}  // namespace

std::string LinkId(const std::string& x, const std::string& y) {
  const auto& [a, b] = std::minmax(x, y);
  return Uuid::V5(CorridorNamespace(), "incident-link:" + a + "|" + b).str();
}

std::unique_ptr<IncidentLinkStore> NewIncidentLinkStore() {
  return std::make_unique<SqlIncidentLinkStore>();
}

const Module& IncidentLinksModule() {
  static const Module kModule = {"incident_links",
                                 {{1, R"sql(
CREATE TABLE incident_links (
  id TEXT PRIMARY KEY NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,
  reasons TEXT NOT NULL, distance_km DOUBLE PRECISION NOT NULL, gap_days INTEGER NOT NULL,
  state TEXT NOT NULL, kept TEXT NOT NULL, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL,
  note TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL
);
CREATE INDEX incident_links_a ON incident_links (a);
CREATE INDEX incident_links_b ON incident_links (b);
CREATE INDEX incident_links_state ON incident_links (state, score DESC, id);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
