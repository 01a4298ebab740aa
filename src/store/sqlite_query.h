// Translates model::IncidentFilter into an SQLite WHERE clause with bound
// parameters (user text is never spliced into SQL or FTS syntax).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/filter.h"
#include "corridor/store/store.h"

namespace corridor::store::sqlite {

using SqlArg = std::variant<std::int64_t, double, std::string>;

struct SqlWhere {
  std::string sql;           // a boolean expression over the incidents table, "?" placeholders
  std::vector<SqlArg> args;  // in placeholder order
};

// Which column an `area` filter compares. kEither matches a P-code of either
// level; a known level names one column, so a page of one area is a walk of
// that column's index in page order (incidents_admin1/2) rather than a read
// and sort of every incident of the area.
// kAdmin1Scanned compares admin1 without its index, so an aggregate reads the
// covering index incidents_agg instead of looking up each row of a province
// (up to three quarters of the incidents): 15 -> 3.5 ms for one province's
// monthly totals over 5,934 incidents.
enum class AreaColumn { kEither, kAdmin1, kAdmin1Scanned, kAdmin2 };

// kInvalidArgument for a filter ValidateFilter rejects or a near radius <= 0.
// The clause includes what `viewer` may see (AppendVisibility).
Result<SqlWhere> BuildWhere(const model::IncidentFilter& filter, const Viewer& viewer,
                            AreaColumn area_column = AreaColumn::kEither);

// ANDs the visibility rule of `viewer` onto `where` (nothing for the system viewer).
void AppendVisibility(SqlWhere& where, const Viewer& viewer);

// An FTS5 query that matches rows containing every whitespace-separated word
// of `text`, each as a quoted string (FTS operators and quotes lose their
// meaning). "" when `text` has no words.
std::string FtsMatchExpression(std::string_view text);

// The SQL expression of a CountIncidentsBy key.
const char* GroupKeySql(GroupBy by);

// Binds `args` from parameter index `first`; returns the next free index.
// Strings are bound SQLITE_STATIC: `args` must outlive the statement's use.
int BindArgs(sqlite3_stmt* stmt, const std::vector<SqlArg>& args, int first);

}  // namespace corridor::store::sqlite
