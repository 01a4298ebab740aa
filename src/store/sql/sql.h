// The thin typed layer over each SQL driver (issue 16 §1): statements with
// `?` placeholders and typed arguments, rows read by a reader function per
// type, and the transaction they run in. Aggregates are written once against
// this layer in SQL that SQLite and PostgreSQL both accept (the PostgreSQL
// driver numbers the placeholders); no aggregate binds or steps by hand.
//
//   struct Job { std::string id; std::string state; std::int64_t progress; };
//   Job ReadJob(const sql::Row& r) { return {r.Text(0), r.Text(1), r.Int(2)}; }
//   auto job = sql::Of(tx).QueryOne("SELECT id, state, progress FROM jobs WHERE id = ?",
//                                   ReadJob, id);            // Result<std::optional<Job>>
//
// Private to src/store.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store::sql {

struct Null {};
// An argument. Text is borrowed: it must live until the call returns.
using Value = std::variant<Null, std::int64_t, double, std::string_view>;

inline Value ToValue(Null) { return Null{}; }
inline Value ToValue(std::nullptr_t) { return Null{}; }
inline Value ToValue(bool v) { return static_cast<std::int64_t>(v ? 1 : 0); }
inline Value ToValue(int v) { return static_cast<std::int64_t>(v); }
inline Value ToValue(long v) { return static_cast<std::int64_t>(v); }
inline Value ToValue(long long v) { return static_cast<std::int64_t>(v); }
inline Value ToValue(double v) { return v; }
inline Value ToValue(std::string_view v) { return v; }
inline Value ToValue(const std::string& v) { return std::string_view(v); }
inline Value ToValue(const char* v) { return std::string_view(v); }
template <typename T>
Value ToValue(const std::optional<T>& v) {
  return v ? ToValue(*v) : Value(Null{});
}

enum class Dialect { kSqlite, kPostgresql };

// One row of a result, valid only inside the reader or callback it is given to.
class Row {
 public:
  virtual ~Row() = default;
  virtual bool IsNull(int column) const = 0;
  virtual std::int64_t Int(int column) const = 0;  // NULL reads as 0
  virtual double Double(int column) const = 0;     // NULL reads as 0
  virtual std::string Text(int column) const = 0;  // NULL reads as ""
  bool Bool(int column) const { return Int(column) != 0; }
  std::optional<std::int64_t> OptInt(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<std::int64_t>(Int(column));
  }
  std::optional<double> OptDouble(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<double>(Double(column));
  }
  std::optional<std::string> OptText(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<std::string>(Text(column));
  }
};

// A transaction of an SQL backend. Every store::Transaction that an SQL
// Database hands out is one (see Of).
class Tx : public Transaction {
 public:
  virtual Dialect dialect() const = 0;
  // Runs one statement; returns the number of rows it changed. On a read
  // transaction, statements that write fail (kInternal).
  virtual Result<std::int64_t> ExecArgs(std::string_view sql, std::span<const Value> args) = 0;
  // Runs a query; `each` is called per row until it returns false.
  virtual Result<void> QueryArgs(std::string_view sql, std::span<const Value> args,
                                 const std::function<bool(const Row&)>& each) = 0;
  // Runs several statements without arguments or results (migrations).
  virtual Result<void> Script(std::string_view sql) = 0;

  template <typename... A>
  Result<std::int64_t> Exec(std::string_view sql, const A&... args) {
    const std::array<Value, sizeof...(A)> values{ToValue(args)...};
    return ExecArgs(sql, values);
  }

  // The first row read by `read`, or nullopt when there is none.
  template <typename Reader, typename... A>
  auto QueryOne(std::string_view sql, Reader&& read, const A&... args)
      -> Result<std::optional<std::invoke_result_t<Reader, const Row&>>> {
    using T = std::invoke_result_t<Reader, const Row&>;
    const std::array<Value, sizeof...(A)> values{ToValue(args)...};
    std::optional<T> out;
    auto r = QueryArgs(sql, values, [&](const Row& row) {
      out.emplace(read(row));
      return false;
    });
    if (!r) return Fail(r.error());
    return out;
  }

  // Every row, read by `read`.
  template <typename Reader, typename... A>
  auto QueryAll(std::string_view sql, Reader&& read, const A&... args)
      -> Result<std::vector<std::invoke_result_t<Reader, const Row&>>> {
    using T = std::invoke_result_t<Reader, const Row&>;
    const std::array<Value, sizeof...(A)> values{ToValue(args)...};
    std::vector<T> out;
    auto r = QueryArgs(sql, values, [&](const Row& row) {
      out.push_back(read(row));
      return true;
    });
    if (!r) return Fail(r.error());
    return out;
  }

  // A single integer (first column of the first row); nullopt for no row or NULL.
  template <typename... A>
  Result<std::optional<std::int64_t>> QueryInt(std::string_view sql, const A&... args) {
    auto one = QueryOne(sql, [](const Row& r) { return r.OptInt(0); }, args...);
    if (!one) return Fail(one.error());
    if (!*one) return std::optional<std::int64_t>();
    return **one;
  }
};

// The SQL transaction behind `tx`. REQUIRES: `tx` came from an SQL Database
// (every backend Corridor has is one).
inline Tx& Of(Transaction& tx) { return static_cast<Tx&>(tx); }

// Applies the migrations of `module` not yet recorded in corridor_modules,
// each in its own write transaction of `db`. kInvalidArgument when the
// database has a newer version of the module than this build.
Result<void> MigrateModule(Database& db, const Module& module);

// Creates corridor_modules and corridor_meta when missing, then records the
// store's kind, or checks it: kInvalidArgument naming both kinds when the
// database belongs to the other side.
Result<void> CheckKind(Database& db, StoreKind kind, const std::string& location);

}  // namespace corridor::store::sql
