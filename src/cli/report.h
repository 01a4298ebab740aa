// The CLI's exit codes and error report, one place for every command
// (issue 18 §1; the README lists the statuses).
#pragma once

#include <iostream>
#include <string_view>

#include "corridor/common/result.h"

namespace corridor::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;    // the input was wrong (kInvalidArgument)
inline constexpr int kExitPartial = 3;  // some input was refused, the rest was done

// Prints "<program>: MESSAGE" on stderr; the exit status for the error:
// kExitUsage for kInvalidArgument, kExitFailed otherwise.
inline int ReportError(const Error& error, std::string_view program = "corridor") {
  std::cerr << program << ": " << error.message << "\n";
  return error.code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailed;
}

// Prints as ReportError and always answers kExitFailed: for the import,
// query, serve, release and public commands, whose documented status for
// every failure is 1 (their usage errors are CLI11's).
inline int ReportFailure(const Error& error, std::string_view program = "corridor") {
  (void)ReportError(error, program);
  return kExitFailed;
}

}  // namespace corridor::cli
