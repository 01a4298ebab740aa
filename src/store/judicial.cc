#include "corridor/store/judicial.h"

#include <algorithm>

#include "corridor/common/uuid.h"
#include "store/json_columns.h"
#include "store/sql/sql.h"

namespace corridor::store {
namespace {

constexpr const char* kRequestColumns =
    "id, reference, type, requesting_org, requested_org, requesting_authority, "
    "requested_authority, legal_basis, offence, incidents, urgency, deadline, state, "
    "consultation, consultation_at, created, updated, ";

JudicialRequest ReadRequest(const sql::Row& r) {
  JudicialRequest x;
  x.id = r.Text(0);
  x.reference = r.Text(1);
  x.type = r.Text(2);
  x.requesting_org = r.Text(3);
  x.requested_org = r.Text(4);
  x.requesting_authority = r.Text(5);
  x.requested_authority = r.Text(6);
  x.legal_basis = r.Text(7);
  x.offence = r.Text(8);
  x.incidents = ReadList(r.Text(9));
  x.urgency = r.Text(10);
  x.deadline = r.Text(11);
  x.state = r.Text(12);
  x.consultation = r.Text(13);
  x.consultation_at = r.Text(14);
  x.created = r.Text(15);
  x.updated = r.Text(16);
  x.marking = ReadMarking(r, 17);
  return x;
}

SharedEvidence ReadEvidence(const sql::Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), ReadList(r.Text(4)), r.Text(5)};
}

class SqlJudicialStore final : public JudicialStore {
 public:
  Result<void> Add(Transaction& t, const JudicialRequest& x) override {
    if (x.id.empty() || x.type.empty() || x.state.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a request needs an id, a type and a state");
    }
    const auto& m = x.marking;
    return Inserted(
        sql::Of(t).Exec(InsertMarked(kRequestColumns, "judicial_requests"), x.id, x.reference,
                        x.type, x.requesting_org, x.requested_org, x.requesting_authority,
                        x.requested_authority, x.legal_basis, x.offence, ListText(x.incidents),
                        x.urgency, x.deadline, x.state, x.consultation, x.consultation_at,
                        x.created, x.updated, model::TlpName(m.tlp),
                        DistributionText(m.distribution), m.author, m.author_org),
        "request " + x.id);
  }

  Result<std::optional<JudicialRequest>> Get(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(SelectMarked(kRequestColumns, "judicial_requests") + " WHERE id = ?",
                               ReadRequest, id);
  }

  Result<std::vector<JudicialRequest>> List(Transaction& t, int limit) override {
    if (auto ok = CheckLimit(limit); !ok) return Fail(ok.error());
    return sql::Of(t).QueryAll(
        SelectMarked(kRequestColumns, "judicial_requests") + " ORDER BY created DESC, id LIMIT ?",
        ReadRequest, limit);
  }

