// Outgoing HTTP for all of Corridor (data fetch, partner sync): the only place that opens
// client connections. A thin layer over cpp-httplib's Client (https through OpenSSL, with the
// system CA store unless a CA file is given).
//
// Contracts:
//  - URLs are absolute "http://host[:port]/path?query" or "https://...", with the path already
//    percent-encoded (see EncodePath); they are sent as given (only bytes that an encoded URL
//    cannot contain would be encoded on the way).
//  - Transport failures (DNS, connection refused, TLS, timeout, cancelled) are kUnavailable and
//    the message names the URL and the reason. Malformed URLs are kInvalidArgument.
//  - Get/Post return any HTTP status the server sent (the caller decides what a 404 means);
//    Download fails on any non-2xx status, naming it.
//  - Every call opens its own connection; calls are safe from several threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::net {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Options shared by every request.
struct RequestOptions {
  HeaderList headers;        // extra request headers, sent as given
  std::string bearer_token;  // when non-empty: "Authorization: Bearer <token>"
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds read_timeout{30'000};  // per read, not for the whole body
  std::chrono::milliseconds write_timeout{30'000};
  bool follow_redirects = true;  // 3xx with Location, also across hosts and schemes
  std::string ca_cert_path;      // PEM bundle to trust instead of the system store
  bool verify_tls = true;        // never false outside tests
};

struct GetOptions : RequestOptions {
  // Larger bodies are refused (kUnavailable) instead of filling memory.
  std::int64_t max_body_bytes = std::int64_t{64} * 1024 * 1024;
};

// Progress of a transfer: bytes received so far and the announced total (0 when the server
// sent no Content-Length). Returning false cancels the transfer.
using ProgressFn = std::function<bool(std::uint64_t bytes, std::uint64_t total)>;

struct DownloadOptions : RequestOptions {
  ProgressFn progress;          // may be empty
  std::int64_t max_bytes = -1;  // when >= 0, a longer body fails the download
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // as received (names in the server's spelling)
  std::string body;

  // The first header named `name` (case-insensitive), or "" when absent.
  std::string Header(std::string_view name) const;
};

struct ParsedUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6 literals
  int port = 0;        // explicit or the scheme's default
  std::string target;  // path and query, "/" when the URL has none
  // "scheme://host:port", as httplib::Client wants it.
  std::string Origin() const;
};

// Splits an absolute http(s) URL; kInvalidArgument names the URL when it is not one.
Result<ParsedUrl> ParseUrl(std::string_view url);

// Percent-encodes a path for a URL: keeps '/' and RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~), encodes every other byte as %XX (upper-case hex).
// "a/Global Terrorism Database.csv" -> "a/Global%20Terrorism%20Database.csv".
std::string EncodePath(std::string_view path);

// GET `url`; the body is kept in memory (at most options.max_body_bytes).
Result<HttpResponse> Get(const std::string& url, const GetOptions& options = {});

// POST `body` with `content_type` to `url`.
Result<HttpResponse> Post(const std::string& url, std::string_view body,
                          const std::string& content_type, const GetOptions& options = {});

// Streams the body of GET `url` to `dest_path + ".part"` (creating the parent directory),
// calling options.progress as bytes arrive, and renames it to `dest_path` only when the whole
// body arrived with a 2xx status. On any failure the .part file is removed, `dest_path` is
// left untouched, and the error (kUnavailable; kInvalidArgument for a malformed URL) names the
// URL and the reason: connection refused, timeout, HTTP status, size limit, disk error.
Result<void> Download(const std::string& url, const std::string& dest_path,
                      const DownloadOptions& options = {});

}  // namespace corridor::net
