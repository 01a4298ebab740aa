#include "store/sql/postgresql_database.h"

#include <charconv>
#include <cstdlib>
#include <mutex>
#include <pqxx/pqxx>
#include <vector>

#include "store/sql/sql.h"

namespace corridor::store::postgresql {
namespace {

constexpr std::size_t kMaxIdleConnections = 8;
// How long a writer waits for the write lock (SQLite's busy timeout).
constexpr int kLockTimeoutMs = 10'000;
// The transaction-scoped advisory lock that serialises writers ("Corridor"
// in ASCII); advisory locks are per database.
constexpr std::int64_t kWriteLockKey = 0x436f727269646f72;

Error MapError(const std::exception& e, std::string_view context) {
  ErrorCode code = ErrorCode::kInternal;
  if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = s->sqlstate();
    const std::string cls = state.substr(0, 2);
    if (cls == "23") {
      code = ErrorCode::kConflict;  // integrity constraints, as SQLITE_CONSTRAINT
    } else if (cls == "40" || cls == "53" || cls == "55" || cls == "57" || cls == "08") {
      code = ErrorCode::kUnavailable;  // rollback, resources, lock timeout, shutdown
    } else if (cls == "22") {
      code = ErrorCode::kInvalidArgument;  // data exception (bad value)
    }
  } else if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
             dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    code = ErrorCode::kUnavailable;
  }
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  if (auto nl = what.find('\n'); nl != std::string::npos) what = what.substr(0, nl);
  return Error{code, "postgresql: " + std::string(context) + ": " + what};
}

std::string Context(std::string_view sql) { return std::string(sql.substr(0, 80)); }

class PgRow final : public sql::Row {
 public:
  explicit PgRow(const pqxx::row& row) : row_(row) {}
  bool IsNull(int c) const override { return row_[c].is_null(); }
  std::int64_t Int(int c) const override {
    const pqxx::field f = row_[c];
    if (f.is_null()) return 0;
    const char* s = f.c_str();
    if (s[0] == 't' && s[1] == '\0') return 1;  // boolean
    if (s[0] == 'f' && s[1] == '\0') return 0;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s, s + f.size(), v);
    if (ec == std::errc() && end == s + f.size()) return v;
    return static_cast<std::int64_t>(std::strtod(s, nullptr));  // numeric or float text
  }
  double Double(int c) const override {
    const pqxx::field f = row_[c];
    return f.is_null() ? 0.0 : std::strtod(f.c_str(), nullptr);
  }
  std::string Text(int c) const override {
    const pqxx::field f = row_[c];
    return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
  }

 private:
  const pqxx::row& row_;
};

// The arguments of one statement as libpq's text parameters (nullptr = NULL).
struct Params {
  std::vector<std::string> text;
  std::vector<const char*> pointers;
};

Result<Params> ToParams(std::span<const sql::Value> args) {
  Params p;
  p.text.reserve(args.size());
  for (const sql::Value& v : args) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      p.text.push_back(std::to_string(*n));
    } else if (const auto* d = std::get_if<double>(&v)) {
      std::array<char, 32> buf{};
      const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), *d);
      p.text.emplace_back(buf.data(), r.ptr);
    } else if (const auto* s = std::get_if<std::string_view>(&v)) {
      if (s->find('\0') != std::string_view::npos) {
        return Fail(ErrorCode::kInvalidArgument,
                    "postgresql: argument " + std::to_string(p.text.size() + 1) +
                        " contains a NUL byte, which PostgreSQL text cannot hold");
      }
      p.text.emplace_back(*s);
    } else {
      p.text.emplace_back();
    }
  }
  p.pointers.reserve(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    p.pointers.push_back(std::holds_alternative<sql::Null>(args[i]) ? nullptr : p.text[i].c_str());
  }
  return p;
}

class PgDatabase;

// One transaction on a connection leased from the pool: REPEATABLE READ READ
// ONLY for readers, READ COMMITTED under the write lock for the writer. Rolls
// back when destroyed uncommitted; a broken connection is not returned.
class PgTx final : public sql::Tx {
 public:
  PgTx(const PgDatabase& db, std::unique_ptr<pqxx::connection> conn, bool writable)
      : db_(db), conn_(std::move(conn)), writable_(writable) {}
  ~PgTx() override;

  Result<void> Start();
  sql::Dialect dialect() const override { return sql::Dialect::kPostgresql; }
  bool writable() const override { return writable_; }

  Result<void> Commit() override {
    if (!tx_) return Fail(ErrorCode::kInternal, "commit of a transaction that is over");
    try {
      tx_->commit();
      tx_.reset();
      return {};
    } catch (const std::exception& e) {
      tx_.reset();
      return Fail(MapError(e, "commit"));
    }
  }

