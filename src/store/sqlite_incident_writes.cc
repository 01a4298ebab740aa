
#include <limits>
#include <optional>
#include <utility>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"
#include "store/sqlite_alerts.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_schema.h"
#include "store/sqlite_store.h"

// Incidents written: upserts, markings, district assignments.
namespace corridor::store {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the rows of this store
using sqlite::BindInt;
using sqlite::BindText;
using sqlite::ColumnText;
using sqlite::Scope;
using sqlite::StepDone;
using sqlite::WriteTransaction;

}  // namespace

// ---- incidents

Result<UpsertSummary> SqliteStore::UpsertIncidents(std::span<const model::Incident> incidents) {
  if (incidents.empty()) return UpsertSummary{};
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  // The FTS queue triggers cost as much as the row insert itself (a trigger
  // program per row). Inside this transaction nobody else writes and SQLite
  // gives a new row max(rowid) + 1, so the rows inserted here are exactly those
  // above the largest rowid now: they are indexed with one statement before
  // the commit, and updated rows are queued here as the trigger would.
  const TriggersOff triggers_off(writer_->handle());
  std::optional<ImportCache> import_cache;
  if (incidents.size() >= kLargeBatch) import_cache.emplace(*writer_);
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  auto summary = UpsertLocked(incidents, now);
  if (!summary) return summary;
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return summary;
}

Result<UpsertSummary> SqliteStore::UpsertLocked(std::span<const model::Incident> incidents,
                                                const std::string& now) {
  UpsertSummary summary;
  auto max_rowid = writer_->QueryInt("SELECT max(rowid) FROM incidents");
  if (!max_rowid) return Fail(max_rowid.error());
  const std::int64_t indexed_up_to = max_rowid->value_or(0);
  if (indexed_up_to >
      std::numeric_limits<std::int64_t>::max() - static_cast<std::int64_t>(incidents.size())) {
    // SQLite would pick random rowids past the largest one (never set by this store).
    return Fail(ErrorCode::kInternal, "incident rowids exhausted");
  }
  auto stmt = writer_->Prepare(IncidentInsertSql());
  if (!stmt) return Fail(stmt.error());
  auto update = writer_->Prepare(IncidentUpdateSql());
  if (!update) return Fail(update.error());
  auto changed = writer_->Prepare(kChangedRowSql);
  if (!changed) return Fail(changed.error());
  auto queue_old = writer_->Prepare(kQueueOldTextSql);
  if (!queue_old) return Fail(queue_old.error());
  auto queue_row = writer_->Prepare(kQueueRowSql);
  if (!queue_row) return Fail(queue_row.error());
  IncidentScratch scratch;
  LicenceRefs licences(*writer_);
  auto alerts = sqlite::AlertMatcher::Load(*writer_);
  if (!alerts) return Fail(alerts.error());
  constexpr int kNowIndex = static_cast<int>(kIncidentContent.size()) + 1;
  std::int64_t written = 0;
  for (const model::Incident& inc : incidents) {
    if (upsert_fault_after_ >= 0 && written == upsert_fault_after_) {
      return Fail(ErrorCode::kInternal,
                  "injected fault after " + std::to_string(written) + " rows");
    }
    ++written;
    auto licence_ref = licences.Get(inc.licence);
    if (!licence_ref) return Fail(licence_ref.error());
    scratch.licence_ref = *licence_ref;
    Scope scope(*stmt);
    BindIncidentContent(*stmt, inc, scratch);
    scratch.digest = model::ContentDigest(inc);
    BindText(*stmt, kNowIndex, now);
    BindText(*stmt, kNowIndex + 1, scratch.digest);
    BindMarking(*stmt, kNowIndex + 2, inc.marking, scratch.dist_users, scratch.dist_orgs);
    int rc = sqlite3_step(*stmt);
    if (rc != SQLITE_DONE) return Fail(writer_->LastError(rc, "insert incident " + scratch.id));
    if (sqlite3_changes(writer_->handle()) == 1) {
      ++summary.inserted;
      if (!alerts->empty()) alerts->Match(inc, scratch.id);
      continue;
    }
    // The id exists: update it unless the digest says nothing changed.
    std::int64_t row = 0;
    {
      Scope changed_scope(*changed);
      BindText(*changed, 1, scratch.id);
      BindText(*changed, 2, scratch.digest);
      rc = sqlite3_step(*changed);
      if (rc == SQLITE_DONE) {
        ++summary.unchanged;
        continue;
      }
      if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "read incident " + scratch.id));
      row = sqlite3_column_int64(*changed, 0);
    }
    if (row <= indexed_up_to) {  // a row inserted by this call is indexed at the end
      for (sqlite3_stmt* queue : {*queue_old, *queue_row}) {
        Scope queue_scope(queue);
        BindInt(queue, 1, row);
        if (auto r = StepDone(*writer_, queue, "queue incident text " + scratch.id); !r) {
          return Fail(r.error());
        }
      }
    }
    Scope update_scope(*update);
    BindIncidentContent(*update, inc, scratch);
    BindText(*update, kNowIndex, now);
    BindText(*update, kNowIndex + 1, scratch.digest);
    rc = sqlite3_step(*update);
    if (rc != SQLITE_DONE) return Fail(writer_->LastError(rc, "update incident " + scratch.id));
    ++summary.updated;
  }
  if (summary.inserted > 0) {
    auto index = writer_->Prepare(kIndexInsertedSql);
    if (!index) return Fail(index.error());
    Scope index_scope(*index);
    BindInt(*index, 1, indexed_up_to);
    if (auto r = StepDone(*writer_, *index, "index inserted incidents"); !r) return Fail(r.error());
  }
  if (summary.updated > 0) {
    if (auto r = writer_->Exec(sqlite::FlushFtsQueueSql()); !r) return Fail(r.error());
  }
  if (auto r = alerts->Write(*writer_, now); !r) return Fail(r.error());
  return summary;
}

