#include "corridor/net/http_client.h"

#include <httplib.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "corridor/common/strings.h"

namespace corridor::net {

namespace {

namespace fs = std::filesystem;

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string Ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

// A human reason for a transport error of httplib.
std::string DescribeError(httplib::Error error, const RequestOptions& options) {
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect (connection refused, host unreachable or unknown)";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out after " + Ms(options.connect_timeout);
    case httplib::Error::Read:
      return "read failed or timed out (read timeout " + Ms(options.read_timeout) + ")";
    case httplib::Error::Write:
      return "write failed or timed out (write timeout " + Ms(options.write_timeout) + ")";
    case httplib::Error::ExceedRedirectCount:
      return "too many redirects";
    case httplib::Error::Canceled:
      return "cancelled";
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return "TLS error: " + httplib::to_string(error);
    default:
      return httplib::to_string(error);
  }
}

std::string DescribeStatus(int status, const std::string& reason) {
  std::string out = "HTTP status " + std::to_string(status);
  if (!reason.empty()) out += " " + reason;
  return out;
}

tl::unexpected<Error> Unavailable(const std::string& url, const std::string& reason) {
  return Fail(ErrorCode::kUnavailable, "GET " + url + ": " + reason);
}

// A client for `url`'s origin with `options` applied.
httplib::Client MakeClient(const ParsedUrl& url, const RequestOptions& options) {
  httplib::Client client(url.Origin());
  client.set_connection_timeout(options.connect_timeout);
  client.set_read_timeout(options.read_timeout);
  client.set_write_timeout(options.write_timeout);
  client.set_follow_location(options.follow_redirects);
  // httplib re-encodes only bytes an encoded URL does not contain (space, '+', ',', ';', quote,
  // control and non-ASCII bytes); it is kept on because redirects arrive decoded.
  client.set_url_encode(true);
  client.set_keep_alive(false);
  if (!options.bearer_token.empty()) client.set_bearer_token_auth(options.bearer_token);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (!options.ca_cert_path.empty()) client.set_ca_cert_path(options.ca_cert_path);
  client.enable_server_certificate_verification(options.verify_tls);
#endif
  return client;
}

httplib::Headers ToHttplib(const HeaderList& headers) {
  httplib::Headers out;
  for (const auto& [name, value] : headers) out.emplace(name, value);
  return out;
}

HeaderList FromHttplib(const httplib::Headers& headers) {
  return HeaderList(headers.begin(), headers.end());
}

// Removes a file on destruction unless Commit() was called.
class PartFileGuard {
 public:
  explicit PartFileGuard(fs::path path) : path_(std::move(path)) {}
  ~PartFileGuard() {
    if (!committed_) {
      std::error_code ec;
      fs::remove(path_, ec);
    }
  }
  PartFileGuard(const PartFileGuard&) = delete;
  PartFileGuard& operator=(const PartFileGuard&) = delete;
  void Commit() { committed_ = true; }

 private:
  fs::path path_;
  bool committed_ = false;
};

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  const std::string want = ToLower(name);
  for (const auto& [key, value] : headers) {
    if (ToLower(key) == want) return value;
  }
  return "";
}

std::string ParsedUrl::Origin() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return scheme + "://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ParsedUrl> ParseUrl(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument, "bad URL '" + std::string(url) + "': " + why);
  };
  ParsedUrl out;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return bad("no scheme");
  out.scheme = ToLower(url.substr(0, scheme_end));
  if (out.scheme != "http" && out.scheme != "https") return bad("scheme must be http or https");
  std::string_view rest = url.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return bad("user info is not supported");
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after IPv6 literal");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return bad("no host");
  if (port_text.empty()) {
    out.port = out.scheme == "https" ? 443 : 80;
  } else {
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), out.port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || out.port <= 0 ||
        out.port > 65535) {
      return bad("bad port");
    }
  }
  const auto fragment = target.find('#');
  if (fragment != std::string_view::npos) target = target.substr(0, fragment);
  out.target = target.empty() ? "/" : std::string(target);
  if (out.target.front() == '?') out.target = "/" + out.target;
  for (unsigned char c : out.target) {
    if (c <= 0x20 || c >= 0x7f) return bad("the path must be percent-encoded");
  }
  return out;
}

