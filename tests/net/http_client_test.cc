#include "corridor/net/http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "net/loopback_server.h"
#include "testing/testing.h"

namespace corridor::net {
namespace {

namespace fs = std::filesystem;
using corridor::testing::LoopbackServer;
using corridor::testing::TempDir;

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
  return s;
}

TEST(ParseUrlTest, Cases) {
  struct Case {
    const char* url;
    bool ok;
    const char* scheme;
    const char* host;
    int port;
    const char* target;
  };
  const Case cases[] = {
      {"https://raw.githubusercontent.com/a/b/c.csv", true, "https", "raw.githubusercontent.com",
       443, "/a/b/c.csv"},
      {"http://127.0.0.1:8080", true, "http", "127.0.0.1", 8080, "/"},
      {"http://127.0.0.1:8080?x=1#frag", true, "http", "127.0.0.1", 8080, "/?x=1"},
      {"HTTP://[::1]:99/p%20q", true, "http", "::1", 99, "/p%20q"},
      {"ftp://example.org/x", false, "", "", 0, ""},
      {"example.org/x", false, "", "", 0, ""},
      {"http://:80/x", false, "", "", 0, ""},
      {"http://host:99999/", false, "", "", 0, ""},
      {"http://host:8x/", false, "", "", 0, ""},
      {"http://host/a b", false, "", "", 0, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.url);
    auto got = ParseUrl(c.url);
    ASSERT_EQ(got.has_value(), c.ok);
    if (!c.ok) {
      EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument);
      EXPECT_NE(got.error().message.find(c.url), std::string::npos);
      continue;
    }
    EXPECT_EQ(got->scheme, c.scheme);
    EXPECT_EQ(got->host, c.host);
    EXPECT_EQ(got->port, c.port);
    EXPECT_EQ(got->target, c.target);
  }
  EXPECT_EQ(ParseUrl("http://[::1]:99/")->Origin(), "http://[::1]:99");
}

TEST(EncodePathTest, KeepsSlashesAndUnreserved) {
  EXPECT_EQ(EncodePath("EdouardMathieu/output/Global Terrorism Database.csv"),
            "EdouardMathieu/output/Global%20Terrorism%20Database.csv");
  EXPECT_EQ(EncodePath("a-b_c.d~e/F9"), "a-b_c.d~e/F9");
  EXPECT_EQ(EncodePath("x%y+z?#&"), "x%25y%2Bz%3F%23%26");
  EXPECT_EQ(EncodePath("\xc3\xa9"), "%C3%A9");
}

TEST(HttpClientTest, GetReturnsBodyHeadersAndSendsAuth) {
  LoopbackServer loop;
  loop.server().Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Seen-Auth", req.get_header_value("Authorization"));
    res.set_header("X-Seen-Custom", req.get_header_value("X-Custom"));
    res.set_content("hello world", "text/plain");
  });
  loop.Start();
  GetOptions options;
  options.bearer_token = "tok123";
  options.headers.emplace_back("X-Custom", "v1");
  auto got = Get(loop.base_url() + "/hello", options);
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "hello world");
  EXPECT_EQ(got->Header("x-seen-auth"), "Bearer tok123");
  EXPECT_EQ(got->Header("X-SEEN-CUSTOM"), "v1");
  EXPECT_EQ(got->Header("content-type"), "text/plain");
  EXPECT_EQ(got->Header("no-such-header"), "");
}

TEST(HttpClientTest, GetReturnsErrorStatusesAsResponses) {
  LoopbackServer loop;
  loop.Start();
  auto got = Get(loop.base_url() + "/missing");
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->status, 404);
}

TEST(HttpClientTest, GetRefusesOversizedBody) {
  LoopbackServer loop;
  loop.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Pattern(10'000), "application/octet-stream");
  });
  loop.Start();
  GetOptions options;
  options.max_body_bytes = 1000;
  auto got = Get(loop.base_url() + "/big", options);
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(got.error().message.find("larger than 1000"), std::string::npos) << got.error().message;
}

TEST(HttpClientTest, PostSendsBody) {
  LoopbackServer loop;
  loop.server().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 201;
    res.set_content(req.get_header_value("Content-Type") + "|" + req.body, "text/plain");
  });
  loop.Start();
  auto got = Post(loop.base_url() + "/echo", "{\"a\":1}", "application/taxii+json;version=2.1");
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->status, 201);
  EXPECT_EQ(got->body, "application/taxii+json;version=2.1|{\"a\":1}");
}

