// The security model's tables in the SQLite store (docs/security.md,
// docs/schema.md): organisations, users, tokens and sessions
// (sqlite_markings_audit.cc: marking requests and the audit log).
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

std::string RolesToJson(const std::vector<model::Role>& roles) {
  std::vector<std::string> names;
  names.reserve(roles.size());
  for (model::Role r : roles) names.emplace_back(model::RoleName(r));
  return model::StringsToJson(names);
}

Result<std::vector<model::Role>> RolesFromJson(const std::string& text) {
  auto names = model::StringsFromJson(text);
  if (!names) return Fail(names.error());
  std::vector<model::Role> roles;
  for (const std::string& n : *names) {
    auto role = model::ParseRole(n);
    if (!role) return Fail(ErrorCode::kInternal, "stored role '" + n + "' is unknown");
    roles.push_back(*role);
  }
  return roles;
}

constexpr const char* kUserColumns =
    "username, org, roles, password_hash, totp_sealed, totp_last_step, disabled, created";

Result<model::User> ReadUser(sqlite3_stmt* s) {
  model::User u;
  u.username = ColumnText(s, 0);
  u.org = ColumnText(s, 1);
  auto roles = RolesFromJson(ColumnText(s, 2));
  if (!roles) return Fail(roles.error());
  u.roles = std::move(*roles);
  u.password_hash = ColumnText(s, 3);
  u.totp_sealed = ColumnText(s, 4);
  u.totp_last_step = sqlite3_column_int64(s, 5);
  u.disabled = sqlite3_column_int(s, 6) != 0;
  u.created = ColumnText(s, 7);
  return u;
}

Result<model::Organisation> ReadOrganisation(sqlite3_stmt* s) {
  model::Organisation o;
  o.name = ColumnText(s, 0);
  auto groups = model::StringsFromJson(ColumnText(s, 1));
  if (!groups) return Fail(groups.error());
  o.trust_groups = std::move(*groups);
  o.own = sqlite3_column_int(s, 2) != 0;
  o.created = ColumnText(s, 3);
  return o;
}

constexpr const char* kTokenColumns = "id, username, digest, label, created, revoked";

model::ApiToken ReadToken(sqlite3_stmt* s) {
  model::ApiToken t;
  t.id = ColumnText(s, 0);
  t.username = ColumnText(s, 1);
  t.digest = ColumnText(s, 2);
  t.label = ColumnText(s, 3);
  t.created = ColumnText(s, 4);
  t.revoked = ColumnText(s, 5);
  return t;
}

}  // namespace

// ---- organisations

Result<void> SqliteStore::AddOrganisation(const model::Organisation& org) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(
      "INSERT INTO organisations (name, trust_groups, own, created) VALUES (?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string groups = model::StringsToJson(org.trust_groups);
  BindText(*stmt, 1, org.name);
  BindText(*stmt, 2, groups);
  BindInt(*stmt, 3, org.own ? 1 : 0);
  BindText(*stmt, 4, org.created);
  auto r = StepDone(*writer_, *stmt, "add organisation " + org.name);
  if (!r && r.error().code == ErrorCode::kConflict) {
    return Fail(ErrorCode::kConflict, "organisation '" + org.name + "' exists");
  }
  return r;
}

Result<std::vector<model::Organisation>> SqliteStore::ListOrganisations() const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt =
      (*conn)->Prepare("SELECT name, trust_groups, own, created FROM organisations ORDER BY name");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  std::vector<model::Organisation> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    auto org = ReadOrganisation(*stmt);
    if (!org) return Fail(org.error());
    out.push_back(std::move(*org));
  }
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list organisations"));
  return out;
}

Result<model::Organisation> SqliteStore::GetOrganisation(const std::string& name) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt =
      (*conn)->Prepare("SELECT name, trust_groups, own, created FROM organisations WHERE name = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, name);
  if (auto r = StepRow(**conn, *stmt, "no organisation '" + name + "'"); !r) return Fail(r.error());
  return ReadOrganisation(*stmt);
}

// ---- users

