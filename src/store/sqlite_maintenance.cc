
#include <algorithm>
#include <filesystem>
#include <utility>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_schema.h"
#include "store/sqlite_store.h"

// Imports recorded, backup, restore, integrity.
namespace corridor::store {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the rows of this store
using sqlite::BindInt;
using sqlite::BindText;
using sqlite::ColumnText;
using sqlite::Connection;
using sqlite::Scope;
using sqlite::StepDone;

// Checks that `path` is a Corridor store this build can read, opening it read-only.
Result<std::unique_ptr<Connection>> OpenForRestore(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Fail(ErrorCode::kInvalidArgument, "restore: no backup file at " + path);
  }
  auto conn = Connection::Open(path, SQLITE_OPEN_READONLY);
  if (!conn) {
    Error error = conn.error();
    error.code = ErrorCode::kInvalidArgument;
    return Fail(std::move(error));
  }
  auto version = sqlite::CheckCorridorDatabase(**conn);
  if (!version) {
    Error error = version.error();
    error.code = ErrorCode::kInvalidArgument;
    error.message = "restore: " + error.message;
    return Fail(std::move(error));
  }
  if (*version < 1) return Fail(ErrorCode::kInvalidArgument, "restore: " + path + " is empty");
  auto check =
      (*conn)->QueryInt("SELECT count(*) FROM pragma_quick_check WHERE quick_check <> 'ok'");
  if (!check || check->value_or(0) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "restore: " + path + " fails quick_check");
  }
  return conn;
}

}  // namespace

// ---- imports

Result<void> SqliteStore::RecordImport(const ImportRun& run) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(
      "INSERT INTO imports (dataset, file, sha256, rows, inserted, updated, unchanged, rejected, "
      "started, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, run.dataset);
  BindText(*stmt, 2, run.file);
  BindText(*stmt, 3, run.sha256);
  BindInt(*stmt, 4, run.rows);
  BindInt(*stmt, 5, run.inserted);
  BindInt(*stmt, 6, run.updated);
  BindInt(*stmt, 7, run.unchanged);
  BindInt(*stmt, 8, run.rejected);
  BindText(*stmt, 9, run.started);
  BindText(*stmt, 10, run.finished);
  return StepDone(*writer_, *stmt, "record import");
}

Result<std::vector<ImportRun>> SqliteStore::ListImports() const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(
      "SELECT dataset, file, sha256, rows, inserted, updated, unchanged, rejected, started, "
      "finished FROM imports ORDER BY id");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  std::vector<ImportRun> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list imports"));
    ImportRun run;
    run.dataset = ColumnText(*stmt, 0);
    run.file = ColumnText(*stmt, 1);
    run.sha256 = ColumnText(*stmt, 2);
    run.rows = sqlite3_column_int64(*stmt, 3);
    run.inserted = sqlite3_column_int64(*stmt, 4);
    run.updated = sqlite3_column_int64(*stmt, 5);
    run.unchanged = sqlite3_column_int64(*stmt, 6);
    run.rejected = sqlite3_column_int64(*stmt, 7);
    run.started = ColumnText(*stmt, 8);
    run.finished = ColumnText(*stmt, 9);
    out.push_back(std::move(run));
  }
  return out;
}

// ---- maintenance

Result<void> SqliteStore::Backup(const std::string& path) const {
  const std::string temp = path + ".tmp-backup";
  std::error_code ec;
  std::filesystem::remove(temp, ec);
  auto source = AcquireReader();
  if (!source) return Fail(source.error());
  Result<void> result;
  {
    auto dest = Connection::Open(temp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!dest) return Fail(ErrorCode::kUnavailable, "backup: " + dest.error().message);
    sqlite3_backup* backup =
        sqlite3_backup_init((*dest)->handle(), "main", (*source)->handle(), "main");
    if (backup == nullptr) {
      result = Fail((*dest)->LastError(sqlite3_errcode((*dest)->handle()), "backup init"));
    } else {
      // One step copies every page under one read transaction: a consistent
      // snapshot; writers carry on in the WAL meanwhile.
      const int rc = sqlite3_backup_step(backup, -1);
      const int frc = sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) {
        result = Fail((*dest)->LastError(rc, "backup step"));
      } else if (frc != SQLITE_OK) {
        result = Fail((*dest)->LastError(frc, "backup finish"));
      } else {
        // A self-contained single file (no -wal needed to read it).
        result = (*dest)->Exec("PRAGMA journal_mode = DELETE");
      }
    }
  }
  if (result) {
    std::filesystem::rename(temp, path, ec);
    if (ec)
      result = Fail(ErrorCode::kUnavailable, "backup: rename to " + path + ": " + ec.message());
  }
  if (!result) {
    std::filesystem::remove(temp, ec);
    Error error = result.error();
    error.code = ErrorCode::kUnavailable;
    return Fail(std::move(error));
  }
  return {};
}

Result<void> SqliteStore::Restore(const std::string& path) {
  auto source = OpenForRestore(path);
  if (!source) return Fail(source.error());
  std::lock_guard<std::mutex> lock(write_mu_);
  writer_->ClearCache();
  sqlite3_backup* backup =
      sqlite3_backup_init(writer_->handle(), "main", (*source)->handle(), "main");
  if (backup == nullptr) {
    return Fail(writer_->LastError(sqlite3_errcode(writer_->handle()), "restore init"));
  }
  const int rc = sqlite3_backup_step(backup, -1);
  const int frc = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Fail(writer_->LastError(rc, "restore step"));
  if (frc != SQLITE_OK) return Fail(writer_->LastError(frc, "restore finish"));
  // The copied header may say rollback journal: switch back to WAL, then
  // bring an older backup's schema up to date.
  if (auto r = writer_->Exec("PRAGMA journal_mode = WAL"); !r) return Fail(r.error());
  auto version = sqlite::Migrate(*writer_);
  if (!version) return Fail(version.error());
  schema_version_ = *version;
  return {};
}

Result<std::string> SqliteStore::IntegrityCheck() const {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare("PRAGMA integrity_check");
  if (!stmt) return Fail(stmt.error());
  std::string out;
  {
    Scope scope(*stmt);
    for (;;) {
      const int rc = sqlite3_step(*stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "integrity_check"));
      if (!out.empty()) out += '\n';
      out += ColumnText(*stmt, 0);
    }
  }
  // FTS5's own check: the text index matches the incidents table exactly.
  auto fts = writer_->Exec(
      "INSERT INTO incidents_fts (incidents_fts, rank) VALUES ('integrity-check', 1)");
  if (!fts) out += "\nincidents_fts: " + fts.error().message;
  auto queued = writer_->QueryInt(
      "SELECT (SELECT count(*) FROM incidents_fts_new) + (SELECT count(*) FROM incidents_fts_old)");
  if (!queued) return Fail(queued.error());
  if (queued->value_or(0) != 0) out += "\nincidents_fts queue not empty";
  return out;
}

}  // namespace corridor::store