TEST(DownloadTest, StreamsToFileWithProgressAndFollowsRedirects) {
  const std::string content = Pattern(300'000);
  LoopbackServer loop;
  loop.server().Get("/data/file name.bin", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(content, "application/octet-stream");
  });
  loop.server().Get("/moved", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/data/file%20name.bin");
  });
  loop.Start();
  TempDir tmp;
  const fs::path dest = tmp / "sub" / "dir" / "out.bin";
  std::uint64_t last_bytes = 0, last_total = 0;
  int calls = 0;
  DownloadOptions options;
  options.progress = [&](std::uint64_t bytes, std::uint64_t total) {
    EXPECT_GE(bytes, last_bytes);
    last_bytes = bytes;
    last_total = total;
    ++calls;
    return true;
  };
  auto got = Download(loop.base_url() + "/moved", dest.string(), options);
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(testing::ReadFile(dest), content);
  EXPECT_FALSE(fs::exists(dest.string() + ".part"));
  EXPECT_GT(calls, 0);
  EXPECT_EQ(last_bytes, content.size());
  EXPECT_EQ(last_total, content.size());
  EXPECT_EQ(loop.requests(), 2);  // the redirect and the file
}

TEST(DownloadTest, HttpErrorStatusFailsNamingStatusAndLeavesNothing) {
  LoopbackServer loop;
  loop.Start();
  TempDir tmp;
  const fs::path dest = tmp / "out.bin";
  const std::string url = loop.base_url() + "/nope.csv";
  auto got = Download(url, dest.string());
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(got.error().message.find(url), std::string::npos) << got.error().message;
  EXPECT_NE(got.error().message.find("HTTP status 404"), std::string::npos) << got.error().message;
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(dest.string() + ".part"));
}

TEST(DownloadTest, ConnectionRefusedIsUnavailableNamingUrl) {
  TempDir tmp;
  const fs::path dest = tmp / "out.bin";
  const std::string url =
      "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) + "/x.csv";
  DownloadOptions options;
  options.connect_timeout = std::chrono::milliseconds(2000);
  auto got = Download(url, dest.string(), options);
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(got.error().message.find(url), std::string::npos) << got.error().message;
  EXPECT_NE(got.error().message.find("could not connect"), std::string::npos)
      << got.error().message;
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(dest.string() + ".part"));

  auto get = Get(url);
  ASSERT_FALSE(get.has_value());
  EXPECT_EQ(get.error().code, ErrorCode::kUnavailable);
}

TEST(DownloadTest, StallPastReadTimeoutFailsAndKeepsOldFile) {
  std::atomic<bool> stop{false};
  LoopbackServer loop;
  // Announces 100000 bytes, sends 1000, then stalls.
  loop.server().Get("/stall", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(100'000, "application/octet-stream",
                             [&](size_t offset, size_t, httplib::DataSink& sink) {
                               if (offset == 0) {
                                 const std::string chunk = Pattern(1000);
                                 sink.write(chunk.data(), chunk.size());
                                 return true;
                               }
                               for (int i = 0; i < 300 && !stop; ++i) {
                                 std::this_thread::sleep_for(std::chrono::milliseconds(10));
                               }
                               return false;
                             });
  });
  loop.Start();
  TempDir tmp;
  const fs::path dest = tmp / "out.bin";
  testing::WriteFile(dest, "old complete file");
  DownloadOptions options;
  options.read_timeout = std::chrono::milliseconds(300);
  const std::string url = loop.base_url() + "/stall";
  const auto start = std::chrono::steady_clock::now();
  auto got = Download(url, dest.string(), options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  stop = true;
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(got.error().message.find(url), std::string::npos) << got.error().message;
  EXPECT_NE(got.error().message.find("timed out"), std::string::npos) << got.error().message;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_EQ(testing::ReadFile(dest), "old complete file");
  EXPECT_FALSE(fs::exists(dest.string() + ".part"));
}

TEST(DownloadTest, SizeLimitAndCancelledProgressFail) {
  LoopbackServer loop;
  loop.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Pattern(50'000), "application/octet-stream");
  });
  loop.Start();
  TempDir tmp;
  const fs::path dest = tmp / "out.bin";

  DownloadOptions limited;
  limited.max_bytes = 10'000;
  auto got = Download(loop.base_url() + "/big", dest.string(), limited);
  ASSERT_FALSE(got.has_value());
  EXPECT_NE(got.error().message.find("larger than 10000"), std::string::npos)
      << got.error().message;
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(dest.string() + ".part"));

  DownloadOptions cancelling;
  cancelling.progress = [](std::uint64_t, std::uint64_t) { return false; };
  got = Download(loop.base_url() + "/big", dest.string(), cancelling);
  ASSERT_FALSE(got.has_value());
  EXPECT_NE(got.error().message.find("cancelled"), std::string::npos) << got.error().message;
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(dest.string() + ".part"));
}

TEST(DownloadTest, MalformedUrlIsInvalidArgument) {
  TempDir tmp;
  auto got = Download("not a url", (tmp / "x").string());
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(tmp / "x.part"));
}

}  // namespace
}  // namespace corridor::net
