// Working days and the grievance clock (issue 14 §1, WAVE2 "Anonymity").
//
// Service levels count working days in Asia/Karachi (UTC+05:00 all year:
// Pakistan has kept no daylight saving time since 2009): Saturday and Sunday
// off, and the public holidays of config/holidays_pk.tsv (Eid moves each
// year). "Due in N working days" means due at the end of the Nth working day
// after the day of filing; a case is overdue from the next day on.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "corridor/common/date.h"
#include "corridor/common/result.h"

namespace corridor::public_side {

class WorkingCalendar {
 public:
  // Reads "date<TAB>name<TAB>kind" lines ('#' comments, blank lines skipped).
  // kInvalidArgument names the line for a malformed date, a missing name, an
  // unknown kind (fixed, expected) or a date given twice.
  static Result<WorkingCalendar> Parse(std::string_view tsv, std::string_view source);
  // config/holidays_pk.tsv, built in.
  static const WorkingCalendar& Pakistan();

  bool IsWorkingDay(Date d) const;
  // The Nth working day after `from` (n >= 1).
  Date AddWorkingDays(Date from, int n) const;
  // Whether `d` lies past the last year the calendar lists (holidays unknown).
  bool Beyond(Date d) const { return d.year() > last_year_; }
  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }
  std::size_t holidays() const { return holidays_.size(); }

 private:
  std::set<std::int32_t> holidays_;
  int first_year_ = 0, last_year_ = 0;
};

// An RFC 3339 time ("…Z" or "…±HH:MM", fractions ignored) as Unix seconds.
std::optional<std::int64_t> ParseRfc3339(std::string_view text);
// The Asia/Karachi calendar date of a Unix time.
Date KarachiDate(std::int64_t unix_seconds);
// "YYYY-MM" in Asia/Karachi of an RFC 3339 time ("" when malformed): the
// aggregate release's month.
std::string KarachiMonth(std::string_view rfc3339);

// The grievance clock: $CORRIDOR_CLOCK (an RFC 3339 time) when set, ticking on
// from that time since the process read it; the system clock otherwise. For
// tests and demonstrations; it never stamps audit entries (those keep the
// system clock). kInvalidArgument for a malformed $CORRIDOR_CLOCK.
Result<std::string> GrievanceNow();

}  // namespace corridor::public_side
