// Columns the aggregate stores keep as JSON text (lists, distributions) and
// the four marking columns "tlp, distribution, author, author_org" that end
// their column lists. Private to src/store.
#pragma once

#include <string>
#include <vector>

#include "corridor/model/security.h"
#include "store/sql/sql.h"

namespace corridor::store {

inline constexpr const char* kMarkingColumns = "tlp, distribution, author, author_org";

std::string ListText(const std::vector<std::string>& v);
// An unreadable value reads as an empty list.
std::vector<std::string> ReadList(const std::string& text);
std::string DistributionText(const model::Distribution& d);
model::Distribution ReadDistribution(const std::string& text);
// The marking in columns first..first+3. An unreadable TLP reads as the
// strictest, never as looser than stored.
model::Marking ReadMarking(const sql::Row& r, int first);

// "SELECT <columns>tlp, distribution, author, author_org FROM <table>";
// `columns` ends in ", ".
std::string SelectMarked(const char* columns, const char* table);
// "INSERT INTO <table> (<columns>tlp, …) VALUES (?, …)", one placeholder per
// column, for the values in that order.
std::string InsertMarked(const char* columns, const char* table);

// kInvalidArgument "limit: expected 1 to <max>" outside 1..max.
Result<void> CheckLimit(int limit, int max = 10000);

// An insert's result, with a duplicate key reported as "<what> exists".
Result<void> Inserted(Result<std::int64_t> r, const std::string& what);
// kNotFound "no <what> <id>" unless `table` has a row with that id.
Result<void> RequireRow(sql::Tx& tx, const char* table, const std::string& id,
                        const std::string& what);
// The same for a row that must also belong to committee `committee_id`: a
// decision's meeting, an action's decision (kNotFound "no <what> <id> in
// committee <committee_id>" otherwise).
Result<void> RequireRowOf(sql::Tx& tx, const char* table, const std::string& id,
                          const std::string& committee_id, const std::string& what);

}  // namespace corridor::store
