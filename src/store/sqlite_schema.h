// The SQLite store's schema: identification (PRAGMA application_id), the
// versioned migration list (PRAGMA user_version) and the checks that refuse
// files that are not Corridor stores. docs/schema.md explains each table.
#pragma once

#include <vector>

#include "corridor/common/result.h"
#include "store/sqlite_db.h"

namespace corridor::store::sqlite {

// "Corr" in ASCII: written to the database header by the first migration.
inline constexpr int kApplicationId = 0x436f7272;
// "CorP": the public side's store (store::OpenDatabase with StoreKind::kPublic).
inline constexpr int kPublicApplicationId = 0x436f7250;

// The newest schema version this build knows (the last migration's number).
int LatestSchemaVersion();
// The version numbers of every migration, ascending (numbers may have gaps: a
// migration another branch reserved and has not merged yet).
std::vector<int> MigrationVersions();

// Statements that apply the queued incident text changes to incidents_fts
// and empty the queue. Every transaction that inserts or updates incidents
// runs them before COMMIT, so the text index commits with the rows.
const char* FlushFtsQueueSql();

// The secondary indexes of `incidents` that a bulk load may drop: the one
// list (name, columns) that the statements below and the check at open are
// derived from, so adding an index cannot leave the check counting the old
// ones (issue 12 #11). StoreSchemaTest checks it against a fresh migration.
struct IndexDef {
  const char* name;
  const char* columns;  // "(date_start DESC, id)"
};
const std::vector<IndexDef>& IncidentIndexes();
// Statements that drop them, and idempotent statements that (re)create them.
std::string DropIncidentIndexesSql();
std::string CreateIncidentIndexesSql();
// The names in IncidentIndexes() that the open database lacks.
Result<std::vector<std::string>> MissingIncidentIndexes(Connection& conn);

// Reads the header of the open database and returns its schema version
// (0 for a new, empty file). kInvalidArgument when the file is not an SQLite
// database, belongs to another application, or has a newer schema version.
Result<int> CheckCorridorDatabase(Connection& conn);

// Applies every migration not yet recorded in schema_migrations, in order of
// number, each in its own IMMEDIATE transaction (so concurrent openers apply
// each migration once); user_version becomes the largest number applied. A
// number skipped earlier (reserved by parallel work, merged later) is applied
// when it appears.
// Returns the schema version afterwards. `target` stops at an older version
// (tests of upgrades). REQUIRES: CheckCorridorDatabase passed.
Result<int> Migrate(Connection& conn, int target = LatestSchemaVersion());

}  // namespace corridor::store::sqlite
