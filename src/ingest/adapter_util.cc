#include "ingest/adapter_util.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

#include "corridor/common/strings.h"
#include "corridor/datasets/catalog.h"

namespace corridor::ingest::internal {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

Result<Columns> Columns::Find(std::string_view format, const std::vector<std::string>& header,
                              std::span<const std::string_view> required,
                              std::span<const std::string_view> optional) {
  Columns columns;
  columns.header_size_ = header.size();
  std::string missing;
  auto locate = [&](std::string_view name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (ToLower(Trim(header[i])) == name) return static_cast<int>(i);
    }
    return -1;
  };
  for (std::string_view name : required) {
    const int i = locate(name);
    if (i < 0) {
      if (!missing.empty()) missing += ", ";
      missing += name;
    }
    columns.index_.emplace_back(std::string(name), i);
  }
  for (std::string_view name : optional)
    columns.index_.emplace_back(std::string(name), locate(name));
  if (!missing.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "not a " + std::string(format) + " header: missing columns " + missing);
  }
  return columns;
}

int Columns::Index(std::string_view name) const {
  for (const auto& [n, i] : index_) {
    if (n == name) return i;
  }
  return -1;
}

Reject MakeReject(const CsvRecord& record, std::string_view column, std::string reason) {
  Reject reject;
  reject.line = record.line;
  reject.field = std::string(column);
  reject.reason = std::move(reason);
  return reject;
}

ColumnAdapter::ColumnAdapter(Columns columns, std::string_view dataset)
    : columns_(std::move(columns)), licence_(datasets::LicenceOf(dataset)) {}

std::optional<Reject> ColumnAdapter::CheckFieldCount(const CsvRecord& record) const {
  if (record.fields.size() == columns_.header_size()) return std::nullopt;
  return MakeReject(record, "",
                    "expected " + std::to_string(columns_.header_size()) + " fields, got " +
                        std::to_string(record.fields.size()));
}

std::string_view FieldAt(const CsvRecord& record, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= record.fields.size()) return {};
  return Trim(record.fields[static_cast<std::size_t>(index)]);
}

Parsed<std::optional<int>> ParseInt(std::string_view text, int min, int max) {
  text = Trim(text);
  if (text.empty()) return std::optional<int>();
  std::string_view digits = text;
  // "12.0" (a float export of an integer column) is accepted; "12.5" is not.
  if (const auto dot = text.find('.'); dot != std::string_view::npos) {
    const std::string_view frac = text.substr(dot + 1);
    if (frac.find_first_not_of('0') != std::string_view::npos) {
      return tl::make_unexpected("not a whole number: \"" + std::string(text) + "\"");
    }
    digits = text.substr(0, dot);
  }
  int value = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.empty()) {
    return tl::make_unexpected("not a whole number: \"" + std::string(text) + "\"");
  }
  if (value < min || value > max) {
    return tl::make_unexpected(std::string(text) + " is outside " + std::to_string(min) + ".." +
                               std::to_string(max));
  }
  return std::optional<int>(value);
}

Parsed<std::optional<double>> ParseDouble(std::string_view text, double min, double max) {
  text = Trim(text);
  if (text.empty()) return std::optional<double>();
  double value = 0;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
    return tl::make_unexpected("not a number: \"" + std::string(text) + "\"");
  }
  if (value < min || value > max) {
    return tl::make_unexpected(std::string(text) + " is outside " + std::to_string(min) + ".." +
                               std::to_string(max));
  }
  return std::optional<double>(value);
}

Parsed<Date> ParseSourceDate(std::string_view text) {
  text = Trim(text);
  auto bad = [text] {
    return tl::make_unexpected("not a date (MM/DD/YYYY or YYYY-MM-DD): \"" + std::string(text) +
                               "\"");
  };
  // Drop a midnight time part: " 00:00:00" or " 00:00:00.000".
  std::string_view day = text;
  if (const auto space = text.find(' '); space != std::string_view::npos) {
    const std::string_view time = text.substr(space + 1);
    if (time != "00:00:00" && time != "00:00:00.000") return bad();
    day = text.substr(0, space);
  }
  if (day.size() == 10 && day[2] == '/' && day[5] == '/') {
    const auto mm = day.substr(0, 2), dd = day.substr(3, 2), yyyy = day.substr(6, 4);
    if (!AllDigits(mm) || !AllDigits(dd) || !AllDigits(yyyy)) return bad();
    if (auto d = Date::FromYmd(ToInt(yyyy), ToInt(mm), ToInt(dd))) return *d;
    return bad();
  }
  if (auto d = Date::ParseIso(day)) return *d;
  return bad();
}

