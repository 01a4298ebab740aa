// The partner-facing deployment of docs/operations.md, run for real: Debian's
// nginx with deploy/nginx/corridor-taxii.conf as committed (only the listen
// address, certificate paths and upstream port changed) terminates TLS with a
// self-signed certificate in front of a real `corridor serve`; a TAXII
// discovery request passes through, a body over the limit gets 413 as a TAXII
// error, and the rest of the instance is not reachable.
#include <netinet/in.h>
#include <sys/socket.h>

#include <fstream>

#include "sync/sync_harness.h"

namespace corridor {
namespace {

using sync_testing::Instance;
using sync_testing::json;
using sync_testing::Q;
using testing::RunCommand;
namespace fs = std::filesystem;

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "the committed config no longer contains: " << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(NginxTest, TaxiiThroughTheCommittedConfiguration) {
  testing::TempDir dir;
  Instance a(dir.path(), "a");
  a.MustRun("orgs add PK-A --own --trust-group bilateral");
  a.MustRun("orgs add CN-B --trust-group bilateral");
  const std::string token = a.TokenFor("sync-cn-b", "CN-B");
  a.Start();

  const auto ngx = dir.path() / "nginx";
  fs::create_directories(ngx / "tmp");
  const auto cert =
      RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
                 Q((ngx / "key.pem").string()) + " -out " + Q((ngx / "cert.pem").string()));
  ASSERT_EQ(cert.status, 0) << cert.err;
  const int port = FreePort();
  std::string site = testing::ReadFile(testing::TestPath("../deploy/nginx/corridor-taxii.conf"));
  site = Replace(site, "listen 443 ssl;", "listen 127.0.0.1:" + std::to_string(port) + " ssl;");
  site = Replace(site, "listen [::]:443 ssl;", "");
  site = Replace(site, "/etc/ssl/corridor/fullchain.pem", (ngx / "cert.pem").string());
  site = Replace(site, "/etc/ssl/corridor/privkey.pem", (ngx / "key.pem").string());
  site =
      Replace(site, "server 127.0.0.1:8080;", "server 127.0.0.1:" + std::to_string(a.port()) + ";");
  testing::WriteFile(ngx / "site.conf", site);
  const std::string p = ngx.string();
  // Debian's /etc/nginx/nginx.conf includes sites in its http block; this
  // minimal one does the same, in the foreground, as the current user.
  testing::WriteFile(
      ngx / "nginx.conf",
      "daemon off;\nmaster_process off;\npid " + p + "/nginx.pid;\nerror_log " + p +
          "/error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n"
          "  client_body_temp_path " +
          p + "/tmp/body;\n  proxy_temp_path " + p + "/tmp/proxy;\n  fastcgi_temp_path " + p +
          "/tmp/fastcgi;\n  uwsgi_temp_path " + p + "/tmp/uwsgi;\n  scgi_temp_path " + p +
          "/tmp/scgi;\n  include " + p + "/site.conf;\n}\n");
  const auto check = RunCommand("nginx -t -p " + Q(p) + " -c " + Q(p + "/nginx.conf"));
  ASSERT_EQ(check.status, 0) << check.err;
  const pid_t nginx = fork();
  ASSERT_GE(nginx, 0);
  if (nginx == 0) {
    execlp("nginx", "nginx", "-p", p.c_str(), "-c", (p + "/nginx.conf").c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::string base = "https://127.0.0.1:" + std::to_string(port);
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    up = RunCommand("curl -sk -o /dev/null " + base + "/healthz").status == 0;
  }
  ASSERT_TRUE(up) << testing::ReadFile(ngx / "error.log");

  const std::string headers =
      " -H 'Accept: application/taxii+json;version=2.1' -H 'Authorization: Bearer " + token + "' ";
  // Discovery through TLS: the URLs name the public https origin with its port.
  auto discovery = RunCommand("curl -sk --cacert " + Q((ngx / "cert.pem").string()) + headers +
                              "-w '\\n%{http_code} %{content_type}' " + base + "/taxii2/");
  ASSERT_EQ(discovery.status, 0) << discovery.err;
  const auto nl = discovery.out.rfind('\n');
  EXPECT_EQ(discovery.out.substr(nl + 1), "200 application/taxii+json;version=2.1");
  const json body = json::parse(discovery.out.substr(0, nl));
  EXPECT_EQ(body["api_roots"], json::array({base + "/taxii2/bilateral/"})) << discovery.out;

  // Over 1 MiB: nginx answers 413 with the TAXII error resource; corridor never sees it.
  testing::WriteFile(dir.path() / "big.json", std::string(2 << 20, ' '));
  auto big = RunCommand("curl -sk" + headers +
                        "-H 'Content-Type: application/taxii+json;version=2.1' --data-binary @" +
                        Q((dir.path() / "big.json").string()) + " -w '\\n%{http_code}' " + base +
                        "/taxii2/bilateral/collections/x/objects/");
  // (curl may report the upload cut short: nginx answers before reading the body.)
  const auto big_nl = big.out.rfind('\n');
  EXPECT_EQ(big.out.substr(big_nl + 1), "413");
  const json too_large = json::parse(big.out.substr(0, big_nl), nullptr, false);
  EXPECT_EQ(too_large.value("http_status", ""), "413") << big.out;

  // The rest of the instance is not for partners.
  auto api = RunCommand("curl -sk -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer " +
                        token + "' " + base + "/api/v1/incidents");
  EXPECT_EQ(api.out, "404");
  // Plain HTTP to the TLS port is refused by nginx.
  auto plain =
      RunCommand("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + std::to_string(port) +
                 "/taxii2/");
  EXPECT_EQ(plain.out, "400");

  kill(nginx, SIGQUIT);
  int status = 0;
  waitpid(nginx, &status, 0);
}

}  // namespace
}  // namespace corridor