Result<void> SqliteStore::AddUser(const model::User& user) {
  if (auto org = GetOrganisation(user.org); !org) return Fail(org.error());
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(std::string("INSERT INTO users (") + kUserColumns +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string roles = RolesToJson(user.roles);
  BindText(*stmt, 1, user.username);
  BindText(*stmt, 2, user.org);
  BindText(*stmt, 3, roles);
  BindText(*stmt, 4, user.password_hash);
  BindText(*stmt, 5, user.totp_sealed);
  BindInt(*stmt, 6, user.totp_last_step);
  BindInt(*stmt, 7, user.disabled ? 1 : 0);
  BindText(*stmt, 8, user.created);
  auto r = StepDone(*writer_, *stmt, "add user " + user.username);
  if (!r && r.error().code == ErrorCode::kConflict) {
    return Fail(ErrorCode::kConflict, "user '" + user.username + "' exists");
  }
  return r;
}

Result<void> SqliteStore::UpdateUser(const model::User& expected, const model::User& user) {
  if (expected.username != user.username) {
    return Fail(ErrorCode::kInvalidArgument, "update user: expected and new name differ");
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  // BEGIN IMMEDIATE: the check below and the write are one step.
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return r;
  {
    auto read =
        writer_->Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?");
    if (!read) return Fail(read.error());
    Scope scope(*read);
    BindText(*read, 1, user.username);
    if (auto r = StepRow(*writer_, *read, "no user '" + user.username + "'"); !r) return r;
    auto stored = ReadUser(*read);
    if (!stored) return Fail(stored.error());
    if (stored->roles != expected.roles || stored->password_hash != expected.password_hash ||
        stored->totp_sealed != expected.totp_sealed || stored->disabled != expected.disabled) {
      return Fail(ErrorCode::kConflict,
                  "user '" + user.username +
                      "' was changed by someone else meanwhile; read it again and retry");
    }
  }
  auto stmt = writer_->Prepare(
      "UPDATE users SET roles = ?, password_hash = ?, totp_sealed = ?, disabled = ? "
      "WHERE username = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string roles = RolesToJson(user.roles);
  BindText(*stmt, 1, roles);
  BindText(*stmt, 2, user.password_hash);
  BindText(*stmt, 3, user.totp_sealed);
  BindInt(*stmt, 4, user.disabled ? 1 : 0);
  BindText(*stmt, 5, user.username);
  if (auto r = StepDone(*writer_, *stmt, "update user " + user.username); !r) return r;
  return txn.Commit();
}

Result<model::User> SqliteStore::GetUser(const std::string& username) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt =
      (*conn)->Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, username);
  if (auto r = StepRow(**conn, *stmt, "no user '" + username + "'"); !r) return Fail(r.error());
  return ReadUser(*stmt);
}

Result<std::vector<model::User>> SqliteStore::ListUsers(const KeyPage& page) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kUserColumns +
                               " FROM users WHERE username > ? ORDER BY username LIMIT ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, page.after);
  BindInt(*stmt, 2, page.limit > 0 ? page.limit : -1);  // SQLite: a negative LIMIT is none
  std::vector<model::User> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    auto user = ReadUser(*stmt);
    if (!user) return Fail(user.error());
    out.push_back(std::move(*user));
  }
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list users"));
  return out;
}

Result<bool> SqliteStore::AdvanceTotpStep(const std::string& username, std::int64_t step) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(
      "UPDATE users SET totp_last_step = ? WHERE username = ? AND totp_last_step < ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindInt(*stmt, 1, step);
  BindText(*stmt, 2, username);
  BindInt(*stmt, 3, step);
  if (auto r = StepDone(*writer_, *stmt, "advance TOTP step of " + username); !r) {
    return Fail(r.error());
  }
  return sqlite3_changes(writer_->handle()) == 1;
}

// ---- tokens

Result<void> SqliteStore::AddToken(const model::ApiToken& token) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(std::string("INSERT INTO api_tokens (") + kTokenColumns +
                               ") VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, token.id);
  BindText(*stmt, 2, token.username);
  BindText(*stmt, 3, token.digest);
  BindText(*stmt, 4, token.label);
  BindText(*stmt, 5, token.created);
  BindText(*stmt, 6, token.revoked);
  return StepDone(*writer_, *stmt, "add token " + token.id);
}

