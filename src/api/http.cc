#include "corridor/api/http.h"

#include <algorithm>
#include <cctype>

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

std::string CookieValue(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    const std::size_t end = std::min(header.find(';', pos), header.size());
    const std::string_view pair(header.data() + pos, end - pos);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    pos = end + 1;
  }
  return "";
}

bool OriginIsHostOrAbsent(const Request& request) {
  const auto origin_it = request.headers.find("origin");
  if (origin_it == request.headers.end() || origin_it->second.empty()) return true;
  const auto host_it = request.headers.find("host");
  if (host_it == request.headers.end() || host_it->second.empty()) return false;
  const auto lower = [](std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
  };
  std::string authority = lower(origin_it->second);
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (authority.starts_with(scheme))
      return authority.substr(scheme.size()) == lower(host_it->second);
  }
  return false;  // "null" and every other scheme
}

}  // namespace corridor::api