Parsed<Date> ParseAcledDate(std::string_view text) {
  text = Trim(text);
  auto bad = [text] {
    return tl::make_unexpected("not a date (\"15 March 2019\" or 2019-03-15): \"" +
                               std::string(text) + "\"");
  };
  if (auto d = Date::ParseIso(text)) return *d;
  // D Month YYYY, with spaces or dashes.
  const auto first = text.find_first_of(" -");
  const auto last = text.find_last_of(" -");
  if (first == std::string_view::npos || first == last) return bad();
  const std::string_view dd = text.substr(0, first);
  const std::string month = ToLower(text.substr(first + 1, last - first - 1));
  const std::string_view yyyy = text.substr(last + 1);
  if (!AllDigits(dd) || dd.size() > 2 || !AllDigits(yyyy) || yyyy.size() != 4 || month.size() < 3) {
    return bad();
  }
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (month == kMonths[m] || (month.size() == 3 && kMonths[m].substr(0, 3) == month)) {
      if (auto d = Date::FromYmd(ToInt(yyyy), static_cast<int>(m) + 1, ToInt(dd))) return *d;
      return bad();
    }
  }
  return bad();
}

Date LastDayOfMonth(int year, int month) {
  for (int day = 31; day >= 28; --day) {
    if (auto d = Date::FromYmd(year, month, day)) return *d;
  }
  return Date();
}

namespace {

struct Country {
  std::string_view name;
  std::string_view iso3;
  int numeric;
  int gtd;  // GTD codebook country code (0 = not in the table: the _txt name is used)
};

// The corridor's region and the countries most often named as target
// nationalities there (docs/formats.md, "Countries").
constexpr std::array<Country, 18> kCountries{{
    {"Pakistan", "PAK", 586, 153},
    {"Afghanistan", "AFG", 4, 4},
    {"China", "CHN", 156, 44},
    {"India", "IND", 356, 92},
    {"Iran", "IRN", 364, 94},
    {"Bangladesh", "BGD", 50, 0},
    {"Nepal", "NPL", 524, 0},
    {"Sri Lanka", "LKA", 144, 0},
    {"Tajikistan", "TJK", 762, 0},
    {"Uzbekistan", "UZB", 860, 0},
    {"Turkmenistan", "TKM", 795, 0},
    {"Kyrgyzstan", "KGZ", 417, 0},
    {"Kazakhstan", "KAZ", 398, 0},
    {"United States", "USA", 840, 217},
    {"United Kingdom", "GBR", 826, 603},
    {"Saudi Arabia", "SAU", 682, 0},
    {"United Arab Emirates", "ARE", 784, 0},
    {"Russia", "RUS", 643, 0},
}};

}  // namespace

std::optional<std::string> Iso3FromName(std::string_view name) {
  name = Trim(name);
  for (const auto& c : kCountries) {
    if (EqualsIgnoreCase(c.name, name)) return std::string(c.iso3);
  }
  if (name == "Iran (Islamic Republic of)" || name == "Islamic Republic of Iran") return "IRN";
  if (name == "Russian Federation") return "RUS";
  return std::nullopt;
}

std::optional<std::string> Iso3FromNumeric(int code) {
  for (const auto& c : kCountries) {
    if (c.numeric == code) return std::string(c.iso3);
  }
  return std::nullopt;
}

std::optional<std::string> Iso3FromGtdCode(int code) {
  for (const auto& c : kCountries) {
    if (c.gtd == code) return std::string(c.iso3);
  }
  return std::nullopt;
}

void AddUnique(std::vector<std::string>& list, std::string_view value) {
  value = Trim(value);
  if (value.empty()) return;
  for (const auto& v : list) {
    if (v == value) return;
  }
  list.emplace_back(value);
}

}  // namespace corridor::ingest::internal
