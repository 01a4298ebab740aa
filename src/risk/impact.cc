#include "corridor/risk/impact.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include "corridor/common/strings.h"
#include "corridor/ingest/csv_reader.h"

namespace corridor::risk {

ImpactWeights Gti2022Weights() { return ImpactWeights{}; }

ImpactWeights GtdEraWeights() {
  ImpactWeights w;
  w.hostages = 0;
  w.property_band = {0, 1, 2, 3};
  return w;
}

Result<ImpactWeights> ParseWeightsPreset(std::string_view name) {
  if (name == "gti-2022") return Gti2022Weights();
  if (name == "gtd-era") return GtdEraWeights();
  return Fail(ErrorCode::kInvalidArgument,
              "weights: expected gti-2022 or gtd-era, got '" + std::string(name) + "'");
}

double IncidentWeight(const ImpactWeights& weights, double killed, double wounded, double hostages,
                      int property_band) {
  const int band = std::clamp(property_band, 0, 3);
  return weights.incident + weights.killed * killed + weights.wounded * wounded +
         weights.hostages * hostages + weights.property_band[static_cast<std::size_t>(band)];
}

double FiveYearWeighted(std::span<const double, 5> a) {
  return (16.0 * a[0] + 8.0 * a[1] + 4.0 * a[2] + 2.0 * a[3] + a[4]) / 31.0;
}

void ScoreAndRank(std::vector<IndexRow>& rows) {
  double m = 0;
  for (const auto& r : rows) m = std::max(m, r.w);
  std::vector<double> ws;
  ws.reserve(rows.size());
  for (const auto& r : rows) ws.push_back(r.w);
  std::sort(ws.begin(), ws.end(), std::greater<>());
  const double log_m = std::log1p(m);
  for (auto& r : rows) {
    r.score = m > 0 ? 10.0 * std::log1p(r.w) / log_m : 0.0;
    // Areas with a strictly larger w come first in the descending order.
    const auto larger = std::lower_bound(ws.begin(), ws.end(), r.w, std::greater<>()) - ws.begin();
    r.rank = 1 + static_cast<int>(larger);
  }
  std::sort(rows.begin(), rows.end(), [](const IndexRow& a, const IndexRow& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.name != b.name) return a.name < b.name;
    return a.code < b.code;
  });
}

// ---- countries

bool IsOwidAggregateEntity(std::string_view entity) {
  static const std::set<std::string_view> kAggregates = {"World",
                                                         "International",
                                                         "North America",
                                                         "South America",
                                                         "Central America & Caribbean",
                                                         "Western Europe",
                                                         "Eastern Europe",
                                                         "Middle East & North Africa",
                                                         "Sub-Saharan Africa",
                                                         "South Asia",
                                                         "Central Asia",
                                                         "East Asia",
                                                         "Southeast Asia",
                                                         "Australasia & Oceania"};
  return kAggregates.contains(entity);
}

namespace {

Result<double> ParseNumber(const std::string& text, const std::string& where) {
  const std::string_view t = Trim(text);
  if (t.empty()) return 0.0;  // an empty cell is no event of that kind
  char* end = nullptr;
  const std::string s(t);
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v) || v < 0) {
    return Fail(ErrorCode::kInvalidArgument, where + ": expected a number >= 0, got '" + s + "'");
  }
  return v;
}

}  // namespace

