#include "store/json_columns.h"

#include <nlohmann/json.hpp>

#include "corridor/common/json_get.h"

namespace corridor::store {

using nlohmann::json;

std::string ListText(const std::vector<std::string>& v) { return json(v).dump(); }

std::vector<std::string> ReadList(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

std::string DistributionText(const model::Distribution& d) {
  return json{
      {"users", d.users}, {"organisations", d.organisations}, {"trust_group", d.trust_group}}
      .dump();
}

model::Distribution ReadDistribution(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  model::Distribution d;
  if (!j.is_object()) return d;
  d.users = ReadList(ArrayOr(j, "users").dump());
  d.organisations = ReadList(ArrayOr(j, "organisations").dump());
  d.trust_group = StringOr(j, "trust_group");
  return d;
}

model::Marking ReadMarking(const sql::Row& r, int first) {
  model::Marking m;
  m.tlp = model::ParseTlp(r.Text(first)).value_or(model::Tlp::kRed);
  m.distribution = ReadDistribution(r.Text(first + 1));
  m.author = r.Text(first + 2);
  m.author_org = r.Text(first + 3);
  return m;
}

std::string SelectMarked(const char* columns, const char* table) {
  return std::string("SELECT ") + columns + kMarkingColumns + " FROM " + table;
}

std::string InsertMarked(const char* columns, const char* table) {
  const std::string list = std::string(columns) + kMarkingColumns;
  std::string values = "?";
  for (char c : list) {
    if (c == ',') values += ", ?";
  }
  return std::string("INSERT INTO ") + table + " (" + list + ") VALUES (" + values + ")";
}

Result<void> CheckLimit(int limit, int max) {
  if (limit >= 1 && limit <= max) return {};
  return Fail(ErrorCode::kInvalidArgument, "limit: expected 1 to " + std::to_string(max));
}

Result<void> Inserted(Result<std::int64_t> r, const std::string& what) {
  if (r) return {};
  Error e = r.error();
  if (e.code == ErrorCode::kConflict) e.message = what + " exists";
  return Fail(std::move(e));
}

Result<void> RequireRow(sql::Tx& tx, const char* table, const std::string& id,
                        const std::string& what) {
  auto n = tx.QueryInt(std::string("SELECT count(*) FROM ") + table + " WHERE id = ?", id);
  if (!n) return Fail(n.error());
  if (n->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no " + what + " " + id);
  return {};
}

Result<void> RequireRowOf(sql::Tx& tx, const char* table, const std::string& id,
                          const std::string& committee_id, const std::string& what) {
  auto n = tx.QueryInt(
      std::string("SELECT count(*) FROM ") + table + " WHERE id = ? AND committee_id = ?", id,
      committee_id);
  if (!n) return Fail(n.error());
  if (n->value_or(0) == 0) {
    return Fail(ErrorCode::kNotFound, "no " + what + " " + id + " in committee " + committee_id);
  }
  return {};
}

}  // namespace corridor::store