Result<model::ApiToken> SqliteStore::FindToken(const std::string& digest) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kTokenColumns +
                               " FROM api_tokens WHERE digest = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, digest);
  if (auto r = StepRow(**conn, *stmt, "no such token"); !r) return Fail(r.error());
  return ReadToken(*stmt);
}

Result<std::vector<model::ApiToken>> SqliteStore::ListTokens(const TokenQuery& q) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  if (!q.after.empty()) {
    auto known = (*conn)->Prepare("SELECT 1 FROM api_tokens WHERE id = ?");
    if (!known) return Fail(known.error());
    Scope known_scope(*known);
    BindText(*known, 1, q.after);
    const int rc = sqlite3_step(*known);
    if (rc == SQLITE_DONE) {
      return Fail(ErrorCode::kInvalidArgument, "no token with id '" + q.after + "' to start after");
    }
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list tokens"));
  }
  // A row value compares (username, created, id) as one key, so a page
  // continues exactly after its last token.
  auto stmt = (*conn)->Prepare(
      std::string("SELECT ") + kTokenColumns +
      " FROM api_tokens WHERE (?1 = '' OR username = ?1) AND (?2 = '' OR (username, created, id) > "
      "(SELECT username, created, id FROM api_tokens WHERE id = ?2)) "
      "ORDER BY username, created, id LIMIT ?3");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, q.username);
  BindText(*stmt, 2, q.after);
  BindInt(*stmt, 3, q.limit > 0 ? q.limit : -1);
  std::vector<model::ApiToken> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) out.push_back(ReadToken(*stmt));
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list tokens"));
  return out;
}

Result<void> SqliteStore::RevokeToken(const std::string& id, const std::string& when) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(
      "UPDATE api_tokens SET revoked = CASE revoked WHEN '' THEN ? ELSE revoked END WHERE id = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, when);
  BindText(*stmt, 2, id);
  if (auto r = StepDone(*writer_, *stmt, "revoke token " + id); !r) return r;
  if (sqlite3_changes(writer_->handle()) == 0)
    return Fail(ErrorCode::kNotFound, "no token '" + id + "'");
  return {};
}

// ---- sessions

Result<void> SqliteStore::PutSession(const model::Session& session) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(
      "INSERT OR REPLACE INTO sessions (digest, username, csrf_token, mfa, created, last_seen) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, session.digest);
  BindText(*stmt, 2, session.username);
  BindText(*stmt, 3, session.csrf_token);
  BindInt(*stmt, 4, session.mfa ? 1 : 0);
  BindText(*stmt, 5, session.created);
  BindText(*stmt, 6, session.last_seen);
  return StepDone(*writer_, *stmt, "save session");
}

Result<model::Session> SqliteStore::GetSession(const std::string& digest) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(
      "SELECT digest, username, csrf_token, mfa, created, last_seen FROM sessions WHERE digest = "
      "?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, digest);
  if (auto r = StepRow(**conn, *stmt, "no such session"); !r) return Fail(r.error());
  model::Session s;
  s.digest = ColumnText(*stmt, 0);
  s.username = ColumnText(*stmt, 1);
  s.csrf_token = ColumnText(*stmt, 2);
  s.mfa = sqlite3_column_int(*stmt, 3) != 0;
  s.created = ColumnText(*stmt, 4);
  s.last_seen = ColumnText(*stmt, 5);
  return s;
}

Result<void> SqliteStore::DeleteSession(const std::string& digest) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare("DELETE FROM sessions WHERE digest = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, digest);
  return StepDone(*writer_, *stmt, "delete session");
}

Result<void> SqliteStore::DeleteSessionsOf(const std::string& username) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare("DELETE FROM sessions WHERE username = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, username);
  return StepDone(*writer_, *stmt, "delete sessions of " + username);
}

}  // namespace corridor::store
