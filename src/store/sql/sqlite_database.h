// The SQLite backend of store::Database (include/corridor/store/database.h):
// one writer connection behind a mutex, a pool of read-only connections, WAL.
// Private to src/store.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "corridor/store/database.h"
#include "store/sqlite_db.h"

namespace corridor::store::sqlite {

class SqliteDatabase final : public Database {
 public:
  // Called on every connection this object opens (to register SQL functions).
  using ConnectionHook = std::function<Result<void>(Connection&)>;

  // Opens or creates (0600) the file at `path` with its own connections, in
  // WAL mode. Checks nothing about its contents (OpenDatabase does).
  // kNotFound when it does not exist and !create; kUnavailable when it cannot
  // be opened.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path, StoreKind kind,
                                                      bool create, ConnectionHook hook = {});

  // Borrows `writer` and the mutex that guards it from an owner that also
  // writes through them directly (the security store's SqliteStore): a write
  // transaction holds `write_mu` for its whole life. Read connections come
  // from this object's own pool. Both must outlive this object.
  SqliteDatabase(std::string path, StoreKind kind, std::mutex& write_mu, Connection& writer,
                 ConnectionHook hook = {});
  ~SqliteDatabase() override;

  Result<std::unique_ptr<Transaction>> BeginRead() const override;
  Result<std::unique_ptr<Transaction>> BeginWrite() override;
  StoreKind kind() const override { return kind_; }
  std::string_view backend() const override { return "sqlite"; }
  Result<int> ModuleVersion(std::string_view module) const override;

  const std::string& path() const { return path_; }

 private:
  friend class ReadTx;
  SqliteDatabase(std::string path, StoreKind kind, std::unique_ptr<Connection> writer,
                 ConnectionHook hook);
  Result<std::unique_ptr<Connection>> AcquireReader() const;
  void ReleaseReader(std::unique_ptr<Connection> conn) const;

  const std::string path_;
  const StoreKind kind_;
  ConnectionHook hook_;
  std::unique_ptr<std::mutex> own_mu_;         // when this object owns the writer
  std::unique_ptr<Connection> own_writer_;
  std::mutex* write_mu_;
  Connection* writer_;
  mutable std::mutex pool_mu_;  // guards idle_
  mutable std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace corridor::store::sqlite