  Result<std::int64_t> ExecArgs(std::string_view sql, std::span<const sql::Value> args) override {
    std::int64_t changed = 0;
    auto r = Run(sql, args, [&](const pqxx::result& res) {
      changed = static_cast<std::int64_t>(res.affected_rows());
    });
    if (!r) return Fail(r.error());
    return changed;
  }

  Result<void> QueryArgs(std::string_view sql, std::span<const sql::Value> args,
                         const std::function<bool(const sql::Row&)>& each) override {
    return Run(sql, args, [&](const pqxx::result& res) {
      for (const pqxx::row& row : res) {
        const PgRow r(row);
        if (!each(r)) break;
      }
    });
  }

  Result<void> Script(std::string_view sql) override {
    if (!tx_) return Fail(ErrorCode::kInternal, "statement on a transaction that is over");
    try {
      tx_->exec(std::string(sql));
      return {};
    } catch (const std::exception& e) {
      return Fail(MapError(e, Context(sql)));
    }
  }

 private:
  template <typename F>
  Result<void> Run(std::string_view sql, std::span<const sql::Value> args, F&& use) {
    if (!tx_) return Fail(ErrorCode::kInternal, "statement on a transaction that is over");
    int wanted = 0;
    const std::string numbered = NumberPlaceholders(sql, &wanted);
    if (wanted != static_cast<int>(args.size())) {
      return Fail(ErrorCode::kInternal, "statement takes " + std::to_string(wanted) +
                                            " arguments, given " + std::to_string(args.size()) +
                                            ": " + Context(sql));
    }
    auto params = ToParams(args);
    if (!params) return Fail(params.error());
    pqxx::result res;
    try {
      res = tx_->exec_params(numbered, pqxx::prepare::make_dynamic_params(params->pointers));
    } catch (const std::exception& e) {
      Error err = MapError(e, Context(sql));
      // A statement that writes in a read transaction is a programming error.
      if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e);
          s != nullptr && s->sqlstate() == "25006") {
        err.code = ErrorCode::kInternal;
      }
      return Fail(std::move(err));
    }
    try {
      use(res);
    } catch (const std::exception& e) {
      return Fail(MapError(e, Context(sql)));
    }
    return {};
  }

  const PgDatabase& db_;
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::transaction_base> tx_;
  const bool writable_;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string location, StoreKind kind) : location_(std::move(location)), kind_(kind) {}
  ~PgDatabase() override {
    const std::lock_guard<std::mutex> lock(mu_);
    idle_.clear();
  }

  Result<std::unique_ptr<Transaction>> BeginRead() const override { return Begin(false); }
  Result<std::unique_ptr<Transaction>> BeginWrite() override { return Begin(true); }
  StoreKind kind() const override { return kind_; }
  std::string_view backend() const override { return "postgresql"; }

  Result<int> ModuleVersion(std::string_view module) const override {
    return InReadTransaction(*this, [&](Transaction& t) -> Result<int> {
      auto& tx = sql::Of(t);
      auto exists = tx.QueryInt(
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
          "AND table_name = 'corridor_modules'");
      if (!exists) return Fail(exists.error());
      if (exists->value_or(0) == 0) return 0;
      auto v = tx.QueryInt("SELECT version FROM corridor_modules WHERE module = ?", module);
      if (!v) return Fail(v.error());
      return static_cast<int>(v->value_or(0));
    });
  }

  Result<std::unique_ptr<pqxx::connection>> Acquire() const {
    {
      const std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
    }
    try {
      return std::make_unique<pqxx::connection>(location_);
    } catch (const std::exception& e) {
      Error err = MapError(e, "connect to " + RedactLocation(location_));
      err.code = ErrorCode::kUnavailable;
      return Fail(std::move(err));
    }
  }

  void Release(std::unique_ptr<pqxx::connection> conn) const {
    if (!conn || !conn->is_open()) return;
    const std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(conn));
  }

 private:
  Result<std::unique_ptr<Transaction>> Begin(bool writable) const {
    auto conn = Acquire();
    if (!conn) return Fail(conn.error());
    auto tx = std::make_unique<PgTx>(*this, std::move(*conn), writable);
    if (auto r = tx->Start(); !r) return Fail(r.error());
    return std::unique_ptr<Transaction>(std::move(tx));
  }

  const std::string location_;
  const StoreKind kind_;
  mutable std::mutex mu_;  // guards idle_
  mutable std::vector<std::unique_ptr<pqxx::connection>> idle_;
};

PgTx::~PgTx() {
  tx_.reset();  // rolls back an uncommitted transaction
  db_.Release(std::move(conn_));
}

Result<void> PgTx::Start() {
  try {
    if (writable_) {
      tx_ = std::make_unique<pqxx::work>(*conn_);
      tx_->exec("SET LOCAL lock_timeout = '" + std::to_string(kLockTimeoutMs) + "ms'");
      tx_->exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLockKey) + ")");
    } else {
      tx_ = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(*conn_);
    }
    return {};
  } catch (const std::exception& e) {
    tx_.reset();
    return Fail(MapError(e, writable_ ? "begin a write transaction" : "begin a read transaction"));
  }
}

