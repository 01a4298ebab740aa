// A thin RAII layer over the sqlite3 C API for the SQLite store: one
// connection with a cache of prepared statements, statement scopes that reset
// on exit, and SQLite result codes mapped to corridor::Error.
//
// Thread safety: a Connection is used by one thread at a time (the store's
// write mutex or read pool guarantees it).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "corridor/common/result.h"

namespace corridor::store::sqlite {

// Maps an SQLite result code to an Error: BUSY/LOCKED/CANTOPEN/IOERR/FULL/
// READONLY → kUnavailable, NOTADB/CORRUPT → kInvalidArgument, CONSTRAINT →
// kConflict, anything else → kInternal. `context` prefixes the message.
Error MakeError(sqlite3* db, int rc, std::string_view context);

class Connection {
 public:
  // Opens `path` with `flags` (SQLITE_OPEN_*) and sets busy_timeout. (The
  // security store registers its SQL functions itself: RegisterStoreFunctions.)
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  // Runs one or more statements without results.
  Result<void> Exec(const std::string& sql);
  // Returns the cached prepared statement for `sql`, preparing it once. The
  // statement stays owned by the connection; wrap it in a Scope while used.
  Result<sqlite3_stmt*> Prepare(const std::string& sql);
  // Runs a query returning one integer (first column of the first row);
  // nullopt when it returns no row or NULL.
  Result<std::optional<std::int64_t>> QueryInt(const std::string& sql);
  // Finalizes every cached statement (before a backup into this connection).
  void ClearCache();

  Error LastError(int rc, std::string_view context) const { return MakeError(db_, rc, context); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Resets a statement and clears its bindings when it goes out of scope.
class Scope {
 public:
  explicit Scope(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Scope() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

// Binding helpers. Text is bound SQLITE_STATIC: the caller keeps `text` alive
// until the statement has been stepped and reset.
inline void BindText(sqlite3_stmt* s, int i, std::string_view text) {
  sqlite3_bind_text(s, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}
inline void BindInt(sqlite3_stmt* s, int i, std::int64_t v) { sqlite3_bind_int64(s, i, v); }
inline void BindDouble(sqlite3_stmt* s, int i, double v) { sqlite3_bind_double(s, i, v); }
inline void BindOptInt(sqlite3_stmt* s, int i, const std::optional<int>& v) {
  if (v) {
    sqlite3_bind_int64(s, i, *v);
  } else {
    sqlite3_bind_null(s, i);
  }
}
inline void BindOptDouble(sqlite3_stmt* s, int i, const std::optional<double>& v) {
  if (v) {
    sqlite3_bind_double(s, i, *v);
  } else {
    sqlite3_bind_null(s, i);
  }
}

// Column readers.
inline std::string ColumnText(sqlite3_stmt* s, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
}
inline std::optional<int> ColumnOptInt(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int(s, i);
}
inline std::optional<double> ColumnOptDouble(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(s, i);
}

// BEGIN IMMEDIATE ... COMMIT, rolled back unless committed.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& conn) : conn_(conn) {}
  ~WriteTransaction() {
    if (open_) (void)conn_.Exec("ROLLBACK");
  }
  Result<void> Begin() {
    if (auto r = conn_.Exec("BEGIN IMMEDIATE"); !r) return r;
    open_ = true;
    return {};
  }
  Result<void> Commit() {
    auto r = conn_.Exec("COMMIT");
    if (r) open_ = false;
    return r;
  }

 private:
  Connection& conn_;
  bool open_ = false;
};

// Steps a statement to completion, expecting no rows.
inline Result<void> StepDone(Connection& conn, sqlite3_stmt* stmt, std::string_view what) {
  const int rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Fail(conn.LastError(rc, what));
  return {};
}

// Steps a one-row lookup: kNotFound (`what`) when there is no row.
inline Result<void> StepRow(Connection& conn, sqlite3_stmt* stmt, const std::string& what) {
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, what);
  if (rc != SQLITE_ROW) return Fail(conn.LastError(rc, what));
  return {};
}

}  // namespace corridor::store::sqlite