Result<std::optional<model::Marking>> SqliteStore::MarkingLocked(const std::string& key) {
  auto stmt =
      writer_->Prepare(std::string("SELECT ") + kMarkingColumns + " FROM incidents WHERE id = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, key);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return std::optional<model::Marking>();
  if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "read marking of " + key));
  auto m = ReadMarking(*stmt, 0);
  if (!m) return Fail(m.error());
  return std::optional<model::Marking>(std::move(*m));
}

Result<std::vector<std::string>> SqliteStore::CancelPendingRequestsLocked(const std::string& key,
                                                                          const std::string& now) {
  std::vector<std::string> ids;
  {
    auto pending = writer_->Prepare(
        "SELECT id FROM marking_requests WHERE object = ? AND status = 'pending' ORDER BY id");
    if (!pending) return Fail(pending.error());
    Scope scope(*pending);
    BindText(*pending, 1, key);
    int rc;
    while ((rc = sqlite3_step(*pending)) == SQLITE_ROW) ids.push_back(ColumnText(*pending, 0));
    if (rc != SQLITE_DONE) return Fail(writer_->LastError(rc, "pending requests of " + key));
  }
  if (ids.empty()) return ids;
  auto cancel = writer_->Prepare(
      "UPDATE marking_requests SET status = 'cancelled', decided = ? "
      "WHERE object = ? AND status = 'pending'");
  if (!cancel) return Fail(cancel.error());
  Scope scope(*cancel);
  BindText(*cancel, 1, now);
  BindText(*cancel, 2, key);
  if (auto r = StepDone(*writer_, *cancel, "cancel requests of " + key); !r) return Fail(r.error());
  return ids;
}

Result<std::vector<std::string>> SqliteStore::WriteMarkingLocked(const std::string& key,
                                                                 const model::Marking& marking,
                                                                 const std::string& now) {
  auto stmt = writer_->Prepare(
      "UPDATE incidents SET tlp = ?1, author = ?2, author_org = ?3, dist_users = ?4, "
      "dist_orgs = ?5, dist_trust_group = ?6, modified = ?7, version = version + 1 WHERE id = ?8");
  if (!stmt) return Fail(stmt.error());
  {
    Scope scope(*stmt);
    std::string users, orgs;
    BindMarking(*stmt, 1, marking, users, orgs);
    BindText(*stmt, 7, now);
    BindText(*stmt, 8, key);
    if (auto r = StepDone(*writer_, *stmt, "set marking of " + key); !r) return Fail(r.error());
    if (sqlite3_changes(writer_->handle()) == 0) {
      return Fail(ErrorCode::kNotFound, "no incident " + key);
    }
  }
  return CancelPendingRequestsLocked(key, now);
}

Result<std::vector<std::string>> SqliteStore::SetMarking(const Uuid& id,
                                                         const model::Marking& marking,
                                                         const model::Marking& expected) {
  const std::string now = NowTimestamp();
  const std::string key = id.str();
  std::lock_guard<std::mutex> lock(write_mu_);
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  auto current = MarkingLocked(key);
  if (!current) return Fail(current.error());
  if (!*current) return Fail(ErrorCode::kNotFound, "no incident " + key);
  if (**current != expected) {
    return Fail(ErrorCode::kConflict, "the marking of " + key + " changed meanwhile (now " +
                                          std::string(model::TlpName((*current)->tlp)) +
                                          "); decide again on the current marking");
  }
  auto cancelled = WriteMarkingLocked(key, marking, now);
  if (!cancelled) return cancelled;
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return cancelled;
}

Result<std::int64_t> SqliteStore::UpdateAssignments(std::span<const Assignment> assignments) {
  if (assignments.empty()) return std::int64_t{0};
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  auto select = writer_->Prepare("SELECT " + IncidentSelectList() + " FROM incidents WHERE id = ?");
  if (!select) return Fail(select.error());
  auto update = writer_->Prepare(
      "UPDATE incidents SET admin1 = ?1, admin2 = ?2, admin_method = ?3, modified = ?4, "
      "version = version + 1, digest = ?5 WHERE id = ?6");
  if (!update) return Fail(update.error());
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  std::int64_t changed = 0;
  for (const Assignment& a : assignments) {
    const std::string key = a.id.str();
    model::Incident inc;
    {
      Scope scope(*select);
      BindText(*select, 1, key);
      const int rc = sqlite3_step(*select);
      if (rc == SQLITE_DONE) continue;  // not in the store: nothing to assign
      if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "read incident " + key));
      auto read = ReadIncident(*select);
      if (!read) return Fail(read.error());
      inc = std::move(*read);
    }
    if (inc.admin1 == a.admin1 && inc.admin2 == a.admin2 && inc.admin_method == a.method) continue;
    inc.admin1 = a.admin1;
    inc.admin2 = a.admin2;
    inc.admin_method = a.method;
    const std::string digest = model::ContentDigest(inc);
    Scope scope(*update);
    BindText(*update, 1, inc.admin1);
    BindText(*update, 2, inc.admin2);
    BindText(*update, 3, model::AssignMethodName(inc.admin_method));
    BindText(*update, 4, now);
    BindText(*update, 5, digest);
    BindText(*update, 6, key);
    if (auto r = StepDone(*writer_, *update, "assign incident " + key); !r) return Fail(r.error());
    ++changed;
  }
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return changed;
}

}  // namespace corridor::store
