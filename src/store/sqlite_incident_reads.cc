
#include <algorithm>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"
#include "store/cursor.h"
#include "store/sqlite_query.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"

// Incidents read: one, a page, counts, aggregates, a scan.
namespace corridor::store {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the rows of this store
using sqlite::BindInt;
using sqlite::BindText;
using sqlite::ColumnText;
using sqlite::Connection;
using sqlite::Scope;

namespace {

// How a page order reads in SQL: ORDER BY, and the keyset condition "after
// the cursor" with its placeholders (key, key, date, date, id for a keyed
// order; date, date, id otherwise). Deaths without a figure take `unknown`,
// which sorts them last in either direction.
struct PageOrderSql {
  std::string order_by;
  std::string after;
  bool keyed = false;
  std::int64_t unknown = 0;
};

PageOrderSql PageOrderSqlOf(IncidentOrder order) {
  // Written so that the index range (date_start <= ?) is plain to the planner.
  constexpr const char* kNewestAfter = "(date_start < ? OR (date_start = ? AND id > ?))";
  switch (order) {
    case IncidentOrder::kNewest:
      return {"date_start DESC, id ASC", "date_start <= ? AND (date_start < ? OR id > ?)"};
    case IncidentOrder::kOldest:
      return {"date_start ASC, id ASC", "date_start >= ? AND (date_start > ? OR id > ?)"};
    case IncidentOrder::kMostDeaths: {
      const std::string key = "COALESCE(killed, -1)";
      return {key + " DESC, date_start DESC, id ASC",
              "(" + key + " < ? OR (" + key + " = ? AND " + kNewestAfter + "))", true, -1};
    }
    case IncidentOrder::kFewestDeaths: {
      const std::string key = "COALESCE(killed, 2147483647)";
      return {key + " ASC, date_start DESC, id ASC",
              "(" + key + " > ? OR (" + key + " = ? AND " + kNewestAfter + "))", true, 2147483647};
    }
  }
  return {"date_start DESC, id ASC", "date_start <= ? AND (date_start < ? OR id > ?)"};
}

// The column an area filter compares, from the area's level in the store; either
// column for a P-code the store does not hold (it matches what it matched before).
Result<sqlite::AreaColumn> AreaColumnOf(Connection& conn, const model::IncidentFilter& filter) {
  if (!filter.area) return sqlite::AreaColumn::kEither;
  auto stmt = conn.Prepare("SELECT level FROM areas WHERE pcode = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, *filter.area);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return sqlite::AreaColumn::kEither;
  if (rc != SQLITE_ROW) return Fail(conn.LastError(rc, "read the level of area " + *filter.area));
  switch (sqlite3_column_int(*stmt, 0)) {
    case 1:
      return sqlite::AreaColumn::kAdmin1;
    case 2:
      return sqlite::AreaColumn::kAdmin2;
    default:
      return sqlite::AreaColumn::kEither;
  }
}

// The WHERE clause of a query that reads incident rows in page order.
Result<sqlite::SqlWhere> RowWhere(Connection& conn, const model::IncidentFilter& filter,
                                  const Viewer& viewer) {
  auto column = AreaColumnOf(conn, filter);
  if (!column) return Fail(column.error());
  return sqlite::BuildWhere(filter, viewer, *column);
}

// The WHERE clause of a count or sum: a province is read from the covering
// index (it holds a large share of the rows), a district by its own index.
Result<sqlite::SqlWhere> AggregateWhere(Connection& conn, const model::IncidentFilter& filter,
                                        const Viewer& viewer) {
  auto column = AreaColumnOf(conn, filter);
  if (!column) return Fail(column.error());
  if (*column == sqlite::AreaColumn::kAdmin1) column = sqlite::AreaColumn::kAdmin1Scanned;
  return sqlite::BuildWhere(filter, viewer, *column);
}

}  // namespace

}  // namespace

Result<model::Incident> SqliteStore::GetIncident(const Viewer& viewer, const Uuid& id) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  sqlite::SqlWhere visible;
  sqlite::AppendVisibility(visible, viewer);
  auto stmt = (*conn)->Prepare("SELECT " + IncidentSelectList() + " FROM incidents WHERE id = ?" +
                               (visible.sql.empty() ? "" : " AND " + visible.sql));
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string key = id.str();
  BindText(*stmt, 1, key);
  sqlite::BindArgs(*stmt, visible.args, 2);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no incident " + key);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get incident " + key));
  return ReadIncident(*stmt);
}

