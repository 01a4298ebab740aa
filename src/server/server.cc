#include "corridor/server/server.h"

#include <httplib.h>
#include <pthread.h>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <csignal>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "corridor/common/strings.h"

namespace corridor::server {

struct Server::Impl {
  Impl(const std::vector<api::Route>& r, ServerOptions o) : routes(r), options(std::move(o)) {
    if (!options.tls_cert.empty()) {
      http =
          std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    } else {
      http = std::make_unique<httplib::Server>();
    }
  }
  const std::vector<api::Route>& routes;
  ServerOptions options;
  std::unique_ptr<httplib::Server> http;
  int port = 0;
  int listen_fd = -1;  // the last socket cpp-httplib made to listen on
  // The access log is written by its own thread, to the default logger's
  // sinks: a line written under the console's mutex by each request thread
  // was where a third of them waited under load (bench/api.sh). A full queue
  // blocks the request rather than lose a line. Declared in this order so the
  // logger goes first and the pool drains what is queued as it ends.
  std::shared_ptr<spdlog::details::thread_pool> log_pool;
  std::shared_ptr<spdlog::logger> access_log;
};

namespace {

// Connections the kernel queues before the server accepts them (capped by
// net.core.somaxconn, 4096 on Debian 12).
constexpr int kListenBacklog = 1024;

// The body is moved, not copied (set_content copies: 6 % of a page's time).
void Write(api::Response response, httplib::Response& out) {
  out.status = response.status;
  for (const auto& [k, v] : response.headers) out.set_header(k, v);
  out.headers.erase("Content-Type");
  out.set_header("Content-Type", response.content_type);
  out.body = std::move(response.body);
}

// The first problem with the request's decoded path and query (a control
// character, invalid UTF-8), naming where and never echoing the text.
std::optional<std::string> CheckRequestText(const httplib::Request& req) {
  if (auto ok = CheckText("path", req.path, 8192); !ok) return ok.error().message;
  for (const auto& [name, value] : req.params) {
    if (auto ok = CheckText("query parameter name", name, 256); !ok) return ok.error().message;
    const std::string field =
        FindControlCharacter(name) == std::string_view::npos && IsValidUtf8(name)
            ? name
            : "query parameter";
    if (auto ok = CheckText(field, value, 8192); !ok) return ok.error().message;
  }
  return std::nullopt;
}

api::Request ToApiRequest(const httplib::Request& req, const api::Route& route, bool tls) {
  api::Request r;
  r.method = req.method;
  r.path = req.path;
  // The URL's query only: cpp-httplib also puts a form body's fields in
  // req.params, and a body must never pass for query parameters (the
  // grievance forms post bodies; routes validate their query strictly).
  if (const auto q = req.target.find('?'); q != std::string::npos) {
    httplib::Params params;
    httplib::detail::parse_query_text(req.target.substr(q + 1), params);
    for (const auto& [k, v] : params) r.query.emplace_back(k, v);
  }
  for (std::size_t i = 0; i < route.path_param_names.size() && i + 1 < req.matches.size(); ++i) {
    r.path_params[route.path_param_names[i]] = req.matches[i + 1].str();
  }
  r.body = req.body;
  for (const auto& [name, part] : req.files) {
    r.parts.push_back({name, part.filename, part.content_type, part.content});
  }
  for (const auto& [k, v] : req.headers) {
    std::string name = k;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = v;
  }
  r.remote_addr = req.remote_addr;
  r.tls = tls;
  return r;
}

// Static files of the web application. Vite names every bundled asset by its
// content hash (assets/name-HASH.ext): those are cached for a year as
// immutable; index.html and the rest are revalidated on every load.
void ServeWebApplication(httplib::Server& http, const std::string& root) {
  for (const auto& [ext, type] : std::initializer_list<std::pair<const char*, const char*>>{
           {"html", "text/html; charset=utf-8"},
           // A JavaScript MIME type that cpp-httplib 0.11 does not compress on the fly:
           // it would brotli every request at quality 11 (~0.3 s per 200 KB here),
           // which costs far more than it saves on loopback or a LAN. A deployment
           // behind nginx compresses there, once, with cached settings.
           {"js", "application/javascript; charset=utf-8"},
           {"mjs", "application/javascript; charset=utf-8"},
           {"css", "text/css; charset=utf-8"},
           {"json", "application/json"},
           {"svg", "image/svg+xml"},
           {"png", "image/png"},
           {"ico", "image/x-icon"},
           {"woff2", "font/woff2"},
           {"txt", "text/plain; charset=utf-8"},
           {"webmanifest", "application/manifest+json"}}) {
    http.set_file_extension_and_mimetype_mapping(ext, type);
  }
  http.set_mount_point("/", root);
  http.set_file_request_handler([](const httplib::Request& req, httplib::Response& res) {
    const bool hashed = req.path.rfind("/assets/", 0) == 0;
    res.set_header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_header("Content-Security-Policy", kWebContentSecurityPolicy);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  });
}

}  // namespace

std::string DefaultWebRoot() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  // build/<preset>/corridor -> <source>/web/dist
  const auto dist = exe.parent_path().parent_path().parent_path() / "web" / "dist";
  if (std::filesystem::is_regular_file(dist / "index.html", ec)) return dist.string();
  return "";
}

