// store::OpenDatabase: picks the backend from the location, checks the
// store's kind and applies the modules' migrations.
#include <string>

#include "store/sql/postgresql_database.h"
#include "store/sql/sql.h"
#include "store/sql/sqlite_database.h"

namespace corridor::store {
namespace {

// PRAGMA application_id of each kind of SQLite store: "Corr" (security; also
// written by the security store's own first migration) and "CorP" (public).
constexpr std::int64_t kSecurityApplicationId = 0x436f7272;
constexpr std::int64_t kPublicApplicationId = 0x436f7250;

Result<void> CheckSqliteHeader(sqlite::Connection& conn, StoreKind kind, const std::string& path) {
  auto app_id = conn.QueryInt("PRAGMA application_id");
  if (!app_id) {
    Error e = app_id.error();
    if (e.code != ErrorCode::kUnavailable) {
      e.code = ErrorCode::kInvalidArgument;
      e.message = path + ": not a Corridor store (" + e.message + ")";
    }
    return Fail(std::move(e));
  }
  auto objects = conn.QueryInt("SELECT count(*) FROM sqlite_schema");
  if (!objects) return Fail(objects.error());
  const std::int64_t id = app_id->value_or(0);
  const std::int64_t want =
      kind == StoreKind::kSecurity ? kSecurityApplicationId : kPublicApplicationId;
  if (id == 0 && objects->value_or(0) == 0) {  // new and empty: claim it
    return conn.Exec("PRAGMA application_id = " + std::to_string(want));
  }
  if (id == want) return {};
  if (id == kSecurityApplicationId || id == kPublicApplicationId) {
    const std::string have = id == kSecurityApplicationId ? "security" : "public";
    return Fail(ErrorCode::kInvalidArgument, path + " is a " + have +
                                                 "-side store; it cannot be opened as a " +
                                                 std::string(StoreKindName(kind)) +
                                                 "-side store (the two sides never share a store)");
  }
  return Fail(ErrorCode::kInvalidArgument,
              path +
                  ": not a Corridor store (the SQLite database belongs to another "
                  "application, application_id " +
                  std::to_string(id) + ")");
}

}  // namespace

std::string DisplayLocation(std::string_view location) {
  return postgresql::RedactLocation(location);
}

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& location, StoreKind kind,
                                               const std::vector<Module>& modules,
                                               const DatabaseOptions& options) {
  if (postgresql::IsPostgresqlLocation(location)) {
    auto db = postgresql::Open(location, kind, options.create);
    if (!db) return Fail(db.error());
    const std::string shown = postgresql::RedactLocation(location);
    if (auto ok = sql::CheckKind(**db, kind, shown); !ok) return Fail(ok.error());
    for (const Module& m : modules) {
      if (auto ok = sql::MigrateModule(**db, m); !ok) return Fail(ok.error());
    }
    return db;
  }
  std::string path = location;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.empty()) return Fail(ErrorCode::kInvalidArgument, "empty store location");
  auto db = sqlite::SqliteDatabase::Open(path, kind, options.create);
  if (!db) return Fail(db.error());
  {
    // The header check runs on a connection of its own before any transaction.
    auto conn = sqlite::Connection::Open(path, SQLITE_OPEN_READWRITE);
    if (!conn) return Fail(conn.error());
    if (auto ok = CheckSqliteHeader(**conn, kind, path); !ok) return Fail(ok.error());
  }
  if (auto ok = sql::CheckKind(**db, kind, path); !ok) return Fail(ok.error());
  for (const Module& m : modules) {
    if (auto ok = sql::MigrateModule(**db, m); !ok) return Fail(ok.error());
  }
  return std::unique_ptr<Database>(std::move(*db));
}

}  // namespace corridor::store
