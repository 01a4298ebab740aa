
#include <nlohmann/json.hpp>
#include <utility>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"

// Partner sync: the change feed and a received page.
namespace corridor::store {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the rows of this store
using sqlite::BindInt;
using sqlite::BindText;
using sqlite::Scope;
using sqlite::StepDone;
using sqlite::WriteTransaction;

}  // namespace

// ---- partner sync: the change feed and a received page (the rest of the
// sync tables are in sqlite_sync.cc)

Result<std::vector<model::Incident>> SqliteStore::ListChanged(const std::string& after_modified,
                                                              const std::string& after_id,
                                                              int limit) const {
  if (limit < 1 || limit > kMaxPageLimit) {
    return Fail(ErrorCode::kInvalidArgument,
                "limit: must be between 1 and " + std::to_string(kMaxPageLimit));
  }
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare("SELECT " + IncidentSelectList() +
                               " FROM incidents WHERE (modified, id) > (?1, ?2) "
                               "ORDER BY modified, id LIMIT ?3");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, after_modified);
  BindText(*stmt, 2, after_id);
  BindInt(*stmt, 3, limit);
  std::vector<model::Incident> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list changed incidents"));
    auto inc = ReadIncident(*stmt);
    if (!inc) return Fail(inc.error());
    out.push_back(std::move(*inc));
  }
  return out;
}

Result<UpsertSummary> SqliteStore::ApplyPartnerPage(const PartnerPage& page) {
  if (page.received.size() != page.incidents.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "a partner page needs one received record per incident");
  }
  if (page.assessments_received.size() != page.assessments.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "a partner page needs one received record per assessment");
  }
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  const TriggersOff triggers_off(writer_->handle());
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  UpsertSummary summary;
  if (!page.incidents.empty()) {
    auto upserted = UpsertLocked(page.incidents, now);
    if (!upserted) return upserted;
    summary = *upserted;
  }
  // The originator's marking applies to the copy held here (a re-import
  // never changes a marking; a partner's tightening must).
  auto marking = writer_->Prepare(
      "UPDATE incidents SET tlp = ?1, author = ?2, author_org = ?3, dist_users = ?4, "
      "dist_orgs = ?5, dist_trust_group = ?6, modified = ?7, version = version + 1 "
      "WHERE id = ?8 AND NOT (tlp = ?1 AND author = ?2 AND author_org = ?3 AND dist_users = ?4 "
      "AND dist_orgs = ?5 AND dist_trust_group = ?6)");
  if (!marking) return Fail(marking.error());
  auto received = writer_->Prepare(
      "INSERT OR REPLACE INTO sync_received (object, partner, org, trust_group, remote_modified, "
      "object_json, received) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!received) return Fail(received.error());
  auto record_received = [&](const std::string& key, const ReceivedRecord& rec) {
    Scope scope(*received);
    BindText(*received, 1, key);
    BindText(*received, 2, page.partner);
    BindText(*received, 3, rec.org);
    BindText(*received, 4, rec.trust_group);
    BindText(*received, 5, rec.remote_modified);
    BindText(*received, 6, rec.object_json);
    BindText(*received, 7, rec.received.empty() ? now : rec.received);
    return StepDone(*writer_, *received, "record received " + key);
  };
  for (std::size_t i = 0; i < page.incidents.size(); ++i) {
    const model::Incident& inc = page.incidents[i];
    const std::string key = inc.id.str();
    {
      Scope scope(*marking);
      std::string users, orgs;
      BindMarking(*marking, 1, inc.marking, users, orgs);
      BindText(*marking, 7, now);
      BindText(*marking, 8, key);
      if (auto r = StepDone(*writer_, *marking, "set marking of " + key); !r)
        return Fail(r.error());
      const bool moved = sqlite3_changes(writer_->handle()) > 0;
      if (moved && summary.unchanged > 0) {
        --summary.unchanged;
        ++summary.updated;
      }
      // A marking that moved voids every request made against the old one.
      if (moved) {
        if (auto c = CancelPendingRequestsLocked(key, now); !c) return Fail(c.error());
      }
    }
    if (auto r = record_received(key, page.received[i]); !r) return Fail(r.error());
  }
  for (std::size_t i = 0; i < page.assessments.size(); ++i) {
    const model::Assessment& a = page.assessments[i];
    const std::string key = a.id.str();
    if (auto r = PutAssessmentLocked(a); !r) return Fail(r.error());
    if (auto r = record_received(key, page.assessments_received[i]); !r) return Fail(r.error());
  }
  if (!page.move_cursor) {
    if (auto r = txn.Commit(); !r) return Fail(r.error());
    return summary;
  }
  auto cursor = writer_->Prepare(
      "UPDATE sync_partners SET cursor_added = ?1, cursor_next = ?2, "
      "last_sync = CASE WHEN ?3 THEN ?4 ELSE last_sync END WHERE name = ?5");
  if (!cursor) return Fail(cursor.error());
  Scope scope(*cursor);
  BindText(*cursor, 1, page.cursor_added);
  BindText(*cursor, 2, page.cursor_next);
  BindInt(*cursor, 3, page.finished ? 1 : 0);
  BindText(*cursor, 4, now);
  BindText(*cursor, 5, page.partner);
  if (auto r = StepDone(*writer_, *cursor, "move the cursor of " + page.partner); !r) {
    return Fail(r.error());
  }
  if (sqlite3_changes(writer_->handle()) == 0) {
    return Fail(ErrorCode::kNotFound, "no partner " + page.partner);
  }
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return summary;
}

}  // namespace corridor::store