Server::Server(const std::vector<api::Route>& routes, ServerOptions options)
    : impl_(std::make_unique<Impl>(routes, std::move(options))) {
  auto& http = *impl_->http;
  const auto& opt = impl_->options;
  const bool tls = !opt.tls_cert.empty();
  http.set_payload_max_length(opt.max_body_bytes);
  http.set_read_timeout(opt.read_timeout_s, 0);
  http.set_write_timeout(opt.write_timeout_s, 0);
  http.set_keep_alive_timeout(opt.idle_keep_alive_s);
  http.set_keep_alive_max_count(100);
  // cpp-httplib writes a response's headers and body in separate sends; with
  // Nagle's algorithm on, the body waited for the client's delayed ACK, 40 ms
  // on every other response of a kept-alive connection (the web map's first
  // view makes seven requests).
  http.set_tcp_nodelay(true);
  // cpp-httplib 0.11 listens with a backlog of 5, built into Debian's library:
  // under 64 connections new ones overflowed it and their SYNs were dropped,
  // retried by the client 1 and 3 s later (TcpExtListenOverflows; the 3-5 s
  // p99 of bench/api.sh). The socket is noted here and Bind listens again
  // with a real backlog (Linux takes a second listen() as a new backlog).
  Impl* impl = impl_.get();
  http.set_socket_options([impl](socket_t sock) {
    httplib::default_socket_options(sock);
    impl->listen_fd = sock;
  });
  const int threads = opt.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };

  for (const auto& route : impl_->routes) {
    const api::Route* r = &route;
    auto handler = [r, tls](const httplib::Request& req, httplib::Response& res) {
      Write(r->handler(ToApiRequest(req, *r, tls)), res);
    };
    if (route.method == "GET")
      http.Get(route.regex, handler);
    else if (route.method == "POST")
      http.Post(route.regex, handler);
    else if (route.method == "PUT")
      http.Put(route.regex, handler);
    else if (route.method == "DELETE")
      http.Delete(route.regex, handler);
    else if (route.method == "PATCH")
      http.Patch(route.regex, handler);
  }

  if (!opt.web_root.empty()) ServeWebApplication(http, opt.web_root);
  // cpp-httplib 0.11 brotli-compresses text and JSON at quality 11 on every
  // response, seconds for a large GeoJSON page; gzip (zlib's default level)
  // saves nearly as much at a fraction of the cost. The request object is the
  // server's own, non-const; only its copy of the header changes.
  http.set_pre_routing_handler([body_limit = opt.body_limit](const httplib::Request& req,
                                                             httplib::Response& res) {
    // Issue 12 #8: a decoded path or query with a control character or
    // invalid UTF-8 is refused before any route or static file sees it
    // ("/favicon.svg%00.html" was served as HTML; "text=%00" reached SQLite).
    // The routes' typed parameters check again, with the parameter's bounds.
    if (auto bad = CheckRequestText(req)) {
      Write(api::ErrorResponse({ErrorCode::kInvalidArgument, *bad}), res);
      return httplib::Server::HandlerResponse::Handled;
    }
    // The path's own body limit, before the body is read (this handler runs
    // first; cpp-httplib reads the content after it).
    if (body_limit) {
      const std::size_t limit = body_limit(req.path);
      const bool chunked =
          req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
      const std::string declared = req.get_header_value("Content-Length");
      std::size_t length = 0;
      const bool too_long =
          !declared.empty() &&
          (std::from_chars(declared.data(), declared.data() + declared.size(), length).ec !=
               std::errc() ||
           length > limit);
      if (chunked || too_long) {
        api::Response r =
            api::ErrorResponse({ErrorCode::kInvalidArgument,
                                chunked ? "this route needs a Content-Length (no chunked bodies)"
                                        : "the body is larger than this route takes (" +
                                              std::to_string(limit) + " bytes)"});
        r.status = chunked ? 411 : 413;
        Write(r, res);
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    auto& headers = const_cast<httplib::Request&>(req).headers;
    auto [first, last] = headers.equal_range("Accept-Encoding");  // case-insensitive map
    for (auto it = first; it != last; ++it) {
      if (it->second.find("br") != std::string::npos) {
        it->second = it->second.find("gzip") != std::string::npos ? "gzip" : "identity";
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(std::move(ep));
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("{} {}: internal error: {}", req.method, req.path, what);
        Write(api::ErrorResponse({ErrorCode::kInternal, "internal error (logged)"}), res);
      });
  // Give every error without a body (unknown route, 413, ...) the JSON error form.
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (req.path.rfind("/taxii2/", 0) == 0 || req.path == "/taxii2") {
      // TAXII clients get the TAXII error message resource (TAXII 2.1 section 3.6.1).
      std::string title = res.status == 413   ? "Payload Too Large"
                          : res.status == 404 ? "Not Found"
                          : res.status == 400 ? "Bad Request"
                                              : "HTTP " + std::to_string(res.status);
      nlohmann::json body = {{"title", title}, {"http_status", std::to_string(res.status)}};
      if (res.status == 413) body["description"] = "the request body exceeds max_content_length";
      res.set_content(body.dump(), "application/taxii+json;version=2.1");
      return;
    }
    std::string code = "NotFound";
    std::string message = "no route " + req.method + " " + req.path;
    if (res.status == 413) {
      code = "InvalidArgument";
      message = "request body too large";
    } else if (res.status == 400) {
      code = "InvalidArgument";
      message = "malformed request";
    } else if (res.status != 404) {
      code = "Internal";
      message = "HTTP " + std::to_string(res.status);
    }
    nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
    res.set_content(body.dump(), "application/json");
  });
  if (opt.access_log) {
    const auto& sinks = spdlog::default_logger()->sinks();
    // The log's thread takes no process signal: `corridor serve` waits for
    // SIGINT/SIGTERM on a thread of its own, and a thread that left them
    // unblocked would die of them instead (the server stopped uncleanly).
    impl_->log_pool = std::make_shared<spdlog::details::thread_pool>(8192, 1, [] {
      sigset_t all;
      sigfillset(&all);
      pthread_sigmask(SIG_BLOCK, &all, nullptr);
    });
    impl_->access_log = std::make_shared<spdlog::async_logger>(
        "access", sinks.begin(), sinks.end(), impl_->log_pool,
        spdlog::async_overflow_policy::block);
    impl_->access_log->set_level(spdlog::default_logger()->level());
    spdlog::logger* log = impl_->access_log.get();
    http.set_logger(
        [log, target = opt.log_target](const httplib::Request& req, const httplib::Response& res) {
          // A filter sees the decoded path (no query), so no encoding slips past it.
          log->info("{} {} {} {}B", req.method, target ? target(req.path) : req.target, res.status,
                    res.body.size());
        });
  }
}

Server::~Server() { Stop(); }

Result<void> Server::Bind() {
  const auto& opt = impl_->options;
  if (!impl_->http->is_valid()) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot use the TLS certificate '" + opt.tls_cert + "' with key '" + opt.tls_key +
                    "' (missing, unreadable, or not a matching PEM pair)");
  }
  if (opt.port == 0) {
    impl_->port = impl_->http->bind_to_any_port(opt.host);
    if (impl_->port <= 0) return Fail(ErrorCode::kUnavailable, "cannot listen on " + opt.host);
  } else {
    if (!impl_->http->bind_to_port(opt.host, opt.port)) {
      return Fail(ErrorCode::kUnavailable, "cannot listen on " + opt.host + ":" +
                                               std::to_string(opt.port) +
                                               " (in use, or not an address of this machine)");
    }
    impl_->port = opt.port;
  }
  if (impl_->listen_fd >= 0 && ::listen(impl_->listen_fd, kListenBacklog) != 0) {
    return Fail(ErrorCode::kUnavailable, "cannot listen on " + opt.host + " with a backlog of " +
                                             std::to_string(kListenBacklog));
  }
  return {};
}

int Server::port() const { return impl_->port; }

Result<void> Server::Run() {
  if (!impl_->http->listen_after_bind()) {
    return Fail(ErrorCode::kUnavailable, "server stopped with an error");
  }
  return {};
}

void Server::Stop() {
  if (impl_ && impl_->http) impl_->http->stop();
}

Result<std::pair<std::string, int>> ParseListen(std::string_view text) {
  const auto colon = text.rfind(':');
  const auto bad = [&](const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument, "--listen '" + std::string(text) + "': " + why);
  };
  if (colon == std::string_view::npos) return bad("expected HOST:PORT");
  std::string host(text.substr(0, colon));
  const std::string_view port_text = text.substr(colon + 1);
  int port = 0;
  const auto [ptr, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return bad("port must be a number from 0 to 65535");
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "127.0.0.1";
  return std::pair{host, port};
}

}  // namespace corridor::server
