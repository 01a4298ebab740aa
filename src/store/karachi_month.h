// The month (YYYY-MM) of an RFC 3339 time in Asia/Karachi (UTC+05:00, no
// daylight saving), computed in C++ so that every backend agrees. Private to
// src/store (the grievance and consultation counts behind the release).
#pragma once

#include <cstdint>
#include <string>

#include "corridor/common/date.h"

namespace corridor::store {

inline std::string KarachiMonthOf(const std::string& rfc3339) {
  const auto t = ParseUnixTimestamp(rfc3339);
  if (!t) return rfc3339.substr(0, 7);
  const std::int64_t local = *t + std::int64_t{5} * 3600;
  return Date(static_cast<std::int32_t>(local / 86400)).iso().substr(0, 7);
}

}  // namespace corridor::store
