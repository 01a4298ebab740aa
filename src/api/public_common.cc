#include "api/public_common.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "corridor/common/date.h"
#include "corridor/common/strings.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/attachments.h"

namespace corridor::api::public_http {
namespace {

using nlohmann::json;

constexpr const char* kCache = "public, max-age=300";
// The portal's policy: nothing but this origin's stylesheet; no script at all.
constexpr const char* kPortalCsp =
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// Whether the peer is this machine (a TLS-terminating proxy such as nginx in
// front of a loopback listener, docs/operations.md).
bool FromLoopback(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

}  // namespace

std::string ClientAddress(const Request& request, const std::string& trusted_proxy) {
  if (trusted_proxy.empty() || request.remote_addr != trusted_proxy) return request.remote_addr;
  auto it = request.headers.find("x-forwarded-for");
  if (it == request.headers.end()) return request.remote_addr;
  const std::string_view all = it->second;
  const auto comma = all.rfind(',');
  std::string last(Trim(comma == std::string_view::npos ? all : all.substr(comma + 1)));
  // Only an address: anything else is the proxy misconfigured, counted as the proxy.
  in6_addr v6{};
  in_addr v4{};
  if (inet_pton(AF_INET, last.c_str(), &v4) == 1 || inet_pton(AF_INET6, last.c_str(), &v6) == 1) {
    return last;
  }
  return request.remote_addr;
}

Response Cached(Response r) {
  r.headers.emplace_back("Cache-Control", kCache);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  return r;
}

namespace {

// A portal page: nothing but this origin's stylesheet, no Referer sent on.
Response PortalPage(std::string body, int status) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Content-Security-Policy", kPortalCsp);
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  return r;
}

}  // namespace

Response Html(std::string body, int status) { return Cached(PortalPage(std::move(body), status)); }

Response PrivateHtml(std::string body, int status) {
  return Private(PortalPage(std::move(body), status));
}

Response StaffHtml(std::string body, int status) {
  Response r = Private(PortalPage(std::move(body), status));
  // A browser sends "Origin: null" on a form post from a no-referrer page; the
  // staff pages' posts must name their origin (the forgery check reads it).
  for (auto& [name, value] : r.headers) {
    if (name == "Referrer-Policy") value = "same-origin";
  }
  return r;
}

// Staff responses are never cached nor readable cross-origin.
Response Private(Response r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

Response Unauthenticated(const Error& e) {
  Response r = ErrorResponse(e);
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"corridor-public\"");
  return Private(std::move(r));
}

// The account of `Authorization: Bearer <token>`. A token crosses the network
// only over HTTPS: a plain-HTTP request from another machine is refused before
// its token is looked at.
Result<void> RequireSecureTransport(const Request& request) {
  if (!request.tls && !FromLoopback(request.remote_addr)) {
    return Fail(ErrorCode::kUnauthenticated,
                "staff routes need HTTPS: serve on loopback behind a TLS-terminating proxy");
  }
  return {};
}

Result<public_side::PublicCaller> BearerCaller(const store::Database& db, const Request& request) {
  if (auto ok = RequireSecureTransport(request); !ok) return Fail(ok.error());
  auto it = request.headers.find("authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (it == request.headers.end() || it->second.size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), it->second.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      })) {
    return Fail(ErrorCode::kUnauthenticated,
                "this route needs Authorization: Bearer <token> of a public account");
  }
  auto account = public_side::Authenticate(db, it->second.substr(kScheme.size()), NowTimestamp());
  if (!account) return Fail(account.error());
  return public_side::PublicCaller::Of(std::move(*account));
}

// A JSON object body with exactly the string members `names` (each at most
// `max_bytes`, no control characters); errors name the JSON pointer.
Result<std::map<std::string, std::string>> StringMembers(const std::string& body,
                                                         const std::vector<std::string>& required,
                                                         const std::vector<std::string>& optional,
                                                         std::size_t max_bytes) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "body: expected a JSON object");
  }
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : doc.items()) {
    const bool known = std::find(required.begin(), required.end(), key) != required.end() ||
                       std::find(optional.begin(), optional.end(), key) != optional.end();
    if (!known) {
      return Fail(ErrorCode::kInvalidArgument,
                  key.size() > 64 ? std::string("a member named with over 64 bytes is unknown")
                                  : "/" + key + ": unknown member");
    }
    if (!value.is_string())
      return Fail(ErrorCode::kInvalidArgument, "/" + key + ": expected a string");
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() > max_bytes) {
      return Fail(ErrorCode::kInvalidArgument,
                  "/" + key + ": at most " + std::to_string(max_bytes) + " bytes");
    }
    if (std::any_of(text.begin(), text.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
      return Fail(ErrorCode::kInvalidArgument, "/" + key + ": control characters are not allowed");
    }
    out[key] = text;
  }
  for (const auto& name : required) {
    if (!out.count(name)) return Fail(ErrorCode::kInvalidArgument, "/" + name + ": missing");
  }
  return out;
}

Response AttachmentDownload(public_side::CleanFile file, const std::string& case_id,
                            std::int64_t seq) {
  Response r;
  r.content_type = file.media_type;
  r.body = std::move(file.bytes);
  const std::string ext = file.media_type == "application/pdf" ? "pdf"
                          : file.media_type == "image/png"     ? "png"
                                                               : "jpg";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"case-" +
                                                    case_id.substr(0, 8) + "-" +
                                                    std::to_string(seq) + "." + ext + "\"");
  // Never rendered by the browser as a page of this origin.
  r.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'");
  return Private(std::move(r));
}

Route StaffRoute(const store::Database& db, Route r) {
  r.own_authentication = true;
  r.action = std::nullopt;
  r.handler = [&db, inner = std::move(r.handler)](const Request& request) {
    if (auto caller = BearerCaller(db, request); !caller) return Unauthenticated(caller.error());
    return Private(inner(request));
  };
  return r;
}

Route OpenRoute(Route r) {
  r.open = true;
  r.action = std::nullopt;
  return r;
}

nlohmann::json ObjectSchema(std::vector<std::string> required, nlohmann::json properties) {
  return {{"type", "object"},
          {"required", std::move(required)},
          {"additionalProperties", false},
          {"properties", std::move(properties)}};
}

Result<void> StringArray(const nlohmann::json& value, const std::string& key,
                         std::vector<std::string>& out) {
  if (!value.is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "/" + key + ": expected an array of strings");
  }
  if (value.size() > 100) return Fail(ErrorCode::kInvalidArgument, "/" + key + ": too many");
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "/" + key + "/" + std::to_string(i) + ": expected a string");
    }
    out.push_back(value[i].get<std::string>());
  }
  return {};
}

}  // namespace corridor::api::public_http