Result<std::vector<CountryYear>> ReadOwidAggregates(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kUnavailable, path + ": cannot open");
  ingest::CsvReader reader(in, path);
  ingest::CsvRecord record;
  auto header = reader.Next(record);
  if (!header) return Fail(header.error());
  if (!*header) return Fail(ErrorCode::kInvalidArgument, path + ": empty file");
  const char* kColumns[] = {"entity", "year", "terrorist_incidents", "terrorism_fatalities",
                            "terrorism_injuries"};
  int index[5];
  for (int c = 0; c < 5; ++c) {
    const auto it = std::find_if(record.fields.begin(), record.fields.end(),
                                 [&](const std::string& f) { return Trim(f) == kColumns[c]; });
    if (it == record.fields.end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  path + ":1: missing column '" + std::string(kColumns[c]) + "'");
    }
    index[c] = static_cast<int>(it - record.fields.begin());
  }
  std::vector<CountryYear> out;
  while (true) {
    auto next = reader.Next(record);
    if (!next) return Fail(next.error());
    if (!*next) break;
    const std::string at = path + ":" + std::to_string(record.line);
    auto field = [&](int c) -> const std::string& {
      static const std::string kEmpty;
      const auto i = static_cast<std::size_t>(index[c]);
      return i < record.fields.size() ? record.fields[i] : kEmpty;
    };
    CountryYear row;
    row.entity = std::string(Trim(field(0)));
    if (row.entity.empty()) return Fail(ErrorCode::kInvalidArgument, at + ": entity: empty");
    auto year = ParseNumber(field(1), at + ": year");
    if (!year) return Fail(year.error());
    if (*year != std::floor(*year) || *year < 1 || *year > 9999 || Trim(field(1)).empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  at + ": year: expected a year, got '" + field(1) + "'");
    }
    row.year = static_cast<int>(*year);
    double* targets[] = {&row.incidents, &row.fatalities, &row.injuries};
    for (int c = 2; c < 5; ++c) {
      auto v = ParseNumber(field(c), at + ": " + kColumns[c]);
      if (!v) return Fail(v.error());
      *targets[c - 2] = *v;
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<IndexRow> CountryIndex(std::span<const CountryYear> data, int year,
                                   const ImpactWeights& weights) {
  // entity -> A_{t-k}, k = 0..4
  std::map<std::string, std::array<double, 5>> sums;
  for (const auto& r : data) {
    if (IsOwidAggregateEntity(r.entity)) continue;
    auto& a = sums.try_emplace(r.entity, std::array<double, 5>{0, 0, 0, 0, 0}).first->second;
    const int lag = year - r.year;
    if (lag < 0 || lag > 4) continue;
    a[static_cast<std::size_t>(lag)] += weights.incident * r.incidents +
                                        weights.killed * r.fatalities +
                                        weights.wounded * r.injuries;
  }
  std::vector<IndexRow> rows;
  rows.reserve(sums.size());
  for (const auto& [entity, a] : sums) {
    IndexRow row;
    row.code = entity;
    row.name = entity;
    row.a_t = a[0];
    row.w = FiveYearWeighted(a);
    rows.push_back(std::move(row));
  }
  ScoreAndRank(rows);
  return rows;
}

// ---- provinces and districts

std::optional<AreaLevel> ParseAreaLevel(std::string_view text) {
  if (text == "province" || text == "1") return AreaLevel::kProvince;
  if (text == "district" || text == "2") return AreaLevel::kDistrict;
  return std::nullopt;
}

std::string_view AreaLevelName(AreaLevel level) {
  return level == AreaLevel::kProvince ? "province" : "district";
}

std::string ImpactLabel(std::string_view dataset) {
  if (dataset == "ucdp-ged") return "organised-violence impact (UCDP)";
  if (dataset == "gtd") return "terrorism impact (GTD)";
  if (dataset == "acled") return "political-violence impact (ACLED)";
  return "impact (" + std::string(dataset) + ")";
}

Result<std::vector<int>> ParseViolenceTypes(std::string_view text) {
  std::vector<int> out;
  for (const auto& part : Split(text, ',')) {
    const std::string_view t = Trim(part);
    if (t.size() != 1 || t[0] < '1' || t[0] > '3') {
      return Fail(ErrorCode::kInvalidArgument,
                  "violence-types: expected 1, 2 or 3 separated by commas, got '" +
                      std::string(text) + "'");
    }
    const int v = t[0] - '0';
    if (std::find(out.begin(), out.end(), v) != out.end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "violence-types: " + std::to_string(v) + " given twice");
    }
    out.push_back(v);
  }
  if (out.empty()) return Fail(ErrorCode::kInvalidArgument, "violence-types: empty");
  std::sort(out.begin(), out.end());
  return out;
}

