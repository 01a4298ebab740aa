// A database and its transactions, independent of the backend: the shape every
// aggregate store of the redesign (issue 16 §1) is written in. An aggregate
// store (jobs, committee, the public side's projects, grievances, ...) is a
// small interface whose methods take the Transaction they run in, so that an
// atomic pair is visible at the call site:
//
//   auto tx = db.BeginWrite();
//   if (!tx) return Fail(tx.error());
//   auto job = jobs.Get(**tx, id);            // read inside the transaction
//   ...
//   if (auto r = jobs.Finish(**tx, id, ...); !r) return r;
//   return (*tx)->Commit();                    // nothing is written until here
//
// A transaction that is destroyed without Commit() rolls back. Each aggregate
// has a conformance suite under tests/store/ that every backend runs.
//
// Thread safety: a Database may be used from many threads; a Transaction by
// one thread at a time. SQLite serialises write transactions (one writer);
// read transactions run in parallel on their own snapshots.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::store {

// Which side of the wall a store belongs to (DESIGN.md, "Two sides"). Each
// store records its kind when created and refuses to open as the other.
enum class StoreKind { kSecurity, kPublic };
std::string_view StoreKindName(StoreKind kind);  // "security", "public"

class Transaction {
 public:
  virtual ~Transaction() = default;
  // Makes a write transaction's work durable (ends a read transaction). The
  // transaction is over afterwards, whether it succeeded or not.
  // kUnavailable when the database cannot commit (the work is rolled back).
  virtual Result<void> Commit() = 0;
  virtual bool writable() const = 0;
};

// One versioned migration of a module: `sql` for SQLite, `postgresql` for
// PostgreSQL ("" = the same text works on both).
struct Migration {
  int version = 0;
  std::string sql;
  std::string postgresql;
};

// The tables of one aggregate, migrated by their own sequence (so parallel
// work on two aggregates never collides over a number). Append only: never
// edit a migration that has shipped; add one.
struct Module {
  std::string name;  // "jobs", "committee", "public.projects", ...
  std::vector<Migration> migrations;
};

class Database {
 public:
  virtual ~Database() = default;
  // A transaction on a consistent snapshot; writes fail inside it.
  virtual Result<std::unique_ptr<Transaction>> BeginRead() const = 0;
  // The one write transaction (others wait up to the backend's busy timeout;
  // kUnavailable after it).
  virtual Result<std::unique_ptr<Transaction>> BeginWrite() = 0;
  virtual StoreKind kind() const = 0;
  virtual std::string_view backend() const = 0;  // "sqlite", "postgresql"
  // The version of `module` applied to this database (0 when none).
  virtual Result<int> ModuleVersion(std::string_view module) const = 0;
};

struct DatabaseOptions {
  bool create = true;  // false: a missing database is kNotFound (commands that only read)
};

// Opens (creating when allowed) the database at `location` for a store of
// `kind` and applies every migration of `modules` not yet applied, each in its
// own write transaction. `location` is a file path for SQLite ("sqlite:"
// prefix optional; the file is created 0600). kInvalidArgument when the file
// is not a Corridor database, is a store of the other kind, or has a module
// newer than this build; kNotFound when it does not exist and !create.
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& location, StoreKind kind,
                                               const std::vector<Module>& modules,
                                               const DatabaseOptions& options = {});

// `location` as it may be shown or logged: a password in a PostgreSQL URI
// becomes "***"; a file path is unchanged.
std::string DisplayLocation(std::string_view location);

// Runs `fn(Transaction&)` in a write transaction of `db` and commits when it
// returns a value (rolls back when it returns an error). `fn` returns a
// Result<T>; so does this.
template <typename F>
auto InWriteTransaction(Database& db, F&& fn) -> std::invoke_result_t<F, Transaction&> {
  auto tx = db.BeginWrite();
  if (!tx) return Fail(tx.error());
  auto out = std::forward<F>(fn)(**tx);
  if (!out) return out;
  if (auto c = (*tx)->Commit(); !c) return Fail(c.error());
  return out;
}

// The same over a read transaction.
template <typename F>
auto InReadTransaction(const Database& db, F&& fn) -> std::invoke_result_t<F, Transaction&> {
  auto tx = db.BeginRead();
  if (!tx) return Fail(tx.error());
  return std::forward<F>(fn)(**tx);
}

}  // namespace corridor::store
