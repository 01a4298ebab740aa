#include "corridor/store/store.h"

#include <filesystem>

#include "store/sqlite_store.h"

namespace corridor::store {

std::optional<GroupBy> ParseGroupBy(std::string_view name) {
  if (name == "admin1") return GroupBy::kAdmin1;
  if (name == "admin2") return GroupBy::kAdmin2;
  if (name == "year") return GroupBy::kYear;
  if (name == "month") return GroupBy::kMonth;
  if (name == "category") return GroupBy::kCategory;
  if (name == "dataset") return GroupBy::kDataset;
  return std::nullopt;
}

std::string_view IncidentOrderName(IncidentOrder order) {
  return kIncidentOrderNames[static_cast<std::size_t>(order)];
}

std::optional<IncidentOrder> ParseIncidentOrder(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kIncidentOrderNames); ++i) {
    if (kIncidentOrderNames[i] == name) return static_cast<IncidentOrder>(i);
  }
  return std::nullopt;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const OpenOptions& options) {
  constexpr std::string_view kSqlitePrefix = "sqlite:";
  std::string path = location;
  if (path.rfind(kSqlitePrefix, 0) == 0) path = path.substr(kSqlitePrefix.size());
  if (path.empty()) return Fail(ErrorCode::kInvalidArgument, "store location is empty");
  if (path.rfind("postgres://", 0) == 0 || path.rfind("postgresql://", 0) == 0) {
    return Fail(ErrorCode::kUnavailable,
                "the security store (incidents, accounts, audit, sync) runs on SQLite only so "
                "far; PostgreSQL carries the public store and the aggregates listed in "
                "docs/postgresql.md");
  }
  if (!options.create && !std::filesystem::exists(path)) {
    return Fail(ErrorCode::kNotFound, "no store at " + path + " (`corridor init` creates one)");
  }
  auto store = SqliteStore::Open(path);
  if (!store) {
    Error error = store.error();
    if (error.message.find(path) == std::string::npos) error.message = path + ": " + error.message;
    return Fail(std::move(error));
  }
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace corridor::store
