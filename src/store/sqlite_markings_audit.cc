// The security model's marking requests (the two-person rule) and the
// hash-chained audit log in the SQLite store (docs/security.md, docs/schema.md).
#include <nlohmann/json.hpp>

#include "corridor/common/json_get.h"
#include "corridor/model/json.h"
#include "store/sqlite_store.h"

namespace corridor::store {
namespace {

using sqlite::BindInt;
using sqlite::BindText;
using sqlite::ColumnText;
using sqlite::Scope;
using sqlite::StepDone;
using sqlite::WriteTransaction;

using sqlite::StepRow;

nlohmann::json MarkingToJson(const model::Marking& m) {
  return {{"marking", model::TlpName(m.tlp)},
          {"distribution", model::ToJson(m.distribution)},
          {"author", m.author},
          {"author_org", m.author_org}};
}

Result<model::Marking> MarkingFromJson(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Fail(ErrorCode::kInternal, "stored marking is not a JSON object");
  model::Marking m;
  auto tlp = model::ParseTlp(StringOr(j, "marking"));
  if (!tlp) return Fail(ErrorCode::kInternal, "stored marking has no TLP level");
  m.tlp = *tlp;
  auto dist = model::DistributionFromJson(ObjectOr(j, "distribution"), "");
  if (!dist) return Fail(ErrorCode::kInternal, "stored distribution: " + dist.error().message);
  m.distribution = std::move(*dist);
  m.author = StringOr(j, "author");
  m.author_org = StringOr(j, "author_org");
  return m;
}

constexpr const char* kRequestColumns =
    "id, object, from_json, to_json, requester, requested, status, approver, decided";

Result<MarkingRequest> ReadRequest(sqlite3_stmt* s) {
  MarkingRequest r;
  r.id = ColumnText(s, 0);
  auto object = Uuid::Parse(ColumnText(s, 1));
  if (!object) return Fail(ErrorCode::kInternal, "stored marking request object is not a UUID");
  r.object = *object;
  auto from = MarkingFromJson(ColumnText(s, 2));
  if (!from) return Fail(from.error());
  auto to = MarkingFromJson(ColumnText(s, 3));
  if (!to) return Fail(to.error());
  r.from = std::move(*from);
  r.to = std::move(*to);
  r.requester = ColumnText(s, 4);
  r.requested = ColumnText(s, 5);
  r.status = ColumnText(s, 6);
  r.approver = ColumnText(s, 7);
  r.decided = ColumnText(s, 8);
  return r;
}

constexpr const char* kAuditColumns = "seq, time, actor, action, objects, detail, prev_hash, hash";

Result<model::AuditEntry> ReadAudit(sqlite3_stmt* s) {
  model::AuditEntry e;
  e.seq = sqlite3_column_int64(s, 0);
  e.time = ColumnText(s, 1);
  e.actor = ColumnText(s, 2);
  e.action = ColumnText(s, 3);
  auto objects = model::StringsFromJson(ColumnText(s, 4));
  if (!objects) return Fail(objects.error());
  e.objects = std::move(*objects);
  e.detail = ColumnText(s, 5);
  e.prev_hash = ColumnText(s, 6);
  e.hash = ColumnText(s, 7);
  return e;
}

}  // namespace

// ---- marking requests

Result<void> SqliteStore::AddMarkingRequest(const MarkingRequest& request) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(std::string("INSERT INTO marking_requests (") + kRequestColumns +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string object = request.object.str();
  const std::string from = MarkingToJson(request.from).dump();
  const std::string to = MarkingToJson(request.to).dump();
  BindText(*stmt, 1, request.id);
  BindText(*stmt, 2, object);
  BindText(*stmt, 3, from);
  BindText(*stmt, 4, to);
  BindText(*stmt, 5, request.requester);
  BindText(*stmt, 6, request.requested);
  BindText(*stmt, 7, request.status);
  BindText(*stmt, 8, request.approver);
  BindText(*stmt, 9, request.decided);
  return StepDone(*writer_, *stmt, "add marking request " + request.id);
}

Result<MarkingRequest> SqliteStore::GetMarkingRequest(const std::string& id) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kRequestColumns +
                               " FROM marking_requests WHERE id = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, id);
  if (auto r = StepRow(**conn, *stmt, "no marking request " + id); !r) return Fail(r.error());
  return ReadRequest(*stmt);
}

Result<std::vector<MarkingRequest>> SqliteStore::ListMarkingRequests(
    const std::string& status) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kRequestColumns +
                               " FROM marking_requests WHERE ?1 = '' OR status = ?1 "
                               "ORDER BY requested, id");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, status);
  std::vector<MarkingRequest> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    auto r = ReadRequest(*stmt);
    if (!r) return Fail(r.error());
    out.push_back(std::move(*r));
  }
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list marking requests"));
  return out;
}