Result<IncidentPage> SqliteStore::QueryIncidents(const Viewer& viewer,
                                                 const model::IncidentFilter& filter,
                                                 const PageRequest& page) const {
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    return Fail(ErrorCode::kInvalidArgument, "limit: must be between 1 and " +
                                                 std::to_string(kMaxPageLimit) + ", got " +
                                                 std::to_string(page.limit));
  }
  std::optional<CursorPosition> after;
  if (!page.cursor.empty()) {
    auto position = DecodeCursor(page.cursor, page.order);
    if (!position) return Fail(position.error());
    after = *position;
  }
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = RowWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  const PageOrderSql order = PageOrderSqlOf(page.order);
  std::string sql = "SELECT " + IncidentSelectList() + " FROM incidents WHERE " + where->sql;
  if (after) sql += " AND " + order.after;
  sql += " ORDER BY " + order.order_by + " LIMIT ?";
  auto stmt = (*conn)->Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  int i = sqlite::BindArgs(*stmt, where->args, 1);
  const std::string after_id = after ? after->id.str() : std::string();
  if (after && order.keyed) {
    sqlite3_bind_int64(*stmt, i++, after->key);
    sqlite3_bind_int64(*stmt, i++, after->key);
  }
  if (after) {
    BindInt(*stmt, i++, after->date_start);
    BindInt(*stmt, i++, after->date_start);
    BindText(*stmt, i++, after_id);
  }
  BindInt(*stmt, i++, page.limit + 1);  // one more tells whether a next page exists

  IncidentPage result;
  result.items.reserve(static_cast<std::size_t>(std::min(page.limit, 1000)));
  bool more = false;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "query incidents"));
    if (static_cast<int>(result.items.size()) == page.limit) {
      more = true;
      break;
    }
    auto inc = ReadIncident(*stmt);
    if (!inc) return Fail(inc.error());
    result.items.push_back(std::move(*inc));
  }
  if (more) {
    const model::Incident& last = result.items.back();
    result.next_cursor =
        EncodeCursor({page.order, order.keyed ? last.killed.value_or(order.unknown) : 0,
                      last.date_start.days(), last.id});
  }
  return result;
}

Result<std::int64_t> SqliteStore::CountIncidents(const Viewer& viewer,
                                                 const model::IncidentFilter& filter) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = AggregateWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  auto stmt = (*conn)->Prepare("SELECT count(*) FROM incidents WHERE " + where->sql);
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  const int rc = sqlite3_step(*stmt);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "count incidents"));
  return std::int64_t{sqlite3_column_int64(*stmt, 0)};
}

Result<std::vector<KeyCount>> SqliteStore::CountIncidentsBy(const Viewer& viewer,
                                                            const model::IncidentFilter& filter,
                                                            GroupBy by) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = AggregateWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + sqlite::GroupKeySql(by) +
                               " AS k, count(*) FROM incidents WHERE " + where->sql +
                               " GROUP BY k ORDER BY k");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  std::vector<KeyCount> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "count incidents by key"));
    out.push_back(KeyCount{ColumnText(*stmt, 0), sqlite3_column_int64(*stmt, 1)});
  }
  return out;
}