Result<AreaIndexResult> ComputeAreaIndex(const IncidentColumns& columns,
                                         std::span<const model::Area> areas,
                                         const AreaIndexOptions& options) {
  const bool ucdp = columns.dataset == "ucdp-ged";
  bool type_on[4] = {false, false, false, false};
  for (const int t : options.violence_types) {
    if (t < 1 || t > 3) {
      return Fail(ErrorCode::kInvalidArgument,
                  "violence-types: " + std::to_string(t) + " is not 1, 2 or 3");
    }
    type_on[t] = true;
  }
  const std::optional<Date> as_of = options.as_of ? options.as_of : columns.latest;
  if (!as_of) {
    return Fail(ErrorCode::kInvalidArgument,
                "as-of: no incidents of " + columns.dataset + " to take the latest date from");
  }
  AreaIndexResult result;
  result.dataset = columns.dataset;
  result.label = ImpactLabel(columns.dataset);
  result.level = options.level;
  result.data_through = *as_of;
  result.year = as_of->year();
  if (ucdp) result.violence_types = options.violence_types;

  // Map the columns' dictionary codes to rows of the output (or -1).
  const bool province = options.level == AreaLevel::kProvince;
  const auto& codes = province ? columns.province_codes : columns.district_codes;
  const auto& area_of = province ? columns.province : columns.district;
  std::unordered_map<std::string, int> row_of_code;
  for (const auto& a : areas) row_of_code.emplace(a.pcode, static_cast<int>(row_of_code.size()));
  std::vector<int> row_of_dict(codes.size(), -1);
  for (std::size_t k = 0; k < codes.size(); ++k) {
    if (auto it = row_of_code.find(codes[k]); it != row_of_code.end()) row_of_dict[k] = it->second;
  }

  // Five yearly sums per area, flat: sums[row*5 + lag].
  std::vector<double> sums(areas.size() * 5, 0.0);
  const int t = result.year;
  const std::int32_t cutoff = as_of->days();
  const std::int32_t first_day = Date::FromYmd(t - 4, 1, 1)->days();
  const std::size_t n = columns.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t day = columns.day[i];
    if (day > cutoff || day < first_day) continue;
    if (ucdp && !type_on[std::clamp<int>(columns.violence_type[i], 0, 3)]) continue;
    ++result.incidents_counted;
    const int dict = area_of[i];
    const int row = dict == kNoArea ? -1 : row_of_dict[static_cast<std::size_t>(dict)];
    if (row < 0) {
      ++result.incidents_unassigned;
      continue;
    }
    const int lag = t - Date(day).year();
    sums[static_cast<std::size_t>(row) * 5 + static_cast<std::size_t>(lag)] +=
        IncidentWeight(options.weights, columns.killed[i], columns.wounded[i], columns.hostages[i],
                       columns.property_band[i]);
  }
  result.rows.reserve(areas.size());
  for (std::size_t r = 0; r < areas.size(); ++r) {
    IndexRow row;
    row.code = areas[r].pcode;
    row.name = areas[r].name;
    row.a_t = sums[r * 5];
    row.w = FiveYearWeighted(std::span<const double, 5>(sums.data() + r * 5, 5));
    result.rows.push_back(std::move(row));
  }
  ScoreAndRank(result.rows);
  return result;
}

Result<AreaIndexResult> ComputeAreaIndexFromStore(const store::Store& store,
                                                  const std::string& dataset,
                                                  const AreaIndexOptions& options) {
  auto columns = LoadIncidentColumns(store, dataset);
  if (!columns) return Fail(columns.error());
  if (columns->size() == 0 && !options.as_of) {
    return Fail(ErrorCode::kNotFound, "the store holds no incident of dataset " + dataset +
                                          " (corridor ingest --format " + dataset + " FILE)");
  }
  auto areas = store.ListAreas(static_cast<int>(options.level), /*with_geometry=*/false);
  if (!areas) return Fail(areas.error());
  if (areas->empty()) {
    return Fail(ErrorCode::kNotFound,
                "the store holds no " + std::string(AreaLevelName(options.level)) +
                    " boundaries (corridor areas load --level " +
                    std::to_string(static_cast<int>(options.level)) + " FILE)");
  }
  return ComputeAreaIndex(*columns, *areas, options);
}

}  // namespace corridor::risk
