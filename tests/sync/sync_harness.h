// Real Corridor instances for the sync tests: each is the built `corridor`
// binary serving its own SQLite file on its own loopback port, set up through
// the CLI as an operator would (docs/operations.md).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "corridor/store/store.h"
#include "testing/testing.h"

namespace corridor::sync_testing {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::string Bin() { return (testing::BuildDir() / "corridor").string(); }
inline std::string Q(const std::string& s) { return "'" + s + "'"; }

class Instance {
 public:
  Instance(const fs::path& dir, std::string name) : name_(std::move(name)) {
    dir_ = dir / name_;
    fs::create_directories(dir_);
    db_ = (dir_ / (name_ + ".db")).string();
  }
  ~Instance() { Stop(); }

  const std::string& db() const { return db_; }
  const std::string& name() const { return name_; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Runs `corridor --db <db> <args>`, with `stdin_text` on its standard input.
  // `env` ("NAME=value ...") goes before the command.
  testing::CommandResult Run(const std::string& args, const std::string& stdin_text = "",
                             const std::string& env = "") const {
    std::string cmd = (env.empty() ? "" : env + " ") + Bin() + " --db " + Q(db_) + " " + args;
    if (!stdin_text.empty()) cmd = "printf '%s\\n' " + Q(stdin_text) + " | " + cmd;
    return testing::RunCommand(cmd);
  }
  void MustRun(const std::string& args, const std::string& stdin_text = "") const {
    const auto r = Run(args, stdin_text);
    ASSERT_EQ(r.status, 0) << name_ << ": corridor " << args << "\n" << r.err << r.out;
  }

  // Adds a user of `org` (partner: the role a partner instance's sync account
  // has; it reads what its organisation may and exports) and returns a token.
  std::string TokenFor(const std::string& username, const std::string& org,
                       const std::string& role = "partner") const {
    MustRunOrFail("users add " + username + " --org " + org + " --role " + role,
                  "a long enough password");
    const auto r = Run("tokens create " + username);
    EXPECT_EQ(r.status, 0) << r.err;
    std::string token = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    return token;
  }

  std::string PublicKey() const {
    return json::parse(testing::ReadFile(db_ + ".keys"))["sign_public"].get<std::string>();
  }

  // Starts `corridor serve` on `port`, by default a free loopback port.
  void Start(const std::vector<std::string>& extra = {}, int port = 0) {
    const std::string log = (dir_ / "serve.log").string();
    fs::remove(log);
    pid_ = fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      if (!freopen(log.c_str(), "w", stdout)) _exit(126);
      if (!freopen((log + ".err").c_str(), "w", stderr)) _exit(126);
      std::vector<std::string> args = {"corridor", "--db=" + db_, "serve", "--listen",
                                       "127.0.0.1:" + std::to_string(port)};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(Bin().c_str(), argv.data());
      _exit(127);
    }
    port_ = 0;
    for (int i = 0; i < 400 && port_ == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::smatch m;
      const std::string text = fs::exists(log) ? testing::ReadFile(log) : "";
      if (std::regex_search(text, m, std::regex(R"(127\.0\.0\.1:(\d+)/)"))) port_ = std::stoi(m[1]);
    }
    ASSERT_GT(port_, 0) << name_ << " did not start";
  }

  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // Stops and starts `corridor serve` again on the same port.
  void Restart() {
    const int port = port_;
    Stop();
    Start({}, port);
  }

  std::unique_ptr<store::Store> OpenStore() const {
    auto s = store::OpenStore(db_, {.create = false});
    EXPECT_TRUE(s) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }

 private:
  void MustRunOrFail(const std::string& args, const std::string& stdin_text) const {
    const auto r = Run(args, stdin_text);
    EXPECT_EQ(r.status, 0) << name_ << ": corridor " << args << "\n" << r.err << r.out;
  }

  std::string name_;
  fs::path dir_;
  std::string db_;
  pid_t pid_ = -1;
  int port_ = 0;
};

inline httplib::Headers TaxiiHeaders(const std::string& token) {
  return {{"Accept", "application/taxii+json;version=2.1"}, {"Authorization", "Bearer " + token}};
}

}  // namespace corridor::sync_testing
