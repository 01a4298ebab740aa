// Result<T>: the error-as-value type used everywhere inside Corridor.
//
// Expected failures (bad input, not found, conflict, database down) are
// values of Result<T>; bugs may throw and are caught only at the edges
// (CLI main, HTTP handler, sync thread). tl::expected is aliased here once so
// that a later move to std::expected touches this header only.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace corridor {

enum class ErrorCode {
  kInvalidArgument,  // the caller's input is wrong (HTTP 400, CLI exit 2 or 1)
  kNotFound,         // no such object (HTTP 404)
  kConflict,         // the object changed or exists (HTTP 409)
  kUnavailable,      // a resource (database, network, file) cannot be reached (HTTP 503)
  kInternal,         // a bug or an unexpected state (HTTP 500)
  kUnauthenticated,  // no valid sign-in, session or token (HTTP 401)
  kPermissionDenied, // signed in, but the role may not do this (HTTP 403)
  kRateLimited,      // too many attempts; try again later (HTTP 429)
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Builds the unexpected value of any Result<T>:
//   return Fail(ErrorCode::kNotFound, "no incident " + id);
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::make_unexpected(Error{code, std::move(message)});
}
inline tl::unexpected<Error> Fail(Error error) { return tl::make_unexpected(std::move(error)); }

// The stable spelling of an error code in JSON and logs: "InvalidArgument", ...
std::string_view ErrorCodeName(ErrorCode code);

}  // namespace corridor