Result<std::vector<GridCategoryCount>> SqliteStore::AggregateIncidents(
    const Viewer& viewer, const model::IncidentFilter& filter, double cell_deg) const {
  if (!(cell_deg >= 0.01 && cell_deg <= 10)) {
    return Fail(ErrorCode::kInvalidArgument, "cell: expected degrees from 0.01 to 10");
  }
  if (filter.near) {
    return Fail(ErrorCode::kInvalidArgument, "near: not supported by grid aggregation");
  }
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = AggregateWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  // The rows are read from the covering index incidents_agg and summed here
  // in a hash map: SQLite's GROUP BY sorted every incident in a temporary
  // B-tree, most of the time of the web map's first request (issue 5).
  auto stmt = (*conn)->Prepare(
      "SELECT latitude, longitude, category, killed FROM incidents"
      " WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND (" +
      where->sql + ")");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  struct Sum {
    std::int64_t count = 0, killed = 0;
    double lat = 0, lon = 0;
  };
  std::vector<std::string> categories;  // a dozen at most: a linear search
  std::unordered_map<std::uint64_t, Sum> sums;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "aggregate incidents on a grid"));
    const double lat = sqlite3_column_double(*stmt, 0);
    const double lon = sqlite3_column_double(*stmt, 1);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(*stmt, 2));
    const std::string_view category(text ? text : "",
                                    static_cast<std::size_t>(sqlite3_column_bytes(*stmt, 2)));
    std::size_t k = 0;
    while (k < categories.size() && categories[k] != category) ++k;
    if (k == categories.size()) categories.emplace_back(category);
    // latitude + 90 and longitude + 180 are never negative: truncation is floor.
    const auto row = static_cast<std::uint64_t>(static_cast<std::int32_t>((lat + 90) / cell_deg));
    const auto col = static_cast<std::uint64_t>(static_cast<std::int32_t>((lon + 180) / cell_deg));
    Sum& sum = sums[(row << 40) | (col << 16) | k];
    ++sum.count;
    sum.killed += sqlite3_column_int64(*stmt, 3);  // NULL reads as 0
    sum.lat += lat;
    sum.lon += lon;
  }
  std::vector<GridCategoryCount> out;
  out.reserve(sums.size());
  for (const auto& [key, sum] : sums) {
    GridCategoryCount g;
    g.row = static_cast<std::int32_t>(key >> 40);
    g.col = static_cast<std::int32_t>((key >> 16) & 0xffffff);
    g.category = categories[key & 0xffff];
    g.count = sum.count;
    g.killed = sum.killed;
    g.mean_lat = sum.lat / static_cast<double>(sum.count);
    g.mean_lon = sum.lon / static_cast<double>(sum.count);
    out.push_back(std::move(g));
  }
  std::sort(out.begin(), out.end(), [](const GridCategoryCount& a, const GridCategoryCount& b) {
    return std::tie(a.row, a.col, a.category) < std::tie(b.row, b.col, b.category);
  });
  return out;
}

Result<std::vector<MonthTotal>> SqliteStore::MonthlyTotals(
    const Viewer& viewer, const model::IncidentFilter& filter) const {
  if (filter.near) {
    return Fail(ErrorCode::kInvalidArgument, "near: not supported by monthly totals");
  }
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = AggregateWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  // Grouped by day (an integer, read from the covering index incidents_agg)
  // and folded into months here: strftime on every row cost several times the
  // scan itself.
  auto stmt = (*conn)->Prepare(
      "SELECT date_start, count(*), coalesce(sum(killed), 0) FROM incidents WHERE " + where->sql +
      " GROUP BY date_start ORDER BY date_start");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  std::vector<MonthTotal> out;
  int last_year = 0, last_month = 0;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "monthly totals"));
    const Date day(static_cast<std::int32_t>(sqlite3_column_int64(*stmt, 0)));
    const int y = day.year(), m = day.month();
    if (out.empty() || y != last_year || m != last_month) {
      out.push_back(MonthTotal{day.iso().substr(0, 7), 0, 0});
      last_year = y;
      last_month = m;
    }
    out.back().count += sqlite3_column_int64(*stmt, 1);
    out.back().killed += sqlite3_column_int64(*stmt, 2);
  }
  return out;
}

Result<void> SqliteStore::ForEachIncident(
    const Viewer& viewer, const model::IncidentFilter& filter,
    const std::function<bool(const model::Incident&)>& fn) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = RowWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  auto stmt = (*conn)->Prepare("SELECT " + IncidentSelectList() + " FROM incidents WHERE " +
                               where->sql + " ORDER BY date_start DESC, id ASC");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "stream incidents"));
    auto inc = ReadIncident(*stmt);
    if (!inc) return Fail(inc.error());
    if (!fn(*inc)) break;
  }
  return {};
}

Result<std::int64_t> SqliteStore::IncidentCount() const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  // max(rowid) is O(log n) and an upper bound; the exact count is what load
  // planning wants, and count(*) on the smallest index is fast enough.
  auto n = (*conn)->QueryInt("SELECT count(*) FROM incidents");
  if (!n) return Fail(n.error());
  return n->value_or(0);
}

Result<std::optional<Date>> SqliteStore::LatestIncidentDate(const Viewer& viewer) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  sqlite::SqlWhere visible;
  sqlite::AppendVisibility(visible, viewer);
  auto stmt = (*conn)->Prepare("SELECT max(date_end) FROM incidents WHERE revoked = 0" +
                               (visible.sql.empty() ? std::string() : " AND " + visible.sql));
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, visible.args, 1);
  const int rc = sqlite3_step(*stmt);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "latest incident date"));
  if (sqlite3_column_type(*stmt, 0) == SQLITE_NULL) return std::optional<Date>();
  return std::optional<Date>(Date(static_cast<std::int32_t>(sqlite3_column_int64(*stmt, 0))));
}

}  // namespace corridor::store
