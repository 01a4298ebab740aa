#include "corridor/public_side/working_days.h"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <mutex>

#include "corridor/common/strings.h"

namespace corridor::public_side {
namespace builtin {
extern const char* const kHolidaysText;
}  // namespace builtin

namespace {

constexpr std::int64_t kKarachiOffset = std::int64_t{5} * 3600;

int Digits(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  if (pos + n > s.size()) return -1;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;  // from_chars would take "-0"
  }
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, v);
  return ec == std::errc() && p == s.data() + pos + n ? v : -1;
}

}  // namespace

Result<WorkingCalendar> WorkingCalendar::Parse(std::string_view tsv, std::string_view source) {
  WorkingCalendar c;
  std::size_t line_no = 0;
  for (const auto& raw : Split(tsv, '\n')) {
    ++line_no;
    const auto line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const auto where = std::string(source) + ":" + std::to_string(line_no) + ": ";
    const auto fields = Split(line, '\t');
    if (fields.size() != 3) {
      return Fail(ErrorCode::kInvalidArgument, where + "expected date<TAB>name<TAB>kind");
    }
    const auto d = Date::ParseIso(fields[0]);
    if (!d) return Fail(ErrorCode::kInvalidArgument, where + "date: expected YYYY-MM-DD");
    if (Trim(fields[1]).empty()) return Fail(ErrorCode::kInvalidArgument, where + "name: empty");
    if (fields[2] != "fixed" && fields[2] != "expected") {
      return Fail(ErrorCode::kInvalidArgument, where + "kind: expected fixed or expected");
    }
    if (!c.holidays_.insert(d->days()).second) {
      return Fail(ErrorCode::kInvalidArgument, where + d->iso() + " is listed twice");
    }
    c.first_year_ = c.first_year_ == 0 ? d->year() : std::min(c.first_year_, d->year());
    c.last_year_ = std::max(c.last_year_, d->year());
  }
  return c;
}

const WorkingCalendar& WorkingCalendar::Pakistan() {
  static const WorkingCalendar kCalendar = [] {
    auto c = Parse(builtin::kHolidaysText, "config/holidays_pk.tsv");
    if (!c) std::abort();  // a build-time file; its test parses it
    return std::move(*c);
  }();
  return kCalendar;
}

bool WorkingCalendar::IsWorkingDay(Date d) const {
  // 1970-01-01 was a Thursday: weekday 0 = Monday.
  const int weekday = static_cast<int>(((d.days() + 3) % 7 + 7) % 7);
  return weekday < 5 && !holidays_.count(d.days());
}

Date WorkingCalendar::AddWorkingDays(Date from, int n) const {
  Date d = from;
  for (int counted = 0; counted < n;) {
    d = Date(d.days() + 1);
    if (IsWorkingDay(d)) ++counted;
  }
  return d;
}

std::optional<std::int64_t> ParseRfc3339(std::string_view t) {
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') ||
      t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  const int hh = Digits(t, 11, 2), mm = Digits(t, 14, 2), ss = Digits(t, 17, 2);
  const auto day = Date::ParseIso(t.substr(0, 10));
  if (!day || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return std::nullopt;
  std::size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  std::int64_t offset = 0;
  const auto zone = t.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const int oh = Digits(zone, 1, 2), om = Digits(zone, 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    offset = (zone[0] == '+' ? 1 : -1) * (std::int64_t{oh} * 3600 + std::int64_t{om} * 60);
  } else {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(day->days()) * 86400 + std::int64_t{hh} * 3600 +
         std::int64_t{mm} * 60 + ss - offset;
}

Date KarachiDate(std::int64_t unix_seconds) {
  const std::int64_t local = unix_seconds + kKarachiOffset;
  return Date(static_cast<std::int32_t>(local >= 0 ? local / 86400 : (local - 86399) / 86400));
}

std::string KarachiMonth(std::string_view rfc3339) {
  const auto t = ParseRfc3339(rfc3339);
  if (!t) return "";
  return KarachiDate(*t).iso().substr(0, 7);
}

Result<std::string> GrievanceNow() {
  struct Start {
    std::optional<std::int64_t> at;
    std::chrono::steady_clock::time_point read;
    bool malformed = false;
  };
  static const Start kStart = [] {
    Start s;
    s.read = std::chrono::steady_clock::now();
    if (const char* v = std::getenv("CORRIDOR_CLOCK"); v != nullptr && *v != '\0') {
      s.at = ParseRfc3339(v);
      s.malformed = !s.at;
    }
    return s;
  }();
  if (kStart.malformed) {
    return Fail(ErrorCode::kInvalidArgument,
                "$CORRIDOR_CLOCK: expected an RFC 3339 time, e.g. 2026-03-19T10:00:00+05:00");
  }
  if (!kStart.at) return NowTimestamp();
  const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::steady_clock::now() - kStart.read);
  return FormatUnixTimestamp(*kStart.at + elapsed.count());
}

}  // namespace corridor::public_side
