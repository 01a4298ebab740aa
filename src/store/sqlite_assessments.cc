// Assessments and the record of imported STIX objects (issue 6, migration 6).
#include <nlohmann/json.hpp>

#include "corridor/model/json.h"
#include "store/sqlite_query.h"
#include "store/sqlite_store.h"

namespace corridor::store {
namespace {

using sqlite::BindInt;
using sqlite::BindText;
using sqlite::ColumnText;
using sqlite::Scope;
using sqlite::StepDone;

constexpr const char* kAssessmentColumns =
    "id, title, body, incidents, areas, sites, tlp, author, author_org, dist_users, dist_orgs, "
    "dist_trust_group, created, modified, revoked, version";

std::string UuidsToJson(const std::vector<Uuid>& ids) {
  std::vector<std::string> texts;
  for (const auto& id : ids) texts.push_back(id.str());
  return model::StringsToJson(texts);
}

Result<std::vector<Uuid>> UuidsFromJson(const std::string& text, const std::string& what) {
  auto texts = model::StringsFromJson(text);
  if (!texts) return Fail(texts.error());
  std::vector<Uuid> out;
  for (const auto& t : *texts) {
    const auto id = Uuid::Parse(t);
    if (!id) return Fail(ErrorCode::kInternal, what + ": stored id '" + t + "' is not a UUID");
    out.push_back(*id);
  }
  return out;
}

Result<model::Assessment> ReadAssessment(sqlite3_stmt* s) {
  model::Assessment a;
  const std::string id = ColumnText(s, 0);
  const auto parsed = Uuid::Parse(id);
  if (!parsed) return Fail(ErrorCode::kInternal, "assessment id '" + id + "' is not a UUID");
  a.id = *parsed;
  a.title = ColumnText(s, 1);
  a.body = ColumnText(s, 2);
  auto incidents = UuidsFromJson(ColumnText(s, 3), "assessment " + id);
  if (!incidents) return Fail(incidents.error());
  a.incidents = std::move(*incidents);
  auto areas = model::StringsFromJson(ColumnText(s, 4));
  if (!areas) return Fail(areas.error());
  a.areas = std::move(*areas);
  auto sites = UuidsFromJson(ColumnText(s, 5), "assessment " + id);
  if (!sites) return Fail(sites.error());
  a.sites = std::move(*sites);
  const int tlp = sqlite3_column_int(s, 6);
  if (tlp < 0 || tlp >= model::kTlpCount) {
    return Fail(ErrorCode::kInternal, "assessment " + id + ": bad tlp " + std::to_string(tlp));
  }
  a.marking.tlp = static_cast<model::Tlp>(tlp);
  a.marking.author = ColumnText(s, 7);
  a.marking.author_org = ColumnText(s, 8);
  auto users = model::StringsFromJson(ColumnText(s, 9));
  auto orgs = model::StringsFromJson(ColumnText(s, 10));
  if (!users) return Fail(users.error());
  if (!orgs) return Fail(orgs.error());
  a.marking.distribution.users = std::move(*users);
  a.marking.distribution.organisations = std::move(*orgs);
  a.marking.distribution.trust_group = ColumnText(s, 11);
  a.created = ColumnText(s, 12);
  a.modified = ColumnText(s, 13);
  a.revoked = sqlite3_column_int(s, 14) != 0;
  a.version = sqlite3_column_int(s, 15);
  return a;
}

}  // namespace

Result<void> SqliteStore::PutAssessment(const model::Assessment& a) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return PutAssessmentLocked(a);
}