  Result<bool> SetState(Transaction& t, const StateChange& c) override {
    auto& tx = sql::Of(t);
    auto changed =
        tx.Exec("UPDATE judicial_requests SET state = ?, updated = ? WHERE id = ? AND state = ?",
                c.to, c.at, c.request_id, c.from);
    if (!changed) return Fail(changed.error());
    if (*changed != 1) return false;
    auto h = tx.Exec(
        "INSERT INTO judicial_history (request_id, at, actor, from_state, to_state, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        c.request_id, c.at, c.actor, c.from, c.to, c.note);
    if (!h) return Fail(h.error());
    return true;
  }

  Result<std::vector<StateChange>> History(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryAll(
        "SELECT request_id, at, actor, from_state, to_state, note FROM judicial_history "
        "WHERE request_id = ? ORDER BY seq",
        [](const sql::Row& r) {
          return StateChange{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
        },
        id);
  }

  Result<std::map<std::string, std::string>> LastMoves(Transaction& t, int limit) override {
    if (auto ok = CheckLimit(limit); !ok) return Fail(ok.error());
    auto rows = sql::Of(t).QueryAll(
        "SELECT request_id, at FROM judicial_history WHERE seq IN "
        "(SELECT MAX(seq) FROM judicial_history WHERE request_id IN "
        "(SELECT id FROM judicial_requests ORDER BY created DESC, id LIMIT ?) "
        "GROUP BY request_id)",
        [](const sql::Row& r) {
          return std::pair{r.Text(0), r.Text(1)};
        },
        limit);
    if (!rows) return Fail(rows.error());
    return std::map<std::string, std::string>(rows->begin(), rows->end());
  }

  Result<void> SetConsultation(Transaction& t, const std::string& id, const std::string& note,
                               const std::string& at) override {
    auto changed = sql::Of(t).Exec(
        "UPDATE judicial_requests SET consultation = ?, consultation_at = ?, updated = ? "
        "WHERE id = ?",
        note, at, at, id);
    if (!changed) return Fail(changed.error());
    if (*changed != 1) return Fail(ErrorCode::kNotFound, "no request " + id);
    return {};
  }

  Result<void> PutAnswer(Transaction& t, const GroundAnswer& a) override {
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "judicial_requests", a.request_id, "request"); !ok) return ok;
    auto del = tx.Exec("DELETE FROM judicial_grounds WHERE request_id = ? AND ground = ?",
                       a.request_id, a.ground);
    if (!del) return Fail(del.error());
    auto r = tx.Exec(
        "INSERT INTO judicial_grounds (request_id, ground, applies, reason, at, actor) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        a.request_id, a.ground, a.applies, a.reason, a.at, a.actor);
    if (!r) return Fail(r.error());
    return {};
  }

  Result<std::vector<GroundAnswer>> Answers(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryAll(
        "SELECT request_id, ground, applies, reason, at, actor FROM judicial_grounds "
        "WHERE request_id = ? ORDER BY ground",
        [](const sql::Row& r) {
          return GroundAnswer{r.Text(0), r.Text(1), r.Bool(2), r.Text(3), r.Text(4), r.Text(5)};
        },
        id);
  }

  Result<void> PutAssurance(Transaction& t, const Assurance& a) override {
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "judicial_requests", a.request_id, "request"); !ok) return ok;
    auto del = tx.Exec("DELETE FROM judicial_assurances WHERE request_id = ? AND kind = ?",
                       a.request_id, a.kind);
    if (!del) return Fail(del.error());
    auto r = tx.Exec(
        "INSERT INTO judicial_assurances (request_id, kind, requested_at, received_at) "
        "VALUES (?, ?, ?, ?)",
        a.request_id, a.kind, a.requested_at, a.received_at);
    if (!r) return Fail(r.error());
    return {};
  }

  Result<std::vector<Assurance>> Assurances(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryAll(
        "SELECT request_id, kind, requested_at, received_at FROM judicial_assurances "
        "WHERE request_id = ? ORDER BY kind",
        [](const sql::Row& r) {
          return Assurance{r.Text(0), r.Text(1), r.Text(2), r.Text(3)};
        },
        id);
  }

  Result<void> AddEvidence(Transaction& t, const SharedEvidence& e) override {
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "judicial_requests", e.request_id, "request"); !ok) return ok;
    return Inserted(
        tx.Exec("INSERT INTO judicial_evidence (id, request_id, reference, purpose, "
                "consented_orgs, created) VALUES (?, ?, ?, ?, ?, ?)",
                e.id, e.request_id, e.reference, e.purpose, ListText(e.consented_orgs), e.created),
        "evidence " + e.id);
  }

  Result<std::optional<SharedEvidence>> GetEvidence(Transaction& t,
                                                    const std::string& id) override {
    return sql::Of(t).QueryOne(
        "SELECT id, request_id, reference, purpose, consented_orgs, created "
        "FROM judicial_evidence WHERE id = ?",
        ReadEvidence, id);
  }

  Result<void> AddConsent(Transaction& t, const std::string& evidence_id,
                          const std::string& org) override {
    auto e = GetEvidence(t, evidence_id);
    if (!e) return Fail(e.error());
    if (!*e) return Fail(ErrorCode::kNotFound, "no evidence " + evidence_id);
    auto orgs = (*e)->consented_orgs;
    if (std::find(orgs.begin(), orgs.end(), org) != orgs.end()) return {};
    orgs.push_back(org);
    auto r = sql::Of(t).Exec("UPDATE judicial_evidence SET consented_orgs = ? WHERE id = ?",
                             ListText(orgs), evidence_id);
    if (!r) return Fail(r.error());
    return {};
  }
};

}  // namespace

