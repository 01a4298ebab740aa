// Module migrations and the store-kind check, written once over sql::Tx so
// that every backend runs the same sequence.
#include <string>

#include "corridor/common/date.h"
#include "store/sql/sql.h"

namespace corridor::store {

std::string_view StoreKindName(StoreKind kind) {
  return kind == StoreKind::kSecurity ? "security" : "public";
}

}  // namespace corridor::store

namespace corridor::store::sql {
namespace {

constexpr std::string_view kBookkeeping =
    "CREATE TABLE IF NOT EXISTS corridor_modules (module TEXT PRIMARY KEY NOT NULL, "
    "version INTEGER NOT NULL, applied_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS corridor_meta (key TEXT PRIMARY KEY NOT NULL, "
    "value TEXT NOT NULL);";

}  // namespace

Result<void> CheckKind(Database& db, StoreKind kind, const std::string& location) {
  return InWriteTransaction(db, [&](Transaction& t) -> Result<void> {
    Tx& tx = Of(t);
    if (auto r = tx.Script(kBookkeeping); !r) return r;
    auto recorded = tx.QueryOne("SELECT value FROM corridor_meta WHERE key = 'kind'",
                                [](const Row& r) { return r.Text(0); });
    if (!recorded) return Fail(recorded.error());
    const std::string want(StoreKindName(kind));
    if (!*recorded) {
      auto put = tx.Exec("INSERT INTO corridor_meta (key, value) VALUES ('kind', ?)", want);
      if (!put) return Fail(put.error());
      return {};
    }
    if (**recorded != want) {
      return Fail(ErrorCode::kInvalidArgument,
                  location + " is a " + **recorded + "-side store; it cannot be opened as a " +
                      want + "-side store (the two sides never share a store)");
    }
    return {};
  });
}

Result<void> MigrateModule(Database& db, const Module& module) {
  int newest = 0;
  for (const Migration& m : module.migrations) newest = std::max(newest, m.version);
  for (const Migration& m : module.migrations) {
    auto applied = InWriteTransaction(db, [&](Transaction& t) -> Result<bool> {
      Tx& tx = Of(t);
      if (auto r = tx.Script(kBookkeeping); !r) return Fail(r.error());
      auto current = tx.QueryInt("SELECT version FROM corridor_modules WHERE module = ?",
                                 module.name);
      if (!current) return Fail(current.error());
      const int have = static_cast<int>(current->value_or(0));
      if (have > newest) {
        return Fail(ErrorCode::kInvalidArgument,
                    "module " + module.name + " is at version " + std::to_string(have) +
                        ", newer than this build supports (" + std::to_string(newest) + ")");
      }
      if (have >= m.version) return false;
      const std::string& text =
          tx.dialect() == Dialect::kPostgresql && !m.postgresql.empty() ? m.postgresql : m.sql;
      if (auto r = tx.Script(text); !r) {
        Error e = r.error();
        e.message = "migration " + module.name + " " + std::to_string(m.version) + ": " + e.message;
        return Fail(std::move(e));
      }
      auto put = tx.Exec(
          "INSERT INTO corridor_modules (module, version, applied_at) VALUES (?, ?, ?) "
          "ON CONFLICT (module) DO UPDATE SET version = excluded.version, "
          "applied_at = excluded.applied_at",
          module.name, m.version, NowTimestamp());
      if (!put) return Fail(put.error());
      return true;
    });
    if (!applied) return Fail(applied.error());
  }
  return {};
}

}  // namespace corridor::store::sql
