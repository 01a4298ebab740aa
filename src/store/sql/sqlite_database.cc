#include "store/sql/sqlite_database.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/sql/sql.h"

namespace corridor::store::sqlite {
namespace {

constexpr std::size_t kMaxIdleReaders = 8;

class SqliteRow final : public sql::Row {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  bool IsNull(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double Double(int c) const override { return sqlite3_column_double(stmt_, c); }
  std::string Text(int c) const override { return ColumnText(stmt_, c); }

 private:
  sqlite3_stmt* stmt_;
};

Result<void> Bind(Connection& conn, sqlite3_stmt* stmt, std::span<const sql::Value> args) {
  const int wanted = sqlite3_bind_parameter_count(stmt);
  if (wanted != static_cast<int>(args.size())) {
    return Fail(ErrorCode::kInternal, "statement takes " + std::to_string(wanted) +
                                          " arguments, given " + std::to_string(args.size()) +
                                          ": " + std::string(sqlite3_sql(stmt)));
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const int at = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<std::int64_t>(&args[i])) {
      rc = sqlite3_bind_int64(stmt, at, *n);
    } else if (const auto* d = std::get_if<double>(&args[i])) {
      rc = sqlite3_bind_double(stmt, at, *d);
    } else if (const auto* s = std::get_if<std::string_view>(&args[i])) {
      rc = sqlite3_bind_text(stmt, at, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
    } else {
      rc = sqlite3_bind_null(stmt, at);
    }
    if (rc != SQLITE_OK) return Fail(conn.LastError(rc, "bind argument " + std::to_string(at)));
  }
  return {};
}

// The transaction over one connection: BEGIN on construction (IMMEDIATE for
// a writer), ROLLBACK on destruction unless committed.
class SqliteTx : public sql::Tx {
 public:
  ~SqliteTx() override { Abandon(); }
  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  bool writable() const override { return writable_; }

  Result<void> Commit() override {
    if (!open_) return Fail(ErrorCode::kInternal, "commit of a transaction that is over");
    auto r = conn_->Exec("COMMIT");
    if (!r) {
      (void)conn_->Exec("ROLLBACK");
      open_ = false;
      return r;
    }
    open_ = false;
    return {};
  }

  Result<std::int64_t> ExecArgs(std::string_view sql, std::span<const sql::Value> args) override {
    if (auto ok = CheckOpen(); !ok) return Fail(ok.error());
    auto stmt = conn_->Prepare(std::string(sql));
    if (!stmt) return Fail(stmt.error());
    Scope scope(*stmt);
    if (auto b = Bind(*conn_, *stmt, args); !b) return Fail(b.error());
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return Fail(conn_->LastError(rc, Context(sql)));
    return static_cast<std::int64_t>(sqlite3_changes(conn_->handle()));
  }

  Result<void> QueryArgs(std::string_view sql, std::span<const sql::Value> args,
                         const std::function<bool(const sql::Row&)>& each) override {
    if (auto ok = CheckOpen(); !ok) return ok;
    auto stmt = conn_->Prepare(std::string(sql));
    if (!stmt) return Fail(stmt.error());
    Scope scope(*stmt);
    if (auto b = Bind(*conn_, *stmt, args); !b) return b;
    const SqliteRow row(*stmt);
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
      if (!each(row)) return {};
    }
    if (rc != SQLITE_DONE) return Fail(conn_->LastError(rc, Context(sql)));
    return {};
  }

  Result<void> Script(std::string_view sql) override {
    if (auto ok = CheckOpen(); !ok) return ok;
    return conn_->Exec(std::string(sql));
  }

 protected:
  SqliteTx(Connection* conn, bool writable) : conn_(conn), writable_(writable) {}
  // Rolls back unless committed. Derived classes call it in their destructor,
  // before their members (the writer's lock, the reader's lease) go.
  void Abandon() {
    if (open_) (void)conn_->Exec("ROLLBACK");
    open_ = false;
  }
  Result<void> Start() {
    if (auto r = conn_->Exec(writable_ ? "BEGIN IMMEDIATE" : "BEGIN"); !r) return r;
    open_ = true;
    return {};
  }

 private:
  Result<void> CheckOpen() const {
    if (!open_) return Fail(ErrorCode::kInternal, "statement on a transaction that is over");
    return {};
  }
  static std::string Context(std::string_view sql) {
    return "sqlite: " + std::string(sql.substr(0, 80));
  }

  Connection* conn_;
  const bool writable_;
  bool open_ = false;
};

class WriteTx final : public SqliteTx {
 public:
  static Result<std::unique_ptr<sql::Tx>> Begin(std::mutex& mu, Connection& conn) {
    std::unique_ptr<WriteTx> tx(new WriteTx(mu, conn));
    if (auto r = tx->Start(); !r) return Fail(r.error());
    return std::unique_ptr<sql::Tx>(std::move(tx));
  }