Result<void> SqliteStore::PutAssessmentLocked(const model::Assessment& a) {
  if (a.id.is_nil()) return Fail(ErrorCode::kInvalidArgument, "assessment: id is nil");
  auto stmt =
      writer_->Prepare(std::string("INSERT OR REPLACE INTO assessments (") + kAssessmentColumns +
                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string id = a.id.str();
  const std::string incidents = UuidsToJson(a.incidents);
  const std::string areas = model::StringsToJson(a.areas);
  const std::string sites = UuidsToJson(a.sites);
  const std::string users = model::StringsToJson(a.marking.distribution.users);
  const std::string orgs = model::StringsToJson(a.marking.distribution.organisations);
  BindText(*stmt, 1, id);
  BindText(*stmt, 2, a.title);
  BindText(*stmt, 3, a.body);
  BindText(*stmt, 4, incidents);
  BindText(*stmt, 5, areas);
  BindText(*stmt, 6, sites);
  BindInt(*stmt, 7, model::Strictness(a.marking.tlp));
  BindText(*stmt, 8, a.marking.author);
  BindText(*stmt, 9, a.marking.author_org);
  BindText(*stmt, 10, users);
  BindText(*stmt, 11, orgs);
  BindText(*stmt, 12, a.marking.distribution.trust_group);
  BindText(*stmt, 13, a.created);
  BindText(*stmt, 14, a.modified);
  BindInt(*stmt, 15, a.revoked ? 1 : 0);
  BindInt(*stmt, 16, a.version);
  return StepDone(*writer_, *stmt, "put assessment " + id);
}

Result<model::Assessment> SqliteStore::GetAssessment(const Viewer& viewer, const Uuid& id) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  sqlite::SqlWhere visible;
  sqlite::AppendVisibility(visible, viewer);
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kAssessmentColumns +
                               " FROM assessments WHERE id = ?" +
                               (visible.sql.empty() ? "" : " AND " + visible.sql));
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string key = id.str();
  BindText(*stmt, 1, key);
  sqlite::BindArgs(*stmt, visible.args, 2);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no assessment " + key);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get assessment " + key));
  return ReadAssessment(*stmt);
}

Result<std::vector<model::Assessment>> SqliteStore::ListAssessments(const Viewer& viewer, int limit,
                                                                    bool include_revoked) const {
  if (limit < 1 || limit > 100000) {
    return Fail(ErrorCode::kInvalidArgument,
                "limit: must be between 1 and 100000, got " + std::to_string(limit));
  }
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  sqlite::SqlWhere where;
  sqlite::AppendVisibility(where, viewer);
  std::string sql = std::string("SELECT ") + kAssessmentColumns + " FROM assessments WHERE 1";
  if (!where.sql.empty()) sql += " AND " + where.sql;
  if (!include_revoked) sql += " AND revoked = 0";
  sql += " ORDER BY modified DESC, id LIMIT ?";
  auto stmt = (*conn)->Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const int next = sqlite::BindArgs(*stmt, where.args, 1);
  BindInt(*stmt, next, limit);
  std::vector<model::Assessment> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    auto a = ReadAssessment(*stmt);
    if (!a) return Fail(a.error());
    out.push_back(std::move(*a));
  }
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list assessments"));
  return out;
}

Result<std::vector<model::Assessment>> SqliteStore::ListChangedAssessments(
    const std::string& after_modified, const std::string& after_id, int limit) const {
  if (limit < 1) return Fail(ErrorCode::kInvalidArgument, "limit: must be positive");
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt =
      (*conn)->Prepare(std::string("SELECT ") + kAssessmentColumns +
                       " FROM assessments WHERE modified > ?1 OR (modified = ?1 AND id > ?2) "
                       "ORDER BY modified, id LIMIT ?3");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, after_modified);
  BindText(*stmt, 2, after_id);
  BindInt(*stmt, 3, limit);
  std::vector<model::Assessment> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    auto a = ReadAssessment(*stmt);
    if (!a) return Fail(a.error());
    out.push_back(std::move(*a));
  }
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list changed assessments"));
  return out;
}

Result<std::optional<StixRecord>> SqliteStore::GetStixRecord(const std::string& id) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(
      "SELECT id, type, modified, revoked, originator, key_id, source, received "
      "FROM stix_objects WHERE id = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, id);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return std::optional<StixRecord>();
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get STIX record " + id));
  StixRecord r;
  r.id = ColumnText(*stmt, 0);
  r.type = ColumnText(*stmt, 1);
  r.modified = ColumnText(*stmt, 2);
  r.revoked = sqlite3_column_int(*stmt, 3) != 0;
  r.originator = ColumnText(*stmt, 4);
  r.key_id = ColumnText(*stmt, 5);
  r.source = ColumnText(*stmt, 6);
  r.received = ColumnText(*stmt, 7);
  return std::optional<StixRecord>(std::move(r));
}

Result<void> SqliteStore::PutStixRecord(const StixRecord& r) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(
      "INSERT OR REPLACE INTO stix_objects (id, type, modified, revoked, originator, key_id, "
      "source, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, r.id);
  BindText(*stmt, 2, r.type);
  BindText(*stmt, 3, r.modified);
  BindInt(*stmt, 4, r.revoked ? 1 : 0);
  BindText(*stmt, 5, r.originator);
  BindText(*stmt, 6, r.key_id);
  BindText(*stmt, 7, r.source);
  BindText(*stmt, 8, r.received);
  return StepDone(*writer_, *stmt, "put STIX record " + r.id);
}

}  // namespace corridor::store
