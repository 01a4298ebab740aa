#include "api/params.h"

#include <charconv>
#include <cmath>
#include <map>

namespace corridor::api {

Result<std::optional<std::string>> ParamReader::Get(std::string_view name) {
  known_.insert(std::string(name));
  std::optional<std::string> value;
  for (const auto& [k, v] : request_.query) {
    if (k != name) continue;
    if (value) return Fail(ErrorCode::kInvalidArgument, std::string(name) + ": given more than once");
    value = v;
  }
  return value;
}

Result<void> ParamReader::CheckAllKnown() const {
  for (const auto& [k, v] : request_.query) {
    if (known_.find(k) == known_.end()) {
      std::string names;
      for (const auto& n : known_) names += (names.empty() ? "" : ", ") + n;
      return Fail(ErrorCode::kInvalidArgument,
                  k + ": unknown parameter" + (names.empty() ? "" : " (known: " + names + ")"));
    }
  }
  return {};
}

Result<model::IncidentFilter> ReadFilter(ParamReader& reader) {
  model::IncidentFilter filter;
  for (const auto name : model::FilterFieldNames()) {
    auto value = reader.Get(name);
    if (!value) return Fail(value.error());
    if (!*value) continue;
    if (auto ok = model::ParseFilterField(filter, name, **value); !ok) return Fail(ok.error());
  }
  if (auto ok = model::ValidateFilter(filter); !ok) return Fail(ok.error());
  return filter;
}

Result<store::PageRequest> ReadPage(ParamReader& reader, int default_limit, int max_limit) {
  store::PageRequest page;
  page.limit = default_limit;
  auto limit = reader.Get("limit");
  if (!limit) return Fail(limit.error());
  if (*limit) {
    const std::string& text = **limit;
    int value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > max_limit) {
      return Fail(ErrorCode::kInvalidArgument, "limit: expected an integer from 1 to " +
                                                   std::to_string(max_limit) + ", got '" + text + "'");
    }
    page.limit = value;
  }
  auto cursor = reader.Get("cursor");
  if (!cursor) return Fail(cursor.error());
  if (*cursor) page.cursor = **cursor;
  return page;
}

Result<std::optional<double>> ReadNumber(ParamReader& reader, std::string_view name) {
  auto text = reader.Get(name);
  if (!text) return Fail(text.error());
  if (!*text) return std::optional<double>();
  double v = 0;
  const std::string& t = **text;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v)) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(name) + ": expected a number, got '" + t + "'");
  }
  return std::optional<double>(v);
}

}  // namespace corridor::api