Result<MarkingDecision> SqliteStore::DecideMarkingRequest(const std::string& id, bool approve,
                                                          const std::string& approver,
                                                          const std::string& when) {
  std::lock_guard<std::mutex> lock(write_mu_);
  // BEGIN IMMEDIATE: the request, the object's marking and the writes below
  // are one step, so nothing can change the marking between check and set.
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  MarkingRequest request;
  {
    auto read = writer_->Prepare(std::string("SELECT ") + kRequestColumns +
                                 " FROM marking_requests WHERE id = ?");
    if (!read) return Fail(read.error());
    Scope scope(*read);
    BindText(*read, 1, id);
    if (auto r = StepRow(*writer_, *read, "no marking request " + id); !r) return Fail(r.error());
    auto got = ReadRequest(*read);
    if (!got) return Fail(got.error());
    request = std::move(*got);
  }
  if (request.status != "pending") {
    return Fail(ErrorCode::kConflict,
                "marking request " + id + " is no longer pending (" + request.status + ")");
  }
  const std::string object = request.object.str();
  auto current = MarkingLocked(object);
  if (!current) return Fail(current.error());
  if (!*current) return Fail(ErrorCode::kNotFound, "no incident " + object);
  MarkingDecision decision;
  decision.current = **current;
  if (!approve) {
    decision.status = "rejected";
  } else if (**current != request.from) {
    decision.status = "cancelled";  // the marking moved since the request: compare-and-set fails
  } else {
    decision.status = "approved";
  }
  auto decide = writer_->Prepare(
      "UPDATE marking_requests SET status = ?, approver = ?, decided = ? "
      "WHERE id = ? AND status = 'pending'");
  if (!decide) return Fail(decide.error());
  {
    Scope scope(*decide);
    BindText(*decide, 1, decision.status);
    BindText(*decide, 2, approver);
    BindText(*decide, 3, when);
    BindText(*decide, 4, id);
    if (auto r = StepDone(*writer_, *decide, "decide marking request " + id); !r) {
      return Fail(r.error());
    }
  }
  if (decision.status == "approved") {
    auto cancelled = WriteMarkingLocked(object, request.to, when);
    if (!cancelled) return Fail(cancelled.error());
    decision.cancelled = std::move(*cancelled);
    decision.current = request.to;
  }
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return decision;
}

// ---- audit

Result<model::AuditEntry> SqliteStore::AppendAudit(
    model::AuditEntry entry, const std::function<std::string(const model::AuditEntry&)>& hash,
    std::string_view genesis_hash) {
  if (audit_fault_) return Fail(ErrorCode::kUnavailable, "append audit entry: injected fault");
  std::lock_guard<std::mutex> lock(write_mu_);
  // BEGIN IMMEDIATE takes the file's write lock, so the read of the head and
  // the append are one step even when another process appends too.
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  auto head = writer_->Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!head) return Fail(head.error());
  {
    Scope scope(*head);
    const int rc = sqlite3_step(*head);
    if (rc == SQLITE_ROW) {
      entry.seq = sqlite3_column_int64(*head, 0) + 1;
      entry.prev_hash = ColumnText(*head, 1);
    } else if (rc == SQLITE_DONE) {
      entry.seq = 1;
      entry.prev_hash = std::string(genesis_hash);
    } else {
      return Fail(writer_->LastError(rc, "read audit head"));
    }
  }
  entry.hash = hash(entry);
  auto insert = writer_->Prepare(std::string("INSERT INTO audit_log (") + kAuditColumns +
                                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  {
    Scope scope(*insert);
    const std::string objects = model::StringsToJson(entry.objects);
    BindInt(*insert, 1, entry.seq);
    BindText(*insert, 2, entry.time);
    BindText(*insert, 3, entry.actor);
    BindText(*insert, 4, entry.action);
    BindText(*insert, 5, objects);
    BindText(*insert, 6, entry.detail);
    BindText(*insert, 7, entry.prev_hash);
    BindText(*insert, 8, entry.hash);
    if (auto r = StepDone(*writer_, *insert, "append audit entry"); !r) return Fail(r.error());
  }
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return entry;
}

Result<std::vector<model::AuditEntry>> SqliteStore::ListAudit(const AuditQuery& q) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(
      std::string("SELECT ") + kAuditColumns +
      " FROM audit_log WHERE (?1 = '' OR actor = ?1) AND (?2 = '' OR action = ?2)"
      " AND (?3 = '' OR EXISTS (SELECT 1 FROM json_each(objects) WHERE value = ?3))"
      " AND (?4 = '' OR time >= ?4) AND (?5 = '' OR time < ?5)"
      " AND seq > ?7 AND (?8 <= 0 OR seq <= ?8) ORDER BY seq" +
      (q.newest_first ? " DESC" : "") + " LIMIT CASE WHEN ?6 > 0 THEN ?6 ELSE -1 END");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, q.actor);
  BindText(*stmt, 2, q.action);
  BindText(*stmt, 3, q.object);
  BindText(*stmt, 4, q.since);
  BindText(*stmt, 5, q.until);
  BindInt(*stmt, 6, q.limit);
  BindInt(*stmt, 7, q.after_seq);
  BindInt(*stmt, 8, q.through_seq);
  std::vector<model::AuditEntry> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    auto e = ReadAudit(*stmt);
    if (!e) return Fail(e.error());
    out.push_back(std::move(*e));
  }
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list audit entries"));
  return out;
}

Result<void> SqliteStore::AddCheckpoint(const model::AuditCheckpoint& c) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(
      "INSERT OR REPLACE INTO audit_checkpoints (count, head_hash, time, public_key, signature) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindInt(*stmt, 1, c.count);
  BindText(*stmt, 2, c.head_hash);
  BindText(*stmt, 3, c.time);
  BindText(*stmt, 4, c.public_key);
  BindText(*stmt, 5, c.signature);
  return StepDone(*writer_, *stmt, "add audit checkpoint");
}

Result<std::vector<model::AuditCheckpoint>> SqliteStore::ListCheckpoints() const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(
      "SELECT count, head_hash, time, public_key, signature FROM audit_checkpoints ORDER BY count");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  std::vector<model::AuditCheckpoint> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    model::AuditCheckpoint c;
    c.count = sqlite3_column_int64(*stmt, 0);
    c.head_hash = ColumnText(*stmt, 1);
    c.time = ColumnText(*stmt, 2);
    c.public_key = ColumnText(*stmt, 3);
    c.signature = ColumnText(*stmt, 4);
    out.push_back(std::move(c));
  }
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list audit checkpoints"));
  return out;
}

}  // namespace corridor::store
