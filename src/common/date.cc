#include "corridor/common/date.h"

#include <chrono>
#include <cstdio>

namespace corridor {
namespace {

std::chrono::year_month_day Ymd(std::int32_t days) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}

}  // namespace

std::optional<Date> Date::FromYmd(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return Date(static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count()));
}

std::optional<Date> Date::ParseIso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t pos, std::size_t len) -> int {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  return FromYmd(y, m, d);
}

int Date::year() const { return static_cast<int>(Ymd(days_).year()); }
int Date::month() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).month())); }
int Date::day() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).day())); }

std::string Date::iso() const {
  const int y = year();
  const int m = month();
  const int d = day();
  if (y < 0 || y > 9999) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
  }
  // Written digit by digit: snprintf was 4 % of an API page (two dates per incident).
  std::string out(10, '-');
  const auto digit = [](int v) { return static_cast<char>('0' + v); };
  out[0] = digit(y / 1000);
  out[1] = digit(y / 100 % 10);
  out[2] = digit(y / 10 % 10);
  out[3] = digit(y % 10);
  out[5] = digit(m / 10);
  out[6] = digit(m % 10);
  out[8] = digit(d / 10);
  out[9] = digit(d % 10);
  return out;
}

std::string NowTimestamp() { return FormatTimestamp(std::chrono::system_clock::now()); }

std::string FormatUnixTimestamp(std::int64_t unix_seconds) {
  return FormatTimestamp(std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)));
}

std::optional<std::int64_t> ParseUnixTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (text.size() < 20 || text[10] != 'T' || text.back() != 'Z' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const auto date = Date::ParseIso(text.substr(0, 10));
  if (!date) return std::nullopt;
  int hms[3];
  for (int k = 0; k < 3; ++k) {
    const char a = text[11 + 3 * k], b = text[12 + 3 * k];
    if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
    hms[k] = (a - '0') * 10 + (b - '0');
  }
  if (hms[0] > 23 || hms[1] > 59 || hms[2] > 60) return std::nullopt;
  const std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2) return std::nullopt;
    for (char c : rest.substr(1)) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  return std::int64_t{date->days()} * 86400 + std::int64_t{hms[0]} * 3600 +
         std::int64_t{hms[1]} * 60 + hms[2];
}

std::string FormatTimestamp(std::chrono::system_clock::time_point now) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const auto days = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{
      std::chrono::duration_cast<std::chrono::milliseconds>(now - days)};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()),
                static_cast<long>(ms.count() % 1000));
  return buf;
}

}  // namespace corridor
