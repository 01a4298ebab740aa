// The HTTP server: listening sockets, routing, limits, access log. It owns no
// business logic: each request goes to an api::Route handler.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "corridor/api/http.h"
#include "corridor/common/result.h"

namespace corridor::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                       // 0 = any free port (see Server::port())
  std::size_t max_body_bytes = 1 << 20;  // larger request bodies get 413
  // When set, a tighter limit for the path (decoded, without the query): a
  // request declaring a larger Content-Length gets 413, a chunked one 411,
  // before its body is read. Lets one upload route raise max_body_bytes
  // without raising it for every route.
  std::function<std::size_t(const std::string& path)> body_limit;
  int read_timeout_s = 10;
  int write_timeout_s = 30;
  int idle_keep_alive_s = 5;
  // cpp-httplib serves each connection on one pool thread for the connection's
  // whole life, idle keep-alive included: a browser keeps up to six
  // connections open, so a pool sized to the cores starves the next browser
  // (measured: a 3.5 KB stylesheet waited 1.1 s for a thread while another
  // signed-in browser's idle connections held all eight). Idle threads cost
  // little; the pool is sized for browsers, not cores.
  int threads = 64;
  bool access_log = true;  // one spdlog line per request, written by its own thread
  // How a request appears in the access log: given the decoded path (no
  // query), what to write instead of the target (default: the target as
  // sent). The public server hides receipt codes (docs/public.md,
  // "Grievances"). The log never has the client's address.
  std::function<std::string(const std::string&)> log_target;
  // HTTPS when both are set: PEM files of the certificate (chain) and its key.
  std::string tls_cert;
  std::string tls_key;
  // The web application's built files (web/dist), served at / with a CSP that
  // allows only this origin; "" serves none (then / is the API's plain page).
  std::string web_root;
};

// The Content-Security-Policy sent with the web application: nothing but this
// origin (no CDN, tile server or outside font), no inline script, no framing.
inline constexpr const char* kWebContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// The web root to serve when --web is not given: web/dist beside the build
// directory holding the running executable (build/<preset>/corridor), when it
// has an index.html; "" otherwise.
std::string DefaultWebRoot();

class Server {
 public:
  // `routes` (an API's routes: the security side's api::Api::routes(), or the
  // public side's) must outlive the server.
  Server(const std::vector<api::Route>& routes, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket. kUnavailable naming host:port when it cannot.
  Result<void> Bind();
  // The bound port (after Bind).
  int port() const;
  // Serves until Stop() is called from another thread or a signal handler.
  Result<void> Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses "HOST:PORT" ("127.0.0.1:8080", "[::1]:8080", ":8080" = 127.0.0.1).
// kInvalidArgument naming the value.
Result<std::pair<std::string, int>> ParseListen(std::string_view text);

}  // namespace corridor::server
