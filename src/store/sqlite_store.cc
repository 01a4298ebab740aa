#include "store/sqlite_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"
#include "store/modules.h"
#include "store/sql/sql.h"
#include "store/sqlite_functions.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_schema.h"

namespace corridor::store {
// An advisory lock (flock) on "<store>.bulk-load", held while a bulk load has
// the secondary indexes dropped. The kernel releases it when the process dies,
// so an opener that can take it knows no bulk load is running.
class BulkLoadLock {
 public:
  explicit BulkLoadLock(const std::string& store_path) : path_(store_path + ".bulk-load") {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~BulkLoadLock() {
    if (fd_ < 0) return;
    ::unlink(path_.c_str());
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  BulkLoadLock(const BulkLoadLock&) = delete;
  BulkLoadLock& operator=(const BulkLoadLock&) = delete;
  bool acquired() const { return fd_ >= 0; }

 private:
  std::string path_;
  int fd_ = -1;
};

namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the rows of this store
using sqlite::ColumnText;
using sqlite::Connection;
using sqlite::Scope;

constexpr std::size_t kMaxIdleReaders = 8;

}  // namespace

// ---- the read pool

// ---- the read pool

Result<SqliteStore::ReadLease> SqliteStore::AcquireReader() const {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReadLease(this, std::move(conn));
    }
  }
  auto conn = Connection::Open(path_, SQLITE_OPEN_READWRITE);
  if (!conn) return Fail(conn.error());
  if (auto r = sqlite::RegisterStoreFunctions(**conn); !r) return Fail(r.error());
  if (auto r = (*conn)->Exec("PRAGMA query_only = 1"); !r) return Fail(r.error());
  return ReadLease(this, std::move(*conn));
}

void SqliteStore::ReleaseReader(std::unique_ptr<Connection> conn) const {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(conn));
}

// ---- open

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  auto conn = Connection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!conn) return Fail(conn.error());
  Connection& c = **conn;
  if (auto r = sqlite::RegisterStoreFunctions(c); !r) return Fail(r.error());
  auto existing = sqlite::CheckCorridorDatabase(c);
  if (!existing) return Fail(existing.error());
  auto mode = c.Prepare("PRAGMA journal_mode = WAL");
  if (!mode) return Fail(mode.error());
  {
    Scope scope(*mode);
    const int rc = sqlite3_step(*mode);
    if (rc != SQLITE_ROW) return Fail(c.LastError(rc, "enable WAL"));
    if (ColumnText(*mode, 0) != "wal") {
      return Fail(ErrorCode::kUnavailable, "cannot enable WAL mode on " + path);
    }
  }
  if (auto r = c.Exec(std::string("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; ") +
                      kServingCache +
                      "; PRAGMA temp_store = MEMORY; "
                      "PRAGMA wal_autocheckpoint = 16384;");
      !r) {
    return Fail(r.error());
  }
  auto version = sqlite::Migrate(c);
  if (!version) return Fail(version.error());
  // A bulk load that died before EndBulkLoad left secondary indexes dropped:
  // rebuild them, unless a live bulk load (holding the lock) will.
  auto missing = sqlite::MissingIncidentIndexes(c);
  if (!missing) return Fail(missing.error());
  if (!missing->empty()) {
    BulkLoadLock lock(path);
    if (lock.acquired()) {
      if (auto r = c.Exec(sqlite::CreateIncidentIndexesSql()); !r) return Fail(r.error());
    }
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, std::move(*conn), *version));
  // The aggregates of the redesign share this file, its writer and its
  // transactions: record the store's kind and apply their migrations.
  if (auto ok = sql::CheckKind(*store->database_, StoreKind::kSecurity, path); !ok) {
    return Fail(ok.error());
  }
  for (const Module& m : SecurityModules()) {
    if (auto ok = sql::MigrateModule(*store->database_, m); !ok) return Fail(ok.error());
  }
  return store;
}

SqliteStore::SqliteStore(std::string path, std::unique_ptr<sqlite::Connection> writer, int version)
    : path_(std::move(path)), writer_(std::move(writer)), schema_version_(version) {
  database_ = std::make_unique<sqlite::SqliteDatabase>(path_, StoreKind::kSecurity, write_mu_,
                                                       *writer_, sqlite::RegisterStoreFunctions);
}

SqliteStore::~SqliteStore() {
  std::lock_guard<std::mutex> lock(pool_mu_);
  idle_readers_.clear();
}

Result<void> SqliteStore::BeginBulkLoad() {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (bulk_lock_) return Fail(ErrorCode::kConflict, "a bulk load is already in progress");
  auto bulk = std::make_unique<BulkLoadLock>(path_);
  if (!bulk->acquired()) {
    return Fail(ErrorCode::kConflict, "another process is bulk-loading " + path_);
  }
  if (auto r = writer_->Exec(sqlite::DropIncidentIndexesSql()); !r) return r;
  bulk_lock_ = std::move(bulk);
  return {};
}

Result<void> SqliteStore::EndBulkLoad() {
  std::lock_guard<std::mutex> lock(write_mu_);
  const ImportCache import_cache(*writer_);
  auto r = writer_->Exec(sqlite::CreateIncidentIndexesSql());
  if (r) bulk_lock_.reset();  // on failure keep the lock: the indexes are still missing
  return r;
}

}  // namespace corridor::store
