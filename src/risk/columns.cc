#include "corridor/risk/columns.h"

#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

namespace corridor::risk {
namespace {

// Transparent hashing so that lookups by the incident's string do not copy it.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using CodeMap = std::unordered_map<std::string, std::int16_t, StringHash, std::equal_to<>>;

std::int16_t Intern(const std::string& code, CodeMap& map, std::vector<std::string>& codes) {
  if (code.empty()) return kNoArea;
  if (auto it = map.find(std::string_view(code)); it != map.end()) return it->second;
  const auto id = static_cast<std::int16_t>(codes.size());
  codes.push_back(code);
  map.emplace(code, id);
  return id;
}

}  // namespace

Result<IncidentColumns> LoadIncidentColumns(const store::Store& store, const std::string& dataset) {
  if (dataset.empty()) return Fail(ErrorCode::kInvalidArgument, "dataset: required");
  IncidentColumns c;
  c.dataset = dataset;
  model::IncidentFilter filter;
  filter.dataset = dataset;
  auto count = store.CountIncidents(store::Viewer{}, filter);
  if (!count) return Fail(count.error());
  const auto n = static_cast<std::size_t>(*count);
  for (auto* v : {&c.day, &c.day_end}) v->reserve(n);
  c.lat.reserve(n);
  c.lon.reserve(n);
  for (auto* v : {&c.killed, &c.wounded, &c.hostages}) v->reserve(n);
  c.property_band.reserve(n);
  c.violence_type.reserve(n);
  c.location_precision.reserve(n);
  c.province.reserve(n);
  c.district.reserve(n);
  CodeMap provinces, districts;
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  auto ok = store.ForEachIncident(store::Viewer{}, filter, [&](const model::Incident& i) {
    c.day.push_back(i.date_start.days());
    c.day_end.push_back(i.date_end.days());
    c.lat.push_back(i.latitude.value_or(kNan));
    c.lon.push_back(i.longitude.value_or(kNan));
    c.killed.push_back(static_cast<float>(i.killed.value_or(0)));
    c.wounded.push_back(static_cast<float>(i.wounded.value_or(0)));
    c.hostages.push_back(static_cast<float>(i.hostages.value_or(0)));
    const int band = i.property_damage.value_or(0);
    c.property_band.push_back(static_cast<std::int8_t>(band < 0 || band > 3 ? 0 : band));
    c.violence_type.push_back(static_cast<std::int8_t>(i.violence_type));
    c.location_precision.push_back(static_cast<std::int8_t>(i.location_precision));
    c.province.push_back(Intern(i.admin1, provinces, c.province_codes));
    c.district.push_back(Intern(i.admin2, districts, c.district_codes));
    if (!c.latest || i.date_end > *c.latest) c.latest = i.date_end;
    return true;
  });
  if (!ok) return Fail(ok.error());
  return c;
}

}  // namespace corridor::risk