std::string EncodePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (unsigned char c : path) {
    if (c == '/' || IsUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

Result<HttpResponse> Get(const std::string& url, const GetOptions& options) {
  auto parsed = ParseUrl(url);
  if (!parsed) return Fail(parsed.error());
  httplib::Client client = MakeClient(*parsed, options);
  std::string body;
  std::string abort_reason;
  auto result =
      client.Get(parsed->target, ToHttplib(options.headers), [&](const char* data, size_t length) {
        if (options.max_body_bytes >= 0 &&
            body.size() + length > static_cast<std::uint64_t>(options.max_body_bytes)) {
          abort_reason = "body larger than " + std::to_string(options.max_body_bytes) + " bytes";
          return false;
        }
        body.append(data, length);
        return true;
      });
  if (!result) {
    return Unavailable(
        url, abort_reason.empty() ? DescribeError(result.error(), options) : abort_reason);
  }
  HttpResponse response;
  response.status = result->status;
  response.headers = FromHttplib(result->headers);
  response.body = std::move(body);
  return response;
}

Result<HttpResponse> Post(const std::string& url, std::string_view body,
                          const std::string& content_type, const GetOptions& options) {
  auto parsed = ParseUrl(url);
  if (!parsed) return Fail(parsed.error());
  httplib::Client client = MakeClient(*parsed, options);
  auto result = client.Post(parsed->target, ToHttplib(options.headers), body.data(), body.size(),
                            content_type);
  if (!result) {
    return Fail(ErrorCode::kUnavailable,
                "POST " + url + ": " + DescribeError(result.error(), options));
  }
  if (options.max_body_bytes >= 0 &&
      result->body.size() > static_cast<std::uint64_t>(options.max_body_bytes)) {
    return Fail(ErrorCode::kUnavailable, "POST " + url + ": body larger than " +
                                             std::to_string(options.max_body_bytes) + " bytes");
  }
  HttpResponse response;
  response.status = result->status;
  response.headers = FromHttplib(result->headers);
  response.body = std::move(result->body);
  return response;
}

Result<void> Download(const std::string& url, const std::string& dest_path,
                      const DownloadOptions& options) {
  auto parsed = ParseUrl(url);
  if (!parsed) return Fail(parsed.error());
  const fs::path dest(dest_path);
  const fs::path part(dest_path + ".part");
  std::error_code ec;
  if (dest.has_parent_path()) {
    fs::create_directories(dest.parent_path(), ec);
    if (ec) {
      return Unavailable(url, "cannot create " + dest.parent_path().string() + ": " + ec.message());
    }
  }
  PartFileGuard guard(part);
  std::ofstream out(part, std::ios::binary | std::ios::trunc);
  if (!out) return Unavailable(url, "cannot write " + part.string());

  httplib::Client client = MakeClient(*parsed, options);
  std::string abort_reason;
  int status = 0;
  std::uint64_t received = 0;
  auto result = client.Get(
      parsed->target, ToHttplib(options.headers),
      [&](const httplib::Response& response) {
        status = response.status;
        if (response.status < 200 || response.status > 299) {
          abort_reason = DescribeStatus(response.status, response.reason);
          return false;
        }
        return true;
      },
      [&](const char* data, size_t length) {
        received += length;
        if (options.max_bytes >= 0 && received > static_cast<std::uint64_t>(options.max_bytes)) {
          abort_reason = "body larger than " + std::to_string(options.max_bytes) + " bytes";
          return false;
        }
        out.write(data, static_cast<std::streamsize>(length));
        if (!out) {
          abort_reason = "write error on " + part.string();
          return false;
        }
        return true;
      },
      [&](std::uint64_t current, std::uint64_t total) {
        if (options.progress && !options.progress(current, total)) {
          abort_reason = "cancelled by the progress callback";
          return false;
        }
        return true;
      });
  out.close();
  if (!result) {
    return Unavailable(
        url, abort_reason.empty() ? DescribeError(result.error(), options) : abort_reason);
  }
  status = result->status;
  if (status < 200 || status > 299) return Unavailable(url, DescribeStatus(status, result->reason));
  if (!out) return Unavailable(url, "write error on " + part.string());
  fs::rename(part, dest, ec);
  if (ec) return Unavailable(url, "cannot rename into " + dest.string() + ": " + ec.message());
  guard.Commit();
  return {};
}

}  // namespace corridor::net
