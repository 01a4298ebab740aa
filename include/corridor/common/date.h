// Calendar dates (proleptic Gregorian) as day numbers, and UTC timestamps.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corridor {

// A civil date stored as days since 1970-01-01. Cheap to compare and to keep
// in analytic columns.
class Date {
 public:
  Date() = default;
  explicit Date(std::int32_t days_since_epoch) : days_(days_since_epoch) {}
  static std::optional<Date> FromYmd(int year, int month, int day);  // nullopt if not a real date
  // Parses "YYYY-MM-DD" only. nullopt if malformed or not a real date.
  static std::optional<Date> ParseIso(std::string_view text);

  std::int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  std::string iso() const;  // "YYYY-MM-DD"

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  std::int32_t days_ = 0;
};

// Now, as an RFC 3339 UTC timestamp with milliseconds: "2026-11-28T15:13:48.123Z"
// (the form STIX 2.1 uses for created/modified).
std::string NowTimestamp();
std::string FormatTimestamp(std::chrono::system_clock::time_point t);
// Whole seconds since 1970-01-01T00:00:00Z as "2026-11-28T15:13:48.000Z", and back.
std::string FormatUnixTimestamp(std::int64_t unix_seconds);
// Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" (UTC only) to whole seconds; nullopt if malformed.
std::optional<std::int64_t> ParseUnixTimestamp(std::string_view text);

}  // namespace corridor