std::unique_ptr<JudicialStore> NewJudicialStore() { return std::make_unique<SqlJudicialStore>(); }

const Module& JudicialModule() {
  // One text for both dialects but the history's sequence column.
  static const std::string kTables = R"sql(
CREATE TABLE judicial_requests (
  id TEXT PRIMARY KEY NOT NULL, reference TEXT NOT NULL, type TEXT NOT NULL,
  requesting_org TEXT NOT NULL, requested_org TEXT NOT NULL,
  requesting_authority TEXT NOT NULL, requested_authority TEXT NOT NULL,
  legal_basis TEXT NOT NULL, offence TEXT NOT NULL, incidents TEXT NOT NULL,
  urgency TEXT NOT NULL, deadline TEXT NOT NULL, state TEXT NOT NULL,
  consultation TEXT NOT NULL, consultation_at TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL, tlp TEXT NOT NULL,
  distribution TEXT NOT NULL, author TEXT NOT NULL, author_org TEXT NOT NULL
);
CREATE TABLE judicial_grounds (
  request_id TEXT NOT NULL REFERENCES judicial_requests (id), ground TEXT NOT NULL,
  applies INTEGER NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
  PRIMARY KEY (request_id, ground)
);
CREATE TABLE judicial_assurances (
  request_id TEXT NOT NULL REFERENCES judicial_requests (id), kind TEXT NOT NULL,
  requested_at TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (request_id, kind)
);
CREATE TABLE judicial_evidence (
  id TEXT PRIMARY KEY NOT NULL, request_id TEXT NOT NULL REFERENCES judicial_requests (id),
  reference TEXT NOT NULL, purpose TEXT NOT NULL, consented_orgs TEXT NOT NULL,
  created TEXT NOT NULL
);
)sql";
  static const Module kModule = {"judicial",
                                 {{1, kTables + R"sql(
CREATE TABLE judicial_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL REFERENCES judicial_requests (id),
  at TEXT NOT NULL, actor TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL,
  note TEXT NOT NULL
);
)sql",
                                   kTables + R"sql(
CREATE TABLE judicial_history (
  seq BIGSERIAL PRIMARY KEY, request_id TEXT NOT NULL REFERENCES judicial_requests (id),
  at TEXT NOT NULL, actor TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL,
  note TEXT NOT NULL
);
)sql"}}};
  return kModule;
}

std::string_view MovingParty(std::string_view to) {
  if (to == "sent" || to == "withdrawn") return "requesting";
  if (to == "acknowledged" || to == "under_execution" || to == "executed" ||
      to == "partially_executed" || to == "refused") {
    return "requested";
  }
  return "";
}

bool IsJudicialStep(std::string_view from, std::string_view to) {
  const bool open =
      from == "draft" || from == "sent" || from == "acknowledged" || from == "under_execution";
  if (to == "withdrawn") return open;
  if (to == "executed" || to == "partially_executed" || to == "refused") {
    return from == "acknowledged" || from == "under_execution";
  }
  return (from == "draft" && to == "sent") || (from == "sent" && to == "acknowledged") ||
         (from == "acknowledged" && to == "under_execution");
}

std::string JudicialPartId(const std::string& request_id, const std::string& org) {
  std::string name = "corridor-judicial-part-1\n";
  for (const std::string* f : {&request_id, &org}) {
    name += std::to_string(f->size());
    name += ':';
    name += *f;
    name += '\n';
  }
  return Uuid::V5(CorridorNamespace(), name).str();
}

}  // namespace corridor::store
