#include "corridor/api/http.h"

namespace corridor::api {

using nlohmann::json;

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kRateLimited:
      return 429;
  }
  return 500;
}

std::string JsonText(const json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

Response JsonResponse(const json& body, int status) {
  Response r;
  r.status = status;
  r.body = JsonText(body);
  return r;
}

Response ErrorResponse(const Error& error) {
  return JsonResponse(
      {{"error", {{"code", ErrorCodeName(error.code)}, {"message", error.message}}}},
      HttpStatus(error.code));
}

}  // namespace corridor::api