 private:
  WriteTx(std::mutex& mu, Connection& conn) : SqliteTx(&conn, true), lock_(mu) {}
 public:
  ~WriteTx() override { Abandon(); }  // before lock_ is released

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace

class ReadTx final : public SqliteTx {
 public:
  static Result<std::unique_ptr<sql::Tx>> Begin(const SqliteDatabase& db) {
    auto conn = db.AcquireReader();
    if (!conn) return Fail(conn.error());
    std::unique_ptr<ReadTx> tx(new ReadTx(db, std::move(*conn)));
    if (auto r = tx->Start(); !r) return Fail(r.error());
    return std::unique_ptr<sql::Tx>(std::move(tx));
  }
  ~ReadTx() override { Abandon(); }  // before the connection goes back to the pool

 private:
  // Holds the connection in a member destroyed after ~SqliteTx has run.
  struct Holder {
    const SqliteDatabase* db;
    std::unique_ptr<Connection> conn;
    ~Holder() {
      if (conn) db->ReleaseReader(std::move(conn));
    }
  };
  ReadTx(const SqliteDatabase& db, std::unique_ptr<Connection> conn)
      : SqliteTx(conn.get(), false), holder_{&db, std::move(conn)} {}
  Holder holder_;
};

SqliteDatabase::SqliteDatabase(std::string path, StoreKind kind, std::mutex& write_mu,
                               Connection& writer, ConnectionHook hook)
    : path_(std::move(path)),
      kind_(kind),
      hook_(std::move(hook)),
      write_mu_(&write_mu),
      writer_(&writer) {}

SqliteDatabase::SqliteDatabase(std::string path, StoreKind kind, std::unique_ptr<Connection> writer,
                               ConnectionHook hook)
    : path_(std::move(path)),
      kind_(kind),
      hook_(std::move(hook)),
      own_mu_(std::make_unique<std::mutex>()),
      own_writer_(std::move(writer)),
      write_mu_(own_mu_.get()),
      writer_(own_writer_.get()) {}

SqliteDatabase::~SqliteDatabase() {
  std::lock_guard<std::mutex> lock(pool_mu_);
  idle_.clear();
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                              StoreKind kind, bool create,
                                                              ConnectionHook hook) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!create) return Fail(ErrorCode::kNotFound, "no store at " + path);
    // Created private: a store holds what only its users may read.
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      return Fail(ErrorCode::kUnavailable, "cannot create " + path + ": " + std::strerror(errno));
    }
    if (fd >= 0) ::close(fd);
  }
  auto conn = Connection::Open(path, SQLITE_OPEN_READWRITE);
  if (!conn) return Fail(conn.error());
  if (hook) {
    if (auto r = hook(**conn); !r) return Fail(r.error());
  }
  auto mode = (*conn)->Prepare("PRAGMA journal_mode = WAL");
  if (!mode) return Fail(mode.error());
  {
    Scope scope(*mode);
    const int rc = sqlite3_step(*mode);
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "enable WAL on " + path));
    if (ColumnText(*mode, 0) != "wal") {
      return Fail(ErrorCode::kUnavailable, "cannot enable WAL mode on " + path);
    }
  }
  if (auto r = (*conn)->Exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"); !r) {
    return Fail(r.error());
  }
  return std::unique_ptr<SqliteDatabase>(
      new SqliteDatabase(path, kind, std::move(*conn), std::move(hook)));
}

Result<std::unique_ptr<Connection>> SqliteDatabase::AcquireReader() const {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
  }
  auto conn = Connection::Open(path_, SQLITE_OPEN_READWRITE);
  if (!conn) return Fail(conn.error());
  if (hook_) {
    if (auto r = hook_(**conn); !r) return Fail(r.error());
  }
  if (auto r = (*conn)->Exec("PRAGMA query_only = 1"); !r) return Fail(r.error());
  return std::move(*conn);
}

void SqliteDatabase::ReleaseReader(std::unique_ptr<Connection> conn) const {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (idle_.size() < kMaxIdleReaders) idle_.push_back(std::move(conn));
}

Result<std::unique_ptr<Transaction>> SqliteDatabase::BeginRead() const {
  auto tx = ReadTx::Begin(*this);
  if (!tx) return Fail(tx.error());
  return std::unique_ptr<Transaction>(std::move(*tx));
}

Result<std::unique_ptr<Transaction>> SqliteDatabase::BeginWrite() {
  auto tx = WriteTx::Begin(*write_mu_, *writer_);
  if (!tx) return Fail(tx.error());
  return std::unique_ptr<Transaction>(std::move(*tx));
}

Result<int> SqliteDatabase::ModuleVersion(std::string_view module) const {
  auto tx = BeginRead();
  if (!tx) return Fail(tx.error());
  auto& t = sql::Of(**tx);
  auto exists = t.QueryInt(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'corridor_modules'");
  if (!exists) return Fail(exists.error());
  if (exists->value_or(0) == 0) return 0;
  auto v = t.QueryInt("SELECT version FROM corridor_modules WHERE module = ?", module);
  if (!v) return Fail(v.error());
  return static_cast<int>(v->value_or(0));
}

}  // namespace corridor::store::sqlite
