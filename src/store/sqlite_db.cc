#include "store/sqlite_db.h"

#include <fcntl.h>
#include <unistd.h>

namespace corridor::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 10'000;

}  // namespace

Error MakeError(sqlite3* db, int rc, std::string_view context) {
  ErrorCode code = ErrorCode::kInternal;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      code = ErrorCode::kUnavailable;
      break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      code = ErrorCode::kInvalidArgument;
      break;
    case SQLITE_CONSTRAINT:
      code = ErrorCode::kConflict;
      break;
    default:
      break;
  }
  std::string message(context);
  message += ": ";
  message += (db != nullptr && sqlite3_errcode(db) == rc) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Error{code, std::move(message)};
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int flags) {
  // A new store is private to its owner: create the file 0600 before SQLite
  // does (its default is 0644 less the umask); SQLite gives the -wal and -shm
  // files the database file's mode.
  if ((flags & SQLITE_OPEN_CREATE) != 0 && path != ":memory:" && !path.empty() &&
      path.rfind("file:", 0) != 0) {
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) ::close(fd);
  }
  // SQLite counts every allocation under one process-wide mutex unless told
  // not to: with 64 request threads a third of them waited on it (gdb stacks
  // under bench/api.sh). Nothing here reads the counts. Set once, before
  // SQLite initialises; later calls would be refused, harmlessly.
  static const int kMemstatusOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kMemstatusOff;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error = MakeError(db, rc, "sqlite open " + path);
    error.code = ErrorCode::kUnavailable;
    sqlite3_close_v2(db);
    return Fail(std::move(error));
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return conn;
}

Connection::~Connection() {
  ClearCache();
  sqlite3_close_v2(db_);
}

void Connection::ClearCache() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
}

Result<void> Connection::Exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    Error error = LastError(rc, "sqlite exec");
    if (message != nullptr) sqlite3_free(message);
    return Fail(std::move(error));
  }
  return {};
}

Result<sqlite3_stmt*> Connection::Prepare(const std::string& sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Fail(LastError(rc, "sqlite prepare"));
  cache_.emplace(sql, stmt);
  return stmt;
}

Result<std::optional<std::int64_t>> Connection::QueryInt(const std::string& sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return std::optional<std::int64_t>();
  if (rc != SQLITE_ROW) return Fail(LastError(rc, "sqlite query"));
  if (sqlite3_column_type(*stmt, 0) == SQLITE_NULL) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(sqlite3_column_int64(*stmt, 0));
}

}  // namespace corridor::store::sqlite
