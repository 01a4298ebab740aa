// Calendar dates (proleptic Gregorian) as day numbers, and UTC timestamps.
#pragma once

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

}  // namespace corridor
