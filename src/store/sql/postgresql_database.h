// The PostgreSQL backend of store::Database (include/corridor/store/database.h),
// through libpqxx 6.4: a pool of connections, a read transaction per
// REPEATABLE READ READ ONLY snapshot, and write transactions serialised by a
// transaction-scoped advisory lock, so that the aggregates' read-then-write
// steps (claim a job, compare-and-set a marking) behave as on SQLite's one
// writer. Private to src/store.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "corridor/store/database.h"

namespace corridor::store::postgresql {

// True when `location` names a PostgreSQL database ("postgresql://" or
// "postgres://" URI, libpq's form).
bool IsPostgresqlLocation(std::string_view location);

// `sql` with each `?` placeholder outside quotes and comments numbered `$1`,
// `$2`, ... (PostgreSQL's form). Text inside '...', "...", -- and /* */ is
// copied unchanged. `count` (when given) receives the number of placeholders.
std::string NumberPlaceholders(std::string_view sql, int* count = nullptr);

// The location with any password in it replaced by "***" (for messages).
std::string RedactLocation(std::string_view location);

// Opens the database at the URI `location`. When it does not exist and
// `create`, creates it first through the server's "postgres" database (the
// role needs CREATEDB; the error says so when it lacks it). Checks that the
// database is empty or a Corridor store (a database with tables of another
// application is kInvalidArgument); the kind check and migrations are
// OpenDatabase's. kNotFound when it does not exist and !create; kUnavailable
// when the server cannot be reached.
Result<std::unique_ptr<Database>> Open(const std::string& location, StoreKind kind, bool create);

}  // namespace corridor::store::postgresql