// The database name in the path of a URI, and the URI with it replaced.
struct UriParts {
  std::string before;  // "postgresql://host:port/"
  std::string name;
  std::string after;  // "?host=/tmp/...&user=..."
};

UriParts SplitUri(std::string_view location) {
  const std::size_t scheme = location.find("://");
  const std::size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  std::size_t slash = location.find_first_of("/?", authority);
  if (slash == std::string_view::npos) return {std::string(location) + "/", "", ""};
  if (location[slash] == '?') {
    return {std::string(location.substr(0, slash)) + "/", "", std::string(location.substr(slash))};
  }
  const std::size_t query = location.find('?', slash);
  const std::size_t end = query == std::string_view::npos ? location.size() : query;
  return {std::string(location.substr(0, slash + 1)),
          std::string(location.substr(slash + 1, end - slash - 1)),
          std::string(location.substr(end))};
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<void> CreateDatabase(const std::string& location) {
  const UriParts uri = SplitUri(location);
  if (!ValidName(uri.name)) {
    return Fail(ErrorCode::kInvalidArgument,
                RedactLocation(location) +
                    ": to create a database, name it in the URI's path with letters, digits, _ "
                    "or - (at most 63)");
  }
  try {
    pqxx::connection admin(uri.before + "postgres" + uri.after);
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + admin.quote_name(uri.name) +
            " ENCODING 'UTF8' TEMPLATE template0");
    return {};
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "42P04") return {};  // created meanwhile by another process
    Error err = MapError(e, "create database " + uri.name);
    if (e.sqlstate() == "42501") {
      err.code = ErrorCode::kUnavailable;
      err.message += " (the role needs CREATEDB, or create the database once as its owner)";
    }
    return Fail(std::move(err));
  } catch (const std::exception& e) {
    Error err = MapError(e, "create database " + uri.name);
    err.code = ErrorCode::kUnavailable;
    return Fail(std::move(err));
  }
}

bool IsMissingDatabase(const std::exception& e) {
  const std::string what = e.what();
  return what.find("database \"") != std::string::npos &&
         what.find("does not exist") != std::string::npos;
}

}  // namespace

bool IsPostgresqlLocation(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string NumberPlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or a quoted identifier; '' and "" stay inside
      const std::size_t close = sql.find(c, i + 1);
      const std::size_t end = close == std::string_view::npos ? sql.size() : close + 1;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t nl = sql.find('\n', i);
      const std::size_t end = nl == std::string_view::npos ? sql.size() : nl;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t close = sql.find("*/", i + 2);
      const std::size_t end = close == std::string_view::npos ? sql.size() : close + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  if (count != nullptr) *count = n;
  return out;
}

std::string RedactLocation(std::string_view location) {
  std::string out(location);
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t at = out.find('@', scheme + 3);
    const std::size_t path = out.find_first_of("/?", scheme + 3);
    if (at != std::string::npos && (path == std::string::npos || at < path)) {
      const std::size_t colon = out.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (std::size_t p = out.find("password="); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    const std::size_t end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
  }
  return out;
}

Result<std::unique_ptr<Database>> Open(const std::string& location, StoreKind kind, bool create) {
  const std::string shown = RedactLocation(location);
  std::unique_ptr<pqxx::connection> conn;
  for (int attempt = 0; attempt < 2 && !conn; ++attempt) {
    try {
      conn = std::make_unique<pqxx::connection>(location);
    } catch (const std::exception& e) {
      if (attempt == 0 && IsMissingDatabase(e)) {
        if (!create) return Fail(ErrorCode::kNotFound, "no store at " + shown);
        if (auto r = CreateDatabase(location); !r) return Fail(r.error());
        continue;
      }
      Error err = MapError(e, "connect to " + shown);
      err.code = ErrorCode::kUnavailable;
      return Fail(std::move(err));
    }
  }
  // A database that holds another application's tables is not ours to claim.
  try {
    pqxx::read_transaction tx(*conn);
    const pqxx::row counts = tx.exec1(
        "SELECT count(*), count(*) FILTER (WHERE table_name = 'corridor_meta'), current_schema() "
        "FROM information_schema.tables WHERE table_schema = current_schema()");
    const auto tables = counts[0].as<std::int64_t>();
    const auto meta = counts[1].as<std::int64_t>();
    if (tables > 0 && meta == 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  shown + ": not a Corridor store (schema " + counts[2].as<std::string>() +
                      " holds " + std::to_string(tables) + " tables of another application)");
    }
  } catch (const std::exception& e) {
    return Fail(MapError(e, "inspect " + shown));
  }
  auto db = std::make_unique<PgDatabase>(location, kind);
  db->Release(std::move(conn));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace corridor::store::postgresql
