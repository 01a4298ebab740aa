#include "corridor/model/filter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

#include "corridor/common/personal_data.h"
#include "corridor/common/strings.h"
#include "corridor/model/datasets.h"

namespace corridor::model {
namespace {

Result<double> ParseNumber(std::string_view field, std::string_view text) {
  const std::string_view t = Trim(text);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc() || ptr != t.data() + t.size() || t.empty() || !std::isfinite(value)) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + ": '" + std::string(text) + "' is not a number");
  }
  return value;
}

Result<std::vector<double>> ParseNumbers(std::string_view field, std::string_view text,
                                         std::size_t want, std::string_view form) {
  const auto parts = Split(text, ',');
  if (parts.size() != want) {
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + ": expected " +
                                                 std::string(form) + ", got '" + std::string(text) +
                                                 "'");
  }
  std::vector<double> out;
  for (const auto& p : parts) {
    auto v = ParseNumber(field, p);
    if (!v) return Fail(v.error());
    out.push_back(*v);
  }
  return out;
}

Result<void> CheckLatLon(std::string_view field, double lat, double lon) {
  if (lat < -90 || lat > 90) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + ": latitude " + std::to_string(lat) + " is outside [-90, 90]");
  }
  if (lon < -180 || lon > 180) {
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + ": longitude " +
                                                 std::to_string(lon) + " is outside [-180, 180]");
  }
  return {};
}

}  // namespace

const std::vector<std::string_view>& FilterFieldNames() {
  static const std::vector<std::string_view> kNames = {
      "from", "to", "area", "bbox", "near", "category", "text", "dataset", "organisation"};
  return kNames;
}

Result<void> ParseFilterField(IncidentFilter& filter, std::string_view name,
                              std::string_view value) {
  const auto bad = [&](const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument, std::string(name) + ": " + why);
  };
  if (name == "from" || name == "to") {
    const auto date = Date::ParseIso(Trim(value));
    if (!date) return bad("'" + std::string(value) + "' is not a YYYY-MM-DD date");
    (name == "from" ? filter.from : filter.to) = *date;
    return {};
  }
  if (name == "area") {
    const std::string_view code = Trim(value);
    if (code.empty() || code.size() > 16) return bad("expected a P-code such as PK6 or PK604");
    for (const char c : code) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        return bad("'" + std::string(value) + "' is not a P-code (letters and digits)");
      }
    }
    // P-codes are upper case ("PK604"); accept "pk604" as the same code.
    std::string upper(code);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    filter.area = std::move(upper);
    return {};
  }
  if (name == "bbox") {
    auto v = ParseNumbers(name, value, 4, "MINLON,MINLAT,MAXLON,MAXLAT");
    if (!v) return Fail(v.error());
    const BoundingBox box{(*v)[0], (*v)[1], (*v)[2], (*v)[3]};
    if (auto ok = CheckLatLon(name, box.min_lat, box.min_lon); !ok) return ok;
    if (auto ok = CheckLatLon(name, box.max_lat, box.max_lon); !ok) return ok;
    if (box.min_lon > box.max_lon) return bad("MINLON is greater than MAXLON");
    if (box.min_lat > box.max_lat) return bad("MINLAT is greater than MAXLAT");
    filter.bbox = box;
    return {};
  }
  if (name == "near") {
    auto v = ParseNumbers(name, value, 3, "LAT,LON,KM");
    if (!v) return Fail(v.error());
    const NearFilter near{(*v)[0], (*v)[1], (*v)[2]};
    if (auto ok = CheckLatLon(name, near.lat, near.lon); !ok) return ok;
    if (near.km <= 0 || near.km > 20'000) return bad("KM must be in (0, 20000]");
    filter.near = near;
    return {};
  }
  if (name == "category") {
    filter.categories.clear();
    for (const auto& part : Split(value, ',')) {
      const auto c = ParseCategory(Trim(part));
      if (!c) {
        std::string known;
        for (int i = 0; i < kCategoryCount; ++i) {
          if (i > 0) known.append(", ");
          known.append(CategoryName(static_cast<Category>(i)));
        }
        return bad("unknown category '" + std::string(Trim(part)) + "' (one of " + known + ")");
      }
      filter.categories.push_back(*c);
    }
    return {};
  }
  if (name == "text") {
    const std::string_view words = Trim(value);
    if (words.empty()) return bad("empty search text");
    if (words.size() > 500) return bad("search text longer than 500 bytes");
    if (!IsValidUtf8(words)) return bad("search text is not valid UTF-8");
    if (auto ok = CheckSearchText(words); !ok) return Fail(ok.error());
    filter.text = std::string(words);
    return {};
  }
  if (name == "dataset") {
    const std::string_view d = Trim(value);
    if (!IsIncidentDataset(d)) {
      return bad("unknown dataset '" + std::string(d) + "' (" + IncidentDatasetList() + ")");
    }
    filter.dataset = std::string(d);
    return {};
  }
  if (name == "organisation") {
    const std::string_view id = Trim(value);
    const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    if (!ok)
      return bad("expected an organisation's id such as ttp (GET /api/v1/armed-organisations)");
    filter.organisation = std::string(id);
    filter.organisation_names.clear();  // resolved again by the service
    return {};
  }
  return Fail(ErrorCode::kNotFound, "unknown filter '" + std::string(name) + "'");
}

Result<void> CheckSearchText(std::string_view text) {
  if (auto hit = FindPersonalIdentifier(text)) {
    return Fail(ErrorCode::kInvalidArgument,
                "text: looks like personal data (" +
                    std::string(PersonalIdentifierName(hit->kind)) +
                    "); the security side holds none, since ingest refuses it, so "
                    "a search for one finds nothing and would only write it into the audit log");
  }
  return {};
}

Result<void> ValidateFilter(const IncidentFilter& filter) {
  if (filter.text) {
    if (auto ok = CheckSearchText(*filter.text); !ok) return ok;
  }
  if (filter.from && filter.to && *filter.from > *filter.to) {
    return Fail(ErrorCode::kInvalidArgument,
                "from: " + filter.from->iso() + " is after to: " + filter.to->iso());
  }
  return {};
}

}  // namespace corridor::model
